"""The Ledger: one open ledger file, with everything it stores, behind one object.

`Ledger.open(path)` connects (WAL, database.py) and migrates (schema.py, a backup first
when the file holds an older schema); the object then reads and writes each kind of
record through the part that stores it: the manifest of files (files.py), order lines
(lines.py), what is held per shop and month (coverage.py), listing snapshots
(listings.py), runs (runs.py), KPI snapshots and the KPI cache (kpis.py), backups and
integrity checks (maintenance.py). Sends are read and written by sendlog.SendLog on the
ledger's connection.
"""

from __future__ import annotations

from pathlib import Path

from sheetsync.errors import LedgerError
from sheetsync.ledger.coverage import Coverage
from sheetsync.ledger.database import connect
from sheetsync.ledger.files import Manifest
from sheetsync.ledger.kpis import KpiStore
from sheetsync.ledger.lines import OrderLines
from sheetsync.ledger.listings import Listings
from sheetsync.ledger.maintenance import Maintenance
from sheetsync.ledger.runs import Runs
from sheetsync.ledger.schema import migrate


class Ledger(Manifest, OrderLines, Coverage, Listings, Runs, KpiStore, Maintenance):
    """One open ledger file; use `Ledger.open(path)` as a context manager."""

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        backups: Path | str | None = None,
        busy_timeout_ms: int = 30_000,
    ) -> Ledger:
        """Open (creating if needed) and migrate; back up first when an old schema is found."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(f"Cannot create the ledger folder {path.parent}: {exc}") from exc
        ledger = cls(connect(path, busy_timeout_ms), path)
        try:
            migrate(ledger, Path(backups) if backups else path.parent / "backups")
        except BaseException:
            ledger.close()
            raise
        return ledger
