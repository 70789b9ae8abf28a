"""Headline figures for the email body, read from the month's KPI tables (pure).

The full report is the attachment; the body shows the few numbers an official looks at
first, so the email is useful even on a phone that cannot open the PDF. Columns that the
KPI step did not produce are left out rather than shown as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import pandas as pd

from sheetsync import locale_id
from sheetsync.kpi_schema import KpiResult
from sheetsync.mail.delivery import Figure
from sheetsync.model import Level
from sheetsync.months import previous_month

_TABLES = {
    Level.KABUPATEN: ("regency", None),
    Level.KECAMATAN: ("kecamatan", "kecamatan"),
    Level.DESA: ("village", "village_code"),
    Level.DUTA: ("ambassador", "ambassador_id"),
}
_LABELS = {
    "id": {
        "completed_orders": "Transaksi selesai",
        "sales_idr": "Penjualan",
        "shops_active": "Toko aktif",
        "shops_new": "Toko baru",
        "products_live": "Produk tayang",
        "of_target": "{pct} dari target",
        "versus": "{change} dibanding {month}",
        "of_registered": "dari {count} toko terdaftar",
        "new": "baru",
    },
    "en": {
        "completed_orders": "Completed transactions",
        "sales_idr": "Sales",
        "shops_active": "Active shops",
        "shops_new": "New shops",
        "products_live": "Products live",
        "of_target": "{pct} of target",
        "versus": "{change} vs {month}",
        "of_registered": "of {count} registered shops",
        "new": "new",
    },
}
# metric -> target suffix used by kpi.py's achievement_<t>_pct columns
_TARGETS = {"completed_orders": "transactions", "sales_idr": "sales_idr", "shops_new": "new_shops"}


def headline_figures(
    kpis: KpiResult, level: Level, area_key: str, language: str = "id"
) -> tuple[Figure, ...]:
    """The figures of one area's row; () when the area has no row this month."""
    row = _area_row(kpis, level, area_key)
    if row is None:
        return ()
    count = partial(locale_id.number, language=language)
    money = partial(locale_id.rupiah, language=language)
    figures = (
        _figure(row, "completed_orders", count, kpis.month, language),
        _figure(row, "sales_idr", money, kpis.month, language),
        _active_shops(row, language),
        _figure(row, "shops_new", count, kpis.month, language),
        _figure(row, "products_live", count, kpis.month, language),
    )
    return tuple(f for f in figures if f is not None)


def _texts(language: str) -> Mapping[str, str]:
    return _LABELS.get(language, _LABELS["id"])


def _area_row(kpis: KpiResult, level: Level, area_key: str) -> Mapping[str, object] | None:
    table_name, key_column = _TABLES[level]
    table = kpis.level(table_name)
    if table.empty:
        return None
    if key_column is None:
        return {str(k): v for k, v in table.iloc[0].to_dict().items()}
    if key_column not in table.columns:
        return None
    match = table[table[key_column].astype(str) == area_key]
    return None if match.empty else {str(k): v for k, v in match.iloc[0].to_dict().items()}


def _figure(
    row: Mapping[str, object],
    metric: str,
    show: Callable[[float | int | None], str],
    month: str,
    language: str,
) -> Figure | None:
    if _missing(row.get(metric)):
        return None
    notes = [_change_note(row, metric, month, language), _target_note(row, metric, language)]
    return Figure(
        _texts(language)[metric],
        show(row[metric]),  # type: ignore[arg-type]
        "; ".join(n for n in notes if n),
    )


def _active_shops(row: Mapping[str, object], language: str) -> Figure | None:
    active, registered = row.get("shops_active"), row.get("shops_registered")
    if _missing(active):
        return None
    texts = _texts(language)
    note = (
        ""
        if _missing(registered)
        else texts["of_registered"].format(count=locale_id.number(registered, language))  # type: ignore[arg-type]
    )
    return Figure(texts["shops_active"], locale_id.number(active, language), note)  # type: ignore[arg-type]


def _change_note(row: Mapping[str, object], metric: str, month: str, language: str) -> str:
    change = row.get(f"mom_{metric}")
    if _missing(change):
        return ""
    texts = _texts(language)
    shown = texts["new"] if change == "baru" else locale_id.signed_percent(change, language)  # type: ignore[arg-type]
    last_month = locale_id.month_only(previous_month(month), language)
    return texts["versus"].format(change=shown, month=last_month)


def _target_note(row: Mapping[str, object], metric: str, language: str) -> str:
    target = _TARGETS.get(metric)
    pct = row.get(f"achievement_{target}_pct") if target else None
    if _missing(pct):
        return ""
    return _texts(language)["of_target"].format(pct=locale_id.percent(pct, language))  # type: ignore[arg-type]


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


_CHANGE_WORDS = {"id": "{label}: {before} menjadi {after}", "en": "{label}: {before} to {after}"}


def describe_changes(
    before: Sequence[tuple[str, str]], after: Sequence[tuple[str, str]], language: str = "id"
) -> list[str]:
    """'Penjualan: Rp 1.000.000 menjadi Rp 1.250.000' for each headline figure that moved
    between the message sent earlier and the revision (both as (label, value) pairs)."""
    earlier = dict(before)
    template = _CHANGE_WORDS.get(language, _CHANGE_WORDS["id"])
    return [
        template.format(label=label, before=earlier.get(label, locale_id.DASH), after=value)
        for label, value in after
        if earlier.get(label) != value
    ]
