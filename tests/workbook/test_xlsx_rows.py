"""Output tab cells written as XML read exactly as the openpyxl cells sheetsync wrote before.

Every comparison writes the same OutputTab both ways (`cell_by_cell`, the old path, kept
as the reference) and reads both files back with openpyxl and python-calamine, cell by
cell: value, type, number format, quote prefix, header look; then the sheet: frozen row,
filter, widths, the range it states. Two differences are intended and tested on their own:
text that reads like an Excel error stays text, text of spaces only keeps its spaces.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from cell_by_cell import CellByCellWorkbook, replace_output_tab_cell_by_cell
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
from package_samples import parts_of, rewrite
from python_calamine import CalamineWorkbook
from test_xlsx import make_workbook, snapshot_staff_tabs

from sheetsync.contract import MARKS_TAB, is_output_tab
from sheetsync.tabs import CellMark, OutputTab
from sheetsync.workbook.package.parts import sheet_entries
from sheetsync.workbook.package.sheet_data import with_sheet_rows
from sheetsync.workbook.xlsx import XlsxWorkbook
from sheetsync.workbook.xlsx.rows import replace_output_tab
from sheetsync.workbook.xlsx.writing import MAX_CELL_TEXT

HEADER = ("=Total", "Nama", "", "Penjualan (Rp)", "Capaian", "Tanggal", "Kode", "Berat")
FORMATS = {
    "Penjualan (Rp)": "rupiah",
    "Capaian": "percent",
    "Tanggal": "date",
    "Kode": "text",
    "Berat": '0.000" kg"',  # a format code, not a name
}
ODD_VALUES: list[object] = [
    None,
    "",
    "Desa Air Seruk – Sijuk ✓ 漢字 🙂",
    "<b>&amp; \"kutip\" 'satu' ]]>",
    '=HYPERLINK("http://x","klik")',
    "=",
    "+6281234",
    "-",
    "@SUM(A1)",
    " spasi di tepi ",
    "baris\r\nbaru\rlagi\n",
    "nol\x00dan\x07bel\x1f",
    "x" * (MAX_CELL_TEXT + 100),
    0,
    -1,
    1_250_000,
    10**17,
    0.1 + 0.2,
    1 / 3,  # all 16 digits
    1e-9,
    float("nan"),
    math.inf,
    -math.inf,
    True,
    False,
    np.int64(7),
    np.float64(2.5),
    np.float64("nan"),
    np.bool_(False),
    np.str_("numpy"),
    np.datetime64("2026-08-02T14:03:22"),
    pd.NA,
    pd.NaT,
    pd.Timestamp("2026-08-02 09:30:00"),
    dt.date(2026, 8, 2),
    dt.date(1900, 1, 15),  # before Excel's phantom 29 Feb 1900
    dt.datetime(2026, 8, 2, 14, 3, 22, 500_000),
    dt.time(14, 3, 22),
]


def odd_rows() -> list[tuple[object, ...]]:
    """Each odd value in every column, then rows shorter and longer than the header."""
    rows: list[tuple[object, ...]] = [(value,) * len(HEADER) for value in ODD_VALUES]
    rows += [(), ("pendek",), ("TK-1", "Toko", None, 5), (*range(len(HEADER)), "lebih", 9)]
    return [*rows, (None,) * len(HEADER)]


def odd_tab(
    rows: Sequence[Sequence[object]] | None = None,
    name: str = "KPI Toko",
    formats: dict[str, str] = FORMATS,
) -> OutputTab:
    return OutputTab(name, HEADER, odd_rows() if rows is None else rows, formats)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- writing both ways


def written_cell_by_cell(tabs: Sequence[OutputTab], epoch: dt.datetime) -> bytes:
    book = openpyxl.Workbook()
    book.epoch = epoch
    for tab in tabs:
        replace_output_tab_cell_by_cell(book, tab)
    return saved(book)


def written_as_rows(tabs: Sequence[OutputTab], epoch: dt.datetime) -> bytes:
    book = openpyxl.Workbook()
    book.epoch = epoch
    rows = {tab.name: replace_output_tab(book, tab) for tab in tabs}
    return with_sheet_rows(saved(book), rows)


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def loaded(data: bytes, **options: bool) -> openpyxl.Workbook:
    with warnings.catch_warnings():  # 1e17 in a date column: openpyxl warns, both ways
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), **options)


# ----------------------------------------------------------------------------- reading back


def openpyxl_cells(data: bytes, tab: str) -> dict[str, tuple[object, ...]]:
    """Every cell of the tab's used rectangle as openpyxl reads it: value and its type,
    number format, quote prefix and the header's look."""
    sheet = loaded(data)[tab]
    cells = {}
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column):
        for cell in row:
            cells[cell.coordinate] = (
                cell.value,
                type(cell.value).__name__,
                cell.number_format,
                cell.quotePrefix,
                cell.font.b,
                cell.fill.fgColor.rgb if cell.fill.patternType else None,
                cell.alignment.vertical,
            )
    return cells


