"""The values API (spreadsheets.values.*): value ranges read back trimmed like Google, and
the writes behind update, append, clear and their batch forms, with Google's counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sheetsync.testing.sheets_emulator.a1 import Box, column_letters, quote_title
from sheetsync.testing.sheets_emulator.cells import raw_entered, rendered, user_entered
from sheetsync.testing.sheets_emulator.errors import (
    GOOGLE_CHARS_PER_CELL,
    JSON,
    invalid,
    invalid_list_value,
)
from sheetsync.testing.sheets_emulator.state import Book, Sheet, shift


def value_rows(sheet: Sheet, box: Box, params: Mapping[str, str], locale: str) -> list[list[JSON]]:
    """A box's values, trailing empties trimmed per row and trailing empty rows dropped
    (built from the stored cells only: the grid is sparse)."""
    render = params.get("valueRenderOption", "FORMATTED_VALUE")
    date_render = params.get("dateTimeRenderOption", "SERIAL_NUMBER")
    columns = params.get("majorDimension", "ROWS") == "COLUMNS"
    found: dict[int, dict[int, JSON]] = {}
    for r, c in sheet.keys_in(box):
        value = rendered(sheet.cells[(r, c)], render, date_render, locale)
        if value not in (None, ""):
            outer, inner = (c - box.c0, r - box.r0) if columns else (r - box.r0, c - box.c0)
            found.setdefault(outer, {})[inner] = value
    return [
        [found.get(o, {}).get(i, "") for i in range(max(found.get(o, {}), default=-1) + 1)]
        for o in range(max(found, default=-1) + 1)
    ]


def value_range_json(book: Book, sheet: Sheet, box: Box, params: Mapping[str, str]) -> JSON:
    sheet.check_inside(box)
    out: JSON = {
        "range": book.echo(sheet, box),
        "majorDimension": params.get("majorDimension", "ROWS"),
    }
    rows = value_rows(sheet, box, params, book.locale)
    if rows:
        out["values"] = rows
    return out


def without_zeros(out: JSON) -> JSON:
    """proto3 JSON omits zero counts; so do we."""
    return {k: v for k, v in out.items() if v != 0}


def check_cell_text(value: JSON) -> None:
    if isinstance(value, str) and len(value) > GOOGLE_CHARS_PER_CELL:
        raise invalid(
            "Your input contains more than the maximum of 50000 characters in a single cell."
        )


def rows_of(body: Mapping[str, Any], field_name: str) -> list[list[JSON]]:
    values = body.get("values")
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
        raise invalid_list_value(field_name, values)
    if body.get("majorDimension") == "COLUMNS":
        width = max((len(c) for c in values), default=0)
        return [[col[i] if i < len(col) else None for col in values] for i in range(width)]
    return values


def set_entered(sheet: Sheet, r: int, c: int, value: JSON, option: str) -> None:
    """Store one written value; '' empties the cell's value, formats and notes stay."""
    check_cell_text(value)
    cell = dict(sheet.cell(r, c))
    if value == "":
        cell.pop("userEnteredValue", None)
    elif option == "USER_ENTERED":
        cell["userEnteredValue"], number_format = user_entered(value)
        if number_format:
            fmt = dict(cell.get("userEnteredFormat") or {})
            fmt["numberFormat"] = number_format
            cell["userEnteredFormat"] = fmt
    else:
        cell["userEnteredValue"] = raw_entered(value)
    sheet.put(r, c, cell)


