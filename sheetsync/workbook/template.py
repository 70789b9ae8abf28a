"""The empty staff workbook of the contract, and a way to fill it (used by `sheetsync demo`).

A programme starts from this file (`sheetsync init`), so it should guide staff by itself:
each tab has its header row frozen and shaded, the tab's instruction as a note on the first
header cell, drop-down lists where only some values are allowed (Marketplace, Aktif,
Tingkat), and the code columns formatted as text so Excel keeps "007" and "0812…" as typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheetsync.contract import STAFF_TABS, TabSpec, normalise_header
from sheetsync.errors import SinkError, SourceError
from sheetsync.workbook.xlsx.files import ensure_workbook_usable, save_via_temp_file
from sheetsync.workbook.xlsx.reading import find_sheet
from sheetsync.workbook.xlsx.writing import FORMULA_PREFIXES, clean_text, make_text_cell

NOTE_AUTHOR = "Petunjuk"  # not "sheetsync": feedback-mark clean-up must never remove these
TEMPLATE_ROWS = 2000  # rows that get drop-downs in a new workbook
HEADER_FILL = PatternFill("solid", fgColor="FF1F4E78", bgColor="FF1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFFFF")
# Columns Excel must not turn into numbers or dates ("007", "0812…", "2026-08"). Tanggal Daftar
# too: a computer set to US English would read a typed 02/08/2026 as 8 February, while the text
# "02/08/2026" is read day first, as the tab's note says.
TEXT_COLUMNS = frozenset(
    normalise_header(h)
    for h in (
        "Kode Desa", "ID Duta", "ID Toko", "No HP", "Kode Wilayah", "Bulan", "Bulan Laporan",
        "Tanggal Daftar",
    )
)  # fmt: skip
COLUMN_WIDTHS = {
    "nama": 28,
    "pemilik": 24,
    "nama desa": 24,
    "nama toko": 32,
    "email": 30,
    "catatan": 40,
    "jabatan": 30,
    "timestamp": 20,
}


def create_staff_workbook(path: Path) -> None:
    """Write the empty workbook of the contract; never overwrite an existing file."""
    path = Path(path)
    if path.exists():
        raise SinkError(
            f"{path} already exists; sheetsync never overwrites it. Choose another path."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in STAFF_TABS:
        add_staff_tab(book, spec)
    book.active = 0
    save_via_temp_file(book, path)


def add_staff_tab(book: OpenpyxlWorkbook, spec: TabSpec) -> Worksheet:
    sheet = book.create_sheet(spec.name)
    sheet.append(list(spec.headers))
    style_header(sheet, spec)
    format_columns(sheet, spec.headers)
    for header, allowed in spec.choices:
        add_drop_down(sheet, spec.headers.index(header) + 1, allowed)
    return sheet


def style_header(sheet: Worksheet, spec: TabSpec) -> None:
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22
    sheet["A1"].comment = Comment(spec.note, NOTE_AUTHOR, width=320, height=110)


def format_columns(sheet: Worksheet, headers: Sequence[str]) -> None:
    """Widths that fit the content, text format on code columns so Excel keeps them as typed."""
    for col, header in enumerate(headers, start=1):
        key = normalise_header(header)
        dimension = sheet.column_dimensions[get_column_letter(col)]
        dimension.width = COLUMN_WIDTHS.get(key, max(14, len(header) + 4))
        if key in TEXT_COLUMNS:
            dimension.number_format = "@"


def add_drop_down(sheet: Worksheet, column: int, allowed: Sequence[str]) -> None:
    letter = get_column_letter(column)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(allowed) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Nilai tidak dikenal",
        error="Pilih salah satu dari daftar: " + ", ".join(allowed) + ".",
    )
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.add_data_validation(validation)


StaffRow = Sequence[object]


def fill_staff_workbook(path: Path, rows_by_tab: Mapping[str, Sequence[StaffRow]]) -> None:
    """Append rows (in each tab's header order) below the headers, as staff would type them.

    Values are written as given: text stays text (also "=…", never a formula), numbers stay
    numbers, dates become date cells shown as dd/mm/yyyy. Used by the demo to produce a
    workbook exactly as a person would have left it, mistakes included.
    """
    path = Path(path)
    ensure_workbook_usable(path)
    book = openpyxl.load_workbook(path)
    for tab, rows in rows_by_tab.items():
        sheet = find_sheet(book, tab)
        if sheet is None:
            raise SourceError(f"Workbook {path} has no tab {tab!r} to fill.")
        append_rows(sheet, rows)
    save_via_temp_file(book, path)


def append_rows(sheet: Worksheet, rows: Sequence[StaffRow]) -> None:
    headers = [normalise_header(c.value) for c in sheet[1]]
    for values in rows:
        sheet.append([typed_value(v) for v in values])
        for col, cell in enumerate(sheet[sheet.max_row], start=1):
            style_typed_cell(cell, headers[col - 1] if col <= len(headers) else "")


def typed_value(value: object) -> object:
    if isinstance(value, str):
        return clean_text(value)
    return value


def style_typed_cell(cell: Cell, header_key: str) -> None:
    value = cell.value
    if isinstance(value, str):
        if value.startswith(FORMULA_PREFIXES):
            make_text_cell(cell)
        if header_key in TEXT_COLUMNS:
            cell.number_format = "@"
    elif isinstance(value, dt.datetime):
        cell.number_format = "dd/mm/yyyy hh:mm:ss"
    elif isinstance(value, dt.date):
        cell.number_format = "dd/mm/yyyy"
