"""The record of every run (sync, report, send, ...) in the ledger's `runs` table.

A run stores its row when it starts ("running") and brings it up to date when it ends, so
a run that is killed in between still has its row; the next run marks it "interrupted".
The Log tab is rewritten from this table on each sync, and the newest sync that published
keeps the registry's row counts (the shrink check of a structurally broken staff tab).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from sheetsync.ledger.database import Database, ledger_errors
from sheetsync.ledger.stamps import parse_stamp, stamp

if TYPE_CHECKING:
    from sheetsync.runlog import RunRecord

_RUN_COLUMNS = ("command", "started_at", "ended_at", "status", "files_imported",
                "rows_rejected", "errors", "warnings", "sheets_requests", "emails_sent",
                "detail")  # fmt: skip
_RUN_FIELDS = ", ".join(_RUN_COLUMNS)
_RUN_MARKS = ", ".join("?" for _ in _RUN_COLUMNS)
_RUN_SET = ", ".join(f"{c} = ?" for c in _RUN_COLUMNS)


class Runs(Database):
    """The runs of one open ledger."""

    @ledger_errors
    def record_run(self, record: RunRecord) -> int:
        """Store the run: a new row, or its started row (`run_id`) brought up to date.

        Runs call this when they start (status "running") and when they end, so a run that
        is killed in between still has its row; `interrupt_stale_runs` closes it later.
        """
        values = _run_values(record)
        with self.transaction() as conn:
            if record.run_id is not None:
                conn.execute(f"UPDATE runs SET {_RUN_SET} WHERE id = ?", (*values, record.run_id))
                return record.run_id
            cursor = conn.execute(f"INSERT INTO runs ({_RUN_FIELDS}) VALUES ({_RUN_MARKS})", values)
        record.run_id = int(cursor.lastrowid or 0)
        return record.run_id

    @ledger_errors
    def interrupt_stale_runs(self, message: str) -> list[RunRecord]:
        """Runs still "running" are runs that were killed: the caller holds the run lock, so
        no other run can be in progress. They become "interrupted"; returned for the log."""
        stale = self._runs("WHERE status = 'running' ORDER BY id", ())
        for run in stale:
            run.status, run.message = "interrupted", message
            self.record_run(run)
        return stale

    @ledger_errors
    def last_good_registry(self) -> dict[str, int] | None:
        """Rows per registry tab at the newest sync that published (None: none yet)."""
        found = self._runs("WHERE command = 'sync' AND status = 'ok' ORDER BY id DESC LIMIT 1", ())
        return found[0].registry or None if found else None

    @ledger_errors
    def last_sync(self) -> RunRecord | None:
        found = self._runs("WHERE command = 'sync' ORDER BY id DESC LIMIT 1", ())
        return found[0] if found else None

    @ledger_errors
    def recent_runs(self, limit: int = 200) -> list[RunRecord]:
        """The newest `limit` runs, newest first."""
        return self._runs("ORDER BY id DESC LIMIT ?", (limit,))

    def _runs(self, tail: str, params: tuple[object, ...]) -> list[RunRecord]:
        from sheetsync.runlog import RunRecord

        rows = self.connection.execute(
            f"SELECT id, {_RUN_FIELDS} FROM runs {tail}", params
        ).fetchall()
        runs = []
        for run_id, command, started, ended, status, *counts, detail in rows:
            extra = json.loads(detail or "{}")
            run = RunRecord(command, parse_stamp(started) or dt.datetime.min, run_id=run_id)
            run.ended_at, run.status = parse_stamp(ended), status
            (
                run.files_imported,
                run.rows_rejected,
                run.validation_errors,
                run.validation_warnings,
                run.sheets_requests,
                run.emails_sent,
            ) = counts
            run.message, run.changes = extra.get("message", ""), extra.get("changes", [])
            run.registry = extra.get("registry", {})
            runs.append(run)
        return runs


def _run_values(record: RunRecord) -> tuple[object, ...]:
    """A RunRecord as the values of `_RUN_COLUMNS`."""
    return (
        record.command,
        stamp(record.started_at),
        stamp(record.ended_at),
        record.status,
        record.files_imported,
        record.rows_rejected,
        record.validation_errors,
        record.validation_warnings,
        record.sheets_requests,
        record.emails_sent,
        json.dumps(
            {"message": record.message, "changes": record.changes, "registry": record.registry}
        ),
    )