def write_values(book: Book, range_text: str, rows: list[list[JSON]], option: str) -> JSON:
    """values.update semantics: write from the range's top-left, growing the grid as needed."""
    if option not in {"RAW", "USER_ENTERED"}:
        raise invalid("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    sheet, box = book.resolve(range_text)
    height, width = len(rows), max((len(r) for r in rows), default=0)
    sheet.check_inside(replace(box, r1=box.r0 + 1, c1=box.c0 + 1))  # starting off-grid fails
    _check_fits(book, sheet, box, height, width)
    sheet.ensure_size(box.r0 + height, box.c0 + width)
    written: set[tuple[int, int]] = set()
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:  # JSON null: leave the cell as it is
                set_entered(sheet, box.r0 + i, box.c0 + j, value, option)
                written.add((i, j))
    out: JSON = {"spreadsheetId": book.spreadsheet_id}
    extent = Box(box.r0, box.c0, box.r0 + max(height, 1), box.c0 + max(width, 1))
    out["updatedRange"] = book.echo(sheet, extent)
    out["updatedRows"] = len({i for i, _ in written})  # Google counts what was written,
    out["updatedColumns"] = len({j for _, j in written})  # not the extent
    out["updatedCells"] = len(written)
    return without_zeros(out)


def _check_fits(book: Book, sheet: Sheet, box: Box, height: int, width: int) -> None:
    single = box.r1 - box.r0 == 1 and box.c1 - box.c0 == 1
    if single:
        return
    if height > box.r1 - box.r0:
        raise invalid(
            f"Requested writing within range [{book.echo(sheet, box)}], but tried writing to "
            f"row [{box.r0 + height}]"
        )
    if width > box.c1 - box.c0:
        raise invalid(
            f"Requested writing within range [{book.echo(sheet, box)}], but tried writing to "
            f"column [{column_letters(box.c0 + width - 1)}]"
        )


def append_values(book: Book, range_text: str, body: JSON, params: Mapping[str, str]) -> JSON:
    """values.append: find the table in the range, write below it (insert rows if asked)."""
    sheet, box = book.resolve(range_text)
    rows = rows_of(body, "data.values")
    table = _table_box(sheet, box)
    start_r = table.r1 if table else box.r0
    start_c = table.c0 if table else box.c0
    if params.get("insertDataOption") == "INSERT_ROWS" and table:
        _insert_rows(sheet, start_r, len(rows))
    target = f"{quote_title(sheet.title)}!{column_letters(start_c)}{start_r + 1}"
    updates = write_values(book, target, rows, params.get("valueInputOption", ""))
    out: JSON = {"spreadsheetId": book.spreadsheet_id}
    if table:
        out["tableRange"] = book.echo(sheet, table)
    out["updates"] = updates
    return out


def _table_box(sheet: Sheet, box: Box) -> Box | None:
    """Google's "table": rows from the first to the last with data; columns of the last run
    of filled cells in the last row (recorded: A1 and C1 filled, B1 empty -> table C1)."""
    keys = [k for k in sheet.keys_in(box) if sheet.cells[k].get("userEnteredValue")]
    if not keys:
        return None
    first, last = min(r for r, _ in keys), max(r for r, _ in keys)
    columns = sorted(c for r, c in keys if r == last)
    start = columns[-1]
    while start - 1 in columns:
        start -= 1
    return Box(first, start, last + 1, columns[-1] + 1)


def _insert_rows(sheet: Sheet, at: int, count: int) -> None:
    shift(sheet, True, at, count)


def clear_values(book: Book, range_text: str) -> str:
    sheet, box = book.resolve(range_text)
    box = Box(box.r0, box.c0, min(box.r1, sheet.rows), min(box.c1, sheet.cols))
    for key in sheet.keys_in(box):
        cell = dict(sheet.cells[key])
        cell.pop("userEnteredValue", None)
        sheet.put(*key, cell)
    return book.echo(sheet, box)


def batch_totals(sid: str, responses: list[JSON]) -> JSON:
    sheets = {
        r.get("updatedRange", "").rpartition("!")[0] for r in responses if r.get("updatedCells")
    }
    out: JSON = {
        "spreadsheetId": sid,
        "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
        "totalUpdatedColumns": max((r.get("updatedColumns", 0) for r in responses), default=0),
        "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
        "totalUpdatedSheets": len(sheets),
    }
    out = without_zeros(out)
    out["responses"] = responses
    return out
