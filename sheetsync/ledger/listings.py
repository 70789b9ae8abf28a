"""Listing snapshots in the ledger: the product list a shop exported on a given day.

Unlike order lines, listings are kept as rows (`listings`): a snapshot is small, and the
KPIs ask for every snapshot up to a month's end across shops. Each row keeps the file it
came from; the file's `snapshot_date` (the day the export shows) dates the snapshot.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Collection
from typing import Any

import pandas as pd

from sheetsync.ledger.database import Database, ledger_errors
from sheetsync.marketplaces.base import LISTING_COLUMNS
from sheetsync.months import month_bounds

LISTING_STORED = tuple(LISTING_COLUMNS)


class Listings(Database):
    """The listing snapshots of one open ledger."""

    @ledger_errors
    def listing_snapshots(
        self, *, until_month: str | None = None, shop_ids: Collection[str] | None = None
    ) -> pd.DataFrame:
        """Listing lines of every snapshot taken before the end of `until_month` (or all).

        Columns: shop_id, file_id, snapshot_date (datetime64, midnight), LISTING_COLUMNS.
        """
        sql = (
            f"SELECT l.shop_id, l.file_id, f.snapshot_date, "
            f"{', '.join('l.' + c for c in LISTING_STORED)} "
            "FROM listings l JOIN files f ON f.id = l.file_id WHERE 1 = 1"
        )
        params: list[Any] = []
        if until_month:
            sql += " AND f.snapshot_date < ?"
            params.append(month_bounds(until_month)[1].date().isoformat())
        frame = pd.DataFrame(
            self.connection.execute(sql + " ORDER BY l.file_id, l.rowid", params).fetchall(),
            columns=["shop_id", "file_id", "snapshot_date", *LISTING_STORED],
        )
        if shop_ids is not None:
            frame = frame[frame["shop_id"].isin(list(shop_ids))].reset_index(drop=True)
        return _listing_types(frame)


def _insert_listings(
    conn: sqlite3.Connection, file_id: int, shop_id: str, lines: pd.DataFrame
) -> None:
    if lines.empty:
        return
    columns = [_listing_values(lines, name) for name in LISTING_STORED]
    conn.executemany(
        f"INSERT INTO listings (file_id, shop_id, {', '.join(LISTING_STORED)}) "
        f"VALUES ({', '.join('?' * (len(LISTING_STORED) + 2))})",
        zip(itertools.repeat(file_id), itertools.repeat(shop_id), *columns),
    )


def _listing_values(lines: pd.DataFrame, name: str) -> list[Any]:
    if name not in lines.columns:
        if name in ("product_id", "source_row"):
            raise ValueError(f"listing lines lack the column {name!r}")
        return [None if name in ("price_idr", "stock") else ""] * len(lines)
    column = lines[name]
    if name in ("price_idr", "stock"):
        return [None if pd.isna(v) else int(v) for v in column.tolist()]
    if name == "source_row":
        return column.astype("int64").tolist()
    return column.astype("str").fillna("").tolist()


def _listing_types(frame: pd.DataFrame) -> pd.DataFrame:
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"]).astype("datetime64[s]")
    for name in ("price_idr", "stock"):
        frame[name] = frame[name].astype("Int64")
    for name in ("file_id", "source_row"):
        frame[name] = frame[name].astype("int64")
    for name in ("shop_id", "product_id", "product_name", "variation_id", "variation", "sku"):
        frame[name] = frame[name].astype("str")
    return frame
