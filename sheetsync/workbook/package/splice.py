"""The .xlsx package below openpyxl: what its save would drop, and a write that drops nothing.

Staff own the workbook and add things in Excel that openpyxl cannot model (threaded comments,
slicers, form controls, sparklines and other sheet extensions, chart features beyond its
model). Saving through openpyxl would silently delete them. So the xlsx backend first asks
`unkept_features` what a save would lose, comparing the package's parts, content types and
sheet/workbook extensions with what openpyxl models, and the openpyxl save itself with the
original. If anything would be lost it does not save the openpyxl copy; `splice_output_tabs`
builds the file from the original package instead:

- every part is copied byte for byte, except
- the output tabs (and the hidden marks tab) whose sheet parts come from the openpyxl copy,
  with their texts made inline so they need no shared-strings table;
- `styles.xml` comes from the openpyxl copy, which keeps every original cell format at its
  index and only appends (checked: `ensure_styles_compatible`), so staff cells keep their
  look and the output tabs' formats exist;
- staff cells whose format sheetsync changed (feedback marks added or taken back) get only
  their `s` attribute rewritten in the original sheet XML;
- a mark's note that came or went is written into the staff sheet's own notes part and VML
  drawing as Excel writes it (`legacy_notes`), beside the staff's notes, the legacy notes of
  threaded comments and form controls, which stay byte for byte; a cell holding a threaded
  comment keeps it (Excel allows a comment or a note there, not both): its mark is the fill;
- workbook.xml, its relationships and [Content_Types].xml gain entries for new output tabs.

Pure functions over bytes: the backend reads and writes the files.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from openpyxl.styles.stylesheet import Stylesheet

from sheetsync.errors import SinkError
from sheetsync.workbook import legacy_notes

Parts = dict[str, bytes]

SML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
OFFICE = "application/vnd.openxmlformats-officedocument."
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_OFFICE_DOCUMENT = NS_REL + "/officeDocument"
WORKSHEET_TYPE = SML + "worksheet+xml"
VML_TYPE = OFFICE + "vmlDrawing"

# Parts openpyxl reads and writes back (charts and drawings: checked by comparing, below).
MODELLED_TYPES = frozenset(
    [SML + s for s in ("sheet.main+xml", "worksheet+xml", "chartsheet+xml", "sharedStrings+xml",
                       "styles+xml", "comments+xml", "table+xml", "externalLink+xml",
                       "pivotTable+xml", "pivotCacheDefinition+xml", "pivotCacheRecords+xml")]
    + [OFFICE + s for s in ("theme+xml", "drawing+xml", "drawingml.chart+xml",
                            "extended-properties+xml", "custom-properties+xml", "vmlDrawing")]
    + ["application/vnd.openxmlformats-package.core-properties+xml",
       "application/vnd.openxmlformats-package.relationships+xml", "application/xml",
       "image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff", "image/x-emf",
       "image/x-wmf"]
)  # fmt: skip
# Dropped by openpyxl but rebuilt by Excel or of no content: formula order, printer driver data.
REBUILT_TYPES = frozenset([SML + "calcChain+xml", SML + "printerSettings"])

TYPE_LABELS = {
    "application/vnd.ms-excel.threadedcomments+xml": "komentar berutas (threaded comment)",
    "application/vnd.ms-excel.person+xml": "daftar penulis komentar berutas",
    "application/vnd.ms-excel.slicer+xml": "slicer",
    "application/vnd.ms-excel.slicerCache+xml": "slicer",
    "application/vnd.ms-excel.timeline+xml": "timeline",
    "application/vnd.ms-excel.timelineCache+xml": "timeline",
    "application/vnd.ms-excel.controlproperties+xml": "kontrol formulir (form control)",
    "application/vnd.ms-office.activeX+xml": "kontrol ActiveX",
    "application/vnd.ms-office.chartstyle+xml": "gaya diagram (chart style)",
    "application/vnd.ms-office.chartcolorstyle+xml": "warna diagram (chart colors)",
    "application/vnd.ms-office.chartex+xml": "diagram jenis baru (chartEx)",
    SML + "connections+xml": "koneksi data",
    SML + "queryTable+xml": "tabel kueri",
    OFFICE + "customXmlProperties+xml": "data XML kustom",
    SML + "pivotTable+xml": "tabel pivot",
    SML + "pivotCacheDefinition+xml": "cache tabel pivot",
    SML + "pivotCacheRecords+xml": "cache tabel pivot",
    OFFICE + "drawing+xml": "gambar atau bentuk (shape)",
    OFFICE + "drawingml.chart+xml": "fitur diagram (chart)",
}
EXTENSION_LABELS = {
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "sparkline",
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "validasi data lanjutan",
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": "format bersyarat lanjutan",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "slicer",
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": "slicer",
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": "timeline",
    "{BBE1A952-AA13-448E-AADC-164F8A28A991}": "slicer",
    "{46BE6895-7355-4A93-B00E-2C351335B9C9}": "slicer",
    "{D0CA8CA8-9F24-4464-BF8E-62219DCF47F9}": "timeline",
    "{FCE2AD5D-F65C-4FA6-A056-5C36A1767C68}": "model data (Power Pivot)",
}
# Workbook extensions with no content of staff's own (Excel's file-format bookkeeping).
HARMLESS_WORKBOOK_EXTENSIONS = frozenset(
    {"{140A7094-0E35-4892-8432-C4D2E57EDEB5}", "{79F54976-1DA5-4618-B147-4CDE4B953A38}",
     "{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}"}
)  # fmt: skip
_EXT_URI = re.compile(rb'<(?:\w+:)?ext\b[^>]*?\buri="([^"]+)"')
_VML_OBJECT = re.compile(rb'ObjectType="([^"]+)"')


# --------------------------------------------------------------------------------------------
# Reading the package


def read_parts(data: bytes) -> Parts:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def content_types(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Part name -> content type, from [Content_Types].xml (overrides win over defaults)."""
    root = ElementTree.fromstring(parts["[Content_Types].xml"])
    defaults, overrides = {}, {}
    for node in root:
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "Default":
            defaults[node.get("Extension", "").lower()] = node.get("ContentType", "")
        elif tag == "Override":
            overrides[node.get("PartName", "").lstrip("/")] = node.get("ContentType", "")
    found = {}
    for name in parts:
        if name.endswith("/") or name == "[Content_Types].xml":
            continue
        kind = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        found[name] = kind
    return found


