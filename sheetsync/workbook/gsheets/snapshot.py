"""The spreadsheet as one read saw it: tabs and their sizes, the look (note, fill) of staff
cells, headers, the marks memory, and the text of the tabs read.

Everything a write needs is learnt by one metadata read and one values:batchGet, kept in a
`Snapshot`, so the write that follows costs a single batchUpdate. Staff tabs are read as
FORMATTED_VALUE text: "007", "0812…" and "1.250.000" reach validation exactly as typed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sheetsync.contract import is_output_tab, normalise_header
from sheetsync.tabs import SheetTable

JSON = Any  # a value of the Sheets API's JSON


@dataclass(frozen=True, slots=True)
class TabInfo:
    sheet_id: int
    title: str
    index: int
    rows: int
    columns: int
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class Look:
    """What a person sees of a cell besides its value: note and fill colour."""

    note: str = ""
    colour: str = ""  # backgroundColorStyle as canonical JSON, '' = default (no fill)


@dataclass(frozen=True, slots=True)
class MarkRecord:
    """One marked staff cell, remembered in MARKS_TAB with what staff had there before."""

    tab: str
    row: int  # 1-based, as people see it
    column: int  # 0-based grid column
    original: Look
    mark: Look


@dataclass
class Snapshot:
    """The spreadsheet as one metadata read saw it."""

    tabs: dict[str, TabInfo]
    looks: dict[tuple[str, int, int], Look]  # (title, row0, col0) of staff cells with a look
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    records: list[MarkRecord] = field(default_factory=list)

    def find(self, name: str) -> TabInfo | None:
        """Exact title first, then case- and space-insensitive (like headers)."""
        if name in self.tabs:
            return self.tabs[name]
        wanted = normalise_header(name)
        return next((t for t in self.tabs.values() if normalise_header(t.title) == wanted), None)

    def look(self, title: str, row0: int, col0: int) -> Look:
        return self.looks.get((title, row0, col0), Look())


METADATA_FIELDS = (
    "sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount)),"
    "data(startRow,startColumn,rowData(values(note,userEnteredFormat(backgroundColorStyle)))))"
)


def snapshot_from_metadata(metadata: Mapping[str, Any]) -> Snapshot:
    tabs: dict[str, TabInfo] = {}
    looks: dict[tuple[str, int, int], Look] = {}
    for sheet in metadata.get("sheets") or []:
        info = tab_info(sheet.get("properties") or {})
        tabs[info.title] = info
        if not is_output_tab(info.title):
            looks.update(looks_of(info.title, sheet.get("data") or []))
    return Snapshot(tabs, looks)


def tab_info(props: Mapping[str, Any]) -> TabInfo:
    grid = props.get("gridProperties") or {}
    return TabInfo(
        sheet_id=int(props.get("sheetId") or 0),
        title=str(props.get("title") or ""),
        index=int(props.get("index") or 0),
        rows=int(grid.get("rowCount") or 0),
        columns=int(grid.get("columnCount") or 0),
        hidden=bool(props.get("hidden")),
    )


def looks_of(
    title: str, grid_data: Iterable[Mapping[str, Any]]
) -> dict[tuple[str, int, int], Look]:
    looks = {}
    for data in grid_data:
        r0, c0 = int(data.get("startRow") or 0), int(data.get("startColumn") or 0)
        for i, row in enumerate(data.get("rowData") or []):
            for j, cell in enumerate(row.get("values") or []):
                look = look_of(cell)
                if look != Look():
                    looks[(title, r0 + i, c0 + j)] = look
    return looks


def look_of(cell: Mapping[str, Any]) -> Look:
    style = (cell.get("userEnteredFormat") or {}).get("backgroundColorStyle")
    return Look(note=str(cell.get("note") or ""), colour=colour_text(style))


def colour_text(style: Mapping[str, Any] | None) -> str:
    """Canonical text of a ColorStyle; white and 'nothing' are both the default ''."""
    if not style:
        return ""
    if "rgbColor" in style:
        rgb = {k: round(float(v), 3) for k, v in (style["rgbColor"] or {}).items()}
        if rgb in ({}, {"red": 1.0, "green": 1.0, "blue": 1.0}):
            return ""
        return json.dumps({"rgbColor": rgb}, sort_keys=True)
    return json.dumps(style, sort_keys=True)


def colour_style(text: str) -> JSON | None:
    return json.loads(text) if text else None


def same_colour(a: str, b: str) -> bool:
    return colour_text(colour_style(a)) == colour_text(colour_style(b))


def table_from_rows(name: str, rows: Sequence[Sequence[Any]]) -> SheetTable:
    """Same rules as the .xlsx backend: header = row 1 without trailing blanks, every other
    row (blank ones too, so row numbers stay true) cut/padded to the header width."""
    text_rows = [tuple("" if v is None else str(v) for v in row) for row in rows]
    header = text_rows[0] if text_rows else ()
    end = len(header)
    while end and not header[end - 1].strip():
        end -= 1
    header = header[:end]
    body = [row[:end] + ("",) * (end - len(row)) for row in text_rows[1:]]
    while body and not any(body[-1]):
        body.pop()
    return SheetTable(name=name, header=header, rows=tuple(body))
