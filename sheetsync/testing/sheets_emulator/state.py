"""What the emulator holds: spreadsheets (`Book`) of tabs (`Sheet`) of sparse cells, with
the defaults a new spreadsheet or tab gets and range text resolved against the tabs.

Everything that changes a spreadsheet works on a `clone()` and is swapped in only when the
whole request succeeded, which is what makes batch requests atomic.
"""

from __future__ import annotations

import copy
import random
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sheetsync.testing.sheets_emulator.a1 import Box, parse_a1, quote_title, split_range
from sheetsync.testing.sheets_emulator.errors import JSON, invalid

DEFAULT_ROWS, DEFAULT_COLUMNS = 1000, 26


DEFAULT_FORMAT: JSON = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
_THEME_COLOURS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]
DEFAULT_THEME: JSON = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": t, "color": {"rgbColor": c}} for t, c in _THEME_COLOURS],
}


@dataclass
class Sheet:
    properties: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    basic_filter: dict[str, Any] | None = None

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def rows(self) -> int:
        return int(self.properties["gridProperties"]["rowCount"])

    @property
    def cols(self) -> int:
        return int(self.properties["gridProperties"]["columnCount"])

    @property
    def grid(self) -> Box:
        return Box(0, 0, self.rows, self.cols)

    def clone(self) -> Sheet:
        """A working copy for a transaction. Cell dicts are never changed in place (every
        write builds a new one), so sharing them is safe and a clone costs one dict copy."""
        return Sheet(copy.deepcopy(self.properties), dict(self.cells), self.basic_filter)

    def cell(self, r: int, c: int) -> dict[str, Any]:
        return self.cells.get((r, c), {})

    def put(self, r: int, c: int, cell: dict[str, Any]) -> None:
        if cell:
            self.cells[(r, c)] = cell
        else:
            self.cells.pop((r, c), None)

    def keys_in(self, box: Box) -> list[tuple[int, int]]:
        """Stored cells inside `box`, walking whichever is smaller: the box or the cells."""
        if (box.r1 - box.r0) * (box.c1 - box.c0) < len(self.cells):
            return [key for key in box.cells() if key in self.cells]
        return [key for key in self.cells if box.contains(*key)]

    def resize(self, rows: int, cols: int) -> None:
        grid = self.properties["gridProperties"]
        grid["rowCount"], grid["columnCount"] = rows, cols
        for key in [k for k in self.cells if k[0] >= rows or k[1] >= cols]:
            del self.cells[key]
        if self.basic_filter:  # a filter shrinks with its grid
            grid_range = dict(self.basic_filter["range"])
            grid_range["endRowIndex"] = min(grid_range["endRowIndex"], rows)
            grid_range["endColumnIndex"] = min(grid_range["endColumnIndex"], cols)
            self.basic_filter = {**self.basic_filter, "range": grid_range}

    def ensure_size(self, rows: int, cols: int) -> None:
        """Writing values past the grid grows it, as Sheets does."""
        if rows > self.rows or cols > self.cols:
            self.resize(max(rows, self.rows), max(cols, self.cols))

    def check_inside(self, box: Box) -> None:
        if box.r1 > self.rows or box.c1 > self.cols or box.r0 < 0 or box.c0 < 0:
            raise invalid(
                f"Range ({quote_title(self.title)}!{box.label or box.a1()}) exceeds grid limits. "
                f"Max rows: {self.rows}, max columns: {self.cols}"
            )


@dataclass
class Book:
    spreadsheet_id: str
    properties: dict[str, Any]
    sheets: list[Sheet]
    private: bool = False

    def clone(self) -> Book:
        return Book(
            self.spreadsheet_id,
            copy.deepcopy(self.properties),
            [s.clone() for s in self.sheets],
            self.private,
        )

    @property
    def locale(self) -> str:
        return str(self.properties.get("locale", "en_US"))

    def by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def reindex(self) -> None:
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def total_cells(self) -> int:
        return sum(s.rows * s.cols for s in self.sheets)

    def resolve(self, text: str) -> tuple[Sheet, Box]:
        """A1 range text -> (sheet, box); Google's 400 when it cannot be parsed."""
        title, a1 = split_range(text)
        sheet = self.by_title(title) if title is not None else None
        if title is None and a1 is not None:
            sheet = self.by_title(a1)
            if sheet is not None:
                return sheet, sheet.grid
            sheet = self.sheets[0] if self.sheets else None
        if sheet is None:
            raise invalid(f"Unable to parse range: {text}")
        if a1 is None:
            return sheet, sheet.grid
        box = parse_a1(a1, sheet.rows, sheet.cols)
        if box is None:
            raise invalid(f"Unable to parse range: {text}")
        return sheet, replace(box, label=a1)

    def echo(self, sheet: Sheet, box: Box) -> str:
        return f"{quote_title(sheet.title)}!{box.a1()}"

    def grid_box(self, grid_range: Mapping[str, Any]) -> tuple[Sheet, Box]:
        """A GridRange (sheetId + half-open indexes, open ends = grid edge) -> (sheet, box)."""
        sheet = self.by_id(int(grid_range.get("sheetId") or 0))
        if sheet is None:
            raise invalid(f"No grid with id: {grid_range.get('sheetId') or 0}")
        box = Box(
            int(grid_range.get("startRowIndex") or 0),
            int(grid_range.get("startColumnIndex") or 0),
            int(grid_range.get("endRowIndex") or sheet.rows),
            int(grid_range.get("endColumnIndex") or sheet.cols),
        )
        sheet.check_inside(box)
        return sheet, box


def new_spreadsheet_id() -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "1" + "".join(secrets.choice(alphabet) for _ in range(43))


def new_sheet_id(taken: set[int]) -> int:
    while True:
        candidate = random.randint(1, 2**31 - 1)
        if candidate not in taken:
            return candidate


def sheet_properties(title: str, sheet_id: int, index: int, rows: int, cols: int) -> JSON:
    return {
        "sheetId": sheet_id,
        "title": title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": rows, "columnCount": cols},
    }


def new_book(sid: str, properties: Mapping[str, Any]) -> Book:
    props: JSON = {
        "title": properties.get("title") or "Untitled spreadsheet",
        "locale": properties.get("locale") or "en_US",
        "autoRecalc": properties.get("autoRecalc") or "ON_CHANGE",
        "timeZone": properties.get("timeZone") or "Etc/GMT",
        "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
        "spreadsheetTheme": copy.deepcopy(DEFAULT_THEME),
    }
    return Book(
        sid, props, [Sheet(sheet_properties("Sheet1", 0, 0, DEFAULT_ROWS, DEFAULT_COLUMNS))]
    )


def shift(sheet: Sheet, rows: bool, at: int, count: int) -> None:
    """Move every cell at or past index `at` by `count` rows/columns and resize the grid."""
    axis = 0 if rows else 1
    moved = {}
    for key, cell in sheet.cells.items():
        if key[axis] >= at:
            key = (key[0] + count, key[1]) if rows else (key[0], key[1] + count)
        moved[key] = cell
    sheet.cells = moved
    grid = sheet.properties["gridProperties"]
    grid["rowCount" if rows else "columnCount"] += count
