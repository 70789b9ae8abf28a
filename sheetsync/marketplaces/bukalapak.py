"""Bukalapak historical transaction exports (`transaction*.xlsx`; sales ended Feb 2025).

Real layouts (2018-2023, 25 or 26 columns; the 26-column one adds "Berat Per SKU") start
`Tanggal, ID Transaksi, …` and carry `Nama Produk`, `Harga Produk`, `Biaya Pengiriman`,
`Biaya Asuransi`, `Total Terbayar`, `Jumlah Produk`, `SKU`, `Varian`, `Kurir`,
`Kode Tracking`, `Status`. `Tanggal` carries its offset ("2019-10-01 16:21:47 +0700") and
becomes programme time. `Harga Produk` is the LINE total (10 units at 15000 is a line of
15000; `Total Terbayar` = `Harga Produk` + shipping), so it is the line's sales value.
The older guess of a layout (`ID Transaksi` first, `Nama Barang`, `Jumlah Barang`,
`Harga Barang` as a unit price) is still read; the later real layout is not known yet,
and an unknown header is rejected with the columns it lacks.
"""

from __future__ import annotations

from sheetsync.marketplaces.layouts import Layout, normalise_header
from sheetsync.model import Marketplace

_WEIGHT = normalise_header("Berat Per SKU")


def _transactions_variant(header: frozenset[str]) -> str:
    """The 26-column layout has "Berat Per SKU"; the 25-column one does not."""
    return "bukalapak_transactions_26" if _WEIGHT in header else "bukalapak_transactions_25"


BUKALAPAK_TRANSACTIONS = Layout(
    name="bukalapak_transactions",
    marketplace=Marketplace.BUKALAPAK,
    kind="orders",
    columns={
        "order_id": ("ID Transaksi",),
        "status_raw": ("Status",),
        "created_at": ("Tanggal",),
        "product_name": ("Nama Produk",),
        "variation": ("Varian",),
        "sku": ("SKU",),
        "quantity": ("Jumlah Produk",),
        "price": ("Harga Produk",),
    },
    required=("order_id", "status_raw", "created_at", "product_name", "quantity", "price"),
    date_formats=("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S"),
    price="line",
    variant=_transactions_variant,
    description="Bukalapak transaksi (2018-2023, 25/26 kolom)",
)

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
    description="Bukalapak transaction export (historical, inferred layout)",
)
