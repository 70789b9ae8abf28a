"""How sheetsync wrote output tabs before `xlsx.rows`: every value an openpyxl cell, the
whole workbook loaded and saved by openpyxl. Kept as the reference the new path is compared
with (tests/workbook/test_xlsx_rows.py) and timed against (bench/bench_workbook_write.py);
the code is as it was, not a product path."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook
from openpyxl.worksheet.worksheet import Worksheet

from sheetsync.contract import MARKS_TAB
from sheetsync.tabs import CellMark, OutputTab
from sheetsync.workbook.base import refuse_staff_tabs
from sheetsync.workbook.package import splice_output_tabs
from sheetsync.workbook.xlsx import XlsxWorkbook
from sheetsync.workbook.xlsx.files import (
    ensure_unchanged_since_load,
    ensure_workbook_usable,
    file_state,
    replace_via_temp_file,
)
from sheetsync.workbook.xlsx.marks import (
    apply_marks,
    is_mark_note,
    read_mark_records,
    remove_orphan_marks,
    restore_marked_cells,
    write_mark_records,
)
from sheetsync.workbook.xlsx.writing import (
    HEADER_FILL,
    clean_text,
    fit_column_widths,
    keep_a_visible_sheet_active,
    number_format_for,
    output_value,
    protect_formula_like_text,
)


def replace_output_tab_cell_by_cell(book: OpenpyxlWorkbook, tab: OutputTab) -> None:
    """Drop the old tab (if any) and write a fresh one at the same position."""
    index = None
    if tab.name in book.sheetnames:
        index = book.sheetnames.index(tab.name)
        book.remove(book[tab.name])
    sheet = book.create_sheet(tab.name, index)
    write_header(sheet, tab.header)
    formats = [number_format_for(tab.formats.get(h)) for h in tab.header]
    for row in tab.rows:
        sheet.append([output_value(v) for v in row])
    apply_column_formats(sheet, formats, len(tab.rows))
    protect_formula_like_text(sheet)
    if tab.rows:
        sheet.auto_filter.ref = (
            f"A1:{get_column_letter(max(1, len(tab.header)))}{len(tab.rows) + 1}"
        )
    fit_column_widths(sheet, tab.header, tab.rows)


def write_header(sheet: Worksheet, header: Sequence[str]) -> None:
    sheet.append([clean_text(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    sheet.freeze_panes = "A2"


def apply_column_formats(sheet: Worksheet, formats: Sequence[str | None], rows: int) -> None:
    for col, fmt in enumerate(formats, start=1):
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, max_row=rows + 1, min_col=col, max_col=col):
            cell.number_format = fmt


class CellByCellWorkbook(XlsxWorkbook):
    """XlsxWorkbook whose `write` is the one before `xlsx.rows`."""

    def write(self, tabs: Sequence[OutputTab], marks: Sequence[CellMark]) -> None:
        refuse_staff_tabs(tabs)
        ensure_workbook_usable(self.path)
        loaded_state = file_state(self.path)
        original = self.path.read_bytes()
        self.load_warnings = []
        book = self._load(original, read_only=False, data_only=False)
        restore_marked_cells(book, read_mark_records(book))
        remove_orphan_marks(book)
        records = apply_marks(book, marks)
        for tab in tabs:
            replace_output_tab_cell_by_cell(book, tab)
        write_mark_records(book, records)
        keep_a_visible_sheet_active(book)
        book.calculation.fullCalcOnLoad = True
        names = [tab.name for tab in tabs] + [MARKS_TAB]

        def write_keeping_staff_parts(temp: Path) -> None:
            book.save(temp)
            saved = temp.read_bytes()
            self.kept_features = self._unkept(original, saved)
            if self.kept_features:
                spliced = splice_output_tabs(
                    original, saved, names, hidden=[MARKS_TAB], is_mark_note=is_mark_note
                )
                temp.write_bytes(spliced)

        replace_via_temp_file(
            self.path,
            write_keeping_staff_parts,
            before_replace=lambda: ensure_unchanged_since_load(self.path, loaded_state),
        )
        self._written = self._token()
