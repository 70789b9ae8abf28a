"""How results look on a terminal (rich tables) and in pipes (plain text, CSV, JSON)."""

from __future__ import annotations

import json
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sheetsync.cli_tables import VALIDATE_COLUMNS
from sheetsync.issues import ValidationReport
from sheetsync.tabular import Col, print_table, screen_width, write_delimited


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def print_records(
    records: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[Col],
    *,
    is_terminal: bool,
    title: str = "",
) -> None:
    """Records as a table that fits the screen, or CSV/TSV/JSON with every column."""
    if fmt == "json":
        print(json.dumps(list(records), ensure_ascii=False, indent=2, default=str))
        return
    if fmt in ("csv", "tsv"):
        keys = list(dict.fromkeys(k for r in records for k in r))
        write_delimited(records, keys, sys.stdout, tsv=fmt == "tsv")
        return
    if not records:
        print("(tidak ada baris)")
        return
    print_table(records, columns, is_terminal=is_terminal, title=title)


def issue_records(report: ValidationReport) -> list[dict[str, Any]]:
    """One plain record per issue: what `validate --format json|csv|tsv` prints."""
    return [
        {
            "level": "Error" if i.is_error else "Peringatan",
            "code": i.code,
            "severity": str(i.severity),
            "source": i.source,
            "row": i.row,
            "column": i.column,
            "value": i.value,
            "message": i.message,
        }
        for i in report
    ]


def print_issues(
    report: ValidationReport,
    fmt: str,
    columns: Sequence[Col] = VALIDATE_COLUMNS,
    *,
    is_terminal: bool = False,
) -> None:
    """Validation issues as a table with a one-line total, or as data for scripts."""
    records = issue_records(report)
    if fmt != "table":
        if fmt == "json":
            records = [{k: v for k, v in r.items() if k != "level"} for r in records]
        print_records(records, fmt, columns, is_terminal=is_terminal)
        return
    if records:
        print_table(records, columns, is_terminal=is_terminal, title="Validasi")
    print(f"{len(report.errors)} error, {len(report.warnings)} peringatan.")
    if records and not is_terminal:
        print("Pesan lengkap: sheetsync validate --format tsv (atau tab Validasi).")


INGEST_COUNTS = (
    ("File diimpor", "files_imported"),
    ("File dilewati (sudah pernah)", "files_skipped"),
    ("File ditolak", "files_rejected"),
    ("Baris pesanan", "lines"),
    ("Baris ditolak", "rows_rejected"),
)
_COUNT_COLUMNS = (Col("what", "", flex=True, min_width=10), Col("n", "Jumlah", numeric=True))


def print_ingest_summary(summary: Any, *, is_terminal: bool = False, limit: int = 50) -> None:
    """Files imported / skipped / rejected, lines, rejected rows by reason, then the issues."""
    counts = [{"what": label, "n": str(getattr(summary, attr, 0))} for label, attr in INGEST_COUNTS]
    print_table(counts, _COUNT_COLUMNS, is_terminal=is_terminal, title="Impor ekspor marketplace")
    reasons: Counter[str] = Counter(getattr(summary, "rejected_by_reason", {}) or {})
    if reasons:
        why = [{"what": code, "n": str(n)} for code, n in reasons.most_common()]
        print_table(
            why, _COUNT_COLUMNS, is_terminal=is_terminal, title="Baris ditolak menurut alasan"
        )
    issues = ValidationReport(list(getattr(summary, "issues", []))[:limit])
    if len(issues):
        print_table(issue_records(issues), VALIDATE_COLUMNS, is_terminal=is_terminal)


def sync_summary_lines(months: str, record: Any) -> list[str]:
    """The sync's result in short lines (each well within 80 columns)."""
    return [
        f"Sync {months}:",
        f"  {record.files_imported} file(s) imported, {record.rows_rejected} row(s) rejected,",
        f"  {record.validation_errors} validation error(s), "
        f"{record.validation_warnings} warning(s).",
    ]


def change_lines(changes: Sequence[str], is_terminal: bool) -> list[str]:
    """What late data changed: wrapped to the terminal's width, one line each in a pipe."""
    if not is_terminal:
        return [f"  changed: {change}" for change in changes]
    width = screen_width()
    return [
        line
        for change in changes
        for line in textwrap.wrap(
            change, width, initial_indent="  changed: ", subsequent_indent="    "
        )
    ]


def print_send_run(run: Any) -> None:
    """One line per delivery and a total; then the recipient rows that were skipped."""
    for line in run.summary.lines():
        print(line)
    for issue in run.issues:
        where = f"{issue.source} baris {issue.row}" if issue.row else issue.source
        print(f"- dilewati: {where}: {issue.message}")


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[..., None] | None]:
    """A rich progress bar on a terminal; None (no bar, no noise) under cron and in pipes.

    The callback accepts (done, total) or (what, done, total), the two shapes the
    pipeline's steps report progress in.
    """
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(*args: Any) -> None:
            done, total = args[-2], args[-1]
            description = f"{label}: {args[0]}" if len(args) == 3 else label
            bar.update(task, completed=done, total=total, description=description[:60])

        yield update
