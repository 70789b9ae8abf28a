"""The KPI tabs sheetsync writes back: KPI Toko, KPI Duta, KPI Desa, KPI Kecamatan, Ringkasan.

Each tab is one row per unit with the month in its first column, so the pipeline can stack
several months under one header. Money is whole rupiah with the "rupiah" format;
percentages are written as fractions (0.75) with the "percent" format, the convention of
spreadsheets. Texts a person reads (status, "baru", Ya/Tidak) are in the chosen language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sheetsync.kpi.trends import NEW_FROM_ZERO
from sheetsync.kpi_schema import STATUS_TEXT, UNASSIGNED, KpiResult
from sheetsync.model import Registry
from sheetsync.tabs import CellValue, OutputTab

YES_NO = {"id": ("Ya", "Tidak"), "en": ("Yes", "No")}
NEW_TEXT = {"id": NEW_FROM_ZERO, "en": "new"}
UNASSIGNED_TEXT = {"id": "(belum terdaftar)", "en": "(not registered)"}


@dataclass(frozen=True, slots=True)
class Column:
    """One tab column: headers per language, the KPI column it shows, how to show it."""

    id: str
    en: str
    source: str
    kind: str = "int"  # int | text | rupiah | percent | change | status | yesno | month

    def header(self, language: str) -> str:
        return self.en if language == "en" else self.id


def _order_columns() -> list[Column]:
    return [
        Column("Pesanan", "Orders", "orders"),
        Column("Transaksi (Selesai)", "Transactions (completed)", "completed_orders"),
        Column("Batal", "Cancelled", "cancelled_orders"),
        Column("Dikembalikan", "Returned", "returned_orders"),
        Column("Belum Bayar", "Unpaid", "unpaid_orders"),
        Column("Diproses", "In progress", "in_progress_orders"),
        Column("Unit Terjual", "Units sold", "units_sold"),
        Column("Penjualan (Rp)", "Sales (Rp)", "sales_idr", "rupiah"),
    ]


def _shop_columns() -> list[Column]:
    return [
        Column("Toko Terdaftar", "Shops registered", "shops_registered"),
        Column("Toko Baru", "New shops", "shops_new"),
        Column("Toko Aktif", "Active shops", "shops_active"),
        Column("% Toko Aktif", "% shops active", "share_active", "percent"),
    ]


def _product_columns(reported: bool = True) -> list[Column]:
    columns = [
        Column("Produk Tayang", "Live products", "products_live"),
        Column("Produk Baru", "New products", "products_new"),
    ]
    if reported:
        columns.append(Column("Produk Dilaporkan Duta", "Products reported", "products_reported"))
    return columns


def _trend_columns() -> list[Column]:
    return [
        Column("Transaksi Bulan Lalu", "Transactions last month", "prev_completed_orders"),
        Column("Perubahan Transaksi", "Change in transactions", "mom_completed_orders", "change"),
        Column("Penjualan Bulan Lalu (Rp)", "Sales last month (Rp)", "prev_sales_idr", "rupiah"),
        Column("Perubahan Penjualan", "Change in sales", "mom_sales_idr", "change"),
        Column("Transaksi Sejak Januari", "Transactions year to date", "ytd_completed_orders"),
        Column(
            "Penjualan Sejak Januari (Rp)", "Sales year to date (Rp)", "ytd_sales_idr", "rupiah"
        ),
    ]


def _discipline_columns() -> list[Column]:
    return [
        Column("Duta Aktif", "Active ambassadors", "ambassadors_active"),
        Column("Laporan Masuk", "Reports filed", "reports_filed"),
        Column("% Laporan Masuk", "% reports filed", "share_reports_filed", "percent"),
        Column("% Laporan Tepat Waktu", "% reports on time", "share_reports_on_time", "percent"),
    ]


_TARGET_LABELS = {
    "transactions": ("Transaksi", "Transactions"),
    "sales_idr": ("Penjualan", "Sales"),
    "new_shops": ("Toko Baru", "New shops"),
    "products": ("Produk Baru", "New products"),
}


def _target_columns() -> list[Column]:
    columns = []
    for name, (label_id, label_en) in _TARGET_LABELS.items():
        money = " (Rp)" if name == "sales_idr" else ""
        columns += [
            Column(
                f"Target {label_id}{money}",
                f"Target {label_en.lower()}{money}",
                f"target_{name}",
                "rupiah" if money else "int",
            ),
            Column(
                f"Capaian {label_id}",
                f"Achievement {label_en.lower()}",
                f"achievement_{name}_pct",
                "percent",
            ),
            Column(f"Status {label_id}", f"Status {label_en.lower()}", f"status_{name}", "status"),
        ]
    return columns


def _ranking_columns() -> list[Column]:
    return [Column("Peringkat", "Rank", "rank"), Column("Skor", "Score", "score", "number")]


MONTH_COLUMN = Column("Bulan", "Month", "month", "month")
SHOP_TAB = (
    MONTH_COLUMN,
    Column("ID Toko", "Shop ID", "shop_id", "text"),
    Column("Nama Toko", "Shop name", "shop_name", "text"),
    Column("Marketplace", "Marketplace", "marketplace", "text"),
    Column("Kode Desa", "Village code", "village_code", "text"),
    Column("Nama Desa", "Village", "village_name", "text"),
    Column("Kecamatan", "District", "kecamatan", "text"),
    Column("ID Duta", "Ambassador ID", "ambassador_id", "text"),
    Column("Nama Duta", "Ambassador", "ambassador_name", "text"),
    Column("Terdaftar", "Registered", "shops_registered", "yesno"),
    Column("Aktif", "Active", "shops_active", "yesno"),
    *_order_columns(),
    *_product_columns(reported=False),
    *_trend_columns()[:4],
)
AMBASSADOR_TAB = (
    MONTH_COLUMN,
    Column("ID Duta", "Ambassador ID", "ambassador_id", "text"),
    Column("Nama Duta", "Ambassador", "ambassador_name", "text"),
    Column("Kode Desa", "Village code", "village_code", "text"),
    Column("Nama Desa", "Village", "village_name", "text"),
    Column("Kecamatan", "District", "kecamatan", "text"),
    Column("Aktif", "Active", "active", "yesno"),
    *_ranking_columns(),
    *_shop_columns(),
    *_order_columns(),
    *_product_columns(),
    Column("Laporan Masuk", "Report filed", "report_filed", "yesno"),
    Column("Laporan Tepat Waktu", "Report on time", "report_on_time", "yesno"),
    *_trend_columns(),
)
VILLAGE_TAB = (
    MONTH_COLUMN,
    Column("Kode Desa", "Village code", "village_code", "text"),
    Column("Nama Desa", "Village", "village_name", "text"),
    Column("Kecamatan", "District", "kecamatan", "text"),
    *_ranking_columns(),
    *_shop_columns(),
    *_order_columns(),
    *_product_columns(),
    *_target_columns(),
    *_discipline_columns(),
    *_trend_columns(),
)
KECAMATAN_TAB = (
    MONTH_COLUMN,
    Column("Kecamatan", "District", "kecamatan", "text"),
    *_ranking_columns(),
    *_shop_columns(),
    *_order_columns(),
    *_product_columns(),
    *_target_columns(),
    *_discipline_columns(),
    *_trend_columns(),
)
TAB_LAYOUTS: dict[str, tuple[str, tuple[Column, ...]]] = {
    "KPI Toko": ("shop", SHOP_TAB),
    "KPI Duta": ("ambassador", AMBASSADOR_TAB),
    "KPI Desa": ("village", VILLAGE_TAB),
    "KPI Kecamatan": ("kecamatan", KECAMATAN_TAB),
}
FORMAT_OF_KIND = {"rupiah": "rupiah", "percent": "percent", "change": "percent"}


def kpi_output_tabs(result: KpiResult, registry: Registry, language: str = "id") -> list[OutputTab]:
    """The five KPI tabs of one month, in the order the workbook shows them.

    `registry` is accepted for the pipeline's call and future labels; every label the
    tabs need is already in `result`.
    """
    del registry
    tabs = [ringkasan_tab(result, language)]
    for name, (level, columns) in TAB_LAYOUTS.items():
        tabs.append(_level_tab(name, result, level, columns, language))
    return tabs


def _level_tab(
    name: str, result: KpiResult, level: str, columns: Sequence[Column], language: str
) -> OutputTab:
    table = result.level(level).assign(month=result.month)
    rows = [
        [_cell(record.get(c.source), c.kind, language) for c in columns]
        for record in table.to_dict("records")
    ]
    header = tuple(c.header(language) for c in columns)
    formats = {
        c.header(language): FORMAT_OF_KIND[c.kind] for c in columns if c.kind in FORMAT_OF_KIND
    }
    return OutputTab(name, header, rows, formats)


def _cell(value: object, kind: str, language: str) -> CellValue:
    """One value as the cell it becomes; missing figures stay empty, never 0."""
    if kind in ("text", "month"):
        return (
            UNASSIGNED_TEXT[language]
            if value == UNASSIGNED
            else ("" if is_missing(value) else str(value))
        )
    return _FORMATTERS[kind](value, language)


def is_missing(value: object) -> bool:
    """None, NaN, NA and NaT: no figure (shown as an empty cell, never as 0)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _int_cell(value: object, language: str) -> CellValue:
    return None if is_missing(value) else int(value)  # type: ignore[call-overload]


