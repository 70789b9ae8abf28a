"""What a sync writes back to the workbook: KPI tabs, Validasi, Log, in one atomic step.

The tabs are built first (queries: they return, they change nothing) and written last, so
a failed write shows none of them. A workbook open in Excel only postpones the write to
the next run; since when it has waited is kept beside the ledger for the one-day alert.
A sync that would write what the workbook already shows writes nothing (`write_workbook`
says when): most syncs find nothing new, and rewriting a province's workbook (or spending
a Sheets write request) for the same figures is most of such a run.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import os
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
from sheetsync.runlog import RunRecord, log_tab, rows_worth_a_write
from sheetsync.tabs import CellMark, OutputTab
from sheetsync.workbook.base import Workbook

if TYPE_CHECKING:
    from sheetsync.ledger import Ledger


def workbook_notices(workbook: Workbook, language: str = "id") -> list[Issue]:
    """What the backend says about the workbook itself (the xlsx backend: parts of staff's
    that it writes around), for Validasi and the run log, worded in `language`."""
    found = workbook.notices(language)
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


class WriteOutcome(enum.Enum):
    """What `write_workbook` did."""

    WRITTEN = "written"
    UNCHANGED = "unchanged"  # the workbook already shows these tabs and marks: not rewritten
    POSTPONED = "postponed"  # open in Excel: the next run writes


def write_workbook(
    config: Config,
    workbook: Workbook,
    tabs: Sequence[OutputTab],
    marks: Sequence[CellMark],
    record: RunRecord,
    now: dt.datetime,
    *,
    always: bool = False,
) -> WriteOutcome:
    """Write the output tabs; a workbook open in Excel only postpones that to the next run.

    Everything before the write (reading, validating, importing, computing) needs no write
    access, so it is kept; the run log says the tabs were not written and why.

    A sync writes nothing when the workbook already shows what it would write. The rule,
    for what staff need to see:

    - The figures and the problems decide. The KPI tabs, the Validasi rows and the marks on
      staff cells are compared (`shown_fingerprint`) with what the last write put there;
      any difference writes everything, atomically, as always. Validasi's time column and
      the Log tab are left out of the comparison: they change on every run and would make
      every run a write. Validasi's time then says since when these problems are listed.
    - The Log tab is written with everything else, from the ledger's `runs` table, so the
      syncs that wrote nothing appear in it at the next write; the JSON-lines log and the
      `runs` table record every run as before. A run that is news for staff (a send, a
      failed, blocked or interrupted run: every run but a sync that ended ok) is compared
      like a figure, so the next sync writes it.
    - The first sync of each programme day writes anyway, so the Log tab and Validasi's
      time are never more than a day old (staff see that syncs run), and an edit someone
      made to an output tab is undone within a day.
    - Only a workbook known to hold the last write is left alone: the backend confirms it
      (`shows_last_write`: the .xlsx file is byte for byte what the write left, so any save
      by staff writes again; the spreadsheet is the one written and still has the output
      tabs at their size and exactly the marks). A backend that cannot tell always writes;
      so does a run that is not publishing (`always`: a blocked run writes its Validasi
      and Log every time).
    """
    fingerprint = shown_fingerprint(tabs, marks)
    if not always and _shows_already(config, workbook, fingerprint, tabs, marks, now):
        log.info("output tabs and marks unchanged since the last write: not rewritten")
        forget_unwritten_workbook(config)
        return WriteOutcome.UNCHANGED
    try:
        workbook.write(tabs, marks)
    except WorkbookLockedError as exc:
        log.warning("output tabs not written: %s", exc)
        add_message(record, str(exc))
        remember_unwritten_workbook(config, now)
        return WriteOutcome.POSTPONED
    forget_unwritten_workbook(config)
    remember_last_write(config, workbook, fingerprint, now)
    return WriteOutcome.WRITTEN


# The Log tab gains a row on every run, Validasi's time column (its last) changes on every
# run: what staff need from them is said in write_workbook's rule.
LOG_TAB = "Log"
STAMPED_TABS = frozenset({"Validasi"})


def shown_fingerprint(tabs: Sequence[OutputTab], marks: Sequence[CellMark]) -> str:
    """sha256 of what staff see that a run can change: every output tab (Validasi without
    its time column; of the Log tab only the runs that are news: `rows_worth_a_write`) and
    the marks on staff cells."""
    digest = hashlib.sha256()
    for tab in tabs:
        if tab.name == LOG_TAB:
            rows: Sequence[Sequence[object]] = rows_worth_a_write(tab)
        elif tab.name in STAMPED_TABS:
            rows = [list(row)[:-1] for row in tab.rows]
        else:
            rows = tab.rows
        shown = [tab.name, list(tab.header), [list(r) for r in rows], dict(tab.formats)]
        digest.update(json.dumps(shown, default=repr, ensure_ascii=False).encode("utf-8"))
    for mark in sorted(marks, key=lambda m: (m.tab, m.row, m.column, m.severity, m.message)):
        digest.update(json.dumps([mark.tab, mark.row, mark.column, mark.severity,
                                  mark.message], ensure_ascii=False).encode("utf-8"))  # fmt: skip
    return digest.hexdigest()


def last_write_path(config: Config) -> Path:
    return config.ledger.path.parent / "workbook-written.json"


def remember_last_write(
    config: Config, workbook: Workbook, fingerprint: str, now: dt.datetime
) -> None:
    """Keep what this write showed, its programme day and the backend's token of the
    workbook as left; without a token nothing is kept (the next sync writes)."""
    path = last_write_path(config)
    path.unlink(missing_ok=True)
    if (left := workbook.last_write_token()) is None:
        return
    data = {"shown": fingerprint, "day": now.date().isoformat(), "workbook": left}
    temp = path.with_name(path.name + ".tmp")
    try:
        temp.write_text(json.dumps(data), "utf-8")
        os.replace(temp, path)  # half a file is never read as a last write
    except OSError as exc:  # the next run only writes again
        log.warning("cannot keep the state of the written workbook: %s", exc)


def _shows_already(
    config: Config,
    workbook: Workbook,
    fingerprint: str,
    tabs: Sequence[OutputTab],
    marks: Sequence[CellMark],
    now: dt.datetime,
) -> bool:
    try:
        data = json.loads(last_write_path(config).read_text("utf-8"))
        shown, day, token = str(data["shown"]), str(data["day"]), str(data["workbook"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if shown != fingerprint or day != now.date().isoformat():
        return False
    return workbook.shows_last_write(token, tabs, marks)


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
