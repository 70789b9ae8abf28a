"""The SQLite connection under the ledger: WAL, explicit transactions, errors wrapped once.

Why SQLite in WAL mode: one file an operator can copy, readers never block the single
writer, and a crash (SIGKILL, power cut) leaves either a whole transaction or none of it.
`Database` is what every part of the ledger (files, lines, listings, runs, KPIs,
maintenance) builds on: the open connection, `transaction()`, and `ledger_errors`, which
turns a failure of the ledger itself into a LedgerError while data errors reach the caller.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import ParamSpec, Self, TypeVar

from sheetsync.errors import LedgerError

# Errors that come from the data handed in (a bad frame), not from the ledger itself: the
# caller decides (ingest marks that one file as failed). Everything else is a LedgerError.
DATA_ERRORS = (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.ProgrammingError,
               sqlite3.InterfaceError)  # fmt: skip
_P = ParamSpec("_P")
_R = TypeVar("_R")


def ledger_errors(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Wrap sqlite3 failures of the ledger itself once, here, as LedgerError.

    "database is locked" (another process held the write lock longer than busy_timeout)
    is retryable; disk full, I/O errors and corruption are not.
    """

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except DATA_ERRORS:
            raise
        except sqlite3.Error as exc:
            locked = "locked" in str(exc) or "busy" in str(exc)
            raise LedgerError(f"The ledger failed: {exc}.", retryable=locked) from exc

    return wrapper


class Database:
    """One open ledger file: its connection, its path, and explicit transactions."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    @property
    def schema_version(self) -> int:
        return schema_version(self.connection)

    def _rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (then re-raised)."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self._rollback()
            raise
        self.connection.execute("COMMIT")


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version a connection's file is at (`PRAGMA user_version`; 0: new)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """WAL, foreign keys, a busy timeout; autocommit mode so transactions are explicit."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _use_wal(conn, busy_timeout_ms / 1000)
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable across process crashes
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
        # checkpoint every ~32 MB of WAL, not every 4 MB: each checkpoint syncs the disk,
        # and at province scale the default made imports a third slower
        conn.execute("PRAGMA wal_autocheckpoint = 8000")
    except sqlite3.OperationalError as exc:
        locked = "locked" in str(exc) or "busy" in str(exc)
        hint = "Another program holds it; try again later." if locked else "Check the path."
        raise LedgerError(
            f"Cannot open the ledger {path}: {exc}. {hint}", retryable=locked
        ) from exc
    except sqlite3.DatabaseError as exc:
        raise LedgerError(
            f"Cannot open the ledger {path}: {exc}. Restore the newest backup or move the "
            "file away to start a new ledger."
        ) from exc
    return conn


def _use_wal(conn: sqlite3.Connection, timeout_s: float) -> None:
    """Switch a new ledger to WAL (it stays so). SQLite answers "locked" at once, without
    its busy handler, when several processes make that switch together: so wait here."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    if str(mode).lower() != "wal":  # e.g. a network share without shared memory
        raise sqlite3.OperationalError(
            f"WAL journal not available here (got {mode}); keep the ledger on a local disk"
        )
