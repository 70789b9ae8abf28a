"""The record of every run."""

from __future__ import annotations

import datetime as dt

from sheetsync.ledger.store import Ledger
from sheetsync.runlog import RunRecord


def test_runs_round_trip_newest_first(ledger: Ledger) -> None:
    first = RunRecord("sync", dt.datetime(2026, 9, 1, 6), dt.datetime(2026, 9, 1, 6, 2), "ok")
    first.files_imported, first.changes = 3, ["Agustus 2026: transaksi 120 → 118"]
    second = RunRecord("monthly", dt.datetime(2026, 9, 1, 7), None, "failed", message="SMTP")
    ledger.record_run(first)
    ledger.record_run(second)
    assert ledger.recent_runs(limit=10) == [second, first]
    assert ledger.recent_runs(limit=1) == [second]
