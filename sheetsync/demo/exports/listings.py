"""Product-listing exports (one row per variation): Shopee's mass-update file, TikTok Shop's
product list and its batch-edit template. They feed the products KPIs, never the orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sheetsync.demo.exports.files import (
    write_table,
)
from sheetsync.demo.exports.specs import Cell, ProductSpec

# --------------------------------------------------------------------------- listings

SHOPEE_MASS_UPDATE_KEYS: tuple[str, ...] = (
    "et_title_product_id", "et_title_product_name", "et_title_variation_id",
    "et_title_variation_name", "et_title_parent_sku", "et_title_variation_sku",
    "et_title_variation_price", "ps_gtin_code", "et_title_variation_stock",
)  # fmt: skip
_SHOPEE_MASS_UPDATE_LABELS = (
    "Kode Produk", "Nama Produk", "Kode Variasi", "Nama Variasi", "SKU Induk", "SKU",
    "Harga", "GTIN", "Stok",
)  # fmt: skip


def shopee_mass_update_rows(products: Sequence[ProductSpec]) -> list[list[Cell]]:
    """Keys (row 1), meta rows 2-6, one row per variation from row 7; parent SKU only on
    a product's first row."""
    width = len(SHOPEE_MASS_UPDATE_KEYS)
    rows: list[list[Cell]] = [
        list(SHOPEE_MASS_UPDATE_KEYS),
        ["sales_info", "3c1f0e9a7b", *[""] * (width - 2)],
        list(_SHOPEE_MASS_UPDATE_LABELS),
        ["Wajib", "Wajib", "", "", "", "", "Wajib", "", "Wajib"],
        ["Jangan ubah kolom ini", *[""] * (width - 1)],
        ["Isi harga dalam Rupiah tanpa titik", *[""] * (width - 1)],
    ]
    seen: set[str] = set()
    for p in products:
        parent = "" if p.product_id in seen else p.parent_sku
        seen.add(p.product_id)
        row: list[Cell] = [p.product_id, p.product_name, p.variation_id, p.variation]
        rows.append([*row, parent, p.sku, p.price_idr, "", p.stock])
    return rows


def write_shopee_mass_update(path: Path, products: Sequence[ProductSpec]) -> Path:
    """A Shopee `mass_update_sales_info_<shop>_<time>.xlsx` listing export."""
    return write_table(path, shopee_mass_update_rows(products), fmt="xlsx", sheet="Sheet1")


TIKTOK_PRODUCT_HEADERS: tuple[str, ...] = (
    "ID Produk", "Nama Produk", "Status", "GMV (Rp)", "Pesanan SKU", "Klik", "Klik Unik",
    "Pengguna yang Menambahkan Produk ke Keranjang",
)  # fmt: skip


def tiktok_products_rows(products: Sequence[ProductSpec]) -> list[list[Cell]]:
    """Two title rows, the header on row 3, one row per product (ids as 19-digit text)."""
    rows: list[list[Cell]] = [
        ["Products Card List"],
        ["Periode: 2026-05-01 ~ 2026-05-31\n"],
        list(TIKTOK_PRODUCT_HEADERS),
    ]
    for p in {p.product_id: p for p in products}.values():
        rows.append([p.product_id, p.product_name, "Aktif", "0", "0", "0", "0", "0"])
    return rows


def write_tiktok_products(path: Path, products: Sequence[ProductSpec]) -> Path:
    """A TikTok Shop `Products Card List_<time>.xlsx` listing export."""
    return write_table(path, tiktok_products_rows(products), fmt="xlsx", sheet="Sheet1")


TIKTOK_BATCH_EDIT_KEYS: tuple[str, ...] = (
    "product_id", "category", "product_name", "product_status", "sku_id", "variation_value",
    "product_description", "brand", "price", "quantity", "seller_sku", "parcel_weight",
    "parcel_length", "parcel_width", "parcel_height", "main_image",
)  # fmt: skip
_TIKTOK_BATCH_EDIT_LABELS = (
    "Product ID", "Category", "Product Name", "Product Status", "SKU ID", "Variation Value",
    "Product Description", "Brand", "Retail Price (Local Currency)", "Quantity", "Seller SKU",
    "Parcel Weight (g)", "Parcel Length (cm)", "Parcel Width (cm)", "Parcel Height (cm)",
    "Main Product Image",
)  # fmt: skip
_TIKTOK_BATCH_EDIT_MANDATORY = frozenset({"product_id", "product_name", "sku_id", "price",
                                          "quantity", "category", "main_image"})  # fmt: skip
_TIKTOK_BATCH_EDIT_FIXED = frozenset({"product_id", "sku_id", "category", "product_status"})


def tiktok_batch_edit_rows(
    products: Sequence[ProductSpec], *, with_quantity: bool = True
) -> list[list[Cell]]:
    """Machine keys (row 1), the version row, then label, "Mandatory" and "Uneditable"
    rows, then one row per SKU from row 6 (ids as 19-digit text). TikTok may leave out the
    `quantity` column (`with_quantity=False`)."""
    keys = [k for k in TIKTOK_BATCH_EDIT_KEYS if with_quantity or k != "quantity"]
    labels = dict(zip(TIKTOK_BATCH_EDIT_KEYS, _TIKTOK_BATCH_EDIT_LABELS, strict=True))
    rows: list[list[Cell]] = [
        list(keys),
        ["V4", "All_Information", "metric", *[""] * (len(keys) - 3)],
        [labels[k] for k in keys],
        ["Mandatory" if k in _TIKTOK_BATCH_EDIT_MANDATORY else "Optional" for k in keys],
        ["Uneditable" if k in _TIKTOK_BATCH_EDIT_FIXED else "Editable" for k in keys],
    ]
    for p in products:
        values = _tiktok_batch_edit_values(p)
        rows.append([values[k] for k in keys])
    return rows


def _tiktok_batch_edit_values(p: ProductSpec) -> dict[str, Cell]:
    return {
        "product_id": p.product_id,
        "category": "Makanan & Minuman (600001)",
        "product_name": p.product_name,
        "product_status": "Aktif(1)",
        "sku_id": p.variation_id,
        "variation_value": p.variation,
        "product_description": f"<p>{p.product_name}</p>",
        "brand": "",
        "price": str(p.price_idr),
        "quantity": str(p.stock),
        "seller_sku": p.sku,
        "parcel_weight": "250",
        "parcel_length": "",
        "parcel_width": "",
        "parcel_height": "",
        "main_image": f"https://p16-oec-sg.ibyteimg.com/tos/{p.product_id}.jpeg",
    }


def write_tiktok_batch_edit(
    path: Path, products: Sequence[ProductSpec], *, with_quantity: bool = True
) -> Path:
    """A TikTok Shop `Tiktoksellercenter_batchedit_<day>_all_information_template.xlsx`."""
    rows = tiktok_batch_edit_rows(products, with_quantity=with_quantity)
    return write_table(path, rows, fmt="xlsx", sheet="Template")
