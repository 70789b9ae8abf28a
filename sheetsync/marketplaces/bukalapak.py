"""Bukalapak historical transaction exports (`transaction*.xlsx`; sales ended Feb 2025).

Confirmed: `ID Transaksi` (column 1), several rows per transaction, `Status` with
"Diterima & Selesai" / "Dikembalikan" / "Diproses Pelapak" / "Dikirim". NOT confirmed
(the full 25-column header was never found): the names of the date, product, quantity
and price columns; the aliases below are the likeliest texts and an unknown header is
rejected with the columns it lacks, so a real file tells us which alias to add.
"""

from __future__ import annotations

from sheetsync.marketplaces.layouts import Layout
from sheetsync.model import Marketplace

BUKALAPAK_ORDERS = Layout(
    name="bukalapak_orders",
    marketplace=Marketplace.BUKALAPAK,
    kind="orders",
    columns={
        "order_id": ("ID Transaksi",),
        "status_raw": ("Status",),
        "created_at": ("Tanggal", "Tanggal Transaksi", "Waktu Transaksi", "Tanggal Dibuat"),
        "product_name": ("Nama Barang", "Nama Produk", "Barang"),
        "sku": ("SKU", "ID Barang"),
        "quantity": ("Jumlah", "Jumlah Barang", "Kuantitas"),
        "price": ("Harga", "Harga Barang", "Harga Satuan"),
    },
    required=("order_id", "status_raw", "created_at", "product_name", "quantity", "price"),
    date_formats=("%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S"),
    description="Bukalapak transaction export (historical)",
)
