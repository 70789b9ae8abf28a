"""Views -> an XLSX workbook (xlsxwriter): a summary sheet and one sheet per detail table.

Officials re-use these figures in their own spreadsheets, so cells hold typed values
(integers, rupiah as numbers with a "Rp" format, percentages as numbers) rather than the
formatted text of the PDF; headers are frozen and every table has a filter.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

FORMATS = {
    "int": "#,##0",
    "idr": '"Rp" #,##0',
    "pct": '0" %"',
    "change": '+0" %";-0" %";0" %"',
    "text": "@",
}
MAX_SHEET_NAME = 31


class _Styles:
    """The cell formats of one workbook (xlsxwriter formats belong to their workbook)."""

    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14, "font_color": "#17324D"})
        self.subtitle = book.add_format({"italic": True, "font_color": "#4A5560"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.header = book.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#17324D",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        self.kinds = {kind: book.add_format({"num_format": f}) for kind, f in FORMATS.items()}


def workbook_bytes(view: dict[str, Any]) -> bytes:
    """The whole XLSX file for one report view."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    styles = _Styles(book)
    book.set_properties(
        {"title": view["title"], "subject": view["month_label"], "company": view["program_name"]}
    )
    _summary_sheet(book, styles, view)
    used = {view["t"]["summary"]}
    for table in view["tables"]:
        name = _unique_sheet_name(table["title"], used)
        _table_sheet(book.add_worksheet(name), styles, table, view)
    trend_name = _unique_sheet_name(view["t"]["month"] + " (12)", used)
    _trend_sheet(book, styles, view, trend_name)
    _trend_chart(book, book.get_worksheet_by_name(view["t"]["summary"]), view, trend_name)
    _quality_sheet(book, styles, view, _unique_sheet_name(view["t"]["data_quality"], used))
    book.close()
    return buffer.getvalue()


