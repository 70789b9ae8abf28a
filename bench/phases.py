"""Phase by phase, what a sync spends on a ledger `bench_ingest.py` (or run.py) filled.

    .venv/bin/python bench/phases.py bench/out/ingest/1000000-500-csv

Times, one after the other in this process: reading 12 months of lines back from the
ledger (the Arrow table of the columns compute_kpis uses, as monthkpi reads them),
compute_kpis, storing and reading the month's cached result, the fingerprint of
the inputs, the daily quick_check, and one reader's hash + parse + pack of a sample of
files, file by file and then as ingest's reader processes do them, a batch of files a
task (lines kept in Arrow up to the blob; the readers run on every core during ingest).
Not a test; nothing asserts.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import MONTH, bench_registry

from sheetsync.ingest import drop_unstorable_lines, file_sha256, packed_for_writer
from sheetsync.ingest.read import BATCH_FILES, ArrowReader, _read_batch_safely
from sheetsync.kpi import compute_kpis
from sheetsync.kpi.compute import KPI_LINE_COLUMNS
from sheetsync.kpi_schema import KpiConfig
from sheetsync.ledger import Ledger
from sheetsync.marketplaces import read_export
from sheetsync.monthkpi import inputs_fingerprint
from sheetsync.months import months_back


def timed(label: str, run: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    print(f"{label:36} wall {time.perf_counter() - wall:6.2f} s   "
          f"cpu {time.process_time() - cpu:6.2f} s")  # fmt: skip
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path, help="folder with inbox/ and ledger.sqlite")
    parser.add_argument("--sample", type=int, default=50, help="files read for the reader")
    args = parser.parse_args()
    registry = bench_registry(args.work / "inbox")
    with Ledger.open(args.work / "ledger.sqlite") as ledger:
        months = months_back(MONTH, 12)
        lines = timed(
            "read 12 months of lines back",
            lambda: ledger.order_table_for_months(months, columns=KPI_LINE_COLUMNS),
        )
        listings = ledger.listing_snapshots(until_month=MONTH)
        result = timed("compute_kpis", lambda: compute_kpis(lines, registry, MONTH,
                                                             listings=listings))  # fmt: skip
        blob = timed("pickle the result", lambda: pickle.dumps(result, protocol=5))
        settings = KpiConfig()
        timed(
            "inputs fingerprint",
            lambda: inputs_fingerprint(ledger, registry, MONTH, settings, "kabupaten"),
        )
        timed("cache write + read", lambda: (ledger.cache_result(MONTH, "x", blob),
                                             ledger.cached_result(MONTH, "x")))  # fmt: skip
        timed("quick_check (now daily)", lambda: ledger.integrity_ok(quick=True))
    print(f"{lines.num_rows:,} lines, cached result {len(blob) / 1e6:.1f} MB")
    files = sorted((args.work / "inbox").glob("*/*.*"))[: args.sample]
    timed(f"readers: hash {len(files)} files", lambda: [file_sha256(p) for p in files])
    parsed = timed(f"readers: read {len(files)} files",
                   lambda: [read_export(p, arrow=True) for p in files])  # fmt: skip
    screened = timed("readers: drop_unstorable_lines",
                     lambda: [drop_unstorable_lines(p, "x") for p in parsed])  # fmt: skip
    timed("readers: pack as Arrow blobs", lambda: [packed_for_writer(p) for p in screened])
    jobs = [(p, p.name, True) for p in files]
    timed(f"readers: the same, {BATCH_FILES} files a task",
          lambda: [_read_batch_safely(ArrowReader(), jobs[i : i + BATCH_FILES])
                   for i in range(0, len(jobs), BATCH_FILES)])  # fmt: skip


if __name__ == "__main__":
    main()
