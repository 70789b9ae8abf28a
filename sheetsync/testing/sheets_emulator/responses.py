"""What spreadsheets.get answers: sheet properties and cell data shaped as Google returns
them (default-valued fields omitted, rows trimmed, effective formats merged over the
defaults), and which grid data a field mask asks for.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sheetsync.testing.sheets_emulator.a1 import Box
from sheetsync.testing.sheets_emulator.cells import effective_value, formatted_value
from sheetsync.testing.sheets_emulator.errors import JSON
from sheetsync.testing.sheets_emulator.masks import mask_at
from sheetsync.testing.sheets_emulator.state import DEFAULT_FORMAT, Book, Sheet

_FALSY_DEFAULTS = ("hidden", "rightToLeft")
_ZERO_GRID_DEFAULTS = ("frozenRowCount", "frozenColumnCount")


def properties_json(sheet: Sheet) -> JSON:
    """Sheet properties as Google returns them: default-valued fields omitted."""
    props = copy.deepcopy(sheet.properties)
    for key in _FALSY_DEFAULTS:
        if not props.get(key):
            props.pop(key, None)
    grid = props.get("gridProperties", {})
    for key in (*_ZERO_GRID_DEFAULTS, "hideGridlines"):
        if not grid.get(key):
            grid.pop(key, None)
    return props


def cell_json(cell: Mapping[str, Any], locale: str, keys: frozenset[str] | None = None) -> JSON:
    """CellData as Google returns it; `keys` limits the work to the fields asked for."""
    out: JSON = {}

    def wanted(key: str) -> bool:
        return keys is None or key in keys

    entered = cell.get("userEnteredValue")
    if entered and wanted("userEnteredValue"):
        out["userEnteredValue"] = dict(entered)
    if entered and wanted("effectiveValue"):
        out["effectiveValue"] = effective_value(cell)
    if entered and wanted("formattedValue"):
        out["formattedValue"] = formatted_value(cell, locale)
    if cell.get("userEnteredFormat") and wanted("userEnteredFormat"):
        out["userEnteredFormat"] = copy.deepcopy(cell["userEnteredFormat"])
    if (entered or cell.get("userEnteredFormat")) and wanted("effectiveFormat"):
        out["effectiveFormat"] = merged_format(cell.get("userEnteredFormat") or {})
    for key in ("note", "dataValidation", "hyperlink"):
        if cell.get(key) and wanted(key):
            out[key] = copy.deepcopy(cell[key])
    return out


def merged_format(fmt: Mapping[str, Any]) -> JSON:
    out = copy.deepcopy(DEFAULT_FORMAT)
    for key, value in fmt.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **copy.deepcopy(value)}
        else:
            out[key] = copy.deepcopy(value)
    return out


@dataclass(frozen=True, slots=True)
class GridWanted:
    """Which parts of grid data a field mask asks for (None: every cell field)."""

    cell_keys: frozenset[str] | None = None
    metadata: bool = True


def grid_data_json(sheet: Sheet, box: Box, locale: str, want: GridWanted = GridWanted()) -> JSON:
    """GridData of `box`: rows and cells trimmed like Google, metadata for every row/col."""
    data: JSON = {}
    if box.r0:
        data["startRow"] = box.r0
    if box.c0:
        data["startColumn"] = box.c0
    rows = grid_rows(sheet, box, locale, want.cell_keys)
    if rows:
        data["rowData"] = rows
    if want.metadata:
        data["rowMetadata"] = [{"pixelSize": 21} for _ in range(box.r0, box.r1)]
        data["columnMetadata"] = [{"pixelSize": 100} for _ in range(box.c0, box.c1)]
    return data


def grid_rows(sheet: Sheet, box: Box, locale: str, keys: frozenset[str] | None) -> list[JSON]:
    """RowData of the stored cells only (the grid is sparse), trimmed like Google."""
    found: dict[int, dict[int, JSON]] = {}
    for r, c in sheet.keys_in(box):
        data = cell_json(sheet.cells[(r, c)], locale, keys)
        if data:
            found.setdefault(r - box.r0, {})[c - box.c0] = data
    rows: list[JSON] = []
    for r in range(max(found, default=-1) + 1):
        cells = found.get(r, {})
        values = [cells.get(c, {}) for c in range(max(cells, default=-1) + 1)]
        rows.append({"values": values} if values else {})
    return rows


def grid_wanted(tree: Mapping[str, Any]) -> GridWanted | None:
    """From a `fields` mask: None when no grid data is asked for at all."""
    data = mask_at(tree, ("sheets", "data"))
    if data is False:
        return None
    values = mask_at(tree, ("sheets", "data", "rowData", "values"))
    keys = None if values is True else frozenset(values) if values else frozenset()
    metadata = any(mask_at(tree, ("sheets", "data", k)) for k in ("rowMetadata", "columnMetadata"))
    return GridWanted(keys, metadata)


def spreadsheet_json(book: Book, grid: GridWanted | None, ranges: Sequence[str]) -> JSON:
    """spreadsheets.get: with `ranges`, only the sheets they touch (and only that grid data);
    `grid` None = no grid data."""
    wanted: dict[int, list[Box]] = {}
    for text in ranges:
        sheet, box = book.resolve(text)
        wanted.setdefault(sheet.sheet_id, []).append(box)
    sheets = []
    for sheet in book.sheets:
        if ranges and sheet.sheet_id not in wanted:
            continue
        entry: JSON = {"properties": properties_json(sheet)}
        if sheet.basic_filter:
            entry["basicFilter"] = copy.deepcopy(sheet.basic_filter)
        if grid is not None:
            boxes = wanted.get(sheet.sheet_id) or [sheet.grid]
            entry["data"] = [grid_data_json(sheet, b, book.locale, grid) for b in boxes]
        sheets.append(entry)
    return {
        "spreadsheetId": book.spreadsheet_id,
        "properties": copy.deepcopy(book.properties),
        "sheets": sheets,
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit",
    }
