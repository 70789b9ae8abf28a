"""Notes (Excel's legacy comments) edited in place: one `<comment>`, one VML shape at a time.

When sheetsync writes into the original .xlsx package (`package/splice.py`), a staff
sheet's notes part and its VML drawing also hold what openpyxl cannot rewrite: the legacy
note Excel writes beside each threaded comment ("[Threaded comment] …", author `tc={id}`)
and form controls, which share the sheet's one VML drawing with the notes. So a feedback
mark's note is added, changed or taken back here as bytes — its `<comment>` in the notes
part, its `<v:shape>` in the drawing — the way Excel itself writes them, and every other
byte of both parts stays as it was (VML is not always well-formed XML, so it is never
parsed and rewritten whole).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.sax.saxutils import escape

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
VML_NS = {
    "v": b"urn:schemas-microsoft-com:vml",
    "o": b"urn:schemas-microsoft-com:office:office",
    "x": b"urn:schemas-microsoft-com:office:excel",
}
DEFAULT_SIZE = ("144px", "79px")  # Excel's size for a new note


@dataclass(frozen=True, slots=True)
class Note:
    ref: str
    author: str
    text: str


# --------------------------------------------------------------------------------------------
# The notes part (xl/commentsN.xml)


def read_notes(xml: bytes) -> dict[str, Note]:
    """Cell reference -> note, as staff read it (the text of every run, joined; phonetic
    guides are not part of it)."""
    root = ElementTree.fromstring(xml)
    authors = [a.text or "" for a in root.iter(f"{{{NS_MAIN}}}author")]
    found = {}
    for node in root.iter(f"{{{NS_MAIN}}}comment"):
        number = int(node.get("authorId", "0") or 0)
        author = authors[number] if 0 <= number < len(authors) else ""
        runs = node.findall(f"{{{NS_MAIN}}}text/{{{NS_MAIN}}}t")
        runs += node.findall(f"{{{NS_MAIN}}}text/{{{NS_MAIN}}}r/{{{NS_MAIN}}}t")
        ref = node.get("ref", "")
        found[ref] = Note(ref, author, "".join(t.text or "" for t in runs))
    return found


def new_notes_part() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<comments xmlns="{NS_MAIN}"><authors/><commentList/></comments>'
    ).encode()


def _prefix(xml: bytes) -> bytes:
    """The namespace prefix of the part's elements ('' or 'x:'), from its root tag."""
    root = re.search(rb"<(\w+:)?comments\b", xml)
    if root is None:
        raise ValueError("not a notes part")
    return root.group(1) or b""


_PLACE = b"\x00note\x00"  # where a replaced note stood (no XML part holds a NUL byte)


def remove_note(xml: bytes, ref: str) -> bytes:
    """The part without the note at `ref`; its author goes too when listed last and no
    other note is theirs (as set_note appended it), so adding and taking back a note gives
    the part back byte for byte."""
    return _cut_note(xml, ref).replace(_PLACE, b"")


def _cut_note(xml: bytes, ref: str) -> bytes:
    """The part with the note at `ref` replaced by `_PLACE` (and its author dropped when
    listed last and no other note is theirs)."""
    p = re.escape(_prefix(xml))
    pattern = rb'<%scomment\s[^>]*?\bref="%s"[^>]*>.*?</%scomment>' % (p, ref.encode(), p)
    found = re.search(pattern, xml, re.DOTALL)
    if found is None:
        return xml
    xml = xml[: found.start()] + _PLACE + xml[found.end() :]
    author_id = re.search(rb'\bauthorId="(\d+)"', found.group(0))
    last = len(author_names(xml)) - 1
    used = {int(n) for n in re.findall(rb'<%scomment\s[^>]*?\bauthorId="(\d+)"' % p, xml)}
    if author_id is not None and int(author_id.group(1)) == last and last not in used:
        entries = list(re.finditer(_author_pattern(p), xml, re.DOTALL))
        xml = xml[: entries[-1].start()] + xml[entries[-1].end() :]
    return xml


def _author_pattern(p: bytes) -> bytes:
    return rb"<%sauthor\b(?:\s*/>|[^>]*>(.*?)</%sauthor>)" % (p, p)


