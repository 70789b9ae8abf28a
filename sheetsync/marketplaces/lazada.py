"""Lazada Seller Center order exports (header on row 1, machine-style English headers).

One row per order item (`orderItemId`); an order (`orderNumber`) spans several rows. The
month is decided by `createTime` ("04 Jul 2022 11:46"). Sales follow the definition of
every other marketplace (price after the seller's product discount x quantity, no
vouchers, no shipping): `unitPrice` x `QTY` (`QTY` absent: 1). `paidPrice` also deducts
the seller's voucher (`sellerDiscountTotal`), so it is never summed into sales.
Which status means "sold" is NOT confirmed: `confirmed` and `delivered` are counted as
completed (see status.py).
"""

from __future__ import annotations

from sheetsync.marketplaces.layouts import Layout
from sheetsync.model import Marketplace

LAZADA_ORDERS = Layout(
    name="lazada_orders",
    marketplace=Marketplace.LAZADA,
    kind="orders",
    columns={
        "order_id": ("orderNumber",),
        "status_raw": ("status",),
        "created_at": ("createTime",),
        "product_name": ("itemName", "PRODUCT NAME"),
        "variation": ("variation",),
        "sku": ("sellerSku", "lazadaSku"),
        "quantity": ("QTY", "quantity"),
        "price": ("unitPrice",),
        "item_id": ("orderItemId",),
    },
    required=("order_id", "status_raw", "created_at", "product_name", "price", "item_id"),
    date_formats=("%d %b %Y %H:%M", "%d %b %Y %H:%M:%S"),
    description="Lazada Seller Center orders",
)
