"""Feedback marks' notes, written into a staff sheet's own notes part and VML drawing.

Only the notes a mark brought or took back change, written as Excel writes them
(`legacy_notes`); the staff's notes, threaded comments' legacy notes and form controls in
the same parts stay byte for byte, and parts left empty go with their relationships.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from sheetsync.errors import SinkError
from sheetsync.workbook import legacy_notes
from sheetsync.workbook.package.parts import (
    NS_REL,
    SML,
    VML_TYPE,
    Parts,
    add_relationship,
    content_types,
    insert_before,
    relationships,
    rels_name,
    remove_relationship,
)

REL_COMMENTS = NS_REL + "/comments"
REL_VML = NS_REL + "/vmlDrawing"
REL_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
COMMENTS_TYPE = SML + "comments+xml"


def copy_notes(
    result: Parts,
    parts: Parts,
    copy: Parts,
    sheet: str,
    copied: str,
    is_mark_note: Callable[[legacy_notes.Note], bool],
) -> None:
    """A staff sheet's notes as in the openpyxl copy, written into the sheet's own parts.

    Only the notes a mark changed (its note added, changed or taken back) are written, as
    Excel writes them: a `<comment>` in the sheet's notes part and a note shape in its VML
    drawing (both created when the sheet has none). Everything else in those parts — the
    staff's notes, the legacy note of each threaded comment, form controls — stays byte for
    byte. A cell holding a threaded comment keeps it: Excel allows a comment or a note, not
    both, so a mark there is its fill (and its message in Validasi).
    """
    had, wanted = sheet_notes(parts, sheet), sheet_notes(copy, copied)
    threaded = threaded_refs(parts, sheet)

    def mark_came_or_went(ref: str) -> bool:
        before, after = had.get(ref), wanted.get(ref)
        return before != after and any(n is not None and is_mark_note(n) for n in (before, after))

    changed = sorted(
        r for r in had.keys() | wanted.keys() if r not in threaded and mark_came_or_went(r)
    )
    drawing = legacy_drawing(result, sheet)
    if not changed or (drawing is not None and not legacy_notes.editable(result[drawing])):
        return
    notes = notes_part(result, sheet) or add_notes_part(result, sheet)
    drawing = drawing or add_drawing(result, sheet)
    copied_drawing = legacy_drawing(copy, copied)
    for ref in changed:
        note = wanted.get(ref)
        if note is None:
            result[notes] = legacy_notes.remove_note(result[notes], ref)
            result[drawing] = legacy_notes.remove_note_shape(result[drawing], ref)
        else:
            size = legacy_notes.note_size(copy[copied_drawing], ref) if copied_drawing else None
            result[notes] = legacy_notes.set_note(result[notes], note)
            result[drawing] = legacy_notes.add_note_shape(
                result[drawing], ref, size or legacy_notes.DEFAULT_SIZE
            )
    drop_if_empty(result, sheet, notes, drawing)


def sheet_notes(parts: Mapping[str, bytes], sheet: str) -> dict[str, legacy_notes.Note]:
    name = notes_part(parts, sheet)
    return legacy_notes.read_notes(parts[name]) if name else {}


def notes_part(parts: Mapping[str, bytes], sheet: str) -> str | None:
    return next(
        (r.target for r in relationships(parts, sheet)
         if r.kind == REL_COMMENTS and r.target in parts),
        None,
    )  # fmt: skip


def threaded_refs(parts: Mapping[str, bytes], sheet: str) -> set[str]:
    """Cells of the sheet that hold a threaded comment."""
    found: set[str] = set()
    for rel in relationships(parts, sheet):
        if rel.kind == REL_THREADED and rel.target in parts:
            found.update(r.decode() for r in re.findall(rb'\bref="([^"]+)"', parts[rel.target]))
    return found


_LEGACY_DRAWING = re.compile(rb'<(?:\w+:)?legacyDrawing\b[^>]*?\b(?:\w+:)?id="([^"]+)"[^>]*/>')


def legacy_drawing(parts: Mapping[str, bytes], sheet: str) -> str | None:
    """The VML drawing the sheet shows its notes and form controls in (`<legacyDrawing>`;
    a header/footer picture's VML is another relationship of the same kind)."""
    found = _LEGACY_DRAWING.search(parts[sheet])
    if found is None:
        return None
    rid = found.group(1).decode()
    return next(
        (r.target for r in relationships(parts, sheet) if r.rid == rid and r.target in parts),
        None,
    )


def add_notes_part(parts: Parts, sheet: str) -> str:
    number = 1
    while f"xl/comments{number}.xml" in parts:
        number += 1
    name = f"xl/comments{number}.xml"
    parts[name] = legacy_notes.new_notes_part()
    add_relationship(parts, sheet, REL_COMMENTS, name)
    override = f'<Override PartName="/{name}" ContentType="{COMMENTS_TYPE}"/>'
    parts["[Content_Types].xml"] = insert_before(
        parts["[Content_Types].xml"], b"</Types>", override
    )
    return name


def add_drawing(parts: Parts, sheet: str) -> str:
    """A new VML drawing for the sheet's notes, tied to it by `<legacyDrawing>`."""
    number = 1
    while f"xl/drawings/vmlDrawing{number}.vml" in parts:
        number += 1
    name = f"xl/drawings/vmlDrawing{number}.vml"
    kinds = content_types(parts)
    blocks = [
        n for part, k in kinds.items() if k == VML_TYPE for n in legacy_notes.idmaps(parts[part])
    ]
    parts[name] = legacy_notes.new_drawing(max(blocks, default=0) + 1)
    if content_types(parts).get(name) != VML_TYPE:
        default = f'<Default Extension="vml" ContentType="{VML_TYPE}"/>'
        parts["[Content_Types].xml"] = insert_before(
            parts["[Content_Types].xml"], b"</Types>", default
        )
    rid = add_relationship(parts, sheet, REL_VML, name)
    parts[sheet] = insert_legacy_drawing(parts[sheet], rid)
    return name


# What a worksheet may hold after <legacyDrawing> (schema order); Excel wraps form controls
# and OLE objects in <mc:AlternateContent>, which only ever comes after it.
_AFTER_LEGACY_DRAWING = re.compile(
    rb"<(?:\w+:)?(?:legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|"
    rb"tableParts|extLst|AlternateContent)\b|</(?:\w+:)?worksheet>"
)
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")


def insert_legacy_drawing(sheet: bytes, rid: str) -> bytes:
    """The sheet with `<legacyDrawing r:id=…/>` in its place among the sheet's elements."""
    root = re.search(rb"<(\w+:)?worksheet\b[^>]*>", sheet)
    data_end = _SHEET_DATA_END.search(sheet)
    position = _AFTER_LEGACY_DRAWING.search(sheet, data_end.end()) if data_end else None
    if root is None or position is None:
        raise SinkError("Buku kerja rusak: <sheetData> atau </worksheet> tidak ditemukan.")
    bound = re.search(rb'xmlns:(\w+)="%s"' % re.escape(NS_REL.encode()), root.group(0))
    prefix = bound.group(1) if bound else b"r"
    declaration = b"" if bound else b' xmlns:r="%s"' % NS_REL.encode()
    element = b'<%slegacyDrawing%s %s:id="%s"/>' % (
        root.group(1) or b"",
        declaration,
        prefix,
        rid.encode(),
    )
    return sheet[: position.start()] + element + sheet[position.start() :]


def drop_if_empty(parts: Parts, sheet: str, notes: str, drawing: str) -> None:
    """A notes part with no note left, and a drawing with no shape left, hold nothing:
    they go, with their relationships (and the sheet's `<legacyDrawing>`)."""
    if not legacy_notes.read_notes(parts[notes]):
        del parts[notes]
        remove_relationship(parts, sheet, notes)
        pattern = rb'<Override\b[^>]*?PartName="/%s"[^>]*/>' % re.escape(notes.encode())
        parts["[Content_Types].xml"] = re.sub(pattern, b"", parts["[Content_Types].xml"])
    if not legacy_notes.has_shapes(parts[drawing]):
        del parts[drawing]
        rid = remove_relationship(parts, sheet, drawing)
        if rid is not None:
            pattern = rb'<(?:\w+:)?legacyDrawing\b[^>]*?id="%s"[^>]*/>' % re.escape(rid.encode())
            parts[sheet] = re.sub(pattern, b"", parts[sheet], count=1)
    if rels_name(sheet) in parts and not relationships(parts, sheet):
        del parts[rels_name(sheet)]
