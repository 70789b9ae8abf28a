"""Listing snapshots: kept per file, dated by the day the export shows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from ledger_samples import IMPORTED_AT

from sheetsync.ledger.files import FileMeta
from sheetsync.ledger.store import Ledger
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.model import Marketplace


def test_listing_snapshots_up_to_a_month(ledger: Ledger) -> None:
    listing = pd.DataFrame(
        {
            "product_id": ["P1", "P2"],
            "product_name": ["=Kopi", "Teh"],
            "variation_id": ["", ""],
            "variation": ["", ""],
            "sku": ["", ""],
            "price_idr": pd.array([10_000, None], dtype="Int64"),
            "stock": pd.array([5, 0], dtype="Int64"),
            "source_row": [2, 3],
        }
    )
    export = ParsedExport("listings", "shopee-mass-update", Marketplace.SHOPEE, listing)
    august = FileMeta("sha-l1", "/l1", "TK-001/l1.xlsx", 1, 0.0, "TK-001",
                      dt.datetime(2026, 8, 20, 9))  # fmt: skip
    october = FileMeta("sha-l2", "/l2", "TK-001/l2.xlsx", 1, 0.0, "TK-001",
                       dt.datetime(2026, 10, 2, 9))  # fmt: skip
    ledger.store_export(august, export, imported_at=IMPORTED_AT)
    ledger.store_export(october, export, imported_at=IMPORTED_AT)
    until_sept = ledger.listing_snapshots(until_month="2026-09")
    assert len(until_sept) == 2
    assert set(until_sept["snapshot_date"]) == {pd.Timestamp("2026-08-20")}
    assert until_sept["product_name"].tolist() == ["=Kopi", "Teh"]  # formula-like stays text
    assert until_sept["price_idr"].isna().tolist() == [False, True]
    assert len(ledger.listing_snapshots()) == 4
    assert ledger.listing_snapshots(shop_ids=["TK-999"]).empty
