"""compute_kpis: order lines + the registry -> every KPI table of one month.

Pure: the month and the thresholds are arguments; no clock, files or environment. The
steps are (1) one snapshot per order, (2) figures per shop × month and per ambassador ×
month as integer matrices, (3) plain-sum roll-ups to every level, (4) per-level extras
for the month: labels, shares, trends, targets, reporting discipline, ranking, (5) the
two-source check, the 12-month trend frame and the best sellers. Each month table is built
as columns and turned into a DataFrame once. Rules in plain language: docs/kpi.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sheetsync.kpi import discipline as disc
from sheetsync.kpi.columns import Lines, column_names, sold_products
from sheetsync.kpi.measures import MONTH_INDEX, latest_form_reports, order_table
from sheetsync.kpi.ranking import ranking_columns
from sheetsync.kpi.resolve import MONTH, ORDER_STATUS, Resolution, month_index, resolve_lines
from sheetsync.kpi.rollup import Cube, child_cube, parent_codes, roll_up, shop_cube, sum_by_parent
from sheetsync.kpi.targets import target_columns, village_targets
from sheetsync.kpi.trends import TREND_METRICS, trend_columns, year_months
from sheetsync.kpi.units import ambassador_frame, shop_frame, unit_order, village_frame
from sheetsync.kpi_schema import LEVEL_KEYS, TARGET_FIGURES, UNASSIGNED, KpiConfig, KpiResult
from sheetsync.model import OrderStatus, Registry
from sheetsync.months import months_back

DEFAULT_REGENCY = "kabupaten"
# The line columns compute_kpis reads: a caller at province scale asks the ledger for these
# only (every further text column decoded costs a fraction of a second per million lines).
KPI_LINE_COLUMNS = ("marketplace", "order_id", "line_no", "product_id", "product_name",
                    "quantity", "line_sales_idr", "status", "created_at")  # fmt: skip
REQUIRED_LINE_COLUMNS = (*KPI_LINE_COLUMNS, "shop_id", "file_id", "file_rank")
TOP_PRODUCTS_PER_UNIT = 10
RANKED_LEVELS = ("ambassador", "village", "kecamatan")
# Levels the ambassadors' own figures (Laporan Duta) roll up to.
ABOVE_AMBASSADOR = ("ambassador", "village", "kecamatan", "regency")
TARGET_LEVELS = ("village", "kecamatan", "regency")
SHOP_LABELS = (
    "shop_name", "marketplace", "owner", "owner_phone_masked", "registered_on", "in_registry",
    "village_code", "village_name", "kecamatan", "ambassador_id", "ambassador_name",
)  # fmt: skip
AMBASSADOR_LABELS = ("ambassador_name", "village_code", "village_name", "kecamatan", "active")
VILLAGE_LABELS = ("village_name", "kecamatan")
_LABEL_DEFAULTS: dict[str, Any] = {"registered_on": None, "in_registry": False, "active": False}


def analysis_window(month: str, history_months: int) -> list[str]:
    """Months to compute: the trend history, and at least back to January (for YTD) and to
    the previous month (for month over month)."""
    return months_back(month, max(history_months, int(month[5:7]), 2))


def compute_kpis(
    lines: Lines,
    registry: Registry,
    month: str,
    *,
    listings: pd.DataFrame | None = None,
    kpi_config: KpiConfig = KpiConfig(),  # noqa: B008 - frozen dataclass, safe as default
    history_months: int = 12,
    regency_name: str = DEFAULT_REGENCY,
) -> KpiResult:
    """Every KPI table of `month` (see kpi_schema for the contract, docs/kpi.md for rules).

    `lines`: every stored line of the candidate orders (at least KPI_LINE_COLUMNS, plus
    shop_id, file_id, file_rank), a DataFrame or the ledger's Arrow table (kpi.columns);
    `listings`: shop_id, snapshot_date, product_id, file_id.
    """
    window = analysis_window(month, history_months)
    lines = _checked_lines(lines)
    resolution = resolve_lines(lines)
    orders = order_table(lines, resolution)
    context = _Context.build(registry, orders, listings, regency_name, month, kpi_config)
    shops = shop_cube(orders, context.shops, listings, window)
    ambassadors = _ambassador_cube(context, window)
    cubes = {level: _level_cube(level, context, shops, ambassadors) for level in LEVEL_KEYS}
    tables = {level: _month_table(level, cubes, context) for level in LEVEL_KEYS}
    return KpiResult(
        month=month,
        shops=tables["shop"],
        ambassadors=tables["ambassador"],
        villages=tables["village"],
        kecamatan=tables["kecamatan"],
        regency=tables["regency"],
        trend=_trend_frame(cubes, window[-history_months:]),
        top_products=top_products(lines, resolution, orders, context.shops, month),
        discipline=context.discipline,
        two_source=_two_source(tables, context),
    )


def _checked_lines(lines: Lines) -> Lines:
    """Missing columns are a programming error upstream, not a data problem."""
    missing = [c for c in REQUIRED_LINE_COLUMNS if c not in column_names(lines)]
    if missing:
        raise ValueError(f"order lines lack columns: {', '.join(missing)}")
    return lines


@dataclass(frozen=True)
class _Context:
    """The registry as frames and lookups, and the month's settings, built once."""

    registry: Registry
    month: str
    config: KpiConfig
    regency: str
    shops: pd.DataFrame  # every shop seen or registered (units.shop_frame)
    ambassadors: pd.DataFrame  # registered, plus the bucket when a report fell into it
    villages: pd.DataFrame
    reports: pd.DataFrame  # latest Laporan Duta per ambassador and month
    discipline: pd.DataFrame
    shop_parent: dict[str, dict[str, str]]  # level -> shop_id -> unit
    ambassador_parent: dict[str, dict[str, str]]  # level -> ambassador_id -> unit
    units: dict[str, list[str]]

    @classmethod
    def build(
        cls,
        registry: Registry,
        orders: pd.DataFrame,
        listings: pd.DataFrame | None,
        regency: str,
        month: str,
        config: KpiConfig,
    ) -> _Context:
        seen = {str(s) for s in orders["shop_id"].unique()}
        if listings is not None and not listings.empty:
            seen |= set(listings["shop_id"].astype(str).unique())
        shops = shop_frame(registry, seen)
        registered = ambassador_frame(registry)
        reports = latest_form_reports(registry)
        known = reports["ambassador_id"].isin(registered["ambassador_id"])
        reports["ambassador_id"] = reports["ambassador_id"].where(known, UNASSIGNED)
        ambassadors = _with_bucket(registered) if (~known).any() else registered
        month_reports = _reports_of(reports, month)
        discipline = disc.discipline_frame(registered, month_reports, month, config.report_due_day)
        shop_parent = _parents(shops, "shop_id", regency)
        ambassador_parent = _parents(ambassadors, "ambassador_id", regency)
        villages = village_frame(registry)
        units = _units(villages, registered, shop_parent, ambassador_parent, regency)
        units["shop"] = shops["shop_id"].tolist()
        return cls(
            registry,
            month,
            config,
            regency,
            shops,
            ambassadors,
            villages,
            reports,
            discipline,
            shop_parent,
            ambassador_parent,
            units,
        )

    def month_reports(self) -> dict[str, dict[str, Any]]:
        return _reports_of(self.reports, self.month)


