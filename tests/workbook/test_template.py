"""The empty staff workbook: the contract's tabs, guiding staff by itself, never overwritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from sheetsync.contract import STAFF_TABS
from sheetsync.errors import SinkError, SourceError
from sheetsync.model import MARKETPLACE_CHOICES
from sheetsync.workbook.template import (
    NOTE_AUTHOR,
    TEMPLATE_ROWS,
    create_staff_workbook,
    fill_staff_workbook,
)
from sheetsync.workbook.xlsx import XlsxWorkbook


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "baru" / "program.xlsx"
    create_staff_workbook(path)
    return path


def test_has_every_staff_tab_with_its_headers(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [spec.name for spec in STAFF_TABS]
    for spec in STAFF_TABS:
        header = next(book[spec.name].iter_rows(min_row=1, max_row=1, values_only=True))
        assert header == spec.headers
        assert book[spec.name].max_row == 1


def test_header_rows_are_frozen_styled_and_carry_the_instruction(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    for spec in STAFF_TABS:
        sheet = book[spec.name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet["A1"].fill.fgColor.rgb == "FF1F4E78"
        assert sheet["A1"].comment.text == spec.note
        assert sheet["A1"].comment.author == NOTE_AUTHOR
        assert all(sheet.column_dimensions[c.column_letter].width >= 14 for c in sheet[1])


def drop_downs(path: Path, tab: str) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path)[tab]
    return {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}


@pytest.mark.parametrize(
    ("tab", "column", "allowed"),
    [
        ("Toko", "B", MARKETPLACE_CHOICES),
        ("Duta", "F", ["Ya", "Tidak"]),
        ("Penerima", "D", ["kabupaten", "kecamatan", "desa"]),
    ],
)
def test_drop_down_lists_for_fixed_choices(
    template: Path, tab: str, column: str, allowed: list[str]
) -> None:
    assert drop_downs(template, tab) == {
        f"{column}2:{column}{TEMPLATE_ROWS}": '"' + ",".join(allowed) + '"'
    }


def test_tabs_without_choices_have_no_drop_downs(template: Path) -> None:
    for tab in ("Desa", "Target", "Laporan Duta"):
        assert drop_downs(template, tab) == {}


def test_code_columns_are_text_so_excel_keeps_leading_zeros(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    assert book["Desa"].column_dimensions["A"].number_format == "@"  # Kode Desa
    assert book["Duta"].column_dimensions["D"].number_format == "@"  # No HP
    assert book["Target"].column_dimensions["A"].number_format == "@"  # Bulan: 2026-08
    assert book["Toko"].column_dimensions["G"].number_format == "@"  # Tanggal Daftar as typed


def test_never_overwrites_an_existing_file(template: Path) -> None:
    before = template.read_bytes()
    with pytest.raises(SinkError, match="already exists"):
        create_staff_workbook(template)
    assert template.read_bytes() == before


def test_reads_back_as_empty_tables(template: Path) -> None:
    tables = XlsxWorkbook(template).read_tabs([spec.name for spec in STAFF_TABS])
    assert {name: (t.header, t.rows) for name, t in tables.items()} == {
        spec.name: (spec.headers, ()) for spec in STAFF_TABS
    }


def test_filled_rows_read_back_as_staff_typed_them(template: Path) -> None:
    fill_staff_workbook(
        template,
        {
            "Toko": [
                ["007", "Shopee", "=SUM(1)", "Bu Yanti", "19.02.04.2004", "DD-001",
                 dt.date(2026, 8, 2)],
                ["TK-2", "shopee", "+62 bukan rumus", None, "Aik Seruk", "DD-002", "02/08/2026"],
            ],
            "Duta": [["DD-001", "Yanti", "19.02.04.2004", 81234567890, "a@example.com", "Ya"]],
        },
    )  # fmt: skip
    book = openpyxl.load_workbook(template)
    assert book["Toko"]["C2"].data_type == "s"  # never a formula
    assert book["Toko"]["G2"].number_format == "dd/mm/yyyy"
    assert drop_downs(template, "Toko")  # filling keeps the drop-downs

    tables = XlsxWorkbook(template).read_tabs(["Toko", "Duta"])
    assert tables["Toko"].rows == (
        ("007", "Shopee", "=SUM(1)", "Bu Yanti", "19.02.04.2004", "DD-001", "2026-08-02"),
        ("TK-2", "shopee", "+62 bukan rumus", "", "Aik Seruk", "DD-002", "02/08/2026"),
    )
    assert tables["Duta"].rows == (
        ("DD-001", "Yanti", "19.02.04.2004", "81234567890", "a@example.com", "Ya"),
    )


def test_filling_an_unknown_tab_is_refused(template: Path) -> None:
    with pytest.raises(SourceError, match="no tab 'Produk'"):
        fill_staff_workbook(template, {"Produk": [["x"]]})
