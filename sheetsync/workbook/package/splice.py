"""Writing the output tabs into the original package, every other part byte for byte.

When a save through openpyxl would lose something, the file is built from the original
package instead: the output tabs' sheet parts (texts made inline) and styles.xml (aligned
with the original's format ids) come from the openpyxl copy, staff sheets only get their
marks (`cell_styles`, `notes`), and new output tabs are listed in the workbook.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from openpyxl.styles.stylesheet import Stylesheet

from sheetsync.errors import SinkError
from sheetsync.workbook import legacy_notes
from sheetsync.workbook.package.cell_styles import patch_cell_styles
from sheetsync.workbook.package.notes import copy_notes
from sheetsync.workbook.package.parts import (
    NS_MAIN,
    NS_REL,
    REL_WORKSHEET,
    SML,
    WORKSHEET_TYPE,
    Parts,
    content_types,
    insert_before,
    read_parts,
    rels_name,
    sheet_entries,
    unused_rid,
    workbook_part,
    write_parts,
)


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
