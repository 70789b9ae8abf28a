"""What a save through openpyxl would lose, in labels staff can read.

openpyxl models only part of what Excel writes: a workbook with threaded comments, slicers,
form controls, sparklines or newer chart features would lose them silently. The xlsx
backend asks `unkept_features` before it writes, and splices instead of saving when the
answer is not empty; `TYPE_LABELS` names the parts in its messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from xml.etree import ElementTree

from sheetsync.workbook.package.parts import (
    OFFICE,
    SML,
    VML_TYPE,
    WORKSHEET_TYPE,
    content_types,
    read_parts,
    workbook_part,
)

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


def unkept_features(original: bytes | Mapping[str, bytes], saved: bytes | None = None) -> list[str]:
    """Labels (Indonesian) of what the workbook holds and an openpyxl save would drop.

    Without `saved` only the package itself is inspected (cheap: done on every read); with
    the openpyxl copy, parts that went missing and chart/drawing elements that did not come
    back are found too. `original`: the file's bytes, or its parts when already read.
    """
    parts = read_parts(original) if isinstance(original, bytes) else original
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
            found += [extension_label(uri) for uri in extension_uris(parts[name])]
    book = workbook_part(parts)
    for uri in extension_uris(parts.get(book, b"")):
        if uri.decode().upper() not in HARMLESS_WORKBOOK_EXTENSIONS:
            found.append(extension_label(uri))
    return found


def extension_uris(document: bytes) -> list[bytes]:
    """The uri of each extension in a part; a part without any (most sheets: tens of
    thousands of cells, no extension) is passed over with one quick test."""
    return _EXT_URI.findall(document) if b"uri=" in document else []


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