@dataclass(frozen=True, slots=True)
class Relationship:
    rid: str
    kind: str
    target: str  # resolved part name, or the URL for external targets
    external: bool


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships(parts: Mapping[str, bytes], source: str) -> list[Relationship]:
    """The relationships of `source` ('' for the package), targets resolved to part names."""
    data = parts.get(rels_name(source) if source else "_rels/.rels")
    if data is None:
        return []
    found = []
    for node in ElementTree.fromstring(data):
        target, external = node.get("Target", ""), node.get("TargetMode") == "External"
        if not external:
            base = posixpath.dirname(source)
            joined = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            target = posixpath.normpath(joined)
        found.append(Relationship(node.get("Id", ""), node.get("Type", ""), target, external))
    return found


def workbook_part(parts: Mapping[str, bytes]) -> str:
    for rel in relationships(parts, ""):
        if rel.kind == REL_OFFICE_DOCUMENT:
            return rel.target
    return "xl/workbook.xml"


@dataclass(frozen=True, slots=True)
class SheetEntry:
    name: str
    part: str
    rid: str


def sheet_entries(parts: Mapping[str, bytes]) -> list[SheetEntry]:
    """The worksheets in workbook order, with their part names."""
    book = workbook_part(parts)
    targets = {r.rid: r.target for r in relationships(parts, book)}
    entries = []
    for node in ElementTree.fromstring(parts[book]).iter(f"{{{NS_MAIN}}}sheet"):
        rid = node.get(f"{{{NS_REL}}}id", "")
        if rid in targets:
            entries.append(SheetEntry(node.get("name", ""), targets[rid], rid))
    return entries


