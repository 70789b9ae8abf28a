"""KPI rows as JSON-ready records and the run-log diff between two computations (kpi/records.py)."""

from __future__ import annotations

import json

import pytest
from kpi_factory import (
    AIR_SAGA,
    AUG,
    kpis,
    line,
    registry,
    target,
)

from sheetsync.kpi import (
    diff_kpis,
    kpi_records,
)
from sheetsync.kpi_schema import ORDER_METRICS


@pytest.mark.parametrize("level", ["shop", "ambassador", "village", "kecamatan", "regency"])
def test_records_are_json_with_integer_figures(level: str) -> None:
    records = kpi_records(kpis(line("A", qty=2), line("B", "cancelled")), level)
    text = json.dumps(records)
    first = json.loads(text)[0]
    assert first["month"] == AUG
    for figure in (
        *ORDER_METRICS,
        "products_live",
        "products_new",
        "shops_registered",
        "shops_new",
        "shops_active",
    ):
        assert isinstance(first[figure], int), figure


def test_records_carry_targets_and_achievement() -> None:
    reg = registry(targets=(target(AIR_SAGA, transactions=4),))
    records = kpi_records(kpis(line("A"), reg=reg), "village")
    record = next(r for r in records if r["village_code"] == AIR_SAGA)
    assert record["target_transactions"] == 4
    assert record["achievement_transactions_pct"] == pytest.approx(25.0)
    assert record["status_transactions"] == "behind"


def test_diff_lines_name_month_figure_unit_and_both_values() -> None:
    old = {
        "village": [
            {
                "village_code": AIR_SAGA,
                "village_name": "Air Saga",
                "completed_orders": 120,
                "sales_idr": 1_000_000,
            }
        ]
    }
    new = {
        "village": [
            {
                "village_code": AIR_SAGA,
                "village_name": "Air Saga",
                "completed_orders": 118,
                "sales_idr": 1_000_000,
            }
        ]
    }
    assert diff_kpis(old, new, month="2026-05") == ["Mei 2026: transaksi Desa Air Saga 120 → 118"]
    assert diff_kpis(new, new, month="2026-05") == []


def test_diff_accepts_flat_record_lists_and_takes_their_month() -> None:
    before = kpi_records(kpis(), "village") + kpi_records(kpis(), "regency")
    after_result = kpis(line("A"))
    after = kpi_records(after_result, "village") + kpi_records(after_result, "regency")
    assert diff_kpis(before, after) == [
        "Agustus 2026: transaksi Desa Air Saga 0 → 1",
        "Agustus 2026: penjualan Desa Air Saga Rp 0 → Rp 10.000",
        "Agustus 2026: pesanan Desa Air Saga 0 → 1",
        "Agustus 2026: unit terjual Desa Air Saga 0 → 1",
        "Agustus 2026: toko aktif Desa Air Saga 0 → 1",
        "Agustus 2026: transaksi Kabupaten 0 → 1",
        "Agustus 2026: penjualan Kabupaten Rp 0 → Rp 10.000",
        "Agustus 2026: pesanan Kabupaten 0 → 1",
        "Agustus 2026: unit terjual Kabupaten 0 → 1",
        "Agustus 2026: toko aktif Kabupaten 0 → 1",
    ]


def test_diff_of_real_records_reports_sales_in_rupiah() -> None:
    before = kpi_records(kpis(line("A", price=100_000)), "regency")
    after = kpi_records(kpis(line("A", price=100_000), line("B", price=25_000)), "regency")
    lines = diff_kpis({"regency": before}, {"regency": after}, month=AUG)
    assert "Agustus 2026: transaksi Kabupaten 1 → 2" in lines
    assert "Agustus 2026: penjualan Kabupaten Rp 100.000 → Rp 125.000" in lines


def test_no_change_gives_no_diff_lines() -> None:
    records = kpi_records(kpis(line("A")), "village")
    assert diff_kpis({"village": records}, {"village": records}, month=AUG) == []


def test_a_unit_present_on_one_side_only_counts_as_zero_on_the_other() -> None:
    after = kpi_records(kpis(line("A", shop="T3")), "shop")
    lines = diff_kpis({"shop": []}, {"shop": after}, month=AUG)
    assert any(text.startswith("Agustus 2026: transaksi ") and text.endswith(" 0 → 1")
               for text in lines), lines  # fmt: skip
