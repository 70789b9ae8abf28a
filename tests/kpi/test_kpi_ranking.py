"""Ranking (kpi/ranking.py): the composite or a chosen figure, ties broken by key."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kpi_factory import (
    AIR_SAGA,
    BULUH,
    MEMBALONG,
    kpis,
    line,
)

from sheetsync.errors import ConfigError
from sheetsync.kpi.ranking import ranking_columns
from sheetsync.kpi_schema import UNASSIGNED, KpiConfig


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


def test_the_unassigned_bucket_gets_no_score_and_no_rank() -> None:
    figures = {"sales_idr": np.array([10, 99, 30])}
    columns = ranking_columns(["A", UNASSIGNED, "C"], figures, "sales_idr")
    assert list(columns["rank"]) == [2, pd.NA, 1]  # type: ignore[call-overload]
    assert list(columns["score"]) == [10.0, pd.NA, 30.0]  # type: ignore[call-overload]


def test_a_composite_of_nothing_scores_zero_and_ranks_by_key() -> None:
    zeros = np.zeros(2, dtype=np.int64)
    figures = dict.fromkeys(("completed_orders", "sales_idr", "shops_active", "products_new"),
                            zeros)  # fmt: skip
    columns = ranking_columns(["B", "A"], figures, "composite")
    assert list(columns["score"]) == [0.0, 0.0]  # type: ignore[call-overload]
    assert list(columns["rank"]) == [2, 1]  # type: ignore[call-overload]
