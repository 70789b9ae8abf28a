"""Tokopedia order exports: the "Laporan Penjualan" sales report (four title rows above the
header) and the older English "Order List" with continuation rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from sheetsync.demo.exports.files import (
    format_date,
    format_money,
    stable_number,
    write_table,
)
from sheetsync.demo.exports.specs import Cell, OrderLineSpec, group_by_order

TOKOPEDIA_HEADERS: tuple[str, ...] = (
    "Nomor",
    "Nomor Invoice",
    "Tanggal Pembayaran",
    "Status Terakhir",
    "Tanggal Pesanan Selesai",
    "Waktu Pesanan Selesai",
    "Tanggal Pesanan Dibatalkan",
    "Waktu Pesanan Dibatalkan",
    "Nama Produk",
    "Tipe Produk",
    "Nomor SKU",
    "Catatan Produk Pembeli",
    "Catatan Produk Penjual",
    "Jumlah Produk Dibeli",
    "Harga Awal (IDR)",
    "Harga Satuan Bundling (IDR)",
    "Diskon Produk (IDR)",
    "Harga Jual (IDR)",
    "Jumlah Subsidi Tokopedia (IDR)",
    "Nilai Kupon Toko Terpakai (IDR)",
    "Jenis Kupon Toko Terpakai",
    "Kode Kupon Toko Yang Digunakan",
    "Biaya Pengiriman Tunai (IDR)",
    "Biaya Asuransi Pengiriman (IDR)",
    "Total Biaya Pengiriman (IDR)",
    "Total Penjualan (IDR)",
    "Nama Pembeli",
    "No Telp Pembeli",
    "Nama Penerima",
    "No Telp Penerima",
    "Alamat Pengiriman",
    "Kota",
    "Provinsi",
    "Nama Kurir",
    "Tipe Pengiriman (regular, same day, etc)",
    "No Resi / Kode Booking",
    "Tanggal Pengiriman Barang",
    "Waktu Pengiriman Barang",
    "Gudang Pengiriman",
    "Nama Campaign",
    "Nama Bundling",
    "Tipe Bebas Ongkir (Bebas Ongkir, Bebas Ongkir DT)",
    "COD",
    "Jumlah Produk Yang Dikurangkan",
    "Total Pengurangan (IDR)",
    "Nama Penawaran Terpakai",
    "Tingkatan Promosi Terpakai",
    "Diskon Penawaran Terpakai (IDR)",
)


# --------------------------------------------------------------------------- Tokopedia orders

TOKOPEDIA_DATETIME = "%d-%m-%Y %H:%M:%S"


def tokopedia_rows(
    lines: Sequence[OrderLineSpec],
    *,
    title_rows: bool = True,
    money: str = "number",
    dates: str = "native",
    shop_name: str = "Toko Contoh",
) -> list[list[Cell]]:
    """Title rows (header on row 5) + header + one row per product line of each invoice."""
    rows: list[list[Cell]] = _tokopedia_title_rows(lines, shop_name) if title_rows else []
    rows.append(list(TOKOPEDIA_HEADERS))
    for number, order in enumerate(group_by_order(lines).values(), start=1):
        for position, line in enumerate(order):
            values = _tokopedia_values(line, order, money=money, dates=dates)
            values["Nomor"] = number if position == 0 else ""
            rows.append([values.get(h, "") for h in TOKOPEDIA_HEADERS])
    return rows


def _tokopedia_title_rows(lines: Sequence[OrderLineSpec], shop_name: str) -> list[list[Cell]]:
    """Four title rows above the header (their text is inferred, the row count is not)."""
    times = [line.paid_at or line.created_at for line in lines] or [dt.datetime(2026, 1, 1)]
    period = f"{min(times):%d-%m-%Y} - {max(times):%d-%m-%Y}"
    return [
        ["Laporan Penjualan"],
        [f"Nama Toko: {shop_name}"],
        [f"Periode: {period}"],
        [""],
    ]


def _tokopedia_values(
    line: OrderLineSpec, order: Sequence[OrderLineSpec], *, money: str, dates: str
) -> dict[str, Cell]:
    """Every column of one Tokopedia product line (payment time = `created_at` unless set)."""
    m: Callable[[int], Cell] = lambda amount: format_money(amount, money)  # noqa: E731
    paid = line.paid_at or line.created_at
    original = line.original_price_idr or line.unit_price_idr
    done = line.completed_at or (paid + dt.timedelta(days=3))
    finished = line.status.startswith("Pesanan Selesai")
    cancelled = line.status.startswith("Dibatalkan")
    status = line.status + (f" -\n{line.cancel_reason}" if line.cancel_reason else "")
    return {
        "Nomor Invoice": line.order_id,
        "Tanggal Pembayaran": format_date(paid, TOKOPEDIA_DATETIME, dates),
        "Status Terakhir": status,
        "Tanggal Pesanan Selesai": f"{done:%d-%m-%Y}" if finished else "",
        "Waktu Pesanan Selesai": f"{done:%H:%M:%S}" if finished else "",
        "Tanggal Pesanan Dibatalkan": f"{paid:%d-%m-%Y}" if cancelled else "",
        "Waktu Pesanan Dibatalkan": f"{paid:%H:%M:%S}" if cancelled else "",
        "Nama Produk": line.product_name + (f" - {line.variation}" if line.variation else ""),
        "Tipe Produk": "Produk Utama",
        "Nomor SKU": line.sku,
        "Jumlah Produk Dibeli": line.quantity,
        "Harga Awal (IDR)": m(original),
        "Diskon Produk (IDR)": m(original - line.unit_price_idr),
        "Harga Jual (IDR)": m(line.unit_price_idr),
        "Jumlah Subsidi Tokopedia (IDR)": m(0),
        "Nilai Kupon Toko Terpakai (IDR)": m(0),
        "Biaya Pengiriman Tunai (IDR)": m(9000),
        "Biaya Asuransi Pengiriman (IDR)": m(0),
        "Total Biaya Pengiriman (IDR)": m(9000),
        "Total Penjualan (IDR)": m(sum(x.unit_price_idr * x.quantity for x in order) + 9000),
        "Nama Pembeli": line.buyer_name,
        "No Telp Pembeli": line.buyer_phone,
        "Nama Penerima": line.buyer_name,
        "No Telp Penerima": line.buyer_phone,
        "Alamat Pengiriman": line.buyer_address,
        "Kota": "Kab. Belitung",
        "Provinsi": "Bangka Belitung",
        "Nama Kurir": "JNE(Reguler)",
        "Tipe Pengiriman (regular, same day, etc)": "Regular",
        "No Resi / Kode Booking": f"JNE{stable_number(line.order_id, 10)}",
        "Tipe Bebas Ongkir (Bebas Ongkir, Bebas Ongkir DT)": "Bebas Ongkir",
        "COD": "Tidak",
        "Jumlah Produk Yang Dikurangkan": 0,
        "Total Pengurangan (IDR)": m(0),
    }


def write_tokopedia_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    title_rows: bool = True,
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
    money: str = "number",
    dates: str = "native",
    shop_name: str = "Toko Contoh",
) -> Path:
    """A legacy Tokopedia "Laporan Penjualan" (title rows, header on row 5), XLSX or CSV."""
    rows = tokopedia_rows(
        lines, title_rows=title_rows, money=money, dates=dates, shop_name=shop_name
    )
    return write_table(
        path, rows, fmt=fmt, sheet="Laporan Penjualan", sep=sep, bom=bom, encoding=encoding
    )


TOKOPEDIA_EN_HEADERS: tuple[str, ...] = (
    "Count",
    "Order ID",
    "Invoice",
    "Payment Date",
    "Order Status",
    "Product ID",
    "Product Name",
    "Quantity",
    "Stock Keeping Unit (SKU)",
    "Notes",
    "Price (Rp.)",
    "Discount Amount (Rp.)",
    "Subsidi Amount (Rp.)",
    "Customer Name",
    "Customer Phone",
    "Recipient",
    "Recipient Number",
    "Recipient Address",
    "Courier",
    "Shipping Price + fee (Rp.)",
    "Insurance (Rp.)",
    "Total Shipping Fee (Rp.)",
    "Total Amount (Rp.)",
    "AWB",
    "Jenis Layanan",
    "Bebas Ongkir",
    "Warehouse Origin",
    "Campaign Name",
)  # fmt: skip (the exact sequence of S1)
# What the older English export still writes on an invoice's later item rows.
_TOKOPEDIA_EN_ITEM_COLUMNS = frozenset({
    "Product ID", "Product Name", "Quantity", "Stock Keeping Unit (SKU)", "Notes",
    "Price (Rp.)", "Discount Amount (Rp.)", "Subsidi Amount (Rp.)",
})  # fmt: skip


def tokopedia_en_rows(
    lines: Sequence[OrderLineSpec], *, title_rows: bool = True, continuation: bool = True
) -> list[list[Cell]]:
    """The older English Tokopedia export (about 2018-2020): title rows (their text is
    inferred), the header, then one row per product; an invoice's later rows carry the
    product columns only (`continuation`), prices as text "Rp 25.000"."""
    rows: list[list[Cell]] = []
    if title_rows:
        rows += [["Order List"], ["Shop: Toko Contoh"], [""]]
    rows.append(list(TOKOPEDIA_EN_HEADERS))
    for number, order in enumerate(group_by_order(lines).values(), start=1):
        for position, line in enumerate(order):
            values = _tokopedia_en_values(line, order, number)
            if continuation and position:
                values = {k: v for k, v in values.items() if k in _TOKOPEDIA_EN_ITEM_COLUMNS}
            rows.append([values.get(h, "") for h in TOKOPEDIA_EN_HEADERS])
    return rows


def _tokopedia_en_values(
    line: OrderLineSpec, order: Sequence[OrderLineSpec], number: int
) -> dict[str, Cell]:
    original = line.original_price_idr or line.unit_price_idr
    total = sum(x.unit_price_idr * x.quantity for x in order) + 9000
    return {
        "Count": number,
        "Order ID": stable_number(line.order_id, 8),
        "Invoice": line.order_id,
        "Payment Date": (line.paid_at or line.created_at).strftime(TOKOPEDIA_DATETIME),
        "Order Status": line.status,
        "Product ID": stable_number(line.product_name, 9),
        "Product Name": line.product_name,
        "Quantity": line.quantity,
        "Stock Keeping Unit (SKU)": line.sku,
        "Price (Rp.)": format_money(line.unit_price_idr, "rp"),
        "Discount Amount (Rp.)": format_money(original - line.unit_price_idr, "rp"),
        "Subsidi Amount (Rp.)": "Rp 0",
        "Customer Name": line.buyer_name,
        "Customer Phone": line.buyer_phone,
        "Recipient": line.buyer_name,
        "Recipient Number": line.buyer_phone,
        "Recipient Address": line.buyer_address,
        "Courier": "JNE(Reguler)",
        "Shipping Price + fee (Rp.)": "Rp 9.000",
        "Insurance (Rp.)": "Rp 0",
        "Total Shipping Fee (Rp.)": "Rp 9.000",
        "Total Amount (Rp.)": format_money(total, "rp"),
        "AWB": f"JNE{stable_number(line.order_id, 10)}",
        "Jenis Layanan": "Reguler",
        "Bebas Ongkir": "Tidak",
    }


def write_tokopedia_en_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    title_rows: bool = True,
    continuation: bool = True,
) -> Path:
    """The older English Tokopedia order export, XLSX, XLS or CSV."""
    rows = tokopedia_en_rows(lines, title_rows=title_rows, continuation=continuation)
    return write_table(path, rows, fmt=fmt, sheet="Order List")
