"""KPI snapshots: replaced per month in one transaction, kept whole through a crash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetsync.ledger.store import Ledger


def test_kpi_snapshots_are_replaced_per_month(ledger: Ledger) -> None:
    ledger.save_kpi_snapshot(
        "2026-08",
        {
            "village": [{"village_code": "19.02.04.2004", "sales_idr": 1_250_000, "share": 0.5}],
            "regency": {"": {"completed_orders": 120, "mom": None}},
        },
        computed_at=dt.datetime(2026, 9, 1),
    )
    assert ledger.kpi_snapshot("2026-08") == {
        "village": {"19.02.04.2004": {"sales_idr": 1_250_000, "share": 0.5}},
        "regency": {"": {"completed_orders": 120, "mom": None}},
    }
    ledger.save_kpi_snapshot(
        "2026-08", {"regency": {"": {"completed_orders": 118}}}, computed_at=dt.datetime(2026, 9, 2)
    )
    assert ledger.kpi_snapshot("2026-08") == {"regency": {"": {"completed_orders": 118}}}
    assert ledger.kpi_snapshot("2026-07") == {}


KPI_KILL_SCRIPT = """
import datetime as dt, os, signal, sys
from pathlib import Path
from sheetsync.ledger import Ledger

class DyingConnection:
    '''Passes everything through, but dies half-way through the next executemany.'''

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def executemany(self, sql, rows):
        rows = list(rows)
        self.real.executemany(sql, rows[: len(rows) // 2])
        os.kill(os.getpid(), signal.SIGKILL)

with Ledger.open(Path(sys.argv[1])) as ledger:
    ledger.connection = DyingConnection(ledger.connection)
    new = {"village": {f"V{i}": {"sales_idr": 999} for i in range(100)}}
    ledger.save_kpi_snapshot("2026-08", new, computed_at=dt.datetime(2026, 9, 2))
"""


def test_sigkill_during_a_kpi_snapshot_keeps_the_previous_one(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    path = tmp_path / "ledger.sqlite"
    old = {"village": {f"V{i}": {"sales_idr": i} for i in range(100)}}
    with Ledger.open(path) as ledger:
        ledger.save_kpi_snapshot("2026-08", old, computed_at=dt.datetime(2026, 9, 1))
    run = subprocess.run(
        [sys.executable, "-c", KPI_KILL_SCRIPT, str(path)], capture_output=True, timeout=120
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    with Ledger.open(path) as ledger:
        assert ledger.integrity_ok()
        assert ledger.kpi_snapshot("2026-08") == old
        assert ledger.kpi_snapshot_time("2026-08") == dt.datetime(2026, 9, 1)
