"""KPI tables + registry + issues -> one plain view dict per report, so templates stay dumb.

Everything a reader sees is decided here: which reports exist, which rows belong to an
area, the status of each figure, the summary sentences and the trend; tables.py builds the
detail tables (text and typed value of every cell), quality.py the data-quality section.
The templates only lay it out; the XLSX writer only types it. Pure: the as-of time and
sources come in as arguments, nothing is read from disk or the clock.

A view is a dict of plain values (str, int, float, lists and dicts of them, and `Markup`
for the SVG chart), so it pickles cheaply to the worker processes that render it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sheetsync.config import Config
from sheetsync.issues import Issue
from sheetsync.kpi_schema import UNASSIGNED, KpiResult
from sheetsync.locale_id import (
    DASH,
    long_date,
    long_datetime,
    number,
    percent,
    rupiah,
    short_month,
    signed_percent,
)
from sheetsync.model import Registry
from sheetsync.months import month_label, months_back, previous_month
from sheetsync.report.charts import TrendPoint, trend_chart
from sheetsync.report.paths import regency_proper_name
from sheetsync.report.quality import (
    build_quality,
    build_todo,
    issue_owners,
    missing_reports,
    owned_issue_indexes,
)
from sheetsync.report.rows import Row, as_int, labelled, missing, opt_float, records, trend_index
from sheetsync.report.summary import SummaryFacts, percent_change, summary_text
from sheetsync.report.tables import build_tables, fmt
from sheetsync.report.texts import DEFINITIONS, texts

LEVELS = ("kabupaten", "kecamatan", "desa", "duta")
TREND_LEVEL = {
    "kabupaten": "regency",
    "kecamatan": "kecamatan",
    "desa": "village",
    "duta": "ambassador",
}


@dataclass(frozen=True, slots=True)
class ReportUnit:
    """One report to write: its level, the area's key (code) and its readable name."""

    level: str
    code: str
    name: str
    aliases: tuple[str, ...] = ()  # other codes that select it, e.g. a kecamatan's "19.02.04"


