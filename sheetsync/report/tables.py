"""The detail tables of a report: which columns, which rows, each cell as text and value.

A table is a plain dict: `columns` (label, kind), `rows` (typed values for the XLSX) and
`cells` (formatted text and CSS class for HTML/PDF), so both writers show the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sheetsync.locale_id import DASH, mask_phone, number, percent, rupiah, signed_percent
from sheetsync.report.rows import Row, as_int, missing, truthy
from sheetsync.report.texts import texts

if TYPE_CHECKING:
    from sheetsync.report.scope import ReportData, Scope

TOP_N = 10


@dataclass(frozen=True, slots=True)
class Col:
    key: str  # column of the KPI frame
    label: str  # text key
    kind: str  # text (kept on one line) | longtext | int | idr | pct | change | status | filed


def build_tables(scope: Scope, data: ReportData) -> list[dict[str, Any]]:
    level = scope.unit.level
    tables = []
    if level == "kabupaten":
        tables.append(_table("kecamatan_table", "Kecamatan", _kecamatan_rows(data), KEC_COLS, data))
    if level in ("kabupaten", "kecamatan"):
        cols = VILLAGE_COLS if level == "kabupaten" else VILLAGE_COLS_NO_KECAMATAN
        tables.append(_table("village_table", "Desa", scope.villages, cols, data))
    if level != "duta":
        amb = _with_filed(scope.ambassadors, data)
        tables.append(_table("ambassador_table", "Duta", amb, AMBASSADOR_COLS, data))
    if level in ("desa", "duta"):
        tables.append(_table("shop_table", "Toko", _shop_records(scope), SHOP_COLS, data))
    tables.append(_table("top_shops", "Toko terlaris", _top_shops(scope), TOP_SHOP_COLS, data))
    tables.append(
        _table("top_products", "Produk terlaris", _top_products(scope, data), PRODUCT_COLS, data)
    )
    return tables


KEC_COLS = (
    Col("kecamatan", "kecamatan", "text"),
    Col("completed_orders", "transactions", "int"),
    Col("mom_completed_orders", "change", "change"),
    Col("sales_idr", "sales", "idr"),
    Col("shops_active", "active_shops", "int"),
    Col("shops_registered", "shops", "int"),
    Col("target_transactions", "target", "int"),
    Col("achievement_transactions_pct", "achievement", "pct"),
    Col("status_transactions", "status", "status"),
)


VILLAGE_COLS = (
    Col("village_code", "village_code", "text"),
    Col("village_name", "village", "text"),
    Col("kecamatan", "kecamatan", "text"),
    Col("completed_orders", "transactions", "int"),
    Col("mom_completed_orders", "change", "change"),
    Col("sales_idr", "sales", "idr"),
    Col("shops_active", "active_shops", "int"),
    Col("target_transactions", "target", "int"),
    Col("achievement_transactions_pct", "achievement", "pct"),
    Col("status_transactions", "status", "status"),
)


VILLAGE_COLS_NO_KECAMATAN = tuple(c for c in VILLAGE_COLS if c.key != "kecamatan")


AMBASSADOR_COLS = (
    Col("ambassador_id", "ambassador_id", "text"),
    Col("ambassador_name", "ambassador", "text"),
    Col("village_name", "village", "text"),
    Col("shops_registered", "shops", "int"),
    Col("shops_active", "active_shops", "int"),
    Col("completed_orders", "transactions", "int"),
    Col("sales_idr", "sales", "idr"),
    Col("filed", "report_filed", "filed"),
)


SHOP_COLS = (
    Col("shop_id", "shop_id", "text"),
    Col("shop_name", "shop", "longtext"),
    Col("marketplace", "marketplace", "text"),
    Col("owner_phone_masked", "owner_phone", "text"),
    Col("completed_orders", "transactions", "int"),
    Col("mom_completed_orders", "change", "change"),
    Col("sales_idr", "sales", "idr"),
    Col("products_live", "products_live", "int"),
)


TOP_SHOP_COLS = (
    Col("rank", "rank", "int"),
    Col("shop_name", "shop", "longtext"),
    Col("village_name", "village", "text"),
    Col("completed_orders", "transactions", "int"),
    Col("sales_idr", "sales", "idr"),
)


PRODUCT_COLS = (
    Col("rank", "rank", "int"),
    Col("product_name", "product", "longtext"),
    Col("shop_name", "shop", "longtext"),
    Col("units_sold", "units", "int"),
    Col("sales_idr", "sales", "idr"),
)


def _table(
    title_key: str, sheet: str, records: list[Row], cols: Sequence[Col], data: ReportData
) -> dict[str, Any]:
    t = texts(data.language)
    present = [c for c in cols if _has_values(c, records)] if records else list(cols)
    return {
        "key": title_key,
        "title": t[title_key],
        "sheet": sheet,
        "columns": [{"label": t[c.label], "kind": c.kind, "key": c.key} for c in present],
        "rows": [[_raw(r.get(c.key), c.kind) for c in present] for r in records],
        "cells": [[_cell(r.get(c.key), c.kind, data) for c in present] for r in records],
    }


def _has_values(col: Col, records: list[Row]) -> bool:
    """A text column nobody filled (e.g. owner phones) is left out rather than shown blank."""
    if not any(col.key in r for r in records):
        return False
    if col.kind not in ("text", "longtext"):
        return True
    return any(r.get(col.key) not in (None, "") for r in records)


def _raw(value: object, kind: str) -> object:
    """The typed value the XLSX cell gets (None for a missing figure)."""
    if isinstance(value, str):
        return value
    if missing(value):
        return None
    if kind in ("int", "idr"):
        return int(value)  # type: ignore[call-overload]
    if kind in ("pct", "change"):
        return float(value)  # type: ignore[arg-type]
    if kind == "filed":
        return bool(value)
    return str(value)


def _cell(value: object, kind: str, data: ReportData) -> dict[str, str]:
    t, lang = texts(data.language), data.language
    align = "num" if kind in ("int", "idr", "pct", "change") else kind
    if kind == "status":
        status = str(value) if isinstance(value, str) and value in t else "no_target"
        return {"text": t[status], "cls": f"status {status}"}
    if kind == "filed":
        filed = bool(value) and not missing(value)
        return {"text": t["filed" if filed else "not_filed"], "cls": "filed" if filed else "late"}
    if kind == "change":
        if isinstance(value, str):
            return {"text": t["new"], "cls": "num up"}
        return {"text": signed_percent(value, lang), "cls": "num"}  # type: ignore[arg-type]
    if missing(value):
        return {"text": DASH, "cls": align}
    return {"text": fmt(value, kind, lang), "cls": align}


def fmt(value: object, kind: str, language: str) -> str:
    if missing(value):
        return DASH
    if kind == "idr":
        return rupiah(value, language)  # type: ignore[arg-type]
    if kind == "int":
        return number(value, language, decimals=0)  # type: ignore[arg-type]
    if kind == "pct":
        return percent(value, language)  # type: ignore[arg-type]
    return str(value)


def _kecamatan_rows(data: ReportData) -> list[Row]:
    return sorted(data.rows["kecamatan"], key=lambda r: str(r.get("kecamatan", "")))


def _with_filed(ambassadors: list[Row], data: ReportData) -> list[Row]:
    discipline = data.rows["discipline"]
    if not discipline or "filed" not in discipline[0]:
        return ambassadors
    filed = {str(d.get("ambassador_id")): truthy(d.get("filed")) for d in discipline}
    return [{**a, "filed": filed.get(str(a.get("ambassador_id")), False)} for a in ambassadors]


def _shop_records(scope: Scope) -> list[Row]:
    # masked again: never trust an upstream column with a phone number
    rows = [
        {**r, "owner_phone_masked": mask_phone(str(r.get("owner_phone_masked") or ""))}
        for r in scope.shops
    ]
    return sorted(rows, key=lambda r: (-as_int(r.get("sales_idr")), str(r.get("shop_id"))))


def _top_shops(scope: Scope) -> list[Row]:
    shops = [r for r in scope.shops if as_int(r.get("completed_orders")) > 0]
    shops.sort(key=lambda r: (-as_int(r.get("sales_idr")), str(r.get("shop_id"))))
    return [{**r, "rank": i} for i, r in enumerate(shops[:TOP_N], start=1)]


def _top_products(scope: Scope, data: ReportData) -> list[Row]:
    shop_names = {str(s.get("shop_id")): str(s.get("shop_name", "")) for s in scope.shops}
    mine = [p for p in data.rows["top_products"] if str(p.get("shop_id")) in shop_names]
    mine.sort(
        key=lambda p: (
            -as_int(p.get("sales_idr")),
            -as_int(p.get("units_sold")),
            str(p.get("product_name")),
        )
    )
    return [
        {**p, "rank": i, "shop_name": shop_names[str(p.get("shop_id"))] or p.get("shop_id")}
        for i, p in enumerate(mine[:TOP_N], start=1)
    ]
