"""Legacy Tokopedia "Laporan Penjualan" order exports (title rows; header on row 5).

One row per product line of an invoice. The export has no order-creation time, so the
payment time "Tanggal Pembayaran" (DD-MM-YYYY HH:MM:SS) decides the month. Sales use
"Harga Jual (IDR)" x "Jumlah Produk Dibeli"; "Total Penjualan (IDR)" (meaning unconfirmed)
and "Nomor" (blank on continuation rows) are never read. "Status Terakhir" may hold
"status -\\nreason": the status is the part before the first newline / " -".
The older English export (about 2018-2020: title rows, then Invoice, Payment Date, Order
Status, Quantity, Price (Rp.)) is read too; its price is taken as the unit price after
discount, which is NOT confirmed. It writes the invoice, status and date only on an
invoice's first row: the later item rows are filled from it.
"""

from __future__ import annotations

from sheetsync.marketplaces.layouts import ORDER_FILL_DOWN, Layout
from sheetsync.model import Marketplace

TOKOPEDIA_ORDERS = Layout(
    name="tokopedia_orders",
    marketplace=Marketplace.TOKOPEDIA,
    kind="orders",
    columns={
        "order_id": ("Nomor Invoice",),
        "status_raw": ("Status Terakhir",),
        "created_at": ("Tanggal Pembayaran",),
        "product_name": ("Nama Produk",),
        "sku": ("Nomor SKU",),
        "quantity": ("Jumlah Produk Dibeli",),
        "price": ("Harga Jual (IDR)",),
    },
    required=("order_id", "status_raw", "created_at", "product_name", "quantity", "price"),
    date_formats=("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M"),
    description="Tokopedia Laporan Penjualan (legacy seller centre)",
)

TOKOPEDIA_ORDERS_EN = Layout(
    name="tokopedia_orders_en",
    marketplace=Marketplace.TOKOPEDIA,
    kind="orders",
    columns={
        "order_id": ("Invoice",),
        "status_raw": ("Order Status",),
        "created_at": ("Payment Date",),
        "product_name": ("Product Name",),
        "sku": ("Stock Keeping Unit (SKU)", "Product ID"),
        "quantity": ("Quantity",),
        "price": ("Price (Rp.)",),
    },
    required=("order_id", "status_raw", "created_at", "product_name", "quantity", "price"),
    date_formats=("%d-%m-%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S"),
    fill_down=ORDER_FILL_DOWN,
    description="Tokopedia older English export (about 2018-2020)",
)
