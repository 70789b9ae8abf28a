"""Product-listing exports -> per-shop listing snapshots (base.LISTING_COLUMNS).

Shopee `mass_update_sales_info_*.xlsx`: machine keys on row 1 (`et_title_product_id`, …),
label/"Wajib"/instruction rows under it, data from row 7; one row per variation; products =
distinct `et_title_product_id`; `et_title_parent_sku` is only on a product's first row and
is filled down within the product.
TikTok Shop `Products Card List_*.xlsx`: title rows, header on row 3 ("ID Produk",
"Nama Produk"; English headers accepted), 19-digit product ids kept as text. Its other
columns are performance figures, not read.
TikTok Shop "Batch edit -> All information" (`Tiktoksellercenter_batchedit_*_all_information_*`,
sheet `Template`): machine keys on row 1 (`product_id`, `product_name`, `sku_id`,
`variation_value`, `price`, `quantity`, …), then a version row (`V4`, `All_Information`) and
rows of labels ("Product ID"), "Mandatory" and "Uneditable" before the data; one row per
SKU; stock is `quantity`, the variation `variation_value`.
Product ids are digits on every marketplace: a row whose id is text (a template's label or
instruction row) is never a product; it is reported and skipped.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sheetsync.issues import Issue, Severity
from sheetsync.marketplaces.base import LISTING_COLUMNS
from sheetsync.marketplaces.cells import clean_ids, parse_money, parse_quantity
from sheetsync.marketplaces.layouts import Layout
from sheetsync.marketplaces.orders import Rows, data_rows
from sheetsync.marketplaces.problems import row_issues
from sheetsync.marketplaces.tables import RawColumns
from sheetsync.messages import IngestCode
from sheetsync.model import Marketplace

PRODUCT_ID = r"^\d+$"  # Shopee and TikTok product ids are digits

SHOPEE_MASS_UPDATE = Layout(
    name="shopee_mass_update",
    marketplace=Marketplace.SHOPEE,
    kind="listings",
    columns={
        "product_id": ("et_title_product_id",),
        "product_name": ("et_title_product_name",),
        "variation_id": ("et_title_variation_id",),
        "variation": ("et_title_variation_name",),
        "parent_sku": ("et_title_parent_sku",),
        "sku": ("et_title_variation_sku",),
        "price": ("et_title_variation_price",),
        "stock": ("et_title_variation_stock",),
    },
    required=("product_id", "product_name"),
    lead_rows=("product_id", PRODUCT_ID, 6),
    fill_down=("parent_sku",),
    description="Shopee mass_update_sales_info (daftar produk)",
)

TIKTOK_BATCH_EDIT = Layout(
    name="tiktok_batch_edit",
    marketplace=Marketplace.TIKTOK,
    kind="listings",
    columns={
        "product_id": ("product_id",),
        "product_name": ("product_name",),
        "variation_id": ("sku_id",),
        "variation": ("variation_value",),
        "sku": ("seller_sku",),
        "price": ("price",),
        "stock": ("quantity",),
    },
    # sku_id and variation_value set it apart from the product list, whose English titles
    # ("Product ID", "Product Name") normalise to the same text as these machine keys
    required=("product_id", "product_name", "variation_id", "variation"),
    lead_rows=("product_id", PRODUCT_ID, 8),
    description="TikTok Shop Batch edit > All information (Tiktoksellercenter_batchedit_*)",
)

TIKTOK_PRODUCTS = Layout(
    name="tiktok_products",
    marketplace=Marketplace.TIKTOK,
    kind="listings",
    columns={
        "product_id": ("ID Produk", "Product ID"),
        "product_name": ("Nama Produk", "Product Name"),
        "variation_id": ("ID SKU", "SKU ID"),
        "variation": ("Variasi", "Variation"),
        "sku": ("SKU Penjual", "Seller SKU"),
        "price": ("Harga", "Price"),
        "stock": ("Stok", "Stock"),
    },
    required=("product_id", "product_name"),
    lead_rows=("product_id", PRODUCT_ID, 1),
    description="TikTok Shop Products Card List (daftar produk)",
)


def empty_listings() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series([], dtype="str") for name in LISTING_COLUMNS})
    for name in ("price_idr", "stock"):
        frame[name] = frame[name].astype("Int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


def build_listings(
    raw: RawColumns, source: str, *, language: str = "id"
) -> tuple[pd.DataFrame, list[Issue], int]:
    """Listing rows (one per variation), issues for rows without a product id or with one
    that is not a number (a template's label rows), worded in `language`, and the rows
    read."""
    rows = data_rows(raw)
    if len(rows) == 0:
        return empty_listings(), [], 0
    ids = clean_ids(rows.columns["product_id"])
    missing = pc.equal(ids, "").to_numpy(zero_copy_only=False)
    text = ~missing & ~pc.match_substring_regex(ids, PRODUCT_ID).to_numpy(zero_copy_only=False)
    column = raw.match.title("product_id")
    issues = [
        *row_issues(IngestCode.ROW_NO_PRODUCT_ID, source, column, rows.rows[missing].tolist(),
                    [""] * int(missing.sum()), Severity.WARNING, language=language),
        *row_issues(IngestCode.ROW_NOT_A_PRODUCT_ID, source, column, rows.rows[text].tolist(),
                    ids.filter(pa.array(text)).to_pylist(), Severity.WARNING,
                    language=language),
    ]  # fmt: skip
    kept = rows.filter(~missing & ~text)
    return _canonical(kept, raw.match.layout), issues, len(rows)


def _canonical(rows: Rows, layout: Layout) -> pd.DataFrame:
    product_id = clean_ids(rows.columns["product_id"])
    parent = rows.text("parent_sku")
    if "parent_sku" in layout.fill_down:
        parent = _fill_down_within(parent, product_id)
    sku = rows.text("sku")
    table = pa.table(
        {
            "product_id": product_id,
            "product_name": rows.text("product_name"),
            "variation_id": clean_ids(rows.text("variation_id")),
            "variation": rows.text("variation"),
            "sku": pc.if_else(pc.equal(sku, ""), parent, sku),
            "price_idr": _optional(rows, "price", parse_money),
            "stock": _optional(rows, "stock", parse_quantity),
            "source_row": pa.array(rows.rows.astype("int64")),
        }
    )
    frame = table.to_pandas()
    for name in ("price_idr", "stock"):
        frame[name] = frame[name].astype("Int64")
    return frame


def _fill_down_within(values: pa.Array, groups: pa.Array) -> pa.Array:
    """Empty cells take the value above them while the group (product) stays the same."""
    frame = pd.DataFrame({"v": values.to_pylist(), "g": groups.to_pylist()})
    frame["v"] = frame["v"].replace("", np.nan)
    filled = frame.groupby("g", sort=False)["v"].ffill().fillna("")
    return pa.array(filled.tolist(), pa.string())


def _optional(rows: Rows, name: str, parse: Callable[[pa.Array], pa.Array]) -> pa.Array:
    if name not in rows.columns:
        return pa.nulls(len(rows), pa.int64())
    return parse(rows.columns[name])
