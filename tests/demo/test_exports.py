"""The export writers produce the real layouts the readers (and the demo) rely on."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sheetsync.demo.exports.files import excel_serial, format_money, xlsx_bytes
from sheetsync.demo.exports.listings import write_tiktok_batch_edit
from sheetsync.demo.exports.shopee import shopee_rows, write_shopee_orders, write_shopee_zip
from sheetsync.demo.exports.specs import OrderLineSpec, ProductSpec
from sheetsync.demo.exports.tokopedia import tokopedia_rows, write_tokopedia_orders

T0 = dt.datetime(2026, 8, 31, 23, 59)


def two_line_order(**kw: object) -> list[OrderLineSpec]:
    base = dict(order_id="260831ABCD1234", status="Selesai", created_at=T0, product_name="Kopi")
    base.update(kw)
    return [
        OrderLineSpec(**base, quantity=2, unit_price_idr=37200, variation="M"),  # type: ignore[arg-type]
        OrderLineSpec(**base, quantity=1, unit_price_idr=9500, variation="L"),  # type: ignore[arg-type]
    ]


def sheet_rows(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.mark.parametrize(
    ("layout", "width"), [("2021", 45), ("2025", 49), ("2026", 51), ("2026-50", 50)]
)
def test_shopee_layouts_have_their_real_width_and_header_on_row_1(
    tmp_path: Path, layout: str, width: int
) -> None:
    path = write_shopee_orders(tmp_path / "o.xlsx", two_line_order(), layout=layout)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["orders"]
    rows = sheet_rows(path)
    assert len(rows[0]) == width
    assert rows[0][0] == "No. Pesanan"
    assert ("Subtotal Pesanan" in rows[0]) == layout.startswith("2026")
    assert len(rows) == 3


def test_shopee_order_level_columns_repeat_on_every_item_line(tmp_path: Path) -> None:
    path = write_shopee_orders(tmp_path / "o.xlsx", two_line_order())
    header, *lines = sheet_rows(path)
    col = {h: i for i, h in enumerate(header)}
    assert [r[col["Jumlah Produk di Pesan"]] for r in lines] == [3, 3]
    assert [r[col["Total Pembayaran"]] for r in lines] == ["93.900", "93.900"]  # 83.900 + ongkir
    assert [r[col["Harga Setelah Diskon"]] for r in lines] == ["37.200", "9.500"]
    assert lines[0][col["Waktu Pesanan Dibuat"]] == "2026-08-31 23:59"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("dots", "1.237.200"),
        ("rp", "Rp 1.237.200"),
        ("plain", "1237200"),
        ("en", "1,237,200.00"),
        ("decimal", "1237200.00"),
        ("number", 1237200),
    ],
)
def test_money_styles(style: str, expected: object) -> None:
    assert format_money(1237200, style) == expected


def test_csv_quirks_bom_separator_encoding_and_quoted_newlines(tmp_path: Path) -> None:
    lines = two_line_order(product_name="Kué Lapis")
    path = write_shopee_orders(tmp_path / "o.csv", lines, fmt="csv", sep=";", bom=True, money="rp")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfNo. Pesanan;Status Pesanan;")
    assert "Kué Lapis".encode() in data and b'"Tolong dibungkus rapi,\nterima kasih"' in data
    cp = write_shopee_orders(tmp_path / "w.csv", lines, fmt="csv", encoding="cp1252")
    assert "Kué".encode("cp1252") in cp.read_bytes()


def test_buyer_fields_are_written_so_privacy_tests_can_grep(tmp_path: Path) -> None:
    lines = two_line_order(buyer_name="Siti Aminah", buyer_phone="628111222333")
    path = write_tokopedia_orders(tmp_path / "t.csv", lines, fmt="csv")
    text = path.read_text(encoding="utf-8")
    assert "Siti Aminah" in text and "628111222333" in text


def test_tokopedia_header_is_on_row_5_below_title_rows(tmp_path: Path) -> None:
    lines = two_line_order(order_id="INV/20260831/MPL/00000001", status="Pesanan Selesai")
    rows = sheet_rows(write_tokopedia_orders(tmp_path / "t.xlsx", lines))
    assert rows[4][:4] == ["Nomor", "Nomor Invoice", "Tanggal Pembayaran", "Status Terakhir"]
    assert len(rows[4]) == 48
    assert rows[5][2] == "31-08-2026 23:59:00"
    assert rows[5][0] == 1 and rows[6][0] == ""  # Nomor only on an invoice's first line
    plain = sheet_rows(write_tokopedia_orders(tmp_path / "p.xlsx", lines, title_rows=False))
    assert plain[0][0] == "Nomor"


def test_tokopedia_cancel_reason_follows_the_status_after_a_hyphen_and_newline() -> None:
    lines = two_line_order(status="Dibatalkan Penjual", cancel_reason="Stok habis")
    rows = tokopedia_rows(lines)
    assert rows[5][3] == "Dibatalkan Penjual -\nStok habis"


def test_shopee_zip_holds_parts_with_every_order_once(tmp_path: Path) -> None:
    lines = [
        OrderLineSpec(f"2608{i:02d}ABCD{i:04d}", "Selesai", T0, "Teh", 1, 5000) for i in range(7)
    ]
    path = write_shopee_zip(tmp_path / "Order.all.20260801_20260831.zip", lines, parts=3)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert len(names) == 3 and all(n.endswith(".xlsx") for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no leftovers


def test_excel_dates_become_date_cells_and_serials() -> None:
    assert excel_serial(dt.datetime(2026, 8, 1, 12, 0)) == 46235.5
    rows = shopee_rows(two_line_order(), dates="excel")
    assert rows[1][rows[0].index("Waktu Pesanan Dibuat")] == T0


def test_writing_twice_gives_identical_bytes(tmp_path: Path) -> None:
    a = write_shopee_orders(tmp_path / "a.csv", two_line_order(), fmt="csv")
    b = write_shopee_orders(tmp_path / "b.csv", two_line_order(), fmt="csv")
    assert a.read_bytes() == b.read_bytes()


def test_the_same_rows_give_the_same_xlsx_bytes() -> None:
    """Re-writing an export must not look like a new download to the ledger's sha256."""
    import time

    first = xlsx_bytes([["No. Pesanan"], ["260801ABCDEF12"]])
    time.sleep(1.1)  # xlsxwriter's default creation stamp has one-second resolution
    assert xlsx_bytes([["No. Pesanan"], ["260801ABCDEF12"]]) == first


def test_tiktok_batch_edit_has_keys_version_and_label_rows_before_data(tmp_path: Path) -> None:
    products = [ProductSpec("1729596618844310504", "Kopi", "1729596618844310601", "M")]
    path = write_tiktok_batch_edit(tmp_path / "Tiktoksellercenter_batchedit_x.xlsx", products)
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["Template"]
    rows = sheet_rows(path)
    keys = rows[0]
    assert keys[:3] == ["product_id", "category", "product_name"] and "quantity" in keys
    assert rows[1][:2] == ["V4", "All_Information"]
    assert (rows[2][0], rows[3][0], rows[4][0]) == ("Product ID", "Mandatory", "Uneditable")
    data = dict(zip(keys, rows[5], strict=True))
    assert (data["product_id"], data["sku_id"], data["variation_value"]) == (
        "1729596618844310504", "1729596618844310601", "M",
    )  # fmt: skip
    assert data["quantity"] == "10" and len(rows) == 6
    without = sheet_rows(
        write_tiktok_batch_edit(tmp_path / "b.xlsx", products, with_quantity=False)
    )
    assert "quantity" not in without[0] and len(without[0]) == len(keys) - 1
