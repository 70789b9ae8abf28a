"""TikTok Shop order exports (also what the shared TikTok Seller Center gives Tokopedia
shops): an optional description row, Indonesian or US dates, ids as long text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sheetsync.demo.exports.files import (
    stable_number,
    write_table,
)
from sheetsync.demo.exports.specs import PAY_DELAY, Cell, OrderLineSpec, group_by_order

# --------------------------------------------------------------------------- TikTok Shop orders

TIKTOK_HEADERS: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "Shipping Fee After Discount", "Original Shipping Fee",
    "Shipping Fee Seller Discount", "Shipping Fee Platform Discount",
    "Payment platform discount", "Taxes", "Order Amount", "Order Refund Amount",
    "Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time",
    "Cancelled Time", "Cancel By", "Cancel Reason", "Fulfillment Type", "Warehouse Name",
    "Tracking ID", "Delivery Option", "Shipping Provider Name", "Buyer Message",
    "Buyer Username", "Recipient", "Phone #", "Zipcode", "Country", "Province",
    "Regency and City", "Districts", "Villages", "Detail Address",
    "Additional address information", "Payment Method", "Product Category", "Package ID",
    "Seller Note", "Checked Status", "Checked Marked by", "SKU ID", "Seller SKU",
    "Product Name", "Variation", "Quantity", "Sku Quantity of return",
    "SKU Unit Original Price", "SKU Subtotal Before Discount", "SKU Platform Discount",
    "SKU Seller Discount", "SKU Subtotal After Discount", "Buyer Service Fee",
    "Weight(kg)", "Dynamic Commission",
)  # fmt: skip
_TIKTOK_DESCRIPTIONS = {
    "Order ID": "Platform unique order ID.",
    "Order Status": "Current order status.",
    "Created Time": "The time the order was placed.",
    "Quantity": "SKU sold quantity in this order.",
}
TIKTOK_DATE_ID = "%d/%m/%Y %H:%M:%S"
TIKTOK_DATE_US = "%m/%d/%Y %I:%M:%S %p"


def tiktok_rows(
    lines: Sequence[OrderLineSpec],
    *,
    description_row: bool = True,
    us_dates: bool = False,
    tab_ids: bool = False,
) -> list[list[Cell]]:
    """Header, the description row under it, then one row per SKU line."""
    rows: list[list[Cell]] = [list(TIKTOK_HEADERS)]
    if description_row:
        rows.append([_TIKTOK_DESCRIPTIONS.get(h, f"{h}.") for h in TIKTOK_HEADERS])
    date_format = TIKTOK_DATE_US if us_dates else TIKTOK_DATE_ID
    for order in group_by_order(lines).values():
        for line in order:
            values = _tiktok_values(line, order, date_format)
            if tab_ids:
                values["Order ID"] = f"{line.order_id}\t"
            rows.append([values.get(h, "") for h in TIKTOK_HEADERS])
    return rows


def _tiktok_values(
    line: OrderLineSpec, order: Sequence[OrderLineSpec], date_format: str
) -> dict[str, Cell]:
    original = line.original_price_idr or line.unit_price_idr
    unpaid = line.status in ("Belum dibayar", "Unpaid")
    paid = None if unpaid else (line.paid_at or line.created_at + PAY_DELAY)
    return {
        "Order ID": line.order_id,
        "Order Status": line.status,
        "Cancelation/Return Type": _tiktok_return_type(line),
        "Normal or Pre-order": "Normal",
        "Order Amount": sum(x.unit_price_idr * x.quantity for x in order) + 10000,
        "Shipping Fee After Discount": 10000,
        "Created Time": line.created_at.strftime(date_format),
        "Paid Time": paid.strftime(date_format) if paid else "",
        "Cancel Reason": line.cancel_reason,
        "Fulfillment Type": "Fulfillment by seller",
        "Delivery Option": "Standard shipping",
        "Shipping Provider Name": "J&T Express",
        "Buyer Username": line.buyer_username,
        "Recipient": line.buyer_name,
        "Phone #": line.buyer_phone,
        "Country": "Indonesia",
        "Province": "Kepulauan Bangka Belitung",
        "Regency and City": "Kab. Belitung",
        "Detail Address": line.buyer_address,
        "Payment Method": "GoPay",
        "SKU ID": f"17{stable_number(line.order_id + line.product_name, 17)}",
        "Seller SKU": line.sku,
        "Product Name": line.product_name,
        "Variation": line.variation,
        "Quantity": line.quantity,
        "Sku Quantity of return": 0,
        "SKU Unit Original Price": original,
        "SKU Subtotal Before Discount": original * line.quantity,
        "SKU Seller Discount": (original - line.unit_price_idr) * line.quantity,
        "SKU Platform Discount": 0,
        "SKU Subtotal After Discount": line.unit_price_idr * line.quantity,
        "Weight(kg)": "0.25",
    }


def _tiktok_return_type(line: OrderLineSpec) -> str:
    """ "Return/Refund" for a return after delivery, "Cancel" for another cancellation."""
    if line.return_status:
        return "Return/Refund"
    return "Cancel" if line.status in ("Dibatalkan", "Cancelled") else ""


def write_tiktok_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    description_row: bool = True,
    us_dates: bool = False,
    tab_ids: bool | None = None,  # default: on for CSV, as TikTok writes them
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """A TikTok Shop (and Tokopedia Seller Center) order export; ids are 18-19 digit text."""
    tabs = (fmt == "csv") if tab_ids is None else tab_ids
    rows = tiktok_rows(lines, description_row=description_row, us_dates=us_dates, tab_ids=tabs)
    return write_table(
        path, rows, fmt=fmt, sheet="OrderSKUList", sep=sep, bom=bom, encoding=encoding
    )
