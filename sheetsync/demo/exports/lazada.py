"""Lazada order exports: one row per order item (so per unit), camelCase headers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sheetsync.demo.exports.files import (
    stable_number,
    write_table,
)
from sheetsync.demo.exports.specs import Cell, OrderLineSpec

# --------------------------------------------------------------------------- Lazada orders

LAZADA_HEADERS: tuple[str, ...] = (
    "orderItemId", "orderType", "Guarantee", "deliveryType", "lazadaId", "sellerSku",
    "lazadaSku", "wareHouse", "createTime", "updateTime", "rtsSla", "ttsSla", "orderNumber",
    "invoiceRequired", "invoiceNumber", "deliveredDate", "customerName", "customerEmail",
    "nationalRegistrationNumber", "shippingName", "shippingAddress", "shippingAddress2",
    "shippingAddress3", "shippingAddress4", "shippingAddress5", "shippingPhone",
    "shippingPhone2", "shippingCity", "shippingPostCode", "shippingCountry", "shippingRegion",
    "billingName", "billingAddr", "billingAddr2", "billingAddr3", "billingAddr4",
    "billingAddr5", "billingPhone", "billingPhone2", "billingCity", "billingPostCode",
    "billingCountry", "taxCode", "branchNumber", "taxInvoiceRequested", "payMethod",
    "paidPrice", "unitPrice", "QTY", "sellerDiscountTotal", "shippingFee", "walletCredit",
    "PRODUCT NAME", "itemName", "variation", "cdShippingProvider", "shippingProvider",
    "shipmentTypeName", "shippingProviderType", "cdTrackingCode", "trackingCode",
    "trackingUrl", "shippingProviderFM", "trackingCodeFM", "trackingUrlFM",
    "promisedShippingTime", "premium", "status", "buyerFailedDeliveryReturnInitiator",
    "buyerFailedDeliveryReason", "buyerFailedDeliveryDetail", "buyerFailedDeliveryUserName",
    "bundleId", "semiManaged", "flexibleDeliveryTime", "bundleDiscount", "refundAmount",
    "sellerNote",
)  # fmt: skip
LAZADA_DATE = "%d %b %Y %H:%M"


def lazada_rows(lines: Sequence[OrderLineSpec]) -> list[list[Cell]]:
    """Header + one row per order ITEM: a line of quantity 3 becomes three rows."""
    rows: list[list[Cell]] = [list(LAZADA_HEADERS)]
    item = 0
    for line in lines:
        for _ in range(line.quantity):
            item += 1
            values = _lazada_values(line, item)
            rows.append([values.get(h, "") for h in LAZADA_HEADERS])
    return rows


def _lazada_values(line: OrderLineSpec, item: int) -> dict[str, Cell]:
    return {
        "orderItemId": f"{line.order_id}{item:03d}",
        "orderType": "Normal",
        "deliveryType": "dropship",
        "sellerSku": line.sku,
        "lazadaSku": f"{stable_number(line.product_name, 10)}_ID",
        "createTime": line.created_at.strftime(LAZADA_DATE),
        "updateTime": (line.completed_at or line.created_at).strftime(LAZADA_DATE),
        "orderNumber": line.order_id,
        "customerName": line.buyer_name,
        "customerEmail": f"{line.buyer_username}@example.com",
        "shippingName": line.buyer_name,
        "shippingAddress": line.buyer_address,
        "shippingPhone": line.buyer_phone,
        "shippingCity": "Kab. Belitung",
        "shippingCountry": "Indonesia",
        "billingName": line.buyer_name,
        "billingAddr": line.buyer_address,
        "billingPhone": line.buyer_phone,
        "payMethod": "COD",
        # unitPrice: after the seller's product discount; paidPrice also deducts the
        # seller's voucher (sellerDiscountTotal, negative), so it is below unitPrice
        "paidPrice": line.unit_price_idr - line.seller_voucher_idr,
        "unitPrice": line.unit_price_idr,
        "QTY": 1,
        "sellerDiscountTotal": -line.seller_voucher_idr,
        "shippingFee": 0,
        "PRODUCT NAME": line.product_name,
        "itemName": line.product_name,
        "variation": line.variation,
        "shippingProvider": "LEX ID",
        "status": line.status,
    }


def write_lazada_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """A Lazada Seller Center order export (header on row 1, one row per item)."""
    return write_table(
        path, lazada_rows(lines), fmt=fmt, sheet="sheet1", sep=sep, bom=bom, encoding=encoding
    )
