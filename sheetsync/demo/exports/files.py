"""Cells and files: Rupiah and date styles as each kind of file shows them, and the bytes
of .xlsx, old .xls and re-saved CSV files.

Shared by every marketplace writer of this package: the quirks people meet when a file is
re-saved (BOM, `;` or tab separators, Windows-1252, money styles, Excel serial dates) live
here once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zlib
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from sheetsync.demo.exports.specs import Cell

# --------------------------------------------------------------------------- value styles

MONEY_STYLES = ("dots", "rp", "plain", "en", "decimal", "number")
DATE_STYLES = ("native", "excel", "dmy")


def format_money(amount: int, style: str) -> Cell:
    """Rupiah the way each kind of file shows it ("number" stays a numeric cell)."""
    grouped = f"{amount:,}"
    match style:
        case "dots":
            return grouped.replace(",", ".")
        case "rp":
            return "Rp " + grouped.replace(",", ".")
        case "plain":
            return str(amount)
        case "en":
            return f"{amount:,}.00"
        case "decimal":
            return f"{amount}.00"
        case "number":
            return amount
    raise ValueError(f"unknown money style {style!r}; choose from {MONEY_STYLES}")


EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def excel_serial(moment: dt.datetime) -> float:
    """The number Excel stores for a date-time (days since 1899-12-30)."""
    return round((moment - EXCEL_EPOCH) / dt.timedelta(days=1), 8)


def format_date(moment: dt.datetime | None, native: str, style: str) -> Cell:
    """A date-time in the marketplace's own text form, or as Excel re-saves it."""
    if moment is None:
        return "-" if native.startswith("%Y") else ""
    match style:
        case "native":
            return moment.strftime(native)
        case "excel":
            return moment  # a real date cell in XLSX, a serial number in CSV
        case "dmy":
            return moment.strftime("%d/%m/%Y %H:%M")
    raise ValueError(f"unknown date style {style!r}; choose from {DATE_STYLES}")


# --------------------------------------------------------------------------- file writers


def write_table(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    fmt: str,
    sheet: str = "Sheet1",
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """Write rows (title rows and header included) as XLSX, old XLS or CSV."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path.write_bytes(xlsx_bytes(rows, sheet=sheet))
    elif fmt == "xls":
        path.write_bytes(xls_bytes(rows, sheet=sheet))
    elif fmt == "csv":
        path.write_bytes(csv_bytes(rows, sep=sep, bom=bom, encoding=encoding))
    else:
        raise ValueError(f"unknown format {fmt!r}; choose xlsx, xls or csv")
    return path


def xlsx_bytes(rows: Sequence[Sequence[Cell]], *, sheet: str = "Sheet1") -> bytes:
    """An .xlsx with one sheet; text stays text (never a formula, number or link)."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}
    with xlsxwriter.Workbook(buffer, options) as book:
        # a fixed creation stamp: the same rows give the same bytes (and the same sha256)
        book.set_properties({"created": dt.datetime(2026, 1, 1)})
        worksheet = book.add_worksheet(sheet)
        date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write_cell(worksheet, r, c, value, date_format)
    return buffer.getvalue()


def xls_bytes(rows: Sequence[Sequence[Cell]], *, sheet: str = "Sheet1") -> bytes:
    """A real Excel 97-2003 .xls (BIFF8, an OLE2 file), as Shopee exported until about
    2020. Needs xlwt (a test-only dependency: the project itself only reads .xls)."""
    import xlwt  # type: ignore[import-untyped,unused-ignore]

    book = xlwt.Workbook(encoding="utf-8")
    worksheet = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                worksheet.write(r, c, value, date_style)
            elif value is not None and value != "":
                worksheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_cell(worksheet: Worksheet, r: int, c: int, value: Cell, date_format: Format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.datetime):
        worksheet.write_datetime(r, c, value, date_format)
    elif isinstance(value, int | float):
        worksheet.write_number(r, c, value)
    else:
        worksheet.write_string(r, c, value)


def csv_bytes(
    rows: Sequence[Sequence[Cell]], *, sep: str = ",", bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    """CSV as a person's spreadsheet program re-saves it (BOM, separator, encoding)."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=sep, lineterminator="\r\n")
    writer.writerows([[_csv_text(v) for v in row] for row in rows])
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return repr(excel_serial(value))
    return str(value)


def stable_number(text: str, digits: int) -> str:
    """Digits derived from `text`, the same in every run (files must be reproducible)."""
    return f"{zlib.crc32(text.encode()) % 10**digits:0{digits}d}"
