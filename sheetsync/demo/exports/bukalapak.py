"""Bukalapak transaction exports: the real 25- and 26-column layouts (2018-2023) and the
layout sheetsync guessed before real files were seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sheetsync.demo.exports.files import (
    stable_number,
    write_table,
)
from sheetsync.demo.exports.specs import Cell, OrderLineSpec, group_by_order

# --------------------------------------------------------------------------- Bukalapak orders

# The real transaction layouts (2018-2023). Their column names, in this order, are those
# of the issue that observed the real files: `Tanggal`, `ID Transaksi` first, then the buyer
# columns (their exact names and count are inferred), then the product and money columns.
# The 26-column layout adds "Berat Per SKU".
BUKALAPAK_HEADERS_25: tuple[str, ...] = (
    "Tanggal", "ID Transaksi", "Nama Pembeli", "No. HP Pembeli", "Alamat Pengiriman",
    "Kota", "Provinsi", "Kode Pos", "Nama Produk", "Harga Produk", "Biaya Pengiriman",
    "Biaya Asuransi", "Total Terbayar", "Jumlah Produk", "SKU", "Varian", "Kurir",
    "Kode Tracking", "Status", "Catatan Pembeli", "Dropshipper", "Nama Dropshipper",
    "No. HP Dropshipper", "Tanggal Dikirim", "Tanggal Diterima",
)  # fmt: skip
BUKALAPAK_HEADERS_26: tuple[str, ...] = (
    *BUKALAPAK_HEADERS_25[:15], "Berat Per SKU", *BUKALAPAK_HEADERS_25[15:],
)  # fmt: skip
# The layout sheetsync guessed before real files were seen ("ID Transaksi" first, a unit
# price in "Harga Barang"); still read, never observed.
BUKALAPAK_HEADERS: tuple[str, ...] = (
    "ID Transaksi", "Tanggal", "Status", "Pembeli", "No HP Pembeli", "Alamat Pengiriman",
    "Kota", "Provinsi", "Nama Barang", "ID Barang", "SKU", "Jumlah Barang", "Harga Barang",
    "Diskon", "Total Harga Barang", "Biaya Pengiriman", "Biaya Asuransi", "Kurir",
    "No Resi", "Metode Pembayaran", "Total Pembayaran", "Catatan Pembeli", "Dropshipper",
    "Tanggal Dikirim", "Tanggal Selesai",
)  # fmt: skip
BUKALAPAK_LAYOUTS: dict[str, tuple[str, ...]] = {
    "25": BUKALAPAK_HEADERS_25,
    "26": BUKALAPAK_HEADERS_26,
    "guessed": BUKALAPAK_HEADERS,
}
BUKALAPAK_DATE = "%Y-%m-%d %H:%M:%S +0700"  # WIB, with its offset as the real files write it


def bukalapak_rows(lines: Sequence[OrderLineSpec], *, layout: str = "25") -> list[list[Cell]]:
    """Header + one row per product line of each transaction."""
    headers = BUKALAPAK_LAYOUTS[layout]
    rows: list[list[Cell]] = [list(headers)]
    for order in group_by_order(lines).values():
        total = sum(x.unit_price_idr * x.quantity for x in order)
        for line in order:
            values = _bukalapak_values(line, total)
            if layout == "guessed":
                values["Tanggal"] = line.created_at.strftime("%Y-%m-%d %H:%M:%S")
            rows.append([values.get(h, "") for h in headers])
    return rows


def _bukalapak_values(line: OrderLineSpec, order_total: int) -> dict[str, Cell]:
    line_total = line.unit_price_idr * line.quantity
    return {
        "Tanggal": line.created_at.strftime(BUKALAPAK_DATE),
        "ID Transaksi": line.order_id,
        "Status": line.status,
        "Nama Pembeli": line.buyer_name,
        "Pembeli": line.buyer_name,
        "No. HP Pembeli": line.buyer_phone,
        "No HP Pembeli": line.buyer_phone,
        "Alamat Pengiriman": line.buyer_address,
        "Kota": "Kab. Belitung",
        "Provinsi": "Kepulauan Bangka Belitung",
        "Nama Produk": line.product_name,
        "Nama Barang": line.product_name,
        "Harga Produk": line_total,  # the LINE total, not a unit price
        "Biaya Pengiriman": 9000,
        "Biaya Asuransi": 0,
        "Total Terbayar": line_total + 9000,
        "Jumlah Produk": line.quantity,
        "Jumlah Barang": line.quantity,
        "Harga Barang": line.unit_price_idr,
        "Total Harga Barang": line_total,
        "Total Pembayaran": order_total + 9000,
        "SKU": line.sku,
        "Berat Per SKU": 250,
        "Varian": line.variation,
        "Kurir": "JNE REG",
        "Kode Tracking": f"JNE{stable_number(line.order_id, 10)}",
    }


def write_bukalapak_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    layout: str = "25",  # "25" | "26" (2018-2023, real) | "guessed"
    fmt: str = "xlsx",
    sep: str = ",",
) -> Path:
    """A historical Bukalapak `transaction*.xlsx`."""
    rows = bukalapak_rows(lines, layout=layout)
    return write_table(path, rows, fmt=fmt, sheet="Transaksi", sep=sep)
