"""What an export file holds, in marketplace-neutral terms: order lines and listed products.

Every writer of this package takes these specs and lays them out as one marketplace's file,
so a test (or the demo) states the orders once and gets them in any real layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

Cell = str | int | float | dt.datetime | None
PAY_DELAY = dt.timedelta(minutes=5)  # payment after creation, when a line gives no paid_at


@dataclass(frozen=True)
class OrderLineSpec:
    """One item line of an order, in marketplace-neutral terms."""

    order_id: str
    status: str  # the marketplace's own status text, e.g. "Selesai", "Dibatalkan Pembeli"
    created_at: dt.datetime  # Shopee creation time; for Tokopedia written as payment time
    product_name: str
    quantity: int
    unit_price_idr: int  # price after product discount
    original_price_idr: int | None = None
    variation: str = ""
    sku: str = ""
    paid_at: dt.datetime | None = None
    return_status: str = ""  # Shopee "Status Pembatalan/ Pengembalian"
    buyer_name: str = "Budi Santoso"
    buyer_username: str = "budi88"
    buyer_phone: str = "6281234567890"
    buyer_address: str = "Jl. Melati No. 3, Tanjung Pandan"
    completed_at: dt.datetime | None = None  # written where the layout has a completion time
    cancel_reason: str = ""
    seller_voucher_idr: int = 0  # the seller's voucher on this item (Lazada paidPrice)


@dataclass(frozen=True)
class ProductSpec:
    """One variation of a listed product (listing exports: one row per variation)."""

    product_id: str
    product_name: str
    variation_id: str = ""
    variation: str = ""
    parent_sku: str = ""
    sku: str = ""
    price_idr: int = 10000
    stock: int = 10


def group_by_order(lines: Iterable[OrderLineSpec]) -> dict[str, list[OrderLineSpec]]:
    """Lines grouped by order, in the order orders first appear."""
    grouped: dict[str, list[OrderLineSpec]] = {}
    for line in lines:
        grouped.setdefault(line.order_id, []).append(line)
    return grouped
