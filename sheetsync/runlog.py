"""The run log: one record per run, kept as JSON lines (rotated) and shown in the `Log` tab.

A run's record is stored as "running" when it starts and completed when it ends, so a
run that was killed leaves a record: the next run marks it "interrupted".

The `Log` tab is an output tab and is rewritten whole from the ledger's `runs` table
whenever a sync writes (so "append a row" is atomic like every other write); a sync that
changed nothing and finds no other run to show writes nothing (`rows_worth_a_write`). The
JSON-lines file is the operator's local record, readable with `tail` or `jq` when the
spreadsheet is unreachable.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sheetsync.tabs import OutputTab

LOG_FILE_NAME = "sheetsync-runs.jsonl"
MAX_LOG_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5
INTERRUPTED_MESSAGE = (
    "Proses berhenti sebelum selesai (dimatikan, kehabisan memori atau server mati). Tidak "
    "ada yang hilang: sinkronisasi berikutnya mengulang langkah yang belum selesai."
)


@dataclass(slots=True)
class RunRecord:
    """What one run did; the columns of the `Log` tab."""

    command: str
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    status: str = "running"  # running | ok | blocked (sync, not published) | failed | interrupted
    files_imported: int = 0
    rows_rejected: int = 0
    validation_errors: int = 0
    validation_warnings: int = 0
    sheets_requests: int = 0
    emails_sent: int = 0
    message: str = ""
    changes: list[str] = field(default_factory=list)
    run_id: int | None = None  # its row in the ledger's runs table, once started
    registry: dict[str, int] = field(default_factory=dict)  # rows read per tab (sync)
    # the run's start on the monotonic clock: its end is measured, not read from the wall
    # clock again (one clock read per run; a clock step mid-run cannot reorder the log)
    started_monotonic: float = field(default_factory=time.monotonic, repr=False, compare=False)

    def mark_ended(self) -> None:
        """Set `ended_at` to the start plus the time the run took."""
        elapsed = max(time.monotonic() - self.started_monotonic, 0.0)
        self.ended_at = self.started_at + dt.timedelta(seconds=round(elapsed, 3))

    def as_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        data.pop("started_monotonic")
        for key in ("started_at", "ended_at"):
            value = data[key]
            data[key] = value.isoformat(timespec="seconds") if value else None
        return json.dumps(data, ensure_ascii=False)


LOG_TAB_HEADER = (
    "Mulai",
    "Selesai",
    "Perintah",
    "Status",
    "File Diimpor",
    "Baris Ditolak",
    "Error Validasi",
    "Peringatan Validasi",
    "Permintaan Sheets",
    "Email Terkirim",
    "Keterangan",
)


def log_tab(records: list[RunRecord]) -> OutputTab:
    """The `Log` tab: newest run first."""
    rows = [
        (
            _stamp(r.started_at),
            _stamp(r.ended_at),
            r.command,
            r.status,
            r.files_imported,
            r.rows_rejected,
            r.validation_errors,
            r.validation_warnings,
            r.sheets_requests,
            r.emails_sent,
            "; ".join([r.message, *r.changes]).strip("; ")[:45000],
        )
        for r in sorted(records, key=lambda r: r.started_at, reverse=True)
    ]
    return OutputTab("Log", LOG_TAB_HEADER, rows)


def rows_worth_a_write(tab: OutputTab) -> list[tuple[object, ...]]:
    """The rows of a `Log` tab that a sync must show as soon as they are new: every run
    but a sync that ended ok. Such a sync either changed something (and writes anyway) or
    changed nothing and is shown at the next write; a send, a report, a failed, blocked or
    interrupted run is news for staff (pipeline.outputs.write_workbook)."""
    command, status = LOG_TAB_HEADER.index("Perintah"), LOG_TAB_HEADER.index("Status")
    return [tuple(r) for r in tab.rows if (r[command], r[status]) != ("sync", "ok")]


def _stamp(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def append_json_line(log_dir: Path, record: RunRecord) -> Path:
    """Append the record to the rotated JSON-lines file in `log_dir`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    try:
        handler.emit(logging.makeLogRecord({"msg": record.as_json(), "levelno": logging.INFO}))
    finally:
        handler.close()
    return path
