"""TikTok Shop order exports (also Tokopedia orders since the shared Seller Center).

English headers even for Indonesian sellers; row 2 is a description row ("Platform unique
order ID.") skipped because its Order ID is not a number. Order ids have 18-19 digits and
stay text (a trailing tab, added so Excel keeps them as text, is stripped). The month is
decided by "Created Time" (DD/MM/YYYY HH:MM:SS in Indonesian files, MM/DD/YYYY hh:mm:ss AM/PM
in US files: chosen per file). Sales use "SKU Subtotal After Discount" (the line's value).
A completed order whose "Cancelation/Return Type" is "Return/Refund" counts as returned
(inferred, not confirmed).
"""

from __future__ import annotations

from sheetsync.marketplaces.layouts import Layout
from sheetsync.model import Marketplace

TIKTOK_ORDERS = Layout(
    name="tiktok_orders",
    marketplace=Marketplace.TIKTOK,
    kind="orders",
    columns={
        "order_id": ("Order ID",),
        "status_raw": ("Order Status",),
        "return_status_raw": ("Cancelation/Return Type", "Cancellation/Return Type"),
        "created_at": ("Created Time",),
        "product_name": ("Product Name",),
        "variation": ("Variation",),
        "sku": ("SKU ID",),
        "parent_sku": ("Seller SKU",),
        "quantity": ("Quantity",),
        "price": ("SKU Subtotal After Discount",),
    },
    required=("order_id", "status_raw", "created_at", "product_name", "quantity", "price"),
    date_formats=("%d/%m/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p"),
    lead_rows=("order_id", r"^\d+$", 1),
    price="line",
    description="TikTok Shop / Tokopedia Seller Center orders",
)
