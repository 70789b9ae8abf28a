"""Buyer names, usernames, phones and addresses never leave the reader (UU PDP 27/2022)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from marketplace_samples import BUYER, shopee_lines, tiktok_lines, tokopedia_lines

from sheetsync.demo import exports as ex
from sheetsync.marketplaces import read_export

WRITERS: dict[str, Callable[[Path], Path]] = {
    "shopee.xlsx": lambda p: ex.write_shopee_orders(p, shopee_lines()),
    "shopee.csv": lambda p: ex.write_shopee_orders(p, shopee_lines(), fmt="csv", sep=";"),
    "shopee2026.xlsx": lambda p: ex.write_shopee_orders(p, shopee_lines(), layout="2026"),
    "shopee.zip": lambda p: ex.write_shopee_zip(p, shopee_lines()),
    "tokopedia.xlsx": lambda p: ex.write_tokopedia_orders(p, tokopedia_lines()),
    "tiktok.csv": lambda p: ex.write_tiktok_orders(p, tiktok_lines(), fmt="csv"),
    "lazada.xlsx": lambda p: ex.write_lazada_orders(p, tokopedia_lines()),
    "bukalapak.xlsx": lambda p: ex.write_bukalapak_orders(p, shopee_lines()),
}


def everything_in(parsed: object) -> str:
    lines = parsed.lines  # type: ignore[attr-defined]
    return lines.to_csv() + repr(parsed) + "".join(map(repr, parsed.issues))  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", WRITERS)
def test_no_buyer_value_reaches_the_parsed_export(tmp_path: Path, name: str) -> None:
    path = WRITERS[name](tmp_path / name)
    raw = path.read_bytes()
    if not name.endswith((".xlsx", ".zip")):  # the input really holds them (XLSX: compressed)
        assert BUYER["buyer_phone"].encode() in raw
    parsed = read_export(path)
    assert parsed.kind == "orders", parsed.issues
    text = everything_in(parsed)
    for value in BUYER.values():
        assert value not in text
        for word in value.split():
            if len(word) > 5:  # e.g. "Rahmawati", "Membalong"
                assert word not in text, word
    assert "buyer" not in " ".join(parsed.lines.columns)
