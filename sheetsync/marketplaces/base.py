"""What every export reader returns: a `ParsedExport` in the canonical schema.

Readers recognise a file by its header row, never its name, map columns by normalised
header name, drop buyer data at read time, and report bad rows as `Issue`s instead of
raising. The ingest step (ingest.py) stores the result in the ledger in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from sheetsync.issues import Issue
from sheetsync.model import Marketplace

# Canonical listing-snapshot columns (product-listing exports, one row per variation).
LISTING_COLUMNS: dict[str, str] = {
    "product_id": "str: marketplace product id (products = distinct product_id)",
    "product_name": "str",
    "variation_id": "str or ''",
    "variation": "str or ''",
    "sku": "str or ''",
    "price_idr": "int or <NA>",
    "stock": "int or <NA>",
    "source_row": "int: row number as a person sees it",
}


@dataclass(slots=True)
class ParsedExport:
    """One export file (or one multi-part ZIP), read.

    kind: "orders" | "listings" | "rejected". For "rejected", `lines` is empty and `issues`
    says why (unknown layout with the closest known layout and its missing columns,
    damaged file, empty file, no data rows).
    `period`: the dates the file covers when the export says so (Shopee file names such as
    Order.all.20260201_20260228.xlsx), else None; used to order overlapping exports.
    `exported_at`: the export time the file name states (programme time), else None; it
    dates the file instead of the mtime, which every copy changes (filenames.py).
    `table`: the order lines in Arrow when the caller asked for them so (ingest packs them
    for the ledger without a pandas round trip); `lines` is then empty.
    """

    kind: str
    layout: str
    marketplace: Marketplace | None
    lines: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    period: tuple[dt.date, dt.date] | None = None
    rows_read: int = 0
    exported_at: dt.datetime | None = None
    table: pa.Table | None = None

    @property
    def rejected(self) -> bool:
        return self.kind == "rejected"
