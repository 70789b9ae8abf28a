"""Files that are not what the readers expect (issues 13 §7-8 and 14 §8): wallet and fee
reports, exports of shops in other countries, an empty month, Excel's "Unicode text", old
and password-protected OLE2 workbooks. Each gets its own Indonesian message, no English
library text, and is never read as Indonesian orders."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from sheetsync.demo import exports as ex
from sheetsync.marketplaces import read_export
from sheetsync.messages import ORDER_EXPORT_MENUS
from sheetsync.model import Marketplace

T = dt.datetime(2026, 2, 10, 9, 30)
LINES = [
    ex.OrderLineSpec("260210AAAA0001", "Selesai", T, "Kopi", 2, 37200),
    ex.OrderLineSpec("260210AAAA0002", "Selesai", T, "Teh", 1, 9500),
]
ENGLISH = re.compile(r"\b(error|password|invalid|file is|cannot|failed|workbook)\b", re.I)


def rejected_with(path: Path, code: str) -> str:
    parsed = read_export(path)
    assert (parsed.kind, len(parsed.lines)) == ("rejected", 0), parsed
    assert [i.code for i in parsed.issues] == [code], parsed.issues
    message = parsed.issues[0].message
    assert path.name in message
    assert not ENGLISH.search(message), message
    return message


@pytest.mark.parametrize(
    ("kind", "code", "says"),
    [
        ("shopee_balance", "file_balance_report", "laporan saldo"),
        ("tokopedia_balance", "file_balance_report", "laporan saldo"),
        ("shopee_fees", "file_fee_report", "laporan biaya"),
        ("shopee_vietnam", "file_foreign_shop", "Vietnam"),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_files_that_are_not_order_exports_say_what_they_are(
    tmp_path: Path, kind: str, code: str, says: str, fmt: str
) -> None:
    path = ex.write_mistaken_file(tmp_path / f"{kind}.{fmt}", kind, LINES, fmt=fmt)
    message = rejected_with(path, code)
    assert says in message
    assert ORDER_EXPORT_MENUS in message  # which export to download, with its menu path
    assert "Pesanan Saya > Ekspor" in ORDER_EXPORT_MENUS


def test_a_taiwan_export_in_big5(tmp_path: Path) -> None:
    path = ex.write_mistaken_file(tmp_path / "order.csv", "shopee_taiwan", LINES, fmt="csv",
                                  encoding="big5")  # fmt: skip
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert "Taiwan" in rejected_with(path, "file_foreign_shop")


def test_an_indonesian_layout_with_dong_prices_is_a_foreign_shop(tmp_path: Path) -> None:
    rows = ex.shopee_rows(LINES)
    price = rows[0].index("Harga Setelah Diskon")
    for row in rows[1:]:
        row[price] = f"₫{row[price]}"
    message = rejected_with(ex.write_table(tmp_path / "o.xlsx", rows, fmt="xlsx"),
                            "file_foreign_shop")  # fmt: skip
    assert "VND" in message


def test_an_edited_order_export_still_names_its_closest_layout(tmp_path: Path) -> None:
    rows = ex.tiktok_rows(LINES)
    gone = rows[0].index("SKU Subtotal After Discount")
    edited = [[c for i, c in enumerate(r) if i != gone] for r in rows]  # "Fee" words remain
    message = rejected_with(ex.write_table(tmp_path / "k.xlsx", edited, fmt="xlsx"),
                            "file_unknown_layout")  # fmt: skip
    assert "TikTok" in message and "'SKU Subtotal After Discount'" in message


@pytest.mark.parametrize(
    "write",
    [
        lambda p: ex.write_shopee_orders(p / "Order.all.20260201_20260228.xlsx", []),
        lambda p: ex.write_shopee_orders(p / "o.csv", [], fmt="csv"),
        lambda p: ex.write_tokopedia_orders(p / "t.xlsx", []),
        lambda p: ex.write_tiktok_orders(p / "k.csv", [], fmt="csv"),  # description row only
        lambda p: ex.write_bukalapak_orders(p / "transaction.xlsx", []),
        lambda p: ex.write_shopee_orders(p / "old.xls", [], fmt="xls", layout="2019"),
    ],
)
def test_an_empty_month_is_a_valid_export(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    parsed = read_export(write(tmp_path))
    assert (parsed.kind, parsed.issues, len(parsed.lines), parsed.rows_read) == (
        "orders", [], 0, 0,
    )  # fmt: skip
    assert parsed.marketplace in set(Marketplace)


def test_excel_unicode_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pesanan.txt"
    path.write_bytes(ex.unicode_text_bytes(ex.shopee_rows(LINES)))
    assert path.read_bytes()[:2] == b"\xff\xfe"
    parsed = read_export(path)
    assert (parsed.kind, parsed.issues) == ("orders", [])
    assert list(parsed.lines.line_sales_idr) == [74400, 9500]


def test_utf16_without_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pesanan.txt"
    path.write_bytes(ex.csv_bytes(ex.shopee_rows(LINES), sep="\t").decode().encode("utf-16-le"))
    assert len(read_export(path).lines) == 2


def test_a_password_protected_workbook(tmp_path: Path) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = ex.write_shopee_orders(tmp_path / "plain.xlsx", LINES)
    locked = io.BytesIO()
    with plain.open("rb") as handle:
        OOXMLFile(handle).encrypt("rahasia", locked)
    path = tmp_path / "Order.all.20260201_20260228.xlsx"
    path.write_bytes(locked.getvalue())
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0" and msoffcrypto
    message = rejected_with(path, "file_password")
    assert "kata sandi" in message and ".xlsx" in message


def test_an_unreadable_old_xls_says_to_save_it_as_xlsx(tmp_path: Path) -> None:
    real = ex.write_shopee_orders(tmp_path / "real.xls", LINES, fmt="xls", layout="2019")
    path = tmp_path / "Order.all.xls"
    path.write_bytes(real.read_bytes()[:1536])  # the OLE2 header survives, the sheet does not
    message = rejected_with(path, "file_old_xls")
    assert "Excel lama (.xls" in message and "simpan sebagai .xlsx" in message


def test_a_damaged_workbook_keeps_the_library_text_out_of_the_message(tmp_path: Path) -> None:
    full = ex.write_shopee_orders(tmp_path / "full.xlsx", LINES)
    cut = tmp_path / "Order.all.xlsx"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    parsed = read_export(cut)
    issue = parsed.issues[0]
    assert issue.code == "file_damaged" and not ENGLISH.search(issue.message)
    assert issue.value  # the library's own words stay available, in the value column
