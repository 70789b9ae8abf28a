"""TikTok "Batch edit -> All information": template rows are never products."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetsync.demo import exports as ex
from sheetsync.ingest import ingest_inbox
from sheetsync.kpi.measures import shop_month_products
from sheetsync.ledger import Ledger
from sheetsync.marketplaces import read_export

KOPI, TEH = "1729596618844310504", "1729596618844310999"
PRODUCTS = [
    ex.ProductSpec(KOPI, "Kopi Bubuk", "1729596618844310601", "250 g", "", "KOP-250", 37_200, 5),
    ex.ProductSpec(KOPI, "Kopi Bubuk", "1729596618844310602", "500 g", "", "KOP-500", 70_000, 2),
    ex.ProductSpec(TEH, "Teh Melati", "1729596618844311001", "", "", "TEH-1", 9_500, 0),
]
NAME = "Tiktoksellercenter_batchedit_20260228_all_information_template.xlsx"
TEMPLATE_TEXT = {"V4", "Product ID", "Mandatory", "Uneditable", "product_id"}


def test_the_all_information_export_is_read_without_its_template_rows(tmp_path: Path) -> None:
    parsed = read_export(ex.write_tiktok_batch_edit(tmp_path / NAME, PRODUCTS))
    assert (parsed.kind, parsed.layout, parsed.issues) == ("listings", "tiktok_batch_edit", [])
    lines = parsed.lines
    assert lines["product_id"].tolist() == [KOPI, KOPI, TEH]
    assert not TEMPLATE_TEXT & set(lines["product_id"]) and lines["product_id"].nunique() == 2
    assert lines["variation"].tolist() == ["250 g", "500 g", ""]  # from variation_value
    assert lines["stock"].tolist() == [5, 2, 0]  # from quantity
    assert lines["price_idr"].tolist() == [37_200, 70_000, 9_500]
    assert lines["variation_id"].tolist() == [p.variation_id for p in PRODUCTS]
    assert lines["sku"].tolist() == ["KOP-250", "KOP-500", "TEH-1"]
    assert lines["source_row"].tolist() == [6, 7, 8]  # rows 2-5 are the template's
    assert parsed.exported_at == dt.datetime(2026, 2, 28)  # the day in its name


def test_without_the_quantity_column_stock_is_unknown_not_zero(tmp_path: Path) -> None:
    path = ex.write_tiktok_batch_edit(tmp_path / NAME, PRODUCTS, with_quantity=False)
    parsed = read_export(path)
    assert parsed.layout == "tiktok_batch_edit" and len(parsed.lines) == 3
    assert parsed.lines["stock"].isna().all()


def test_a_template_without_products_is_refused_clearly(tmp_path: Path) -> None:
    parsed = read_export(ex.write_tiktok_batch_edit(tmp_path / NAME, []))
    assert parsed.rejected and parsed.lines.empty
    (issue,) = parsed.issues
    assert issue.code == "file_no_rows" and NAME in issue.message


def test_label_rows_anywhere_are_reported_and_never_counted(tmp_path: Path) -> None:
    """Extra instruction rows (a newer template version) or a label row pasted between
    products are not products: each is a warning naming its row, and is skipped."""
    rows = ex.tiktok_batch_edit_rows(PRODUCTS)
    width = len(rows[0])
    rows[5:5] = [["Petunjuk: isi harga tanpa titik", *[""] * (width - 1)]] * 4
    rows.insert(11, ["Product ID", "", "Product Name", *[""] * (width - 3)])
    parsed = read_export(ex.write_table(tmp_path / NAME, rows, fmt="xlsx", sheet="Template"))
    assert parsed.lines["product_id"].tolist() == [KOPI, KOPI, TEH]
    flagged = [(i.code, i.row, i.value) for i in parsed.issues]
    assert flagged == [("row_not_a_product_id", 12, "Product ID")]


def test_the_machine_keys_are_the_batch_edit_layout_not_the_product_list() -> None:
    """What went wrong before: `product_id`/`product_name` also read as the product list's
    English titles, which skip one row only, so three template rows became products."""
    from sheetsync.marketplaces import LAYOUTS
    from sheetsync.marketplaces.layouts import find_header

    match = find_header([list(ex.TIKTOK_BATCH_EDIT_KEYS)], LAYOUTS)
    assert match is not None and match.complete
    assert match.layout.name == "tiktok_batch_edit"


def test_products_live_counts_products_not_template_rows(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    ex.write_tiktok_batch_edit(inbox / "TK-009" / NAME, PRODUCTS)
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        summary = ingest_inbox(inbox, ledger, now=dt.datetime(2026, 3, 2), workers=1)
        assert summary.files_imported == 1 and summary.listing_lines == 3, summary.issues
        frame = shop_month_products(ledger.listing_snapshots(), ["2026-02", "2026-03"])
    assert [(r.shop_id, r.month, r.products_live) for r in frame.itertuples()] == [
        ("TK-009", "2026-02", 2)
    ]
