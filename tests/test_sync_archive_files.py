"""A sync over an inbox holding what real archives hold (issues 13 and 14 §8): a status the
table does not know, an empty month, two zero-byte files, and a staff workbook whose
formulas have no saved result. Each shows in Validasi as its own line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from test_cli import SHOPS, line, make_programme, run

from sheetsync.demo.exports import write_shopee_orders
from sheetsync.ledger import Ledger

QUIET = ("TK-003", "Shopee", "Kerupuk Sijuk", "Bu Ani", "19.02.04.2001", "DD-001", "02/08/2026")
NOTHING = ("TK-004", "Shopee", "Sambal Badau", "Pak Udin", "19.02.05.2001", "DD-002",
           "02/08/2026")  # fmt: skip


def validasi(config: Path) -> list[str]:
    book = openpyxl.load_workbook(config.parent / "data" / "program.xlsx", read_only=True)
    try:
        rows = book["Validasi"].iter_rows(values_only=True)
        return [" | ".join(str(c) for c in row if c is not None) for row in rows]
    finally:
        book.close()


def test_archive_quirks_each_have_their_line_in_validasi(tmp_path: Path) -> None:
    config = make_programme(tmp_path / "prog", shops=[*SHOPS, QUIET, NOTHING])
    inbox = config.parent / "inbox"
    when = dt.datetime(2026, 8, 20, 10, 0)
    write_shopee_orders(inbox / "TK-001" / "Order.all.20260815_20260825.xlsx", [
        line("260820DDDD0001", "Pesanan Hilang", when, 1, 10000),
        line("260820DDDD0001", "Pesanan Hilang", when, 2, 10000, variation="L"),
        line("260820DDDD0002", "Pesanan Hilang", when, 1, 10000),
    ])  # fmt: skip
    write_shopee_orders(inbox / "TK-003" / "Order.all.20260801_20260831.xlsx", [])  # sold nothing
    (inbox / "TK-004").mkdir()
    (inbox / "TK-004" / "a.csv").write_bytes(b"")
    (inbox / "TK-004" / "b.csv").write_bytes(b"")
    book = openpyxl.load_workbook(config.parent / "data" / "program.xlsx")
    desa = book["Desa"]
    desa.cell(1, desa.max_column + 1, "Panjang Nama")
    desa.cell(2, desa.max_column, "=LEN(B2)")  # saved by openpyxl: no saved result
    column = desa.cell(2, desa.max_column).column_letter
    book.save(config.parent / "data" / "program.xlsx")

    synced = run(config, "sync", "--month", "2026-08")
    assert synced.exit_code == 0, synced.output
    lines = validasi(config)

    unknown = [ln for ln in lines if "status_unknown" in ln]
    assert len(unknown) == 1 and "'Pesanan Hilang'" in unknown[0] and "(3 baris)" in unknown[0]
    empty = [ln for ln in lines if "file_empty" in ln]
    assert len(empty) == 2
    assert any("TK-004/a.csv" in ln for ln in empty) and any("TK-004/b.csv" in ln for ln in empty)
    missing = [ln for ln in lines if "export_missing" in ln]
    assert any("TK-004" in ln for ln in missing)
    assert not any("TK-003" in ln for ln in missing)  # the empty month counts as received
    formula = [ln for ln in lines if "formula_uncomputed" in ln]
    assert len(formula) == 1 and f"{column}2" in formula[0] and "Desa" in formula[0]

    with Ledger.open(config.parent / "data" / "ledger.sqlite") as ledger:
        quiet = [f for f in ledger.files() if f.shop_id == "TK-003"]
        coverage = ledger.export_coverage("2026-08")["TK-003"]
    assert [(f.status, f.lines) for f in quiet] == [("imported", 0)]
    assert coverage.files == 1 and coverage.periods == ((dt.date(2026, 8, 1),
                                                          dt.date(2026, 8, 31)),)  # fmt: skip

    again = run(config, "sync", "--month", "2026-08")
    assert again.exit_code == 0, again.output
    assert len([ln for ln in validasi(config) if "file_empty" in ln]) == 2  # every run
