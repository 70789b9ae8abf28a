"""A feedback mark changes only a staff cell's format index, in the cell's own tag."""

from __future__ import annotations

import copy

import pytest

from sheetsync.workbook.package.cell_styles import insert_cell, patch_cell_styles, with_style


@pytest.mark.parametrize(
    ("sheet", "ref", "expected"),
    [
        (b'<sheetData><row r="2"><c r="A2" s="1"/><c r="C2"/></row></sheetData>', b"B2",
         b'<sheetData><row r="2"><c r="A2" s="1"/><c r="B2" s="7"/><c r="C2"/></row></sheetData>'),
        (b'<sheetData><row r="2"><c r="A2"/></row></sheetData>', b"AA2",
         b'<sheetData><row r="2"><c r="A2"/><c r="AA2" s="7"/></row></sheetData>'),
        (b'<sheetData><row r="1"/><row r="5"/></sheetData>', b"B3",
         b'<sheetData><row r="1"/><row r="3"><c r="B3" s="7"/></row><row r="5"/></sheetData>'),
        (b'<sheetData><row r="1" spans="1:2"/></sheetData>', b"B1",
         b'<sheetData><row r="1" spans="1:2"><c r="B1" s="7"/></row></sheetData>'),
        (b"<sheetData/>", b"A1", b'<sheetData><row r="1"><c r="A1" s="7"/></row></sheetData>'),
    ],
)  # fmt: skip
def test_a_cell_is_inserted_in_row_and_column_order(
    sheet: bytes, ref: bytes, expected: bytes
) -> None:
    assert insert_cell(sheet, ref, 7) == expected


def test_only_the_format_index_of_changed_cells_is_rewritten() -> None:
    original = b'<row r="2"><c r="A2" s="3" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c></row>'
    saved = b'<row r="2"><c r="A2" s="9" t="s"><v>0</v></c><c r="B2" s="0" t="s"><v>1</v></c></row>'
    patched = patch_cell_styles(original, saved)
    assert patched == original.replace(b's="3"', b's="9"')
    assert patch_cell_styles(original, copy.copy(original)) is original


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        (b'<c r="B3" t="s">', b'<c r="B3" t="s" s="8">'),
        (b'<c r="B3"/>', b'<c r="B3" s="8"/>'),
        (b'<c r="B3" s="2" t="s">', b'<c r="B3" s="8" t="s">'),
    ],
)
def test_a_format_index_is_set_in_the_cell_tag(tag: bytes, expected: bytes) -> None:
    assert with_style(tag, 8) == expected
