"""Property: on random data, every level adds up exactly and no order is lost or doubled.

The expected figures are computed here independently, order by order in plain Python, from
the rules in docs/kpi.md (snapshot choice, month by creation time, completed-only sales).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kpi_factory import VILLAGES, ambassador, frame, line, listing, listings, report, shop

from sheetsync.kpi import compute_kpis
from sheetsync.kpi.rollup import Cube, roll_up, sum_by_parent
from sheetsync.kpi_schema import ORDER_METRICS, UNASSIGNED
from sheetsync.model import FINAL_STATUSES, Registry

MONTH = "2026-08"
STATUSES = ["completed", "cancelled", "returned", "unpaid", "in_progress"]
SHOPS = ["T1", "T2", "T3", "T4", "GHOST"]  # GHOST has no Toko row
SUMMED = (
    *ORDER_METRICS, "shops_registered", "shops_new", "shops_active", "products_live",
    "products_new", "products_reported", "ytd_sales_idr", "ytd_shops_active",
    "ambassadors_active", "reports_filed", "reports_on_time",
)  # fmt: skip
DAYS = [
    "2026-07-31 23:59", "2026-08-01 00:00", "2026-08-15 12:00", "2026-08-31 23:59",
    "2026-09-01 00:00",
]  # fmt: skip


@st.composite
def snapshots(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Lines of random orders, each seen in 1–3 exports with 1–3 item lines each."""
    rows = []
    for order_no in range(draw(st.integers(0, 12))):
        shop_id = draw(st.sampled_from(SHOPS))
        marketplace = draw(st.sampled_from(["shopee", "tokopedia"]))
        for file_id in draw(st.sets(st.integers(1, 4), min_size=1, max_size=3)):
            status = draw(st.sampled_from(STATUSES))
            created = draw(st.sampled_from(DAYS))
            rank = draw(st.integers(1, 3))
            for line_no in range(1, draw(st.integers(1, 3)) + 1):
                rows.append(
                    line(
                        f"O{order_no}",
                        status,
                        created,
                        shop=shop_id,
                        file_id=file_id,
                        rank=rank,
                        qty=draw(st.integers(0, 4)),
                        price=draw(st.integers(0, 50)) * 1_000,
                        line_no=line_no,
                        marketplace=marketplace,
                    )
                )
    return rows


@st.composite
def registries(draw: st.DrawFn) -> Registry:
    """T1–T4 spread over random villages and ambassadors (some ids unknown)."""
    codes = [v.code for v in VILLAGES]
    ambassadors = (ambassador("DD-001", codes[0]), ambassador("DD-002", codes[2]))
    shops = tuple(
        shop(
            shop_id,
            draw(st.sampled_from([*codes, "99.99.99.9999"])),
            draw(st.sampled_from(["DD-001", "DD-002", "DD-404"])),
            draw(st.sampled_from([None, "2026-07-15", "2026-08-01", "2026-09-01"])),
        )
        for shop_id in SHOPS[:4]
    )
    reports = tuple(
        report(
            draw(st.sampled_from(["DD-001", "DD-002", "DD-404"])),
            draw(st.sampled_from(["2026-07", MONTH])),
            f"2026-09-0{draw(st.integers(1, 9))} 10:00",
            products=draw(st.one_of(st.none(), st.integers(0, 30))),
            row=row,
        )
        for row in range(2, 2 + draw(st.integers(0, 4)))
    )
    return Registry(VILLAGES, ambassadors, shops, form_reports=reports)


@st.composite
def snapshots_of_listings(draw: st.DrawFn) -> pd.DataFrame:
    """Listing snapshots of random shops (GHOST included) around the month."""
    rows = [
        listing(draw(st.sampled_from(SHOPS)),
                draw(st.sampled_from(["2026-07-20", "2026-08-02", "2026-08-30"])),
                f"P{draw(st.integers(1, 6))}")
        for _ in range(draw(st.integers(0, 10)))
    ]  # fmt: skip
    return listings(*rows)


def expected_reported(registry: Registry) -> int:
    """Sum over ambassadors of their latest Laporan Duta's Produk Diunggah this month."""
    latest: dict[str, Any] = {}
    for form in sorted(registry.form_reports, key=lambda r: (r.submitted_at, r.row)):
        if form.month == MONTH:
            latest[form.ambassador_id] = form
    return sum(f.products_uploaded or 0 for f in latest.values())


