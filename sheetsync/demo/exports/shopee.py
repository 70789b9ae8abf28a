"""Shopee "Pesanan Saya" order exports, 2019-2026, in their real layouts (ZIPs of parts too).

The column lists follow ../shared/reference/marketplace-exports.md column for column;
order-level columns repeat on each item line, buyer fields are filled (so privacy tests can
grep for them).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from sheetsync.demo.exports.files import (
    format_date,
    format_money,
    stable_number,
    write_table,
)
from sheetsync.demo.exports.specs import PAY_DELAY, Cell, OrderLineSpec, group_by_order

# --------------------------------------------------------------------------- Shopee headers

SHOPEE_HEADERS_2025: tuple[str, ...] = (
    "No. Pesanan",
    "Status Pesanan",
    "Alasan Pembatalan",
    "Status Pembatalan/ Pengembalian",
    "No. Resi",
    "Opsi Pengiriman",
    "Antar ke counter/ pick-up",
    "Pesanan Harus Dikirimkan Sebelum (Menghindari keterlambatan)",
    "Waktu Pengiriman Diatur",
    "Waktu Pesanan Dibuat",
    "Waktu Pembayaran Dilakukan",
    "Metode Pembayaran",
    "SKU Induk",
    "Nama Produk",
    "Nomor Referensi SKU",
    "Nama Variasi",
    "Harga Awal",
    "Harga Setelah Diskon",
    "Jumlah",
    "Returned quantity",
    "Total Harga Produk",
    "Total Diskon",
    "Diskon Dari Penjual",
    "Diskon Dari Shopee",
    "Berat Produk",
    "Jumlah Produk di Pesan",
    "Total Berat",
    "Voucher Ditanggung Penjual",
    "Cashback Koin",
    "Voucher Ditanggung Shopee",
    "Paket Diskon",
    "Paket Diskon (Diskon dari Shopee)",
    "Paket Diskon (Diskon dari Penjual)",
    "Potongan Koin Shopee",
    "Diskon Kartu Kredit",
    "Ongkos Kirim Dibayar oleh Pembeli",
    "Estimasi Potongan Biaya Pengiriman",
    "Ongkos Kirim Pengembalian Barang",
    "Total Pembayaran",
    "Perkiraan Ongkos Kirim",
    "Catatan dari Pembeli",
    "Catatan",
    "Username (Pembeli)",
    "Nama Penerima",
    "No. Telepon",
    "Alamat Pengiriman",
    "Kota/Kabupaten",
    "Provinsi",
    "Waktu Pesanan Selesai",
)
_NOT_IN_2021 = {
    "Metode Pembayaran",
    "Returned quantity",
    "Estimasi Potongan Biaya Pengiriman",
    "Ongkos Kirim Pengembalian Barang",
}
SHOPEE_HEADERS_2021: tuple[str, ...] = tuple(
    h for h in SHOPEE_HEADERS_2025 if h not in _NOT_IN_2021
)
# 2026 (51 columns, the order of a fixture that copies a real export): no
# "Alasan Pembatalan", "Total Harga Produk" renamed "Subtotal Pesanan", three columns added.
SHOPEE_HEADERS_2026: tuple[str, ...] = (
    "No. Pesanan",
    "Status Pesanan",
    "Shipped by Advance Fulfilment",
    "Booking SN",
    "Status Pembatalan/ Pengembalian",
    "No. Resi",
    "Opsi Pengiriman",
    "Antar ke counter/ pick-up",
    "Pesanan Harus Dikirimkan Sebelum (Menghindari keterlambatan)",
    "Waktu Pengiriman Diatur",
    "Waktu Pesanan Dibuat",
    "Waktu Pembayaran Dilakukan",
    "Tipe Pesanan",
    "Metode Pembayaran",
    *SHOPEE_HEADERS_2025[12:20],
    "Subtotal Pesanan",
    *SHOPEE_HEADERS_2025[21:],
)
# The 50-column 2026 export of a real June 2026 file ("Waktu Pesanan Selesai" is column AX).
SHOPEE_HEADERS_2026_50: tuple[str, ...] = tuple(h for h in SHOPEE_HEADERS_2026 if h != "Booking SN")
# 2019-2020 .xls: 44 columns (S12 counts 44 in Order.*.xls). Which column the 45-column
# layout added is not known; "Antar ke counter/ pick-up" is left out here (inferred).
SHOPEE_HEADERS_2019: tuple[str, ...] = tuple(
    h for h in SHOPEE_HEADERS_2021 if h != "Antar ke counter/ pick-up"
)
SHOPEE_LAYOUTS: dict[str, tuple[str, ...]] = {
    "2019": SHOPEE_HEADERS_2019,
    "2021": SHOPEE_HEADERS_2021,
    "2025": SHOPEE_HEADERS_2025,
    "2026": SHOPEE_HEADERS_2026,
    "2026-50": SHOPEE_HEADERS_2026_50,
}


# --------------------------------------------------------------------------- Shopee orders

SHOPEE_DATE = "%Y-%m-%d %H:%M"


def shopee_rows(
    lines: Sequence[OrderLineSpec],
    *,
    layout: str = "2025",
    money: str = "dots",
    dates: str = "native",
    apostrophe_ids: bool = False,
    continuation: bool = False,
) -> list[list[Cell]]:
    """Header + one row per item line of a Shopee "Pesanan Saya" export. `continuation`:
    as the older .xls exports, an order's later item rows carry the product columns only."""
    headers = SHOPEE_LAYOUTS[layout]
    rows: list[list[Cell]] = [list(headers)]
    for order in group_by_order(lines).values():
        for position, line in enumerate(order):
            values = _shopee_values(line, order, money=money, dates=dates)
            if apostrophe_ids:
                values["No. Pesanan"] = "'" + line.order_id
            if continuation and position:
                values = {k: v for k, v in values.items() if k in _SHOPEE_ITEM_COLUMNS}
            rows.append([values.get(h, "") for h in headers])
    return rows