def calamine_values(data: bytes, tab: str) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(tab).to_python()


def sheet_facts(data: bytes, tab: str) -> dict[str, object]:
    book = loaded(data)
    sheet = book[tab]
    stated = loaded(data, read_only=True)[tab]
    return {
        "freeze": sheet.freeze_panes,
        "filter": sheet.auto_filter.ref,
        "filter name": {str(n.value) for n in sheet.defined_names.values()},
        "widths": {k: d.width for k, d in sheet.column_dimensions.items()},
        "stated range": stated.calculate_dimension(),  # the <dimension> element
        "size": (sheet.max_row, sheet.max_column),
        "state": sheet.sheet_state,
        "order": book.sheetnames,
    }


def assert_read_alike(old: bytes, new: bytes, tab: str) -> None:
    assert openpyxl_cells(new, tab) == openpyxl_cells(old, tab)
    assert sheet_facts(new, tab) == sheet_facts(old, tab)
    expected = calamine_values(old, tab)
    for r, (was, now) in enumerate(zip(expected, calamine_values(new, tab), strict=True)):
        for c, (before, after) in enumerate(zip(was, now, strict=True)):
            if before != after or type(before) is not type(after):
                assert intended_difference(before, after), (r + 1, c + 1, before, after)


def intended_difference(before: object, after: object) -> bool:
    """calamine read '' where the old file held an error value for a text like '#N/A', or
    text of spaces without xml:space="preserve"; now it reads the text."""
    return before == "" and isinstance(after, str) and (after.startswith("#") or not after.strip())


# ----------------------------------------------------------------------------- the same cells


@pytest.mark.parametrize("epoch", [CALENDAR_WINDOWS_1900, CALENDAR_MAC_1904])
def test_odd_values_read_as_the_cells_openpyxl_wrote(epoch: dt.datetime) -> None:
    tab = odd_tab()
    old, new = written_cell_by_cell([tab], epoch), written_as_rows([tab], epoch)
    assert_read_alike(old, new, tab.name)


@pytest.mark.parametrize(
    "rows",
    [[], [()], [(None,)], [("a",)], [(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)]],
    ids=["no rows", "one empty row", "one blank", "one short", "one long"],
)
def test_tabs_of_few_rows_read_alike(rows: list[tuple[object, ...]]) -> None:
    tab = odd_tab(rows)
    old = written_cell_by_cell([tab], CALENDAR_WINDOWS_1900)
    new = written_as_rows([tab], CALENDAR_WINDOWS_1900)
    assert_read_alike(old, new, tab.name)


def test_a_tab_without_formats_or_header_reads_alike() -> None:
    tabs = [
        OutputTab("Log", ("Mulai", "Status"), [("2026-09-02 07:00:00", "ok", 3)]),
        OutputTab("Validasi", (), [("tanpa", "judul")]),
        OutputTab("Ringkasan", (), []),
    ]
    old = written_cell_by_cell(tabs, CALENDAR_WINDOWS_1900)
    new = written_as_rows(tabs, CALENDAR_WINDOWS_1900)
    for tab in tabs:
        assert_read_alike(old, new, tab.name)


def test_text_that_reads_like_an_error_or_is_spaces_stays_that_text() -> None:
    tab = OutputTab("Validasi", ("Nilai",), [("#N/A",), ("#DIV/0!",), ("   ",)])
    new = written_as_rows([tab], CALENDAR_WINDOWS_1900)
    sheet = loaded(new)["Validasi"]
    assert [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2)] == [
        ("#N/A", "s"),
        ("#DIV/0!", "s"),
        ("   ", "s"),
    ]
    assert calamine_values(new, "Validasi")[1:] == [["#N/A"], ["#DIV/0!"], ["   "]]


def test_formula_like_text_is_never_a_formula() -> None:
    texts = ["=1+1", '=HYPERLINK("x")', "+62", "-5", "@A1", "="]
    new = written_as_rows([odd_tab([(t,) * len(HEADER) for t in texts])], CALENDAR_WINDOWS_1900)
    assert b"<f>" not in new_sheet_xml(new, "KPI Toko")
    sheet = loaded(new)["KPI Toko"]
    for row, text in enumerate(texts, start=2):
        for cell in sheet[row]:
            assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert sheet["A1"].quotePrefix and sheet["A1"].font.b  # the header "=Total" too


def new_sheet_xml(package: bytes, tab: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    [part] = [e.part for e in sheet_entries(parts) if e.name == tab]
    return parts[part]


# ----------------------------------------------------------------------------- random rows

SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"),
    max_size=20,
)
FORMULA_LIKE = st.builds(lambda p, t: p + t, st.sampled_from(["=", "+", "-", "@", "#"]), SAFE_TEXT)
ILLEGAL = st.text(alphabet=st.sampled_from(["\x00", "\x01", "\x0b", "\x1f", "\r", "\n", "a"]))
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    SAFE_TEXT,
    FORMULA_LIKE,
    ILLEGAL,
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.sampled_from([pd.NA, np.int64(3), np.float64(0.25), np.bool_(True), np.str_("np")]),
)


