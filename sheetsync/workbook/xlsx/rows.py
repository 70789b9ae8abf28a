"""Output tabs written whole: openpyxl makes each tab's sheet (frozen header row, filter,
column widths, the cells' styles), its cells are worksheet XML made in one pass over the
values, without openpyxl cells.

A province's KPI tabs hold some 40,000 values; as openpyxl cells they cost about a second
to build, format and save. Here each value becomes the XML openpyxl wrote for it when
sheetsync wrote cell by cell: `output_value` first (numpy scalars, NaN and pandas.NA,
illegal characters, Excel's length limit), then numbers as numbers (16 significant digits,
as openpyxl), booleans as TRUE/FALSE, dates and times as Excel serials with the column's
number format (else openpyxl's date format for their type), text as inline strings, and
text that could be read as a formula (= + - @) as text with the quote prefix. A formatted
column keeps its format on empty cells, so what staff type there later looks like the
rest. The header row is bold and shaded. `package.sheet_data` puts the rows into the
package openpyxl saved.

Three things differ from the cells openpyxl wrote, on purpose: text that reads like an
Excel error ("#N/A") stays text (openpyxl made it an error value); text of spaces only is
marked xml:space="preserve" (openpyxl left that out, and python-calamine read ''); an
infinite number is an empty cell (openpyxl wrote an empty number element, `<v/>`).

The styles come from openpyxl (`CellStyles`): registered in the workbook, they are in the
styles.xml its save writes, and a cell's `s` is its style's index there.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from openpyxl.cell.cell import Cell, get_time_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook
from openpyxl.worksheet.worksheet import Worksheet

from sheetsync.tabs import CellValue, OutputTab
from sheetsync.workbook.package.sheet_data import SheetRows
from sheetsync.workbook.xlsx.writing import (
    FORMULA_PREFIXES,
    clean_text,
    fit_column_widths,
    make_header_cell,
    number_format_for,
    output_value,
)


def replace_output_tab(book: OpenpyxlWorkbook, tab: OutputTab) -> SheetRows:
    """Drop the old tab (if any) and create a fresh one at the same position, with its
    frozen header row, filter and column widths; its cells are returned, for
    `package.sheet_data.with_sheet_rows` after the save."""
    index = None
    if tab.name in book.sheetnames:
        index = book.sheetnames.index(tab.name)
        book.remove(book[tab.name])
    sheet = book.create_sheet(tab.name, index)
    sheet.freeze_panes = "A2"  # the header stays in view when the table is long
    if tab.rows:
        sheet.auto_filter.ref = (
            f"A1:{get_column_letter(max(1, len(tab.header)))}{len(tab.rows) + 1}"
        )
    fit_column_widths(sheet, tab.header, tab.rows)
    formats = [number_format_for(tab.formats.get(h)) for h in tab.header]
    return sheet_rows(tab.header, tab.rows, formats, CellStyles(sheet), book.epoch)


class CellStyles:
    """The `s` attribute of one output tab's cells: per number format and quote prefix, and
    the header's.

    Each style is registered with openpyxl through a cell that is never put in the sheet:
    the workbook keeps the style, its save lists it in styles.xml, and `style_id` is the
    index openpyxl's own cells would carry.
    """

    def __init__(self, sheet: Worksheet) -> None:
        self._sheet = sheet
        self._attributes: dict[tuple[bool, str | None, bool], str] = {}

    def attribute(self, number_format: str | None, quoted: bool = False) -> str:
        """' s="7"' for a data cell with that format, '' for one with the default format."""
        return self._attribute(False, number_format, quoted)

    def header(self, quoted: bool = False) -> str:
        """' s="3"' for a header cell."""
        return self._attribute(True, None, quoted)

    def _attribute(self, header: bool, number_format: str | None, quoted: bool) -> str:
        key = (header, number_format, quoted)
        found = self._attributes.get(key)
        if found is None:
            found = self._attributes[key] = self._register(header, number_format, quoted)
        return found

    def _register(self, header: bool, number_format: str | None, quoted: bool) -> str:
        cell = Cell(self._sheet)
        if header:
            make_header_cell(cell)
        if number_format is not None:
            cell.number_format = number_format
        if quoted:
            cell.quotePrefix = True
        return f' s="{cell.style_id}"' if cell.has_style else ""


def sheet_rows(
    header: Sequence[str],
    rows: Sequence[Sequence[CellValue]],
    formats: Sequence[str | None],
    styles: CellStyles,
    epoch: dt.datetime,
) -> SheetRows:
    """The `<row>` elements of the header and the rows (`formats` per header column) and
    the range the tab's cells use."""
    width = max([1, len(header), *map(len, rows)])
    columns = [
        Column(get_column_letter(n + 1), fmt, styles.attribute(fmt))
        for n, fmt in enumerate([*formats, *[None] * (width - len(formats))])
    ]
    writer = CellWriter(styles, epoch)
    chunks = [header_xml(header, columns, writer)]
    for number, row in enumerate(rows, start=2):
        chunks.append(row_xml(number, row, columns, writer))
    return SheetRows("".join(chunks).encode("utf-8"), used_range(len(header), rows, formats))