# What an older export still writes on an order's second and later item rows.
_SHOPEE_ITEM_COLUMNS = frozenset({
    "SKU Induk", "Nama Produk", "Nomor Referensi SKU", "Nama Variasi", "Harga Awal",
    "Harga Setelah Diskon", "Jumlah", "Total Harga Produk", "Total Diskon",
    "Diskon Dari Penjual", "Diskon Dari Shopee", "Berat Produk",
})  # fmt: skip


def _shopee_values(
    line: OrderLineSpec, order: Sequence[OrderLineSpec], *, money: str, dates: str
) -> dict[str, Cell]:
    """Every column of one Shopee item line; order-level columns repeat the order's totals."""
    m: Callable[[int], Cell] = lambda amount: format_money(amount, money)  # noqa: E731
    d: Callable[[dt.datetime | None], Cell] = lambda t: format_date(t, SHOPEE_DATE, dates)  # noqa: E731
    original = line.original_price_idr or line.unit_price_idr
    line_total = line.unit_price_idr * line.quantity
    order_total = sum(x.unit_price_idr * x.quantity for x in order)
    paid = None if line.status == "Belum Bayar" else (line.paid_at or line.created_at + PAY_DELAY)
    values: dict[str, Cell] = {
        "No. Pesanan": line.order_id,
        "Status Pesanan": line.status,
        "Alasan Pembatalan": line.cancel_reason,
        "Status Pembatalan/ Pengembalian": line.return_status,
        "Shipped by Advance Fulfilment": "N",
        "No. Resi": f"SPXID0{stable_number(line.order_id, 11)}",
        "Opsi Pengiriman": "Reguler (Cashless)-SPX Standard",
        "Antar ke counter/ pick-up": "Antar ke Counter",
        "Pesanan Harus Dikirimkan Sebelum (Menghindari keterlambatan)": d(
            line.created_at + dt.timedelta(days=2)
        ),
        "Waktu Pengiriman Diatur": d(line.created_at + dt.timedelta(hours=20)),
        "Waktu Pesanan Dibuat": d(line.created_at),
        "Waktu Pembayaran Dilakukan": d(paid),
        "Tipe Pesanan": "Pesanan Reguler",
        "Metode Pembayaran": "ShopeePay",
        "SKU Induk": line.sku.split("-")[0] if line.sku else "",
        "Nama Produk": line.product_name,
        "Nomor Referensi SKU": line.sku,
        "Nama Variasi": line.variation,
        "Harga Awal": m(original),
        "Harga Setelah Diskon": m(line.unit_price_idr),
        "Jumlah": line.quantity,
        "Returned quantity": line.quantity if line.return_status == "Permintaan Disetujui" else 0,
        "Total Harga Produk": m(line_total),
        "Subtotal Pesanan": m(line_total),
        "Total Diskon": m((original - line.unit_price_idr) * line.quantity),
        "Diskon Dari Penjual": m((original - line.unit_price_idr) * line.quantity),
        "Diskon Dari Shopee": m(0),
        "Berat Produk": "250 gr",
        "Jumlah Produk di Pesan": sum(x.quantity for x in order),
        "Total Berat": f"{250 * sum(x.quantity for x in order)} gr",
        "Ongkos Kirim Dibayar oleh Pembeli": m(10000),
        "Estimasi Potongan Biaya Pengiriman": m(10000),
        "Total Pembayaran": m(order_total + 10000),
        "Perkiraan Ongkos Kirim": m(20000),
        "Catatan dari Pembeli": "Tolong dibungkus rapi,\nterima kasih",
        "Username (Pembeli)": line.buyer_username,
        "Nama Penerima": line.buyer_name,
        "No. Telepon": line.buyer_phone,
        "Alamat Pengiriman": line.buyer_address,
        "Kota/Kabupaten": "KAB. BELITUNG",
        "Provinsi": "KEPULAUAN BANGKA BELITUNG",
        "Waktu Pesanan Selesai": d(line.completed_at) if line.status == "Selesai" else "",
    }
    for money_column in _SHOPEE_ZERO_MONEY:
        values.setdefault(money_column, m(0))
    return values


