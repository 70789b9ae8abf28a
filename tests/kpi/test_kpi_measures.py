"""Figures at the finest grain (kpi/measures.py).

Order figures count completed orders, shop flags follow Tanggal Daftar, products come from
the listing snapshots.
"""

from __future__ import annotations

import pytest
from kpi_factory import (
    AIR_SAGA,
    AUG,
    BULUH,
    kpis,
    line,
    listing,
    listings,
    registry,
    report,
    row_of,
    shop,
    shop_row,
)

from sheetsync.kpi_schema import ORDER_METRICS


def test_units_and_sales_count_completed_orders_only_summed_over_item_lines() -> None:
    result = kpis(
        line("A", "completed", qty=2, price=15_000, line_no=1),
        line("A", "completed", qty=1, price=7_500, line_no=2, product="P2"),
        line("B", "cancelled", qty=5, price=99_000),
        line("C", "returned", qty=1, price=50_000),
        line("D", "unpaid", qty=1, price=20_000),
        line("E", "in_progress", qty=1, price=30_000),
    )
    row = shop_row(result)
    assert row["units_sold"] == 3
    assert row["sales_idr"] == 37_500
    counts = [row[m] for m in ORDER_METRICS[:6]]
    assert counts == [5, 1, 1, 1, 1, 1]


def test_an_unknown_status_counts_as_in_progress_so_counts_add_up() -> None:
    row = shop_row(kpis(line("A", "mystery"), line("B", "completed")))
    assert row["orders"] == 2 and row["in_progress_orders"] == 1


def test_shop_counts_follow_tanggal_daftar_and_completed_orders() -> None:
    reg = registry(
        (
            shop("T1", on="2026-08-31"),  # new this month, registered
            shop("T2", on="2026-09-01"),  # registered after the month: not yet
            shop("T3", on=None),  # no date: registered since ever, never new
            shop("T4", on="2026-02-01"),
        )
    )
    result = kpis(
        line("A", shop="T1"), line("B", shop="T2"), line("C", "cancelled", shop="T4"), reg=reg
    )
    village = row_of(result.villages, "village_code", AIR_SAGA)
    assert (village["shops_registered"], village["shops_new"], village["shops_active"]) == (3, 1, 1)
    assert village["share_active"] == pytest.approx(100 / 3)
    assert village["completed_orders"] == 2  # T2's order counts even before its Tanggal Daftar
    assert row_of(result.villages, "village_code", BULUH)["share_active"] is None


# --------------------------------------------------------------------------- products


def test_products_live_from_the_months_latest_snapshot_and_new_when_first_seen() -> None:
    snaps = listings(
        listing("T1", "2026-07-20", "P1"),
        listing("T1", "2026-08-02", "P1"),
        listing("T1", "2026-08-02", "P2"),
        listing("T1", "2026-08-02", "P3"),
        listing("T1", "2026-08-25", "P1", file_id=101),  # latest snapshot of August …
        listing("T1", "2026-08-25", "P2", file_id=102),  # … spread over two files
        listing("T1", "2026-09-03", "P9"),
    )
    row = shop_row(kpis(listings=snaps))
    assert row["products_live"] == 2
    assert row["products_new"] == 2  # P2 and P3 first seen in August; P1 in July
    assert row["prev_products_live"] == 1


def test_products_reported_stay_apart_from_observed_products() -> None:
    reg = registry(reports=(report("DD-001", AUG, "2026-09-02 09:00", products=12),))
    result = kpis(reg=reg, listings=listings(listing("T1", "2026-08-02", "P1")))
    duta = row_of(result.ambassadors, "ambassador_id", "DD-001")
    assert (duta["products_reported"], duta["products_new"]) == (12, 1)
    assert result.regency["products_reported"].iloc[0] == 12
    assert "products_reported" not in result.shops.columns
