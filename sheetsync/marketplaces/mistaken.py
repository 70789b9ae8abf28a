"""Files sent by mistake that are not Indonesian order exports.

Wallet statements ("Saldo"), fee and income reports ("Biaya", "Penghasilan") and order
exports of a shop in another country (Shopee Vietnam in VND, Shopee Taiwan in Big5) are
recognised by what their first rows say, so the message names what the file looks like
and which export to download instead. They are never read as orders. An export whose
header is mostly that of a known layout is an edited export instead, and keeps the
"closest known layout" message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sheetsync.issues import Issue
from sheetsync.marketplaces.layouts import normalise_header
from sheetsync.marketplaces.problems import file_issue
from sheetsync.messages import IngestCode

EDITED_EXPORT_SCORE = 0.6  # most required columns of a layout: an edited export

_VIETNAMESE = ("mã đơn hàng", "trạng thái đơn hàng", "ngày đặt hàng", "tên sản phẩm", "vnđ")
_CHINESE = ("訂單", "订单", "商品名稱", "新台幣")
_CURRENCIES = (
    (re.compile(r"₫|\bvn[dđ]\b", re.IGNORECASE), "Vietnam, harga dalam Dong Vietnam (VND)"),
    (re.compile(r"nt\$|\btwd\b", re.IGNORECASE), "Taiwan, harga dalam Dolar Taiwan (TWD)"),
    (re.compile(r"\bmyr\b|\brm\s?\d", re.IGNORECASE), "Malaysia, harga dalam Ringgit (MYR)"),
    (re.compile(r"₱|\bphp\b", re.IGNORECASE), "Filipina, harga dalam Peso (PHP)"),
    (re.compile(r"฿|\bthb\b", re.IGNORECASE), "Thailand, harga dalam Baht (THB)"),
    (re.compile(r"\bs\$|\bsgd\b", re.IGNORECASE), "Singapura, harga dalam Dolar Singapura (SGD)"),
)
# Deleted by str.translate: what is left of a price column of plain numbers is empty, and
# every currency pattern above needs a letter or a currency sign.
_NUMBER_CHARACTERS = str.maketrans("", "", "0123456789.,-+() \t\r\n")
_BALANCE = frozenset({"saldo", "saldo akhir", "saldo awal", "balance", "ending balance",
                      "running balance", "saldo penjual", "saldo tokopedia"})  # fmt: skip
_NOT_FEES = frozenset({"biaya pengiriman", "biaya asuransi", "biaya pengiriman tunai idr",
                       "biaya asuransi pengiriman idr"})  # fmt: skip
_FEE_WORDS = frozenset({"komisi", "commission", "fee", "fees", "penghasilan", "income",
                        "settlement", "pencairan"})  # fmt: skip


def mistaken_file_issue(
    source: str, head: Sequence[Sequence[str]], language: str = "id"
) -> Issue | None:
    """The issue for a file that is clearly not an Indonesian order export, else None.
    `head`: the text of the file's first rows (title rows and header); `language`: the
    one the message is worded in."""
    cells = [cell for row in head for cell in row if cell and cell.strip()]
    foreign = foreign_shop(cells)
    if foreign:
        return file_issue(IngestCode.FILE_FOREIGN_SHOP, source, foreign, language=language)
    names = [normalise_header(cell) for cell in cells]
    if any(_is_balance(name) for name in names):
        return file_issue(IngestCode.FILE_BALANCE_REPORT, source, language=language)
    if any(_is_fee(name) for name in names):
        return file_issue(IngestCode.FILE_FEE_REPORT, source, language=language)
    return None


def foreign_shop(cells: Iterable[str]) -> str | None:
    """Which other country a file's cells point to (language or currency), else None."""
    for cell in cells:
        text = cell.casefold()
        if any(word in text for word in _VIETNAMESE):
            return "Vietnam, judul kolom berbahasa Vietnam"
        if any(word in cell for word in _CHINESE):
            return "Taiwan, judul kolom berbahasa Mandarin"
        currency = foreign_currency([cell])
        if currency:
            return currency
    return None


def foreign_currency(values: Iterable[str]) -> str | None:
    """A currency other than the rupiah written in price cells ("₫150.000", "NT$ 299").

    Cells of plain numbers (the usual column) are told apart in one pass. Otherwise each
    pattern first searches all the cells at once, joined by newlines (a non-word
    character, so a cell's word boundaries stay as they are): what matches one cell
    matches the joined text too. Only when something matched (a foreign shop, or a match
    across two cells) are the cells searched one by one, which decides the label."""
    values = list(values)
    joined = "\n".join(values)
    if not joined.translate(_NUMBER_CHARACTERS):  # plain numbers: no currency is written
        return None
    if not any(pattern.search(joined) for pattern, _ in _CURRENCIES):
        return None
    for value in values:
        for pattern, label in _CURRENCIES:
            if pattern.search(value):
                return label
    return None


def _is_balance(name: str) -> bool:
    return name in _BALANCE or name.startswith(("saldo ", "riwayat saldo", "mutasi saldo"))


def _is_fee(name: str) -> bool:
    if name in _NOT_FEES:
        return False
    return name.startswith("biaya ") or bool(_FEE_WORDS & set(name.split()))
