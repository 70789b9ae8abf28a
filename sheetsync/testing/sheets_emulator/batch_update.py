"""spreadsheets.batchUpdate: the requests sheetsync and gspread send (tabs, cells, filters,
rows and columns), applied in order to a working copy; any refusal aborts the whole batch
with Google's "Invalid requests[i].kind: …" message.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sheetsync.testing.sheets_emulator.a1 import Box
from sheetsync.testing.sheets_emulator.colours import forget_twins, stored_colours
from sheetsync.testing.sheets_emulator.errors import JSON, ApiError, invalid
from sheetsync.testing.sheets_emulator.masks import drop_nulls, parse_mask, update_fields
from sheetsync.testing.sheets_emulator.responses import properties_json
from sheetsync.testing.sheets_emulator.state import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    Book,
    Sheet,
    new_sheet_id,
    sheet_properties,
    shift,
)
from sheetsync.testing.sheets_emulator.values import check_cell_text


def add_sheet(book: Book, request: JSON) -> JSON:
    props = drop_nulls(copy.deepcopy(request.get("properties") or {}))
    taken = {s.sheet_id for s in book.sheets}
    sheet_id = int(props.get("sheetId", new_sheet_id(taken)))
    if sheet_id in taken:
        raise invalid(f"A sheet with the id {sheet_id} already exists.")
    title = props.get("title") or _free_title(book)
    if book.by_title(title):
        raise invalid(f'A sheet with the name "{title}" already exists. Please enter another name.')
    grid = props.get("gridProperties") or {}
    rows = int(grid.get("rowCount", DEFAULT_ROWS))
    cols = int(grid.get("columnCount", DEFAULT_COLUMNS))
    base = sheet_properties(title, sheet_id, 0, rows, cols)
    base["gridProperties"].update({k: v for k, v in grid.items() if k not in base})
    base.update({k: v for k, v in props.items() if k not in base})
    index = min(int(props.get("index", len(book.sheets))), len(book.sheets))
    check_frozen(base)
    book.sheets.insert(index, Sheet(stored_colours(base)))
    book.reindex()
    return {"addSheet": {"properties": properties_json(book.sheets[index])}}


def _free_title(book: Book) -> str:
    n = len(book.sheets) + 1
    while book.by_title(f"Sheet{n}"):
        n += 1
    return f"Sheet{n}"


def _sheet_or_fail(book: Book, sheet_id: object) -> Sheet:
    sheet = book.by_id(int(sheet_id or 0))  # type: ignore[call-overload]
    if sheet is None:
        raise invalid(f"No grid with id: {sheet_id or 0}")
    return sheet


def _delete_sheet(book: Book, request: JSON) -> JSON:
    sheet = _sheet_or_fail(book, request.get("sheetId"))
    if len(book.sheets) == 1:
        raise invalid("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()
    if all(s.properties.get("hidden") for s in book.sheets):
        raise invalid("You can't remove all the visible sheets in a document.")
    return {}


def _update_sheet_properties(book: Book, request: JSON) -> JSON:
    props = request.get("properties") or {}
    sheet = _sheet_or_fail(book, props.get("sheetId"))
    mask = parse_mask(_required_fields(request))
    old_title, old_index = sheet.title, sheet.properties["index"]
    updated = copy.deepcopy(sheet.properties)
    forget_twins(updated, mask)
    update_fields(updated, props, mask)
    updated = stored_colours(updated)
    updated["sheetId"] = sheet.sheet_id
    grid = updated.setdefault("gridProperties", {})
    grid.setdefault("rowCount", sheet.rows)
    grid.setdefault("columnCount", sheet.cols)
    if updated.get("title") != old_title and book.by_title(str(updated.get("title"))):
        raise invalid(
            f'A sheet with the name "{updated["title"]}" already exists. Please enter another name.'
        )
    rows, cols = int(grid["rowCount"]), int(grid["columnCount"])
    check_frozen(updated)
    sheet.properties = updated
    sheet.resize(rows, cols)
    _move_sheet(book, sheet, int(updated.get("index", old_index)))
    if all(s.properties.get("hidden") for s in book.sheets):
        raise invalid("You can't hide all the sheets in a document.")
    return {}


def check_frozen(props: Mapping[str, Any]) -> None:
    grid = props.get("gridProperties") or {}
    if int(grid.get("frozenRowCount") or 0) >= int(grid.get("rowCount") or 0):
        raise invalid("You can't freeze all visible rows on the sheet.")
    if int(grid.get("frozenColumnCount") or 0) >= int(grid.get("columnCount") or 0):
        raise invalid("You can't freeze all visible columns on the sheet.")


def _move_sheet(book: Book, sheet: Sheet, index: int) -> None:
    book.sheets.remove(sheet)
    book.sheets.insert(min(max(index, 0), len(book.sheets)), sheet)
    book.reindex()


def _required_fields(request: JSON) -> str:
    fields_text = request.get("fields")
    if not fields_text:
        raise invalid("At least one field must be specified in 'fields'.")
    return str(fields_text)


def _update_spreadsheet_properties(book: Book, request: JSON) -> JSON:
    update_fields(
        book.properties, request.get("properties") or {}, parse_mask(_required_fields(request))
    )
    return {}


def write_cell(sheet: Sheet, r: int, c: int, source: JSON, mask: Mapping[str, Any]) -> None:
    """Apply CellData `source` to one cell under a field mask (Google's updateCells rules)."""
    cell = dict(sheet.cell(r, c))  # nested parts are replaced, never changed in place
    forget_twins(cell, mask)
    update_fields(cell, source, mask)
    value = cell.get("userEnteredValue") or {}
    check_cell_text(value.get("stringValue") or value.get("formulaValue"))
    if not value:
        cell.pop("userEnteredValue", None)
    fmt = stored_colours(cell.get("userEnteredFormat") or {})
    if fmt:
        cell["userEnteredFormat"] = fmt
    else:
        cell.pop("userEnteredFormat", None)
    sheet.put(r, c, cell)


def _update_cells(book: Book, request: JSON) -> JSON:
    mask = parse_mask(_required_fields(request))
    rows = request.get("rows") or []
    if "range" in request:
        sheet, box = book.grid_box(request["range"])
        for key in sheet.keys_in(box):
            write_cell(sheet, *key, {}, mask)
    else:
        start = request.get("start") or {}
        sheet = _sheet_or_fail(book, start.get("sheetId"))
        r0, c0 = int(start.get("rowIndex") or 0), int(start.get("columnIndex") or 0)
        width = max((len(row.get("values") or []) for row in rows), default=0)
        box = Box(r0, c0, r0 + len(rows), c0 + width)
        sheet.check_inside(box)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.get("values") or []):
            if not box.contains(box.r0 + i, box.c0 + j):
                raise invalid(f"Attempting to write row: {box.r0 + i}, beyond the requested range")
            write_cell(sheet, box.r0 + i, box.c0 + j, cell or {}, mask)
    return {}


