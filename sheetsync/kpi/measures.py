"""Figures at their finest grain: per order, per shop and month, per ambassador and month.

Every higher level is a plain sum of these (see rollup.py), which is what makes the totals
add up exactly. Shop-level shop figures are 0/1 flags (this shop is registered / new /
active) so that "shops_active" of a village is simply the sum over its shops.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheetsync.kpi.columns import Lines, moments, whole_numbers
from sheetsync.kpi.resolve import (
    MONTH,
    ORDER_STATUS,
    Resolution,
    month_index,
    month_indexes,
    month_labels,
)
from sheetsync.kpi_schema import ORDER_METRICS, SHOP_METRICS
from sheetsync.model import OrderStatus, Registry
from sheetsync.months import next_month

MONTH_INDEX = "month_index"
LISTING_METRICS = ("products_live", "products_new")
SHOP_GRAIN_METRICS = (*ORDER_METRICS, *SHOP_METRICS, *LISTING_METRICS)
_STATUS_COUNTS = {
    "completed_orders": OrderStatus.COMPLETED,
    "cancelled_orders": OrderStatus.CANCELLED,
    "returned_orders": OrderStatus.RETURNED,
    "unpaid_orders": OrderStatus.UNPAID,
}


def order_table(lines: Lines, resolution: Resolution) -> pd.DataFrame:
    """One row per order: shop_id and order_status (categorical), month_index, and the
    units_sold / sales_idr of its chosen lines when it is completed (0 otherwise).

    Sales come from the item lines (line_sales_idr), never from order-level columns.
    """
    speaker = resolution.winner
    status = pd.Categorical.from_codes(
        resolution.order_status_codes(), categories=pd.Index(resolution.statuses)
    )  # a few texts: orders keep codes, never a Python string each
    completed = np.asarray(status == str(OrderStatus.COMPLETED))
    counted = completed[resolution.keys] & resolution.kept
    units, sales = whole_numbers(lines, "quantity"), whole_numbers(lines, "line_sales_idr")
    created = moments(lines, "created_at")[speaker]
    return pd.DataFrame(
        {
            "shop_id": pd.Categorical.from_codes(
                resolution.shop_codes[speaker], categories=pd.Index(resolution.shop_ids)
            ),
            MONTH_INDEX: month_indexes(created),
            ORDER_STATUS: status,
            "units_sold": _sum_per_order(units, resolution, counted),
            "sales_idr": _sum_per_order(sales, resolution, counted),
        }
    )


def _sum_per_order(values: np.ndarray, resolution: Resolution, counted: np.ndarray) -> np.ndarray:
    """Sum of a whole-number line column over the counted lines of each order.

    bincount adds in float64, exact for whole numbers below 2**53 (9e15 rupiah per
    order), so the result is rounded back to exact int64.
    """
    picked = np.where(counted, values, 0)
    summed = np.bincount(resolution.keys, weights=picked, minlength=resolution.order_count)
    return np.rint(summed).astype(np.int64)


def month_positions(month_idx: np.ndarray, months: list[str]) -> np.ndarray:
    """Position of each month index within `months` (chronological), -1 outside."""
    window = np.array([month_index(m) for m in months], dtype=np.int64)
    positions = np.clip(np.searchsorted(window, month_idx), 0, len(window) - 1)
    return np.where(window[positions] == month_idx, positions, -1)


def grid_sum(
    rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], weights: np.ndarray | None = None
) -> np.ndarray:
    """Sum weights (or count) into a (rows × cols) int64 matrix; -1 positions are skipped.

    bincount adds in float64, exact for whole numbers below 2**53.
    """
    return cell_sum(grid_cells(rows, cols, shape), shape, weights)


def grid_cells(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The flat (row × col) cell of each position, -1 where either is -1: found once for
    every figure summed into the same grid."""
    inside = (rows >= 0) & (cols >= 0)
    return np.where(inside, rows * shape[1] + cols, -1)