def expected_orders(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Order by order: which snapshot wins, its month, and its completed sales."""
    snapshots_of: dict[tuple[str, str, str], dict[int, list[dict[str, Any]]]] = defaultdict(dict)
    for row in rows:
        key = (row["marketplace"], row["shop_id"], row["order_id"])
        snapshots_of[key].setdefault(row["file_id"], []).append(row)
    orders, sales, units = 0, 0, 0
    for files in snapshots_of.values():
        chosen = max(files.values(), key=_priority)
        first = min(chosen, key=lambda r: r["line_no"])
        if first["created_at"].strftime("%Y-%m") != MONTH:
            continue
        orders += 1
        if _status(chosen) == "completed":
            sales += sum(r["line_sales_idr"] for r in chosen)
            units += sum(r["quantity"] for r in chosen)
    return {"orders": orders, "sales_idr": sales, "units_sold": units}


def _priority(lines: list[dict[str, Any]]) -> tuple[bool, int, int]:
    return (
        any(r["status"] in FINAL_STATUSES for r in lines),
        lines[0]["file_rank"],
        lines[0]["file_id"],
    )


def _status(lines: list[dict[str, Any]]) -> str:
    finals = [r for r in lines if r["status"] in FINAL_STATUSES]
    return min(finals or lines, key=lambda r: r["line_no"])["status"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=snapshots(), registry=registries(), snaps=snapshots_of_listings())
def test_every_level_adds_up_and_no_order_is_lost_or_doubled(
    rows: list[dict[str, Any]], registry: Registry, snaps: pd.DataFrame
) -> None:
    result = compute_kpis(frame(*rows), registry, MONTH, listings=snaps)
    regency = result.regency.iloc[0]
    for level in ("shop", "ambassador", "village", "kecamatan"):
        table = result.level(level)
        for figure in SUMMED:
            if figure in table.columns:
                assert int(table[figure].sum()) == int(regency[figure]), (level, figure)
    kecamatan_of = {v.code: v.kecamatan for v in VILLAGES}
    villages = result.villages.assign(
        parent=result.villages["village_code"].map(kecamatan_of).fillna("unassigned")
    )
    by_kecamatan = villages.groupby("parent")["orders"].sum()
    for row in result.kecamatan.to_dict("records"):
        assert by_kecamatan.get(row["kecamatan"], 0) == row["orders"]
    assert {k: int(regency[k]) for k in ("orders", "sales_idr", "units_sold")} == expected_orders(
        rows
    )
    assert int(regency["products_reported"]) == expected_reported(registry)
    statuses = sum(int(regency[m]) for m in ORDER_METRICS[1:6])
    assert statuses == int(regency["orders"])


def test_month_totals_of_the_trend_match_the_month_tables() -> None:
    rows = [
        line(f"O{i}", created=f"2026-0{m}-10 10:00", shop="T1") for i, m in enumerate([7, 8, 8])
    ]
    registry = Registry(VILLAGES, (ambassador("DD-001"),), (shop("T1"),))
    result = compute_kpis(frame(*rows), registry, MONTH)
    trend = result.trend[result.trend["level"] == "village"]
    august = trend[trend["month"] == MONTH]["completed_orders"].sum()
    assert august == result.regency["completed_orders"].iloc[0] == 2
    july = trend[trend["month"] == "2026-07"]["completed_orders"].sum()
    assert july == result.regency["prev_completed_orders"].iloc[0] == 1


def test_rolling_up_sums_children_into_parents_and_strays_into_the_bucket() -> None:
    cube = Cube("shop_id", ["T1", "T2", "T9"], ["2026-07", "2026-08"],
                {"orders": np.array([[1, 2], [3, 4], [5, 6]])})  # fmt: skip
    parents = {"T1": "V1", "T2": "V1"}  # T9 has no village
    villages = roll_up(cube, parents, "village_code", ["V1", "V2", UNASSIGNED])
    assert villages.values["orders"].tolist() == [[4, 6], [0, 0], [5, 6]]
    assert villages.column("orders", "2026-06").tolist() == [0, 0, 0]  # outside the window


def test_a_vector_is_summed_by_parent() -> None:
    summed = sum_by_parent(["a", "b", "c"], np.array([1, 2, 4]), {"a": "P", "c": "P"},
                           ["P", UNASSIGNED])  # fmt: skip
    assert summed.tolist() == [5, 2]
