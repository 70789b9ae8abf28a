"""Output tabs' cells left out before a load and put in after a save, every other part kept."""

from __future__ import annotations

import io
import zipfile

import pytest

from sheetsync.errors import SinkError
from sheetsync.workbook.package.parts import read_parts, sheet_entries
from sheetsync.workbook.package.sheet_data import (
    EMPTY_WORKSHEET,
    SheetRows,
    sheet_with_rows,
    with_sheet_rows,
    without_sheet_cells,
)

WORKBOOK = b"""<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
<sheet name="Toko" sheetId="1" r:id="rId1"/><sheet name="KPI Toko" sheetId="2" r:id="rId2"/>\
</sheets></workbook>"""
RELS = b"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/\
relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="/xl/worksheets/sheet2.xml"/></Relationships>"""
ROOT_RELS = b"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/\
relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/\
officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
STAFF_SHEET = b'<worksheet><dimension ref="A1:B2"/><sheetData><row r="1"/></sheetData></worksheet>'
OUTPUT_SHEET = (
    b'<worksheet><dimension ref="A1:C1" /><sheetData><row r="1"><c r="A1" t="inlineStr">'
    b'<is><t>Bulan</t></is></c></row></sheetData><autoFilter ref="A1:C3"/></worksheet>'
)


def package(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PARTS = {
    "[Content_Types].xml": b"<Types/>",
    "_rels/.rels": ROOT_RELS,
    "xl/workbook.xml": WORKBOOK,
    "xl/_rels/workbook.xml.rels": RELS,
    "xl/worksheets/sheet1.xml": STAFF_SHEET,
    "xl/worksheets/sheet2.xml": OUTPUT_SHEET,
    "xl/worksheets/_rels/sheet2.xml.rels": b"<Relationships/>",
}


def test_only_the_named_sheets_are_emptied() -> None:
    emptied = read_parts(without_sheet_cells(package(PARTS), {"KPI Toko", "Tidak Ada"}))
    assert list(emptied) == list(PARTS), "every part stays, in its place"
    assert emptied["xl/worksheets/sheet2.xml"] == EMPTY_WORKSHEET
    for name, data in PARTS.items():
        if name != "xl/worksheets/sheet2.xml":
            assert emptied[name] == data


def test_rows_follow_the_header_and_the_range_is_stated() -> None:
    rows = SheetRows(b'<row r="2"><c r="A2"><v>5</v></c></row>', "A1:C2")
    saved = read_parts(with_sheet_rows(package(PARTS), {"KPI Toko": rows}))
    assert saved["xl/worksheets/sheet2.xml"] == (
        b'<worksheet><dimension ref="A1:C2"/><sheetData><row r="1"><c r="A1" t="inlineStr">'
        b'<is><t>Bulan</t></is></c></row><row r="2"><c r="A2"><v>5</v></c></row></sheetData>'
        b'<autoFilter ref="A1:C3"/></worksheet>'
    )
    assert saved["xl/worksheets/sheet1.xml"] == STAFF_SHEET
    assert [e.name for e in sheet_entries(saved)] == ["Toko", "KPI Toko"]


@pytest.mark.parametrize("empty", [b"<sheetData/>", b"<sheetData />"])
def test_an_empty_sheet_data_gets_the_rows(empty: bytes) -> None:
    sheet = b'<worksheet><dimension ref="A1:A1"/>' + empty + b"</worksheet>"
    rows = SheetRows(b'<row r="1"><c r="A1" s="1"/></row>', "A1:A1")
    assert sheet_with_rows(sheet, rows) == (
        b'<worksheet><dimension ref="A1:A1"/><sheetData><row r="1"><c r="A1" s="1"/></row>'
        b"</sheetData></worksheet>"
    )


def test_a_sheet_of_unknown_shape_is_not_written() -> None:
    with pytest.raises(SinkError, match="bentuk lembar"):
        sheet_with_rows(b"<worksheet><sheetData/></worksheet>", SheetRows(b"", "A1:A1"))
