"""The pure core imports no I/O: no clock reads, files, network or environment.

A regression here means business rules started depending on the machine they run on.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sheetsync"
PURE_MODULES = [
    "issues.py", "model.py", "months.py", "values.py", "validate.py", "kpi_schema.py", "redact.py",
]  # fmt: skip
FORBIDDEN_IMPORTS = {
    "os", "socket", "requests", "sqlite3", "subprocess", "smtplib", "urllib", "http",
    "gspread", "openpyxl", "shutil", "pathlib", "time",
}  # fmt: skip
FORBIDDEN_CALLS = {"now", "today", "utcnow", "getenv", "open", "print"}


def pure_files() -> list[Path]:
    files = [PACKAGE / name for name in PURE_MODULES if (PACKAGE / name).exists()]
    kpi = PACKAGE / "kpi"
    files += sorted(kpi.glob("*.py")) if kpi.is_dir() else [PACKAGE / "kpi.py"]
    return [f for f in files if f.exists()]


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: p.name)
def test_pure_module_has_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names = {(node.module or "").split(".")[0]}
        else:
            names = set()
        assert not names & FORBIDDEN_IMPORTS, f"{path.name} imports {names & FORBIDDEN_IMPORTS}"
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name} calls {name}() at line {node.lineno}"
