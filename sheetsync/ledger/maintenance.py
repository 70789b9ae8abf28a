"""Keeping the ledger file safe: online backups with retention, and integrity checks.

A backup is SQLite's online copy (consistent while others read); daily ones are kept
`keep` deep, and a migration's copy has its own label so retention never deletes it. The
quick check reads the whole file (seconds at province scale), so it runs once a programme
day, remembered in the `maintenance` table, and on every run while it finds damage.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

from sheetsync.errors import LedgerError
from sheetsync.ledger.database import Database, ledger_errors


class Maintenance(Database):
    """Backups and integrity checks of one open ledger."""

    @ledger_errors
    def backup(
        self,
        dest_dir: Path | str,
        keep: int,
        *,
        label: str = "daily",
        now: dt.datetime,
    ) -> Path:
        """Online backup (consistent even while others read) into `dest_dir`.

        Keeps the newest `keep` backups with the same label (0 = keep all); migrations
        use their own label so daily retention never deletes a pre-migration copy. `now`
        names the file: programme-local time from the run's clock (an aware UTC time gets
        a "Z"), so the day in the name is the day `backup_daily` looks for.
        """
        dest_dir = Path(dest_dir)
        dest_dir.mkdir(parents=True, exist_ok=True)
        stamp = now.strftime("%Y%m%d-%H%M%S") + ("Z" if now.tzinfo is not None else "")
        target = dest_dir / f"{self.path.stem}-{label}-{stamp}.sqlite"
        try:
            with contextlib.closing(sqlite3.connect(target)) as copy:  # closed on failure too
                self.connection.backup(copy)
        except sqlite3.Error as exc:
            raise LedgerError(f"Cannot back up the ledger to {target}: {exc}") from exc
        if keep > 0:
            _prune_backups(dest_dir, f"{self.path.stem}-{label}-", keep)
        return target

    @ledger_errors
    def backup_daily(self, dest_dir: Path | str, keep: int, *, now: dt.datetime) -> Path | None:
        """The daily backup, at most once a programme day (the worker may call this often).

        `now` is the run's programme-local time: the day it falls on decides both whether
        a backup exists already and the new file's name, so the two always agree.
        """
        prefix = f"{self.path.stem}-daily-{now:%Y%m%d}-"
        if any(p.name.startswith(prefix) for p in Path(dest_dir).glob("*.sqlite")):
            return None
        return self.backup(dest_dir, keep, label="daily", now=now)

    @ledger_errors
    def integrity_ok(self, *, quick: bool = False) -> bool:
        """PRAGMA integrity_check (quick_check is O(N) cheaper, skips index content)."""
        pragma = "quick_check" if quick else "integrity_check"
        try:
            rows = self.connection.execute(f"PRAGMA {pragma}").fetchall()
            fk_problems = self.connection.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError:
            return False
        return rows == [("ok",)] and not fk_problems

    @ledger_errors
    def integrity_ok_today(self, today: dt.date) -> bool:
        """quick_check at most once a day (it reads the whole file: seconds at province
        scale); a day that found damage checks again on every run until it is fixed."""
        row = self.connection.execute(
            "SELECT last_day, result FROM maintenance WHERE task = 'quick_check'"
        ).fetchone()
        if row is not None and row == (today.isoformat(), "ok"):
            return True
        healthy = self.integrity_ok(quick=True)
        try:
            with self.transaction() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO maintenance (task, last_day, result) "
                    "VALUES ('quick_check', ?, ?)",
                    (today.isoformat(), "ok" if healthy else "damaged"),
                )
        except sqlite3.DatabaseError:  # busy, or a damaged file refusing the note:
            pass  # the check stands; it simply runs again next time
        return healthy


def _prune_backups(dest_dir: Path, prefix: str, keep: int) -> None:
    copies = sorted(p for p in dest_dir.glob(f"{prefix}*.sqlite"))
    for old in copies[:-keep]:
        old.unlink(missing_ok=True)
