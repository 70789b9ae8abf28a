"""Trends (kpi/trends.py): month-over-month change, year to date, twelve months per unit."""

from __future__ import annotations

import numpy as np
import pytest
from kpi_factory import (
    AUG,
    kpis,
    line,
    shop_row,
)

from sheetsync.kpi.trends import changes, year_months


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


def test_year_to_date_months_stay_in_the_year_and_stop_at_the_month() -> None:
    window = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert year_months("2026-02", window) == ["2026-01", "2026-02"]
    assert year_months("2025-12", window) == ["2025-11", "2025-12"]


def test_changes_of_whole_columns_give_percent_baru_or_none() -> None:
    result = changes(np.array([3, 5, 0, 2]), np.array([4, 0, 0, 2]))
    assert result.tolist() == [-25.0, "baru", None, 0.0]
