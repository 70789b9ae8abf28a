"""Shopee "Pesanan Saya" order exports (2019-2020 .xls, 2021 45-column, 2025 49-column,
2026 51-column).

One row per item line; order-level columns (Total Pembayaran, Jumlah Produk di Pesan, …)
repeat on every line and are never read. The month is decided by "Waktu Pesanan Dibuat".
Sales use "Harga Setelah Diskon" x "Jumlah". The file name (Order.all.20260201_20260228)
gives the period the export covers, used only to order overlapping exports.
Older exports (.xls, 2019-2020) write the order id, status and date only on an order's
first row; its later item rows are filled from it (orders.fill_continuation_rows).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from sheetsync.marketplaces.layouts import ORDER_FILL_DOWN, Layout, normalise_header
from sheetsync.model import Marketplace

_2026_ONLY = normalise_header("Subtotal Pesanan")
_NOT_IN_2021 = normalise_header("Metode Pembayaran")


def _shopee_variant(header: frozenset[str]) -> str:
    """Which Shopee layout generation a header is (reported, never relied on)."""
    if _2026_ONLY in header:
        return "shopee_orders_2026"
    if _NOT_IN_2021 not in header:
        return "shopee_orders_2021"
    return "shopee_orders_2025"


SHOPEE_ORDERS = Layout(
    name="shopee_orders",
    marketplace=Marketplace.SHOPEE,
    kind="orders",
    columns={
        "order_id": ("No. Pesanan",),
        "status_raw": ("Status Pesanan",),
        "return_status_raw": ("Status Pembatalan/ Pengembalian",),
        "created_at": ("Waktu Pesanan Dibuat",),
        "product_name": ("Nama Produk",),
        "variation": ("Nama Variasi",),
        "sku": ("Nomor Referensi SKU",),
        "parent_sku": ("SKU Induk",),
        "quantity": ("Jumlah",),
        "price": ("Harga Setelah Diskon",),
    },
    required=("order_id", "status_raw", "created_at", "product_name", "quantity", "price"),
    date_formats=("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"),
    variant=_shopee_variant,
    fill_down=ORDER_FILL_DOWN,
    description="Shopee Pesanan Saya (Order.all.*.xlsx)",
)

_PERIOD = re.compile(r"(?<!\d)(20\d{6})_(20\d{6})(?!\d)")


@functools.lru_cache(maxsize=1024)  # every shop's export of a month has the same name
def period_from_name(name: str) -> tuple[dt.date, dt.date] | None:
    """The dates a Shopee export covers, from names like Order.all.20260201_20260228.xlsx."""
    match = _PERIOD.search(name)
    if not match:
        return None
    try:
        start, end = (dt.datetime.strptime(g, "%Y%m%d").date() for g in match.groups())
    except ValueError:
        return None
    return (start, end) if start <= end else None
