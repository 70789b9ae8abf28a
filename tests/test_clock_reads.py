"""One programme clock: no naive clock read anywhere in sheetsync/ but sheetsync/clock.py.

A server runs in UTC while the programme lives in WIB/WITA/WIT; a `datetime.now()` or
`date.today()` somewhere makes that code disagree with the rest about which day (or month)
it is for seven hours a day. This walks the syntax tree of every module, so a new read
fails here, with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sheetsync"
CLOCK_MODULE = PACKAGE / "clock.py"

# Reads that are not calendar decisions, each with its reason: (file, function) -> why.
ALLOWED: dict[tuple[str, str], str] = {}

DATE_CALLS = {"today", "utcnow"}  # date.today(), datetime.today(), datetime.utcnow()
TIME_CALLS = {"time", "localtime", "ctime", "asctime"}  # time.time() and its friends
UTC_NAMES = {"UTC", "utc"}  # dt.UTC, timezone.utc: log stamps in UTC may stay


def _is_utc(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in UTC_NAMES


def _naive_read(call: ast.Call) -> str | None:
    """The name of the clock read `call` makes, or None."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value.id if isinstance(func.value, ast.Name) else ""
    if func.attr in DATE_CALLS:
        return f"{owner}.{func.attr}()"
    if func.attr == "now" and not (len(call.args) == 1 and _is_utc(call.args[0])):
        return f"{owner}.now(...)"
    if owner == "time" and func.attr in TIME_CALLS and not call.args:
        return f"time.{func.attr}()"
    return None


def naive_clock_reads(source: str, relative: str) -> list[str]:
    """'file:line read (in function)' for every clock read not allowed in ALLOWED."""
    found: list[str] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            inner = child.name if is_function else function
            read = _naive_read(child) if isinstance(child, ast.Call) else None
            if read and (relative, function) not in ALLOWED:
                found.append(f"{relative}:{child.lineno} {read} (in {function or 'module'})")
            visit(child, inner)

    visit(ast.parse(source), "")
    return found


def test_no_naive_clock_read_outside_the_clock_module() -> None:
    found = [
        read
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != CLOCK_MODULE
        for read in naive_clock_reads(path.read_text(encoding="utf-8"), _relative(path))
    ]
    assert not found, "read the time through sheetsync.clock instead:\n" + "\n".join(found)


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize(
    "line",
    [
        "stamp = dt.datetime.now()",
        "stamp = datetime.now()",
        "day = date.today()",
        "day = dt.date.today()",
        "stamp = dt.datetime.utcnow()",
        "stamp = dt.datetime.now(ZoneInfo('Asia/Jakarta'))",  # a second clock, in its own tz
        "seconds = time.time()",
        "parts = time.localtime()",
    ],
)
def test_the_check_catches_each_kind_of_read(line: str) -> None:
    [found] = naive_clock_reads(f"def stamp_backup():\n    {line}\n", "ledger.py")
    assert found.startswith("ledger.py:2 ") and found.endswith("(in stamp_backup)")


@pytest.mark.parametrize(
    "line",
    [
        "stamp = dt.datetime.now(dt.UTC)",  # a log stamp in UTC, with its offset
        "elapsed = time.monotonic()",
        "at = dt.datetime.fromtimestamp(seconds, tz)",  # a conversion, not a read
        "later = now + dt.timedelta(days=1)",
    ],
)
def test_the_check_lets_through_what_is_not_a_calendar_read(line: str) -> None:
    assert naive_clock_reads(f"def f(now, seconds, tz):\n    {line}\n", "x.py") == []


def test_allowed_reads_are_only_allowed_in_their_own_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(ALLOWED, ("workbook/xlsx/files.py", "remove_stale_temp_files"), "a reason")
    elsewhere = "def sweep():\n    return time.time()\n"
    assert naive_clock_reads(elsewhere, "workbook/xlsx/files.py") == [
        "workbook/xlsx/files.py:2 time.time() (in sweep)"
    ]
    inside = "def remove_stale_temp_files(folder):\n    return time.time()\n"
    assert naive_clock_reads(inside, "workbook/xlsx/files.py") == []
