"""The batchUpdate bodies that write the output tabs (pure: no I/O).

Output cells go through `updateCells` with `userEnteredValue.stringValue`, which Sheets never
parses: `=IMPORTXML(…)`, `+62…`, `-` and `@x` from marketplace exports cannot become
formulas. Google applies one batchUpdate atomically, so a write is one request; only a body
above the request size limit (9 MB, some 10,000 rows of 18 columns) is split: the parts fill
hidden staging tabs, and only the last request swaps them in. Google's limits (cells per
spreadsheet, characters per cell) are checked here, before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from gspread.utils import rowcol_to_a1

from sheetsync.errors import SinkError
from sheetsync.tabs import OutputTab
from sheetsync.workbook.gsheets.snapshot import JSON, Snapshot, TabInfo

MAX_CELLS = 10_000_000  # per spreadsheet, counted over every tab's grid
MAX_CELL_CHARS = 50_000
# Google's front end refuses bodies above 10 MiB ("Request payload size exceeds the limit:
# 10485760 bytes"); below it one request stays atomic, so split only above 9 MB (Google's
# "2 MB recommended" is about speed, and one slower request beats a non-atomic write).
MAX_REQUEST_BYTES = 9_000_000

HEADER_COLOUR = {"red": 0.8666667, "green": 0.92156863, "blue": 0.96862745}  # #DDEBF7
STAGING_PREFIX = "_sheetsync_staging "

# OutputTab.formats names -> Sheets number formats (same names as the .xlsx backend).
NUMBER_FORMATS: dict[str, JSON] = {
    "rupiah": {"type": "CURRENCY", "pattern": '"Rp "#,##0'},
    "percent": {"type": "PERCENT", "pattern": "0.0%"},
    "integer": {"type": "NUMBER", "pattern": "#,##0"},
    "decimal": {"type": "NUMBER", "pattern": "#,##0.00"},
    "date": {"type": "DATE", "pattern": "yyyy-mm-dd"},
    "datetime": {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"},
    "text": {"type": "TEXT", "pattern": "@"},
}


def cell_data(value: object) -> JSON:
    """One output value as CellData: text is a stringValue (never parsed), numbers numbers."""
    if value is None:
        return {}
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return {}
        return {"userEnteredValue": {"numberValue": value}}
    try:
        if value != value:  # NaN-like (pandas.NA raises TypeError)
            return {}
    except TypeError:
        return {}
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return {"userEnteredValue": {"stringValue": text}} if text else {}


def header_cell(text: str) -> JSON:
    return {
        "userEnteredValue": {"stringValue": str(text)},
        "userEnteredFormat": {
            "textFormat": {"bold": True},
            "backgroundColor": HEADER_COLOUR,
            "backgroundColorStyle": {"rgbColor": HEADER_COLOUR},
        },
    }


@dataclass(frozen=True, slots=True)
class TabWrite:
    """One output tab as grid content: sizes, rows of CellData, column number formats."""

    title: str
    rows: list[JSON]  # RowData
    height: int
    width: int
    formats: list[tuple[int, JSON]]  # (col0, NumberFormat)
    hidden: bool = False


def tab_write(tab: OutputTab, *, hidden: bool = False) -> TabWrite:
    width = max([len(tab.header), *(len(r) for r in tab.rows), 1])
    rows = [{"values": [header_cell(h) for h in tab.header]}]
    rows += [{"values": [cell_data(v) for v in row]} for row in tab.rows]
    formats = [
        (i, NUMBER_FORMATS[tab.formats[h]])
        for i, h in enumerate(tab.header)
        if tab.formats.get(h) in NUMBER_FORMATS
    ]
    return TabWrite(tab.name, rows, len(rows), width, formats, hidden)


def check_cell_texts(write: TabWrite) -> None:
    """Google refuses a cell over 50,000 characters; refuse first, naming the cell."""
    for r, row in enumerate(write.rows):
        for c, cell in enumerate(row["values"]):
            text = (cell.get("userEnteredValue") or {}).get("stringValue", "")
            if len(text) > MAX_CELL_CHARS:
                raise SinkError(
                    f"Cannot write tab {write.title!r}: cell {rowcol_to_a1(r + 1, c + 1)} holds "
                    f"{len(text):,} characters, more than Google Sheets' limit of "
                    f"{MAX_CELL_CHARS:,} per cell. Nothing was written."
                )


def stable_sheet_id(title: str, taken: set[int]) -> int:
    """A sheetId chosen by us, so later requests in the same batch can refer to a new tab."""
    candidate = zlib.crc32(title.encode("utf-8")) & 0x7FFFFFFF or 1
    while candidate in taken:
        candidate = (candidate * 1103515245 + 12345) & 0x7FFFFFFF or 1
    return candidate


def grid_properties(write: TabWrite) -> JSON:
    return {
        "rowCount": write.height,
        "columnCount": write.width,
        "frozenRowCount": 1 if write.height > 1 else 0,
    }


def tab_requests(write: TabWrite, existing: TabInfo | None, sheet_id: int) -> list[JSON]:
    """Size the tab to its data (leftovers beyond go with the rows), then write every cell:
    `updateCells` over the whole grid clears whatever the new rows do not cover."""
    requests: list[JSON] = []
    if existing is None:
        props: JSON = {
            "sheetId": sheet_id,
            "title": write.title,
            "gridProperties": grid_properties(write),
        }
        if write.hidden:
            props["hidden"] = True
        requests.append({"addSheet": {"properties": props}})
    else:
        requests.append(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "gridProperties": grid_properties(write)},
                    "fields": "gridProperties(rowCount,columnCount,frozenRowCount)",
                }
            }
        )
    requests.append(
        {
            "updateCells": {
                "range": {"sheetId": sheet_id},
                "rows": write.rows,
                "fields": "userEnteredValue,userEnteredFormat,note,dataValidation",
            }
        }
    )
    requests.extend(format_requests(write, sheet_id))
    return requests


def format_requests(write: TabWrite, sheet_id: int) -> list[JSON]:
    """Column number formats, and a filter on the header row so any column can be sorted
    or filtered from the sheet (the Validasi list above all)."""
    if write.height < 2:
        return []
    filters = [] if write.hidden else [filter_request(sheet_id, write.height, write.width)]
    return filters + [
        number_format_request(sheet_id, col, write.height, fmt) for col, fmt in write.formats
    ]


def grid_range(sheet_id: int, rows: tuple[int, int], cols: tuple[int, int]) -> JSON:
    return {
        "sheetId": sheet_id,
        "startRowIndex": rows[0],
        "endRowIndex": rows[1],
        "startColumnIndex": cols[0],
        "endColumnIndex": cols[1],
    }


def filter_request(sheet_id: int, height: int, width: int) -> JSON:
    return {"setBasicFilter": {"filter": {"range": grid_range(sheet_id, (0, height), (0, width))}}}


def number_format_request(sheet_id: int, col: int, height: int, fmt: JSON) -> JSON:
    return {
        "repeatCell": {
            "range": grid_range(sheet_id, (1, height), (col, col + 1)),
            "cell": {"userEnteredFormat": {"numberFormat": fmt}},
            "fields": "userEnteredFormat.numberFormat",
        }
    }


def cells_after(snapshot: Snapshot, writes: Sequence[TabWrite]) -> int:
    """Grid cells of the whole spreadsheet once `writes` are applied (Google's 10 M limit
    counts grid cells, filled or not)."""
    written = {w.title for w in writes}
    kept = sum(t.rows * t.columns for t in snapshot.tabs.values() if t.title not in written)
    return kept + sum(w.height * w.width for w in writes)


def check_cell_limit(
    snapshot: Snapshot, writes: Sequence[TabWrite], limit: int, *, staged: bool = False
) -> None:
    """Refuse before writing. A staged write briefly holds old and new tabs side by side."""
    total = cells_after(snapshot, writes)
    if staged:
        total += sum(t.rows * t.columns for w in writes if (t := snapshot.tabs.get(w.title)))
    if total > limit:
        raise SinkError(
            f"Cannot write the output tabs: the spreadsheet would hold {total:,} cells, more "
            f"than Google Sheets' limit of {limit:,}. Nothing was written. Delete unused tabs, "
            "rows or columns in the spreadsheet (empty rows count too), then run again."
        )


def request_size(requests: Sequence[JSON]) -> int:
    return len(json.dumps({"requests": requests}, ensure_ascii=False).encode("utf-8"))


def stale_staging(snapshot: Snapshot) -> list[JSON]:
    """Staging tabs a failed split write left behind are removed by the next write."""
    return [
        {"deleteSheet": {"sheetId": t.sheet_id}}
        for t in snapshot.tabs.values()
        if t.title.startswith(STAGING_PREFIX)
    ]


def in_place_requests(snapshot: Snapshot, writes: Sequence[TabWrite]) -> list[JSON]:
    """Every output tab rewritten where it is (same sheetId: links to it keep working)."""
    taken = {t.sheet_id for t in snapshot.tabs.values()}
    requests = stale_staging(snapshot)
    for write in writes:
        existing = snapshot.tabs.get(write.title)
        sheet_id = existing.sheet_id if existing else stable_sheet_id(write.title, taken)
        taken.add(sheet_id)
        requests += tab_requests(write, existing, sheet_id)
    return requests


def staged_batches(
    snapshot: Snapshot, writes: Sequence[TabWrite], mark_requests: Sequence[JSON], limit: int
) -> list[list[JSON]]:
    """A write too large for one request: fill hidden staging tabs in as many requests as
    needed, then one last request swaps them in for the old tabs and sets the marks
    (`mark_requests`, from marks.plan_marks). Until
    that last request, nobody sees a change; if it never comes, the next write cleans up."""
    taken = {t.sheet_id for t in snapshot.tabs.values()}
    filling: list[JSON] = stale_staging(snapshot)
    commit: list[JSON] = []
    for write in writes:
        staging_id = stable_sheet_id(STAGING_PREFIX + write.title, taken)
        taken.add(staging_id)
        filling += staging_requests(write, staging_id, limit)
        commit += swap_requests(write, snapshot.tabs.get(write.title), staging_id)
    return [*pack(filling, limit), commit + list(mark_requests)]


def staging_requests(write: TabWrite, sheet_id: int, limit: int) -> list[JSON]:
    props = {
        "sheetId": sheet_id,
        "title": STAGING_PREFIX + write.title,
        "hidden": True,
        "gridProperties": grid_properties(write),
    }
    requests: list[JSON] = [{"addSheet": {"properties": props}}]
    for first, rows in row_chunks(write.rows, limit // 2):
        requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": first, "columnIndex": 0},
                    "rows": rows,
                    "fields": "userEnteredValue,userEnteredFormat",
                }
            }
        )
    return requests + format_requests(write, sheet_id)


def row_chunks(rows: Sequence[JSON], max_bytes: int) -> list[tuple[int, list[JSON]]]:
    chunks: list[tuple[int, list[JSON]]] = []
    current: list[JSON] = []
    size, first = 0, 0
    for index, row in enumerate(rows):
        row_size = len(json.dumps(row, ensure_ascii=False).encode("utf-8")) + 1
        if current and size + row_size > max_bytes:
            chunks.append((first, current))
            current, size, first = [], 0, index
        current.append(row)
        size += row_size
    if current:
        chunks.append((first, current))
    return chunks


def swap_requests(write: TabWrite, existing: TabInfo | None, staging_id: int) -> list[JSON]:
    requests: list[JSON] = []
    props: JSON = {"sheetId": staging_id, "title": write.title, "hidden": write.hidden}
    fields = "title,hidden"
    if existing is not None:
        requests.append({"deleteSheet": {"sheetId": existing.sheet_id}})
        props["index"] = existing.index
        fields += ",index"
    requests.append({"updateSheetProperties": {"properties": props, "fields": fields}})
    return requests


def pack(requests: Sequence[JSON], limit: int) -> list[list[JSON]]:
    """Consecutive requests grouped into batches of at most `limit` bytes (order kept)."""
    batches: list[list[JSON]] = []
    current: list[JSON] = []
    size = 0
    for request in requests:
        request_bytes = len(json.dumps(request, ensure_ascii=False).encode("utf-8")) + 2
        if current and size + request_bytes > limit:
            batches.append(current)
            current, size = [], 0
        current.append(request)
        size += request_bytes
    return batches + ([current] if current else [])
