"""XlsxWorkbook: the backend the pipeline talks to (read tabs, write output tabs and
marks in one atomic step, say what the workbook holds that openpyxl cannot keep)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from sheetsync.contract import MARKS_TAB
from sheetsync.errors import SourceError
from sheetsync.issues import Issue, Severity
from sheetsync.messages import THREADED_ONLY_FILLED, IssueCode, language_of
from sheetsync.messages import message as catalogue_message
from sheetsync.tabs import CellMark, OutputTab, SheetTable
from sheetsync.workbook.base import refuse_staff_tabs
from sheetsync.workbook.package import TYPE_LABELS, splice_output_tabs, unkept_features
from sheetsync.workbook.package.parts import Parts, read_parts, sheets_with_formulas
from sheetsync.workbook.package.sheet_data import with_sheet_rows, without_sheet_cells
from sheetsync.workbook.xlsx.files import (
    ensure_unchanged_since_load,
    ensure_workbook_readable,
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
from sheetsync.workbook.xlsx.reading import find_sheet, read_table, uncomputed_formula_warning
from sheetsync.workbook.xlsx.rows import replace_output_tab
from sheetsync.workbook.xlsx.writing import keep_a_visible_sheet_active

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# The backend


_PACKAGE_ERRORS = (ElementTree.ParseError, KeyError, ValueError, zipfile.BadZipFile)


class XlsxWorkbook:
    """The programme workbook as a local .xlsx file (implements `workbook.base.Workbook`)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # what the last read or write could not keep or compute, for the run log
        self.load_warnings: list[str] = []
        self.uncomputed_formulas: dict[str, list[str]] = {}  # tab -> cells, last read
        self.sheets_requests = 0  # a local file: no API
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
        parts = self._parts(data)  # read once: for what a save would drop, and formulas
        self.kept_features = self._unkept(parts)
        formulas = _Formulas(lambda: self._load(data, read_only=True, data_only=False), parts)
        try:
            with self._warnings_kept():  # read-only sheets are parsed while they are read
                return self._read_tables(values, formulas, names)
        finally:
            values.close()
            formulas.close()

    def _read_tables(
        self, values: OpenpyxlWorkbook, formulas: _Formulas, names: Sequence[str]
    ) -> dict[str, SheetTable]:
        tables = {}
        for name in names:
            sheet = find_sheet(values, name)
            if sheet is not None:
                uncomputed: list[str] = []
                formula_sheet = formulas.sheet(sheet.title)
                tables[name] = read_table(sheet, name, formula_sheet, uncomputed)
                self.load_warnings += uncomputed_formula_warning(sheet.title, uncomputed)
                if uncomputed:
                    self.uncomputed_formulas[sheet.title] = uncomputed
        return tables

    def _unkept(self, original: bytes | Parts, saved: bytes | None = None) -> list[str]:
        """What an openpyxl save would drop; a package too odd to tell is never overwritten."""
        try:
            return unkept_features(original, saved)
        except _PACKAGE_ERRORS as exc:
            raise self._unreadable_package(exc) from exc

    def _parts(self, data: bytes) -> Parts:
        try:
            return read_parts(data)
        except _PACKAGE_ERRORS as exc:
            raise self._unreadable_package(exc) from exc

    def _unreadable_package(self, exc: Exception) -> SourceError:
        return SourceError(
            f"Buku kerja {self.path} memuat bagian yang tidak dapat dibaca ({exc}); "
            "simpan ulang dari Excel/LibreOffice sebagai 'Excel Workbook (.xlsx)'."
        )

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
        """Replace the output tabs and the feedback marks in one atomic save.

        openpyxl loads the workbook without the cells of the tabs being replaced and saves
        them with their headers alone; their rows are written into the saved package as
        XML (`rows`, `package.sheet_data`): parsing, building and saving them as openpyxl
        cells took seconds on a province's workbook.
        """
        refuse_staff_tabs(tabs)
        ensure_workbook_usable(self.path)
        loaded_state = file_state(self.path)
        original = self.path.read_bytes()
        self.load_warnings = []
        replaced = {tab.name for tab in tabs} - {MARKS_TAB}  # the marks tab is read
        book = self._load(without_sheet_cells(original, replaced), read_only=False, data_only=False)
        restore_marked_cells(book, read_mark_records(book))
        remove_orphan_marks(book)
        records = apply_marks(book, marks)
        rows = {tab.name: replace_output_tab(book, tab) for tab in tabs}
        write_mark_records(book, records)
        keep_a_visible_sheet_active(book)
        book.calculation.fullCalcOnLoad = True
        names = [tab.name for tab in tabs] + [MARKS_TAB]

        def write_keeping_staff_parts(temp: Path) -> None:
            book.save(temp)
            saved = with_sheet_rows(temp.read_bytes(), rows)
            self.kept_features = self._unkept(original, saved)
            if self.kept_features:  # openpyxl's copy would lose them: keep the original package
                saved = splice_output_tabs(
                    original, saved, names, hidden=[MARKS_TAB], is_mark_note=is_mark_note
                )
                log.info("kept in %s untouched: %s", self.path, ", ".join(self.kept_features))
            temp.write_bytes(saved)

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
            except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError,
                    ElementTree.ParseError) as exc:  # fmt: skip
                raise SourceError(
                    f"Workbook {self.path} cannot be read as .xlsx ({exc}). "
                    "Save it from Excel/LibreOffice as 'Excel Workbook (.xlsx)' and run again."
                ) from exc


class _Formulas:
    """The workbook read with formulas instead of their results, opened only for a tab
    that holds a formula: reading a tab twice was half the time of reading staff tabs."""

    def __init__(self, load: Callable[[], OpenpyxlWorkbook], parts: Parts) -> None:
        self._load = load
        self._book: OpenpyxlWorkbook | None = None
        try:
            self._holding: set[str] | None = sheets_with_formulas(parts)
        except _PACKAGE_ERRORS:
            self._holding = None  # a package too odd to look into: every tab is read twice

    def sheet(self, title: str) -> Any:
        if self._holding is not None and title not in self._holding:
            return None
        if self._book is None:
            self._book = self._load()
        return self._book[title] if title in self._book.sheetnames else None

    def close(self) -> None:
        if self._book is not None:
            self._book.close()


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
