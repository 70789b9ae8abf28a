"""Real seller-centre archives (issue 13): continuation rows in old Shopee .xls and English
Tokopedia exports, Bukalapak's real layouts, Lazada's sales value, statuses as real files
spell them. Every file is written by sheetsync.demo.exports in the real layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from sheetsync.demo import exports as ex
from sheetsync.marketplaces import read_export
from sheetsync.marketplaces.status import classify_status, is_known_status
from sheetsync.model import Marketplace

T = dt.datetime(2019, 10, 1, 16, 21)


def three_orders() -> list[ex.OrderLineSpec]:
    """Three orders of 3, 1 and 2 items: the later items are continuation rows."""
    return [
        ex.OrderLineSpec("191001AAAA0001", "Selesai", T, "Kopi", 2, 37200, sku="KOP-M"),
        ex.OrderLineSpec("191001AAAA0001", "Selesai", T, "Gula", 1, 18000, sku="GUL"),
        ex.OrderLineSpec("191001AAAA0001", "Selesai", T, "Teh", 3, 9500, sku="TEH"),
        ex.OrderLineSpec("191001AAAA0002", "Batal", T, "Madu", 1, 85000),
        ex.OrderLineSpec("191002AAAA0003", "Sedang Dikirim", T + dt.timedelta(days=1),
                         "Keripik", 4, 15000),
        ex.OrderLineSpec("191002AAAA0003", "Sedang Dikirim", T + dt.timedelta(days=1),
                         "Sambal", 1, 22500),
    ]  # fmt: skip


def summary(lines: pd.DataFrame) -> list[tuple[str, str, str, int, int, str]]:
    return [
        (r.order_id, r.status, r.product_name, int(r.quantity), int(r.line_sales_idr),
         f"{r.created_at:%Y-%m-%d %H:%M}")
        for r in lines.itertuples()
    ]  # fmt: skip


EXPECTED = [
    ("191001AAAA0001", "completed", "Kopi", 2, 74400, "2019-10-01 16:21"),
    ("191001AAAA0001", "completed", "Gula", 1, 18000, "2019-10-01 16:21"),
    ("191001AAAA0001", "completed", "Teh", 3, 28500, "2019-10-01 16:21"),
    ("191001AAAA0002", "cancelled", "Madu", 1, 85000, "2019-10-01 16:21"),
    ("191002AAAA0003", "in_progress", "Keripik", 4, 60000, "2019-10-02 16:21"),
    ("191002AAAA0003", "in_progress", "Sambal", 1, 22500, "2019-10-02 16:21"),
]


@pytest.mark.parametrize("fmt", ["xls", "xlsx", "csv"])
def test_old_shopee_continuation_rows_take_their_order(tmp_path: Path, fmt: str) -> None:
    path = ex.write_shopee_orders(
        tmp_path / f"Order.all.20191001_20191031.{fmt}", three_orders(), layout="2019",
        fmt=fmt, continuation=True,
    )  # fmt: skip
    if fmt == "xls":
        assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real OLE2 workbook
    rows = ex.shopee_rows(three_orders(), layout="2019", continuation=True)
    assert rows[2][0] == "" and rows[2][1] == ""  # the file really leaves them blank
    parsed = read_export(path)
    assert (parsed.kind, parsed.layout, parsed.issues) == ("orders", "shopee_orders_2021", [])
    assert summary(parsed.lines) == EXPECTED
    assert list(parsed.lines.line_no) == [1, 2, 3, 1, 1, 2]
    assert list(parsed.lines.source_row) == [2, 3, 4, 5, 6, 7]


def test_a_continuation_row_never_crosses_a_blank_row(tmp_path: Path) -> None:
    rows = ex.shopee_rows(three_orders(), layout="2019", continuation=True)
    rows.insert(3, [""] * len(rows[0]))  # a blank row between Gula and Teh of order 1
    parsed = read_export(ex.write_table(tmp_path / "o.xlsx", rows, fmt="xlsx"))
    assert [(i.code, i.row) for i in parsed.issues] == [("row_no_order_id", 5)]
    assert "Teh" not in set(parsed.lines.product_name)
    assert len(parsed.lines) == 5


def test_item_rows_with_no_order_above_stay_errors(tmp_path: Path) -> None:
    rows = ex.shopee_rows(three_orders(), layout="2019", continuation=True)
    orphan = rows[2]  # Gula: product columns only
    rows = [rows[0], orphan, *rows[1:]]
    parsed = read_export(ex.write_table(tmp_path / "o.xlsx", rows, fmt="xlsx"))
    assert [(i.code, i.row) for i in parsed.issues] == [("row_no_order_id", 2)]
    assert summary(parsed.lines) == EXPECTED


def test_a_row_whose_id_alone_was_deleted_is_not_a_continuation(tmp_path: Path) -> None:
    """Status and date still there: someone deleted the id; never guess its order."""
    rows = ex.shopee_rows(three_orders(), layout="2019")
    rows[2][0] = ""
    parsed = read_export(ex.write_table(tmp_path / "o.xlsx", rows, fmt="xlsx"))
    assert [(i.code, i.row) for i in parsed.issues] == [("row_no_order_id", 3)]


def tokopedia_en_orders() -> list[ex.OrderLineSpec]:
    done = "Transaksi selesai..\nDana akan diteruskan ke penjual."
    return [
        ex.OrderLineSpec("INV/20191001/XIX/X/1", done, T, "Kopi", 2, 25000),
        ex.OrderLineSpec("INV/20191001/XIX/X/1", done, T, "Gula", 1, 18000),
        ex.OrderLineSpec("INV/20191001/XIX/X/2", "Transaksi dibatalkan.", T, "Teh", 1, 9500),
        ex.OrderLineSpec("INV/20191001/XIX/X/2", "Transaksi dibatalkan.", T, "Madu", 2, 85000),
        ex.OrderLineSpec("INV/20191001/XIX/X/3", "Pemesanan sedang diproses oleh penjual.",
                         T, "Keripik", 1, 15000),
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "xls"])
def test_old_english_tokopedia_with_title_rows_and_continuation_rows(
    tmp_path: Path, fmt: str
) -> None:
    path = ex.write_tokopedia_en_orders(tmp_path / f"order_list.{fmt}", tokopedia_en_orders(),
                                        fmt=fmt)  # fmt: skip
    parsed = read_export(path)
    assert (parsed.kind, parsed.layout, parsed.issues) == ("orders", "tokopedia_orders_en", [])
    got = [(o, s, p, q, v) for o, s, p, q, v, _ in summary(parsed.lines)]
    assert got == [
        ("INV/20191001/XIX/X/1", "completed", "Kopi", 2, 50000),
        ("INV/20191001/XIX/X/1", "completed", "Gula", 1, 18000),
        ("INV/20191001/XIX/X/2", "cancelled", "Teh", 1, 9500),
        ("INV/20191001/XIX/X/2", "cancelled", "Madu", 2, 170000),
        ("INV/20191001/XIX/X/3", "in_progress", "Keripik", 1, 15000),
    ]
    assert list(parsed.lines.source_row) == [5, 6, 7, 8, 9]  # three title rows + header
    assert "Budi Santoso" not in parsed.lines.to_csv()


# --------------------------------------------------------------------------- Bukalapak


def bukalapak_orders() -> list[ex.OrderLineSpec]:
    return [
        ex.OrderLineSpec("181230001", "Diterima & Selesai", T, "Kopi", 10, 1500,
                         variation="200g", sku="KOP"),
        ex.OrderLineSpec("181230001", "Diterima & Selesai", T, "Gula", 1, 18000),
        ex.OrderLineSpec("181230002", "Dikembalikan", T, "Teh", 2, 9500),
        ex.OrderLineSpec("181230003", "Dibatalkan", dt.datetime(2019, 10, 31, 23, 30),
                         "Madu", 1, 85000),
    ]  # fmt: skip


@pytest.mark.parametrize("layout", ["25", "26"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_bukalapak_real_layouts(tmp_path: Path, layout: str, fmt: str) -> None:
    headers = ex.BUKALAPAK_LAYOUTS[layout]
    assert len(headers) == int(layout) and headers[:2] == ("Tanggal", "ID Transaksi")
    path = ex.write_bukalapak_orders(tmp_path / f"transaction.{fmt}", bukalapak_orders(),
                                     layout=layout, fmt=fmt)  # fmt: skip
    parsed = read_export(path)
    assert (parsed.kind, parsed.marketplace, parsed.issues) == (
        "orders", Marketplace.BUKALAPAK, []
    )  # fmt: skip
    assert parsed.layout == f"bukalapak_transactions_{layout}"
    assert summary(parsed.lines) == [
        ("181230001", "completed", "Kopi", 10, 15000, "2019-10-01 16:21"),  # a LINE total
        ("181230001", "completed", "Gula", 1, 18000, "2019-10-01 16:21"),
        ("181230002", "returned", "Teh", 2, 19000, "2019-10-01 16:21"),
        ("181230003", "cancelled", "Madu", 1, 85000, "2019-10-31 23:30"),
    ]
    assert list(parsed.lines.unit_price_idr) == [1500, 18000, 9500, 85000]
    assert parsed.lines.variation.iloc[0] == "200g"


def test_bukalapak_time_with_an_offset_becomes_programme_time(tmp_path: Path) -> None:
    """+0700 (WIB) in a WITA programme: one hour later, so 23:30 on 31 Oct is November."""
    path = ex.write_bukalapak_orders(tmp_path / "transaction.xlsx", bukalapak_orders())
    wita = read_export(path, tz="Asia/Makassar").lines
    assert wita.created_at.iloc[3] == pd.Timestamp(2019, 11, 1, 0, 30)
    assert read_export(path).lines.created_at.iloc[3] == pd.Timestamp(2019, 10, 31, 23, 30)


def test_the_guessed_bukalapak_layout_is_still_read(tmp_path: Path) -> None:
    path = ex.write_bukalapak_orders(tmp_path / "t.xlsx", bukalapak_orders(), layout="guessed")
    parsed = read_export(path)
    assert parsed.layout == "bukalapak_orders", parsed.issues
    assert list(parsed.lines.line_sales_idr) == [15000, 18000, 19000, 85000]


# --------------------------------------------------------------------------- Lazada


def test_lazada_sales_are_unit_price_times_quantity_without_vouchers(tmp_path: Path) -> None:
    lines = [
        ex.OrderLineSpec("401234567890123", "delivered", T, "Kopi", 2, 37200,
                         original_price_idr=40000, seller_voucher_idr=5000),
        ex.OrderLineSpec("401234567890123", "delivered", T, "Gula", 1, 18000),
    ]  # fmt: skip
    rows = ex.lazada_rows(lines)
    header = rows[0]
    paid, unit = header.index("paidPrice"), header.index("unitPrice")
    assert (rows[1][paid], rows[1][unit]) == (32200, 37200)  # the voucher is in paidPrice
    parsed = read_export(ex.write_lazada_orders(tmp_path / "l.xlsx", lines))
    assert parsed.issues == []
    assert int(parsed.lines.line_sales_idr.sum()) == 2 * 37200 + 18000


# --------------------------------------------------------------------------- statuses

SENTENCE = "Pesanan diterima, namun Pembeli masih dapat mengajukan pengembalian hingga 2025-12-06."


@pytest.mark.parametrize(
    ("marketplace", "status", "return_status", "expected"),
    [
        (Marketplace.SHOPEE, SENTENCE, "", "in_progress"),
        (Marketplace.TOKOPEDIA, "Transaksi dibatalkan.", "", "cancelled"),
        (Marketplace.TOKOPEDIA, "Transaksi selesai.", "", "completed"),
        (Marketplace.TOKOPEDIA, "Menunggu Pick Up", "", "in_progress"),
        (Marketplace.TOKOPEDIA, "Pesanan Dikomplain", "", "in_progress"),
        (Marketplace.TIKTOK, "Dibatalkan", "Return/Refund", "returned"),
        (Marketplace.TIKTOK, "Dibatalkan", "Cancel", "cancelled"),
        (Marketplace.TIKTOK, "Dibatalkan", "", "cancelled"),
    ],
)
def test_statuses_as_real_files_spell_them(
    marketplace: Marketplace, status: str, return_status: str, expected: str
) -> None:
    assert classify_status(marketplace, status, return_status) == expected
    assert is_known_status(marketplace, status)  # by a row of the table, not the catch-all


def test_unknown_statuses_are_told_apart() -> None:
    assert not is_known_status(Marketplace.SHOPEE, "Pesanan Hilang")
    assert is_known_status(Marketplace.TOKOPEDIA, "Dibatalkan Pembeli -\nStok habis")


def test_tiktok_return_after_delivery_counts_as_returned(tmp_path: Path) -> None:
    t = dt.datetime(2026, 3, 2, 10, 0)
    lines = [
        ex.OrderLineSpec("577000000000000001", "Dibatalkan", t, "Kopi", 1, 37200,
                         return_status="Return/Refund"),
        ex.OrderLineSpec("577000000000000002", "Dibatalkan", t, "Teh", 1, 9500),
    ]  # fmt: skip
    assert ex.tiktok_rows(lines)[3][3] == "Cancel"
    parsed = read_export(ex.write_tiktok_orders(tmp_path / "k.xlsx", lines))
    assert list(parsed.lines.status) == ["returned", "cancelled"]


def test_shopee_received_sentence_in_a_real_file(tmp_path: Path) -> None:
    t = dt.datetime(2025, 11, 29, 9, 0)
    lines = [ex.OrderLineSpec("251129AAAA0001", SENTENCE, t, "Kopi", 1, 37200)]
    parsed = read_export(ex.write_shopee_orders(tmp_path / "o.xlsx", lines))
    assert list(parsed.lines.status) == ["in_progress"]
    assert parsed.lines.status_raw.iloc[0] == SENTENCE