def _number_cell(value: object, language: str) -> CellValue:
    return None if is_missing(value) else round(float(value), 2)  # type: ignore[arg-type]


def _percent_cell(value: object, language: str) -> CellValue:
    return None if is_missing(value) else round(float(value) / 100.0, 4)  # type: ignore[arg-type]


def _change_cell(value: object, language: str) -> CellValue:
    if value == NEW_FROM_ZERO:
        return NEW_TEXT[language]
    return _percent_cell(value, language)


def _status_cell(value: object, language: str) -> CellValue:
    return None if is_missing(value) else STATUS_TEXT[language].get(str(value), str(value))


def _yes_no_cell(value: object, language: str) -> CellValue:
    yes, no = YES_NO[language]
    return yes if (not is_missing(value) and bool(value)) else no


_FORMATTERS: dict[str, Callable[[object, str], CellValue]] = {
    "int": _int_cell,
    "rupiah": _int_cell,
    "number": _number_cell,
    "percent": _percent_cell,
    "change": _change_cell,
    "status": _status_cell,
    "yesno": _yes_no_cell,
}

# Ringkasan: the regency headline, one row per figure:
# (Indonesian label, English label, KPI column, target name or None).
HEADLINE = (
    ("Transaksi (pesanan selesai)", "Transactions (completed orders)", "completed_orders",
     "transactions"),
    ("Penjualan (Rp)", "Sales (Rp)", "sales_idr", "sales_idr"),
    ("Unit terjual", "Units sold", "units_sold", None),
    ("Pesanan (semua status)", "Orders (all statuses)", "orders", None),
    ("Toko terdaftar", "Shops registered", "shops_registered", None),
    ("Toko baru", "New shops", "shops_new", "new_shops"),
    ("Toko aktif", "Active shops", "shops_active", None),
    ("Produk tayang", "Live products", "products_live", None),
    ("Produk baru", "New products", "products_new", "products"),
    ("Produk dilaporkan duta", "Products reported by ambassadors", "products_reported", None),
)  # fmt: skip
RINGKASAN_HEADER = {
    "id": ("Bulan", "Indikator", "Bulan Ini", "Bulan Lalu", "Perubahan", "Sejak Januari",
           "Target", "Capaian", "Status"),
    "en": ("Month", "Figure", "This month", "Last month", "Change", "Year to date",
           "Target", "Achievement", "Status"),
}  # fmt: skip