def _reports_of(reports: pd.DataFrame, month: str) -> dict[str, dict[str, Any]]:
    """ambassador_id -> its latest Laporan Duta of `month` (None for an empty answer)."""
    rows = reports[reports[MONTH] == month].to_dict("records")
    return {str(r["ambassador_id"]): {str(k): _none_if_na(v) for k, v in r.items()} for r in rows}


def _none_if_na(value: object) -> object:
    return None if value is None or value is pd.NA or value is pd.NaT else value


def _with_bucket(ambassadors: pd.DataFrame) -> pd.DataFrame:
    """The ambassador frame plus the bucket for reports of unknown ambassadors."""
    bucket = pd.DataFrame(
        [(UNASSIGNED, "", UNASSIGNED, False, UNASSIGNED)],
        columns=["ambassador_id", "ambassador_name", "village_code", "active", "kecamatan"],
    )
    return pd.concat([ambassadors, bucket], ignore_index=True)


def _parents(frame: pd.DataFrame, key: str, regency: str) -> dict[str, dict[str, str]]:
    """For each level above `key`: child id -> the unit it rolls up to."""
    children = frame[key].tolist()
    parents = {
        level: dict(zip(children, frame[LEVEL_KEYS[level]].tolist(), strict=True))
        for level in ("ambassador", "village", "kecamatan")
    }
    parents["regency"] = dict.fromkeys(children, regency)
    return parents