def _repeat_cell(book: Book, request: JSON) -> JSON:
    mask = parse_mask(_required_fields(request))
    sheet, box = book.grid_box(request.get("range") or {})
    for r, c in box.cells():
        write_cell(sheet, r, c, request.get("cell") or {}, mask)
    return {}


def _set_data_validation(book: Book, request: JSON) -> JSON:
    sheet, box = book.grid_box(request.get("range") or {})
    source = {"dataValidation": request["rule"]} if request.get("rule") else {}
    for r, c in box.cells():
        write_cell(sheet, r, c, source, {"dataValidation": {}})
    return {}


def _set_basic_filter(book: Book, request: JSON) -> JSON:
    """One filter per sheet; its range comes back resolved (open ends filled in)."""
    spec = drop_nulls(request.get("filter") or {})
    sheet, box = book.grid_box(spec.get("range") or {})
    grid_range: JSON = {"sheetId": sheet.sheet_id} if sheet.sheet_id else {}
    grid_range.update(startRowIndex=box.r0, endRowIndex=box.r1)
    grid_range.update(startColumnIndex=box.c0, endColumnIndex=box.c1)
    sheet.basic_filter = {**spec, "range": grid_range}
    return {}


def _clear_basic_filter(book: Book, request: JSON) -> JSON:
    _sheet_or_fail(book, request.get("sheetId")).basic_filter = None
    return {}


