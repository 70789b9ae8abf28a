"""The achievement bars: each village's transactions, or a village's four targeted figures.

Area reports (kabupaten, kecamatan) show one bar per village against its transaction
target; a village report shows its own targeted figures. Bars are coloured by the status
the headline cards use, and capped at 150 % of the target.
"""

from __future__ import annotations

from typing import Any

from sheetsync.locale_id import DASH, percent
from sheetsync.report.headline import (
    figure_achievement_pct,
    figure_status,
    figure_target,
    headline_figures,
)
from sheetsync.report.rows import Row, as_int
from sheetsync.report.scope import ReportData, Scope
from sheetsync.report.tables import fmt
from sheetsync.report.texts import texts


def achievement_bars(scope: Scope, data: ReportData) -> dict[str, Any]:
    """Bars coloured by status: villages for area reports, the four targets for a village."""
    t = texts(data.language)
    if scope.unit.level in ("kabupaten", "kecamatan"):
        word = texts(data.language)["unassigned"]
        bars = [_village_bar(v, data) for v in scope.villages if v.get("village_code") != word]
        return {"title": t["achievement_by_village"], "bars": bars}
    if scope.unit.level == "desa":
        bars = [
            _figure_bar(h, data) for h in headline_figures(scope, data) if h["target"] is not None
        ]
        bars += [
            _figure_bar(h, data)
            for h in headline_figures(scope, data)
            if h["target"] is None and h["metric"] in _TARGETED
        ]
        return {"title": t["achievement_by_figure"], "bars": bars}
    return {"title": "", "bars": []}


_TARGETED = {"completed_orders", "sales_idr", "shops_new", "products_new"}


def _village_bar(village: Row, data: ReportData) -> dict[str, Any]:
    value = as_int(village.get("completed_orders"))
    target = figure_target(village, "transactions")
    pct = figure_achievement_pct(village, "transactions", value, target)
    status = figure_status(village, "transactions", pct, data.config)
    return _bar(
        str(village.get("village_name", village.get("village_code", ""))),
        value,
        target,
        pct,
        status,
        "int",
        data,
    )


def _figure_bar(headline: dict[str, Any], data: ReportData) -> dict[str, Any]:
    return _bar(
        headline["label"],
        headline["value"],
        headline["target"],
        headline["achievement_pct"],
        headline["status"],
        headline["kind"],
        data,
    )


def _bar(
    label: str,
    value: int,
    target: int | None,
    pct: float | None,
    status: str,
    kind: str,
    data: ReportData,
) -> dict[str, Any]:
    t = texts(data.language)
    return {
        "label": label,
        "value_text": fmt(value, kind, data.language),
        "target_text": fmt(target, kind, data.language) if target is not None else DASH,
        "pct": pct,
        "pct_text": percent(pct, data.language) if pct is not None else t["no_target"],
        "width": 0 if pct is None else round(min(pct, 150.0) / 150 * 100, 1),
        "status": status,
        "status_label": t[status],
    }
