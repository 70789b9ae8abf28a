"""PURE: buyer data is never echoed. A value shown with an issue (Validasi "Nilai", the
issue's sentence, the ledger's `rejected_rows`) is masked when its column is a buyer column
(by header: names, usernames, phones, addresses, emails) or the value looks like buyer data
(a phone number, an email address, a street address), e.g. "0812•••••89".

The readers never read buyer columns; this catches what reaches a read column anyway: a
shifted row whose date column holds the address, a file edited by hand (UU PDP 27/2022).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from sheetsync.issues import Issue

MASK = "•••••"
# Words of marketplace headers that hold buyer data ("Nama Penerima", "No. Telepon",
# "Username (Pembeli)", "Buyer Username", "Detail Address", "Phone #" …). "Nama" alone is
# not one: "Nama Produk" is the product.
BUYER_HEADER_WORDS = frozenset(
    [
        "pembeli",
        "penerima",
        "buyer",
        "recipient",
        "customer",
        "pelanggan",
        "username",
        "telepon",
        "telp",
        "phone",
        "hp",
        "handphone",
        "whatsapp",
        "wa",
        "alamat",
        "address",
        "email",
        "e-mail",
        "kodepos",
        "postcode",
        "zipcode",
    ]
)
ADDRESS_WORDS = frozenset(
    [
        "jl",
        "jln",
        "jalan",
        "gg",
        "gang",
        "rt",
        "rw",
        "no",
        "kel",
        "kec",
        "kelurahan",
        "kecamatan",
        "desa",
        "dusun",
        "kab",
        "kabupaten",
        "kota",
        "blok",
        "perum",
        "perumahan",
        "komplek",
        "kompleks",
        "lorong",
    ]
)
_PHONE = re.compile(r"(?<![\w])(?:\+?62|0)8\d{7,12}(?!\d)")
_PHONE_SEPARATORS = re.compile(r"(?<=\d)[\s.()-]+(?=\d)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WORDS = re.compile(r"[a-z0-9@#+-]+")


def is_buyer_header(header: str | None) -> bool:
    """A column whose header names buyer data."""
    words = set(_WORDS.findall((header or "").casefold()))
    return bool(words & BUYER_HEADER_WORDS) or "no telp" in (header or "").casefold()


def looks_like_buyer_data(value: str) -> bool:
    """A phone number, an email address or a street address, wherever it was found."""
    text = value.strip()
    if _PHONE.search(_PHONE_SEPARATORS.sub("", text)) or _EMAIL.search(text):
        return True
    words = _WORDS.findall(text.casefold())
    if len(text) >= 20 and len(words) >= 3 and _address_words(words):
        return True
    return len(text) >= 40 and len(words) >= 5  # long free text: an address or a note


def _address_words(words: list[str]) -> set[str]:
    """The address words among `words`. "No" is one only before a number ("No. 12",
    "no 5a"): the system's own "No such file or directory" is not an address."""
    found = set(words) & ADDRESS_WORDS
    numbered = any(w == "no" and n[:1].isdigit() for w, n in itertools.pairwise(words))
    return found if numbered else found - {"no"}


def mask(value: str) -> str:
    """'081234567889' -> '0812•••••89': enough to find the row, not enough to read it."""
    text = value.strip()
    return MASK if len(text) <= 8 else f"{text[:4]}{MASK}{text[-2:]}"


def shown_value(column: str | None, value: str | None) -> str | None:
    """The value as it may be shown and stored: masked when it is buyer data."""
    if value is None or MASK in value:
        return value
    if is_buyer_header(column) or looks_like_buyer_data(value):
        return mask(value)
    return value


def masked_issue(issue: Issue) -> Issue:
    """The issue with its value masked where needed, in the sentence too."""
    value = None if issue.value is None else str(issue.value)
    shown = shown_value(issue.column, value)
    if shown == value or value is None:
        return issue
    return replace(issue, value=shown, message=issue.message.replace(value, shown or ""))


def masked_issues(issues: list[Issue]) -> list[Issue]:
    return [masked_issue(issue) for issue in issues]
