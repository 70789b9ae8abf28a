"""Every KPI rule of docs/kpi.md, each on a small frame built here."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from kpi_factory import (
    AIR_SAGA,
    BULUH,
    MEMBALONG,
    ambassador,
    frame,
    line,
    listing,
    listings,
    registry,
    report,
    row_of,
    shop,
)

from sheetsync.errors import ConfigError
from sheetsync.kpi import (
    compute_kpis,
    diff_kpis,
    kpi_output_tabs,
    kpi_records,
    order_lines_behind,
    resolve_orders,
    two_source_issues,
)
from sheetsync.kpi_schema import ORDER_METRICS, UNASSIGNED, KpiConfig
from sheetsync.model import Registry, Target, Village

AUG = "2026-08"


def kpis(*rows: dict, reg=None, month: str = AUG, **options):  # type: ignore[no-untyped-def]
    return compute_kpis(frame(*rows), reg or registry(), month, **options)


def shop_row(result, shop_id: str = "T1") -> dict:  # type: ignore[no-untyped-def]
    return row_of(result.shops, "shop_id", shop_id)


# --------------------------------------------------------------------------- resolve


def test_a_later_export_supersedes_an_earlier_status() -> None:
    resolved = resolve_orders(
        frame(line("A", "in_progress", file_id=1), line("A", "completed", file_id=2, qty=3))
    )
    assert resolved["order_status"].tolist() == ["completed"]
    assert resolved["quantity"].tolist() == [3]


def test_a_final_status_is_never_replaced_by_a_later_non_final_one() -> None:
    resolved = resolve_orders(
        frame(line("A", "completed", file_id=1, qty=2), line("A", "in_progress", file_id=2))
    )
    assert resolved["order_status"].tolist() == ["completed"]
    assert resolved["file_id"].tolist() == [1]


def test_between_final_statuses_the_later_export_wins() -> None:
    resolved = resolve_orders(
        frame(line("A", "completed", file_id=1), line("A", "returned", file_id=2))
    )
    assert resolved["order_status"].tolist() == ["returned"]


def test_rank_not_file_id_decides_which_export_is_newer() -> None:
    # file 9 was imported later but covers an older period (rank 1)
    resolved = resolve_orders(
        frame(line("A", "unpaid", file_id=9, rank=1), line("A", "in_progress", file_id=2, rank=5))
    )
    assert resolved["order_status"].tolist() == ["in_progress"]


def test_equal_rank_is_broken_by_the_later_import() -> None:
    resolved = resolve_orders(
        frame(line("A", "unpaid", file_id=3, rank=1), line("A", "in_progress", file_id=4, rank=1))
    )
    assert resolved["file_id"].tolist() == [4]
    reversed_input = resolve_orders(
        frame(line("A", "in_progress", file_id=4, rank=1), line("A", "unpaid", file_id=3, rank=1))
    )
    assert reversed_input["file_id"].tolist() == [4]


def test_all_item_lines_of_the_chosen_snapshot_are_kept_and_no_others() -> None:
    older = [line("A", "in_progress", file_id=1, line_no=n, product=f"P{n}") for n in (1, 2)]
    newer = [line("A", "completed", file_id=2, line_no=n, product=f"P{n}") for n in (1, 2, 3)]
    resolved = resolve_orders(frame(*older, *newer))
    assert resolved["file_id"].tolist() == [2, 2, 2]
    assert resolved["product_id"].tolist() == ["P1", "P2", "P3"]


def test_the_same_order_number_in_another_shop_or_marketplace_is_another_order() -> None:
    result = kpis(
        line("A", shop="T1"), line("A", shop="T2"), line("A", shop="T1", marketplace="tokopedia")
    )
    assert result.regency["orders"].iloc[0] == 3
    assert shop_row(result, "T1")["orders"] == 2


def test_resolving_twice_changes_nothing() -> None:
    lines = frame(
        line("A", "in_progress", file_id=1),
        line("A", "completed", file_id=2),
        line("B", "cancelled", file_id=1, line_no=1),
        line("B", "cancelled", file_id=1, line_no=2, product="P2"),
    )
    once = resolve_orders(lines)
    twice = resolve_orders(once[lines.columns])
    pd.testing.assert_frame_equal(once, twice)


@pytest.mark.parametrize(
    ("created", "month"),
    [
        ("2026-08-31 23:59", "2026-08"),
        ("2026-09-01 00:00", "2026-09"),
        ("2026-08-01 00:00", "2026-08"),
        ("2026-07-31 23:59:59", "2026-07"),
    ],
)
def test_an_order_belongs_to_the_month_of_its_creation_time(created: str, month: str) -> None:
    assert resolve_orders(frame(line("A", created=created)))["month"].tolist() == [month]
    result = kpis(line("A", created=created), month=month)
    assert result.regency["orders"].iloc[0] == 1


def test_the_month_comes_from_the_chosen_snapshot() -> None:
    result = kpis(
        line("A", "unpaid", "2026-07-31 23:00", file_id=1),
        line("A", "completed", "2026-08-01 08:00", file_id=2),
    )
    assert result.regency["orders"].iloc[0] == 1
    assert result.regency["prev_orders"].iloc[0] == 0


# --------------------------------------------------------------------------- order figures


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


def test_a_month_with_no_data_shows_every_unit_with_zeros() -> None:
    result = kpis()
    assert result.villages["village_code"].tolist() == sorted([AIR_SAGA, BULUH, MEMBALONG])
    assert (result.villages[list(ORDER_METRICS)] == 0).all().all()
    assert result.regency["orders"].iloc[0] == 0
    assert result.regency["mom_orders"].iloc[0] is None
    assert len(kpi_output_tabs(result, registry())) == 5
    assert all(isinstance(r["sales_idr"], int) for r in kpi_records(result, "village"))


# --------------------------------------------------------------------------- shops


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


# --------------------------------------------------------------------------- targets


def target(village: str, *, transactions=None, sales=None, shops=None, products=None):  # type: ignore[no-untyped-def]
    return Target(AUG, village, shops, products, transactions, sales)


@pytest.mark.parametrize(
    ("completed", "status"),
    [(4, "on_target"), (5, "on_target"), (3, "near"), (2, "behind"), (0, "behind")],
)
def test_target_status_uses_the_configured_thresholds(completed: int, status: str) -> None:
    reg = registry(targets=(target(AIR_SAGA, transactions=4),))
    rows = [line(f"O{i}") for i in range(completed)]
    village = row_of(kpis(*rows, reg=reg).villages, "village_code", AIR_SAGA)
    assert village["status_transactions"] == status
    assert village["achievement_transactions_pct"] == pytest.approx(completed / 4 * 100)


def test_thresholds_come_from_config() -> None:
    reg = registry(targets=(target(AIR_SAGA, transactions=4),))
    config = KpiConfig(near_target_pct=50.0, on_target_pct=90.0)
    result = kpis(line("A"), line("B"), reg=reg, kpi_config=config)
    assert row_of(result.villages, "village_code", AIR_SAGA)["status_transactions"] == "near"


def test_a_village_without_target_shows_no_target_never_zero_percent() -> None:
    reg = registry(targets=(target(AIR_SAGA, sales=100_000),))
    result = kpis(line("A"), reg=reg)
    air_saga = row_of(result.villages, "village_code", AIR_SAGA)
    assert air_saga["status_transactions"] == "no_target"
    assert air_saga["achievement_transactions_pct"] is None
    assert pd.isna(air_saga["target_transactions"])
    membalong = row_of(result.villages, "village_code", MEMBALONG)
    assert membalong["status_sales_idr"] == "no_target"
    desa_tab = {t.name: t for t in kpi_output_tabs(result, reg)}["KPI Desa"]
    status_column = desa_tab.header.index("Status Transaksi")
    assert {row[status_column] for row in desa_tab.rows} == {"Tanpa target"}


def test_a_target_of_zero_is_met() -> None:
    reg = registry(targets=(target(AIR_SAGA, shops=0),))
    village = row_of(kpis(reg=reg).villages, "village_code", AIR_SAGA)
    assert village["status_new_shops"] == "on_target"
    assert village["achievement_new_shops_pct"] is None


def test_a_kecamatan_target_is_compared_with_the_villages_that_set_one() -> None:
    reg = registry(targets=(target(AIR_SAGA, transactions=2),))
    result = kpis(line("A", shop="T1"), line("B", shop="T2"), line("C", shop="T2"), reg=reg)
    kecamatan = row_of(result.kecamatan, "kecamatan", "Tanjungpandan")
    assert kecamatan["target_transactions"] == 2
    assert kecamatan["achievement_transactions_pct"] == pytest.approx(50.0)  # Buluh's 2 left out
    assert kecamatan["completed_orders"] == 3
    assert result.regency["status_transactions"].iloc[0] == "behind"


# --------------------------------------------------------------------------- trends


def test_month_over_month_change_baru_and_none() -> None:
    result = kpis(
        line("A", created="2026-07-05 10:00", shop="T1"),
        line("B", created="2026-07-06 10:00", shop="T1"),
        line("C", created="2026-08-05 10:00", shop="T1"),
        line("D", created="2026-08-05 10:00", shop="T2"),
    )
    assert shop_row(result, "T1")["mom_completed_orders"] == pytest.approx(-50.0)
    assert shop_row(result, "T2")["mom_completed_orders"] == "baru"
    assert shop_row(result, "T3")["mom_completed_orders"] is None
    assert result.regency["prev_completed_orders"].iloc[0] == 2


def test_year_to_date_sums_from_january_only() -> None:
    result = kpis(
        line("A", created="2025-12-31 23:59"),
        line("B", created="2026-01-01 00:00"),
        line("C", created="2026-05-05 10:00"),
        line("D", created="2026-08-05 10:00"),
        line("E", created="2026-09-05 10:00"),
    )
    assert result.regency["ytd_completed_orders"].iloc[0] == 3
    assert result.regency["ytd_shops_active"].iloc[0] == 1  # distinct shops, not a sum


def test_trend_frame_has_twelve_months_per_unit() -> None:
    result = kpis(line("A", created="2026-03-05 10:00"))
    regency = result.trend[result.trend["level"] == "regency"]
    assert regency["month"].tolist()[0] == "2025-09" and regency["month"].tolist()[-1] == AUG
    assert len(regency) == 12
    assert regency.set_index("month").loc["2026-03", "completed_orders"] == 1


# --------------------------------------------------------------------------- registry rules


def test_a_shop_that_moved_counts_for_its_current_ambassador_and_village_in_every_month() -> None:
    orders = [line("A", created="2026-07-05 10:00"), line("B", created="2026-08-05 10:00")]
    before = kpis(*orders, reg=registry((shop("T1", AIR_SAGA, "DD-001"),)))
    after = kpis(*orders, reg=registry((shop("T1", MEMBALONG, "DD-002"),)))
    assert row_of(before.ambassadors, "ambassador_id", "DD-001")["completed_orders"] == 1
    moved = row_of(after.ambassadors, "ambassador_id", "DD-002")
    assert (moved["completed_orders"], moved["prev_completed_orders"]) == (1, 1)
    assert row_of(after.ambassadors, "ambassador_id", "DD-001")["prev_completed_orders"] == 0
    assert row_of(after.villages, "village_code", MEMBALONG)["completed_orders"] == 1


def test_orders_of_an_unknown_shop_land_in_the_unassigned_bucket_once() -> None:
    result = kpis(line("A", shop="T1"), line("B", shop="GHOST", qty=2))
    assert result.regency["completed_orders"].iloc[0] == 2
    for table, key in (
        (result.villages, "village_code"),
        (result.ambassadors, "ambassador_id"),
        (result.kecamatan, "kecamatan"),
    ):
        bucket = row_of(table, key, UNASSIGNED)
        assert bucket["completed_orders"] == 1 and bucket["units_sold"] == 2
        assert not bucket["assigned"]
        assert table["completed_orders"].sum() == 2
    ghost = shop_row(result, "GHOST")
    assert not ghost["assigned"] and ghost["shops_registered"] == 0


def test_no_bucket_row_when_everything_is_registered() -> None:
    result = kpis(line("A"))
    assert UNASSIGNED not in result.villages["village_code"].tolist()


# --------------------------------------------------------------------------- discipline


@pytest.mark.parametrize(
    ("submitted", "on_time"),
    [("2026-09-05 23:59", True), ("2026-09-06 00:00", False), ("2026-08-28 10:00", True)],
)
def test_a_report_is_on_time_until_the_end_of_the_due_day(submitted: str, on_time: bool) -> None:
    reg = registry(reports=(report("DD-001", AUG, submitted),))
    result = kpis(reg=reg, kpi_config=KpiConfig(report_due_day=5))
    assert row_of(result.discipline, "ambassador_id", "DD-001")["on_time"] is on_time


def test_discipline_counts_active_ambassadors_and_the_latest_submission() -> None:
    reg = registry(
        ambassadors=(
            ambassador("DD-001"),
            ambassador("DD-002"),
            ambassador("DD-003", active=False),
        ),
        reports=(
            report("DD-001", AUG, "2026-09-02 09:00", row=2),
            report("DD-001", AUG, "2026-09-20 09:00", row=5),  # late correction: late
            report("DD-002", AUG, "2026-09-03 09:00", row=3),
            report("DD-003", AUG, "2026-09-01 09:00", row=4),  # inactive: not counted
            report("DD-002", "2026-07", "2026-08-01 09:00", row=6),  # another month
        ),
    )
    result = kpis(reg=reg)
    village = row_of(result.villages, "village_code", AIR_SAGA)
    assert (
        village["ambassadors_active"],
        village["reports_filed"],
        village["reports_on_time"],
    ) == (2, 2, 1)
    assert village["share_reports_on_time"] == pytest.approx(50.0)
    assert row_of(result.ambassadors, "ambassador_id", "DD-001")["report_on_time"] is False or (
        not row_of(result.ambassadors, "ambassador_id", "DD-001")["report_on_time"]
    )
    assert row_of(result.discipline, "ambassador_id", "DD-001")["report_row"] == 5


# --------------------------------------------------------------------------- two sources


def test_two_source_gaps_beyond_the_tolerance_are_flagged() -> None:
    reg = registry(
        (shop("T1", on="2026-08-03"), shop("T3", MEMBALONG, "DD-002", on="2026-08-04")),
        reports=(
            report("DD-001", AUG, "2026-09-01 08:00", new_shops=4, row=7),  # 4 vs 1: gap 3
            report("DD-002", AUG, "2026-09-01 08:00", new_shops=3, row=8),  # 3 vs 1: gap 2
        ),
    )
    result = kpis(reg=reg, kpi_config=KpiConfig(two_source_tolerance=2))
    checks = result.two_source.set_index(["level", "key", "figure"])
    assert checks.loc[("ambassador", "DD-001", "new_shops"), "gap"] == 3
    assert bool(checks.loc[("ambassador", "DD-001", "new_shops"), "flagged"])
    assert not bool(checks.loc[("ambassador", "DD-002", "new_shops"), "flagged"])
    assert "products_uploaded" not in result.two_source["figure"].tolist()  # no listings
    issues = two_source_issues(result.two_source, AUG)
    ambassador_issue = next(i for i in issues if i.row == 7)
    assert ambassador_issue.source == "Laporan Duta" and ambassador_issue.column == "Toko Baru"
    assert "Agustus 2026" in ambassador_issue.message and "selisih 3" in ambassador_issue.message


def test_two_source_compares_products_when_listings_exist() -> None:
    reg = registry(reports=(report("DD-001", AUG, "2026-09-01 08:00", products=9),))
    snaps = listings(listing("T1", "2026-08-10", "P1"), listing("T1", "2026-08-10", "P2"))
    result = kpis(reg=reg, listings=snaps)
    row = result.two_source.set_index(["level", "key", "figure"]).loc[
        ("ambassador", "DD-001", "products_uploaded")
    ]
    assert (row["reported"], row["observed"], row["gap"]) == (9, 2, 7)


# --------------------------------------------------------------------------- ranking


def test_ranking_ties_are_broken_by_key() -> None:
    result = kpis(line("A", shop="T2"), line("B", shop="T1"))  # Air Saga and Buluh tie
    ranked = result.villages.sort_values("rank")
    assert ranked["village_code"].tolist() == [AIR_SAGA, BULUH, MEMBALONG]
    assert ranked["rank"].tolist() == [1, 2, 3]


def test_ranking_by_a_chosen_figure() -> None:
    result = kpis(
        *[line(f"M{i}", shop="T3", price=5_000) for i in range(3)],  # Membalong: 15 000
        line("C", shop="T1"),  # Air Saga: 10 000, but the same composite share of shops
        kpi_config=KpiConfig(ranking_metric="sales_idr"),
    )
    assert result.villages.sort_values("rank")["village_code"].tolist()[:2] == [MEMBALONG, AIR_SAGA]
    assert result.ambassadors.sort_values("rank")["ambassador_id"].tolist()[:2] == [
        "DD-002",
        "DD-001",
    ]


def test_an_unknown_ranking_figure_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="ranking_metric"):
        kpis(kpi_config=KpiConfig(ranking_metric="happiness"))


# --------------------------------------------------------------------------- outputs


def test_output_tabs_have_indonesian_headers_and_formats() -> None:
    reg = registry(targets=(target(AIR_SAGA, transactions=2),))
    result = kpis(line("A", price=1_250_000), reg=reg)
    tabs = {t.name: t for t in kpi_output_tabs(result, reg)}
    assert list(tabs) == ["Ringkasan", "KPI Toko", "KPI Duta", "KPI Desa", "KPI Kecamatan"]
    desa = tabs["KPI Desa"]
    assert desa.formats["Penjualan (Rp)"] == "rupiah"
    assert desa.formats["Capaian Transaksi"] == "percent"
    assert desa.formats["Perubahan Transaksi"] == "percent"
    rows = [dict(zip(desa.header, row, strict=True)) for row in desa.rows]
    air_saga = next(r for r in rows if r["Kode Desa"] == AIR_SAGA)
    assert air_saga["Bulan"] == AUG and air_saga["Nama Desa"] == "Air Saga"
    assert air_saga["Penjualan (Rp)"] == 1_250_000
    assert air_saga["Capaian Transaksi"] == pytest.approx(0.5)  # a fraction for "percent"
    assert air_saga["Perubahan Transaksi"] == "baru"
    ringkasan = {row[1]: row for row in tabs["Ringkasan"].rows}
    assert ringkasan["Transaksi (pesanan selesai)"][2:4] == [1, 0]
    assert ringkasan["Transaksi (pesanan selesai)"][-1] == "Tertinggal"
    english = {t.name: t for t in kpi_output_tabs(result, reg, language="en")}
    assert "Sales (Rp)" in english["KPI Desa"].header


def test_every_month_has_the_same_tab_headers_so_months_can_be_stacked() -> None:
    empty, busy = kpis(), kpis(line("A"), month=AUG)
    for a, b in zip(
        kpi_output_tabs(empty, registry()), kpi_output_tabs(busy, registry()), strict=True
    ):
        assert a.header == b.header


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


def test_top_products_come_from_completed_orders_of_the_month() -> None:
    result = kpis(
        line("A", product="KOPI", qty=3, price=20_000),
        line("B", "cancelled", product="LADA", qty=10, price=90_000),
        line("C", product="LADA", qty=1, price=90_000),
        line("D", product="TEH", created="2026-07-01 10:00", qty=50),
    )
    top = result.top_products
    assert top["product_id"].tolist() == ["LADA", "KOPI"]
    assert top["sales_idr"].tolist() == [90_000, 60_000]


# --------------------------------------------------------------------------- lineage


@pytest.mark.parametrize("metric", ["orders", "completed_orders", "units_sold", "sales_idr"])
def test_explain_lists_the_rows_that_sum_to_the_figure(metric: str) -> None:
    rows = [
        line("A", "in_progress", file_id=1, qty=9),
        line("A", "completed", file_id=2, qty=2, line_no=1),
        line("A", "completed", file_id=2, qty=1, line_no=2, product="P2"),
        line("B", "cancelled", file_id=2),
        line("C", "completed", file_id=2, shop="T3"),  # another village
        line("D", "completed", file_id=2, created="2026-07-01 10:00"),  # another month
    ]
    result = kpis(*rows)
    lineage = order_lines_behind(frame(*rows), registry(), AUG, level="village", key=AIR_SAGA,
                                 metric=metric)  # fmt: skip
    figure = row_of(result.villages, "village_code", AIR_SAGA)[metric]
    assert lineage["contributes"].sum() == figure
    assert set(lineage["order_id"]) == ({"A", "B"} if metric == "orders" else {"A"})
    superseded = lineage[lineage["role"] == "superseded"]
    assert superseded["file_id"].tolist() == [1] and superseded["contributes"].sum() == 0
    assert lineage[["file_id", "source_row"]].apply(tuple, axis=1).is_monotonic_increasing


# --------------------------------------------------------------------------- edges


def test_a_line_without_creation_time_belongs_to_no_month() -> None:
    rows = frame(line("A"), line("B"))
    rows.loc[1, "created_at"] = pd.NaT
    assert resolve_orders(rows)["month"].tolist() == [AUG, ""]
    assert compute_kpis(rows, registry(), AUG).regency["orders"].iloc[0] == 1


def test_resolving_nothing_gives_an_empty_frame_with_the_added_columns() -> None:
    resolved = resolve_orders(frame())
    assert resolved.empty
    assert {"order_status", "order_created_at", "month"} <= set(resolved.columns)


def test_a_report_by_an_unknown_ambassador_is_kept_in_the_bucket() -> None:
    reg = registry(reports=(report("DD-404", AUG, "2026-09-01 08:00", products=7),))
    result = kpis(reg=reg)
    assert row_of(result.ambassadors, "ambassador_id", UNASSIGNED)["products_reported"] == 7
    assert row_of(result.villages, "village_code", UNASSIGNED)["products_reported"] == 7
    assert result.regency["products_reported"].iloc[0] == 7
    assert result.regency["reports_filed"].iloc[0] == 0  # not an active ambassador


def test_english_tabs_translate_statuses_and_new() -> None:
    reg = registry(targets=(target(AIR_SAGA, transactions=1),))
    tabs = {t.name: t for t in kpi_output_tabs(kpis(line("A"), reg=reg), reg, language="en")}
    village = tabs["KPI Desa"]
    rows = [dict(zip(village.header, row, strict=True)) for row in village.rows]
    air_saga = next(r for r in rows if r["Village code"] == AIR_SAGA)
    assert air_saga["Status transactions"] == "On target"
    assert air_saga["Change in transactions"] == "new"
    assert tabs["Ringkasan"].header[:3] == ("Month", "Figure", "This month")


def test_kecamatan_spelled_differently_is_one_kecamatan() -> None:
    villages = (
        Village(AIR_SAGA, "Air Saga", "Tanjungpandan"),
        Village(BULUH, "Buluh Tumbang", " tanjungpandan "),
    )
    reg = Registry(villages, (ambassador("DD-001"),), (shop("T1"), shop("T2", BULUH)))
    result = compute_kpis(frame(line("A", shop="T1"), line("B", shop="T2")), reg, AUG)
    assert result.kecamatan["kecamatan"].tolist() == ["Tanjungpandan"]
    assert result.kecamatan["completed_orders"].tolist() == [2]
