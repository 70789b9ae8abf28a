"""How long compute_kpis takes on a million order lines (goal: about a second).

Run: .venv/bin/python bench/bench_kpi.py [LINES]. Not part of the test suite.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import numpy as np
import pandas as pd

from sheetsync.kpi import compute_kpis, resolve_orders
from sheetsync.model import Ambassador, Marketplace, Registry, Shop, Village

STATUSES = np.array(["completed", "cancelled", "returned", "unpaid", "in_progress"])


def synthetic_lines(count: int, shops: int = 2000, seed: int = 7) -> pd.DataFrame:
    """About `count` lines of ~count/1.6 orders over 12 months; one order in ten is seen
    again in a newer export (another snapshot) with a possibly different status."""
    rng = np.random.default_rng(seed)
    base = int(count / 1.1)
    order_no = rng.integers(0, int(count / 1.6), base)
    shop = order_no % shops
    start = np.datetime64("2025-09-01T00:00")
    minutes = (order_no * 7919) % (365 * 24 * 60)
    lines = pd.DataFrame(
        {
            "marketplace": np.where(shop % 2 == 0, "shopee", "tokopedia"),
            "order_id": pd.Series(order_no).astype(str).to_numpy(),
            "line_no": rng.integers(1, 4, base),
            "product_id": pd.Series(rng.integers(0, 50, base)).astype(str).to_numpy(),
            "product_name": "Produk",
            "variation": "",
            "quantity": rng.integers(1, 5, base),
            "unit_price_idr": rng.integers(1, 200, base) * 1000,
            "line_sales_idr": rng.integers(1, 800, base) * 1000,
            "status_raw": "",
            "return_status_raw": "",
            "status": STATUSES[rng.integers(0, 5, base)],
            "created_at": start + minutes.astype("timedelta64[m]"),
            "source_row": np.arange(base) + 2,
            "shop_id": pd.Series(shop).map(lambda s: f"T{s:05d}").to_numpy(),
            "file_id": 1 + shop,
            "file_rank": 1,
        }
    )
    again = lines[order_no % 10 == 0].copy()
    again["file_id"] += shops
    again["file_rank"] = 2
    again["status"] = STATUSES[rng.integers(0, 5, len(again))]
    return pd.concat([lines, again], ignore_index=True)


def registry(shops: int = 2000) -> Registry:
    villages = tuple(Village(f"V{i:03d}", f"Desa {i}", f"Kec {i % 12}") for i in range(49))
    ambassadors = tuple(
        Ambassador(f"D{i:03d}", f"Duta {i}", f"V{i % 49:03d}", "", "", True) for i in range(42)
    )
    shop_rows = tuple(
        Shop(f"T{i:05d}", Marketplace.SHOPEE, f"Toko {i}", "", f"V{i % 49:03d}",
             f"D{i % 42:03d}", dt.date(2025, 1 + i % 12, 1))
        for i in range(shops)
    )  # fmt: skip
    return Registry(villages, ambassadors, shop_rows)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    lines = synthetic_lines(count)
    reg = registry()
    started, cpu = time.perf_counter(), time.process_time()
    resolved = resolve_orders(lines)
    resolved_at, resolved_cpu = time.perf_counter(), time.process_time()
    result = compute_kpis(lines, reg, "2026-08")
    done, done_cpu = time.perf_counter(), time.process_time()
    orders = int(result.trend.loc[result.trend["level"] == "regency", "orders"].sum())
    print(f"lines={len(lines):,} resolved lines={len(resolved):,} orders in 12 months={orders:,}")
    print(
        f"resolve_orders: {resolved_at - started:.2f} s wall, {resolved_cpu - cpu:.2f} s CPU; "
        f"compute_kpis: {done - resolved_at:.2f} s wall, {done_cpu - resolved_cpu:.2f} s CPU"
    )
    print(f"regency orders={int(result.regency['orders'].iloc[0]):,}")


if __name__ == "__main__":
    main()
