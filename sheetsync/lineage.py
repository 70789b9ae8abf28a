"""`sheetsync explain`: which export files and rows are behind one KPI figure.

Officials ask "why did this number change?". The answer is the list of order lines (file
and row as a person sees them in the export) that the figure counts, plus the copies of
the same orders in other exports that were NOT counted because a newer snapshot
superseded them. The counted contributions add up to the figure in the KPI tabs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from sheetsync.kpi import resolve_orders
from sheetsync.model import Registry

if TYPE_CHECKING:
    from sheetsync.ledger import Ledger

# metric -> (order statuses counted (None = any), what one line contributes)
ORDER_METRICS: dict[str, tuple[tuple[str, ...] | None, str]] = {
    "orders": (None, "order"),
    "completed_orders": (("completed",), "order"),
    "cancelled_orders": (("cancelled",), "order"),
    "returned_orders": (("returned",), "order"),
    "unpaid_orders": (("unpaid",), "order"),
    "in_progress_orders": (("in_progress",), "order"),
    "units_sold": (("completed",), "quantity"),
    "sales_idr": (("completed",), "line_sales_idr"),
}
LISTING_METRICS = ("products_live", "products_new")


def shops_of(registry: Registry, level: str, key: str) -> list[str]:
    """The shops whose figures make up the unit (as the registry says today)."""
    if level == "shop":
        return [key]
    if level == "village":
        return [s.shop_id for s in registry.shops if s.village_code == key]
    if level == "ambassador":
        return [s.shop_id for s in registry.shops if s.ambassador_id == key]
    if level == "kecamatan":
        villages = {v.code for v in registry.villages if v.kecamatan.casefold() == key.casefold()}
        return [s.shop_id for s in registry.shops if s.village_code in villages]
    raise ValueError(f"unknown level {level!r}")


def explain_figure(
    ledger: Ledger, registry: Registry, month: str, *, level: str, key: str, metric: str
) -> list[dict[str, Any]]:
    """One record per export line behind the figure; `dihitung` says if it counts."""
    shop_ids = shops_of(registry, level, key)
    if metric in LISTING_METRICS:
        return _listing_lines(ledger, shop_ids, month, metric)
    if metric not in ORDER_METRICS:
        known = ", ".join([*ORDER_METRICS, *LISTING_METRICS])
        raise ValueError(f"unknown metric {metric!r}; one of: {known}")
    lines = ledger.lines_for_lineage(month, shop_ids)
    return _order_lines(lines, month, metric)


def _order_lines(lines: pd.DataFrame, month: str, metric: str) -> list[dict[str, Any]]:
    if lines.empty:
        return []
    statuses, unit = ORDER_METRICS[metric]
    resolved = resolve_orders(lines.drop(columns=["path", "source"]))
    resolved = resolved[resolved["month"] == month]
    if statuses is not None:
        resolved = resolved[resolved["order_status"].isin(statuses)]
    counted = set(zip(resolved["file_id"], resolved["source_row"], strict=True))
    first_line = ~resolved.duplicated(["marketplace", "shop_id", "order_id"])
    first = set(
        zip(
            resolved.loc[first_line, "file_id"], resolved.loc[first_line, "source_row"], strict=True
        )
    )
    orders = set(zip(resolved["shop_id"], resolved["order_id"], strict=True))
    records = []
    for row in lines.itertuples(index=False):
        if (row.shop_id, row.order_id) not in orders:
            continue
        where = (row.file_id, row.source_row)
        counts = where in counted
        records.append(_order_record(row, counts, _contribution(row, unit, counts, where in first)))
    return sorted(records, key=lambda r: (not r["dihitung"], r["file"], r["baris"]))


def _contribution(row: Any, unit: str, counts: bool, first_of_order: bool) -> int:
    if not counts:
        return 0
    if unit == "order":
        return 1 if first_of_order else 0
    return int(getattr(row, unit))


def _order_record(row: Any, counts: bool, contribution: int) -> dict[str, Any]:
    return {
        "dihitung": counts,
        "kontribusi": contribution,
        "file": row.source,
        "baris": int(row.source_row),
        "id_toko": row.shop_id,
        "no_pesanan": row.order_id,
        "status": row.status_raw,
        "jumlah": int(row.quantity),
        "penjualan_idr": int(row.line_sales_idr),
        "keterangan": "" if counts else "tidak dihitung: salinan lama/status lain",
    }


def _listing_lines(
    ledger: Ledger, shop_ids: list[str], month: str, metric: str
) -> list[dict[str, Any]]:
    snapshots = ledger.listing_snapshots(until_month=month, shop_ids=shop_ids)
    if snapshots.empty:
        return []
    month_start = pd.Timestamp(f"{month}-01")
    latest = snapshots.groupby("shop_id")["snapshot_date"].transform("max")
    live = snapshots[snapshots["snapshot_date"] == latest]
    live = live[live["snapshot_date"] >= month_start]
    if metric == "products_new":
        before = snapshots[snapshots["snapshot_date"] < month_start]
        seen = set(zip(before["shop_id"], before["product_id"], strict=True))
        keep = [
            (s, p) not in seen for s, p in zip(live["shop_id"], live["product_id"], strict=True)
        ]
        live = live[keep]
    live = live.drop_duplicates(["shop_id", "product_id"])
    files = {r.id: r.source for r in ledger.files()}
    return [
        {
            "dihitung": True,
            "kontribusi": 1,
            "file": files.get(int(row.file_id), str(row.file_id)),
            "baris": int(row.source_row),
            "id_toko": row.shop_id,
            "id_produk": row.product_id,
            "nama_produk": row.product_name,
        }
        for row in live.itertuples(index=False)
    ]