# calamine panics on a number far beyond 9999-12-31 in a date column, whichever way it was
# written: the random rows have no date column (dates keep openpyxl's own date format)
RANDOM_FORMATS = {k: v for k, v in FORMATS.items() if v != "date"}


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(VALUES, max_size=len(HEADER) + 2), max_size=12))
def test_random_rows_read_as_the_cells_openpyxl_wrote(rows: list[list[object]]) -> None:
    tab = odd_tab(rows, formats=RANDOM_FORMATS)
    old = written_cell_by_cell([tab], CALENDAR_WINDOWS_1900)
    new = written_as_rows([tab], CALENDAR_WINDOWS_1900)
    assert_read_alike(old, new, tab.name)


# ----------------------------------------------------------------------------- the whole write


def test_a_write_reads_as_the_write_before_and_leaves_staff_tabs_alike(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old_path, new_path = make_workbook(tmp_path / "old"), make_workbook(tmp_path / "new")
    marks = [CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-404 tidak ada di tab Duta.")]
    tabs = [odd_tab(), odd_tab(odd_rows()[:5], name="KPI Desa"), odd_tab([], name="Validasi")]
    for rows in (odd_rows(), list(reversed(odd_rows()))):  # empty output tabs, then full ones
        tabs[0] = odd_tab(rows)
        CellByCellWorkbook(old_path).write(tabs, marks)
        XlsxWorkbook(new_path).write(tabs, marks)
        old, new = old_path.read_bytes(), new_path.read_bytes()
        for tab in [*tabs, OutputTab(MARKS_TAB, (), [])]:
            assert_read_alike(old, new, tab.name)
        assert staff_tabs(new_path) == staff_tabs(old_path)
        assert loaded(new).calculation.fullCalcOnLoad


def staff_tabs(path: Path) -> dict[str, object]:
    """Everything staff could care about in their own tabs (the output tabs are compared
    by `assert_read_alike`)."""
    with warnings.catch_warnings():  # 1e17 in a date column of an output tab
        warnings.simplefilter("ignore", UserWarning)
        shot = snapshot_staff_tabs(path)
    return {name: tab for name, tab in shot.items() if not is_output_tab(name)}


def test_the_spliced_write_reads_as_the_write_before(featured: Path, tmp_path: Path) -> None:
    other = tmp_path / "old" / featured.name
    other.parent.mkdir()
    other.write_bytes(featured.read_bytes())
    tabs = [odd_tab(), odd_tab([], name="Validasi")]
    for workbook in (CellByCellWorkbook(other), XlsxWorkbook(featured)):
        workbook.write(tabs, [])
        workbook.write(tabs, [])
        assert workbook.kept_features, "the splice path is taken"
    old, new = other.read_bytes(), featured.read_bytes()
    for tab in [*tabs, OutputTab(MARKS_TAB, (), [])]:
        assert_read_alike(old, new, tab.name)
    assert b'<c r="A1" s="' in new_sheet_xml(new, "KPI Toko")
    assert b'<c r="A2"' not in new_sheet_xml(new, "Validasi")


def test_the_old_cells_of_a_replaced_tab_are_not_read(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    XlsxWorkbook(path).write([odd_tab([("TK-1",)])], [])
    parts = parts_of(path)
    [part] = [e.part for e in sheet_entries(parts) if e.name == "KPI Toko"]
    parts[part] = parts[part].replace(b"</sheetData>", b"<row r='x'><c r='??'/></sheetData>")
    rewrite(path, parts)  # openpyxl could not load this sheet

    XlsxWorkbook(path).write([odd_tab([("TK-2",)])], [])

    assert loaded(path.read_bytes())["KPI Toko"]["A2"].value == "TK-2"


# ----------------------------------------------------------------------------- LibreOffice

SHOWN_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def shown_in_libreoffice(package: bytes, folder: Path) -> dict[str, str]:
    """Every tab as LibreOffice shows it (its cells' text as formatted), one CSV a tab."""
    folder.mkdir()
    (folder / "w.xlsx").write_bytes(package)
    command = [
        str(shutil.which("soffice")),
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        SHOWN_CSV,
        "--outdir",
        str(folder),
        str(folder / "w.xlsx"),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("w-*.csv"))}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_same_tabs(tmp_path: Path) -> None:
    tabs = [odd_tab(), odd_tab(odd_rows()[:7], name="KPI Desa", formats=RANDOM_FORMATS)]
    old = shown_in_libreoffice(written_cell_by_cell(tabs, CALENDAR_WINDOWS_1900), tmp_path / "a")
    new = shown_in_libreoffice(written_as_rows(tabs, CALENDAR_WINDOWS_1900), tmp_path / "b")
    assert set(new) >= {"w-KPI Toko.csv", "w-KPI Desa.csv"}
    assert new == old
