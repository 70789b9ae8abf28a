"""Feedback marks on staff cells: a fill and a note authored `sheetsync`, the staff's own fill
and note remembered in the hidden marks tab and given back once the problem is fixed."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import fromstring, tostring

from sheetsync.contract import MARKS_TAB, is_output_tab, normalise_header
from sheetsync.tabs import CellMark
from sheetsync.workbook.legacy_notes import Note
from sheetsync.workbook.xlsx.reading import find_sheet
from sheetsync.workbook.xlsx.writing import clean_text, protect_formula_like_text

log = logging.getLogger(__name__)


MARK_AUTHOR = "sheetsync"
MARK_HEADING = "sheetsync:"  # first line of every mark note: says where it came from
ERROR_FILL_RGB = "FFFFC7CE"  # light red (Excel's "Bad" style)
WARNING_FILL_RGB = "FFFFEB9C"  # light yellow (Excel's "Neutral" style)
MARK_FILLS = {"error": ERROR_FILL_RGB, "warning": WARNING_FILL_RGB}
MARKS_HEADER = ("Tab", "Row", "Column", "Original Fill", "Original Note", "Message")


# --------------------------------------------------------------------------------------------
# Feedback marks on staff cells


@dataclass(frozen=True, slots=True)
class MarkRecord:
    """One marked staff cell as remembered in MARKS_TAB, with what staff had there before."""

    tab: str
    row: int
    column: str
    original_fill: str  # the fill's XML ('' when the cell had the default fill)
    original_note: str  # JSON {"author", "text"} ('' when the cell had no note)
    message: str


def read_mark_records(book: OpenpyxlWorkbook) -> list[MarkRecord]:
    if MARKS_TAB not in book.sheetnames:
        return []
    records = []
    for values in book[MARKS_TAB].iter_rows(min_row=2, values_only=True):
        padded = [("" if v is None else v) for v in (*values, *[""] * 6)][:6]
        tab, row, column, fill, note, message = padded
        if tab and str(row).isdigit():
            records.append(
                MarkRecord(str(tab), int(row), str(column), str(fill), str(note), str(message))
            )
    return records


def write_mark_records(book: OpenpyxlWorkbook, records: Sequence[MarkRecord]) -> None:
    """Rewrite the hidden tab whole; it is sheetsync's memory, not something staff edit."""
    if MARKS_TAB in book.sheetnames:
        book.remove(book[MARKS_TAB])
    sheet = book.create_sheet(MARKS_TAB)
    sheet.sheet_state = "hidden"
    sheet.append(list(MARKS_HEADER))
    for r in records:
        sheet.append([r.tab, r.row, r.column, r.original_fill, r.original_note, r.message])
    protect_formula_like_text(sheet)


def staff_sheets(book: OpenpyxlWorkbook) -> Iterator[Worksheet]:
    for sheet in book.worksheets:
        if not is_output_tab(sheet.title):
            yield sheet


def header_columns(sheet: Worksheet) -> dict[str, int]:
    """Normalised header text -> 1-based column index (first occurrence wins)."""
    columns: dict[str, int] = {}
    for cell in next(sheet.iter_rows(min_row=1, max_row=1), ()):
        key = normalise_header(cell.value)
        if key and key not in columns:
            columns[key] = cell.column
    return columns


def locate_cell(book: OpenpyxlWorkbook, tab: str, row: int, column: str) -> Cell | None:
    """The staff cell at (tab, row, header), or None if the tab or header is not there."""
    if row < 1 or is_output_tab(tab):
        return None
    sheet = find_sheet(book, tab)
    if sheet is None or is_output_tab(sheet.title):
        return None
    col = header_columns(sheet).get(normalise_header(column))
    return None if col is None else sheet.cell(row=row, column=col)


def has_mark_fill(cell: Cell) -> bool:
    fill = cell.fill  # a StyleProxy: read attributes, do not isinstance-check it
    color = getattr(getattr(fill, "fgColor", None), "rgb", None)
    return getattr(fill, "patternType", None) == "solid" and color in MARK_FILLS.values()


def has_mark_note(cell: Cell) -> bool:
    """sheetsync's note: by its author, or by its first line where the author was lost
    (LibreOffice drops note authors when it saves an .xlsx)."""
    comment = cell.comment
    if comment is None:
        return False
    return comment.author == MARK_AUTHOR or (comment.text or "").startswith(MARK_HEADING)


