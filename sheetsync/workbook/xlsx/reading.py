"""Staff tabs as the text staff see: formats decide how a number or a date reads, formulas
without a cached value are warned about, blank rows keep row numbers true."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from sheetsync.contract import normalise_header
from sheetsync.tabs import SheetTable, plain_cell_text

_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


# --------------------------------------------------------------------------------------------
# Reading: cells as the text staff see


def find_sheet(book: OpenpyxlWorkbook, name: str) -> Any:
    """The sheet called `name`, else the one whose normalised title matches, else None."""
    if name in book.sheetnames:
        return book[name]
    wanted = normalise_header(name)
    for title in book.sheetnames:
        if normalise_header(title) == wanted:
            return book[title]
    return None


def read_table(
    sheet: Any, name: str, formula_sheet: Any = None, uncomputed: list[str] | None = None
) -> SheetTable:
    """Header from row 1, then every row (blank ones too) padded to the header width.

    `formula_sheet` is the same tab read with formulas instead of their results: a formula
    whose result the file does not hold (the file was last saved by a program that does not
    calculate, such as openpyxl) reads as its formula text rather than as an empty cell, so
    validation points at it instead of calling a visible value missing. The coordinates of
    such cells are appended to `uncomputed`.
    """
    found = uncomputed if uncomputed is not None else []
    rows = sheet.iter_rows()
    formula_rows = formula_sheet.iter_rows() if formula_sheet is not None else iter(())
    header = strip_trailing_blanks(row_text(next(rows, ()), next(formula_rows, ()), None, found))
    width = len(header)
    body: list[tuple[str, ...]] = []
    pending_blanks = 0  # blank rows count only when data follows them
    for row in rows:
        texts = row_text(row, next(formula_rows, ()), width, found)
        cells = fit_to_width(texts, width)
        if any(cells):
            body.extend([("",) * width] * pending_blanks)
            body.append(cells)
            pending_blanks = 0
        else:
            pending_blanks += 1
    return SheetTable(name=name, header=header, rows=tuple(body))


def row_text(
    row: Sequence[Any], formula_row: Sequence[Any], width: int | None, uncomputed: list[str]
) -> tuple[str, ...]:
    texts = [shown_text_of(cell) for cell in row[:width]]
    for index, cell in enumerate(formula_row[:width]):
        formula = getattr(cell, "value", None)
        if index < len(texts) and not texts[index] and is_formula(formula):
            texts[index] = str(formula)
            uncomputed.append(getattr(cell, "coordinate", "?"))
    return tuple(texts)


def is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def uncomputed_formula_warning(tab: str, cells: Sequence[str]) -> list[str]:
    if not cells:
        return []
    shown = ", ".join(f"{tab}!{c}" for c in cells[:5]) + (" …" if len(cells) > 5 else "")
    return [
        f"Formulas without a saved result in {shown}: they read as their formula text; "
        "open and save the workbook in Excel or LibreOffice."
    ]


def strip_trailing_blanks(row: tuple[str, ...]) -> tuple[str, ...]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


def fit_to_width(row: tuple[str, ...], width: int) -> tuple[str, ...]:
    """Cells beyond the header have no column name, so they are not part of the table."""
    return row[:width] + ("",) * (width - len(row))


def shown_text_of(cell: Any) -> str:
    value = getattr(cell, "value", None)
    return shown_cell_text(value, getattr(cell, "number_format", None) or "General")


def shown_cell_text(value: object, number_format: str = "General") -> str:
    """The text a person sees for a staff cell, by its number format, stable across
    Excel/LibreOffice versions (export cells: `marketplaces.cells.export_cell_text`)."""
    plain = plain_cell_text(value)
    if plain is not None:
        return plain
    if isinstance(value, dt.datetime):
        return datetime_text(value, number_format)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, int | float):
        return number_text(value, number_format)
    return str(value)


def datetime_text(value: dt.datetime, number_format: str) -> str:
    """ISO date when the cell shows a date only, else ISO date and time to the second."""
    rounded = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    shows_time = format_shows_time(number_format)
    if shows_time is False or (shows_time is None and rounded.time() == dt.time(0)):
        return rounded.date().isoformat()
    return rounded.strftime("%Y-%m-%d %H:%M:%S")


def format_shows_time(number_format: str) -> bool | None:
    """True/False for a date format with/without hours; None for 'General' (unknown)."""
    code = _QUOTED_OR_BRACKETED.sub("", number_format or "").lower()
    if code in {"", "general"}:
        return None
    return "h" in code or "s" in code


def number_text(value: float, number_format: str) -> str:
    """7.0 -> '7'; 0.1 + 0.2 -> '0.3' (15 significant digits, as Excel shows); 0.8 in a
    percent cell -> '80%'."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    if "%" in _QUOTED_OR_BRACKETED.sub("", number_format or ""):
        return f"{value * 100:.15g}%"
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"