def cell_sum(
    cells: np.ndarray, shape: tuple[int, int], weights: np.ndarray | None = None
) -> np.ndarray:
    """grid_sum over cells from grid_cells."""
    inside = cells >= 0
    picked = None if weights is None else np.asarray(weights, dtype=np.float64)[inside]
    summed = np.bincount(cells[inside], weights=picked, minlength=shape[0] * shape[1])
    return np.rint(summed).astype(np.int64).reshape(shape)


def shop_order_cube(
    orders: pd.DataFrame, shop_ids: list[str], months: list[str]
) -> dict[str, np.ndarray]:
    """ORDER_METRICS as (shop × month) matrices.

    in_progress_orders is whatever is not completed, cancelled, returned or unpaid, so the
    five status counts always add up to `orders`.
    """
    position = {shop_id: i for i, shop_id in enumerate(shop_ids)}
    categories = orders["shop_id"].cat.categories
    category_rows = np.array([position.get(str(c), -1) for c in categories], dtype=np.int64)
    codes = orders["shop_id"].cat.codes.to_numpy()
    rows = category_rows[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    cols = month_positions(orders[MONTH_INDEX].to_numpy(dtype=np.int64), months)
    shape = (len(shop_ids), len(months))
    cells = grid_cells(rows, cols, shape)
    status = orders[ORDER_STATUS]
    cube = {"orders": cell_sum(cells, shape)}
    for name, value in _STATUS_COUNTS.items():
        cube[name] = cell_sum(cells, shape, np.asarray(status == str(value)))
    cube["in_progress_orders"] = cube["orders"] - sum(cube[name] for name in _STATUS_COUNTS)
    cube["units_sold"] = cell_sum(cells, shape, orders["units_sold"].to_numpy())
    cube["sales_idr"] = cell_sum(cells, shape, orders["sales_idr"].to_numpy())
    return cube


def shop_flag_cube(
    shops: pd.DataFrame, months: list[str], completed: np.ndarray
) -> dict[str, np.ndarray]:
    """shops_registered / shops_new / shops_active as 0/1 (shop × month) matrices.

    Registered: a Toko row whose Tanggal Daftar is on or before the month's last day, or
    blank (a blank date counts as registered since ever, never as new). Active: registered
    and at least one completed order that month.
    """
    registered_on = pd.to_datetime(shops["registered_on"]).to_numpy()[:, None]
    starts = np.array([np.datetime64(f"{m}-01") for m in months], dtype="datetime64[ns]")
    ends = np.array([np.datetime64(f"{next_month(m)}-01") for m in months], dtype="datetime64[ns]")
    in_registry = shops["in_registry"].to_numpy(dtype=bool)[:, None]
    dated = ~np.isnat(registered_on)
    before_end = dated & (registered_on < ends[None, :])
    registered = in_registry & (~dated | before_end)
    new = in_registry & before_end & (registered_on >= starts[None, :])
    return {
        "shops_registered": registered.astype(np.int64),
        "shops_new": new.astype(np.int64),
        "shops_active": (registered & (completed > 0)).astype(np.int64),
    }


def shop_product_cube(
    listings: pd.DataFrame | None, shop_ids: list[str], months: list[str]
) -> dict[str, np.ndarray]:
    """products_live / products_new as (shop × month) matrices (zeros without listings)."""
    shape = (len(shop_ids), len(months))
    if listings is None or listings.empty:
        zeros = np.zeros(shape, dtype=np.int64)
        return {"products_live": zeros, "products_new": zeros.copy()}
    frame = shop_month_products(listings, months)
    position = {shop_id: i for i, shop_id in enumerate(shop_ids)}
    rows = np.array([position.get(s, -1) for s in frame["shop_id"]], dtype=np.int64)
    month_position = {m: i for i, m in enumerate(months)}
    cols = np.array([month_position.get(m, -1) for m in frame[MONTH]], dtype=np.int64)
    return {
        name: grid_sum(rows, cols, shape, frame[name].to_numpy())
        for name in ("products_live", "products_new")
    }


def shop_month_products(listings: pd.DataFrame | None, months: list[str]) -> pd.DataFrame:
    """products_live and products_new per (shop_id, month) from listing snapshots.

    Live: distinct product ids in the shop's latest snapshot dated in that month (all files
    of that date together). New: product ids whose first snapshot ever falls in that month.
    """
    columns = ["shop_id", MONTH, "products_live", "products_new"]
    if listings is None or listings.empty:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns[:2]}).assign(
            products_live=np.int64(0), products_new=np.int64(0)
        )
    snaps = listing_rows(listings)
    live = _live_products(snaps[snaps[MONTH].isin(months)])
    new = _new_products(snaps, months)
    merged = live.merge(new, on=["shop_id", MONTH], how="outer")
    return merged.fillna(0).astype({"products_live": "int64", "products_new": "int64"})


