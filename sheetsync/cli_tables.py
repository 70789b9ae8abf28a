"""Which columns the `kpi`, `explain` and `validate` tables show first, and their labels.

The first columns are the ones a person asks for first (name, orders, transactions,
sales, target %, status, change from last month); they fit 80 columns. Wider terminals
show more, in the order listed. Labels are the words of the KPI tabs, shortened.
`--format csv|tsv|json` ignores all this and keeps every column under its machine name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sheetsync.kpi.records import _plain, kpi_records
from sheetsync.kpi.tabs import NEW_TEXT, UNASSIGNED_TEXT, YES_NO
from sheetsync.kpi_schema import STATUS_TEXT, UNASSIGNED, KpiResult
from sheetsync.locale_id import DASH, number, percent, rupiah, signed_percent
from sheetsync.tabular import Col

Show = Callable[[Any], str]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count(value: Any) -> str:
    return DASH if _missing(value) else number(int(value))


def money(value: Any) -> str:
    return rupiah(value)


def pct(value: Any) -> str:
    return DASH if _missing(value) else percent(float(value))


def change(value: Any) -> str:
    if isinstance(value, str):
        return NEW_TEXT["id"] if value == NEW_TEXT["id"] else value
    return signed_percent(value)


def status(value: Any) -> str:
    """'Tercapai', 'Hampir', 'Belum tercapai'; no target reads as a dash (Capaian says so too)."""
    return DASH if not value or value == "no_target" else STATUS_TEXT["id"].get(str(value), DASH)


def yes_no(value: Any) -> str:
    return DASH if _missing(value) else YES_NO["id"][0 if value else 1]


def text(value: Any) -> str:
    if _missing(value):
        return ""
    return UNASSIGNED_TEXT["id"] if value == UNASSIGNED else str(value)


def _name(key: str, label: str, min_width: int = 10) -> Col:
    return Col(key, label, text, flex=True, min_width=min_width)


def _num(key: str, label: str, show: Show = count) -> Col:
    return Col(key, label, show, numeric=True)


ORDERS = _num("orders", "Pesanan")
TRANSACTIONS = _num("completed_orders", "Transaksi")
SALES = _num("sales_idr", "Penjualan", money)
ACHIEVEMENT = _num("achievement_transactions_pct", "Capaian", pct)
STATUS = Col("status_transactions", "Status", status)
CHANGE = _num("mom_completed_orders", "Perubahan", change)
HEADLINE = (ORDERS, TRANSACTIONS, SALES, ACHIEVEMENT, STATUS, CHANGE)
MORE = (
    _num("units_sold", "Unit Terjual"),
    _num("shops_active", "Toko Aktif"),
    _num("products_new", "Produk Baru"),
    _num("mom_sales_idr", "Perubahan Penjualan", change),
    _num("target_transactions", "Target Transaksi"),
    _num("rank", "Peringkat"),
)

KPI_COLUMNS: dict[str, tuple[Col, ...]] = {
    "village": (
        _name("village_name", "Desa"),
        *HEADLINE,
        Col("village_code", "Kode Desa", text),
        Col("kecamatan", "Kecamatan", text),
        *MORE,
    ),
    "kecamatan": (_name("kecamatan", "Kecamatan"), *HEADLINE, *MORE),
    "regency": (_name("regency", "Kabupaten"), *HEADLINE, *MORE),
    "ambassador": (
        _name("ambassador_name", "Duta"),
        ORDERS,
        TRANSACTIONS,
        SALES,
        _num("shops_active", "Toko Aktif"),
        Col("report_filed", "Lapor", yes_no),
        CHANGE,
        Col("ambassador_id", "ID Duta", text),
        Col("village_name", "Desa", text),
        *MORE[:1],
        *MORE[2:4],
        *MORE[5:],
    ),
    "shop": (
        _name("shop_name", "Toko"),
        Col("marketplace", "Marketplace", text),
        ORDERS,
        TRANSACTIONS,
        SALES,
        CHANGE,
        Col("shop_id", "ID Toko", text),
        Col("village_name", "Desa", text),
        *MORE[:1],
        *MORE[2:4],
    ),
}

# Columns kpi_records leaves out that a table or a CSV reader wants: names and trends.
_LABEL_COLUMNS = ("village_name", "kecamatan", "ambassador_name", "regency")
_TREND_PREFIXES = ("prev_", "mom_", "ytd_")


def kpi_rows(result: KpiResult, by: str) -> list[dict[str, Any]]:
    """kpi_records plus the unit's names and the trend columns (prev_/mom_/ytd_)."""
    records = kpi_records(result, by)
    if not records:
        return records
    frame = result.level(by)
    extra = [
        c
        for c in frame.columns
        if (c in _LABEL_COLUMNS or c.startswith(_TREND_PREFIXES)) and c not in records[0]
    ]
    for record, row in zip(records, frame[extra].to_dict("records"), strict=True):
        for column in extra:
            record.setdefault(column, _plain(row[column], integer=False))
    return records


LEVEL_TITLES = {
    "shop": "Toko",
    "ambassador": "Duta",
    "village": "Desa",
    "kecamatan": "Kecamatan",
    "regency": "Kabupaten",
}


def pick_columns(available: Sequence[str], spec: Sequence[Col], wanted: Sequence[str]) -> list[Col]:
    """`--columns a,b,c`: those columns in that order, labelled like the table when known."""
    known = {c.key: c for c in spec}
    return [known.get(k) or Col(k, k, text) for k in wanted if k in available]


EXPLAIN_COLUMNS = (
    Col("file", "File", text, flex=True, min_width=14, max_width=40, middle=True),
    _num("baris", "Baris"),
    Col("no_pesanan", "No. Pesanan", text),
    Col("id_produk", "ID Produk", text),
    _num("kontribusi", "Nilai"),
    Col("dihitung", "Dihitung", yes_no),
    Col("status", "Status", text),
    Col("nama_produk", "Nama Produk", text),
    Col("id_toko", "ID Toko", text),
    _num("jumlah", "Jumlah"),
    _num("penjualan_idr", "Penjualan", money),
    Col("keterangan", "Keterangan", text),
)

VALIDATE_COLUMNS = (
    Col("level", "Tingkat", text),
    Col("source", "Tab/File", text, flex=True, min_width=12, max_width=24, middle=True),
    _num("row", "Baris"),
    Col("column", "Kolom", text, flex=True, min_width=8, max_width=14),
    Col("message", "Pesan", text, flex=True, min_width=36, wrap=True),
    Col("value", "Nilai", text, flex=True, min_width=6, max_width=16),
    Col("code", "Kode", text),
)


def row_total(records: Sequence[Mapping[str, Any]]) -> int:
    """What the listed rows add up to: the figure `explain` explains."""
    return sum(int(r.get("kontribusi") or 0) for r in records if r.get("dihitung"))
