"""Lineage: the export lines behind one figure, for `sheetsync explain`.

Officials ask "why is this number what it is?". The answer is the list of files and row
numbers that make it up, with what each line adds, so that the `contributes` column sums
exactly to the figure in the KPI tabs. Lines of older snapshots of the same orders are
listed too (role "superseded") because they explain why a number changed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheetsync.kpi.measures import MONTH_INDEX, order_table
from sheetsync.kpi.resolve import ORDER_STATUS, month_index, resolve_lines
from sheetsync.kpi.units import shop_frame
from sheetsync.kpi_schema import LEVEL_KEYS, ORDER_METRICS
from sheetsync.model import OrderStatus, Registry

EXPLAINED_METRICS = ORDER_METRICS
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


def explain_figure(
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
    if metric not in EXPLAINED_METRICS:
        raise ValueError(f"explain covers {', '.join(EXPLAINED_METRICS)}; not {metric!r}")
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


def _orders_of_unit(
    orders: pd.DataFrame, registry: Registry, month: str, level: str, key: str, regency: str
) -> np.ndarray:
    in_month = (orders[MONTH_INDEX] == month_index(month)).to_numpy()
    shop_ids = orders["shop_id"].astype(str)
    if level == "regency":
        return in_month
    shops = shop_frame(registry, set(shop_ids.unique()))
    unit_of = dict(zip(shops["shop_id"], shops[LEVEL_KEYS[level]], strict=True))
    return in_month & (shop_ids.map(unit_of) == key).to_numpy()


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
