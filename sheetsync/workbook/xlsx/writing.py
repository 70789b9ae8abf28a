"""What output tabs are made of: number formats in the Indonesian locale, what a value
becomes in a cell, the header's look, text that could be a formula kept as text, column
widths. rows.py writes the tabs with them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook
from openpyxl.worksheet.worksheet import Worksheet

from sheetsync.tabs import CellValue

# OutputTab.formats names -> Excel number formats; any other value is used as a format code.
# [$-421] is the Indonesian locale: LibreOffice then shows "Rp 1.250.000" and "75,5%" whatever
# the computer's own settings (Excel uses the computer's separators and ignores it for numbers).
ID = "[$-421]"
NUMBER_FORMATS = {
    "rupiah": ID + '"Rp "#,##0',
    "percent": ID + "0.0%",  # the value is a fraction: 0.755 shows as 75,5%
    "integer": ID + "#,##0",
    "decimal": ID + "#,##0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm:ss",
    "text": "@",
}
FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
PLAIN_TYPES = (bool, int, float, dt.date, dt.datetime, dt.time)  # written as they are
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7", bgColor="FFDDEBF7")


# --------------------------------------------------------------------------------------------
# Output tab cells


def make_header_cell(cell: Cell) -> None:
    """Bold and shaded: the header row reads apart from the figures below it."""
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(vertical="center", wrap_text=False)


def number_format_for(name: str | None) -> str | None:
    if not name:
        return None
    return NUMBER_FORMATS.get(name, name)


def output_value(value: object) -> Any:
    """Cell value for openpyxl: numbers stay numbers, missing values blank, text cleaned."""
    if value is None:
        return None
    if isinstance(value, PLAIN_TYPES):
        return None if isinstance(value, float) and value != value else value
    try:
        if value != value:  # NaN-like (numpy.nan, pandas.NA raises TypeError)
            return None
    except TypeError:
        return None
    if hasattr(value, "item"):  # numpy scalar
        return output_value(value.item())
    return clean_text(str(value))


def clean_text(text: object) -> str:
    """Characters XML cannot hold are dropped, line breaks become Excel's '\n' (XML would
    turn a bare '\r' into '\n' anyway), overlong text is cut to Excel's limit."""
    plain = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", plain)[:MAX_CELL_TEXT]


def protect_formula_like_text(sheet: Worksheet) -> None:
    """Text from outside that starts with = + - @ is stored as text, never as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                make_text_cell(cell)


def make_text_cell(cell: Cell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


def fit_column_widths(
    sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[CellValue]]
) -> None:
    """Width from the longest of the header and the first rows, within sane bounds."""
    sample = rows[:500]
    for col, title in enumerate(header, start=1):
        longest = max(
            [len(str(title))] + [display_length(r[col - 1]) for r in sample if len(r) >= col]
        )
        sheet.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, 8), 60)


def display_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return len(f"{value:,.0f}") + 3  # room for "Rp " or decimals
    return len(str(value))


def keep_a_visible_sheet_active(book: OpenpyxlWorkbook) -> None:
    """Excel refuses a file whose active sheet is hidden."""
    active = book.active
    if active is not None and active.sheet_state == "visible":
        return
    for index, sheet in enumerate(book.worksheets):
        if sheet.sheet_state == "visible":
            book.active = index
            return
