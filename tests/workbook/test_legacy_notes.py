"""Notes edited in place: the staff's notes, threads and form controls keep every byte."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from sheetsync.workbook.legacy_notes import (
    Note,
    add_note_shape,
    cell_of,
    editable,
    new_drawing,
    new_notes_part,
    note_size,
    read_notes,
    remove_note,
    remove_note_shape,
    set_note,
    shape_spans,
)

# A notes part as Excel 365 writes it: revision ids, a rich-text note, a thread's legacy note.
EXCEL_NOTES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="xr" '
    b'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision">'
    b"<authors><author>tc={6A1B2C3D-0000-4000-8000-000000000001}</author><author>Rina</author>"
    b'</authors><commentList><comment ref="D2" authorId="0" shapeId="0" '
    b'xr:uid="{6A1B2C3D-0000-4000-8000-000000000001}"><text><t>[Threaded comment]\n\nYour '
    b"version of Excel allows you to read this threaded comment.\n\nComment:\n    Cek KTP</t>"
    b'</text></comment><comment ref="F3" authorId="1" shapeId="0" '
    b'xr:uid="{00000000-0006-0000-0200-000002000000}"><text><r><rPr><b/><sz val="9"/>'
    b'<rFont val="Tahoma"/></rPr><t>Rina:</t></r><r><rPr><sz val="9"/><rFont val="Tahoma"/>'
    b'</rPr><t xml:space="preserve">\ncek ke Pak Kades</t></r></text></comment></commentList>'
    b"</comments>"
)

# A VML drawing as Excel writes it (v/o/x prefixes, single-quoted styles): a note and a
# check box, which Excel keeps in the sheet's one drawing.
EXCEL_VML = b"""<xml xmlns:v="urn:schemas-microsoft-com:vml"
 xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
 <o:shapelayout v:ext="edit">
  <o:idmap v:ext="edit" data="3"/>
 </o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"
  path="m,l,21600r21600,l21600,xe">
  <v:stroke joinstyle="miter"/>
  <v:path gradientshapeok="t" o:connecttype="rect"/>
 </v:shapetype><v:shape id="_x0000_s3073" type="#_x0000_t202" style='position:absolute;
  margin-left:290.25pt;margin-top:1.5pt;width:108pt;height:59.25pt;z-index:1;
  visibility:hidden' fillcolor="infoBackground [80]" o:insetmode="auto">
  <v:fill color2="infoBackground [80]"/>
  <v:shadow color="none [81]" obscured="t"/>
  <v:path o:connecttype="none"/>
  <v:textbox style='mso-direction-alt:auto'>
   <div style='text-align:left'></div>
  </v:textbox>
  <x:ClientData ObjectType="Note">
   <x:MoveWithCells/>
   <x:SizeWithCells/>
   <x:Anchor>
    6, 15, 1, 10, 8, 15, 5, 4</x:Anchor>
   <x:AutoFill>False</x:AutoFill>
   <x:Row>2</x:Row>
   <x:Column>5</x:Column>
  </x:ClientData>
 </v:shape><v:shape id="Check_x0020_Box_x0020_1" o:spid="_x0000_s3074" type="#_x0000_t201"
  style='position:absolute;margin-left:144pt;margin-top:15pt;width:96pt;height:18pt;z-index:2'
  filled="f" stroked="f" o:insetmode="auto">
  <v:textbox style='mso-direction-alt:auto' o:singleclick="f"><div style='text-align:left'>
  <font face="Segoe UI" size="160" color="#000000">Sudah dicek</font></div></v:textbox>
  <x:ClientData ObjectType="Checkbox">
   <x:Anchor>
    3, 0, 2, 0, 5, 0, 3, 0</x:Anchor>
   <x:Row>2</x:Row>
   <x:Column>2</x:Column>
   <x:FmlaLink>$H$3</x:FmlaLink>
  </x:ClientData>
 </v:shape></xml>"""
CHECKBOX = EXCEL_VML[EXCEL_VML.index(b'<v:shape id="Check') : EXCEL_VML.index(b"</xml>")]
MARK = Note("C3", "sheetsync", "sheetsync:\nNama toko kosong & <salah>.")


def test_a_note_added_and_taken_back_leaves_the_part_byte_for_byte() -> None:
    noted = set_note(EXCEL_NOTES, MARK)
    notes = read_notes(noted)
    assert notes["C3"] == MARK
    assert notes["F3"] == Note("F3", "Rina", "Rina:\ncek ke Pak Kades")
    assert notes["D2"] == read_notes(EXCEL_NOTES)["D2"]
    assert b'mc:Ignorable="xr"' in noted, "prefixes are not renamed"
    assert remove_note(noted, "C3") == EXCEL_NOTES


def test_a_replaced_note_keeps_its_place_and_the_staffs_comes_back() -> None:
    replaced = set_note(EXCEL_NOTES, Note("F3", "sheetsync", "sheetsync:\nPesan."))
    assert list(read_notes(replaced)) == ["D2", "F3"]
    assert read_notes(replaced)["F3"].author == "sheetsync"
    restored = read_notes(set_note(replaced, Note("F3", "Rina", "Rina:\ncek ke Pak Kades")))
    assert restored == read_notes(EXCEL_NOTES)


def test_notes_parts_with_prefixes_or_nothing_in_them_take_a_note() -> None:
    prefixed = (
        b'<x:comments xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:authors><x:author>Budi</x:author></x:authors><x:commentList><x:comment ref="A1" '
        b'authorId="0"><x:text><x:t>Hai</x:t></x:text></x:comment></x:commentList></x:comments>'
    )
    assert read_notes(set_note(prefixed, MARK)) == {"A1": Note("A1", "Budi", "Hai"), "C3": MARK}
    assert remove_note(set_note(prefixed, MARK), "C3") == prefixed
    assert read_notes(set_note(new_notes_part(), MARK)) == {"C3": MARK}


def test_a_note_shape_joins_a_drawing_with_a_check_box_and_leaves_it_as_it_was() -> None:
    drawn = add_note_shape(EXCEL_VML, "C3", ("240px", "60px"))
    assert CHECKBOX in drawn and drawn.startswith(EXCEL_VML[: EXCEL_VML.index(b"</xml>")])
    root = ElementTree.fromstring(drawn)
    v, x = "{urn:schemas-microsoft-com:vml}", "{urn:schemas-microsoft-com:office:excel}"
    shapes = root.findall(v + "shape")
    assert shapes[-1].get("id") == "_x0000_s3075", "numbered after every shape, in its block"
    assert shapes[-1].get("type") == "#_x0000_t202"
    data = shapes[-1].find(x + "ClientData")
    assert data is not None and data.get("ObjectType") == "Note"
    assert (data.findtext(x + "Row"), data.findtext(x + "Column")) == ("2", "2")
    assert "width:240px;height:60px" in (shapes[-1].get("style") or "")
    assert add_note_shape(drawn, "C3") == drawn, "one shape per note"
    assert remove_note_shape(drawn, "C3") == EXCEL_VML, "the check box at C3 is no note"
    assert remove_note_shape(EXCEL_VML, "C3") == EXCEL_VML


def test_a_drawing_with_only_form_controls_gets_the_note_shape_type() -> None:
    start = EXCEL_VML.index(b"<v:shapetype")
    controls_only = EXCEL_VML[:start] + CHECKBOX + b"</xml>"
    drawn = add_note_shape(controls_only, "A1")
    types = ElementTree.fromstring(drawn).findall("{urn:schemas-microsoft-com:vml}shapetype")
    assert [t.get("id") for t in types] == ["_x0000_t202"]
    assert CHECKBOX in drawn


def test_missing_namespace_bindings_are_declared_on_the_root() -> None:
    bare = b'<xml xmlns:v="urn:schemas-microsoft-com:vml"></xml>'
    drawn = add_note_shape(bare, "B2")
    assert drawn.startswith(
        b'<xml xmlns:v="urn:schemas-microsoft-com:vml" '
        b'xmlns:o="urn:schemas-microsoft-com:office:office" '
        b'xmlns:x="urn:schemas-microsoft-com:office:excel">'
    )
    ElementTree.fromstring(drawn)
    assert remove_note_shape(drawn, "B2").endswith(b"</xml>")


def test_vml_that_is_not_well_formed_is_still_edited_around() -> None:
    """Older Excel writes HTML in note text boxes (`<br>` never closed): never parsed."""
    loose = EXCEL_VML.replace(b"<div style='text-align:left'></div>", b"<div>a<br>b</div>", 1)
    drawn = add_note_shape(loose, "C3")
    assert b"<div>a<br>b</div>" in drawn and CHECKBOX in drawn
    assert remove_note_shape(drawn, "C3") == loose
    assert editable(loose) and not editable(b"<v:shape/>")


def test_new_drawings_and_shape_bookkeeping() -> None:
    drawing = new_drawing(4)
    drawn = add_note_shape(drawing, "A1")
    assert b'id="_x0000_s4097"' in drawn
    assert len(shape_spans(drawn)) == 1
    assert len(shape_spans(b"<xml><v:shape id='a'/><v:shape id='b'></v:shape></xml>")) == 2
    assert note_size(EXCEL_VML, "F3") == ("108pt", "59.25pt")
    assert note_size(EXCEL_VML, "A9") == ("144px", "79px")


@pytest.mark.parametrize(
    ("ref", "cell"), [("A1", (0, 0)), ("C3", (2, 2)), ("AA10", (9, 26)), ("$B$2", (1, 1))]
)
def test_cells_are_anchored_from_zero(ref: str, cell: tuple[int, int]) -> None:
    assert cell_of(ref) == cell


def test_a_phonetic_guide_is_not_part_of_the_note_text() -> None:
    xml = (
        b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors>'
        b'<author>Rina</author></authors><commentList><comment ref="A1" authorId="0"><text>'
        b'<r><t>Toko</t></r><r><t xml:space="preserve"> lama</t></r><rPh sb="0" eb="4">'
        b"<t>TOKO</t></rPh></text></comment></commentList></comments>"
    )
    assert read_notes(xml) == {"A1": Note("A1", "Rina", "Toko lama")}