def _units(
    villages: pd.DataFrame,
    ambassadors: pd.DataFrame,
    shop_parent: dict[str, dict[str, str]],
    ambassador_parent: dict[str, dict[str, str]],
    regency: str,
) -> dict[str, list[str]]:
    """Every unit of each level: the registry's own, plus a bucket only when used."""
    registered = {
        "ambassador": ambassadors["ambassador_id"].tolist(),
        "village": villages["village_code"].tolist(),
        "kecamatan": villages["kecamatan"].tolist(),
    }
    units = {
        level: unit_order([*own, *shop_parent[level].values(), *ambassador_parent[level].values()])
        for level, own in registered.items()
    }
    units["regency"] = [regency]
    return units


def _ambassador_cube(context: _Context, window: list[str]) -> Cube:
    """products_reported per (ambassador, month): the latest Laporan Duta's figure."""
    reports = context.reports.assign(
        products_reported=context.reports["products_uploaded"].fillna(0).astype("int64")
    )
    units = context.ambassadors["ambassador_id"].tolist()
    return child_cube("ambassador_id", units, window, reports, ("products_reported",))


def _level_cube(level: str, context: _Context, shops: Cube, ambassadors: Cube) -> Cube:
    """One level's figures for every unit and month (both trees merged)."""
    if level == "shop":
        return shops
    key, units = LEVEL_KEYS[level], context.units[level]
    cube = roll_up(shops, context.shop_parent[level], key, units)
    reported = roll_up(ambassadors, context.ambassador_parent[level], key, units)
    return Cube(key, units, cube.months, {**cube.values, **reported.values})


def _month_table(level: str, cubes: Mapping[str, Cube], context: _Context) -> pd.DataFrame:
    """The month's row per unit: key, labels, figures and every derived column."""
    key, month, cube = LEVEL_KEYS[level], context.month, cubes[level]
    columns: dict[str, Any] = {key: cube.units}
    columns |= _labels(level, cube.units, context)
    columns |= {metric: cube.column(metric, month) for metric in cube.values}
    columns["ytd_shops_active"] = _ytd_active(level, cubes["shop"], context)
    columns["assigned"] = _assigned(level, cube.units, columns)
    columns["share_active"] = disc.share_pct(columns["shops_active"], columns["shops_registered"])
    columns |= trend_columns(cube, month, TREND_METRICS)
    if level in ABOVE_AMBASSADOR:
        columns |= _discipline_columns(level, cube.units, context)
    if level in TARGET_LEVELS:
        columns |= _targets(level, cube.units, context, cubes["village"])
    if level in RANKED_LEVELS:
        columns |= ranking_columns(cube.units, columns, context.config.ranking_metric)
    return pd.DataFrame(columns)


def _assigned(level: str, units: list[str], columns: dict[str, Any]) -> list[bool]:
    if level == "shop":
        return [bool(v) for v in columns["in_registry"]]
    return [unit != UNASSIGNED for unit in units]