def author_names(xml: bytes) -> list[bytes]:
    return re.findall(_author_pattern(re.escape(_prefix(xml))), xml, re.DOTALL)


def set_note(xml: bytes, note: Note) -> bytes:
    """The part with `note` at its cell, in the place of the note it replaces (else last in
    the list), its author listed."""
    xml = _cut_note(xml, note.ref)
    p = _prefix(xml)
    xml, author_id = with_author(xml, note.author, p)
    text = escape(note.text).encode("utf-8")
    comment = (
        b'<%scomment ref="%s" authorId="%d" shapeId="0"><%stext><%st xml:space="preserve">'
        % (p, note.ref.encode(), author_id, p, p)
        + text
        + b"</%st></%stext></%scomment>" % (p, p, p)
    )
    if _PLACE in xml:
        return xml.replace(_PLACE, comment)
    empty = re.search(rb"<%scommentList\s*/>" % re.escape(p), xml)
    if empty is not None:
        block = b"<%scommentList>" % p + comment + b"</%scommentList>" % p
        return xml[: empty.start()] + block + xml[empty.end() :]
    closing = xml.rindex(b"</%scommentList>" % p)
    return xml[:closing] + comment + xml[closing:]


def with_author(xml: bytes, author: str, p: bytes = b"") -> tuple[bytes, int]:
    """The part with `author` listed, and the author's index."""
    names = author_names(xml)
    wanted = escape(author).encode("utf-8")
    if wanted in names:
        return xml, names.index(wanted)
    entry = b"<%sauthor>" % p + wanted + b"</%sauthor>" % p
    empty = re.search(rb"<%sauthors\s*/>" % re.escape(p), xml)
    if empty is not None:
        block = b"<%sauthors>" % p + entry + b"</%sauthors>" % p
        return xml[: empty.start()] + block + xml[empty.end() :], len(names)
    closing = xml.rindex(b"</%sauthors>" % p)
    return xml[:closing] + entry + xml[closing:], len(names)


# --------------------------------------------------------------------------------------------
# The VML drawing (xl/drawings/vmlDrawingN.vml): one shape per note, form controls beside them


_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_IDMAP = re.compile(rb'<\w+:idmap\b[^>]*\bdata="(\d+)')
_ROOT = re.compile(rb"<xml\b[^>]*>")


def new_drawing(idmap: int) -> bytes:
    """An empty drawing whose shapes are numbered in block `idmap` (unique in the workbook)."""
    return (
        b'<xml xmlns:v="%s" xmlns:o="%s" xmlns:x="%s">'
        b'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%d"/></o:shapelayout></xml>'
        % (VML_NS["v"], VML_NS["o"], VML_NS["x"], idmap)
    )


def idmaps(vml: bytes) -> list[int]:
    return [int(n) for n in _IDMAP.findall(vml)]


def editable(vml: bytes) -> bool:
    """A drawing whose shapes can be found and added to: an `<xml>` root Excel can read."""
    return _ROOT.search(vml) is not None and vml.rstrip().endswith(b"</xml>")