@dataclass(frozen=True, slots=True)
class Column:
    """A column of an output tab: its letter, its number format (from the header's entry in
    `OutputTab.formats`) and the `s` attribute of its numbers and plain text."""

    letter: str
    fmt: str | None
    style: str


def header_xml(header: Sequence[str], columns: Sequence[Column], writer: CellWriter) -> str:
    """Row 1; a tab without a header still has its A1 shaded (openpyxl's header did)."""
    titles = header or [""]
    cells = (
        writer.header(column.letter + "1", title)
        for column, title in zip(columns, titles, strict=False)
    )
    return '<row r="1">' + "".join(cells) + "</row>"


def row_xml(
    number: int,
    row: Sequence[CellValue],
    columns: Sequence[Column],
    writer: CellWriter,
) -> str:
    """One `<row>`: its values, then the formatted columns it is too short for.

    Whole numbers and texts, most of a KPI tab, are written here without a call per value
    (`output_value` keeps an int as it is and only cleans a text); the rest by `writer`.
    """
    suffix = str(number)
    cells = [f'<row r="{suffix}">']
    for column, value in zip(columns, row, strict=False):  # columns: the widest row
        kind = type(value)
        if kind is int:
            cells.append(f'<c r="{column.letter}{suffix}"{column.style}><v>{value:.16g}</v></c>')
        elif kind is str:
            cells.append(writer.text(column.letter + suffix, clean_text(value), column))
        else:
            cells.append(writer.cell(column.letter + suffix, value, column))
    for column in columns[len(row) :]:
        cells.append(empty_cell(column.letter + suffix, column))
    cells.append("</row>")
    return "".join(cells)


class CellWriter:
    """The XML of one cell, as openpyxl wrote the value `output_value` makes of it."""

    def __init__(self, styles: CellStyles, epoch: dt.datetime) -> None:
        self._styles = styles
        self._epoch = epoch

    def header(self, ref: str, title: object) -> str:
        text = clean_text(title)
        if not text:
            return f'<c r="{ref}"{self._styles.header()}/>'
        return inline_text(ref, self._styles.header(text.startswith(FORMULA_PREFIXES)), text)

    def cell(self, ref: str, raw: object, column: Column) -> str:
        value = output_value(raw)
        if value is None:
            return empty_cell(ref, column)
        if isinstance(value, str):
            return self.text(ref, value, column)
        if value is True or value is False:
            return f'<c r="{ref}"{column.style} t="b"><v>{value:d}</v></c>'
        if isinstance(value, int | float):
            return number_cell(ref, value, column)
        return self.moment(ref, value, column)

    def text(self, ref: str, text: str, column: Column) -> str:
        """Text as text: what could be read as a formula gets the quote prefix too."""
        if not text:  # a cell all the same, as openpyxl wrote for ''
            return f'<c r="{ref}"{column.style}/>'
        if text.startswith(FORMULA_PREFIXES):
            return inline_text(ref, self._styles.attribute(column.fmt, quoted=True), text)
        return inline_text(ref, column.style, text)

    def moment(self, ref: str, moment: object, column: Column) -> str:
        """A date, datetime or time: its Excel serial in the workbook's date system, with
        the column's format, else openpyxl's format for its type."""
        if not isinstance(moment, dt.date | dt.time):
            raise TypeError(f"Cannot write {moment!r} to an output tab")
        if getattr(moment, "tzinfo", None) is not None:
            raise TypeError("Excel does not support timezones in datetimes.")
        fmt = column.fmt if column.fmt is not None else get_time_format(type(moment))
        style = self._styles.attribute(fmt)
        serial = to_excel(moment, self._epoch)
        if serial is None:  # pandas.NaT
            return f'<c r="{ref}"{style}/>'
        return f'<c r="{ref}"{style}><v>{serial:.16g}</v></c>'


def empty_cell(ref: str, column: Column) -> str:
    """A cell of a formatted column keeps its format; elsewhere nothing is written."""
    return f'<c r="{ref}"{column.style}/>' if column.style else ""


def number_cell(ref: str, number: int | float, column: Column) -> str:
    if not math.isfinite(number):  # an empty cell, as openpyxl wrote one for an infinity
        return f'<c r="{ref}"{column.style}/>'
    return f'<c r="{ref}"{column.style}><v>{number:.16g}</v></c>'


def inline_text(ref: str, style: str, text: str) -> str:
    """A text cell; spaces at either end are kept (xml:space), XML's characters escaped."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def used_range(
    width: int, rows: Sequence[Sequence[CellValue]], formats: Sequence[str | None]
) -> str:
    """The range openpyxl stated for the tab (its `<dimension>`): the header (A1 at least),
    every value given (None too), the formatted columns of every row."""
    formatted = any(fmt is not None for fmt in formats)
    last_row = max((n for n, row in enumerate(rows, start=2) if row or formatted), default=1)
    last_column = max([1, width, *map(len, rows)])
    return f"A1:{get_column_letter(last_column)}{last_row}"
