"""The local .xlsx backend (openpyxl) of the workbook port.

Staff keep the programme in one .xlsx file that they also open in Excel or LibreOffice, so
this backend is careful in four ways:

- It reads the *text staff see*: "007" stays "007", 7.0 reads "7", a date cell reads as ISO
  text ("2026-08-02", "2026-08-02 14:03:22") that the validation parser accepts.
- It never changes a value in a staff tab. It replaces its own output tabs whole and adds
  feedback marks (fill + note authored ``sheetsync``) to staff cells; the fill and note staff
  had there before are remembered in the hidden tab `contract.MARKS_TAB` and restored once the
  problem is fixed.
- It writes atomically (temporary file in the same folder + `os.replace`), never while a
  spreadsheet program holds the file open (its lock file is present: reading goes on, the
  write waits for the next run), and refuses to replace a file that someone saved while
  sheetsync was working on it.
- It drops nothing staff made. openpyxl keeps charts, images, validations, conditional
  formats, defined names and pivot tables it can read, but not threaded comments, slicers,
  form controls, sheet extensions (sparklines …) or chart features beyond its model. Before
  saving, `workbook.package.unkept_features` compares the package with what openpyxl models
  and with openpyxl's copy; if anything would be lost, only the output tabs are written into
  the original package and every other part stays byte for byte (`package.py` says how
  feedback marks are kept in that mode: the fill, and the note beside the staff's notes,
  threaded comments and form controls, except on a cell holding a threaded comment).

Formulas in staff tabs keep their cached value in that mode; after an openpyxl save they
lose it until the file is next saved by a spreadsheet program (the workbook is flagged to
recalculate on open). Warnings openpyxl gives while loading are kept in
`XlsxWorkbook.load_warnings` instead of being printed.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import fromstring, tostring

from sheetsync.contract import MARKS_TAB, is_output_tab, normalise_header
from sheetsync.errors import SinkError, SourceError, WorkbookLockedError
from sheetsync.issues import Issue, Severity
from sheetsync.messages import THREADED_ONLY_FILLED, IssueCode, language_of
from sheetsync.messages import message as catalogue_message
from sheetsync.tabs import CellMark, CellValue, OutputTab, SheetTable, plain_cell_text
from sheetsync.workbook.base import refuse_staff_tabs
from sheetsync.workbook.legacy_notes import Note
from sheetsync.workbook.package import TYPE_LABELS, splice_output_tabs, unkept_features

log = logging.getLogger(__name__)

MARK_AUTHOR = "sheetsync"
MARK_HEADING = "sheetsync:"  # first line of every mark note: says where it came from
ERROR_FILL_RGB = "FFFFC7CE"  # light red (Excel's "Bad" style)
WARNING_FILL_RGB = "FFFFEB9C"  # light yellow (Excel's "Neutral" style)
MARK_FILLS = {"error": ERROR_FILL_RGB, "warning": WARNING_FILL_RGB}
MARKS_HEADER = ("Tab", "Row", "Column", "Original Fill", "Original Note", "Message")

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
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7", bgColor="FFDDEBF7")
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


# --------------------------------------------------------------------------------------------
# The backend


class XlsxWorkbook:
    """The programme workbook as a local .xlsx file (implements `workbook.base.Workbook`)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # what the last read or write could not keep or compute, for the run log
        self.load_warnings: list[str] = []
        self.uncomputed_formulas: dict[str, list[str]] = {}  # tab -> cells, last read
        # what the workbook holds that openpyxl would drop (so writes keep the package)
        self.kept_features: list[str] = []
        self._written: str | None = None  # last_write_token

    def read_tabs(self, names: Sequence[str]) -> dict[str, SheetTable]:
        """Read the named tabs as text; a tab that is not in the file is absent from the result.

        Tab names match exactly first, then case- and space-insensitively, like headers.
        """
        ensure_workbook_readable(self.path)  # open in Excel is fine: the saved file is read
        self.load_warnings = []
        self.uncomputed_formulas = {}
        data = self.path.read_bytes()
        values = self._load(data, read_only=True, data_only=True)
        formulas = self._load(data, read_only=True, data_only=False)
        self.kept_features = self._unkept(data)
        try:
            with self._warnings_kept():  # read-only sheets are parsed while they are read
                return self._read_tables(values, formulas, names)
        finally:
            values.close()
            formulas.close()

    def _read_tables(
        self, values: OpenpyxlWorkbook, formulas: OpenpyxlWorkbook, names: Sequence[str]
    ) -> dict[str, SheetTable]:
        tables = {}
        for name in names:
            sheet = find_sheet(values, name)
            if sheet is not None:
                uncomputed: list[str] = []
                tables[name] = read_table(sheet, name, formulas[sheet.title], uncomputed)
                self.load_warnings += uncomputed_formula_warning(sheet.title, uncomputed)
                if uncomputed:
                    self.uncomputed_formulas[sheet.title] = uncomputed
        return tables

    def _unkept(self, original: bytes, saved: bytes | None = None) -> list[str]:
        """What an openpyxl save would drop; a package too odd to tell is never overwritten."""
        try:
            return unkept_features(original, saved)
        except (ElementTree.ParseError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise SourceError(
                f"Buku kerja {self.path} memuat bagian yang tidak dapat dibaca ({exc}); "
                "simpan ulang dari Excel/LibreOffice sebagai 'Excel Workbook (.xlsx)'."
            ) from exc

    @contextlib.contextmanager
    def _warnings_kept(self) -> Iterator[None]:
        """openpyxl's warnings go to `load_warnings` and the log, never to the console."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for message in dict.fromkeys(str(w.message) for w in caught):
            if message not in self.load_warnings:
                self.load_warnings.append(message)
                log.warning("openpyxl while loading %s: %s", self.path, message)

    def write(self, tabs: Sequence[OutputTab], marks: Sequence[CellMark]) -> None:
        """Replace the output tabs and the feedback marks in one atomic save."""
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
            replace_output_tab(book, tab)
        write_mark_records(book, records)
        keep_a_visible_sheet_active(book)
        book.calculation.fullCalcOnLoad = True
        names = [tab.name for tab in tabs] + [MARKS_TAB]

        def write_keeping_staff_parts(temp: Path) -> None:
            book.save(temp)
            saved = temp.read_bytes()
            self.kept_features = self._unkept(original, saved)
            if self.kept_features:  # openpyxl's copy would lose them: keep the original package
                spliced = splice_output_tabs(
                    original, saved, names, hidden=[MARKS_TAB], is_mark_note=is_mark_note
                )
                temp.write_bytes(spliced)
                log.info("kept in %s untouched: %s", self.path, ", ".join(self.kept_features))

        replace_via_temp_file(
            self.path,
            write_keeping_staff_parts,
            before_replace=lambda: ensure_unchanged_since_load(self.path, loaded_state),
        )
        self._written = self._token()

    def last_write_token(self) -> str | None:
        """The file as the last `write` left it (its path and the sha256 of its bytes)."""
        return self._written

    def shows_last_write(
        self, token: str, tabs: Sequence[OutputTab], marks: Sequence[CellMark]
    ) -> bool:
        """Whether the file is still byte for byte what a write left (`token`): then it shows
        that write's output tabs and marks, and no one has saved it since."""
        try:
            return self._token() == token
        except OSError:
            return False

    def _token(self) -> str:
        digest = hashlib.sha256(self.path.read_bytes()).hexdigest()
        return f"{self.path.resolve()}:{digest}"

    def notices(self, language: str = "id") -> list[Issue]:
        """For Validasi: what the workbook holds that sheetsync writes around, and how
        (worded in `language`, the programme's)."""
        if not self.kept_features:
            return []
        return [kept_features_issue(self.path.name, self.kept_features, language)]

    def _load(self, data: bytes, *, read_only: bool, data_only: bool) -> OpenpyxlWorkbook:
        """Open the file's bytes; openpyxl's warnings are kept, its exceptions SourceError."""
        with self._warnings_kept():
            try:
                return openpyxl.load_workbook(
                    io.BytesIO(data), read_only=read_only, data_only=data_only, keep_links=True
                )
            except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
                raise SourceError(
                    f"Workbook {self.path} cannot be read as .xlsx ({exc}). "
                    "Save it from Excel/LibreOffice as 'Excel Workbook (.xlsx)' and run again."
                ) from exc


THREADED_LABEL = TYPE_LABELS["application/vnd.ms-excel.threadedcomments+xml"]


def kept_features_issue(file_name: str, features: Sequence[str], language: str = "id") -> Issue:
    # Excel allows a threaded comment or a note in a cell, not both: there a mark is its fill.
    threaded = THREADED_ONLY_FILLED[language_of(language)] if THREADED_LABEL in features else ""
    return Issue(
        code=str(IssueCode.WORKBOOK_PARTS_KEPT),
        severity=Severity.WARNING,
        source=file_name,
        row=None,
        column=None,
        value=None,
        message=catalogue_message(
            IssueCode.WORKBOOK_PARTS_KEPT, language, features=", ".join(features), threaded=threaded
        ),
    )


# --------------------------------------------------------------------------------------------
# Preconditions: the file exists and no spreadsheet program holds it


def lock_file_candidates(path: Path) -> list[Path]:
    """Lock files of Excel (`~$name`, Word-style `~$me` for long names) and LibreOffice."""
    name = path.name
    candidates = [path.with_name("~$" + name), path.with_name(f".~lock.{name}#")]
    if len(name) > 2:
        candidates.append(path.with_name("~$" + name[2:]))
    return candidates


def ensure_workbook_usable(path: Path) -> None:
    """Raise SourceError when the file is missing or not .xlsx, WorkbookLockedError while it
    is open in a spreadsheet program (so writing it now would fight with the person's save)."""
    ensure_workbook_readable(path)
    ensure_not_open(path)


def ensure_workbook_readable(path: Path) -> None:
    """Raise SourceError when the file is missing or not .xlsx.

    A workbook open in Excel can still be read: what it holds on disk is what staff last
    saved, which is what every run reads anyway.
    """
    if not path.is_file():
        raise SourceError(
            f"Workbook {path} not found. Check [workbook] path in the config, "
            "or create an empty one with `sheetsync init`."
        )
    if path.suffix.lower() != ".xlsx":
        raise SourceError(
            f"Workbook {path} is not an .xlsx file; sheetsync reads and writes .xlsx only "
            "(macros and the old .xls format would be lost). Save it as 'Excel Workbook (.xlsx)'."
        )


def ensure_not_open(path: Path) -> None:
    """Raise WorkbookLockedError while a spreadsheet program's lock file is beside `path`."""
    for lock in lock_file_candidates(path):
        if lock.exists():
            raise WorkbookLockedError(
                f"Buku kerja {path} sedang dibuka di Excel/LibreOffice (ada berkas kunci "
                f"{lock.name}), jadi tidak ditulis sekarang; sheetsync mencoba lagi pada "
                "sinkronisasi berikutnya. Tutup buku kerja itu; bila tidak sedang dibuka di "
                "mana pun, hapus berkas kunci tersebut."
            )


@dataclass(frozen=True, slots=True)
class FileState:
    """Size and modification time: enough to notice that someone saved the file meanwhile."""

    size: int
    mtime_ns: int


def file_state(path: Path) -> FileState:
    stat = path.stat()
    return FileState(stat.st_size, stat.st_mtime_ns)


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


# --------------------------------------------------------------------------------------------
# Writing output tabs


def replace_output_tab(book: OpenpyxlWorkbook, tab: OutputTab) -> None:
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
    """Bold, shaded, frozen header row: readable when the table is long."""
    sheet.append([clean_text(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    sheet.freeze_panes = "A2"


def number_format_for(name: str | None) -> str | None:
    if not name:
        return None
    return NUMBER_FORMATS.get(name, name)


def apply_column_formats(sheet: Worksheet, formats: Sequence[str | None], rows: int) -> None:
    for col, fmt in enumerate(formats, start=1):
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, max_row=rows + 1, min_col=col, max_col=col):
            cell.number_format = fmt


def output_value(value: object) -> Any:
    """Cell value for openpyxl: numbers stay numbers, missing values blank, text cleaned."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | dt.date | dt.datetime | dt.time):
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


# --------------------------------------------------------------------------------------------
# Atomic save


def save_via_temp_file(
    book: OpenpyxlWorkbook, path: Path, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Save to a temporary file beside `path`, then rename it over `path`."""
    replace_via_temp_file(path, book.save, before_replace=before_replace)


def replace_via_temp_file(
    path: Path,
    write: Callable[[Path], object],
    *,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write a temporary file beside `path`, then rename it over `path`.

    A crash at any point leaves either the old file or the new one, never half of one.
    """
    remove_stale_temp_files(path.parent)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".xlsx", dir=path.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        flush_to_disk(temp)
        if before_replace is not None:
            before_replace()
        if path.exists():
            shutil.copymode(path, temp)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        raise SinkError(f"Cannot save workbook {path}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


TEMP_PREFIX = ".~sheetsync-"
STALE_TEMP_SECONDS = 3600


def remove_stale_temp_files(folder: Path) -> None:
    """Temporary files a killed run left behind (an hour old: no save takes that long)."""
    now = filesystem_now(folder)
    for temp in folder.glob(TEMP_PREFIX + "*.xlsx"):
        with contextlib.suppress(OSError):
            if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                temp.unlink()


def filesystem_now(folder: Path) -> float:
    """The time the file system stamps on a new file in `folder`.

    A file's age is measured on the clock that wrote its mtime (the kernel's, or a network
    share's), not the process clock, which a clock change or a frozen test clock can move.
    """
    with tempfile.TemporaryFile(dir=folder) as probe:
        return os.fstat(probe.fileno()).st_mtime


def flush_to_disk(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def ensure_unchanged_since_load(path: Path, loaded: FileState) -> None:
    ensure_workbook_usable(path)
    if file_state(path) != loaded:
        raise WorkbookLockedError(
            f"Buku kerja {path} disimpan orang lain ketika sheetsync sedang menulisnya; "
            "simpanan mereka tidak ditimpa dan sheetsync mencoba lagi pada sinkronisasi "
            "berikutnya."
        )
