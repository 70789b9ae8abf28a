"""How long `validate_workbook` takes on a large programme (not part of `make test`).

Run: .venv/bin/python bench/bench_validate.py [SHOPS]
A province-sized programme: 2,000 villages, 4,000 ambassadors, SHOPS shops (default 50,000),
a target per village and a report per ambassador, with 1 % of the reference cells misspelt
so the suggestion path (difflib) is exercised too.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import tracemalloc

from sheetsync.contract import DESA, DUTA, LAPORAN_DUTA, TARGET, TOKO
from sheetsync.tabs import SheetTable
from sheetsync.validate import cell_marks, validate_workbook, validation_tab


def table(name: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> SheetTable:
    return SheetTable(name, header, tuple(rows))


def programme(shops: int) -> dict[str, SheetTable]:
    codes = [
        f"19.{k // 400 + 1:02d}.{k // 40 % 10 + 1:02d}.{2000 + k % 40:04d}" for k in range(2000)
    ]
    villages = [(c, f"Desa Nomor {i}", f"Kecamatan {i // 40}") for i, c in enumerate(codes)]
    ambassadors = [
        (f"DD-{i:05d}", f"Duta {i}", codes[i % 2000], "0812-3456-7890", f"duta{i}@desa.id", "Ya")
        for i in range(4000)
    ]
    shop_rows = [
        (f"T-{i:06d}", "Shopee", f"Toko {i}", "Pemilik", codes[i % 2000],
         "Desa Nomor 7x" if i % 100 == 0 else f"DD-{i % 4000:05d}", "02/08/2026")
        for i in range(shops)
    ]  # fmt: skip
    targets = [("2026-08", c, "3", "20", "50", "Rp 1.250.000") for c in codes]
    reports = [
        ("02/09/2026 14.03.22", f"DD-{i:05d}", "2026-08", "4", "35", "2", "12", "")
        for i in range(4000)
    ]
    return {
        "Desa": table("Desa", DESA.headers, villages),
        "Duta": table("Duta", DUTA.headers, ambassadors),
        "Toko": table("Toko", TOKO.headers, shop_rows),
        "Target": table("Target", TARGET.headers, targets),
        "Laporan Duta": table("Laporan Duta", LAPORAN_DUTA.headers, reports),
    }


def main() -> None:
    shops = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    tables = programme(shops)
    tracemalloc.start()
    started = time.perf_counter()
    registry, report = validate_workbook(tables, as_of=dt.datetime(2026, 9, 10, 8))
    marks = cell_marks(report)
    tab = validation_tab(report, run_at=dt.datetime(2026, 9, 10, 8))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    rows = sum(len(t.rows) for t in tables.values())
    print(
        f"{rows:,} staff rows ({shops:,} shops): {elapsed:.2f} s, peak {peak:.0f} MiB; "
        f"{len(report):,} issues, {len(marks):,} marks, {len(tab.rows):,} Validasi rows, "
        f"{len(registry.shops):,} shops kept"
    )


if __name__ == "__main__":
    main()