def _labels(level: str, units: list[str], context: _Context) -> dict[str, list[Any]]:
    """Label columns looked up per unit; unknown units get '' (or None/False)."""
    sources: dict[str, tuple[pd.DataFrame, tuple[str, ...]]] = {
        "shop": (context.shops, SHOP_LABELS),
        "ambassador": (context.ambassadors, AMBASSADOR_LABELS),
        "village": (context.villages, VILLAGE_LABELS),
    }
    if level not in sources:
        return {}
    table, names = sources[level]
    table = _with_names(table, context)
    key = LEVEL_KEYS[level]
    known = {row[key]: row for row in table.to_dict("records")}
    return {name: [_label(known.get(unit, {}).get(name), name) for unit in units] for name in names}


def _with_names(table: pd.DataFrame, context: _Context) -> pd.DataFrame:
    """Add village_name / ambassador_name / owner_phone_masked where a level shows them."""
    village_names = dict(
        zip(context.villages["village_code"], context.villages["village_name"], strict=True)
    )
    names = dict(
        zip(
            context.ambassadors["ambassador_id"],
            context.ambassadors["ambassador_name"],
            strict=True,
        )
    )
    extra: dict[str, Any] = {}
    if "village_code" in table.columns:
        extra["village_name"] = [village_names.get(c, "") for c in table["village_code"]]
    if "ambassador_id" in table.columns and "ambassador_name" not in table.columns:
        extra["ambassador_name"] = [names.get(a, "") for a in table["ambassador_id"]]
    if "shop_id" in table.columns:
        extra["owner_phone_masked"] = ""  # the registry holds no owner phone
    return table.assign(**extra) if extra else table


def _label(value: object, name: str) -> object:
    if name in _LABEL_DEFAULTS:
        return _LABEL_DEFAULTS[name] if _none_if_na(value) is None else value
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _ytd_active(level: str, shops: Cube, context: _Context) -> np.ndarray:
    """Distinct shops with a completed order (while registered) in any month of the year
    so far: per shop the max over those months, then summed like any figure."""
    picked = [shops.months.index(m) for m in year_months(context.month, shops.months)]
    active = shops.values["shops_active"][:, picked].max(axis=1)
    if level == "shop":
        return active
    units = context.units[level]
    return sum_by_parent(shops.units, active, context.shop_parent[level], units)


def _discipline_columns(level: str, units: list[str], context: _Context) -> dict[str, Any]:
    """Report filed / on time (ambassadors) and counts plus shares (levels above)."""
    counts = disc.discipline_counts(context.discipline)
    children = context.discipline["ambassador_id"].tolist()
    parent_of = context.ambassador_parent[level]
    columns: dict[str, Any] = {
        name: sum_by_parent(children, values, parent_of, units) for name, values in counts.items()
    }
    columns["share_reports_filed"] = disc.share_pct(
        columns["reports_filed"], columns["ambassadors_active"]
    )
    columns["share_reports_on_time"] = disc.share_pct(
        columns["reports_on_time"], columns["ambassadors_active"]
    )
    if level == "ambassador":
        own = context.discipline.set_index("ambassador_id")
        filed = own["filed"].to_dict()
        on_time = own["on_time"].to_dict()
        submitted = own["submitted_at"].to_dict()
        columns["report_filed"] = [bool(filed.get(u, False)) for u in units]
        columns["report_on_time"] = [bool(on_time.get(u, False)) for u in units]
        columns["report_submitted_at"] = [_none_if_na(submitted.get(u)) for u in units]
    return columns


def _targets(
    level: str, units: list[str], context: _Context, villages_cube: Cube
) -> dict[str, object]:
    """Targets of the villages, summed to `level`'s units and compared with their actuals."""
    villages = context.units["village"]
    figures = {
        figure: villages_cube.column(figure, context.month) for figure in TARGET_FIGURES.values()
    }
    if level == "village":
        parents = np.arange(len(villages))
    else:
        kecamatan_of = dict(
            zip(context.villages["village_code"], context.villages["kecamatan"], strict=True)
        )
        parent_of = {
            v: (kecamatan_of.get(v, UNASSIGNED) if level == "kecamatan" else context.regency)
            for v in villages
        }
        parents = parent_codes(villages, parent_of, units)
    targets = village_targets(context.registry, context.month)
    return target_columns(villages, figures, targets, parents, len(units), context.config)


