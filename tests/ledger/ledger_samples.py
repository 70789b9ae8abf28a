"""Order lines, exports and file metadata shared by the ledger tests (tests/ledger/)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetsync.ledger.files import FileMeta
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.model import Marketplace

IMPORTED_AT = dt.datetime(2026, 9, 2, 6, 0)


def lines_frame(
    orders: list[tuple[str, str, dt.datetime]], *, quantity: int = 2, price: int = 37_200
) -> pd.DataFrame:
    """Canonical order lines: one line per (order_id, status, created_at)."""
    n = len(orders)
    return pd.DataFrame(
        {
            "marketplace": ["shopee"] * n,
            "order_id": [o[0] for o in orders],
            "line_no": [1] * n,
            "product_id": [""] * n,
            "product_name": [f"Kopi {i}" for i in range(n)],
            "variation": [""] * n,
            "quantity": [quantity] * n,
            "unit_price_idr": [price] * n,
            "line_sales_idr": [price * quantity] * n,
            "status_raw": ["Selesai"] * n,
            "return_status_raw": [""] * n,
            "status": [o[1] for o in orders],
            "created_at": pd.to_datetime([o[2] for o in orders]),
            "source_row": list(range(2, n + 2)),
        }
    )


def orders_export(
    frame: pd.DataFrame, *, period: tuple[dt.date, dt.date] | None = None
) -> ParsedExport:
    return ParsedExport(
        "orders", "shopee-2025", Marketplace.SHOPEE, frame, period=period, rows_read=len(frame)
    )


def meta(name: str, shop_id: str = "TK-001") -> FileMeta:
    return FileMeta(f"sha-{name}", f"/inbox/{shop_id}/{name}", f"{shop_id}/{name}", 100, 0.0,
                    shop_id, dt.datetime(2026, 9, 1, 8, 0))  # fmt: skip


AUG = dt.datetime(2026, 8, 10, 9, 30)
