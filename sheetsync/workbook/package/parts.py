"""Reading and writing the .xlsx package: its parts, content types, relationships and sheets.

An .xlsx file is a zip of XML parts tied together by [Content_Types].xml and relationship
parts. openpyxl hides all of that; the splice (and the check for what a save would lose)
needs it bare, so these are the few primitives both work with: pure functions over bytes.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from sheetsync.errors import SinkError

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


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")  # a cell's <f> element, prefixed or not


def sheets_with_formulas(parts: Mapping[str, bytes]) -> set[str]:
    """Names of the worksheets whose XML holds a formula: only those are worth reading a
    second time for formulas without a saved result (a tab of typed values, the usual
    staff tab, is read once)."""
    return {e.name for e in sheet_entries(parts) if _FORMULA.search(parts.get(e.part, b"<f>"))}


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


def write_parts(parts: Mapping[str, bytes], order: Sequence[str]) -> bytes:
    """A zip with the parts in their original order, new ones after."""
    names = [n for n in order if n in parts] + [n for n in parts if n not in set(order)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, parts[name])
    return buffer.getvalue()
