"""The .xlsx backend: text as staff see it, output tabs replaced whole, staff tabs untouched."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheetsync.contract import MARKS_TAB
from sheetsync.errors import SinkError, SourceError, WorkbookLockedError
from sheetsync.tabs import CellMark, OutputTab
from sheetsync.workbook.package.parts import read_parts, sheet_entries, sheets_with_formulas
from sheetsync.workbook.template import create_staff_workbook, fill_staff_workbook
from sheetsync.workbook.xlsx import XlsxWorkbook
from sheetsync.workbook.xlsx.marks import ERROR_FILL_RGB, MARK_AUTHOR, WARNING_FILL_RGB
from sheetsync.workbook.xlsx.reading import shown_cell_text
from sheetsync.workbook.xlsx.writing import clean_text

STAFF_GREEN = "FFC6EFCE"


# ----------------------------------------------------------------------------------- helpers


@functools.cache
def staff_workbook_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return build_staff_workbook(Path(folder)).read_bytes()


def make_workbook(folder: Path) -> Path:
    """A copy of the staff workbook (built once: openpyxl is slow enough to matter)."""
    path = folder / "program.xlsx"
    path.write_bytes(staff_workbook_bytes())
    return path


def build_staff_workbook(folder: Path) -> Path:
    """A staff workbook as a person leaves it: data, an extra column, own colours and notes."""
    path = folder / "program.xlsx"
    create_staff_workbook(path)
    fill_staff_workbook(
        path,
        {
            "Desa": [
                ["19.02.04.2004", "Air Seruk", "Sijuk"],
                ["19.02.01.1001", "Kota", "Tanjungpandan"],
                ["007", "Aik Seruk", "Sijuk"],
            ],
            "Toko": [
                ["TK-001", "Shopee", "Kopi Aik Seruk", "Yanti", "19.02.04.2004", "DD-001",
                 dt.date(2026, 8, 2)],
                ["TK-002", "Tokopedia", "=HYPERLINK(\"x\")", "Budi", "19.02.01.1001", "DD-404",
                 "02/08/2026"],
            ],
        },
    )  # fmt: skip
    book = openpyxl.load_workbook(path)
    toko = book["Toko"]
    toko["H1"] = "Keterangan"  # an extra column staff added
    toko["H2"] = "toko lama, pindah alamat"
    toko["C2"].fill = PatternFill("solid", fgColor=STAFF_GREEN, bgColor=STAFF_GREEN)
    toko["C2"].font = Font(italic=True)
    toko["F3"].comment = Comment("cek ke Pak Kades", "Rina")
    toko["B3"].fill = PatternFill("solid", fgColor="FFFFFF00", bgColor="FFFFFF00")
    toko["B3"].comment = Comment("marketplace baru", "Rina")
    toko.column_dimensions["C"].width = 41
    extra = DataValidation(type="whole", operator="greaterThan", formula1="0")
    extra.add("H2:H50")
    toko.add_data_validation(extra)
    book["Desa"]["D1"] = "Total"
    book["Desa"]["D2"] = "=LEN(B2)"  # a staff formula is kept as a formula
    toko.conditional_formatting.add(
        "G2:G200", CellIsRule(operator="lessThan", formula=["DATE(2025,1,1)"], fill=PatternFill(
            "solid", fgColor="FFD9D9D9", bgColor="FFD9D9D9"))
    )  # fmt: skip
    toko.row_dimensions[3].hidden = True
    toko["H3"].hyperlink = "https://example.org/toko"
    book.create_sheet("Catatan Staf")["A1"] = "daftar kunjungan"  # a tab of their own
    book.save(path)
    return path


def snapshot_staff_tabs(path: Path) -> dict[str, object]:
    """Everything staff could care about in their tabs, comparable with ==."""
    book = openpyxl.load_workbook(path)
    shot: dict[str, object] = {}
    for sheet in book.worksheets:
        if sheet.title.startswith(("KPI ", "_sheetsync")) or sheet.title in {"Ringkasan", "Log"}:
            continue
        cells = {}
        for row in sheet.iter_rows():
            for c in row:
                note = (c.comment.text, c.comment.author) if c.comment else None
                fill = copy.copy(c.fill)
                cells[c.coordinate] = (
                    c.value,
                    c.data_type,
                    c.number_format,
                    (fill.patternType, getattr(fill.fgColor, "rgb", None)),
                    c.font.italic,
                    c.font.bold,
                    note,
                )
        shot[sheet.title] = {
            "cells": cells,
            "widths": {k: d.width for k, d in sheet.column_dimensions.items()},
            "validations": sorted(
                (str(v.sqref), v.type, v.formula1) for v in sheet.data_validations.dataValidation
            ),
            "freeze": sheet.freeze_panes,
            "state": sheet.sheet_state,
            "conditional": sorted(str(r.sqref) for r in sheet.conditional_formatting),
            "hidden_rows": sorted(i for i, d in sheet.row_dimensions.items() if d.hidden),
            "links": sorted(c.hyperlink.target for c in cells_with_links(sheet)),
        }
    return shot


def cells_with_links(sheet: Worksheet) -> list[Cell]:
    return [c for row in sheet.iter_rows() for c in row if c.hyperlink]


def kpi_tab(rows: list[tuple[object, ...]]) -> OutputTab:
    return OutputTab(
        "KPI Toko",
        ("ID Toko", "Nama Toko", "Penjualan (Rp)", "Capaian"),
        rows,
        {"Penjualan (Rp)": "rupiah", "Capaian": "percent"},
    )


def load_cell(path: Path, tab: str, coordinate: str) -> openpyxl.cell.cell.Cell:
    return openpyxl.load_workbook(path)[tab][coordinate]


# ----------------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (None, "General", ""),
        ("007", "@", "007"),
        ("  spasi ", "General", "  spasi "),
        (7, "General", "7"),
        (7.0, "General", "7"),
        (1250000.0, "#,##0", "1250000"),
        (0.1 + 0.2, "General", "0.3"),
        (2.5, "General", "2.5"),
        (81234567890, "0", "81234567890"),
        (0.8, "0%", "80%"),
        (True, "General", "TRUE"),
        (dt.datetime(2026, 8, 2), "dd/mm/yyyy", "2026-08-02"),
        (dt.datetime(2026, 8, 2, 14, 3, 22), "dd/mm/yyyy hh:mm:ss", "2026-08-02 14:03:22"),
        (dt.datetime(2026, 8, 2, 14, 3, 21, 999_600), "yyyy-mm-dd h:mm:ss", "2026-08-02 14:03:22"),
        (dt.datetime(2026, 8, 2, 0, 0), "yyyy-mm-dd hh:mm", "2026-08-02 00:00:00"),
        (dt.datetime(2026, 8, 2, 9, 30), "General", "2026-08-02 09:30:00"),
        (dt.datetime(2026, 8, 2, 9, 30), "[$-421]d mmmm yyyy;@", "2026-08-02"),
        (dt.date(2026, 8, 2), "General", "2026-08-02"),
        (dt.time(14, 3, 22), "h:mm:ss", "14:03:22"),
    ],
)
def test_cell_text_is_what_staff_see(value: object, number_format: str, expected: str) -> None:
    assert shown_cell_text(value, number_format) == expected


def test_read_tabs_returns_text_with_true_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Desa"
    sheet.append(["Kode Desa", "Nama Desa", "Kecamatan", None])
    sheet.append(["007", "Air Seruk"])  # short row: padded
    sheet.append([])  # blank row: kept, so the next row is still sheet row 4
    sheet.append([19020, 3.0, dt.datetime(2026, 8, 2, 14, 3, 22), "beyond header"])
    sheet["C4"].number_format = "dd/mm/yyyy hh:mm:ss"
    sheet["A10"] = None  # trailing blank rows are not data
    sheet["B12"].fill = PatternFill("solid", fgColor="FFFFFF00")
    book.save(path)

    table = XlsxWorkbook(path).read_tabs(["desa"])["desa"]

    assert table.header == ("Kode Desa", "Nama Desa", "Kecamatan")
    assert table.rows == (
        ("007", "Air Seruk", ""),
        ("", "", ""),
        ("19020", "3", "2026-08-02 14:03:22"),
    )
    assert table.sheet_row(2) == 4


def test_missing_tabs_are_absent_and_empty_tab_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    create_staff_workbook(path)
    tables = XlsxWorkbook(path).read_tabs(["Desa", "Tidak Ada"])
    assert set(tables) == {"Desa"}
    assert tables["Desa"].header == ("Kode Desa", "Nama Desa", "Kecamatan")
    assert tables["Desa"].rows == ()


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"not found.*sheetsync init"):
        XlsxWorkbook(tmp_path / "tidak-ada.xlsx").read_tabs(["Desa"])


@pytest.mark.parametrize("name", ["program.xls", "program.xlsm", "program.ods"])
def test_other_spreadsheet_formats_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(staff_workbook_bytes())
    with pytest.raises(SourceError, match=r"not an \.xlsx file.*Excel Workbook"):
        XlsxWorkbook(path).write([kpi_tab([])], [])
    assert path.read_bytes() == staff_workbook_bytes()


def test_a_file_that_is_not_xlsx_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(SourceError, match=r"cannot be read as \.xlsx"):
        XlsxWorkbook(path).read_tabs(["Desa"])


# ----------------------------------------------------------------------------------- locks


@pytest.mark.parametrize("lock_name", ["~$program.xlsx", ".~lock.program.xlsx#", "~$ogram.xlsx"])
def test_reads_but_never_writes_while_open_in_a_spreadsheet_program(
    tmp_path: Path, lock_name: str
) -> None:
    path = make_workbook(tmp_path)
    before = path.read_bytes()
    (tmp_path / lock_name).write_bytes(b"")
    workbook = XlsxWorkbook(path)
    assert workbook.read_tabs(["Desa"])["Desa"].rows[0][0] == "19.02.04.2004"
    expected = re.escape(f"sedang dibuka di Excel/LibreOffice (ada berkas kunci {lock_name})")
    with pytest.raises(WorkbookLockedError, match=expected) as write_error:
        workbook.write([kpi_tab([("TK-001", "x", 1, 0.5)])], [])
    assert "mencoba lagi pada sinkronisasi berikutnya" in str(write_error.value)
    assert write_error.value.retryable
    assert path.read_bytes() == before


# ----------------------------------------------------------------------------------- writing


def test_staff_tabs_stay_untouched_through_marks_added_changed_and_removed(
    tmp_path: Path,
) -> None:
    path = make_workbook(tmp_path)
    original = snapshot_staff_tabs(path)
    original_tables = XlsxWorkbook(path).read_tabs(["Desa", "Toko"])
    workbook = XlsxWorkbook(path)
    first_marks = [
        CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-404 tidak ada di tab Duta."),
        CellMark("Toko", 2, "Nama Toko", "warning", "Nama toko mirip toko lain."),  # staff green
        CellMark("Toko", 3, "Marketplace", "warning", "Periksa marketplace."),  # staff note
        CellMark("Desa", 4, "nama  desa", "error", "Maksud Anda Air Seruk (19.02.04.2004)?"),
        CellMark("Desa", 4, "Nama Desa", "warning", "Nama desa ditulis dua kali."),
        CellMark("Tidak Ada", 2, "X", "error", "tab hilang: diabaikan"),
        CellMark("Toko", 2, "Kolom Hilang", "error", "kolom hilang: diabaikan"),
    ]

    workbook.write([kpi_tab([("TK-001", "Kopi", 1_250_000, 0.8)])], first_marks)

    toko_f3 = load_cell(path, "Toko", "F3")
    assert toko_f3.fill.fgColor.rgb == ERROR_FILL_RGB
    assert toko_f3.comment.author == MARK_AUTHOR
    assert toko_f3.comment.text == "sheetsync:\nID Duta DD-404 tidak ada di tab Duta."
    desa_b4 = load_cell(path, "Desa", "B4")
    assert desa_b4.fill.fgColor.rgb == ERROR_FILL_RGB  # error wins over warning
    assert desa_b4.comment.text.splitlines() == [
        "sheetsync:",
        "Maksud Anda Air Seruk (19.02.04.2004)?",
        "Nama desa ditulis dua kali.",
    ]
    assert load_cell(path, "Toko", "C2").fill.fgColor.rgb == WARNING_FILL_RGB

    # second sync: one problem fixed, one still open, one new
    workbook.write(
        [kpi_tab([])],
        [
            CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-404 tidak ada di tab Duta."),
            CellMark("Desa", 2, "Kecamatan", "warning", "Kecamatan ditulis berbeda."),
        ],
    )
    assert load_cell(path, "Toko", "C2").fill.fgColor.rgb == STAFF_GREEN
    assert load_cell(path, "Toko", "B3").comment.text == "marketplace baru"
    assert load_cell(path, "Toko", "F3").comment.author == MARK_AUTHOR
    assert load_cell(path, "Desa", "C2").comment.author == MARK_AUTHOR

    # third sync: everything fixed
    workbook.write([kpi_tab([])], [])

    assert snapshot_staff_tabs(path) == original
    assert XlsxWorkbook(path).read_tabs(["Desa", "Toko"]) == original_tables


def test_marks_are_remembered_in_a_hidden_tab(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    XlsxWorkbook(path).write([], [CellMark("Toko", 2, "Nama Toko", "warning", "Cek nama.")])
    book = openpyxl.load_workbook(path)
    marks = book[MARKS_TAB]
    assert marks.sheet_state == "hidden"
    assert book.active.sheet_state == "visible"
    header, *records = list(marks.values)
    assert header == ("Tab", "Row", "Column", "Original Fill", "Original Note", "Message")
    assert len(records) == 1
    assert records[0][:3] == ("Toko", 2, "Nama Toko")
    assert STAFF_GREEN in records[0][3]
    assert records[0][5] == "Cek nama."


def test_a_fill_staff_changed_on_a_marked_cell_is_kept(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    workbook = XlsxWorkbook(path)
    workbook.write([], [CellMark("Desa", 3, "Kecamatan", "error", "Salah.")])
    book = openpyxl.load_workbook(path)
    book["Desa"]["C3"].fill = PatternFill("solid", fgColor="FF0000FF", bgColor="FF0000FF")
    book.save(path)

    workbook.write([], [])

    cell = load_cell(path, "Desa", "C3")
    assert cell.fill.fgColor.rgb == "FF0000FF"
    assert cell.comment is None


def test_marks_that_moved_with_inserted_rows_are_cleaned_up(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    workbook = XlsxWorkbook(path)
    workbook.write([], [CellMark("Desa", 3, "Nama Desa", "error", "Salah.")])
    book = openpyxl.load_workbook(path)
    book["Desa"].insert_rows(2)  # openpyxl moves values but not notes; move both like Excel
    book["Desa"]["B4"].comment = Comment("Salah.", MARK_AUTHOR)
    book["Desa"]["B4"].fill = PatternFill("solid", fgColor=ERROR_FILL_RGB, bgColor=ERROR_FILL_RGB)
    book["Desa"]["B3"].comment = None
    book["Desa"]["B3"].fill = PatternFill()
    book.save(path)

    workbook.write([], [])

    sheet = openpyxl.load_workbook(path)["Desa"]
    notes = [c.coordinate for row in sheet.iter_rows() for c in row if c.comment]
    assert notes == ["A1"]  # only the template's instruction note remains
    assert sheet["B4"].fill.patternType is None


def test_output_tabs_are_replaced_whole_in_place(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    workbook = XlsxWorkbook(path)
    many = [(f"TK-{i:03d}", f"Toko {i}", i * 1000, i / 10) for i in range(1, 6)]
    validasi = OutputTab("Validasi", ("Tab", "Baris", "Pesan"), [("Toko", 3, "Salah")])
    workbook.write([kpi_tab(many), validasi], [])
    order_after_first = openpyxl.load_workbook(path).sheetnames

    workbook.write([kpi_tab([("TK-009", "Baru", 5, None)]), validasi], [])

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == order_after_first
    sheet = book["KPI Toko"]
    assert [list(r) for r in sheet.values] == [
        ["ID Toko", "Nama Toko", "Penjualan (Rp)", "Capaian"],
        ["TK-009", "Baru", 5, None],
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.auto_filter.ref == "A1:D2"
    assert sheet["C2"].number_format == '[$-421]"Rp "#,##0'
    assert sheet["D2"].number_format == "[$-421]0.0%"
    assert sheet.column_dimensions["B"].width >= len("Nama Toko")


def test_formula_like_text_is_written_as_text(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    risky = ['=HYPERLINK("http://x","klik")', "+6281234", "-", "@SUM(A1)", "=1+1"]
    XlsxWorkbook(path).write([kpi_tab([(text, text, 0, 0) for text in risky])], [])

    sheet = openpyxl.load_workbook(path)["KPI Toko"]
    for row, text in enumerate(risky, start=2):
        assert sheet.cell(row, 1).value == text
        assert sheet.cell(row, 1).data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheet_names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheet_names if b"KPI" in n.encode())
    assert XlsxWorkbook(path).read_tabs(["KPI Toko"])["KPI Toko"].rows[0][0] == risky[0]


def test_output_values_from_pandas_and_numpy_become_plain_cells(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    path = make_workbook(tmp_path)
    tab = kpi_tab([(np.str_("TK-1"), "a\x00b", np.int64(5), np.float64("nan")), ("x", pd.NA, 1, 2)])
    XlsxWorkbook(path).write([tab], [])
    rows = XlsxWorkbook(path).read_tabs(["KPI Toko"])["KPI Toko"].rows
    assert rows == (("TK-1", "ab", "5", ""), ("x", "", "1", "200%"))


def test_refuses_to_write_a_staff_tab_as_output(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    before = path.read_bytes()
    with pytest.raises(SinkError, match="not one of sheetsync's output tabs"):
        XlsxWorkbook(path).write([OutputTab("Toko", ("ID Toko",), [("x",)])], [])
    assert path.read_bytes() == before


# ----------------------------------------------------------------------------------- atomicity


def test_a_crash_while_saving_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_workbook(tmp_path)
    before = path.read_bytes()
    real_save = openpyxl.Workbook.save

    def crash_half_way(self: openpyxl.Workbook, filename: str) -> None:
        real_save(self, filename)
        with open(filename, "r+b") as handle:  # a half-written file, then the process dies
            handle.truncate(os.path.getsize(filename) // 2)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", crash_half_way)
    with pytest.raises(SinkError, match="No space left on device"):
        XlsxWorkbook(path).write([kpi_tab([("TK-1", "x", 1, 1)])], [])

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["program.xlsx"]


def test_a_file_saved_by_someone_else_meanwhile_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_workbook(tmp_path)
    real_save = openpyxl.Workbook.save

    def staff_save_meanwhile(self: openpyxl.Workbook, filename: str) -> None:
        real_save(self, filename)
        path.write_bytes(path.read_bytes() + b"")  # same bytes, but a new save time
        os.utime(path, ns=(1, 1))

    monkeypatch.setattr(openpyxl.Workbook, "save", staff_save_meanwhile)
    before = path.read_bytes()
    with pytest.raises(WorkbookLockedError, match="disimpan orang lain"):
        XlsxWorkbook(path).write([kpi_tab([])], [])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["program.xlsx"]


def test_writing_twice_with_the_same_inputs_gives_the_same_tabs(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    workbook = XlsxWorkbook(path)
    marks = [CellMark("Toko", 3, "ID Duta", "error", "Salah.")]
    workbook.write([kpi_tab([("TK-1", "x", 1, 0.5)])], marks)
    first = workbook.read_tabs(["KPI Toko", MARKS_TAB, "Toko"])
    workbook.write([kpi_tab([("TK-1", "x", 1, 0.5)])], marks)
    assert workbook.read_tabs(["KPI Toko", MARKS_TAB, "Toko"]) == first


def test_the_file_shows_the_last_write_until_someone_saves_it(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    marks = [CellMark("Toko", 3, "ID Duta", "error", "Salah.")]
    assert XlsxWorkbook(path).last_write_token() is None  # nothing written yet
    writer = XlsxWorkbook(path)
    writer.write([kpi_tab([("TK-1", "x", 1, 0.5)])], marks)
    token = writer.last_write_token()
    assert token is not None

    later = XlsxWorkbook(path)  # the next run: a new backend, the token kept by the pipeline
    later.read_tabs(["Toko"])
    tabs = [kpi_tab([("TK-1", "x", 1, 0.5)])]
    assert later.shows_last_write(token, tabs, marks)

    book = openpyxl.load_workbook(path)
    book["Toko"]["B3"].value = "Diubah staf"
    book.save(path)
    assert not later.shows_last_write(token, tabs, marks)
    path.unlink()
    assert not later.shows_last_write(token, tabs, marks)


# ----------------------------------------------------------------------------------- properties

cell_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(cell_texts, min_size=1, max_size=30))
def test_any_text_written_to_an_output_tab_reads_back_as_text(
    tmp_path: Path, texts: list[str]
) -> None:
    path = make_workbook(tmp_path)
    XlsxWorkbook(path).write([kpi_tab([(t, None, None, None) for t in texts])], [])
    read = XlsxWorkbook(path).read_tabs(["KPI Toko"])["KPI Toko"].rows
    expected = [clean_text(t) for t in texts]
    assert [row[0] for row in read] + [""] * (len(texts) - len(read)) == expected


def test_a_formula_without_a_saved_result_reads_as_its_formula(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)  # Desa!D2 holds =LEN(B2), saved by openpyxl: no result
    workbook = XlsxWorkbook(path)
    desa = workbook.read_tabs(["Desa"])["Desa"]
    assert desa.header[3] == "Total"
    assert [row[3] for row in desa.rows] == ["=LEN(B2)", "", ""]
    assert any("Desa!D2" in w and "open and save" in w for w in workbook.load_warnings)
    toko = workbook.read_tabs(["Toko"])["Toko"]
    assert toko.rows[1][2] == '=HYPERLINK("x")'  # text typed by staff, not a formula
    assert workbook.load_warnings == []


def test_only_tabs_holding_a_formula_are_read_for_formulas(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)  # Desa!D2 holds =LEN(B2); Toko only typed values
    parts = read_parts(path.read_bytes())
    assert "Desa" in sheets_with_formulas(parts)
    assert "Toko" not in sheets_with_formulas(parts)
    desa = next(e.part for e in sheet_entries(parts) if e.name == "Desa")
    prefixed = parts[desa].replace(b"<f>", b"<x:f>").replace(b"</f>", b"</x:f>")
    assert "Desa" in sheets_with_formulas({**parts, desa: prefixed})
    assert "Desa" not in sheets_with_formulas(
        {**parts, desa: re.sub(rb"<f>.*?</f>", b"", parts[desa])}
    )


def test_a_package_with_broken_xml_is_a_source_error_not_a_crash(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["xl/_rels/workbook.xml.rels"] += b"<not xml"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(SourceError, match=r"cannot be read as \.xlsx"):
        XlsxWorkbook(path).read_tabs(["Desa"])


def test_openpyxl_warnings_are_kept_not_raised(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"  # an Excel 2010 extension openpyxl cannot keep
    parts[sheet] = parts[sheet].replace(
        b"</worksheet>",
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="0"/></ext></extLst></worksheet>',
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    workbook = XlsxWorkbook(path)
    workbook.write([kpi_tab([])], [])
    assert any("Data Validation extension" in w for w in workbook.load_warnings)


def test_temporary_files_of_a_killed_run_are_cleaned_up(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    stale = tmp_path / ".~sheetsync-abc123.xlsx"
    fresh = tmp_path / ".~sheetsync-def456.xlsx"  # maybe another run saving right now
    for temp in (stale, fresh):
        temp.write_bytes(b"half a workbook")
    os.utime(stale, (1, 1))
    XlsxWorkbook(path).write([kpi_tab([])], [])
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, "program.xlsx"]


# ----------------------------------------------------------------------------------- LibreOffice


def resave_in_libreoffice(path: Path, profile: Path) -> None:
    """Open and save the workbook in LibreOffice, as staff who use it would."""
    out = path.parent / "resaved"
    command = [
        str(shutil.which("soffice")),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(out),
        str(path),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    shutil.move(out / path.name, path)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_marks_are_removed_after_staff_saved_the_file_in_libreoffice(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    workbook = XlsxWorkbook(path)
    workbook.write(
        [kpi_tab([("=evil", "x", 1, 0.5)])],
        [
            CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-404 tidak ada di tab Duta."),
            CellMark("Toko", 2, "Nama Toko", "warning", "Nama toko mirip toko lain."),
        ],
    )
    resave_in_libreoffice(path, tmp_path / "lo-profile")
    resaved = openpyxl.load_workbook(path)
    assert resaved["Toko"]["F3"].comment.author != MARK_AUTHOR  # LibreOffice drops authors
    assert resaved["KPI Toko"]["A2"].value == "=evil"  # still text, not a formula

    workbook.write([kpi_tab([])], [])

    toko = openpyxl.load_workbook(path)["Toko"]
    assert toko["F3"].comment.text == "cek ke Pak Kades"
    assert toko["F3"].fill.patternType is None
    assert toko["C2"].fill.fgColor.rgb == STAFF_GREEN
    notes = [c.comment.text for row in toko.iter_rows() for c in row if c.comment]
    assert not [text for text in notes if text.startswith("sheetsync:")]
