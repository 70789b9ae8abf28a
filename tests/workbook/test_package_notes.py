"""Mark notes come and go in a staff sheet's own notes parts; everything else stays."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from excel_parts import (
    CHECKBOX_SHAPE_ID,
    CONTROL_PART,
    CONTROLS_XML,
    THREADED_PART,
    add_form_control,
    sheet_parts,
)
from package_samples import load, note_parts, output_tabs, parts_of, read_values, rewrite

from sheetsync.tabs import CellMark
from sheetsync.workbook import legacy_notes
from sheetsync.workbook.package.parts import content_types, relationships, rels_name
from sheetsync.workbook.package.unkept import unkept_features
from sheetsync.workbook.xlsx.backend import XlsxWorkbook
from sheetsync.workbook.xlsx.marks import MARK_AUTHOR, WARNING_FILL_RGB


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