def _two_source(tables: dict[str, pd.DataFrame], context: _Context) -> pd.DataFrame:
    """Reported vs observed for ambassadors and villages; products only with listings."""
    reported = context.month_reports()
    shops = tables["shop"]
    has_listings = bool(shops["products_live"].sum() or shops["products_new"].sum())
    figures = ("new_shops", "products_uploaded") if has_listings else ("new_shops",)
    tolerance = context.config.two_source_tolerance
    rows = _two_source_level("ambassador", tables["ambassador"], reported, tolerance, figures)
    by_village = _reports_by_village(reported, context.ambassador_parent["village"])
    rows += _two_source_level("village", tables["village"], by_village, tolerance, figures)
    return disc.two_source_frame(rows)


def _two_source_level(
    level: str,
    table: pd.DataFrame,
    reported: Mapping[str, Mapping[str, Any]],
    tolerance: int,
    figures: Sequence[str],
) -> list[tuple[Any, ...]]:
    key = LEVEL_KEYS[level]
    name = "ambassador_name" if level == "ambassador" else "village_name"
    observed = {c: table[c].to_numpy() for c in ("shops_new", "products_new")}
    return disc.two_source_rows(
        level, table[key].tolist(), table[name].tolist(), observed, reported, tolerance, figures
    )


def _reports_by_village(
    reported: Mapping[str, Mapping[str, Any]], village_of: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """The ambassadors' reported figures summed per village (None when nobody gave one)."""
    totals: dict[str, dict[str, Any]] = {}
    for ambassador_id, report in reported.items():
        unit = village_of.get(ambassador_id, UNASSIGNED)
        village = totals.setdefault(unit, {"new_shops": None, "products_uploaded": None})
        for figure in ("new_shops", "products_uploaded"):
            if report.get(figure) is not None:
                village[figure] = (village[figure] or 0) + int(report[figure])
    return totals


def _trend_frame(cubes: dict[str, Cube], months: Sequence[str]) -> pd.DataFrame:
    """month, level, key + figures for the last `months`, every level stacked."""
    parts = [
        cube.long_frame(months).rename(columns={cube.key: "key"}).assign(level=level)
        for level, cube in cubes.items()
    ]
    trend = pd.concat(parts, ignore_index=True)
    trend["products_reported"] = trend["products_reported"].fillna(0).astype("int64")
    leading = [MONTH, "level", "key"]
    return trend[leading + [c for c in trend.columns if c not in leading]]


def top_products(
    lines: Lines,
    resolution: Resolution,
    orders: pd.DataFrame,
    shops: pd.DataFrame,
    month: str,
) -> pd.DataFrame:
    """Best sellers of the month (completed orders only), the top ones per village and per
    ambassador, sorted by sales then units, ties by shop and product."""
    columns = [
        "shop_id",
        "village_code",
        "ambassador_id",
        "product_id",
        "product_name",
        "units_sold",
        "sales_idr",
    ]
    counted = (orders[ORDER_STATUS] == str(OrderStatus.COMPLETED)).to_numpy() & (
        orders[MONTH_INDEX] == month_index(month)
    ).to_numpy()
    if not counted.any():
        return pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})
    grouped = sold_products(lines, resolution.kept & counted[resolution.keys])
    for link in ("village_code", "ambassador_id"):
        grouped[link] = grouped["shop_id"].map(
            dict(zip(shops["shop_id"], shops[link], strict=True))
        )
    grouped = grouped.sort_values(
        ["sales_idr", "units_sold", "shop_id", "_product"], ascending=[False, False, True, True]
    )
    in_top = (grouped.groupby("village_code").cumcount() < TOP_PRODUCTS_PER_UNIT) | (
        grouped.groupby("ambassador_id").cumcount() < TOP_PRODUCTS_PER_UNIT
    )
    return grouped[in_top][columns].reset_index(drop=True)
