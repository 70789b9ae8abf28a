"""The demo's oracle: KPI figures computed straight from what the demo generated.

Independent of the readers, the ledger and sheetsync/kpi/, so a test can hold `sheetsync kpi
--by village` (and what the readers make of the files) against it. Shops are placed by the
staff tabs of the workbook the demo wrote, never by sheetsync's own output; the status rules
of docs/kpi.md are written again here on purpose. Test-only: the product does not need it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import openpyxl

from sheetsync.contract import DESA, DUTA, TOKO, TabSpec
from sheetsync.demo import DemoExport, DemoManifest, DemoMistake
from sheetsync.demo.exports import OrderLineSpec, group_by_order
from sheetsync.kpi_schema import ORDER_METRICS, UNASSIGNED
from sheetsync.months import month_of

FINAL = {"completed", "cancelled", "returned"}
Rows = Sequence[Sequence[object]]


def workbook_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every tab of a workbook as openpyxl reads it: rows of cell values, header row first."""
    book = openpyxl.load_workbook(path)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    finally:
        book.close()


def workbook_shop_villages(
    tabs: Mapping[str, Rows], mistakes: Iterable[DemoMistake]
) -> dict[str, str]:
    """ID Toko -> Kode Desa from the staff tabs of the workbook the demo wrote (`tabs`, as
    `workbook_rows` reads them), not from sheetsync's output.

    By docs/kpi.md §7: a shop is placed by its Toko row when that row is not one of the
    mistakes the demo planted as an error and its Kode Desa and ID Duta name good rows of
    Desa and Duta; of a duplicated ID the first row counts. Any other shop's figures go to
    the "unassigned" bucket.
    """
    errors = {(m.tab, m.row) for m in mistakes if m.expected == "error"}

    def good_rows(spec: TabSpec) -> list[dict[str, str]]:
        header, *rows = tabs[spec.name]
        columns = [_text(cell) for cell in header]
        return [
            dict(zip(columns, map(_text, row), strict=False))
            for number, row in enumerate(rows, start=2)
            if (spec.name, number) not in errors and any(_text(cell) for cell in row)
        ]

    villages = {r["Kode Desa"] for r in good_rows(DESA)}
    ambassadors = {r["ID Duta"] for r in good_rows(DUTA)}
    placed: dict[str, str] = {}
    for row in good_rows(TOKO):
        village, ambassador = row["Kode Desa"], row["ID Duta"]
        if village in villages and ambassador in ambassadors:
            placed.setdefault(row["ID Toko"], village)
    return placed


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def order_class(line: OrderLineSpec) -> str:
    """The KPI class of a Shopee/Tokopedia status, written out here apart from the readers."""
    status = line.status.split("\n")[0].strip()
    if status == "Selesai":
        return "returned" if line.return_status == "Permintaan Disetujui" else "completed"
    if status == "Pesanan Selesai":
        return "completed"
    if status == "Batal" or status.startswith("Dibatalkan"):
        return "cancelled"
    return "unpaid" if status == "Belum Bayar" else "in_progress"


def export_rank(export: DemoExport) -> tuple[dt.date, dt.datetime]:
    """Which file is newer: the latest period end, then the latest download."""
    return (export.period[1], export.downloaded_at)


def latest_lines(
    exports: Iterable[DemoExport],
) -> dict[tuple[str, str], tuple[OrderLineSpec, ...]]:
    """(shop, order) -> the order's lines in the snapshot that counts: the newest file
    holding the order, except that a final status is never replaced by a non-final one."""
    latest: dict[tuple[str, str], tuple[OrderLineSpec, ...]] = {}
    for export in sorted(exports, key=export_rank):
        for order_id, lines in group_by_order(export.lines).items():
            key = (export.shop_id, order_id)
            final_before = key in latest and order_class(latest[key][0]) in FINAL
            if not final_before or order_class(lines[0]) in FINAL:
                latest[key] = tuple(lines)
    return latest


def village_figures(
    manifest: DemoManifest, month: str, shop_villages: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    """Per village, the month's order figures computed straight from the generated orders.

    Every file the inbox holds counts (a folder of no registered shop too); shops
    `shop_villages` does not place go to the UNASSIGNED row. Orders by creation month
    (programme-local), each order once in the snapshot that counts, sales = unit price
    after discount × quantity over completed orders.
    """
    every_export = [*manifest.exports, *manifest.orphan_exports]
    figures: dict[str, dict[str, int]] = {}
    for (shop_id, _), lines in sorted(latest_lines(every_export).items()):
        if month_of(lines[0].created_at) != month:
            continue
        village = shop_villages.get(shop_id, UNASSIGNED)
        row = figures.setdefault(village, dict.fromkeys(ORDER_METRICS, 0))
        kind = order_class(lines[0])
        row["orders"] += 1
        row[f"{kind}_orders"] += 1
        if kind == "completed":
            row["units_sold"] += sum(line.quantity for line in lines)
            row["sales_idr"] += sum(line.quantity * line.unit_price_idr for line in lines)
    return figures
