"""Ranking (kpi/ranking.py): the composite or a chosen figure, ties broken by key."""

from __future__ import annotations

import pytest
from kpi_factory import (
    AIR_SAGA,
    BULUH,
    MEMBALONG,
    kpis,
    line,
)

from sheetsync.errors import ConfigError
from sheetsync.kpi_schema import KpiConfig


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
