"""Small order-line frames and registries for the KPI tests, built in code.

`line()` makes one canonical order line (model.ORDER_LINE_COLUMNS + shop_id, file_id,
file_rank) with sensible defaults, so each test states only what matters to its rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd

from sheetsync.kpi import compute_kpis
from sheetsync.model import (
    ORDER_LINE_COLUMNS,
    Ambassador,
    FormReport,
    Marketplace,
    Registry,
    Shop,
    Target,
    Village,
)

LINE_COLUMNS = [*ORDER_LINE_COLUMNS, "shop_id", "file_id", "file_rank"]


def line(
    order_id: str,
    status: str = "completed",
    created: str = "2026-08-10 10:00",
    *,
    shop: str = "T1",
    file_id: int = 1,
    rank: int | None = None,
    qty: int = 1,
    price: int = 10_000,
    line_no: int = 1,
    product: str = "P1",
    marketplace: str = "shopee",
) -> dict[str, Any]:
    return {
        "marketplace": marketplace,
        "order_id": order_id,
        "line_no": line_no,
        "product_id": product,
        "product_name": f"Produk {product}",
        "variation": "",
        "quantity": qty,
        "unit_price_idr": price,
        "line_sales_idr": qty * price,
        "status_raw": status,
        "return_status_raw": "",
        "status": status,
        "created_at": pd.Timestamp(created),
        "source_row": line_no + 1,
        "shop_id": shop,
        "file_id": file_id,
        "file_rank": file_id if rank is None else rank,
    }


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """Lines as the ledger hands them over (an empty frame keeps every column)."""
    data = pd.DataFrame(list(rows), columns=LINE_COLUMNS)
    if data.empty:
        return data.astype(
            {
                "created_at": "datetime64[ns]",
                "file_id": "int64",
                "file_rank": "int64",
                "line_no": "int64",
                "quantity": "int64",
                "line_sales_idr": "int64",
            }
        )
    return data


def listing(shop: str, day: str, product: str, file_id: int = 100) -> dict[str, Any]:
    return {
        "shop_id": shop,
        "snapshot_date": dt.date.fromisoformat(day),
        "product_id": product,
        "file_id": file_id,
    }


def listings(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["shop_id", "snapshot_date", "product_id", "file_id"])


VILLAGES = (
    Village("19.02.04.2001", "Air Saga", "Tanjungpandan"),
    Village("19.02.04.2002", "Buluh Tumbang", "Tanjungpandan"),
    Village("19.02.01.2001", "Membalong", "Membalong"),
)
AIR_SAGA, BULUH, MEMBALONG = (v.code for v in VILLAGES)


def shop(
    shop_id: str, village: str = AIR_SAGA, ambassador: str = "DD-001", on: str | None = None
) -> Shop:
    registered = dt.date.fromisoformat(on) if on else None
    return Shop(
        shop_id, Marketplace.SHOPEE, f"Toko {shop_id}", "Ibu Ani", village, ambassador, registered
    )


def ambassador(ambassador_id: str, village: str = AIR_SAGA, active: bool = True) -> Ambassador:
    return Ambassador(ambassador_id, f"Duta {ambassador_id}", village, "", "", active)


def report(
    ambassador_id: str,
    month: str,
    submitted: str,
    *,
    new_shops: int | None = None,
    products: int | None = None,
    row: int = 2,
) -> FormReport:
    return FormReport(
        dt.datetime.fromisoformat(submitted),
        ambassador_id,
        month,
        1,
        10,
        new_shops,
        products,
        "",
        row,
    )


def registry(
    shops: tuple[Shop, ...] | None = None,
    *,
    ambassadors: tuple[Ambassador, ...] | None = None,
    targets: tuple[Target, ...] = (),
    reports: tuple[FormReport, ...] = (),
) -> Registry:
    """Three villages in two kecamatan, two ambassadors, three shops (by default)."""
    return Registry(
        villages=VILLAGES,
        ambassadors=ambassadors or (ambassador("DD-001"), ambassador("DD-002", MEMBALONG)),
        shops=shops
        if shops is not None
        else (shop("T1", on="2026-01-05"), shop("T2", BULUH), shop("T3", MEMBALONG, "DD-002")),
        targets=targets,
        form_reports=reports,
    )


def row_of(table: pd.DataFrame, key: str, value: str) -> dict[str, Any]:
    """The one row of `table` whose `key` column is `value`, as a dict."""
    rows = table[table[key] == value].to_dict("records")
    assert len(rows) == 1, f"{key}={value}: {len(rows)} rows"
    return rows[0]


AUG = "2026-08"


def kpis(*rows: dict, reg=None, month: str = AUG, **options):  # type: ignore[no-untyped-def]
    """compute_kpis of these lines (default registry, August 2026)."""
    return compute_kpis(frame(*rows), reg or registry(), month, **options)


def assert_same_kpis(got: Any, expected: Any, **frame_checks: Any) -> None:
    """Every table of two KpiResults equal (`frame_checks`: assert_frame_equal's options),
    every other field equal."""
    for field in dataclasses.fields(expected):
        want, have = getattr(expected, field.name), getattr(got, field.name)
        if isinstance(want, pd.DataFrame):
            pd.testing.assert_frame_equal(have, want, obj=field.name, **frame_checks)
        else:
            assert have == want, field.name


def shop_row(result, shop_id: str = "T1") -> dict:  # type: ignore[no-untyped-def]
    return row_of(result.shops, "shop_id", shop_id)


def target(village: str, *, transactions=None, sales=None, shops=None, products=None):  # type: ignore[no-untyped-def]
    return Target(AUG, village, shops, products, transactions, sales)
