"""One snapshot per order (kpi/resolve.py).

The newest export's copy counts, a final status is never replaced, and the month comes
from the chosen snapshot.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kpi_factory import (
    AUG,
    frame,
    kpis,
    line,
    registry,
    shop_row,
)

from sheetsync.kpi import (
    compute_kpis,
    resolve_orders,
)
from sheetsync.kpi.resolve import lexical_order, month_index, month_labels


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
    chosen = once[["order_id", "file_id", "line_no", "order_status"]].to_records(index=False)
    assert [tuple(r) for r in chosen] == [
        ("A", 2, 1, "completed"), ("B", 1, 1, "cancelled"), ("B", 1, 2, "cancelled"),
    ]  # fmt: skip
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


def test_a_line_without_creation_time_belongs_to_no_month() -> None:
    rows = frame(line("A"), line("B"))
    rows.loc[1, "created_at"] = pd.NaT
    assert resolve_orders(rows)["month"].tolist() == [AUG, ""]
    assert compute_kpis(rows, registry(), AUG).regency["orders"].iloc[0] == 1


def test_resolving_nothing_gives_an_empty_frame_with_the_added_columns() -> None:
    resolved = resolve_orders(frame())
    assert resolved.empty
    assert {"order_status", "order_created_at", "month"} <= set(resolved.columns)


def test_month_index_counts_months_since_1970() -> None:
    assert month_index("1970-01") == 0
    assert month_index("2026-08") == (2026 - 1970) * 12 + 7


def test_month_labels_name_each_moment_and_leave_a_missing_one_empty() -> None:
    moments = pd.Series(pd.to_datetime(["2026-08-31 23:59", None, "2027-01-01 00:00"]))
    assert month_labels(moments).tolist() == ["2026-08", "", "2027-01"]
    assert month_labels(pd.Series(np.array([], dtype="datetime64[ns]"))).tolist() == []


column_values = st.sampled_from([(0, 3), (-5, 5), (0, 1), (-(2**40), 2**40), (0, 2**62)])


@settings(max_examples=80, deadline=None)
@given(st.lists(column_values, min_size=1, max_size=5), st.integers(0, 40), st.randoms())
def test_lexical_order_is_lexsort_with_the_first_column_first(
    ranges: list[tuple[int, int]], size: int, rng: random.Random
) -> None:
    """Packed into one integer when the ranges fit, lexsort when they do not: alike,
    ties in the lines' own order."""
    columns = [
        np.array([rng.randint(low, high) for _ in range(size)], dtype=np.int64)
        for low, high in ranges
    ]
    assert np.array_equal(lexical_order(columns), np.lexsort(columns[::-1]))