def _dimension(book: Book, request: JSON) -> tuple[Sheet, bool, int, int]:
    """(sheet, rows?, start, end) of a DimensionRange, checked against the grid."""
    span = request.get("range") or {}
    sheet = _sheet_or_fail(book, span.get("sheetId"))
    rows = span.get("dimension") == "ROWS"
    if span.get("dimension") not in {"ROWS", "COLUMNS"}:
        raise invalid("range.dimension must be ROWS or COLUMNS.")
    start, end = int(span.get("startIndex") or 0), int(span.get("endIndex") or 0)
    if not 0 <= start < end:
        raise invalid("range.startIndex must be less than range.endIndex.")
    return sheet, rows, start, end


def _insert_dimension(book: Book, request: JSON) -> JSON:
    """Rows or columns pushed apart, as when staff insert rows: cells (with their notes and
    fills) move along."""
    sheet, rows, start, end = _dimension(book, request)
    limit = sheet.rows if rows else sheet.cols
    if start > limit:
        raise invalid(
            f"range.startIndex ({start}) is after the last {'row' if rows else 'column'}."
        )
    shift(sheet, rows, start, end - start)
    return {}


def _delete_dimension(book: Book, request: JSON) -> JSON:
    sheet, rows, start, end = _dimension(book, request)
    limit = sheet.rows if rows else sheet.cols
    if end > limit:
        raise invalid(f"Range ends past the grid ({limit} {'rows' if rows else 'columns'}).")
    if end - start >= limit:
        raise invalid(
            "You can't delete all the rows on the sheet."
            if rows
            else "You can't delete all the columns on the sheet."
        )
    for key in [k for k in sheet.cells if start <= (k[0] if rows else k[1]) < end]:
        del sheet.cells[key]
    shift(sheet, rows, end, start - end)
    return {}


def _update_dimension_properties(book: Book, request: JSON) -> JSON:
    grid_range = request.get("range") or {}
    _sheet_or_fail(book, grid_range.get("sheetId"))
    _required_fields(request)
    return {}  # pixel sizes are not kept: nothing reads them back


BATCH_REQUESTS: dict[str, Callable[[Book, JSON], JSON]] = {
    "addSheet": add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "updateCells": _update_cells,
    "repeatCell": _repeat_cell,
    "setDataValidation": _set_data_validation,
    "setBasicFilter": _set_basic_filter,
    "insertDimension": _insert_dimension,
    "deleteDimension": _delete_dimension,
    "clearBasicFilter": _clear_basic_filter,
    "updateDimensionProperties": _update_dimension_properties,
}


def apply_batch(book: Book, requests: Sequence[JSON], max_cells: int) -> list[JSON]:
    """Apply every request to `book` (a working copy); any failure aborts the whole batch."""
    replies = []
    for index, request in enumerate(requests):
        kind, body = _single_kind(index, request)
        try:
            replies.append(BATCH_REQUESTS[kind](book, body or {}))
        except ApiError as exc:
            raise ApiError(exc.code, f"Invalid requests[{index}].{kind}: {exc.message}") from exc
        check_cell_limit(book, max_cells, f"Invalid requests[{index}].{kind}: ")
    return replies


def _single_kind(index: int, request: JSON) -> tuple[str, JSON]:
    kinds = [k for k, v in (request or {}).items() if v is not None]
    if len(kinds) != 1:
        raise invalid(f"Invalid requests[{index}]: exactly one request kind must be set.")
    if kinds[0] not in BATCH_REQUESTS:
        raise invalid(
            f"Invalid requests[{index}].{kinds[0]}: not supported by the sheetsync emulator."
        )
    return kinds[0], request[kinds[0]]


def check_cell_limit(book: Book, max_cells: int, prefix: str = "") -> None:
    if book.total_cells() > max_cells:
        raise invalid(
            f"{prefix}This action would increase the number of cells in the workbook above "
            f"the limit of {max_cells} cells."
        )
