"""KPI rows as plain JSON-ready dicts, and what changed between two computations.

`kpi_records` feeds `sheetsync kpi --format json` and the ledger's KPI snapshots;
`diff_kpis` turns two snapshots of the same month into run-log lines such as
"Mei 2026: transaksi Desa Air Saga 120 → 118" (the pipeline appends which file caused it).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from sheetsync.kpi.measures import SHOP_GRAIN_METRICS
from sheetsync.kpi.tabs import UNASSIGNED_TEXT
from sheetsync.kpi_schema import LEVEL_KEYS, TARGET_FIGURES, UNASSIGNED, KpiResult
from sheetsync.locale_id import rupiah
from sheetsync.months import month_label

LABELS = {
    "shop": ("shop_name", "marketplace", "village_code", "ambassador_id"),
    "ambassador": ("ambassador_name", "village_code", "kecamatan", "active"),
    "village": ("village_name", "kecamatan"),
    "kecamatan": (),
    "regency": (),
}
INTEGER_FIGURES = (*SHOP_GRAIN_METRICS, "products_reported")
EXTRA_FIGURES = (
    "share_active", "assigned", "rank", "score", "report_filed", "report_on_time",
    "ambassadors_active", "reports_filed", "reports_on_time", "share_reports_filed",
    "share_reports_on_time",
)  # fmt: skip
TARGET_COLUMNS = tuple(
    f"{prefix}_{name}{suffix}"
    for name in TARGET_FIGURES
    for prefix, suffix in (("target", ""), ("achievement", "_pct"), ("status", ""))
)


def kpi_records(result: KpiResult, by: str) -> list[dict[str, Any]]:
    """One dict per unit of level `by` (shop, ambassador, village, kecamatan, regency).

    Keys: `month`, the level key, labels, the integer figures (orders … sales_idr,
    shops_*, products_*), targets/achievement/status where the level has them, ranking and
    discipline. Values are plain Python (int, float, str, bool, None): json.dumps-ready.
    """
    key = LEVEL_KEYS[by]
    table = result.level(by)
    wanted = [key, *LABELS[by], *INTEGER_FIGURES, *EXTRA_FIGURES, *TARGET_COLUMNS]
    present = [c for c in dict.fromkeys(wanted) if c in table.columns]
    records = []
    for row in table[present].to_dict("records"):
        record: dict[str, Any] = {"month": result.month}
        for column in present:
            record[column] = _plain(row[column], integer=column in INTEGER_FIGURES)
        records.append(record)
    return records


def _plain(value: object, *, integer: bool = False) -> Any:
    """numpy/pandas scalars -> int/float/str/bool/None (NaN, NA and NaT become None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if integer:
        return int(value)  # type: ignore[call-overload]
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


# Figures the run log reports on, with their Indonesian / English names.
DIFF_FIGURES = {
    "completed_orders": ("transaksi", "transactions"),
    "sales_idr": ("penjualan", "sales"),
    "orders": ("pesanan", "orders"),
    "units_sold": ("unit terjual", "units sold"),
    "shops_active": ("toko aktif", "active shops"),
    "products_live": ("produk tayang", "live products"),
    "products_new": ("produk baru", "new products"),
}
_UNIT_WORDS = {
    "shop": ("Toko", "Shop"),
    "ambassador": ("Duta", "Ambassador"),
    "village": ("Desa", "Village"),
    "kecamatan": ("Kecamatan", "District"),
    "regency": ("Kabupaten", "Regency"),
}
_NAME_COLUMN = {"shop": "shop_name", "ambassador": "ambassador_name", "village": "village_name"}


Records = Iterable[Mapping[str, Any]]


def diff_kpis(
    old: Mapping[str, Records] | Records,
    new: Mapping[str, Records] | Records,
    *,
    month: str | None = None,
    language: str = "id",
) -> list[str]:
    """Lines like "Mei 2026: transaksi Desa Air Saga 120 → 118", one per changed figure.

    `old` and `new` map a level (shop, ambassador, village, kecamatan, regency) to its
    `kpi_records`, or are flat lists of records (each level recognised by its key). The
    month defaults to the records' own "month". A unit present on one side only counts as
    0 on the other. Order: level as given in `new`, then unit key, then DIFF_FIGURES.
    """
    old_levels, new_levels = _by_level(old), _by_level(new)
    lines: list[str] = []
    for level, new_records in new_levels.items():
        key = LEVEL_KEYS[level]
        before = {str(r.get(key)): r for r in old_levels.get(level, [])}
        after = {str(r.get(key)): r for r in new_records}
        for unit in sorted(set(before) | set(after)):
            record_month = month or str((after.get(unit) or before.get(unit) or {}).get("month"))
            lines += _unit_changes(
                level, unit, before.get(unit, {}), after.get(unit, {}), record_month, language
            )
    return lines


def _by_level(records: Mapping[str, Records] | Records) -> dict[str, list[Mapping[str, Any]]]:
    """Records grouped by level, from either shape diff_kpis accepts."""
    if isinstance(records, Mapping):
        return {level: list(rows) for level, rows in records.items()}
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        # a record carries its own key and the keys of the levels above it, so the first
        # match from the finest level down is its level
        level = next((lv for lv, key in LEVEL_KEYS.items() if key in record), None)
        if level is not None:
            grouped.setdefault(level, []).append(record)
    return grouped


def _unit_changes(
    level: str,
    unit: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    month: str,
    language: str,
) -> list[str]:
    changes = []
    for figure, names in DIFF_FIGURES.items():
        if figure not in before and figure not in after:
            continue
        old_value, new_value = int(before.get(figure) or 0), int(after.get(figure) or 0)
        if old_value == new_value:
            continue
        name = names[1] if language == "en" else names[0]
        shown = (_money if figure == "sales_idr" else _count)(old_value, new_value, language)
        label = _unit_label(level, unit, after or before, language)
        changes.append(f"{month_label(month, language)}: {name} {label} {shown}")
    return changes


def _unit_label(level: str, unit: str, record: Mapping[str, Any], language: str) -> str:
    word = _UNIT_WORDS[level][1 if language == "en" else 0]
    if level == "regency":
        return word
    if unit == UNASSIGNED:
        return f"{word} {UNASSIGNED_TEXT['en' if language == 'en' else 'id']}"
    name = record.get(_NAME_COLUMN.get(level, ""), "") or unit
    return f"{word} {name}"


def _count(old: int, new: int, language: str) -> str:
    return f"{old} → {new}"


def _money(old: int, new: int, language: str) -> str:
    return f"{rupiah(old, language)} → {rupiah(new, language)}"
