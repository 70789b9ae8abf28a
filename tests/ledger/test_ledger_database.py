"""The ledger's connection: WAL, a busy timeout, explicit transactions, errors wrapped once."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from ledger_samples import AUG, IMPORTED_AT, lines_frame, meta, orders_export

from sheetsync.errors import LedgerError
from sheetsync.ledger.schema import SCHEMA_VERSION
from sheetsync.ledger.store import Ledger


def test_a_new_ledger_has_the_latest_schema_in_wal_mode(ledger: Ledger) -> None:
    conn = ledger.connection
    assert ledger.schema_version == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert ledger.integrity_ok() and ledger.integrity_ok(quick=True)


def test_a_file_that_is_not_a_database_is_a_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LedgerError, match="backup"):
        Ledger.open(path)
    assert path not in _open_files()  # the refused file's handle is closed, not left to GC


def _open_files() -> set[Path]:
    folder = Path("/proc/self/fd")
    if not folder.is_dir():
        pytest.skip("no /proc/self/fd to list open files")
    found = set()
    for entry in folder.iterdir():
        with contextlib.suppress(OSError):
            found.add(Path(os.readlink(entry)))
    return found


def test_a_write_lock_held_too_long_is_a_retryable_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path, busy_timeout_ms=50) as ledger:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process is writing
        try:
            with pytest.raises(LedgerError) as caught:
                ledger.store_export(
                    meta("a"),
                    orders_export(lines_frame([("A1", "completed", AUG)])),
                    imported_at=IMPORTED_AT,
                )
            assert caught.value.retryable
            assert not ledger.connection.in_transaction
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert ledger.line_count() == 0


def test_readers_see_whole_imports_while_a_writer_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as writer, Ledger.open(path) as reader:
        writer.store_export(
            meta("a"),
            orders_export(lines_frame([("A1", "completed", AUG)])),
            imported_at=IMPORTED_AT,
        )
        with writer.transaction() as conn:  # an import in progress, not yet committed
            conn.execute("DELETE FROM files")  # the file row, its blob and months with it
            assert reader.line_count() == 1  # WAL: the reader is not blocked, sees the old state
        assert reader.line_count() == 0


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "sheetsync-checkpoint"]


def test_commits_reach_the_ledger_file_in_the_background(tmp_path: Path) -> None:
    """The WAL is copied into the ledger file by the checkpointer's own thread, well
    before SQLite's own checkpoint (8000 pages) would: the file grows without a close."""
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        before = path.stat().st_size
        with ledger.transaction() as conn:
            conn.execute("CREATE TABLE filler (data BLOB)")
            conn.execute("INSERT INTO filler VALUES (?)", (bytes(2_000_000),))
        deadline = time.monotonic() + 10
        while path.stat().st_size < before + 2_000_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert path.stat().st_size >= before + 2_000_000
        assert len(_checkpoint_threads()) == 1


def test_closing_the_ledger_ends_its_checkpointer(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        export = orders_export(lines_frame([("2608A", "COMPLETED", AUG)]))
        ledger.store_export(meta("aug.csv"), export, imported_at=IMPORTED_AT)
        assert _checkpoint_threads()
    assert not _checkpoint_threads()


def test_a_ledger_only_read_starts_no_thread(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    Ledger.open(path).close()  # created and migrated: committed
    with Ledger.open(path) as ledger:
        assert ledger.order_lines_for_months(["2026-08"]).empty
        assert not _checkpoint_threads()
