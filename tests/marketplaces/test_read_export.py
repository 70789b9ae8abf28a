"""read_export on every format and quirk, on files written in the real layouts."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from marketplace_samples import T, shopee_lines, tiktok_lines, tokopedia_lines

from sheetsync.demo import exports as ex
from sheetsync.marketplaces import read_export
from sheetsync.model import ORDER_LINE_COLUMNS, Marketplace

SHOPEE_EXPECTED = {  # order -> (status, units, sales over its lines)
    "260831AAAA0001": ("completed", 3, 2 * 37200 + 9500),
    "260831AAAA0002": ("returned", 1, 1250000),
    "260831AAAA0003": ("cancelled", 3, 45000),
    "260831AAAA0004": ("unpaid", 1, 85000),
    "260901AAAA0005": ("in_progress", 4, 90000),
    "260831AAAA0006": ("completed", 1, 500),
}


def by_order(lines: pd.DataFrame) -> dict[str, tuple[str, int, int]]:
    grouped = lines.groupby("order_id").agg(
        status=("status", "first"), units=("quantity", "sum"), sales=("line_sales_idr", "sum")
    )
    return {k: (r.status, int(r.units), int(r.sales)) for k, r in grouped.iterrows()}


def assert_shopee_ok(path: Path) -> pd.DataFrame:
    parsed = read_export(path)
    assert parsed.kind == "orders", parsed.issues
    assert parsed.marketplace is Marketplace.SHOPEE
    assert parsed.issues == []
    assert list(parsed.lines.columns) == list(ORDER_LINE_COLUMNS)
    assert by_order(parsed.lines) == SHOPEE_EXPECTED
    assert parsed.rows_read == len(parsed.lines) == 7
    return parsed.lines


@pytest.mark.parametrize("layout", ["2021", "2025", "2026", "2026-50"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_shopee_layouts_in_xlsx_and_csv(tmp_path: Path, layout: str, fmt: str) -> None:
    path = ex.write_shopee_orders(tmp_path / f"o.{fmt}", shopee_lines(), layout=layout, fmt=fmt)
    lines = assert_shopee_ok(path)
    assert read_export(path).layout == f"shopee_orders_{layout[:4]}"
    first = lines.iloc[0]
    assert first.created_at == pd.Timestamp(T)
    assert (first.order_id, first.line_no, first.product_id, first.variation) == (
        "260831AAAA0001", 1, "KOP-M", "M",
    )  # fmt: skip
    assert list(lines.source_row) == [2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize(
    ("sep", "bom", "encoding"),
    [(",", True, "utf-8"), (";", True, "utf-8"), ("\t", False, "utf-8"), (";", False, "cp1252")],
)
def test_resaved_csv_encodings_and_separators(
    tmp_path: Path, sep: str, bom: bool, encoding: str
) -> None:
    lines = [*shopee_lines()]
    lines[-1] = ex.OrderLineSpec("260831AAAA0006", "Selesai", T, "Kué Bangkit", 1, 500)
    path = ex.write_shopee_orders(
        tmp_path / "o.csv", lines, fmt="csv", sep=sep, bom=bom, encoding=encoding
    )
    parsed = assert_shopee_ok(path)
    assert parsed.product_name.iloc[-1] == "Kué Bangkit"
    assert parsed.order_id.iloc[0] == "260831AAAA0001"  # no BOM glued to the first cell


@pytest.mark.parametrize("money", ex.MONEY_STYLES)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_money_styles_all_mean_the_same_rupiah(tmp_path: Path, money: str, fmt: str) -> None:
    path = ex.write_shopee_orders(tmp_path / f"o.{fmt}", shopee_lines(), fmt=fmt, money=money)
    assert_shopee_ok(path)


def test_small_prices_are_not_read_as_decimals(tmp_path: Path) -> None:
    """'9.500' in a column without any value >= 1.000.000 must stay 9500, not 9.5."""
    cheap = [ex.OrderLineSpec(f"260831CCCC{i:04d}", "Selesai", T, "Es", 1, 9500) for i in range(5)]
    for fmt in ("xlsx", "csv"):
        lines = read_export(ex.write_shopee_orders(tmp_path / f"c.{fmt}", cheap, fmt=fmt)).lines
        assert set(lines.unit_price_idr) == {9500}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_excel_date_cells_and_serial_numbers(tmp_path: Path, fmt: str) -> None:
    path = ex.write_shopee_orders(tmp_path / f"o.{fmt}", shopee_lines(), fmt=fmt, dates="excel")
    lines = assert_shopee_ok(path)
    assert lines.created_at.iloc[0] == pd.Timestamp(T)
    assert lines.created_at.iloc[5] == pd.Timestamp(2026, 9, 1)


def test_day_first_resaved_dates(tmp_path: Path) -> None:
    path = ex.write_shopee_orders(tmp_path / "o.csv", shopee_lines(), fmt="csv", dates="dmy")
    assert assert_shopee_ok(path).created_at.iloc[0] == pd.Timestamp(T)


def test_apostrophe_prefixed_ids(tmp_path: Path) -> None:
    path = ex.write_shopee_orders(
        tmp_path / "o.csv", shopee_lines(), fmt="csv", apostrophe_ids=True
    )
    assert_shopee_ok(path)


def test_formula_like_product_names_stay_text(tmp_path: Path) -> None:
    lines = assert_shopee_ok(ex.write_shopee_orders(tmp_path / "o.xlsx", shopee_lines()))
    assert '=HYPERLINK("x") Teh' in set(lines.product_name)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("title_rows", [True, False])
def test_tokopedia_with_and_without_title_rows(tmp_path: Path, fmt: str, title_rows: bool) -> None:
    path = ex.write_tokopedia_orders(
        tmp_path / f"t.{fmt}", tokopedia_lines(), fmt=fmt, title_rows=title_rows
    )
    parsed = read_export(path)
    assert (parsed.kind, parsed.layout, parsed.marketplace) == (
        "orders", "tokopedia_orders", Marketplace.TOKOPEDIA,
    )  # fmt: skip
    assert by_order(parsed.lines) == {
        "INV/20260831/MPL/00000001": ("completed", 3, 2 * 37200 + 18000),
        "INV/20260831/MPL/00000002": ("cancelled", 1, 9500),
        "INV/20260831/MPL/00000003": ("in_progress", 1, 85000),
    }
    cancelled = parsed.lines[parsed.lines.order_id.str.endswith("2")].iloc[0]
    assert cancelled.status_raw == "Dibatalkan Penjual"  # reason after " -\n" cut off
    assert parsed.lines.created_at.iloc[0] == pd.Timestamp(T)  # payment time decides
    assert parsed.lines.source_row.iloc[0] == (6 if title_rows else 2)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_tiktok_description_row_and_19_digit_ids(tmp_path: Path, fmt: str) -> None:
    parsed = read_export(ex.write_tiktok_orders(tmp_path / f"k.{fmt}", tiktok_lines(), fmt=fmt))
    assert (parsed.kind, parsed.marketplace) == ("orders", Marketplace.TIKTOK), parsed.issues
    assert parsed.issues == []
    assert by_order(parsed.lines) == {
        "5770123456789012345": ("completed", 3, 2 * 37200 + 18000),
        "577012345678901299": ("cancelled", 1, 9500),
        "5770123456789012399": ("unpaid", 1, 85000),
    }
    assert list(parsed.lines.source_row) == [3, 4, 5, 6]  # row 2 is the description row
    assert parsed.lines.created_at.iloc[0] == pd.Timestamp(2026, 8, 1, 9, 5, 7)


def test_tiktok_us_dates_are_detected_per_file(tmp_path: Path) -> None:
    path = ex.write_tiktok_orders(tmp_path / "k.csv", tiktok_lines(), fmt="csv", us_dates=True)
    assert read_export(path).lines.created_at.iloc[0] == pd.Timestamp(2026, 8, 1, 9, 5, 7)


def test_lazada_one_row_per_item(tmp_path: Path) -> None:
    lines = [
        ex.OrderLineSpec("401234567890123", "delivered", T, "Kopi", 2, 37200),
        ex.OrderLineSpec("401234567890123", "delivered", T, "Gula", 1, 18000),
        ex.OrderLineSpec("401234567890999", "canceled", T, "Teh", 1, 9500),
    ]
    parsed = read_export(ex.write_lazada_orders(tmp_path / "l.xlsx", lines))
    assert (parsed.kind, parsed.marketplace) == ("orders", Marketplace.LAZADA), parsed.issues
    assert by_order(parsed.lines) == {
        "401234567890123": ("completed", 3, 2 * 37200 + 18000),
        "401234567890999": ("cancelled", 1, 9500),
    }
    assert parsed.lines.created_at.iloc[0] == pd.Timestamp(T)


def test_bukalapak_historical_export(tmp_path: Path) -> None:
    lines = [
        ex.OrderLineSpec("BL2501ABC", "Diterima & Selesai", T, "Kopi", 2, 37200),
        ex.OrderLineSpec("BL2501ABD", "Dikembalikan", T, "Teh", 1, 9500),
    ]
    parsed = read_export(ex.write_bukalapak_orders(tmp_path / "transaction.xlsx", lines))
    assert parsed.marketplace is Marketplace.BUKALAPAK, parsed.issues
    assert by_order(parsed.lines) == {
        "BL2501ABC": ("completed", 2, 74400),
        "BL2501ABD": ("returned", 1, 9500),
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_multi_part_zip_is_one_export(tmp_path: Path, fmt: str) -> None:
    many = [
        ex.OrderLineSpec(f"2608{i:02d}ZZZZ{i:04d}", "Selesai", T, "Teh", 1 + i % 3, 5000)
        for i in range(1, 31)
    ]
    name = "Order.all.20260801_20260831.zip"
    path = ex.write_shopee_zip(tmp_path / name, many, parts=3, fmt=fmt)
    with zipfile.ZipFile(path, "a") as archive:  # what else a ZIP may carry: never read
        archive.writestr("__MACOSX/._Order.all.part1.xlsx", b"\x00\x05junk")
        archive.writestr("BACA SAYA.txt", "Ekspor pesanan")
    parsed = read_export(path)
    assert (parsed.kind, parsed.rows_read, len(parsed.lines)) == ("orders", 30, 30)
    assert parsed.lines.order_id.is_unique
    assert int(parsed.lines.line_sales_idr.sum()) == sum(5000 * (1 + i % 3) for i in range(1, 31))
    assert parsed.period == (dt.date(2026, 8, 1), dt.date(2026, 8, 31))


def test_period_only_when_the_name_says_so(tmp_path: Path) -> None:
    dated = ex.write_shopee_orders(tmp_path / "Order.all.20260201_20260228.xlsx", shopee_lines())
    plain = ex.write_shopee_orders(tmp_path / "pesanan.xlsx", shopee_lines())
    assert read_export(dated).period == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert read_export(plain).period is None


def test_listing_exports(tmp_path: Path) -> None:
    products = [
        ex.ProductSpec("2001", "Kopi", "1", "M", "KOP", "KOP-M", 37200, 5),
        ex.ProductSpec("2001", "Kopi", "2", "L", "KOP", "", 40000, 0),
        ex.ProductSpec("2002", "Teh", "3", "", "TEH", "", 9500, 12),
    ]
    parsed = read_export(ex.write_shopee_mass_update(tmp_path / "mass_update.xlsx", products))
    assert (parsed.kind, parsed.marketplace) == ("listings", Marketplace.SHOPEE), parsed.issues
    assert parsed.lines.product_id.nunique() == 2
    assert list(parsed.lines.sku) == ["KOP-M", "KOP", "TEH"]  # parent SKU filled down
    assert list(parsed.lines.price_idr) == [37200, 40000, 9500]
    assert list(parsed.lines.source_row) == [7, 8, 9]

    tiktok = [ex.ProductSpec(f"1729596618844310{n}", "Kopi") for n in ("504", "999")]
    parsed = read_export(ex.write_tiktok_products(tmp_path / "Products Card List.xlsx", tiktok))
    assert (parsed.kind, parsed.marketplace) == ("listings", Marketplace.TIKTOK), parsed.issues
    assert list(parsed.lines.product_id) == ["1729596618844310504", "1729596618844310999"]
    assert list(parsed.lines.source_row) == [4, 5]


def test_xlsx_with_a_wrong_sheet_dimension_is_read_whole(tmp_path: Path) -> None:
    """TikTok XLSX sometimes declares <dimension ref="A1">: a reader trusting it sees only
    column A."""
    path = ex.write_tiktok_orders(tmp_path / "k.xlsx", tiktok_lines())
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            parts[info.filename] = archive.read(info)
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', parts[sheet])
    assert b'<dimension ref="A1"/>' in parts[sheet]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    parsed = read_export(path)
    assert (parsed.kind, len(parsed.lines)) == ("orders", 4), parsed.issues


def test_columns_in_another_order_with_extra_columns(tmp_path: Path) -> None:
    rows = ex.shopee_rows(shopee_lines())
    shuffled = [[*reversed(r), "catatan staf"] for r in rows]
    shuffled[0][-1] = "Kolom Tambahan"
    assert_shopee_ok(ex.write_table(tmp_path / "o.xlsx", shuffled, fmt="xlsx"))


def test_older_english_tokopedia_export(tmp_path: Path) -> None:
    header = ["Count", "Order ID", "Invoice", "Payment Date", "Order Status", "Product ID",
              "Product Name", "Quantity", "Stock Keeping Unit (SKU)", "Notes", "Price (Rp.)",
              "Customer Name", "Customer Phone"]  # fmt: skip
    done = "Transaksi selesai..\nDana akan diteruskan ke penjual."
    rows = [
        header,
        ["1", "77001", "INV/20200105/XX/I/1", "05-01-2020 10:11:12", done, "991", "Kopi",
         "2", "KOP", "", "Rp 25.000", "Budi Unik", "0812999"],
        ["", "77002", "INV/20200105/XX/I/2", "05-01-2020 11:00:00",
         "Pemesanan sedang diproses oleh penjual.", "992", "Teh", "1", "", "", "Rp 9.500",
         "Budi Unik", "0812999"],
    ]  # fmt: skip
    parsed = read_export(ex.write_table(tmp_path / "old.csv", rows, fmt="csv"))
    assert (parsed.layout, parsed.marketplace) == ("tokopedia_orders_en", Marketplace.TOKOPEDIA)
    assert by_order(parsed.lines) == {
        "INV/20200105/XX/I/1": ("completed", 2, 50000),
        "INV/20200105/XX/I/2": ("in_progress", 1, 9500),
    }
    assert "Budi Unik" not in parsed.lines.to_csv()


def test_csv_with_old_mac_line_endings(tmp_path: Path) -> None:
    path = ex.write_shopee_orders(tmp_path / "o.csv", shopee_lines(), fmt="csv")
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r"))
    assert list(assert_shopee_ok(path).source_row) == [2, 3, 4, 5, 6, 7, 8]


def test_ids_that_excel_turned_into_numbers_are_flagged(tmp_path: Path) -> None:
    rows = ex.tiktok_rows(tiktok_lines())
    rows[2][0] = 5770123456789012345  # a numeric cell: Excel keeps 15 significant digits
    rows[3][0] = "5.77012E+18"  # a re-saved CSV shows the number in scientific notation
    parsed = read_export(ex.write_table(tmp_path / "k.xlsx", rows, fmt="xlsx"))
    codes = [(i.code, i.severity, i.row) for i in parsed.issues]
    assert ("file_ids_as_numbers", "warning", None) in codes
    assert ("row_id_as_number", "error", 4) in codes
    assert len(parsed.lines) == 3
