"""compute_kpis (kpi/compute.py): one month's tables from lines and the registry."""

from __future__ import annotations

from kpi_factory import (
    AIR_SAGA,
    AUG,
    BULUH,
    MEMBALONG,
    kpis,
    line,
    registry,
    report,
    row_of,
)

from sheetsync.kpi import (
    kpi_output_tabs,
    kpi_records,
)
from sheetsync.kpi_schema import ORDER_METRICS, UNASSIGNED


def test_a_month_with_no_data_shows_every_unit_with_zeros() -> None:
    result = kpis()
    assert result.villages["village_code"].tolist() == sorted([AIR_SAGA, BULUH, MEMBALONG])
    assert (result.villages[list(ORDER_METRICS)] == 0).all().all()
    assert result.regency["orders"].iloc[0] == 0
    assert result.regency["mom_orders"].iloc[0] is None
    assert len(kpi_output_tabs(result, registry())) == 5
    assert all(isinstance(r["sales_idr"], int) for r in kpi_records(result, "village"))


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


def test_a_report_by_an_unknown_ambassador_is_kept_in_the_bucket() -> None:
    reg = registry(reports=(report("DD-404", AUG, "2026-09-01 08:00", products=7),))
    result = kpis(reg=reg)
    assert row_of(result.ambassadors, "ambassador_id", UNASSIGNED)["products_reported"] == 7
    assert row_of(result.villages, "village_code", UNASSIGNED)["products_reported"] == 7
    assert result.regency["products_reported"].iloc[0] == 7
    assert result.regency["reports_filed"].iloc[0] == 0  # not an active ambassador
