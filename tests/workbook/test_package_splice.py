"""Staff workbooks lose nothing: the output tabs are spliced in, every other part kept."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from excel_parts import (
    FEATURE_PARTS,
    PIVOT_TABLE_PART,
    SPARKLINE_EXT,
    THREADED_PART,
    add_excel_features,
    sheet_parts,
)
from openpyxl.worksheet.worksheet import Worksheet
from package_samples import load, note_parts, output_tabs, parts_of, read_values, rewrite
from test_cli import make_programme, run
from test_xlsx import STAFF_GREEN, make_workbook

from sheetsync.contract import MARKS_TAB
from sheetsync.tabs import CellMark
from sheetsync.workbook.xlsx.backend import XlsxWorkbook
from sheetsync.workbook.xlsx.marks import ERROR_FILL_RGB, MARK_AUTHOR, WARNING_FILL_RGB

# Parts a write may change: the tabs sheetsync owns, the shared tables that list them,
# the styles (append-only) and the staff sheets that carry a feedback mark.
SHARED_PARTS = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
}


def test_three_writes_keep_every_part_and_the_figures_are_right(featured: Path) -> None:
    original = parts_of(featured)
    mark = CellMark("Toko", 2, "Nama Toko", "error", "Nama toko kosong.")
    for sales in (10, 20, 30):  # three syncs
        workbook = XlsxWorkbook(featured)
        workbook.read_tabs(["Toko"])
        workbook.write(output_tabs(sales), [mark])
        assert workbook.notices() and workbook.notices()[0].code == "workbook_parts_kept"

    after = parts_of(featured)
    assert set(original) <= set(after), "no part of the staff workbook may disappear"
    sheets = sheet_parts(original)
    notes, drawing = note_parts(original, sheets["Toko"])
    touched = SHARED_PARTS | {sheets["Toko"], notes, drawing}  # Toko carries the mark
    for name, data in original.items():
        if name not in touched:
            assert after[name] == data, f"{name} changed"
    for comment in re.findall(rb"<comment .*?</comment>", original[notes], re.DOTALL):
        assert comment in after[notes], "the staff's notes (and the thread's) stay as they were"
    for shape in re.findall(rb"<ns1:shape .*?</ns1:shape>", original[drawing], re.DOTALL):
        assert shape in after[drawing]
    assert len(re.findall(rb"<ns1:shape ", after[drawing])) == 5, "one shape for the mark"
    for name in FEATURE_PARTS:
        assert after[name] == original[name]
    assert SPARKLINE_EXT.encode() in after[sheets["Target"]]
    assert after[sheets["Target"]] == original[sheets["Target"]]
    assert b"<pivotCaches>" in after["xl/workbook.xml"]

    book = load(featured)
    rows = list(book["KPI Toko"].iter_rows(values_only=True))
    assert rows[1:] == [("TK-001", "Kopi Aik Seruk", 3, 0.75), ("TK-002", "Madu", 30, 0.5)]
    assert book["KPI Toko"]["D2"].number_format.endswith("0.0%")
    assert book[MARKS_TAB].sheet_state == "hidden"
    assert book["Toko"]["C2"].fill.fgColor.rgb == ERROR_FILL_RGB
    assert book["Toko"]["D2"].comment.author.startswith("tc=")  # the thread's note is kept
    assert book["Toko"]["C2"].comment.author == MARK_AUTHOR  # beside it, the mark's note
    assert "Nama toko kosong." in book["Toko"]["C2"].comment.text
    assert book["Pivot Desa"]._pivots, "the pivot table is still attached to its tab"


def test_marks_come_and_go_on_staff_cells_without_touching_anything_else(featured: Path) -> None:
    original = parts_of(featured)
    toko = sheet_parts(original)["Toko"]
    marks = [
        CellMark("Toko", 2, "Nama Toko", "error", "Nama toko kosong."),  # staff's green cell
        CellMark("Toko", 4, "Pemilik", "warning", "Pemilik kosong."),  # a row with no cells
    ]
    workbook = XlsxWorkbook(featured)
    workbook.write(output_tabs(1), marks)
    book = load(featured)
    assert book["Toko"]["C2"].fill.fgColor.rgb == ERROR_FILL_RGB
    assert book["Toko"]["D4"].fill.fgColor.rgb == WARNING_FILL_RGB
    assert book["Toko"]["C2"].font.italic, "the rest of the staff's format stays"
    assert book["Toko"]["C2"].value == "Kopi Aik Seruk"

    workbook.write(output_tabs(1), [])  # fixed: the staff's own format comes back
    after = parts_of(featured)
    book = load(featured)
    assert book["Toko"]["C2"].fill.fgColor.rgb == STAFF_GREEN
    assert book["Toko"]["D4"].fill.patternType is None
    assert after[THREADED_PART] == original[THREADED_PART]
    assert after[PIVOT_TABLE_PART] == original[PIVOT_TABLE_PART]
    assert read_values(after[toko]) == read_values(original[toko])


def test_staff_tabs_read_the_same_after_three_writes(featured: Path) -> None:
    names = ["Desa", "Toko", "Target"]
    before = XlsxWorkbook(featured).read_tabs(names)
    for sales in (1, 2, 3):
        XlsxWorkbook(featured).write(output_tabs(sales), [])
    assert XlsxWorkbook(featured).read_tabs(names) == before


def test_three_syncs_keep_staff_features_and_give_the_same_figures(tmp_path: Path) -> None:
    plain, featured = make_programme(tmp_path / "plain"), make_programme(tmp_path / "featured")
    path = featured.parent / "data" / "program.xlsx"
    add_excel_features(path)
    original = parts_of(path)
    for _ in range(3):
        result = run(featured, "sync", "--month", "2026-08")
        assert result.exit_code == 0, result.output
    assert run(plain, "sync", "--month", "2026-08").exit_code == 0

    after = parts_of(path)
    for name in FEATURE_PARTS:
        assert after[name] == original[name], name
    assert SPARKLINE_EXT.encode() in after[sheet_parts(after)["Target"]]
    kept, reference = load(path), load(plain.parent / "data" / "program.xlsx")
    for tab in ("KPI Toko", "KPI Duta", "KPI Desa", "KPI Kecamatan"):
        assert values(kept[tab]) == values(reference[tab]), tab
    notices = [
        r for r in kept["Validasi"].iter_rows(values_only=True) if "workbook_parts_kept" in r
    ]
    assert len(notices) == 1
    assert "komentar berutas (threaded comment), sparkline" in str(notices[0])
    log = "".join(p.read_text("utf-8") for p in (featured.parent / "logs").glob("*.jsonl"))
    assert "hanya mengganti tab keluarannya sendiri" in log


def values(sheet: Worksheet) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))


def test_custom_number_formats_keep_the_ids_the_original_gave_them(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Catatan Staf"]["B2"].number_format = '0.000" kg"'
    book["Catatan Staf"]["B3"].number_format = '#,##0" unit"'
    book.save(path)
    add_excel_features(path)
    parts = parts_of(path)
    styles = parts["xl/styles.xml"]
    ids = dict(re.findall(rb'<numFmt numFmtId="(\d+)" formatCode="([^"]+)"', styles))
    assert len(ids) >= 2
    # Excel numbered them its own way (and lists one that no cell uses)
    for number in ids:
        styles = styles.replace(b'numFmtId="%s"' % number, b'numFmtId="%d"' % (int(number) + 40))
    styles = styles.replace(
        b"</numFmts>", b'<numFmt numFmtId="300" formatCode="0.0&quot; ha&quot;"/></numFmts>'
    )
    rewrite(path, parts | {"xl/styles.xml": styles})
    expected = listed_formats(styles)
    assert expected["300"] == '0.0" ha"'

    XlsxWorkbook(path).write(output_tabs(5), [])

    assert expected.items() <= listed_formats(parts_of(path)["xl/styles.xml"]).items()
    kept = load(path)
    assert kept["Catatan Staf"]["B2"].number_format == '0.000" kg"'
    assert kept["Catatan Staf"]["B3"].number_format == '#,##0" unit"'
    assert kept["KPI Toko"]["C2"].number_format.endswith('"Rp "#,##0')


def listed_formats(styles: bytes) -> dict[str, str]:
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    listed = ElementTree.fromstring(styles).find(main + "numFmts")
    assert listed is not None
    return {n.get("numFmtId", ""): n.get("formatCode", "") for n in listed.iter(main + "numFmt")}
