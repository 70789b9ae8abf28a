"""The SQLite connection under the ledger: WAL, explicit transactions, errors wrapped once.

Why SQLite in WAL mode: one file an operator can copy, readers never block the single
writer, and a crash (SIGKILL, power cut) leaves either a whole transaction or none of it.
`Database` is what every part of the ledger (files, lines, listings, runs, KPIs,
maintenance) builds on: the open connection, `transaction()`, and `ledger_errors`, which
turns a failure of the ledger itself into a LedgerError while data errors reach the caller.
"""

from __future__ import annotations

import functools
import logging
import os
import select
import sqlite3
import threading
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
log = logging.getLogger(__name__)


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
        self._checkpointer: Checkpointer | None = None  # started by the first commit
        self.stored_blobs = StoredBlobs()

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
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
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
        self._committed()

    def _committed(self) -> None:
        """Tell the checkpointer (started here, by the first commit: a ledger only read
        never starts a thread) that the WAL grew."""
        if self._checkpointer is None:
            try:
                self._checkpointer = Checkpointer(self.path)
            except RuntimeError as exc:  # no thread to be had: SQLite checkpoints as before
                log.warning("background checkpoints off for %s: %s", self.path, exc)
                return
        self._checkpointer.wal_grew()


class StoredBlobs:
    """The order blobs this connection stored, by file id, kept in memory for the rest of
    the run (up to LIMIT_BYTES in all).

    Why: a sync imports a month and then reads that same month back for its KPIs. At
    province scale, fetching the blobs again from SQLite (page by page, 40 MB of them)
    was a fifth of the KPIs' time, on the one thread that feeds the decoders, while the
    bytes were in memory a moment before. A file's blob is written once and never
    changed (a newer export is another file, another id), so a kept blob is never stale;
    it is kept only once its transaction has committed.
    """

    LIMIT_BYTES = 256 * 1024**2

    def __init__(self) -> None:
        self._blobs: dict[int, bytes] = {}
        self._bytes = 0

    def keep(self, file_id: int, blob: bytes) -> None:
        if self._bytes + len(blob) <= self.LIMIT_BYTES:
            self._blobs[file_id] = blob
            self._bytes += len(blob)

    def get(self, file_id: int) -> bytes | None:
        return self._blobs.get(file_id)

    def __len__(self) -> int:
        return len(self._blobs)


class Checkpointer:
    """Copies the WAL into the ledger file on a thread of its own, with its own connection.

    Why: SQLite checkpoints in the committing thread once the WAL holds 8000 pages, and a
    checkpoint waits for the disk (0.1-0.2 s at province scale). During an import the
    reader processes keep working meanwhile, but the checkpoint that falls on the last
    files, and the one at close, each held up the whole run. Here the waiting happens
    beside the run: a PASSIVE checkpoint never blocks the writer or readers, and SQLite
    keeps it crash-safe (a SIGKILL mid-checkpoint leaves the WAL to be copied again).
    Commits are gathered: at most one checkpoint every CHECKPOINT_EVERY_S. The writer's
    own autocheckpoint stays as the safety net should this thread fall behind or fail.
    """

    CHECKPOINT_EVERY_S = 0.25

    def __init__(self, path: Path) -> None:
        self._path = path
        self._grew = threading.Event()
        self._stopping = threading.Event()
        # the pause between checkpoints is a select() on this pipe, which stop() writes to:
        # a timed Event.wait never returns under libfaketime (a clock test's shifted time)
        self._wake_reader, self._wake_writer = os.pipe()
        self._thread = threading.Thread(target=self._run, name="sheetsync-checkpoint",
                                        daemon=True)  # fmt: skip
        self._thread.start()

    def wal_grew(self) -> None:
        self._grew.set()

    def stop(self) -> None:
        """End the thread at once (the connection that closes the ledger copies what is
        left)."""
        self._stopping.set()
        self._grew.set()
        os.write(self._wake_writer, b"!")
        self._thread.join()
        os.close(self._wake_reader)
        os.close(self._wake_writer)

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(self._path, isolation_level=None)
        except sqlite3.Error as exc:
            log.warning("background checkpoints off for %s: %s", self._path, exc)
            return
        try:
            while self._grew.wait() and not self._stopping.is_set():
                select.select([self._wake_reader], [], [], self.CHECKPOINT_EVERY_S)
                if self._stopping.is_set():
                    break
                self._grew.clear()
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as exc:  # the writer's autocheckpoint still copies the WAL
            log.warning("background checkpoint of %s failed: %s", self._path, exc)
        finally:
            connection.close()


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version a connection's file is at (`PRAGMA user_version`; 0: new)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """WAL, foreign keys, a busy timeout; autocommit mode so transactions are explicit."""
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
        _configure(conn, busy_timeout_ms)
    except sqlite3.Error as exc:
        if conn is not None:  # a file that is not a ledger: its handle is not left open
            conn.close()
        raise _open_failed(path, exc) from exc
    return conn


def _configure(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    _use_wal(conn, busy_timeout_ms / 1000)
    conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable across process crashes
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
    # checkpoint every ~32 MB of WAL, not every 4 MB: each checkpoint syncs the disk,
    # and at province scale the default made imports a third slower
    conn.execute("PRAGMA wal_autocheckpoint = 8000")


def _open_failed(path: Path, exc: sqlite3.Error) -> LedgerError:
    if isinstance(exc, sqlite3.OperationalError):
        locked = "locked" in str(exc) or "busy" in str(exc)
        hint = "Another program holds it; try again later." if locked else "Check the path."
        return LedgerError(f"Cannot open the ledger {path}: {exc}. {hint}", retryable=locked)
    return LedgerError(
        f"Cannot open the ledger {path}: {exc}. Restore the newest backup or move the "
        "file away to start a new ledger."
    )


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
