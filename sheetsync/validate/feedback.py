"""Feedback shaping: the issues as staff see them, in the `Validasi` tab and on their cells.

The report is data; this turns it into an output tab (one row per open issue, errors
first, plain sortable values) and into cell marks (one per staff cell with problems: the
worst severity, every message in one note). Writing them is the workbook backend's job.
"""

from __future__ import annotations

import datetime as dt

from sheetsync.contract import STAFF_TABS
from sheetsync.issues import Issue, Severity, ValidationReport
from sheetsync.messages import SEVERITY_LABELS, VALIDASI_HEADERS
from sheetsync.tabs import CellMark, OutputTab

VALIDATION_TAB = "Validasi"
STAFF_TAB_NAMES = tuple(spec.name for spec in STAFF_TABS)


def cell_marks(report: ValidationReport) -> list[CellMark]:
    """One mark per staff data cell with problems: the worst severity, all messages in one note.

    Header-row problems (a doubled header) are left to the `Validasi` tab: a backend finds a
    column by its header text, which for a doubled header would point at the wrong column.
    """
    grouped: dict[tuple[str, int, str], list[Issue]] = {}
    for issue in report:
        row, column = issue.row, issue.column
        if issue.source in STAFF_TAB_NAMES and row is not None and row >= 2 and column:
            grouped.setdefault((issue.source, row, column), []).append(issue)
    return [_merge_mark(key, issues) for key, issues in grouped.items()]


def validation_tab(
    report: ValidationReport, *, run_at: dt.datetime, language: str = "id"
) -> OutputTab:
    """The `Validasi` tab: one row per open issue, errors first, plain sortable values."""
    labels = SEVERITY_LABELS.get(language, SEVERITY_LABELS["id"])
    stamp = run_at.strftime("%Y-%m-%d %H:%M:%S")
    rows = [
        [
            labels[i.severity],
            i.code,
            i.source,
            i.row,
            i.column or "",
            i.value or "",
            i.message,
            stamp,
        ]
        for i in sorted(report, key=_validasi_order)
    ]
    headers = VALIDASI_HEADERS.get(language, VALIDASI_HEADERS["id"])
    return OutputTab(VALIDATION_TAB, headers, rows)


def _merge_mark(key: tuple[str, int, str], issues: list[Issue]) -> CellMark:
    tab, row, column = key
    worst = Severity.ERROR if any(i.is_error for i in issues) else Severity.WARNING
    text = "\n".join(dict.fromkeys(i.message for i in issues))
    return CellMark(tab, row, column, str(worst), text)


def _validasi_order(issue: Issue) -> tuple[int, int, str, int, str]:
    tab_rank = STAFF_TAB_NAMES.index(issue.source) if issue.source in STAFF_TAB_NAMES else 99
    return (0 if issue.is_error else 1, tab_rank, issue.source, issue.row or 0, issue.column or "")