@dataclass(slots=True)
class ReportData:
    """Everything the views are built from, with the lookups every view needs."""

    result: KpiResult
    registry: Registry
    issues: Sequence[Issue]
    config: Config
    as_of: dt.datetime
    sources: Sequence[str] = ()
    owners: list[tuple[set[str], set[str]]] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    trend: dict[tuple[str, str], dict[str, tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Frames become lists of plain dicts once: scoping 100 reports on them is cheap."""
        self.owners = [issue_owners(i, self.registry) for i in self.issues]
        r = self.result
        frames = {
            "shops": r.shops,
            "ambassadors": r.ambassadors,
            "villages": r.villages,
            "kecamatan": r.kecamatan,
            "regency": r.regency,
            "discipline": r.discipline,
            "top_products": r.top_products,
        }
        self.rows = {name: records(frame) for name, frame in frames.items()}
        for name in ("shops", "ambassadors", "villages", "kecamatan"):
            self.rows[name] = [labelled(row, self.language) for row in self.rows[name]]
        self.trend = trend_index(r.trend)

    @property
    def language(self) -> str:
        return self.config.program.language


# --------------------------------------------------------------------------- units


def report_units(
    result: KpiResult,
    registry: Registry,
    levels: Iterable[str] = LEVELS,
    areas: Collection[str] | None = None,
    *,
    program_name: str = "",
) -> list[ReportUnit]:
    """The reports to write, in a stable order.

    `areas` keeps the units whose code matches (case-insensitively): kecamatan name or its
    Kemendagri code ("19.02.04"), village code, ambassador id, regency name or "kabupaten".
    Names of villages are not matched: they repeat across kecamatan. `program_name` names
    the regency when the KPI tables do not ("Duta Digital Kabupaten Belitung" -> Belitung).
    """
    wanted = {a.casefold() for a in areas} if areas is not None else None
    units: list[ReportUnit] = []
    for level in levels:
        if level not in LEVELS:
            raise ValueError(f"unknown report level {level!r}; known: {', '.join(LEVELS)}")
        found = _units_of(level, result, registry, program_name)
        units.extend(u for u in found if _matches(u, wanted))
    return units


def _matches(unit: ReportUnit, wanted: set[str] | None) -> bool:
    if wanted is None:
        return True
    return bool({c.casefold() for c in (unit.code, *unit.aliases)} & wanted)


def _units_of(
    level: str, result: KpiResult, registry: Registry, program_name: str
) -> list[ReportUnit]:
    if level == "kabupaten":
        name = regency_name(result, program_name)
        return [ReportUnit(level, name, name, ("kabupaten",))]
    if level == "kecamatan":
        kecamatan = {v.kecamatan for v in registry.villages}
        names = sorted(_known(_column(result.kecamatan, "kecamatan")) | kecamatan)
        return [ReportUnit(level, n, n, _kecamatan_codes(n, registry)) for n in names]
    if level == "desa":
        villages = {v.code: v.name for v in registry.villages}
        codes = sorted(_known(_column(result.villages, "village_code")) | set(villages))
        return [ReportUnit(level, c, villages.get(c, c)) for c in codes]
    people = {a.ambassador_id: a.name for a in registry.ambassadors}
    ids = sorted(_known(_column(result.ambassadors, "ambassador_id")) | set(people))
    return [ReportUnit(level, i, people.get(i, i)) for i in ids]


def _kecamatan_codes(name: str, registry: Registry) -> tuple[str, ...]:
    """'19.02.04' from the codes of the kecamatan's villages (19.02.04.2001 …)."""
    return tuple(
        sorted(
            {
                v.code.rsplit(".", 1)[0]
                for v in registry.villages
                if v.kecamatan == name and v.code.count(".") == 3
            }
        )
    )


def regency_name(result: KpiResult, program_name: str = "") -> str:
    """'Belitung' from the regency row, else from the programme's name ("Duta Digital
    Kabupaten Belitung" -> Belitung, else the whole programme name); a leading 'Kabupaten '
    is dropped, since the report's level already says it."""
    name = regency_proper_name(min(_known(_column(result.regency, "regency")), default=""))
    from_program = re.search(r"(?:kabupaten|kab\.)\s+(.+)$", program_name, flags=re.IGNORECASE)
    from_program_name = from_program.group(1).strip() if from_program else program_name.strip()
    return name or from_program_name or "Kabupaten"


def _known(keys: Iterable[Any]) -> set[str]:
    """Unit keys that get a report: the bucket of unplaceable figures gets none."""
    return {str(k) for k in keys if str(k) != UNASSIGNED and not missing(k)}


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    return list(frame[name]) if name in frame.columns else []


# --------------------------------------------------------------------------- views


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
    headline = _headline(scope, data)
    month = data.result.month
    view: dict[str, Any] = {
        **_letterhead(unit, data),
        "t": t,
        "headline": headline,
        "has_targets": any(h["target"] is not None for h in headline),
        "summary": summary_text(_summary_facts(scope, data)),
        "trend": _trend(scope, data),
        "achievement": _achievement(scope, data),
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


# --------------------------------------------------------------------------- scope


@dataclass(slots=True)
class Scope:
    """The rows of every KPI table that belong to one report's area."""

    unit: ReportUnit
    row: Row
    villages: list[Row]
    ambassadors: list[Row]
    shops: list[Row]
    issue_indexes: list[int]

    @classmethod
    def of(cls, unit: ReportUnit, data: ReportData) -> Scope:
        level_rows, key = {
            "kabupaten": ("regency", None),
            "kecamatan": ("kecamatan", "kecamatan"),
            "desa": ("villages", "village_code"),
            "duta": ("ambassadors", "ambassador_id"),
        }[unit.level]
        row = _row_of(data.rows[level_rows], key, unit.code)
        villages = _filter(data.rows["villages"], unit, data.registry)
        ambassadors = _filter(data.rows["ambassadors"], unit, data.registry)
        shops = _filter(data.rows["shops"], unit, data.registry)
        owned = owned_issue_indexes(unit, data, {str(v.get("village_code")) for v in villages})
        return cls(unit, row, villages, ambassadors, shops, owned)


def _row_of(rows: list[Row], key: str | None, code: str) -> Row:
    if key is None:
        return rows[0] if rows else {}
    return next((r for r in rows if str(r.get(key)) == code), {})


def _filter(rows: list[Row], unit: ReportUnit, registry: Registry) -> list[Row]:
    """Rows inside `unit`'s area, by whichever key the rows carry."""
    if unit.level == "kabupaten" or not rows:
        return rows
    if unit.level == "duta":
        column, values = "ambassador_id", {unit.code}
    elif unit.level == "desa":
        column, values = "village_code", {unit.code}
    elif "kecamatan" in rows[0]:
        column, values = "kecamatan", {unit.code}
    else:
        column = "village_code"
        values = {v.code for v in registry.villages if v.kecamatan == unit.code}
    return [r for r in rows if str(r.get(column)) in values]


# --------------------------------------------------------------------------- headline


HEADLINE = (
    # (text key, metric column, target name or None, kind)
    ("transactions", "completed_orders", "transactions", "int"),
    ("sales", "sales_idr", "sales_idr", "idr"),
    ("new_shops", "shops_new", "new_shops", "int"),
    ("products", "products_new", "products", "int"),
    ("active_shops", "shops_active", None, "int"),
    ("orders", "orders", None, "int"),
)


def _headline(scope: Scope, data: ReportData) -> list[dict[str, Any]]:
    t = texts(data.language)
    rows = []
    for text_key, metric, target_name, kind in HEADLINE:
        if scope.row and metric not in scope.row:  # the level has no such figure
            continue
        value = as_int(scope.row.get(metric))
        known = opt_float(scope.row.get(f"prev_{metric}"))
        previous = None if known is None else int(known)
        target = _target(scope.row, target_name)
        pct = _achievement_pct(scope.row, target_name, value, target)
        status = _status(scope.row, target_name, pct, data.config)
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


def _target(row: Row, target_name: str | None) -> int | None:
    if target_name is None:
        return None
    value = opt_float(row.get(f"target_{target_name}"))
    return None if value is None else int(value)


def _achievement_pct(
    row: Row, target_name: str | None, value: int, target: int | None
) -> float | None:
    if target_name is None or not target:
        return None
    given = opt_float(row.get(f"achievement_{target_name}_pct"))
    return given if given is not None else value / target * 100


def _status(row: Row, target_name: str | None, pct: float | None, config: Config) -> str:
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


# --------------------------------------------------------------------------- summary


def _summary_facts(scope: Scope, data: ReportData) -> SummaryFacts:
    row = scope.row
    statuses = [str(v.get("status_transactions")) for v in scope.villages]
    with_target = [s for s in statuses if s != "no_target"]
    own_target = _target(row, "transactions")
    own_pct = _achievement_pct(row, "transactions", as_int(row.get("completed_orders")), own_target)
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


# --------------------------------------------------------------------------- trend


def _trend(scope: Scope, data: ReportData) -> list[dict[str, Any]]:
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


# --------------------------------------------------------------------------- achievement


def _achievement(scope: Scope, data: ReportData) -> dict[str, Any]:
    """Bars coloured by status: villages for area reports, the four targets for a village."""
    t = texts(data.language)
    if scope.unit.level in ("kabupaten", "kecamatan"):
        word = texts(data.language)["unassigned"]
        bars = [_village_bar(v, data) for v in scope.villages if v.get("village_code") != word]
        return {"title": t["achievement_by_village"], "bars": bars}
    if scope.unit.level == "desa":
        bars = [_figure_bar(h, data) for h in _headline(scope, data) if h["target"] is not None]
        bars += [
            _figure_bar(h, data)
            for h in _headline(scope, data)
            if h["target"] is None and h["metric"] in _TARGETED
        ]
        return {"title": t["achievement_by_figure"], "bars": bars}
    return {"title": "", "bars": []}


_TARGETED = {"completed_orders", "sales_idr", "shops_new", "products_new"}


def _village_bar(village: Row, data: ReportData) -> dict[str, Any]:
    value = as_int(village.get("completed_orders"))
    target = _target(village, "transactions")
    pct = _achievement_pct(village, "transactions", value, target)
    status = _status(village, "transactions", pct, data.config)
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


# --------------------------------------------------------------------------- footnote


def _footnote(data: ReportData) -> dict[str, Any]:
    return {
        "definitions": [
            {"term": a, "text": b} for a, b in DEFINITIONS.get(data.language, DEFINITIONS["id"])
        ],
        "as_of_text": long_datetime(data.as_of, data.language),
        "sources": list(data.sources),
    }
