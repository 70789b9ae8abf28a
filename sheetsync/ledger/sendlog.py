"""The send ledger: which report went to whom, with what content, and when.

It lives in the same SQLite file as the order ledger (`config.ledger.path`) so one backup
holds both, and it is what makes sending exactly-once: a delivery is sent only when no
`sent` row exists for (month, recipient, report_key), or when the content hash of the
report changed and a revision is asked for. A row is committed right after the SMTP
server accepted the message, so a crash later in the run never causes a second send.

It is the ledger's `sends` table (ledger.py, migration v1) plus a `revision` column that
this module adds in place when missing; times are written in the ledger's format. This is
the only code that reads or writes sends (the ledger owns the table's migrations).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from sheetsync.errors import LedgerError

SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    recipient TEXT NOT NULL,
    report_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    result TEXT NOT NULL,
    message_id TEXT,
    error TEXT,
    revision INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sends_key ON sends (month, recipient, report_key, sent_at);
CREATE TABLE IF NOT EXISTS send_figures (
    send_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (send_id, position)
);
"""
# `send_figures` keeps the headline figures a message showed, so a revision can say
# "Penjualan: Rp 1.000.000 menjadi Rp 1.250.000" even after later syncs replaced the KPIs.
# ledger.py's v1 table has no `revision`; added in place (old rows are revision 0).
ADD_REVISION = "ALTER TABLE sends ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"
STAMP = "%Y-%m-%d %H:%M:%S"  # as ledger.py writes times, so both read each other's rows
_COLUMNS = (
    "month, recipient, report_key, content_hash, sent_at, result, message_id, error, revision"
)


class SendResult(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class SendRecord:
    """One attempt to deliver one report to one recipient (naive programme-local time)."""

    month: str
    recipient: str
    report_key: str
    content_hash: str
    sent_at: dt.datetime
    result: SendResult
    message_id: str = ""
    error: str = ""
    revision: int = 0
    figures: tuple[tuple[str, str], ...] = ()  # (label, value) as shown in the message


class Closable(Protocol):
    def close(self) -> None: ...


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")}


class SendLog:
    """The `sends` table on an open SQLite connection (the ledger's, or its own)."""

    def __init__(self, connection: sqlite3.Connection, *, owner: Closable | None = None) -> None:
        """Use the ledger's own connection (`SendLog(ledger.connection)`) inside a run."""
        self._db = connection
        self._owner = owner
        try:
            self._db.executescript(SCHEMA)
            if "revision" not in _columns(self._db, "sends"):
                self._db.execute(ADD_REVISION)
        except sqlite3.Error as exc:
            raise LedgerError(f"Cannot prepare the send ledger table: {exc}") from exc

    @classmethod
    def open(cls, path: Path) -> SendLog:
        """Open the ledger file through ledger.py, so its migrations run before this table.

        (Creating `sends` first would make the ledger's own v1 migration fail.)
        """
        from sheetsync.ledger import Ledger

        ledger = Ledger.open(path)
        try:
            return cls(ledger.connection, owner=ledger)
        except BaseException:
            ledger.close()
            raise

    def close(self) -> None:
        """Closes the connection only when this send log opened it."""
        if self._owner is not None:
            self._owner.close()

    def __enter__(self) -> SendLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def record(self, record: SendRecord) -> None:
        """Store one attempt and commit at once: the exactly-once promise depends on it."""
        row = (
            record.month,
            record.recipient.strip(),
            record.report_key,
            record.content_hash,
            record.sent_at.strftime(STAMP),
            str(record.result),
            record.message_id,
            record.error,
            record.revision,
        )
        insert = f"INSERT INTO sends ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)"
        try:
            self._db.execute("BEGIN IMMEDIATE")
            send_id = self._db.execute(insert, row).lastrowid
            self._db.executemany(
                "INSERT INTO send_figures VALUES (?, ?, ?, ?)",
                [(send_id, n, label, value) for n, (label, value) in enumerate(record.figures)],
            )
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise LedgerError(f"Cannot record a send in the ledger: {exc}") from exc

    def last_sent(self, month: str, recipient: str, report_key: str) -> SendRecord | None:
        """The latest successful send of this report to this person, or None."""
        rows = self._select(
            "WHERE month = ? AND recipient = ? COLLATE NOCASE AND report_key = ? "
            "AND result = 'sent' "
            "ORDER BY revision DESC, id DESC LIMIT 1",
            (month, recipient.strip(), report_key),
        )
        return next(rows, None)

    def sent_count_on(self, day: dt.date) -> int:
        """Messages accepted by the server on `day` (programme-local): the daily cap's base."""
        start = dt.datetime.combine(day, dt.time()).strftime(STAMP)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).strftime(STAMP)
        query = "SELECT COUNT(*) FROM sends WHERE result = 'sent' AND sent_at >= ? AND sent_at < ?"
        with closing(self._db.execute(query, (start, end))) as cursor:
            return int(cursor.fetchone()[0])

    def history(self, month: str | None = None) -> list[SendRecord]:
        """Every attempt (of one month, or all), oldest first: for `send --status` and tests."""
        if month is None:
            return list(self._select("ORDER BY id", ()))
        return list(self._select("WHERE month = ? ORDER BY id", (month,)))

    def _select(self, where: str, params: tuple[object, ...]) -> Iterator[SendRecord]:
        query = f"SELECT id, {_COLUMNS} FROM sends {where}"
        try:
            rows = self._db.execute(query, params).fetchall()
            return iter([_record_from_row(row[1:], self._figures(row[0])) for row in rows])
        except sqlite3.Error as exc:
            raise LedgerError(f"Cannot read the send ledger: {exc}") from exc

    def _figures(self, send_id: int) -> tuple[tuple[str, str], ...]:
        rows = self._db.execute(
            "SELECT label, value FROM send_figures WHERE send_id = ? ORDER BY position",
            (send_id,),
        )
        return tuple((str(label), str(value)) for label, value in rows)


def _record_from_row(row: tuple[object, ...], figures: tuple[tuple[str, str], ...]) -> SendRecord:
    month, recipient, key, content_hash, sent_at, result, message_id, error, revision = row
    return SendRecord(
        month=str(month),
        recipient=str(recipient),
        report_key=str(key),
        content_hash=str(content_hash),
        sent_at=dt.datetime.fromisoformat(str(sent_at)),
        result=SendResult(str(result)),
        message_id=str(message_id or ""),
        error=str(error or ""),
        revision=int(revision or 0),  # type: ignore[call-overload]
        figures=figures,
    )
