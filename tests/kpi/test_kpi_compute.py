"""compute_kpis (kpi/compute.py): one month's tables from lines and the registry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kpi_factory import (
    AIR_SAGA,
    AUG,
    BULUH,
    MEMBALONG,
    assert_same_kpis,
    frame,
    kpis,
    line,
    registry,
    report,
    row_of,
)
from test_kpi_columns import as_arrow

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


def shop_runs(lines: pd.DataFrame, shops_first: list[str]) -> pd.DataFrame:
    """The same lines with each shop's lines moved, in their own order, into one run, the
    shops in the order given: as when a caller splits the lines by shop and joins them."""
    rank = lines["shop_id"].map({s: i for i, s in enumerate(shops_first)})
    return lines.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)


shops_of_lines = ["T1", "T2", "T3", "T9"]  # T9 sells without being registered
by_shop_lines = st.lists(
    st.builds(
        line,
        st.sampled_from(["A", "B", "C"]),  # each order re-exported in several files
        st.sampled_from(["completed", "cancelled", "returned", "unpaid", "in_progress"]),
        st.sampled_from(["2026-08-03 10:00", "2026-08-20 10:00", "2026-06-01 09:00", None]),
        shop=st.sampled_from(shops_of_lines),
        file_id=st.integers(1, 4),
        qty=st.integers(1, 2),  # few values: best sellers tie on sales and units
        price=st.sampled_from([10_000, 20_000]),
        line_no=st.integers(1, 2),
        product=st.sampled_from(["P1", "P2", ""]),
    ),
    max_size=40,
)


TIES_AND_GAPS = [
    line("A", shop="T1", product="P1", qty=2),
    line("A", "cancelled", shop="T1", file_id=2, product="P1", qty=2),  # newer final: unsold
    line("B", shop="T2", product="P2", qty=2),  # ties with T3's P1 on sales and units
    line("B", "unpaid", shop="T2", file_id=3, product="P2"),  # never undoes completed
    line("A", shop="T3", product="P1", qty=2),
    line("C", shop="T3", created=None, product=""),  # no creation time
    line("A", shop="T9", created="2026-06-01 09:00", product="P2"),  # only another month
]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(by_shop_lines, st.permutations(shops_of_lines))
@example(TIES_AND_GAPS, ["T3", "T9", "T2", "T1"])
def test_the_kpis_do_not_depend_on_the_order_the_shops_lines_come_in(
    rows: list[dict], shops_first: list[str]
) -> None:
    """An order never spans two shops, so the lines may be figured shop by shop (on two
    cores, say): every table must come out identical, best sellers' ties included."""
    lines = frame(*rows)
    reg = registry()
    moved = shop_runs(lines, shops_first)
    for read in (lambda f: f, as_arrow):
        expected = compute_kpis(read(lines), reg, AUG)
        assert_same_kpis(compute_kpis(read(moved), reg, AUG), expected, check_exact=True)