def prefixes(vml: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The drawing with the v, o and x namespaces bound on its root, and their prefixes."""
    root = _ROOT.search(vml)
    if root is None:
        raise ValueError("not a VML drawing")
    found, missing = {}, b""
    for name, uri in VML_NS.items():
        bound = re.search(rb'xmlns:(\w+)="%s"' % re.escape(uri), root.group(0))
        if bound is not None:
            found[name] = bound.group(1)
        else:
            prefix = fresh_prefix(root.group(0), name.encode())
            found[name] = prefix
            missing += b' xmlns:%s="%s"' % (prefix, uri)
    if missing:
        end = root.end() - 1
        vml = vml[:end] + missing + vml[end:]
    return vml, found


def fresh_prefix(root: bytes, wanted: bytes) -> bytes:
    prefix, number = wanted, 0
    while re.search(rb"xmlns:%s=" % prefix, root):
        number += 1
        prefix = wanted + b"%d" % number
    return prefix


def shape_spans(vml: bytes) -> list[tuple[int, int]]:
    """(start, end) of every shape element (not shape types) in the drawing."""
    pattern = rb"<(\w+:)?shape\b(?:[^>]*?/>|[^>]*>.*?</\1?shape>)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, vml, re.DOTALL)]


def cell_of(ref: str) -> tuple[int, int]:
    """0-based (row, column) of a reference such as 'C2', as VML anchors notes."""
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    column = 0
    for char in match.group(1):
        column = column * 26 + ord(char) - 64
    return int(match.group(2)) - 1, column - 1


def note_shape_span(vml: bytes, ref: str) -> tuple[int, int] | None:
    """The note's shape at `ref` (form controls' shapes are never it)."""
    row, column = cell_of(ref)
    row_tag = re.compile(rb"<(?:\w+:)?Row>\s*%d\s*</" % row)
    column_tag = re.compile(rb"<(?:\w+:)?Column>\s*%d\s*</" % column)
    for start, end in shape_spans(vml):
        shape = vml[start:end]
        if (
            re.search(rb'ObjectType="Note"', shape)
            and row_tag.search(shape)
            and column_tag.search(shape)
        ):
            return start, end
    return None


def has_shapes(vml: bytes) -> bool:
    return bool(shape_spans(vml))


def remove_note_shape(vml: bytes, ref: str) -> bytes:
    span = note_shape_span(vml, ref)
    return vml if span is None else vml[: span[0]] + vml[span[1] :]


def note_size(vml: bytes, ref: str) -> tuple[str, str]:
    """Width and height of the note's shape at `ref` (Excel's default when there is none)."""
    span = note_shape_span(vml, ref)
    shape = vml[span[0] : span[1]] if span else b""
    width = re.search(rb"width:\s*([\d.]+(?:px|pt))", shape)
    height = re.search(rb"height:\s*([\d.]+(?:px|pt))", shape)
    if width is None or height is None:
        return DEFAULT_SIZE
    return width.group(1).decode(), height.group(1).decode()


def add_note_shape(vml: bytes, ref: str, size: tuple[str, str] = DEFAULT_SIZE) -> bytes:
    """The drawing with a hidden note shape at `ref`, numbered after every shape it holds."""
    if note_shape_span(vml, ref) is not None:
        return vml
    vml, ns = prefixes(vml)
    v, o, x = ns["v"], ns["o"], ns["x"]
    added = b""
    if not re.search(rb'<\w+:shapetype\b[^>]*\bid="_x0000_t202"', vml):
        added += (
            b'<%s:shapetype id="_x0000_t202" coordsize="21600,21600" %s:spt="202" '
            b'path="m,l,21600r21600,l21600,xe"><%s:stroke joinstyle="miter"/>'
            b'<%s:path gradientshapeok="t" %s:connecttype="rect"/></%s:shapetype>'
        ) % (v, o, v, v, o, v)
    block = (idmaps(vml) or [1])[0]
    number = max([block * 1024, *(int(n) for n in _SHAPE_ID.findall(vml))]) + 1
    row, column = cell_of(ref)
    width, height = (s.encode() for s in size)
    added += (
        b'<%s:shape id="_x0000_s%d" type="#_x0000_t202" style="position:absolute;'
        b"margin-left:59.25pt;margin-top:1.5pt;width:%s;height:%s;z-index:%d;"
        b'visibility:hidden" fillcolor="#ffffe1" %s:insetmode="auto">'
        b'<%s:fill color2="#ffffe1"/><%s:shadow color="black" obscured="t"/>'
        b'<%s:path %s:connecttype="none"/><%s:textbox style="mso-direction-alt:auto">'
        b'<div style="text-align:left"></div></%s:textbox>'
        b'<%s:ClientData ObjectType="Note"><%s:MoveWithCells/><%s:SizeWithCells/>'
        b"<%s:AutoFill>False</%s:AutoFill><%s:Row>%d</%s:Row><%s:Column>%d</%s:Column>"
        b"</%s:ClientData></%s:shape>"
    ) % (
        v, number, width, height, len(shape_spans(vml)) + 1, o,
        v, v, v, o, v, v,
        x, x, x, x, x, x, row, x, x, column, x, x, v,
    )  # fmt: skip
    closing = vml.rindex(b"</xml>")
    return vml[:closing] + added + vml[closing:]
