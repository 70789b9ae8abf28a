"""KPI frames as plain rows: the one place pandas values become Python values.

Views are built from lists of dicts rather than DataFrames: scoping a hundred reports over
a few hundred rows is cheaper in plain Python than in pandas, and plain values pickle small
to the worker processes. Missing figures (None, NA, NaN) are None from here on.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from sheetsync.kpi_schema import UNASSIGNED
from sheetsync.report.texts import texts

Row = dict[str, Any]


def records(frame: pd.DataFrame) -> list[Row]:
    """Rows as plain dicts; column-wise conversion (`tolist`) is far faster than to_dict."""
    if frame is None or frame.empty:
        return []
    names = [str(c) for c in frame.columns]
    columns = [[plain(v) for v in frame[c].tolist()] for c in frame.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def plain(value: object) -> object:
    """numpy/pandas scalars -> Python values, NA -> None, so views pickle small and compare."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def opt_float(value: object) -> float | None:
    """A figure as float, or None when it is missing (None, NA, NaN) or not a number."""
    if missing(value) or isinstance(value, str | bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in {"true", "ya", "yes", "1"}
    return bool(value) and not missing(value)


def as_int(value: object) -> int:
    if missing(value) or isinstance(value, str):
        return 0
    return int(value)  # type: ignore[call-overload]


def labelled(row: Row, language: str) -> Row:
    """Readable names for the bucket of unplaceable figures and for shops without a name."""
    word = texts(language)["unassigned"]
    for key, name in _NAME_OF.items():
        if key in row and str(row.get(key)) == UNASSIGNED:
            row[key] = word
            if name in row:
                row[name] = word
    if "shop_id" in row and not row.get("shop_name"):
        row["shop_name"] = str(row["shop_id"])
    if row.get("marketplace") in MARKETPLACE_NAMES:
        row["marketplace"] = MARKETPLACE_NAMES[row["marketplace"]]
    return row


MARKETPLACE_NAMES = {
    "shopee": "Shopee",
    "tokopedia": "Tokopedia",
    "tiktok": "TikTok Shop",
    "lazada": "Lazada",
    "bukalapak": "Bukalapak",
}


_NAME_OF = {
    "village_code": "village_name",
    "ambassador_id": "ambassador_name",
    "kecamatan": "kecamatan",
}


def trend_index(trend: pd.DataFrame) -> dict[tuple[str, str], dict[str, tuple[int, int]]]:
    """(level, key) -> month -> (transactions, sales), built once per run."""
    needed = {"month", "level", "key", "completed_orders", "sales_idr"}
    if trend.empty or not needed <= set(trend.columns):
        return {}
    index: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    columns = [
        trend[c].tolist() for c in ("level", "key", "month", "completed_orders", "sales_idr")
    ]
    for level, key, month, tx, sales in zip(*columns, strict=True):
        series = index.setdefault((str(level), str(key)), {})
        old_tx, old_sales = series.get(str(month), (0, 0))
        series[str(month)] = (old_tx + as_int(tx), old_sales + as_int(sales))
    return index