_SHOPEE_ZERO_MONEY = (
    "Voucher Ditanggung Penjual",
    "Cashback Koin",
    "Voucher Ditanggung Shopee",
    "Paket Diskon",
    "Paket Diskon (Diskon dari Shopee)",
    "Paket Diskon (Diskon dari Penjual)",
    "Potongan Koin Shopee",
    "Diskon Kartu Kredit",
    "Ongkos Kirim Pengembalian Barang",
)


def write_shopee_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    layout: str = "2025",  # "2019" (44, .xls) | "2021" (45) | "2025" (49) | "2026" (51) | …
    fmt: str = "xlsx",  # "xlsx" | "xls" (needs xlwt) | "csv"
    money: str = "dots",  # "dots" 37.200 | "rp" Rp 37.200 | "plain" | "en" 37,200.00 | ...
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
    dates: str = "native",  # "native" 2026-08-01 08:00 | "excel" date cells | "dmy"
    apostrophe_ids: bool = False,
    continuation: bool = False,  # later item rows carry product columns only (2019-2020)
) -> Path:
    """A Shopee order export (sheet `orders`, header on row 1), XLSX, XLS or re-saved CSV."""
    rows = shopee_rows(
        lines,
        layout=layout,
        money=money,
        dates=dates,
        apostrophe_ids=apostrophe_ids,
        continuation=continuation,
    )
    return write_table(path, rows, fmt=fmt, sheet="orders", sep=sep, bom=bom, encoding=encoding)


def write_shopee_zip(
    path: Path, lines: Sequence[OrderLineSpec], *, parts: int = 2, **kw: object
) -> Path:
    """A large Shopee export split into `parts` files inside one ZIP (orders kept whole)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = str(kw.get("fmt", "xlsx"))
    orders = list(group_by_order(lines).values())
    size = max(1, -(-len(orders) // parts))
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(path, "w") as archive:
        for index in range(parts):
            chunk = [line for order in orders[index * size : (index + 1) * size] for line in order]
            name = f"{path.stem}.part{index + 1}.{fmt}"  # parts never appear beside the ZIP
            write_shopee_orders(Path(folder) / name, chunk, **kw)  # type: ignore[arg-type]
            archive.write(Path(folder) / name, name, zipfile.ZIP_DEFLATED)
    return path
