"""The pure core imports no I/O, by construction: checked over its whole import closure.

Business rules (validation, KPIs, the shapes they read and write) must not depend on the
machine they run on: no clock reads, files, network or environment. Checking each core
module's own imports is not enough (a core module importing `sheetsync.config` would pull
in the environment through it), so this walks every `sheetsync.*` import transitively,
including imports inside functions and under TYPE_CHECKING, and fails when the closure
reaches an adapter or an I/O library.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sheetsync"

# The pure core: modules, or packages (every module inside).
CORE = (
    "sheetsync.issues", "sheetsync.model", "sheetsync.months", "sheetsync.values",
    "sheetsync.validate", "sheetsync.kpi_schema", "sheetsync.kpi", "sheetsync.redact",
    "sheetsync.tabs", "sheetsync.contract", "sheetsync.messages", "sheetsync.retry",
    "sheetsync.locale_id",
)  # fmt: skip
# Adapters and the layers above them: the core never imports these.
ADAPTERS = (
    "sheetsync.workbook", "sheetsync.ledger", "sheetsync.config", "sheetsync.mail",
    "sheetsync.report", "sheetsync.pipeline", "sheetsync.ingest", "sheetsync.cli",
    "sheetsync.clock", "sheetsync.demo", "sheetsync.testing", "sheetsync.worker",
)  # fmt: skip
IO_LIBRARIES = {
    "os", "socket", "requests", "sqlite3", "subprocess", "smtplib", "urllib", "http",
    "gspread", "google", "openpyxl", "xlsxwriter", "weasyprint", "python_calamine",
    "shutil", "pathlib", "time", "tempfile", "filelock", "io", "glob",
}  # fmt: skip
FORBIDDEN_CALLS = {"now", "today", "utcnow", "getenv", "open", "print"}


def module_path(module: str) -> Path | None:
    """The file of a `sheetsync.*` module (a package's `__init__.py`), if it exists."""
    if module == "sheetsync":
        return PACKAGE / "__init__.py"
    if not module.startswith("sheetsync."):
        return None
    relative = Path(*module.split(".")[1:])
    for candidate in (PACKAGE / relative.with_suffix(".py"), PACKAGE / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def expand(module: str) -> list[str]:
    """A module, or a package with every module inside it."""
    folder = PACKAGE / Path(*module.split(".")[1:])
    if not folder.is_dir():
        return [module]
    return [
        ".".join(("sheetsync", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for path in sorted(folder.rglob("*.py"))
    ]


def imports_of(path: Path, module: str) -> Iterator[str]:
    """Every module `path` imports, absolute (relative imports resolved against `module`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            yield base
            # `from sheetsync.kpi import compute` imports the module sheetsync.kpi.compute
            for alias in node.names:
                if module_path(f"{base}.{alias.name}") is not None:
                    yield f"{base}.{alias.name}"


def parent_packages(module: str) -> list[str]:
    """Importing a.b.c runs a/__init__.py and a/b/__init__.py first: they are in the closure."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts))]


def import_closure(start: str) -> dict[str, str]:
    """Every module reachable from `start`, each with the module that first imported it."""
    seen: dict[str, str] = {start: ""}
    todo = [start]
    while todo:
        module = todo.pop()
        path = module_path(module)
        if path is None:
            continue
        for imported in [*parent_packages(module), *imports_of(path, module)]:
            if imported not in seen:
                seen[imported] = module
                if imported.startswith("sheetsync"):
                    todo.append(imported)
    return seen


def chain(closure: dict[str, str], module: str) -> str:
    """How the closure reached `module`: 'a -> b -> module'."""
    steps = [module]
    while closure.get(steps[-1]):
        steps.append(closure[steps[-1]])
    return " -> ".join(reversed(steps))


def core_modules() -> list[str]:
    return [module for root in CORE for module in expand(root) if module_path(module)]


@pytest.mark.parametrize("module", core_modules())
def test_core_module_reaches_no_adapter_and_no_io(module: str) -> None:
    closure = import_closure(module)
    for reached in closure:
        top = reached.split(".")[0]
        assert top not in IO_LIBRARIES, f"I/O library reached: {chain(closure, reached)}"
        assert not any(reached == a or reached.startswith(a + ".") for a in ADAPTERS), (
            f"adapter reached from the core: {chain(closure, reached)}"
        )


@pytest.mark.parametrize("module", core_modules())
def test_core_module_reads_no_clock_environment_or_files(module: str) -> None:
    path = module_path(module)
    assert path is not None
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{module} calls {name}() at line {node.lineno}"


def test_the_closure_follows_imports_through_other_modules(tmp_path: Path) -> None:
    """The checker itself: a core module importing a harmless module that imports an
    adapter is caught, with the chain that leads there."""
    closure = import_closure("sheetsync.kpi.compute")
    assert "sheetsync.kpi_schema" in closure and "pandas" in closure
    assert chain(closure, "sheetsync.kpi_schema").startswith("sheetsync.kpi.compute")