# --------------------------------------------------------------------------------------------
# What a save through openpyxl would lose


def unkept_features(original: bytes, saved: bytes | None = None) -> list[str]:
    """Labels (Indonesian) of what the workbook holds and an openpyxl save would drop.

    Without `saved` only the package itself is inspected (cheap: done on every read); with
    the openpyxl copy, parts that went missing and chart/drawing elements that did not come
    back are found too.
    """
    parts = read_parts(original)
    found = unmodelled_parts(parts) + unmodelled_extensions(parts)
    if saved is not None:
        copy = read_parts(saved)
        found += missing_parts(parts, copy) + missing_elements(parts, copy)
    return list(dict.fromkeys(found))


def unmodelled_parts(parts: Mapping[str, bytes]) -> list[str]:
    found = []
    for name, kind in content_types(parts).items():
        if kind in REBUILT_TYPES:
            continue
        if kind not in MODELLED_TYPES:
            found.append(TYPE_LABELS.get(kind, f"bagian {name} ({kind or 'jenis tak dikenal'})"))
        elif kind == VML_TYPE and set(_VML_OBJECT.findall(parts[name])) - {b"Note"}:
            found.append(TYPE_LABELS["application/vnd.ms-excel.controlproperties+xml"])
    return found


def unmodelled_extensions(parts: Mapping[str, bytes]) -> list[str]:
    """openpyxl removes every worksheet extension (x14 sparklines, validations, slicers …)
    and the workbook's (slicer caches, data model)."""
    kinds = content_types(parts)
    found = []
    for name, kind in kinds.items():
        if kind == WORKSHEET_TYPE:
            found += [extension_label(uri) for uri in _EXT_URI.findall(parts[name])]
    book = workbook_part(parts)
    for uri in _EXT_URI.findall(parts.get(book, b"")):
        if uri.decode().upper() not in HARMLESS_WORKBOOK_EXTENSIONS:
            found.append(extension_label(uri))
    return found


def extension_label(uri: bytes) -> str:
    text = uri.decode(errors="replace").upper()
    return EXTENSION_LABELS.get(text, f"ekstensi Excel {text}")


# Notes: openpyxl keeps every one it reads; fewer notes parts after a save means sheetsync took
# its own marks back (form controls in a VML part are found by `unmodelled_parts`).
# A sheet left with no related part loses its relationships part too: nothing of its own.
NOTE_TYPES = frozenset(
    [SML + "comments+xml", VML_TYPE, "application/vnd.openxmlformats-package.relationships+xml"]
)


def missing_parts(original: Mapping[str, bytes], saved: Mapping[str, bytes]) -> list[str]:
    """Content types with fewer parts after the save (an image openpyxl could not read …)."""
    before, after = type_counts(original), type_counts(saved)
    return [
        TYPE_LABELS.get(kind, f"bagian berjenis {kind}")
        for kind, count in before.items()
        if kind not in REBUILT_TYPES | NOTE_TYPES and after.get(kind, 0) < count
    ]


