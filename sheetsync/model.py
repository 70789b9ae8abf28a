"""The domain, as frozen dataclasses and one canonical order-line schema.

Staff tabs become `Village`, `Ambassador`, `Shop`, `Target`, `FormReport`, `Recipient`
(after validation; only rows without errors). Every marketplace export becomes rows of the
canonical order-line schema `ORDER_LINE_COLUMNS`, whatever its layout, so the core sees
one shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Marketplace(StrEnum):
    SHOPEE = "shopee"
    TOKOPEDIA = "tokopedia"  # legacy Tokopedia seller centre export
    TIKTOK = "tiktok"  # TikTok Shop / Tokopedia integrated seller centre
    LAZADA = "lazada"
    BUKALAPAK = "bukalapak"


# How staff write the marketplace in the `Toko` tab -> canonical value.
MARKETPLACE_LABELS: dict[str, Marketplace] = {
    "shopee": Marketplace.SHOPEE,
    "tokopedia": Marketplace.TOKOPEDIA,
    "tiktok shop": Marketplace.TIKTOK,
    "tiktok": Marketplace.TIKTOK,
    "tokopedia / tiktok shop": Marketplace.TIKTOK,
    "lazada": Marketplace.LAZADA,
    "bukalapak": Marketplace.BUKALAPAK,
}
MARKETPLACE_CHOICES = ["Shopee", "Tokopedia", "TikTok Shop", "Lazada", "Bukalapak"]


class OrderStatus(StrEnum):
    """The five KPI classes every marketplace status maps to (table in docs/kpi.md)."""

    COMPLETED = "completed"
    CANCELLED = "cancelled"
    RETURNED = "returned"
    UNPAID = "unpaid"
    IN_PROGRESS = "in_progress"

    @property
    def is_final(self) -> bool:
        """A final status is never replaced by a non-final one from another export."""
        return self in FINAL_STATUSES


FINAL_STATUSES = frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.RETURNED})


# Canonical order-line columns (one row per item line of an order), as produced by every
# reader in marketplaces/ and stored in the ledger. Buyer data never appears here.
ORDER_LINE_COLUMNS: dict[str, str] = {
    "marketplace": "str: Marketplace value",
    "order_id": "str: order number, apostrophes/whitespace/tabs stripped, never a number",
    "line_no": "int: 1-based position of the line within its order in this file",
    "product_id": "str: marketplace product id or SKU when present, else ''",
    "product_name": "str: as written by the seller (may start with = + - @: stays text)",
    "variation": "str: variation name or ''",
    "quantity": "int: units on this line (>= 0)",
    "unit_price_idr": "int: unit price after product discount, whole rupiah",
    "line_sales_idr": "int: unit_price_idr * quantity",
    "status_raw": "str: the marketplace's own status text (first line of the cell)",
    "return_status_raw": "str: Shopee 'Status Pembatalan/ Pengembalian' etc., or ''",
    "status": "str: OrderStatus value",
    "created_at": "datetime64 (naive, programme local time): the time that decides the month",
    "source_row": "int: row number of the line in the file as a person sees it (1-based)",
}


@dataclass(frozen=True, slots=True)
class Village:
    code: str  # Kemendagri code, e.g. 19.02.04.2004
    name: str
    kecamatan: str


@dataclass(frozen=True, slots=True)
class Ambassador:
    ambassador_id: str
    name: str
    village_code: str
    phone: str
    email: str
    active: bool
    row: int | None = None  # the row in `Duta`, so a routing problem points at it


@dataclass(frozen=True, slots=True)
class Shop:
    shop_id: str
    marketplace: Marketplace
    name: str
    owner: str
    village_code: str
    ambassador_id: str
    registered_on: dt.date | None


@dataclass(frozen=True, slots=True)
class Target:
    month: str  # YYYY-MM
    village_code: str
    new_shops: int | None
    products: int | None
    transactions: int | None
    sales_idr: int | None


@dataclass(frozen=True, slots=True)
class FormReport:
    submitted_at: dt.datetime
    ambassador_id: str
    month: str  # YYYY-MM
    activities: int | None
    participants: int | None
    new_shops: int | None
    products_uploaded: int | None
    notes: str
    row: int  # row in `Laporan Duta`, for lineage and feedback


class Level(StrEnum):
    KABUPATEN = "kabupaten"
    KECAMATAN = "kecamatan"
    DESA = "desa"
    DUTA = "duta"


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    position: str
    email: str
    level: Level
    area_code: str  # '' for kabupaten, kecamatan name or code, village code
    row: int | None = None  # the row in `Penerima`, so a routing problem points at it


@dataclass(frozen=True, slots=True)
class Registry:
    """The validated staff tabs: what the KPIs roll up by."""

    villages: tuple[Village, ...]
    ambassadors: tuple[Ambassador, ...]
    shops: tuple[Shop, ...]
    targets: tuple[Target, ...] = ()
    form_reports: tuple[FormReport, ...] = ()
    recipients: tuple[Recipient, ...] = ()