def listing_rows(listings: pd.DataFrame, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """Listing lines that can count: a product id (stripped) and a snapshot date, with the
    snapshot's month; `keep` names further columns to carry (lineage shows file and row)."""
    snaps = listings[["shop_id", "snapshot_date", "product_id", *keep]].copy()
    snaps["product_id"] = snaps["product_id"].fillna("").astype(str).str.strip()
    snaps = snaps[snaps["product_id"] != ""]
    snaps["snapshot_date"] = pd.to_datetime(snaps["snapshot_date"])
    snaps = snaps[snaps["snapshot_date"].notna()]
    snaps[MONTH] = month_labels(snaps["snapshot_date"])
    snaps["shop_id"] = snaps["shop_id"].astype(str)
    return snaps


def live_listing_rows(snaps: pd.DataFrame) -> pd.DataFrame:
    """The rows products_live counts: each shop's latest snapshot of each month (all files
    of that date together); a product listed twice there is one product."""
    latest = snaps.groupby(["shop_id", MONTH])["snapshot_date"].transform("max")
    return snaps[snaps["snapshot_date"] == latest]


def new_listing_rows(snaps: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """The rows products_new counts: a product's first snapshot ever, when it falls in one
    of `months` (even if a later snapshot of that month no longer lists it)."""
    first = snaps.groupby(["shop_id", "product_id"])["snapshot_date"].transform("min")
    return snaps[(snaps["snapshot_date"] == first) & snaps[MONTH].isin(months)]


def _live_products(snaps: pd.DataFrame) -> pd.DataFrame:
    live = live_listing_rows(snaps).groupby(["shop_id", MONTH])["product_id"].nunique()
    return live.rename("products_live").reset_index()


def _new_products(snaps: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    first = new_listing_rows(snaps, months).drop_duplicates(["shop_id", "product_id"])
    new = first.groupby(["shop_id", MONTH]).size()
    return new.rename("products_new").reset_index()


def latest_form_reports(registry: Registry) -> pd.DataFrame:
    """The latest Laporan Duta submission per (ambassador, month): the one that counts.

    Columns: ambassador_id, month, submitted_at, new_shops, products_uploaded, row.
    Equal timestamps: the lower row in the tab (submitted later by the form) wins.
    """
    frame = pd.DataFrame(
        [
            (r.ambassador_id, r.month, r.submitted_at, r.new_shops, r.products_uploaded, r.row)
            for r in registry.form_reports
        ],
        columns=["ambassador_id", MONTH, "submitted_at", "new_shops", "products_uploaded", "row"],
    )
    frame = frame.sort_values(["ambassador_id", MONTH, "submitted_at", "row"], kind="stable")
    latest = frame.drop_duplicates(["ambassador_id", MONTH], keep="last")
    for figure in ("new_shops", "products_uploaded"):
        latest[figure] = latest[figure].astype("Int64")
    return latest.reset_index(drop=True)
