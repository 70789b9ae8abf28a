"""The twelve-month series of a report's area: transactions and sales, oldest first.

The KPI engine's trend rows for the area's level when there are some, else the sum of its
shops' rows; months without data count as zero. The chart (charts.py) draws these points.
"""

from __future__ import annotations

from typing import Any

from sheetsync.locale_id import number, rupiah, short_month
from sheetsync.months import month_label, months_back
from sheetsync.report.scope import ReportData, Scope

TREND_LEVEL = {
    "kabupaten": "regency",
    "kecamatan": "kecamatan",
    "desa": "village",
    "duta": "ambassador",
}


def trend_points(scope: Scope, data: ReportData) -> list[dict[str, Any]]:
    """Twelve points oldest first; months without data count as zero."""
    window = months_back(data.result.month, 12)
    figures = _trend_figures(scope, data)
    points = []
    for month in window:
        tx, sales = figures.get(month, (0, 0))
        points.append(
            {
                "month": month,
                "label": short_month(month, data.language),
                "month_label": month_label(month, data.language),
                "transactions": tx,
                "sales_idr": sales,
                "transactions_text": number(tx, data.language),
                "sales_text": rupiah(sales, data.language),
                "sales_millions_text": number(sales / 1_000_000, data.language, decimals=1),
            }
        )
    return points


def _trend_figures(scope: Scope, data: ReportData) -> dict[str, tuple[int, int]]:
    """The area's own trend rows; the sum of its shops' rows when the level has none."""
    level = TREND_LEVEL[scope.unit.level]
    if scope.unit.level == "kabupaten":
        own = [v for (lvl, _), v in data.trend.items() if lvl == level]
    else:
        own = (
            [data.trend[(level, scope.unit.code)]] if (level, scope.unit.code) in data.trend else []
        )
    if not own:
        own = [data.trend.get(("shop", str(s.get("shop_id"))), {}) for s in scope.shops]
    totals: dict[str, tuple[int, int]] = {}
    for series in own:
        for month, (tx, sales) in series.items():
            old_tx, old_sales = totals.get(month, (0, 0))
            totals[month] = (old_tx + tx, old_sales + sales)
    return totals
