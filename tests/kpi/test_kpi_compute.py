"""compute_kpis (kpi/compute.py): one month's tables from lines and the registry."""

from __future__ import annotations

import pytest
from kpi_factory import (
    AIR_SAGA,
    AUG,
    BULUH,
    MEMBALONG,
    frame,
    kpis,
    line,
    registry,
    report,
    row_of,
)

from sheetsync.kpi import (
    compute_kpis,
    kpi_output_tabs,
    kpi_records,
)
from sheetsync.kpi.compute import analysis_window
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


def test_lines_without_a_required_column_are_refused_naming_the_column() -> None:
    lines = frame(line("A")).drop(columns=["file_rank"])
    with pytest.raises(ValueError, match="order lines lack columns: file_rank"):
        compute_kpis(lines, registry(), AUG)


@pytest.mark.parametrize(
    ("month", "history", "window"),
    [
        ("2026-03", 2, ["2026-01", "2026-02", "2026-03"]),  # back to January for YTD
        ("2026-01", 1, ["2025-12", "2026-01"]),  # the previous month for month over month
        ("2026-08", 12, [f"2025-{m:02d}" for m in range(9, 13)]
         + [f"2026-{m:02d}" for m in range(1, 9)]),
    ],
)  # fmt: skip
def test_the_analysis_window_reaches_january_and_the_previous_month(
    month: str, history: int, window: list[str]
) -> None:
    assert analysis_window(month, history) == window
