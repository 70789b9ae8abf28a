"""The send ledger: which report went to whom, with what content, and when.

It lives in the same SQLite file as the order ledger (`config.ledger.path`) so one backup
holds both, and it is what makes sending exactly-once: a delivery is sent only when no
`sent` row exists for (month, recipient, report_key), or when the content hash of the
report changed and a revision is asked for. A row is committed right after the SMTP
server accepted the message, so a crash later in the run never causes a second send.

It is the ledger's `sends` and `send_figures` tables, which the ledger's migrations create
like every other table (schema.py, v1 and v3): a send log works on a ledger opened, and so
migrated, by `Ledger.open`. Times are written in the ledger's format (stamps.py). This is
the only code that reads or writes sends.
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
from sheetsync.ledger.database import schema_version
from sheetsync.ledger.schema import SCHEMA_VERSION
from sheetsync.ledger.stamps import STAMP
from sheetsync.ledger.store import Ledger

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


class SendLog:
    """The `sends` table on the open connection of a migrated ledger."""

    def __init__(self, connection: sqlite3.Connection, *, owner: Closable | None = None) -> None:
        """Use the ledger's own connection (`SendLog(ledger.connection)`) inside a run.

        The tables are the ledger's: a connection to a file the ledger has not migrated
        (opened without `Ledger.open`) is refused here, not at the first send.
        """
        self._db = connection
        self._owner = owner
        try:
            version = schema_version(connection)
        except sqlite3.Error as exc:
            raise LedgerError(f"Cannot prepare the send ledger table: {exc}") from exc
        if version < SCHEMA_VERSION:
            raise LedgerError(
                f"The send ledger needs a migrated ledger (schema v{SCHEMA_VERSION}, this one "
                f"is v{version}): open it with Ledger.open or SendLog.open."
            )

    @classmethod
    def open(cls, path: Path) -> SendLog:
        """Open the ledger file through `Ledger.open`, so its migrations have run."""
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