def _unique_sheet_name(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, no []:*?/\\, unique in the workbook."""
    base = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:MAX_SHEET_NAME].strip()
    name, n = base, 2
    while name.casefold() in {u.casefold() for u in used}:
        suffix = f" {n}"
        name, n = base[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _summary_sheet(book: Workbook, styles: _Styles, view: dict[str, Any]) -> None:
    t = view["t"]
    sheet = book.add_worksheet(t["summary"])
    sheet.write_string(0, 0, view["title"], styles.title)
    sheet.write_string(
        1, 0, f"{view['program_name']} · {t['period']}: {view['month_label']}", styles.subtitle
    )
    sheet.write_string(2, 0, f"{t['as_of']} {view['as_of_text']}", styles.subtitle)
    sheet.merge_range(3, 0, 3, 6, view["summary"], styles.wrap)
    sheet.set_row(3, 60)
    sheet.set_landscape()
    header_row = 5
    columns = [
        t["figure"],
        t["this_month"],
        t["last_month"],
        t["target"],
        t["achievement"],
        t["status"],
        t["change"],
    ]
    _write_header(sheet, styles, header_row, columns)
    for i, h in enumerate(view["headline"], start=header_row + 1):
        kind = styles.kinds[h["kind"]]
        sheet.write_string(i, 0, h["label"])
        _write_number(sheet, i, 1, h["value"], kind)
        _write_number(sheet, i, 2, h["previous"], kind)
        _write_number(sheet, i, 3, h["target"], kind)
        _write_number(sheet, i, 4, h["achievement_pct"], styles.kinds["pct"])
        sheet.write_string(i, 5, h["status_label"])
        sheet.write_string(i, 6, h["change_text"])
    last = header_row + len(view["headline"])
    sheet.autofilter(header_row, 0, max(last, header_row), len(columns) - 1)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 6, 16)


def _table_sheet(
    sheet: Worksheet, styles: _Styles, table: dict[str, Any], view: dict[str, Any]
) -> None:
    columns = table["columns"]
    _write_header(sheet, styles, 0, [c["label"] for c in columns])
    for r, (raw_row, cell_row) in enumerate(zip(table["rows"], table["cells"], strict=True), 1):
        for c, (column, raw, cell) in enumerate(zip(columns, raw_row, cell_row, strict=True)):
            _write_cell(sheet, styles, r, c, column["kind"], raw, cell["text"])
    sheet.autofilter(0, 0, max(len(table["rows"]), 1), max(len(columns) - 1, 0))
    sheet.freeze_panes(1, 0)
    for c, column in enumerate(columns):
        sheet.set_column(c, c, 30 if column["kind"] == "text" and c in (1, 2) else 16)


def _write_cell(
    sheet: Worksheet, styles: _Styles, r: int, c: int, kind: str, raw: object, text: str
) -> None:
    if kind in ("int", "idr", "pct", "change") and isinstance(raw, int | float):
        sheet.write_number(r, c, raw, styles.kinds[kind])
    elif raw is None and kind in ("int", "idr", "pct", "change"):
        sheet.write_blank(r, c, None)
    elif kind in ("status", "filed", "change"):
        sheet.write_string(r, c, text)
    else:
        sheet.write_string(r, c, "" if raw is None else str(raw))


def _write_number(sheet: Worksheet, r: int, c: int, value: object, fmt: object) -> None:
    if isinstance(value, int | float):
        sheet.write_number(r, c, value, fmt)
    else:
        sheet.write_blank(r, c, None)


def _write_header(sheet: Worksheet, styles: _Styles, row: int, labels: list[str]) -> None:
    """Header cells, and the print set-up officials expect: A4, one page wide, header
    repeated on every printed page."""
    for c, label in enumerate(labels):
        sheet.write_string(row, c, label, styles.header)
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(row)


def _trend_sheet(book: Workbook, styles: _Styles, view: dict[str, Any], name: str) -> None:
    t = view["t"]
    sheet = book.add_worksheet(name)
    _write_header(sheet, styles, 0, [t["month"], t["transactions"], t["sales"]])
    for r, point in enumerate(view["trend"], start=1):
        sheet.write_string(r, 0, point["month_label"])
        sheet.write_number(r, 1, point["transactions"], styles.kinds["int"])
        sheet.write_number(r, 2, point["sales_idr"], styles.kinds["idr"])
    sheet.autofilter(0, 0, max(len(view["trend"]), 1), 2)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 2, 18)


def _trend_chart(
    book: Workbook, summary: Worksheet | None, view: dict[str, Any], data: str
) -> None:
    """The 12-month chart of the PDF as a native Excel chart: columns of transactions on the
    left axis, a line of sales on the right, drawn from the trend sheet's cells."""
    if summary is None or not view["trend"]:
        return
    t, last = view["t"], len(view["trend"])
    ref = f"'{data}'"
    columns = book.add_chart({"type": "column"})
    columns.add_series(
        {
            "name": t["transactions"],
            "categories": f"={ref}!$A$2:$A${last + 1}",
            "values": f"={ref}!$B$2:$B${last + 1}",
            "fill": {"color": "#2F6F9F"},
        }
    )
    line = book.add_chart({"type": "line"})
    line.add_series(
        {
            "name": t["sales"],
            "categories": f"={ref}!$A$2:$A${last + 1}",
            "values": f"={ref}!$C$2:$C${last + 1}",
            "y2_axis": True,
            "line": {"color": "#D9822B", "width": 2.25},
        }
    )
    columns.combine(line)
    columns.set_title({"name": t["trend"], "name_font": {"size": 11}})
    columns.set_y_axis({"num_format": "#,##0"})
    line.set_y2_axis({"num_format": '"Rp" #,##0'})
    columns.set_legend({"position": "bottom"})
    columns.set_size({"width": 720, "height": 300})
    summary.insert_chart(len(view["headline"]) + 8, 0, columns)


def _quality_sheet(book: Workbook, styles: _Styles, view: dict[str, Any], name: str) -> None:
    """Every issue in scope (the PDF shows the first ones; the workbook has them all)."""
    t = view["t"]
    sheet = book.add_worksheet(name)
    _write_header(sheet, styles, 0, [t["status"], t["source"], t["row"], t["column"], t["message"]])
    issues = view["quality"].get("all_issues", view["quality"]["issues"])
    for r, issue in enumerate(issues, start=1):
        sheet.write_string(r, 0, issue["severity_label"])
        sheet.write_string(r, 1, issue["source"])
        if issue["row"]:
            sheet.write_number(r, 2, int(issue["row"]))
        sheet.write_string(r, 3, issue["column"])
        sheet.write_string(r, 4, issue["message"])
    sheet.autofilter(0, 0, max(len(issues), 1), 4)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 3, 14)
    sheet.set_column(4, 4, 80)
