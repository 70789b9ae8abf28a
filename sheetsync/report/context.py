"""KPI tables + registry + issues -> one plain view dict per report, so templates stay dumb.

Everything a reader sees is decided by the report modules this one assembles: units.py which
reports exist, scope.py which rows belong to an area, headline.py the status of each figure,
summary.py the summary sentences, trend.py the twelve months, achievement.py the bars,
tables.py the detail tables (text and typed value of every cell), quality.py the
data-quality section. The templates only lay it out; the XLSX writer only types it. Pure:
the as-of time and sources come in as arguments, nothing is read from disk or the clock.

A view is a dict of plain values (str, int, float, lists and dicts of them, and `Markup`
for the SVG chart), so it pickles cheaply to the worker processes that render it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sheetsync.config import Config
from sheetsync.issues import Issue
from sheetsync.kpi_schema import KpiResult
from sheetsync.locale_id import long_date, long_datetime
from sheetsync.model import Registry
from sheetsync.months import month_label, previous_month
from sheetsync.report.achievement import achievement_bars
from sheetsync.report.charts import TrendPoint, trend_chart
from sheetsync.report.headline import figure_achievement_pct, figure_target, headline_figures
from sheetsync.report.quality import build_quality, build_todo, missing_reports
from sheetsync.report.rows import Row, as_int
from sheetsync.report.scope import ReportData, Scope
from sheetsync.report.summary import SummaryFacts, summary_text
from sheetsync.report.tables import build_tables
from sheetsync.report.texts import DEFINITIONS, texts
from sheetsync.report.trend import trend_points
from sheetsync.report.units import LEVELS, ReportUnit, regency_name, report_units

__all__ = [
    "LEVELS",
    "ReportData",
    "ReportUnit",
    "Scope",
    "build_view",
    "build_views",
    "regency_name",
    "report_units",
]


def build_views(
    result: KpiResult,
    registry: Registry,
    *,
    issues: Sequence[Issue],
    config: Config,
    as_of: dt.datetime,
    sources: Sequence[str] = (),
    levels: Iterable[str] = LEVELS,
    areas: Collection[str] | None = None,
) -> list[tuple[ReportUnit, dict[str, Any]]]:
    """One (unit, view) per report, in `report_units` order."""
    data = ReportData(result, registry, issues, config, as_of, sources)
    return [
        (unit, build_view(unit, data))
        for unit in report_units(result, registry, levels, areas, program_name=config.program.name)
    ]


def build_view(unit: ReportUnit, data: ReportData) -> dict[str, Any]:
    """The plain dict one template (and the XLSX writer) renders for `unit`."""
    scope = Scope.of(unit, data)
    t = texts(data.language)
    headline = headline_figures(scope, data)
    month = data.result.month
    view: dict[str, Any] = {
        **_letterhead(unit, data),
        "t": t,
        "headline": headline,
        "has_targets": any(h["target"] is not None for h in headline),
        "summary": summary_text(_summary_facts(scope, data)),
        "trend": trend_points(scope, data),
        "achievement": achievement_bars(scope, data),
        "tables": build_tables(scope, data),
        "quality": build_quality(scope, data),
        "todo": build_todo(scope, data) if unit.level == "duta" else None,
        "footnote": _footnote(data),
        "month": month,
    }
    view["trend_svg"] = trend_chart(
        [TrendPoint(p["label"], p["transactions"], p["sales_idr"]) for p in view["trend"]],
        bar_label=t["transactions"],
        line_label=t["sales"],
        language=data.language,
    )
    return view


def _letterhead(unit: ReportUnit, data: ReportData) -> dict[str, Any]:
    t = texts(data.language)
    program = data.config.program
    level_label = t[f"level_{unit.level}"]
    heading = t["scorecard"] if unit.level == "duta" else f"{t['report']} {level_label}"
    return {
        "language": data.language,
        "level": unit.level,
        "level_label": level_label,
        "area_code": unit.code,
        "area_name": unit.name,
        "title": f"{heading} {unit.name}",
        "month_label": month_label(data.result.month, data.language),
        "previous_month_label": month_label(previous_month(data.result.month), data.language),
        "program_name": program.name,
        "agency": program.agency,
        "as_of_text": long_datetime(data.as_of, data.language),
        "place_date": long_date(data.as_of.date(), data.language),
        "signatures": [
            {"title": s.title, "name": s.name, "position": s.position}
            for s in data.config.reports.signatures
        ],
    }


def _summary_facts(scope: Scope, data: ReportData) -> SummaryFacts:
    row = scope.row
    statuses = [str(v.get("status_transactions")) for v in scope.villages]
    with_target = [s for s in statuses if s != "no_target"]
    own_target = figure_target(row, "transactions")
    own_pct = figure_achievement_pct(
        row, "transactions", as_int(row.get("completed_orders")), own_target
    )
    return SummaryFacts(
        language=data.language,
        previous_month=previous_month(data.result.month),
        transactions=as_int(row.get("completed_orders")),
        previous_transactions=as_int(row.get("prev_completed_orders")),
        sales_idr=as_int(row.get("sales_idr")),
        previous_sales_idr=as_int(row.get("prev_sales_idr")),
        shops_active=as_int(row.get("shops_active", _count_active(scope.shops))),
        shops_registered=as_int(row.get("shops_registered", len(scope.shops))),
        villages_with_target=len(with_target),
        villages_below_target=sum(s in ("near", "behind") for s in with_target),
        own_achievement_pct=own_pct,
        own_has_target=own_target is not None,
        missing_reports=len(missing_reports(scope, data)),
        open_issues=len(scope.issue_indexes),
        area_report=scope.unit.level in ("kabupaten", "kecamatan"),
        personal=scope.unit.level == "duta",
    )


def _count_active(shops: list[Row]) -> int:
    return sum(as_int(s.get("completed_orders")) > 0 for s in shops)


def _footnote(data: ReportData) -> dict[str, Any]:
    return {
        "definitions": [
            {"term": a, "text": b} for a, b in DEFINITIONS.get(data.language, DEFINITIONS["id"])
        ],
        "as_of_text": long_datetime(data.as_of, data.language),
        "sources": list(data.sources),
    }
