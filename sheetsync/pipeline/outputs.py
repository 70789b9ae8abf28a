"""What a sync writes back to the workbook: KPI tabs, Validasi, Log, in one atomic step.

The tabs are built first (queries: they return, they change nothing) and written last, so
a failed write shows none of them. A workbook open in Excel only postpones the write to
the next run; since when it has waited is kept beside the ledger for the one-day alert.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sheetsync.config import Config
from sheetsync.errors import WorkbookLockedError
from sheetsync.issues import Issue, ValidationReport
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Registry
from sheetsync.pipeline.runs import add_message, log
from sheetsync.runlog import RunRecord, log_tab
from sheetsync.tabs import CellMark, OutputTab
from sheetsync.workbook.base import Workbook

if TYPE_CHECKING:
    from sheetsync.ledger import Ledger


def workbook_notices(workbook: Workbook, language: str = "id") -> list[Issue]:
    """What the backend says about the workbook itself (the xlsx backend: parts of staff's
    that it writes around), for Validasi and the run log, worded in `language`."""
    notices = getattr(workbook, "notices", None)
    found: list[Issue] = list(notices(language)) if callable(notices) else []
    for issue in found:
        log.warning("%s: %s", issue.source, issue.message)
    return found


def output_tabs(
    config: Config,
    kpis: Mapping[str, KpiResult],
    registry: Registry,
    report: ValidationReport,
    ledger: Ledger,
    record: RunRecord,
    now: dt.datetime,
) -> list[OutputTab]:
    """Every output tab of a sync: KPI tabs of the synced months, Validasi, Log."""
    from sheetsync.kpi import kpi_output_tabs

    language = config.program.language
    newest_first = sorted(kpis, reverse=True)
    per_month = [kpi_output_tabs(kpis[m], registry, language) for m in newest_first]
    tabs = [_stack(same) for same in zip(*per_month, strict=True)]
    return tabs + feedback_tabs(config, report, ledger, record, now, status="ok")


def feedback_tabs(
    config: Config,
    report: ValidationReport,
    ledger: Ledger,
    record: RunRecord,
    now: dt.datetime,
    *,
    status: str,
) -> list[OutputTab]:
    """Validasi and Log. Writing the tabs is the run's last step: if the write fails none
    of it shows, so the Log tab can carry the status the run ends with (`record` already
    marked ended by the caller; it is shown with `status`, not changed)."""
    from sheetsync.validate import validation_tab

    shown = replace(record, status=status)
    earlier = [r for r in ledger.recent_runs(limit=500) if r.run_id != record.run_id]
    return [
        validation_tab(report, run_at=now, language=config.program.language),
        log_tab([shown, *earlier]),
    ]


def _stack(tabs: Sequence[OutputTab]) -> OutputTab:
    """The same tab of several months, newest month first (each row carries its month)."""
    first = tabs[0]
    rows = [row for tab in tabs for row in tab.rows]
    return OutputTab(first.name, first.header, rows, first.formats)


def write_workbook(
    config: Config,
    workbook: Workbook,
    tabs: Sequence[OutputTab],
    marks: Sequence[CellMark],
    record: RunRecord,
    now: dt.datetime,
) -> bool:
    """Write the output tabs; a workbook open in Excel only postpones that to the next run.

    Everything before the write (reading, validating, importing, computing) needs no write
    access, so it is kept; the run log says the tabs were not written and why.
    """
    try:
        workbook.write(tabs, marks)
    except WorkbookLockedError as exc:
        log.warning("output tabs not written: %s", exc)
        add_message(record, str(exc))
        remember_unwritten_workbook(config, now)
        return False
    forget_unwritten_workbook(config)
    return True


def unwritten_workbook_path(config: Config) -> Path:
    return config.ledger.path.parent / "workbook-unwritten.json"


def remember_unwritten_workbook(config: Config, now: dt.datetime) -> None:
    """Keep the time of the first write that had to wait (for the one-day alert)."""
    if unwritten_workbook_since(config) is None:
        path = unwritten_workbook_path(config)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"since": now.isoformat(timespec="seconds")}), "utf-8")


def forget_unwritten_workbook(config: Config) -> None:
    unwritten_workbook_path(config).unlink(missing_ok=True)


def unwritten_workbook_since(config: Config) -> dt.datetime | None:
    """Since when every sync has had to leave the workbook unwritten (None: it was written)."""
    try:
        data = json.loads(unwritten_workbook_path(config).read_text("utf-8"))
        return dt.datetime.fromisoformat(str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
