"""Month over month and year to date, for every figure of every level.

A change from zero has no percentage: it is reported as the text "baru" (new), and no
change between two zeros is None, so a reader never sees "inf %" or "NaN".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sheetsync.kpi.rollup import Cube
from sheetsync.kpi_schema import ORDER_METRICS
from sheetsync.months import previous_month

NEW_FROM_ZERO = "baru"
TREND_METRICS = (
    *ORDER_METRICS,
    "shops_registered",
    "shops_new",
    "shops_active",
    "products_live",
    "products_new",
    "products_reported",
)
# Stocks (a count at the month's end) have no year-to-date sum; ytd_shops_active is the
# number of distinct shops active at least once this year (computed at shop grain).
STOCK_METRICS = ("shops_registered", "products_live")
YTD_SUMMED = tuple(m for m in TREND_METRICS if m not in (*STOCK_METRICS, "shops_active"))


def month_over_month(current: object, previous: object) -> float | str | None:
    """(current − previous) / previous × 100; "baru" for a rise from 0; None for 0 → 0."""
    cur, prev = float(current or 0), float(previous or 0)  # type: ignore[arg-type]
    if prev == 0:
        return NEW_FROM_ZERO if cur > 0 else None
    return (cur - prev) / prev * 100.0


def year_months(month: str, window: Sequence[str]) -> list[str]:
    """The window's months of `month`'s year up to and including `month`."""
    return [m for m in window if m[:4] == month[:4] and m <= month]


def trend_columns(cube: Cube, month: str, metrics: Sequence[str]) -> dict[str, np.ndarray]:
    """prev_<m>, mom_<m> and ytd_<m> for each metric of the cube (rows in cube order)."""
    ytd_months = year_months(month, cube.months)
    columns: dict[str, np.ndarray] = {}
    for metric in (m for m in metrics if m in cube.values):
        current = cube.column(metric, month)
        previous = cube.column(metric, previous_month(month))
        columns[f"prev_{metric}"] = previous
        columns[f"mom_{metric}"] = changes(current, previous)
        if metric in YTD_SUMMED:
            columns[f"ytd_{metric}"] = cube.sum_over(metric, ytd_months)
    return columns


def changes(current: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """month_over_month for whole arrays: float pct, "baru" or None (object array)."""
    result = np.full(len(current), None, dtype=object)
    rose_from_zero = (previous == 0) & (current > 0)
    result[rose_from_zero] = NEW_FROM_ZERO
    base = previous != 0
    pct = (current[base] - previous[base]) / previous[base] * 100.0
    result[base] = pct.astype(float).tolist() if base.any() else []
    return result
