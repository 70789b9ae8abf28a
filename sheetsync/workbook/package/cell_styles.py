"""Feedback marks on staff cells: only a cell's format index changes in the original sheet.

A mark is a fill (and a note, see `notes`); in the staff's sheet XML nothing but the `s`
attribute of the marked cells is rewritten, and an empty cell that gains a mark is inserted
in row and column order, so values, formulas and everything Excel wrote stay as they were.
"""

from __future__ import annotations

import re

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
