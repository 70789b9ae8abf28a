"""Write marketplace seller-centre exports in their real layouts: what the demo writes with.

`sheetsync demo` fills its inbox with these files, and the tests use them as real-layout
data. The layouts follow ../shared/reference/marketplace-exports.md column for column: every
column in its place, order-level columns repeated on each item line, buyer fields filled
(so privacy tests can grep for them), and the quirks people meet when a file is re-saved
(BOM, `;` or tab separators, Windows-1252, money styles, Excel serial dates, apostrophe
ids). Readers must cope with every file written here; nothing here reads files.

One module per marketplace family (shopee, tokopedia, tiktok, lazada, bukalapak), plus the
specs they share (specs.py), cell styles and file bytes (files.py), files sent by mistake
(mistaken.py) and product-listing exports (listings.py).
"""

from __future__ import annotations

from sheetsync.demo.exports.bukalapak import (
    BUKALAPAK_DATE,
    BUKALAPAK_HEADERS,
    BUKALAPAK_HEADERS_25,
    BUKALAPAK_HEADERS_26,
    BUKALAPAK_LAYOUTS,
    bukalapak_rows,
    write_bukalapak_orders,
)
from sheetsync.demo.exports.files import (
    DATE_STYLES,
    EXCEL_EPOCH,
    MONEY_STYLES,
    csv_bytes,
    excel_serial,
    format_date,
    format_money,
    stable_number,
    write_table,
    xls_bytes,
    xlsx_bytes,
)
from sheetsync.demo.exports.lazada import (
    LAZADA_DATE,
    LAZADA_HEADERS,
    lazada_rows,
    write_lazada_orders,
)
from sheetsync.demo.exports.listings import (
    SHOPEE_MASS_UPDATE_KEYS,
    TIKTOK_BATCH_EDIT_KEYS,
    TIKTOK_PRODUCT_HEADERS,
    shopee_mass_update_rows,
    tiktok_batch_edit_rows,
    tiktok_products_rows,
    write_shopee_mass_update,
    write_tiktok_batch_edit,
    write_tiktok_products,
)
from sheetsync.demo.exports.mistaken import (
    MISTAKEN_HEADERS,
    mistaken_rows,
    unicode_text_bytes,
    write_mistaken_file,
)
from sheetsync.demo.exports.shopee import (
    SHOPEE_DATE,
    SHOPEE_HEADERS_2019,
    SHOPEE_HEADERS_2021,
    SHOPEE_HEADERS_2025,
    SHOPEE_HEADERS_2026,
    SHOPEE_HEADERS_2026_50,
    SHOPEE_LAYOUTS,
    shopee_rows,
    write_shopee_orders,
    write_shopee_zip,
)
from sheetsync.demo.exports.specs import PAY_DELAY, Cell, OrderLineSpec, ProductSpec, group_by_order
from sheetsync.demo.exports.tiktok import (
    TIKTOK_DATE_ID,
    TIKTOK_DATE_US,
    TIKTOK_HEADERS,
    tiktok_rows,
    write_tiktok_orders,
)
from sheetsync.demo.exports.tokopedia import (
    TOKOPEDIA_DATETIME,
    TOKOPEDIA_EN_HEADERS,
    TOKOPEDIA_HEADERS,
    tokopedia_en_rows,
    tokopedia_rows,
    write_tokopedia_en_orders,
    write_tokopedia_orders,
)

__all__ = [
    "BUKALAPAK_DATE",
    "BUKALAPAK_HEADERS",
    "BUKALAPAK_HEADERS_25",
    "BUKALAPAK_HEADERS_26",
    "BUKALAPAK_LAYOUTS",
    "DATE_STYLES",
    "EXCEL_EPOCH",
    "LAZADA_DATE",
    "LAZADA_HEADERS",
    "MISTAKEN_HEADERS",
    "MONEY_STYLES",
    "PAY_DELAY",
    "SHOPEE_DATE",
    "SHOPEE_HEADERS_2019",
    "SHOPEE_HEADERS_2021",
    "SHOPEE_HEADERS_2025",
    "SHOPEE_HEADERS_2026",
    "SHOPEE_HEADERS_2026_50",
    "SHOPEE_LAYOUTS",
    "SHOPEE_MASS_UPDATE_KEYS",
    "TIKTOK_BATCH_EDIT_KEYS",
    "TIKTOK_DATE_ID",
    "TIKTOK_DATE_US",
    "TIKTOK_HEADERS",
    "TIKTOK_PRODUCT_HEADERS",
    "TOKOPEDIA_DATETIME",
    "TOKOPEDIA_EN_HEADERS",
    "TOKOPEDIA_HEADERS",
    "Cell",
    "OrderLineSpec",
    "ProductSpec",
    "bukalapak_rows",
    "csv_bytes",
    "excel_serial",
    "format_date",
    "format_money",
    "group_by_order",
    "lazada_rows",
    "mistaken_rows",
    "shopee_mass_update_rows",
    "shopee_rows",
    "stable_number",
    "tiktok_batch_edit_rows",
    "tiktok_products_rows",
    "tiktok_rows",
    "tokopedia_en_rows",
    "tokopedia_rows",
    "unicode_text_bytes",
    "write_bukalapak_orders",
    "write_lazada_orders",
    "write_mistaken_file",
    "write_shopee_mass_update",
    "write_shopee_orders",
    "write_shopee_zip",
    "write_table",
    "write_tiktok_batch_edit",
    "write_tiktok_orders",
    "write_tiktok_products",
    "write_tokopedia_en_orders",
    "write_tokopedia_orders",
    "xls_bytes",
    "xlsx_bytes",
]