def type_counts(parts: Mapping[str, bytes]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind in content_types(parts).values():
        counts[kind] = counts.get(kind, 0) + 1
    return counts


COMPARED_TYPES = (OFFICE + "drawingml.chart+xml", OFFICE + "drawing+xml")
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/"
# Bookkeeping Excel adds to every drawing and picture, with nothing staff made inside it: the
# extension containers (their contents are compared), object ids and an image DPI flag.
BOOKKEEPING_TAGS = frozenset(
    [f"{{{DRAWING_NS}{ns}}}{tag}" for ns in ("main", "chart") for tag in ("extLst", "ext")]
    + ["{http://schemas.microsoft.com/office/drawing/2014/main}creationId",
       "{http://schemas.microsoft.com/office/drawing/2010/main}useLocalDpi",
       "{http://schemas.microsoft.com/office/drawing/2014/chart}uniqueId"]
)  # fmt: skip


def missing_elements(original: Mapping[str, bytes], saved: Mapping[str, bytes]) -> list[str]:
    """Chart and drawing elements (shapes, text boxes, newer chart options) not written back."""
    before, after = content_types(original), content_types(saved)
    found = []
    for kind in COMPARED_TYPES:
        old = element_tags(original[n] for n, k in before.items() if k == kind)
        new = element_tags(saved[n] for n, k in after.items() if k == kind)
        if old - new - BOOKKEEPING_TAGS:
            found.append(TYPE_LABELS[kind])
    return found


def element_tags(documents: Iterable[bytes]) -> set[str]:
    tags: set[str] = set()
    for data in documents:
        tags.update(str(node.tag) for node in ElementTree.fromstring(data).iter())
    return tags


# --------------------------------------------------------------------------------------------
# Writing the output tabs into the original package


def splice_output_tabs(
    original: bytes,
    saved: bytes,
    tabs: Sequence[str],
    hidden: Iterable[str] = (),
    is_mark_note: Callable[[legacy_notes.Note], bool] = lambda note: True,
) -> bytes:
    """The original package with the named tabs (and staff cells' formats) from `saved`.

    Notes are taken from `saved` only where one side is a mark's note (`is_mark_note`): a
    staff's note openpyxl merely wrote differently stays as the staff's program wrote it.
    """
    parts, copy = read_parts(original), read_parts(saved)
    copy[styles_part(copy)] = aligned_styles(parts[styles_part(parts)], copy[styles_part(copy)])
    ensure_styles_compatible(parts, copy)
    result = dict(parts)
    result[styles_part(parts)] = copy[styles_part(copy)]
    ours = {e.name: e for e in sheet_entries(copy)}
    theirs = {e.name: e for e in sheet_entries(parts)}
    strings = shared_strings(copy)
    for name in tabs:
        xml = inline_strings(copy[ours[name].part], strings)
        if name in theirs:
            result[theirs[name].part] = xml
            result.pop(rels_name(theirs[name].part), None)  # an output tab owns nothing else
        else:
            add_sheet(result, name, xml, hidden=name in set(hidden))
    for name, entry in theirs.items():
        if name not in tabs and name in ours:
            result[entry.part] = patch_cell_styles(parts[entry.part], copy[ours[name].part])
            copy_notes(result, parts, copy, entry.part, ours[name].part, is_mark_note)
    return write_parts(result, order=list(parts))


def styles_part(parts: Mapping[str, bytes]) -> str:
    for name, kind in content_types(parts).items():
        if kind == SML + "styles+xml":
            return name
    raise SinkError("Buku kerja tidak memiliki bagian styles.xml; simpan ulang dari Excel.")


def ensure_styles_compatible(original: Mapping[str, bytes], saved: Mapping[str, bytes]) -> None:
    """Every cell format of the original must mean the same at the same index in the copy,
    and custom number-format ids (pivot caches refer to them) must keep their codes."""
    before = Stylesheet.from_tree(ElementTree.fromstring(original[styles_part(original)]))
    after = Stylesheet.from_tree(ElementTree.fromstring(saved[styles_part(saved)]))
    old, new = resolved_formats(before), resolved_formats(after)
    kept_ids = raw_formats(original).items() <= raw_formats(saved).items()
    same_dxfs = list(after.dxfs)[: len(before.dxfs)] == list(before.dxfs)
    if not (kept_ids and same_dxfs and new[: len(old)] == old):
        raise SinkError(
            "Format sel buku kerja tidak dapat dipertahankan apa adanya bila tab keluaran "
            "ditulis, jadi buku kerja tidak diubah. Simpan ulang buku kerja dari Excel lalu "
            "jalankan lagi; bila tetap gagal, laporkan ke operator."
        )


def raw_formats(parts: Mapping[str, bytes]) -> dict[int, str]:
    """Custom number formats as the file states them (openpyxl renumbers when it reads)."""
    return number_formats_of(parts[styles_part(parts)])


def number_formats_of(styles: bytes) -> dict[int, str]:
    listed = ElementTree.fromstring(styles).find(f"{{{NS_MAIN}}}numFmts")
    if listed is None:
        return {}
    return {
        int(node.get("numFmtId", "0")): node.get("formatCode", "")
        for node in listed.iter(f"{{{NS_MAIN}}}numFmt")
    }


_NUMFMT_ID = re.compile(rb'numFmtId="(\d+)"')


def aligned_styles(original: bytes, saved: bytes) -> bytes:
    """The copy's styles.xml with custom number formats numbered as in the original.

    openpyxl renumbers them from 164 in the order cells use them, but pivot tables and
    their caches (kept byte for byte) refer to the original ids. Formats the original lists
    and no cell uses are listed again, for the same reason.
    """
    before, after = number_formats_of(original), number_formats_of(saved)
    by_code = {code: number for number, code in before.items()}
    fresh = itertools.count(max([163, *before, *after]) + 1)
    mapping = {number: by_code.get(code) or next(fresh) for number, code in after.items()}

    def renumber(match: re.Match[bytes]) -> bytes:
        number = int(match.group(1))
        return b'numFmtId="%d"' % mapping.get(number, number)

    renumbered = _NUMFMT_ID.sub(renumber, saved)
    used = set(mapping.values())
    return add_number_formats(renumbered, {n: c for n, c in before.items() if n not in used})


def add_number_formats(styles: bytes, formats: Mapping[int, str]) -> bytes:
    if not formats:
        return styles
    entries = "".join(
        f"<numFmt numFmtId={quoteattr(str(n))} formatCode={quoteattr(c)}/>"
        for n, c in sorted(formats.items())
    ).encode("utf-8")
    listed = re.search(rb'<numFmts\b[^>]*?count="(\d+)"[^>]*>', styles)
    if listed is not None:
        count = int(listed.group(1)) + len(formats)
        opening = re.sub(rb'count="\d+"', b'count="%d"' % count, listed.group(0))
        return styles[: listed.start()] + opening + entries + styles[listed.end() :]
    opening_tag = re.search(rb"<styleSheet\b[^>]*>", styles)
    if opening_tag is None:
        raise SinkError("Buku kerja rusak: styles.xml tanpa <styleSheet>.")
    block = b'<numFmts count="%d">' % len(formats) + entries + b"</numFmts>"
    return styles[: opening_tag.end()] + block + styles[opening_tag.end() :]


def resolved_formats(sheet: Stylesheet) -> list[tuple[object, ...]]:
    """Each cell format with its font, fill, border and number format spelled out."""
    fonts, fills, borders = list(sheet.fonts), list(sheet.fills), list(sheet.borders)
    formats = dict(enumerate(sheet.number_formats, start=164))
    resolved: list[tuple[object, ...]] = []
    for xf in sheet.cell_styles:
        resolved.append(
            (
                fonts[xf.fontId] if xf.fontId < len(fonts) else None,
                fills[xf.fillId] if xf.fillId < len(fills) else None,
                borders[xf.borderId] if xf.borderId < len(borders) else None,
                formats.get(xf.numFmtId, xf.numFmtId),
                sheet.alignments[xf.alignmentId] if xf.alignmentId else None,
                sheet.protections[xf.protectionId] if xf.protectionId else None,
                xf.quotePrefix,
            )
        )
    return resolved


def shared_strings(parts: Mapping[str, bytes]) -> list[str]:
    name = next((n for n, k in content_types(parts).items() if k == SML + "sharedStrings+xml"), "")
    if not name:
        return []
    texts = []
    for item in ElementTree.fromstring(parts[name]).iter(f"{{{NS_MAIN}}}si"):
        runs = [t.text or "" for t in item.iter(f"{{{NS_MAIN}}}t") if not in_phonetic(item, t)]
        texts.append("".join(runs))
    return texts


def in_phonetic(item: ElementTree.Element, text: ElementTree.Element) -> bool:
    return any(text in list(rph.iter()) for rph in item.iter(f"{{{NS_MAIN}}}rPh"))


_SHARED_CELL = re.compile(rb'<c\b([^>]*?)\bt="s"([^>]*)><v>(\d+)</v></c>')


def inline_strings(sheet: bytes, strings: Sequence[str]) -> bytes:
    """Shared-string cells of an output tab as inline strings: the original package's
    shared-strings table stays as it is."""

    def inline(match: re.Match[bytes]) -> bytes:
        text = escape(strings[int(match.group(3))]).encode("utf-8")
        attrs = match.group(1) + b't="inlineStr"' + match.group(2)
        return b"<c" + attrs + b'><is><t xml:space="preserve">' + text + b"</t></is></c>"

    return _SHARED_CELL.sub(inline, sheet)


def add_sheet(parts: Parts, name: str, xml: bytes, *, hidden: bool) -> None:
    """A new worksheet part, listed in workbook.xml, its relationships and content types."""
    book = workbook_part(parts)
    number = 1
    while f"xl/worksheets/sheet{number}.xml" in parts:
        number += 1
    part = f"xl/worksheets/sheet{number}.xml"
    parts[part] = xml
    rid = unused_rid(parts, book)
    target = posixpath.relpath(part, posixpath.dirname(book))
    relation = f'<Relationship Id="{rid}" Type="{REL_WORKSHEET}" Target="{target}"/>'
    parts[rels_name(book)] = insert_before(parts[rels_name(book)], b"</Relationships>", relation)
    sheet_id = 1 + max((int(i) for i in re.findall(rb'sheetId="(\d+)"', parts[book])), default=0)
    state = ' state="hidden"' if hidden else ""
    entry = (
        f'<sheet xmlns:r="{NS_REL}" name={quoteattr(name)} sheetId="{sheet_id}"{state} '
        f'r:id="{rid}"/>'
    )
    parts[book] = insert_before(parts[book], b"</sheets>", entry, prefixed=True)
    override = f'<Override PartName="/{part}" ContentType="{WORKSHEET_TYPE}"/>'
    parts["[Content_Types].xml"] = insert_before(
        parts["[Content_Types].xml"], b"</Types>", override
    )


def unused_rid(parts: Mapping[str, bytes], source: str) -> str:
    used = {r.rid for r in relationships(parts, source)}
    number = len(used) + 1
    while f"rId{number}" in used:
        number += 1
    return f"rId{number}"


def insert_before(document: bytes, closing: bytes, text: str, *, prefixed: bool = False) -> bytes:
    """Insert `text` before the closing tag (allowing a namespace prefix on it)."""
    pattern = re.compile(rb"</(\w+:)?" + re.escape(closing[2:]) if prefixed else re.escape(closing))
    matches = list(pattern.finditer(document))
    if not matches:
        raise SinkError(f"Buku kerja rusak: {closing.decode()} tidak ditemukan.")
    start = matches[-1].start()
    return document[:start] + text.encode("utf-8") + document[start:]


# --------------------------------------------------------------------------------------------
# Feedback marks: only a staff cell's format index changes


_CELL = re.compile(rb"<c\b[^>]*?/?>")
_ATTR = re.compile(rb'\b(r|s)="([^"]*)"')


def cell_styles(sheet: bytes) -> dict[bytes, tuple[int, int, int]]:
    """Cell reference -> (format index, start, end of its opening tag) for a sheet's cells."""
    found = {}
    for match in _CELL.finditer(sheet):
        attrs = dict(_ATTR.findall(match.group(0)))
        if b"r" in attrs:
            found[attrs[b"r"]] = (int(attrs.get(b"s", b"0")), match.start(), match.end())
    return found


def patch_cell_styles(original: bytes, saved: bytes) -> bytes:
    """The original sheet with the format index of each cell whose format differs in `saved`
    (a mark added or taken back); values, formulas and everything else stay as they were."""
    old, new = cell_styles(original), cell_styles(saved)
    # openpyxl leaves out an empty cell with the default format: its format index is 0
    wanted = {ref: new.get(ref, (0, 0, 0))[0] for ref in old.keys() | new.keys()}
    changes = {ref: s for ref, s in wanted.items() if old.get(ref, (0, 0, 0))[0] != s}
    if not changes:
        return original
    result = original
    existing = sorted(
        ((old[ref][1], old[ref][2], s) for ref, s in changes.items() if ref in old), reverse=True
    )
    for start, end, style in existing:
        result = result[:start] + with_style(result[start:end], style) + result[end:]
    for ref, style in changes.items():
        if ref not in old:
            result = insert_cell(result, ref, style)
    return result


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


def add_relationship(parts: Parts, source: str, kind: str, target: str) -> str:
    rid = unused_rid(parts, source)
    relative = posixpath.relpath(target, posixpath.dirname(source))
    relation = f'<Relationship Id="{rid}" Type="{kind}" Target="{relative}"/>'
    name = rels_name(source)
    if name not in parts:
        parts[name] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_REL}"></Relationships>'
        ).encode()
    parts[name] = insert_before(parts[name], b"</Relationships>", relation)
    return rid


