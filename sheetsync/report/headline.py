"""The headline figures of a report: value, last month, target, achievement and status.

Each card shows one figure of the area against last month and its target; the status is the
KPI engine's when it gave one, else the configured thresholds. The achievement bars and the
summary judge figures by the same `figure_target`, `figure_achievement_pct`, `figure_status`.
"""

from __future__ import annotations

from typing import Any

from sheetsync.config import Config
from sheetsync.locale_id import DASH, percent, signed_percent
from sheetsync.report.rows import Row, as_int, opt_float
from sheetsync.report.scope import ReportData, Scope
from sheetsync.report.summary import percent_change
from sheetsync.report.tables import fmt
from sheetsync.report.texts import texts

HEADLINE = (
    # (text key, metric column, target name or None, kind)
    ("transactions", "completed_orders", "transactions", "int"),
    ("sales", "sales_idr", "sales_idr", "idr"),
    ("new_shops", "shops_new", "new_shops", "int"),
    ("products", "products_new", "products", "int"),
    ("active_shops", "shops_active", None, "int"),
    ("orders", "orders", None, "int"),
)


def headline_figures(scope: Scope, data: ReportData) -> list[dict[str, Any]]:
    t = texts(data.language)
    rows = []
    for text_key, metric, target_name, kind in HEADLINE:
        if scope.row and metric not in scope.row:  # the level has no such figure
            continue
        value = as_int(scope.row.get(metric))
        known = opt_float(scope.row.get(f"prev_{metric}"))
        previous = None if known is None else int(known)
        target = figure_target(scope.row, target_name)
        pct = figure_achievement_pct(scope.row, target_name, value, target)
        status = figure_status(scope.row, target_name, pct, data.config)
        rows.append(
            {
                "label": t[text_key],
                "metric": metric,
                "kind": kind,
                "value": value,
                "previous": previous,
                "target": target,
                "achievement_pct": pct,
                "status": status,
                "value_text": fmt(value, kind, data.language),
                "previous_text": fmt(previous, kind, data.language),
                "change_text": _change_text(scope.row.get(f"mom_{metric}"), value, previous, data),
                "change_class": _change_class(value, previous or 0),
                "target_text": fmt(target, kind, data.language) if target is not None else DASH,
                "achievement_text": percent(pct, data.language) if pct is not None else DASH,
                "status_label": t[status] if target_name else DASH,
            }
        )
    return rows


def figure_target(row: Row, target_name: str | None) -> int | None:
    if target_name is None:
        return None
    value = opt_float(row.get(f"target_{target_name}"))
    return None if value is None else int(value)


def figure_achievement_pct(
    row: Row, target_name: str | None, value: int, target: int | None
) -> float | None:
    if target_name is None or not target:
        return None
    given = opt_float(row.get(f"achievement_{target_name}_pct"))
    return given if given is not None else value / target * 100


def figure_status(row: Row, target_name: str | None, pct: float | None, config: Config) -> str:
    """The KPI engine's status when it gave one, else the configured thresholds."""
    if target_name is not None:
        given = row.get(f"status_{target_name}")
        if isinstance(given, str) and given in {"on_target", "near", "behind", "no_target"}:
            return given
    if pct is None:
        return "no_target"
    if pct >= config.kpi.on_target_pct:
        return "on_target"
    return "near" if pct >= config.kpi.near_target_pct else "behind"


def _change_text(given: object, value: int, previous: int | None, data: ReportData) -> str:
    """The engine's mom_ figure, else computed; "–" when last month is unknown."""
    change: float | str | None = given if isinstance(given, str) else opt_float(given)
    if change is None and previous is not None:
        change = percent_change(value, previous)
    if change is None:
        return DASH
    if isinstance(change, str):
        return texts(data.language)["new"]
    return signed_percent(change, data.language)


def _change_class(value: int, previous: int) -> str:
    return "up" if value > previous else ("down" if value < previous else "flat")
