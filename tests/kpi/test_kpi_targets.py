"""Targets (kpi/targets.py): achievement and status per figure.

No target is never 0 %; above the village, targets are summed.
"""

from __future__ import annotations

import pandas as pd
import pytest
from kpi_factory import (
    AIR_SAGA,
    MEMBALONG,
    kpis,
    line,
    registry,
    row_of,
    target,
)

from sheetsync.kpi import kpi_output_tabs
from sheetsync.kpi_schema import KpiConfig


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
