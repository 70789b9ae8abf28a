"""Lineage: the export lines behind one figure, for `sheetsync explain`.

Officials ask "why is this number what it is?". The answer is the list of files and row
numbers that make it up, with what each line adds. The lines are chosen by the very
functions that compute the figure (resolve.py and measures.py) and placed in units by the
same shop frame (units.py), so they add up to the figure in the KPI tabs by construction.
Lines of older snapshots of the same orders are listed too (role "superseded") because
they explain why a number changed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheetsync.kpi.measures import (
    LISTING_METRICS,
    MONTH_INDEX,
    listing_rows,
    live_listing_rows,
    new_listing_rows,
    order_table,
)
from sheetsync.kpi.resolve import MONTH, ORDER_STATUS, month_index, resolve_lines
from sheetsync.kpi.units import shop_frame
from sheetsync.kpi_schema import LEVEL_KEYS, ORDER_METRICS
from sheetsync.model import OrderStatus, Registry

EXPLAINED_METRICS = (*ORDER_METRICS, *LISTING_METRICS)
_STATUS_OF_METRIC = {
    "completed_orders": OrderStatus.COMPLETED,
    "units_sold": OrderStatus.COMPLETED,
    "sales_idr": OrderStatus.COMPLETED,
    "cancelled_orders": OrderStatus.CANCELLED,
    "returned_orders": OrderStatus.RETURNED,
    "unpaid_orders": OrderStatus.UNPAID,
}
LINEAGE_COLUMNS = (
    "file_id", "source_row", "marketplace", "shop_id", "order_id", "line_no", "status",
    "order_status", "created_at", "quantity", "line_sales_idr", "role", "contributes",
)  # fmt: skip
LISTING_LINEAGE_COLUMNS = ("file_id", "source_row", "shop_id", "product_id", "product_name")


def order_lines_behind(
    lines: pd.DataFrame,
    registry: Registry,
    month: str,
    *,
    level: str,
    key: str,
    metric: str,
    regency_name: str = "kabupaten",
) -> pd.DataFrame:
    """The lines behind `metric` of unit `key` at `level` in `month`.

    role "counted": a line of the chosen snapshot; `contributes` is what it adds (the
    quantity for units_sold, the line sales for sales_idr, 1 on the first line of each
    order for order counts). role "superseded": a line of an older snapshot of the same
    orders (contributes 0). Sorted by file, then row.
    """
    if metric not in ORDER_METRICS:
        raise ValueError(f"explain covers {', '.join(ORDER_METRICS)}; not {metric!r}")
    resolution = resolve_lines(lines)
    if resolution.order_count == 0:
        return pd.DataFrame(columns=list(LINEAGE_COLUMNS))
    orders = order_table(lines, resolution)
    chosen = _orders_of_unit(orders, registry, month, level, key, regency_name)
    chosen &= _orders_of_metric(orders, metric)
    of_chosen = chosen[resolution.keys]
    frame = lines.loc[of_chosen].copy()
    kept = resolution.kept[of_chosen]
    frame["order_status"] = orders[ORDER_STATUS].to_numpy()[resolution.keys[of_chosen]]
    frame["role"] = np.where(kept, "counted", "superseded")
    first_line = resolution.winner[resolution.keys[of_chosen]] == np.flatnonzero(of_chosen)
    frame["contributes"] = _contributions(frame, metric, kept, first_line)
    frame = frame.sort_values(["file_id", "source_row"], kind="stable")
    return frame[list(LINEAGE_COLUMNS)].reset_index(drop=True)


def listing_rows_behind(
    listings: pd.DataFrame,
    registry: Registry,
    month: str,
    *,
    level: str,
    key: str,
    metric: str,
) -> pd.DataFrame:
    """The listing lines behind products_live / products_new of unit `key` at `level`.

    One row per product counted (the first line of it in file order), chosen by the
    functions that count the figure (measures.live_listing_rows / new_listing_rows), so
    the number of rows is the figure. `listings`: every snapshot up to the month's end.
    """
    if metric not in LISTING_METRICS:
        raise ValueError(f"listing lineage covers {', '.join(LISTING_METRICS)}; not {metric!r}")
    if listings.empty:
        return pd.DataFrame(columns=list(LISTING_LINEAGE_COLUMNS))
    snaps = listing_rows(listings, keep=("file_id", "source_row", "product_name"))
    if metric == "products_live":
        chosen = live_listing_rows(snaps[snaps[MONTH] == month])
    else:
        chosen = new_listing_rows(snaps, [month])
    chosen = chosen.drop_duplicates(["shop_id", "product_id"])
    chosen = chosen[_of_unit(chosen["shop_id"], registry, level, key)]
    return chosen[list(LISTING_LINEAGE_COLUMNS)].reset_index(drop=True)


def _orders_of_unit(
    orders: pd.DataFrame, registry: Registry, month: str, level: str, key: str, regency: str
) -> np.ndarray:
    in_month = (orders[MONTH_INDEX] == month_index(month)).to_numpy()
    return in_month & _of_unit(orders["shop_id"].astype(str), registry, level, key)


def _of_unit(shop_ids: pd.Series, registry: Registry, level: str, key: str) -> np.ndarray:
    """Which shops roll up to unit `key` of `level`, placed as the KPI places them
    (units.shop_frame: a shop the registry cannot place is in the unassigned bucket)."""
    if level == "regency":
        return np.ones(len(shop_ids), dtype=bool)
    if level == "shop":  # every shop is its own unit, placed or not
        return (shop_ids == key).to_numpy()
    shops = shop_frame(registry, set(shop_ids.unique()))
    unit_of = dict(zip(shops["shop_id"], shops[LEVEL_KEYS[level]], strict=True))
    return (shop_ids.map(unit_of) == key).to_numpy()


def _orders_of_metric(orders: pd.DataFrame, metric: str) -> np.ndarray:
    status = orders[ORDER_STATUS]
    if metric == "orders":
        return np.ones(len(orders), dtype=bool)
    if metric == "in_progress_orders":
        others = [str(s) for s in set(_STATUS_OF_METRIC.values())]
        return (~status.isin(others)).to_numpy()
    return (status == str(_STATUS_OF_METRIC[metric])).to_numpy()


def _contributions(
    frame: pd.DataFrame, metric: str, kept: np.ndarray, first_line: np.ndarray
) -> np.ndarray:
    if metric == "units_sold":
        values = frame["quantity"].to_numpy(dtype=np.int64)
    elif metric == "sales_idr":
        values = frame["line_sales_idr"].to_numpy(dtype=np.int64)
    else:
        values = first_line.astype(np.int64)
    return np.where(kept, values, 0)
