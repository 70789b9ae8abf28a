"""Lineage (kpi/explain.py): the export lines behind one figure add up to it."""

from __future__ import annotations

import pytest
from kpi_factory import (
    AIR_SAGA,
    AUG,
    frame,
    kpis,
    line,
    registry,
    row_of,
)

from sheetsync.kpi import order_lines_behind
from sheetsync.kpi.explain import LINEAGE_COLUMNS


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


def test_a_figure_explain_does_not_cover_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="not 'shops_active'"):
        order_lines_behind(frame(line("A")), registry(), AUG, level="village", key=AIR_SAGA,
                       metric="shops_active")  # fmt: skip


def test_explaining_without_lines_gives_an_empty_table_with_the_lineage_columns() -> None:
    lineage = order_lines_behind(frame(), registry(), AUG, level="regency", key="kabupaten",
                             metric="orders")  # fmt: skip
    assert lineage.empty
    assert list(lineage.columns) == list(LINEAGE_COLUMNS)