def is_mark_note(note: Note) -> bool:
    """The same test for a note read from the package (`has_mark_note` is for a cell's)."""
    return note.author == MARK_AUTHOR or note.text.startswith(MARK_HEADING)


def restore_marked_cells(book: OpenpyxlWorkbook, records: Iterable[MarkRecord]) -> None:
    """Put back the staff's own fill and note where sheetsync's mark is still in place.

    A cell whose mark staff already changed (they recoloured it, deleted the note) is left as
    they made it: their edit is newer than anything sheetsync remembers.
    """
    for record in records:
        cell = locate_cell(book, record.tab, record.row, record.column)
        if cell is None:
            continue
        if has_mark_fill(cell):
            cell.fill = fill_from_text(record.original_fill)
        if has_mark_note(cell):
            cell.comment = note_from_text(record.original_note)


def remove_orphan_marks(book: OpenpyxlWorkbook) -> None:
    """Remove sheetsync notes that moved away from their record (staff inserted rows/columns)."""
    for sheet in staff_sheets(book):
        for cell in existing_cells(sheet):
            if has_mark_note(cell):
                if has_mark_fill(cell):
                    cell.fill = PatternFill()
                cell.comment = None


def existing_cells(sheet: Worksheet) -> list[Cell]:
    """Cells the file really holds.

    `iter_rows()` would walk (and create) every cell of the used rectangle, which for a tab
    whose columns staff formatted to the bottom means a million empty cells.
    """
    cells = getattr(sheet, "_cells", None)
    if isinstance(cells, dict):
        return [c for c in cells.values() if isinstance(c, Cell)]
    return [cell for row in sheet.iter_rows() for cell in row]


def apply_marks(book: OpenpyxlWorkbook, marks: Sequence[CellMark]) -> list[MarkRecord]:
    """Highlight each marked cell once (error wins over warning; messages joined)."""
    records = []
    for (tab, row, column), group in group_marks(marks).items():
        cell = locate_cell(book, tab, row, column)
        if cell is None:
            continue
        message = "\n".join(dict.fromkeys(m.message for m in group))
        severity = "error" if any(m.severity == "error" for m in group) else "warning"
        records.append(
            MarkRecord(
                tab=cell.parent.title,
                row=row,
                column=column,
                original_fill=fill_to_text(cell.fill),
                original_note=note_to_text(cell.comment),
                message=message,
            )
        )
        mark_cell(cell, severity, message)
    return records


def group_marks(marks: Sequence[CellMark]) -> dict[tuple[str, int, str], list[CellMark]]:
    grouped: dict[tuple[str, int, str], list[CellMark]] = {}
    for mark in marks:
        grouped.setdefault((mark.tab, mark.row, normalise_header(mark.column)), []).append(mark)
    return {(tab, row, group[0].column): group for (tab, row, _), group in grouped.items()}


def mark_cell(cell: Cell, severity: str, message: str) -> None:
    rgb = MARK_FILLS.get(severity, WARNING_FILL_RGB)
    cell.fill = PatternFill("solid", fgColor=rgb, bgColor=rgb)
    text = f"{MARK_HEADING}\n{clean_text(message)}"
    lines = max(3, text.count("\n") + 1 + len(text) // 45)
    cell.comment = Comment(text, MARK_AUTHOR, height=min(20 * lines, 400), width=320)


def fill_to_text(fill: Fill) -> str:
    plain = copy.copy(fill)  # unwrap openpyxl's StyleProxy
    if isinstance(plain, PatternFill) and plain.patternType is None:
        return ""
    return tostring(plain.to_tree()).decode("utf-8")


def fill_from_text(text: str) -> Fill:
    if not text:
        return PatternFill()
    try:
        return Fill.from_tree(fromstring(text.encode("utf-8")))
    except Exception:  # a hand-edited marks tab must not stop the sync
        log.warning("Cannot restore a fill remembered in %s: %r", MARKS_TAB, text[:80])
        return PatternFill()


def note_to_text(comment: Comment | None) -> str:
    if comment is None:
        return ""
    return json.dumps(
        {"author": comment.author or "", "text": comment.text or ""}, ensure_ascii=False
    )


def note_from_text(text: str) -> Comment | None:
    if not text:
        return None
    try:
        data = json.loads(text)
        return Comment(str(data.get("text", "")), str(data.get("author", "")))
    except (ValueError, AttributeError):
        return Comment(text, "")