def ringkasan_tab(result: KpiResult, language: str = "id") -> OutputTab:
    """Regency headline: this month, last month, change, YTD, target, achievement, status.

    One row per figure, so a value column mixes counts and Rupiah: it stays plain whole
    numbers (the label says "(Rp)"); change and achievement are percent fractions.
    """
    regency = result.regency.iloc[0].to_dict() if len(result.regency) else {}
    header = RINGKASAN_HEADER[language]
    rows = [_headline_row(regency, entry, result.month, language) for entry in HEADLINE]
    formats = {header[4]: "percent", header[7]: "percent"}
    return OutputTab("Ringkasan", header, rows, formats)


def _headline_row(
    regency: dict[Any, Any], entry: tuple[str, str, str, str | None], month: str, language: str
) -> list[CellValue]:
    label_id, label_en, metric, target_name = entry
    target = regency.get(f"target_{target_name}") if target_name else None
    status = regency.get(f"status_{target_name}") if target_name else None
    return [
        month,
        label_en if language == "en" else label_id,
        _int_cell(regency.get(metric, 0), language),
        _int_cell(regency.get(f"prev_{metric}"), language),
        _change_cell(regency.get(f"mom_{metric}"), language),
        _int_cell(regency.get(f"ytd_{metric}"), language),
        _int_cell(target, language),
        _percent_cell(regency.get(f"achievement_{target_name}_pct"), language),
        _status_cell(status, language) if target_name else None,
    ]
