"""Staff workbooks lose nothing: what openpyxl cannot keep is found, and kept byte for byte."""

from __future__ import annotations

import copy
import io
import re
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from excel_parts import (
    CHECKBOX_SHAPE_ID,
    CONTROL_PART,
    CONTROLS_XML,
    FEATURE_PARTS,
    PIVOT_TABLE_PART,
    SPARKLINE_EXT,
    THREADED_PART,
    add_excel_features,
    add_form_control,
    sheet_parts,
)
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet
from test_cli import make_programme, run
from test_xlsx import STAFF_GREEN, kpi_tab, make_workbook

from sheetsync.contract import MARKS_TAB
from sheetsync.tabs import CellMark
from sheetsync.workbook import legacy_notes
from sheetsync.workbook.package import (
    content_types,
    insert_cell,
    patch_cell_styles,
    relationships,
    rels_name,
    unkept_features,
    with_style,
)
from sheetsync.workbook.xlsx import ERROR_FILL_RGB, MARK_AUTHOR, WARNING_FILL_RGB, XlsxWorkbook

# Parts a write may change: the tabs sheetsync owns, the shared tables that list them,
# the styles (append-only) and the staff sheets that carry a feedback mark.
SHARED_PARTS = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
}


def load(path: Path) -> openpyxl.Workbook:
    """The workbook as openpyxl sees it (it warns that it would drop the sparkline)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Sparkline Group extension", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def featured(tmp_path: Path) -> Path:
    path = make_workbook(tmp_path)
    add_excel_features(path)
    return path


def test_a_workbook_openpyxl_fully_models_has_nothing_to_keep(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Desa"], min_col=1, min_row=1, max_row=3))
    book["Catatan Staf"].add_chart(chart, "C3")  # a chart made with openpyxl survives
    book.save(path)
    assert unkept_features(path.read_bytes()) == []
    XlsxWorkbook(path).write([kpi_tab([("TK-001", "Kopi", 2, 0.5)])], [])
    assert unkept_features(path.read_bytes()) == []
    assert len(openpyxl.load_workbook(path)["Catatan Staf"]._charts) == 1


def test_threaded_comments_and_sparklines_are_found_before_saving(featured: Path) -> None:
    found = unkept_features(featured.read_bytes())
    assert "komentar berutas (threaded comment)" in found
    assert "sparkline" in found
    assert "tabel pivot" not in found  # openpyxl models pivot tables; the splice keeps them too


def test_form_controls_in_a_vml_part_are_found(featured: Path) -> None:
    parts = parts_of(featured)
    vml = next(name for name in parts if name.endswith(".vml"))
    parts[vml] = parts[vml].replace(b'ObjectType="Note"', b'ObjectType="Checkbox"', 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert "kontrol formulir (form control)" in unkept_features(buffer.getvalue())


def workbook_with_a_staff_chart(tmp_path: Path) -> Path:
    """A staff workbook with a bar chart staff drew on their own tab."""
    path = make_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Desa"], min_col=1, min_row=1, max_row=3))
    book["Catatan Staf"].add_chart(chart, "C3")
    book.save(path)
    return path


def test_chart_features_openpyxl_would_drop_are_found_by_comparing_its_copy(
    tmp_path: Path,
) -> None:
    path = workbook_with_a_staff_chart(tmp_path)
    parts = parts_of(path)
    name = next(n for n in parts if n.startswith("xl/charts/chart"))
    extension = (  # a newer chart option Excel writes as an extension (series name filter)
        b'<extLst><ext uri="{02D57815-91ED-43cb-92C2-25804820EDAC}" '
        b'xmlns:c15="http://schemas.microsoft.com/office/drawing/2012/chart">'
        b"<c15:filteredSeriesTitle/></ext></extLst>"
    )
    assert parts[name].endswith(b"</chartSpace>")
    parts[name] = parts[name].replace(b"</chartSpace>", extension + b"</chartSpace>")
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    saved = io.BytesIO()
    openpyxl.load_workbook(path).save(saved)
    assert "fitur diagram (chart)" not in unkept_features(path.read_bytes())
    assert "fitur diagram (chart)" in unkept_features(path.read_bytes(), saved.getvalue())


def output_tabs(sales: int) -> list:
    return [kpi_tab([("TK-001", "Kopi Aik Seruk", 3, 0.75), ("TK-002", "Madu", sales, 0.5)])]


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


def read_values(sheet: bytes) -> list[tuple[str, str]]:
    """(reference, XML of the cell's content) of cells that hold something: formats aside,
    the cells as stored."""
    cells = re.findall(rb'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)', sheet)
    return [(ref, content) for ref, content in cells if content]


def test_staff_tabs_read_the_same_after_three_writes(featured: Path) -> None:
    names = ["Desa", "Toko", "Target"]
    before = XlsxWorkbook(featured).read_tabs(names)
    for sales in (1, 2, 3):
        XlsxWorkbook(featured).write(output_tabs(sales), [])
    assert XlsxWorkbook(featured).read_tabs(names) == before


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


def rewrite(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_taking_sheetsync_notes_back_is_not_a_loss(tmp_path: Path) -> None:
    noted, bare = tmp_path / "noted.xlsx", tmp_path / "bare.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "Kode Desa"
    book.save(bare)
    book.active["A2"].comment = Comment("sheetsync:\nKode Desa kosong.", "sheetsync")
    book.save(noted)
    assert unkept_features(noted.read_bytes(), bare.read_bytes()) == []


def test_excel_bookkeeping_in_drawings_is_not_a_loss(tmp_path: Path) -> None:
    path = workbook_with_a_staff_chart(tmp_path)
    parts = parts_of(path)
    drawing = next(n for n in parts if n.startswith("xl/drawings/drawing"))
    creation_id = (
        b'<a:extLst><a:ext uri="{FF2B5EF4-FFF2-40B4-BE49-F238E27FC236}">'
        b'<a16:creationId xmlns:a16="http://schemas.microsoft.com/office/drawing/2014/main" '
        b'id="{00000000-0008-0000-0000-000002000000}"/></a:ext></a:extLst>'
    )
    assert b"<cNvPr " in parts[drawing]  # openpyxl writes the drawing without prefixes
    parts[drawing] = re.sub(
        rb"(<cNvPr [^>]*?)\s*/>", rb"\1>" + creation_id + b"</cNvPr>", parts[drawing], count=1
    )
    assert creation_id in parts[drawing]
    rewrite(path, parts)
    saved = io.BytesIO()
    openpyxl.load_workbook(path).save(saved)
    assert unkept_features(path.read_bytes(), saved.getvalue()) == []


def test_mark_notes_come_and_go_on_tabs_without_threaded_comments(featured: Path) -> None:
    original = parts_of(featured)
    desa = sheet_parts(original)["Desa"]
    mark = CellMark("Desa", 3, "Nama Desa", "error", "Nama desa kosong.")
    workbook = XlsxWorkbook(featured)
    workbook.write(output_tabs(1), [mark])
    book = load(featured)
    note = book["Desa"]["B3"].comment
    assert note is not None and note.author == MARK_AUTHOR
    assert "Nama desa kosong." in note.text
    assert book["Desa"]["A1"].comment is not None, "the tab's own instruction note stays"
    assert book["Toko"]["D2"].comment.author.startswith("tc="), "threaded comment's note kept"

    workbook.write(output_tabs(1), [])
    book = load(featured)
    assert book["Desa"]["B3"].comment is None
    assert book["Desa"]["A1"].comment is not None
    assert read_values(parts_of(featured)[desa]) == read_values(original[desa])
    assert parts_of(featured)[THREADED_PART] == original[THREADED_PART]


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


def note_parts(parts: dict[str, bytes], sheet: str) -> tuple[str, str]:
    """The sheet's notes part and VML drawing, found the way Excel finds them."""
    notes = [r.target for r in relationships(parts, sheet) if r.kind.endswith("/comments")]
    rid = re.search(rb'<legacyDrawing [^>]*?r:id="([^"]+)"', parts[sheet])
    assert len(notes) == 1 and rid is not None
    [drawing] = [r.target for r in relationships(parts, sheet) if r.rid == rid.group(1).decode()]
    assert content_types(parts)[notes[0]].endswith("spreadsheetml.comments+xml")
    assert (
        content_types(parts)[drawing] == "application/vnd.openxmlformats-officedocument.vmlDrawing"
    )
    return notes[0], drawing


# Relationship kind -> how the content type of its target ends.
RELATED_TYPES = {
    "comments": "spreadsheetml.comments+xml",
    "vmlDrawing": "officedocument.vmlDrawing",
    "ctrlProp": "controlproperties+xml",
    "threadedComment": "threadedcomments+xml",
    "worksheet": "worksheet+xml",
}


def assert_package_consistent(parts: dict[str, bytes]) -> None:
    """What Excel checks when it opens a package: every relationship leads to a part, every
    part has a content type and parses, every `r:id` a sheet uses is one of its relationships."""
    kinds = content_types(parts)
    for name, data in parts.items():
        assert kinds.get(name, "x") or name.endswith("/"), f"{name} has no content type"
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(data)
        sources = [name] if name in kinds else []
        for source in sources:
            rels = relationships(parts, source)
            for rel in rels:
                assert rel.external or rel.target in parts, f"{source} -> {rel.target}"
                expected = RELATED_TYPES.get(rel.kind.rsplit("/", 1)[-1])
                assert expected is None or kinds[rel.target].endswith(expected), rel.target
            used = set(re.findall(rb'r:id="([^"]+)"', data)) if name.endswith(".xml") else set()
            assert {u.decode() for u in used} <= {r.rid for r in rels}, source


def note_shapes(vml: bytes) -> list[tuple[int, int]]:
    """(row, column) of each note shape in a VML drawing (which is well-formed here)."""
    root = ElementTree.fromstring(vml)
    x = "{urn:schemas-microsoft-com:office:excel}"
    return [
        (int(data.findtext(x + "Row", "")), int(data.findtext(x + "Column", "")))
        for data in root.iter(x + "ClientData")
        if data.get("ObjectType") == "Note"
    ]


def test_a_mark_note_on_a_tab_with_a_threaded_comment_comes_and_goes(featured: Path) -> None:
    original = parts_of(featured)
    toko = sheet_parts(original)["Toko"]
    notes, drawing = note_parts(original, toko)
    workbook = XlsxWorkbook(featured)
    workbook.write(output_tabs(1), [CellMark("Toko", 2, "Nama Toko", "error", "Nama toko kosong.")])

    after = parts_of(featured)
    assert_package_consistent(after)
    assert note_parts(after, toko) == (notes, drawing)
    written = legacy_notes.read_notes(after[notes])
    assert written["C2"].author == MARK_AUTHOR and "Nama toko kosong." in written["C2"].text
    assert written["D2"] == legacy_notes.read_notes(original[notes])["D2"]
    assert sorted(note_shapes(after[drawing])) == sorted([*note_shapes(original[drawing]), (1, 2)])
    assert after[THREADED_PART] == original[THREADED_PART]
    assert after[toko].count(b"<legacyDrawing ") == 1
    book = load(featured)
    assert book["Toko"]["C2"].comment.author == MARK_AUTHOR
    assert book["Toko"]["D2"].comment.text.startswith("[Threaded comment]")

    workbook.write(output_tabs(1), [])  # fixed: the notes part and drawing are as staff left them
    after = parts_of(featured)
    assert after[notes] == original[notes]
    assert after[drawing] == original[drawing]
    assert after[THREADED_PART] == original[THREADED_PART]


def test_a_cell_holding_a_threaded_comment_keeps_it_and_shows_the_mark_by_its_fill(
    featured: Path,
) -> None:
    original = parts_of(featured)
    notes, drawing = note_parts(original, sheet_parts(original)["Toko"])
    workbook = XlsxWorkbook(featured)
    workbook.write(output_tabs(1), [CellMark("Toko", 2, "Pemilik", "warning", "Cek pemilik.")])
    after = parts_of(featured)
    for name in (notes, drawing, THREADED_PART):
        assert after[name] == original[name], name
    book = load(featured)
    assert book["Toko"]["D2"].fill.fgColor.rgb == WARNING_FILL_RGB
    assert book["Toko"]["D2"].comment.author.startswith("tc=")
    [notice] = workbook.notices()
    assert "sel yang memuat komentar berutas hanya diwarnai" in notice.message


def test_a_mark_note_on_a_tab_without_notes_brings_its_own_parts_and_takes_them_back(
    featured: Path,
) -> None:
    original = parts_of(featured)
    sheet = sheet_parts(original)["Catatan Staf"]
    assert rels_name(sheet) not in original
    workbook = XlsxWorkbook(featured)
    workbook.write(output_tabs(1), [CellMark("Catatan Staf", 2, "daftar kunjungan", "error", "X")])

    after = parts_of(featured)
    assert_package_consistent(after)
    notes, drawing = note_parts(after, sheet)
    assert notes == "xl/comments1.xml" and drawing == "xl/drawings/vmlDrawing1.vml"
    assert list(legacy_notes.read_notes(after[notes])) == ["A2"]
    assert note_shapes(after[drawing]) == [(1, 0)]
    assert legacy_notes.idmaps(after[drawing]) == [2], "shape ids of its own in the workbook"
    assert load(featured)["Catatan Staf"]["A2"].comment.author == MARK_AUTHOR

    workbook.write(output_tabs(1), [])
    after = parts_of(featured)
    assert_package_consistent(after)
    assert set(after) == set(original) | {"xl/worksheets/sheet9.xml", "xl/worksheets/sheet10.xml"}
    assert b"legacyDrawing" not in after[sheet]
    assert b"/xl/comments1.xml" not in after["[Content_Types].xml"]
    assert load(featured)["Catatan Staf"]["A2"].comment is None


@pytest.mark.parametrize("tab", ["Toko", "Catatan Staf"])
def test_a_mark_note_joins_the_form_controls_in_their_drawing(featured: Path, tab: str) -> None:
    checkbox = add_form_control(featured, tab)
    original = parts_of(featured)
    sheet = sheet_parts(original)[tab]
    assert "kontrol formulir (form control)" in unkept_features(featured.read_bytes())
    mark = CellMark(tab, 3, "Nama Toko" if tab == "Toko" else "daftar kunjungan", "error", "Y")
    workbook = XlsxWorkbook(featured)
    workbook.write(output_tabs(1), [mark])

    after = parts_of(featured)
    assert_package_consistent(after)
    ref, cell = ("C3", (2, 2)) if tab == "Toko" else ("A3", (2, 0))
    notes, drawing = note_parts(after, sheet)
    assert checkbox in after[drawing], "the check box's shape is kept byte for byte"
    assert cell in note_shapes(after[drawing])
    ids = [int(n) for n in re.findall(rb'\sid="_x0000_s(\d+)"', after[drawing])]
    assert CHECKBOX_SHAPE_ID not in ids and max(ids) == CHECKBOX_SHAPE_ID + 1
    assert after[CONTROL_PART] == original[CONTROL_PART]
    assert CONTROLS_XML.encode() in after[sheet]
    assert after[sheet].count(b"<legacyDrawing ") == 1
    assert legacy_notes.read_notes(after[notes])[ref].author == MARK_AUTHOR
    assert load(featured)[tab][ref].comment.author == MARK_AUTHOR
    message = workbook.notices()[0].message
    assert "kontrol formulir (form control)" in message
    assert "tetap diwarnai dan diberi catatan (note)" in message

    workbook.write(output_tabs(1), [])
    after = parts_of(featured)
    assert_package_consistent(after)
    assert checkbox in after[drawing]
    assert after[CONTROL_PART] == original[CONTROL_PART]
    assert cell not in note_shapes(after[drawing])
    assert load(featured)[tab][ref].comment is None


def test_staff_notes_openpyxl_would_write_differently_keep_their_bytes(featured: Path) -> None:
    parts = parts_of(featured)
    notes, _ = note_parts(parts, sheet_parts(parts)["Toko"])
    plain = b'<comment ref="F3" authorId="2" shapeId="0"><text><t>cek ke Pak Kades</t></text>'
    rich = (  # a bold author run and a phonetic guide, which openpyxl does not write back
        b'<comment ref="F3" authorId="2" shapeId="0"><text><r><rPr><b/></rPr><t>Rina:</t></r>'
        b'<r><t xml:space="preserve"> cek ke Pak Kades</t></r><rPh sb="0" eb="4"><t>rina</t>'
        b"</rPh></text>"
    )
    assert plain in parts[notes]
    rewrite(featured, parts | {notes: parts[notes].replace(plain, rich)})
    workbook = XlsxWorkbook(featured)
    workbook.write(output_tabs(1), [CellMark("Toko", 2, "Nama Toko", "error", "Kosong.")])
    assert rich in parts_of(featured)[notes]
    assert load(featured)["Toko"]["C2"].comment.author == MARK_AUTHOR
    workbook.write(output_tabs(1), [])
    assert parts_of(featured)[notes] == parts[notes].replace(plain, rich)
