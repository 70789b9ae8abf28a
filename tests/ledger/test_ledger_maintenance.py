"""Backups with retention, and the integrity check (daily, and again while damaged)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from ledger_samples import AUG, IMPORTED_AT, lines_frame, meta, orders_export

from sheetsync.ledger.store import Ledger


def test_a_damaged_ledger_fails_its_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        frame = lines_frame([(f"A{i:05d}", "completed", AUG) for i in range(3000)])
        ledger.store_export(meta("a"), orders_export(frame), imported_at=IMPORTED_AT)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 5 : page * 7] = b"\x00\xff" * page  # scribble over two b-tree pages
    path.write_bytes(bytes(data))
    with Ledger.open(path) as damaged:
        assert not damaged.integrity_ok()


def test_the_integrity_check_runs_once_a_day_and_again_while_damage_is_found(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite"
    monday, tuesday = dt.date(2026, 9, 7), dt.date(2026, 9, 8)
    with Ledger.open(path) as ledger:
        frame = lines_frame([(f"A{i:05d}", "completed", AUG) for i in range(3000)])
        ledger.store_export(meta("a"), orders_export(frame), imported_at=IMPORTED_AT)
        assert ledger.integrity_ok_today(monday)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096 * 5 : 4096 * 7] = b"\x00\xff" * 4096
    path.write_bytes(bytes(data))
    with Ledger.open(path) as damaged:
        assert damaged.integrity_ok_today(monday)  # checked today already: not read again
        assert not damaged.integrity_ok_today(tuesday)
        assert not damaged.integrity_ok_today(tuesday)  # damage found: checked every run


def test_backups_are_consistent_copies_with_retention(ledger: Ledger, tmp_path: Path) -> None:
    ledger.store_export(
        meta("a"), orders_export(lines_frame([("A1", "completed", AUG)])), imported_at=IMPORTED_AT
    )
    dest = tmp_path / "backups"
    made = [ledger.backup(dest, keep=2, now=dt.datetime(2026, 9, d, 3)) for d in (1, 2, 3, 4)]
    assert sorted(dest.glob("*.sqlite")) == made[2:]
    copy = sqlite3.connect(made[-1])
    assert copy.execute("SELECT SUM(lines) FROM order_blobs").fetchone()[0] == 1
    copy.close()


def test_the_daily_backup_runs_once_a_programme_day(ledger: Ledger, tmp_path: Path) -> None:
    morning, night = dt.datetime(2026, 12, 2, 0, 5), dt.datetime(2026, 12, 2, 23, 55)
    first = ledger.backup_daily(tmp_path / "b", keep=3, now=morning)
    assert first is not None and first.exists()
    assert first.name.endswith("-daily-20261202-000500.sqlite")
    assert ledger.backup_daily(tmp_path / "b", keep=3, now=night) is None
    next_day = ledger.backup_daily(tmp_path / "b", keep=3, now=dt.datetime(2026, 12, 3, 0, 1))
    assert next_day is not None and "-daily-20261203-" in next_day.name
