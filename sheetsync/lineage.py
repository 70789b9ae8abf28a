"""`sheetsync explain`: which export files and rows are behind one KPI figure.

Officials ask "why did this number change?". The answer is the list of order lines (file
and row as a person sees them in the export) that the figure counts, plus the copies of
the same orders in other exports that were NOT counted because a newer snapshot
superseded them. kpi/explain.py picks the lines with the functions that compute the
figure, so the counted contributions add up to it by construction; this module is the
ledger side: it reads the lines and names each one's file, row and date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheetsync.kpi.explain import (
    EXPLAINED_METRICS,
    LISTING_METRICS,
    listing_rows_behind,
    order_lines_behind,
)
from sheetsync.marketplaces.filenames import DATE_SOURCE_TEXT
from sheetsync.model import Registry

if TYPE_CHECKING:
    from sheetsync.ledger import FileRecord, Ledger


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
    """One record per export line behind the figure; `dihitung` says if it counts.

    The lines come from kpi/explain.py, which picks them with the functions that compute
    the figure; this module only reads the ledger and names each file and row.
    """
    if metric not in EXPLAINED_METRICS:
        raise ValueError(f"unknown metric {metric!r}; one of: {', '.join(EXPLAINED_METRICS)}")
    files = {r.id: r for r in ledger.files()}
    if metric in LISTING_METRICS:
        listings = ledger.listing_snapshots(until_month=month)
        rows = listing_rows_behind(listings, registry, month, level=level, key=key, metric=metric)
        return [_listing_record(row, files.get(int(str(row.file_id)))) for row in rows.itertuples()]
    lines = ledger.order_lines_for_months([month])
    frame = order_lines_behind(
        lines, registry, month, level=level, key=key, metric=metric, regency_name=regency_name
    )
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
