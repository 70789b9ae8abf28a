"""`sheetsync explain`: which export files and rows are behind one KPI figure.

Officials ask "why did this number change?". The answer is the list of order lines (file
and row as a person sees them in the export) that the figure counts, plus the copies of
the same orders in other exports that were NOT counted because a newer snapshot
superseded them. The counted contributions add up to the figure in the KPI tabs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from sheetsync.kpi.explain import EXPLAINED_METRICS
from sheetsync.kpi.explain import explain_figure as explain_lines
from sheetsync.marketplaces.filenames import DATE_SOURCE_TEXT
from sheetsync.model import Registry

if TYPE_CHECKING:
    from sheetsync.ledger import FileRecord, Ledger

LISTING_METRICS = ("products_live", "products_new")


def shops_of(registry: Registry, level: str, key: str) -> list[str]:
    """The shops whose listings make up the unit (as the registry says today)."""
    if level == "shop":
        return [key]
    if level == "village":
        return [s.shop_id for s in registry.shops if s.village_code == key]
    if level == "ambassador":
        return [s.shop_id for s in registry.shops if s.ambassador_id == key]
    if level == "kecamatan":
        villages = {v.code for v in registry.villages if v.kecamatan.casefold() == key.casefold()}
        return [s.shop_id for s in registry.shops if s.village_code in villages]
    return [s.shop_id for s in registry.shops]


def explain_figure(
    ledger: Ledger,
    registry: Registry,
    month: str,
    *,
    level: str,
    key: str,
    metric: str,
    regency_name: str = "kabupaten",
) -> list[dict[str, Any]]:
    """One record per export line behind the figure; `dihitung` says if it counts."""
    if metric in LISTING_METRICS:
        return _listing_lines(ledger, shops_of(registry, level, key), month, metric)
    if metric not in EXPLAINED_METRICS:
        known = ", ".join([*EXPLAINED_METRICS, *LISTING_METRICS])
        raise ValueError(f"unknown metric {metric!r}; one of: {known}")
    lines = ledger.order_lines_for_months([month])
    frame = explain_lines(
        lines, registry, month, level=level, key=key, metric=metric, regency_name=regency_name
    )
    files = {r.id: r for r in ledger.files()}
    raw = dict(
        zip(
            zip(lines["file_id"], lines["source_row"], strict=True),
            lines["status_raw"],
            strict=True,
        )
    )
    return [_order_record(row, files, raw) for row in frame.itertuples(index=False)]


def _order_record(
    row: Any, files: dict[int, FileRecord], raw: dict[tuple[int, int], str]
) -> dict[str, Any]:
    counted = row.role == "counted"
    file = files.get(int(row.file_id))
    return {
        "dihitung": counted,
        "kontribusi": int(row.contributes),
        "file": file.source if file else str(row.file_id),
        "baris": int(row.source_row),
        "id_toko": row.shop_id,
        "no_pesanan": row.order_id,
        "status": raw.get((row.file_id, row.source_row), ""),
        "kelas_status": row.order_status,
        "jumlah": int(row.quantity),
        "penjualan_idr": int(row.line_sales_idr),
        "keterangan": "" if counted else "tidak dihitung: digantikan ekspor yang lebih baru",
        **_file_date(file),
    }


def _listing_lines(
    ledger: Ledger, shop_ids: list[str], month: str, metric: str
) -> list[dict[str, Any]]:
    """The listing rows behind products_live / products_new, one per product counted.

    Same rules as kpi/measures.py: live = the products of each shop's latest snapshot of
    the month; new = products whose first snapshot ever falls in the month, even when a
    later snapshot of the same month no longer lists them.
    """
    snapshots = ledger.listing_snapshots(until_month=month, shop_ids=shop_ids)
    if snapshots.empty:
        return []
    products = snapshots["product_id"].fillna("").astype(str).str.strip()
    snapshots = snapshots.assign(product_id=products)[products != ""]
    month_start = pd.Timestamp(f"{month}-01")
    pick = _new_rows if metric == "products_new" else _live_rows
    chosen = pick(snapshots, month_start).drop_duplicates(["shop_id", "product_id"])
    files = {r.id: r for r in ledger.files()}
    return [_listing_record(row, files.get(int(str(row.file_id)))) for row in chosen.itertuples()]


def _live_rows(snapshots: pd.DataFrame, month_start: pd.Timestamp) -> pd.DataFrame:
    in_month = snapshots[snapshots["snapshot_date"] >= month_start]
    latest = in_month.groupby("shop_id")["snapshot_date"].transform("max")
    return in_month[in_month["snapshot_date"] == latest]


def _new_rows(snapshots: pd.DataFrame, month_start: pd.Timestamp) -> pd.DataFrame:
    first = snapshots.groupby(["shop_id", "product_id"])["snapshot_date"].transform("min")
    return snapshots[(snapshots["snapshot_date"] == first) & (first >= month_start)]


def _listing_record(row: Any, file: FileRecord | None) -> dict[str, Any]:
    """One counted product, with the date its snapshot is filed under and where that date
    came from (the file name, or the mtime when the name carries none)."""
    return {
        "dihitung": True,
        "kontribusi": 1,
        "file": file.source if file else str(row.file_id),
        "baris": int(str(row.source_row)),
        "id_toko": row.shop_id,
        "id_produk": row.product_id,
        "nama_produk": row.product_name,
        **_file_date(file, "tanggal_snapshot"),
    }


def _file_date(file: FileRecord | None, label: str = "tanggal_file") -> dict[str, str]:
    """The moment the file is dated by (which snapshot is newer) and where it came from:
    the export time or period in its name, or the mtime when the name carries neither."""
    if file is None:
        return {label: "", "sumber_tanggal": ""}
    return {
        label: file.dated_at or "",
        "sumber_tanggal": DATE_SOURCE_TEXT.get(file.date_source, ""),
    }