def remove_relationship(parts: Parts, source: str, target: str) -> str | None:
    """Drop the relationship of `source` to `target`; its id, if there was one."""
    for rel in relationships(parts, source):
        if rel.target == target and not rel.external:
            pattern = rb'<Relationship\b[^>]*?\bId="%s"[^>]*/>' % re.escape(rel.rid.encode())
            parts[rels_name(source)] = re.sub(pattern, b"", parts[rels_name(source)], count=1)
            return rel.rid
    return None


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


def with_style(tag: bytes, style: int) -> bytes:
    if re.search(rb'\bs="\d*"', tag):
        return re.sub(rb'\bs="\d*"', b's="%d"' % style, tag, count=1)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:end] + b' s="%d"' % style + tag[end:]


_REF = re.compile(rb"([A-Z]+)(\d+)")


def column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def insert_cell(sheet: bytes, ref: bytes, style: int) -> bytes:
    """Add an empty formatted cell in its row (the row is created when it has no cells)."""
    match = _REF.fullmatch(ref)
    if match is None:
        return sheet
    letters, row = match.group(1), int(match.group(2))
    cell = b'<c r="%s" s="%d"/>' % (ref, style)
    row_match = re.search(rb'<row\b[^>]*\br="%d"[^>]*?(/?)>' % row, sheet)
    if row_match is None:
        return insert_row(sheet, row, cell)
    if row_match.group(1) == b"/":
        tag = row_match.group(0)[:-2] + b">" + cell + b"</row>"
        return sheet[: row_match.start()] + tag + sheet[row_match.end() :]
    end = sheet.index(b"</row>", row_match.end())
    position = end
    for existing in _CELL.finditer(sheet, row_match.end(), end):
        other = re.search(rb'\br="([A-Z]+)\d+"', existing.group(0))
        if other and column_number(other.group(1)) > column_number(letters):
            position = existing.start()
            break
    return sheet[:position] + cell + sheet[position:]


def insert_row(sheet: bytes, row: int, cell: bytes) -> bytes:
    new = b'<row r="%d">%s</row>' % (row, cell)
    for match in re.finditer(rb'<row\b[^>]*\br="(\d+)"', sheet):
        if int(match.group(1)) > row:
            return sheet[: match.start()] + new + sheet[match.start() :]
    if b"<sheetData/>" in sheet:
        return sheet.replace(b"<sheetData/>", b"<sheetData>" + new + b"</sheetData>", 1)
    return sheet.replace(b"</sheetData>", new + b"</sheetData>", 1)


def write_parts(parts: Mapping[str, bytes], order: Sequence[str]) -> bytes:
    """A zip with the parts in their original order, new ones after."""
    names = [n for n in order if n in parts] + [n for n in parts if n not in set(order)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, parts[name])
    return buffer.getvalue()
