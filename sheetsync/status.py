"""`sheetsync status`: the state of the programme on one screen (at most 24 lines).

Read-only: the ledger (runs, files, KPI snapshots, sends), the inbox folder, the reports
folder and the `Validasi` tab the last sync wrote. Nothing is computed again, so it is
quick and safe beside a running worker.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheetsync.config import Config
from sheetsync.issues import Severity
from sheetsync.messages import SEVERITY_LABELS, VALIDASI_HEADERS
from sheetsync.months import month_label, month_of, previous_month
from sheetsync.runlog import RunRecord
from sheetsync.tabs import SheetTable

MAX_LINES = 24
TOP_ERRORS = 3
REPORT_FORMATS = ("pdf", "html", "xlsx")


@dataclass(slots=True)
class ProgrammeStatus:
    """What `status` shows; every field is read, none computed from raw data."""

    now: dt.datetime
    last_sync: RunRecord | None = None
    last_run: RunRecord | None = None
    inbox_waiting: list[str] = field(default_factory=list)
    rejected_files: list[str] = field(default_factory=list)
    validation_errors: int | None = None
    top_errors: list[tuple[int, str]] = field(default_factory=list)  # (count, example)
    months_computed: list[str] = field(default_factory=list)
    report_month: str = ""
    reports_written: int = 0
    emails_sent: int = 0
    next_sync: dt.datetime | None = None
    next_monthly: dt.datetime | None = None


def inbox_files(inbox: Path) -> list[Path]:
    """Regular files in the shop folders (hidden files and folders skipped, links not left)."""
    if not inbox.is_dir():
        return []
    found = []
    for folder in sorted(p for p in inbox.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found += [
            p
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink() and not p.name.startswith((".", "~$"))
        ]
    return found


def waiting_files(inbox: Path, known: Iterable[tuple[str, int]]) -> list[str]:
    """Inbox files no import has seen under this name and size: the next sync reads them."""
    seen = set(known)
    waiting = []
    for path in inbox_files(inbox):
        source = path.relative_to(inbox).as_posix()
        if (source, path.stat().st_size) not in seen:
            waiting.append(source)
    return waiting


def top_errors(table: SheetTable | None) -> tuple[int | None, list[tuple[int, str]]]:
    """Error rows of the Validasi tab: how many, and the most frequent kinds with an example."""
    if table is None or tuple(table.header[:7]) not in {h[:7] for h in VALIDASI_HEADERS.values()}:
        return None, []
    errors = [r for r in table.rows if r[0] == SEVERITY_LABELS["id"][Severity.ERROR]]
    kinds = Counter(r[1] for r in errors)
    example: dict[str, str] = {}
    for row in errors:  # level, code, source, row, column, value, message, time
        where = f"{row[2]} baris {row[3]}" if row[3] else row[2]
        example.setdefault(row[1], f"{where}: {row[6]}")
    return len(errors), [(n, example[k]) for k, n in kinds.most_common(TOP_ERRORS)]


def next_slot(now: dt.datetime, times: Sequence[str]) -> dt.datetime | None:
    """The next of the daily `HH:MM` times after `now`."""
    slots = sorted(
        dt.datetime.combine(now.date() + dt.timedelta(days=d), _time(t))
        for d in (0, 1)
        for t in times
    )
    return next((s for s in slots if s > now), None)


def _time(hhmm: str) -> dt.time:
    hour, minute = hhmm.split(":")
    return dt.time(int(hour), int(minute))


def next_monthly(now: dt.datetime, day: int, hhmm: str) -> dt.datetime:
    """The next monthly run: `day` of this month at `hhmm`, else of the next month."""
    at = _time(hhmm)
    this = dt.datetime.combine(now.date().replace(day=day), at)
    if this > now:
        return this
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return dt.datetime.combine(dt.date(year, month, day), at)


def count_reports(out: Path, month: str) -> int:
    folder = out / month
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.rglob("*") if p.suffix.lstrip(".") in REPORT_FORMATS)


def report_month_of(now: dt.datetime) -> str:
    return previous_month(month_of(now))


def schedule_for(status: ProgrammeStatus, config: Config) -> None:
    worker = config.worker
    status.next_sync = next_slot(status.now, worker.sync_times)
    status.next_monthly = next_monthly(status.now, worker.monthly_day, worker.monthly_time)


# ------------------------------------------------------------------ the screen


def status_lines(status: ProgrammeStatus, width: int = 80) -> list[str]:
    """At most MAX_LINES lines, each at most `width` wide."""
    lines = [
        f"sheetsync status — {status.now:%Y-%m-%d %H:%M}",
        *_run_lines(status),
        *_inbox_lines(status),
        *_validation_lines(status),
        *_month_lines(status),
        *_schedule_lines(status),
    ]
    return [_fit(line, width) for line in lines[:MAX_LINES]]


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _run_lines(status: ProgrammeStatus) -> list[str]:
    sync = status.last_sync
    if sync is None:
        return ["Sync terakhir : belum pernah (jalankan: sheetsync sync)"]
    lines = [
        f"Sync terakhir : {_stamp(sync.ended_at or sync.started_at)}  {_result(sync.status)}",
        f"                {sync.files_imported} file diimpor, {sync.rows_rejected} baris ditolak",
    ]
    if sync.status != "ok" and sync.message:
        lines.append(f"                {sync.message}")
    other = status.last_run
    if other is not None and other is not sync:
        stamp = _stamp(other.ended_at or other.started_at)
        lines.append(f"Run terakhir  : {other.command} {stamp}  {_result(other.status)}")
    return lines


def _inbox_lines(status: ProgrammeStatus) -> list[str]:
    lines = [
        f"Inbox         : {len(status.inbox_waiting)} file menunggu impor, "
        f"{len(status.rejected_files)} file ditolak"
    ]
    for source in status.rejected_files[:2]:
        lines.append(f"  ditolak: {source}")
    if len(status.rejected_files) > 2:
        lines.append(f"  … dan {len(status.rejected_files) - 2} lagi (lihat tab Validasi)")
    return lines


def _validation_lines(status: ProgrammeStatus) -> list[str]:
    if status.validation_errors is None:
        return ["Validasi      : belum ada (tab Validasi kosong)"]
    lines = [f"Validasi      : {status.validation_errors} error di tab Validasi"]
    lines += [f"  {count}× {example}" for count, example in status.top_errors]
    return lines


def _month_lines(status: ProgrammeStatus) -> list[str]:
    computed = ", ".join(status.months_computed[-4:]) or "belum ada"
    more = len(status.months_computed) - 4
    label = month_label(status.report_month)
    return [
        f"KPI dihitung  : {computed}" + (f" (+{more} bulan lebih awal)" if more > 0 else ""),
        f"Laporan       : {label}: {status.reports_written} file ditulis, "
        f"{status.emails_sent} email terkirim",
    ]


def _schedule_lines(status: ProgrammeStatus) -> list[str]:
    sync = _stamp(status.next_sync) if status.next_sync else "tidak dijadwalkan"
    monthly = _stamp(status.next_monthly) if status.next_monthly else "–"
    return [f"Jadwal        : sync berikut {sync}; bulanan {monthly}"]


def _stamp(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "–"


def _result(status: str) -> str:
    return {"ok": "berhasil", "failed": "GAGAL", "locked": "dilewati (run lain berjalan)"}.get(
        status, status
    )


# ------------------------------------------------------------------ reading it


def read_status(config: Config, now: dt.datetime) -> ProgrammeStatus:
    """Everything `status` shows, read from the ledger, the folders and the Validasi tab."""
    from sheetsync.pipeline import open_ledger

    status = ProgrammeStatus(now=now, report_month=report_month_of(now))
    if config.ledger.path.is_file():
        with open_ledger(config) as ledger:
            _from_ledger(status, ledger, config)
    else:
        status.inbox_waiting = waiting_files(config.inbox.path, ())
    status.validation_errors, status.top_errors = top_errors(_validasi(config))
    status.reports_written = count_reports(config.reports.out, status.report_month)
    schedule_for(status, config)
    return status


def _from_ledger(status: ProgrammeStatus, ledger: Any, config: Config) -> None:
    from sheetsync.ledger import SendLog, SendResult

    runs = ledger.recent_runs(limit=200)
    status.last_run = runs[0] if runs else None
    status.last_sync = next((r for r in runs if r.command == "sync"), None)
    files = ledger.files()
    status.inbox_waiting = waiting_files(config.inbox.path, ((f.source, f.size) for f in files))
    newest = {f.source: f for f in files}  # import order: the last record of a name wins
    inbox = config.inbox.path
    status.rejected_files = [
        s for s, f in newest.items() if f.status == "rejected" and (inbox / s).is_file()
    ]
    status.months_computed = ledger.kpi_months()
    sent = SendLog(ledger.connection).history(status.report_month)
    status.emails_sent = sum(1 for r in sent if r.result is SendResult.SENT)


def _validasi(config: Config) -> SheetTable | None:
    """The Validasi tab of the last sync; None when the workbook cannot be read now."""
    from sheetsync.errors import SheetsyncError
    from sheetsync.pipeline import open_workbook
    from sheetsync.validate import VALIDATION_TAB

    try:
        return open_workbook(config).read_tabs([VALIDATION_TAB]).get(VALIDATION_TAB)
    except SheetsyncError:
        return None
