"""The Google Sheets backend of the workbook port (unmodified gspread + google-auth).

Why it is shaped like this:

- **Quota.** A service account is one Google "user": 60 reads and 60 writes a minute. So a
  whole sync costs at most three Sheets API requests, whatever the number of tabs and rows:
  one metadata read (tab ids and sizes, plus the note and fill of staff cells, needed to put
  them back after a feedback mark), one `values:batchGet` for every tab read, and one
  `spreadsheets:batchUpdate` for every write.
- **Text stays text.** Staff tabs are read as FORMATTED_VALUE text, so "007", "0812…" and
  "1.250.000" reach validation exactly as typed (never gspread's numericise). Output cells are
  written through `updateCells` with `userEnteredValue.stringValue`, which Sheets never parses:
  `=IMPORTXML(…)`, `+62…`, `-` and `@x` from marketplace exports cannot become formulas.
- **All or nothing.** Google applies a batchUpdate atomically; everything a sync writes
  (output tabs, leftovers cleared by resizing, feedback marks, the hidden marks tab) goes in
  one, so a failed run leaves the previous results whole. Only a body above the request size
  limit (9 MB, some 10,000 rows of 18 columns) is split, costing extra requests: the parts
  fill hidden staging tabs, and only the last request swaps them in.
- **Bounded retries.** 408, 429, 5xx and HTML error pages are retried with truncated
  exponential backoff and jitter, capped in attempts and in total time (gspread's own
  BackOffHTTPClient retries forever); then `RemoteError`. Errors a person must fix (sheet not
  shared, wrong id, API disabled) say what to do.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import random
import re
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import google.auth.exceptions
import gspread
import requests
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import service_account
from gspread.utils import absolute_range_name, rowcol_to_a1

from sheetsync.contract import (
    MARKS_TAB,
    STAFF_TABS,
    TabSpec,
    is_output_tab,
    normalise_header,
)
from sheetsync.errors import ConfigError, RemoteError, SinkError
from sheetsync.retry import RetryPolicy
from sheetsync.tabs import CellMark, CellValue, OutputTab, SheetTable
from sheetsync.workbook.base import refuse_staff_tabs

log = logging.getLogger(__name__)

T = TypeVar("T")
JSON = Any

DEFAULT_ENDPOINT = "https://sheets.googleapis.com"
SPREADSHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"
# google-auth >= 2.55 looks up a "Regional Access Boundary" here after each token refresh.
IAM_CREDENTIALS_HOST = "https://iamcredentials.googleapis.com"

MAX_CELLS = 10_000_000  # per spreadsheet, counted over every tab's grid
MAX_CELL_CHARS = 50_000
# Google's front end refuses bodies above 10 MiB ("Request payload size exceeds the limit:
# 10485760 bytes"); below it one request stays atomic, so split only above 9 MB (Google's
# "2 MB recommended" is about speed, and one slower request beats a non-atomic write).
MAX_REQUEST_BYTES = 9_000_000
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})

HEADER_COLOUR = {"red": 0.8666667, "green": 0.92156863, "blue": 0.96862745}  # #DDEBF7
MARK_COLOURS = {
    "error": {"red": 1.0, "green": 0.78039217, "blue": 0.80784315},  # #FFC7CE
    "warning": {"red": 1.0, "green": 0.92156863, "blue": 0.6117647},  # #FFEB9C
}
NOTE_SEPARATOR = "\n\n— catatan sebelumnya —\n"
MARKS_HEADER = ("Tab", "Row", "Column", "Original Colour", "Original Note", "Mark Colour", "Note")
LOOK_FIELDS = "note,userEnteredFormat.backgroundColor,userEnteredFormat.backgroundColorStyle"
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


# --------------------------------------------------------------------------------------------
# The client: built in one place


class EndpointAdapter(requests.adapters.HTTPAdapter):
    """Send requests meant for `google_base` to `endpoint` instead (a proxy, the emulator).

    Mounted on the session gspread uses, so gspread and google-auth stay unmodified."""

    # requests pickles adapters by __attrs__ (google-auth clones the token session that way)
    __attrs__ = [*requests.adapters.HTTPAdapter.__attrs__, "google_base", "endpoint"]  # noqa: RUF012

    def __init__(self, google_base: str, endpoint: str) -> None:
        super().__init__()
        self.google_base = google_base.rstrip("/")
        self.endpoint = endpoint.rstrip("/")

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        if request.url and request.url.startswith(self.google_base):
            request.url = self.endpoint + request.url[len(self.google_base) :]
        return super().send(request, **kwargs)


def make_client(
    credentials_path: Path | None, *, endpoint: str = DEFAULT_ENDPOINT, timeout: float = 60.0
) -> gspread.Client:
    """A gspread client for a service-account key file, talking to `endpoint`."""
    return client_for_credentials(
        load_service_account(credentials_path), endpoint=endpoint, timeout=timeout
    )


def load_service_account(path: Path | None) -> service_account.Credentials:
    if path is None:
        raise ConfigError(
            "No Google service-account key: set [workbook] credentials or "
            "GOOGLE_APPLICATION_CREDENTIALS to the JSON key file."
        )
    try:
        return service_account.Credentials.from_service_account_file(
            str(path), scopes=[SPREADSHEETS_SCOPE]
        )
    except FileNotFoundError as exc:
        raise ConfigError(f"Service-account key file {path} not found.") from exc
    except (ValueError, KeyError, OSError) as exc:
        raise ConfigError(
            f"Service-account key file {path} is not a valid Google service-account JSON key "
            f"({exc}). Download a new key in Google Cloud Console > IAM > Service accounts."
        ) from exc


def client_for_credentials(
    credentials: Credentials, *, endpoint: str = DEFAULT_ENDPOINT, timeout: float = 60.0
) -> gspread.Client:
    """gspread's Client over an AuthorizedSession; a non-Google `endpoint` gets every Google
    call redirected to it (Sheets, and google-auth's access-boundary lookup), so a run against
    a proxy or the emulator never reaches Google."""
    token_session = requests.Session()
    session = AuthorizedSession(credentials, auth_request=AuthRequest(token_session))
    if endpoint.rstrip("/") != DEFAULT_ENDPOINT:
        session.mount(DEFAULT_ENDPOINT + "/", EndpointAdapter(DEFAULT_ENDPOINT, endpoint))
        token_session.mount(
            IAM_CREDENTIALS_HOST + "/", EndpointAdapter(IAM_CREDENTIALS_HOST, endpoint)
        )
    client = gspread.Client(auth=credentials, session=session)
    client.set_timeout(timeout)
    return client


def service_account_email(client: gspread.Client) -> str:
    session = client.http_client.session
    credentials = getattr(session, "credentials", None)
    return str(getattr(credentials, "service_account_email", "") or "")


# --------------------------------------------------------------------------------------------
# Retry


# Google's recommended truncated exponential backoff, bounded for a cron job: waits of
# 1, 2, 4, 8, 16 s (+ up to 1 s jitter), never more than 32 s, 6 tries within 120 s.
SHEETS_RETRY = RetryPolicy(
    attempts=6, first_delay=1.0, factor=2.0, max_delay=32.0, jitter=1.0, max_total=120.0
)


@dataclass(frozen=True, slots=True)
class Failure:
    """What went wrong with one request, as far as retrying is concerned."""

    status: int  # HTTP status, 0 for network trouble
    reason: str  # google.rpc status / ErrorInfo reason, or a short description
    message: str
    retryable: bool
    retry_after: float = 0.0  # seconds a Retry-After header asked for (proxies send one)


def classify(exc: Exception) -> Failure | None:
    """A failure we understand, or None for anything else (a bug: let it raise)."""
    if isinstance(exc, gspread.exceptions.APIError):
        return _api_failure(exc)
    if isinstance(exc, requests.exceptions.JSONDecodeError):
        return Failure(200, "NOT_JSON", "the answer was not JSON (a proxy page?)", True)
    if isinstance(exc, requests.exceptions.Timeout | requests.exceptions.ConnectionError):
        return Failure(0, "NETWORK", f"network problem: {type(exc).__name__}", True)
    if isinstance(exc, google.auth.exceptions.TransportError):
        return Failure(0, "NETWORK", f"cannot reach Google's token service: {exc}", True)
    if isinstance(exc, google.auth.exceptions.RefreshError):
        return Failure(401, "TOKEN_REFUSED", str(exc)[:300], bool(getattr(exc, "retryable", 0)))
    return None


def _api_failure(exc: gspread.exceptions.APIError) -> Failure:
    status = exc.response.status_code
    error = exc.error if isinstance(exc.error, dict) else {}
    reasons = [d.get("reason", "") for d in error.get("details") or [] if isinstance(d, dict)]
    reason = next((r for r in reasons if r), str(error.get("status") or ""))
    html = "html" in exc.response.headers.get("Content-Type", "")
    message = "an HTML error page" if html else str(error.get("message") or "")[:500]
    retryable = status in RETRYABLE_STATUS or status >= 500 or reason == "RATE_LIMIT_EXCEEDED"
    return Failure(status, reason, message, retryable, retry_after(exc.response.headers))


def retry_after(headers: Mapping[str, str]) -> float:
    try:
        return max(float(headers.get("Retry-After", 0)), 0.0)
    except ValueError:  # an HTTP date: rare enough to fall back to our own backoff
        return 0.0


# --------------------------------------------------------------------------------------------
# What the metadata read tells us


@dataclass(frozen=True, slots=True)
class TabInfo:
    sheet_id: int
    title: str
    index: int
    rows: int
    columns: int
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class Look:
    """What a person sees of a cell besides its value: note and fill colour."""

    note: str = ""
    colour: str = ""  # backgroundColorStyle as canonical JSON, '' = default (no fill)


@dataclass(frozen=True, slots=True)
class MarkRecord:
    """One marked staff cell, remembered in MARKS_TAB with what staff had there before."""

    tab: str
    row: int  # 1-based, as people see it
    column: int  # 0-based grid column
    original: Look
    mark: Look


@dataclass
class Snapshot:
    """The spreadsheet as one metadata read saw it."""

    tabs: dict[str, TabInfo]
    looks: dict[tuple[str, int, int], Look]  # (title, row0, col0) of staff cells with a look
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    records: list[MarkRecord] = field(default_factory=list)

    def find(self, name: str) -> TabInfo | None:
        """Exact title first, then case- and space-insensitive (like headers)."""
        if name in self.tabs:
            return self.tabs[name]
        wanted = normalise_header(name)
        return next((t for t in self.tabs.values() if normalise_header(t.title) == wanted), None)

    def look(self, title: str, row0: int, col0: int) -> Look:
        return self.looks.get((title, row0, col0), Look())


METADATA_FIELDS = (
    "sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount)),"
    "data(startRow,startColumn,rowData(values(note,userEnteredFormat(backgroundColorStyle)))))"
)


def snapshot_from_metadata(metadata: Mapping[str, Any]) -> Snapshot:
    tabs: dict[str, TabInfo] = {}
    looks: dict[tuple[str, int, int], Look] = {}
    for sheet in metadata.get("sheets") or []:
        info = tab_info(sheet.get("properties") or {})
        tabs[info.title] = info
        if not is_output_tab(info.title):
            looks.update(looks_of(info.title, sheet.get("data") or []))
    return Snapshot(tabs, looks)


def tab_info(props: Mapping[str, Any]) -> TabInfo:
    grid = props.get("gridProperties") or {}
    return TabInfo(
        sheet_id=int(props.get("sheetId") or 0),
        title=str(props.get("title") or ""),
        index=int(props.get("index") or 0),
        rows=int(grid.get("rowCount") or 0),
        columns=int(grid.get("columnCount") or 0),
        hidden=bool(props.get("hidden")),
    )


def looks_of(
    title: str, grid_data: Iterable[Mapping[str, Any]]
) -> dict[tuple[str, int, int], Look]:
    looks = {}
    for data in grid_data:
        r0, c0 = int(data.get("startRow") or 0), int(data.get("startColumn") or 0)
        for i, row in enumerate(data.get("rowData") or []):
            for j, cell in enumerate(row.get("values") or []):
                look = look_of(cell)
                if look != Look():
                    looks[(title, r0 + i, c0 + j)] = look
    return looks


def look_of(cell: Mapping[str, Any]) -> Look:
    style = (cell.get("userEnteredFormat") or {}).get("backgroundColorStyle")
    return Look(note=str(cell.get("note") or ""), colour=colour_text(style))


def colour_text(style: Mapping[str, Any] | None) -> str:
    """Canonical text of a ColorStyle; white and 'nothing' are both the default ''."""
    if not style:
        return ""
    if "rgbColor" in style:
        rgb = {k: round(float(v), 3) for k, v in (style["rgbColor"] or {}).items()}
        if rgb in ({}, {"red": 1.0, "green": 1.0, "blue": 1.0}):
            return ""
        return json.dumps({"rgbColor": rgb}, sort_keys=True)
    return json.dumps(style, sort_keys=True)


def colour_style(text: str) -> JSON | None:
    return json.loads(text) if text else None


def same_colour(a: str, b: str) -> bool:
    return colour_text(colour_style(a)) == colour_text(colour_style(b))


# --------------------------------------------------------------------------------------------
# Reading


def table_from_rows(name: str, rows: Sequence[Sequence[Any]]) -> SheetTable:
    """Same rules as the .xlsx backend: header = row 1 without trailing blanks, every other
    row (blank ones too, so row numbers stay true) cut/padded to the header width."""
    text_rows = [tuple("" if v is None else str(v) for v in row) for row in rows]
    header = text_rows[0] if text_rows else ()
    end = len(header)
    while end and not header[end - 1].strip():
        end -= 1
    header = header[:end]
    body = [row[:end] + ("",) * (end - len(row)) for row in text_rows[1:]]
    while body and not any(body[-1]):
        body.pop()
    return SheetTable(name=name, header=header, rows=tuple(body))


# --------------------------------------------------------------------------------------------
# Marks (pure)


def read_mark_records(rows: Sequence[Sequence[Any]]) -> list[MarkRecord]:
    records = []
    for row in rows[1:]:
        cells = [str(v) for v in (*row, *[""] * len(MARKS_HEADER))][: len(MARKS_HEADER)]
        tab, r, c, colour, note, mark_colour, mark_note = cells
        if tab and r.isdigit() and c.isdigit():
            records.append(
                MarkRecord(tab, int(r), int(c), Look(note, colour), Look(mark_note, mark_colour))
            )
    return records


def mark_record_rows(records: Sequence[MarkRecord]) -> list[list[CellValue]]:
    return [
        [
            r.tab,
            str(r.row),
            str(r.column),
            r.original.colour,
            r.original.note,
            r.mark.colour,
            r.mark.note,
        ]
        for r in records
    ]


@dataclass(frozen=True, slots=True)
class MarkPlan:
    requests: list[JSON]
    records: list[MarkRecord]


def plan_marks(snapshot: Snapshot, marks: Sequence[CellMark]) -> MarkPlan:
    """Requests that mark the cells of `marks` and unmark cells no longer marked.

    A cell keeps the look staff gave it: before marking we remember it; once fixed we put it
    back, but only the parts (note, colour) still showing our mark, since a change staff made
    meanwhile is newer than what we remember. Our marks are found by their note as well as by
    position, because a note and fill travel with the cell when staff sort or insert rows.
    """
    wanted = group_marks(snapshot, marks)
    memory = MarkMemory(snapshot)
    requests: list[JSON] = []
    records = []
    for key, (severity, message) in wanted.items():
        record = new_record(snapshot, key, severity, message, memory.record_for(key))
        records.append(record)
        requests.append(look_request(snapshot, key, record.mark))
    for key in memory.marked_keys():
        remembered = memory.record_for(key)
        if key in wanted or remembered is None or key[0] not in snapshot.tabs:
            continue
        restored = restored_look(memory.look(key), remembered)
        if restored is not None:
            requests.append(look_request(snapshot, key, restored))
    return MarkPlan([r for r in requests if r], records)


class MarkMemory:
    """The marks of the previous run, found where they were put or where staff moved them."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.by_place = {(r.tab, r.row, r.column): r for r in snapshot.records}
        self.by_note = {r.mark.note: r for r in snapshot.records if r.mark.note}

    def look(self, key: tuple[str, int, int]) -> Look:
        return self.snapshot.look(key[0], key[1] - 1, key[2])

    def record_for(self, key: tuple[str, int, int]) -> MarkRecord | None:
        return self.by_note.get(self.look(key).note) or self.by_place.get(key)

    def marked_keys(self) -> list[tuple[str, int, int]]:
        """Where our marks were put, and every staff cell now carrying one of our notes."""
        moved = [
            (title, row0 + 1, col0)
            for (title, row0, col0), look in self.snapshot.looks.items()
            if look.note in self.by_note
        ]
        return list(dict.fromkeys([*self.by_place, *moved]))


def group_marks(
    snapshot: Snapshot, marks: Sequence[CellMark]
) -> dict[tuple[str, int, int], tuple[str, str]]:
    """(title, row, col0) -> (severity, joined messages); marks we cannot place are dropped
    (they are still listed in the Validasi tab)."""
    grouped: dict[tuple[str, int, int], tuple[str, str]] = {}
    for mark in marks:
        key = place_mark(snapshot, mark)
        if key is None:
            continue
        severity, message = grouped.get(key, ("warning", ""))
        if mark.message not in message.split("\n"):
            message = f"{message}\n{mark.message}" if message else mark.message
        grouped[key] = ("error" if "error" in (severity, mark.severity) else "warning", message)
    return grouped


def place_mark(snapshot: Snapshot, mark: CellMark) -> tuple[str, int, int] | None:
    info = snapshot.find(mark.tab)
    if info is None or is_output_tab(info.title) or mark.row < 2 or mark.row > info.rows:
        return None
    header = [normalise_header(h) for h in snapshot.headers.get(info.title, ())]
    wanted = normalise_header(mark.column)
    if wanted not in header:
        return None
    return info.title, mark.row, header.index(wanted)


def new_record(
    snapshot: Snapshot,
    key: tuple[str, int, int],
    severity: str,
    message: str,
    previous: MarkRecord | None,
) -> MarkRecord:
    current = snapshot.look(key[0], key[1] - 1, key[2])
    original = current
    if previous is not None:
        original = Look(
            previous.original.note if current.note == previous.mark.note else current.note,
            previous.original.colour
            if same_colour(current.colour, previous.mark.colour)
            else current.colour,
        )
    note = message[: MAX_CELL_CHARS // 2]
    if original.note:
        note += NOTE_SEPARATOR + original.note[: MAX_CELL_CHARS // 2 - len(NOTE_SEPARATOR)]
    colour = colour_text({"rgbColor": MARK_COLOURS.get(severity, MARK_COLOURS["warning"])})
    return MarkRecord(key[0], key[1], key[2], original, Look(note, colour))


def restored_look(current: Look, record: MarkRecord) -> Look | None:
    """The look to put back on a fixed cell, or None when staff already changed it all."""
    note_is_ours = current.note == record.mark.note
    colour_is_ours = same_colour(current.colour, record.mark.colour)
    if not note_is_ours and not colour_is_ours:
        return None
    return Look(
        record.original.note if note_is_ours else current.note,
        record.original.colour if colour_is_ours else current.colour,
    )


def look_request(snapshot: Snapshot, key: tuple[str, int, int], look: Look) -> JSON:
    info = snapshot.tabs[key[0]]
    if key[1] > info.rows or key[2] >= info.columns:
        return None
    cell: JSON = {}
    if look.note:
        cell["note"] = look.note
    style = colour_style(look.colour)
    if style:
        cell["userEnteredFormat"] = {"backgroundColorStyle": style}
        if "rgbColor" in style:
            cell["userEnteredFormat"]["backgroundColor"] = style["rgbColor"]
    return {
        "updateCells": {
            "range": grid_range(info.sheet_id, (key[1] - 1, key[1]), (key[2], key[2] + 1)),
            "rows": [{"values": [cell]}],
            "fields": LOOK_FIELDS,
        }
    }


# --------------------------------------------------------------------------------------------
# Writing output tabs (pure)


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


def output_writes(
    snapshot: Snapshot, tabs: Sequence[OutputTab], mark_plan: MarkPlan
) -> list[TabWrite]:
    """The output tabs, plus the hidden marks memory whenever there is something to keep."""
    writes = [tab_write(tab) for tab in tabs]
    if mark_plan.records or MARKS_TAB in snapshot.tabs:
        memory = OutputTab(MARKS_TAB, MARKS_HEADER, mark_record_rows(mark_plan.records))
        writes.append(tab_write(memory, hidden=True))
    return writes


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
    snapshot: Snapshot, writes: Sequence[TabWrite], mark_plan: MarkPlan, limit: int
) -> list[list[JSON]]:
    """A write too large for one request: fill hidden staging tabs in as many requests as
    needed, then one last request swaps them in for the old tabs and sets the marks. Until
    that last request, nobody sees a change; if it never comes, the next write cleans up."""
    taken = {t.sheet_id for t in snapshot.tabs.values()}
    filling: list[JSON] = stale_staging(snapshot)
    commit: list[JSON] = []
    for write in writes:
        staging_id = stable_sheet_id(STAGING_PREFIX + write.title, taken)
        taken.add(staging_id)
        filling += staging_requests(write, staging_id, limit)
        commit += swap_requests(write, snapshot.tabs.get(write.title), staging_id)
    return [*pack(filling, limit), commit + mark_plan.requests]


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


# --------------------------------------------------------------------------------------------
# The backend


class InitResult(NamedTuple):
    """What `init_spreadsheet` did; unpacks as ``added, email = init_spreadsheet(...)``."""

    added_tabs: tuple[str, ...]
    service_account_email: str


class GSheetsWorkbook:
    """The programme workbook as a Google Spreadsheet (implements `workbook.base.Workbook`).

    `clock`, `sleep` and `rand` are injectable so retries can be tested without waiting.
    `sheets_requests` counts every HTTP request sent to the Sheets API (retries included),
    for the run log and the quota; `retries` counts the repeated ones. A request that hangs
    is cut by the client timeout, so a call gives up within about the policy's max_total plus
    one timeout.
    """

    def __init__(
        self,
        client: gspread.Client,
        spreadsheet_id: str,
        *,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        max_request_bytes: int = MAX_REQUEST_BYTES,
        max_cells: int = MAX_CELLS,
    ) -> None:
        self.client = client
        self.spreadsheet_id = spreadsheet_id
        self.retry = retry or SHEETS_RETRY
        self._clock, self._sleep, self._rand = clock, sleep, rand
        self.max_request_bytes = max_request_bytes
        self.max_cells = max_cells
        self.sheets_requests = 0
        self.retries = 0
        self._snapshot: Snapshot | None = None

    @property
    def service_account_email(self) -> str:
        return service_account_email(self.client)

    # -- the Workbook protocol
    def read_tabs(self, names: Sequence[str]) -> dict[str, SheetTable]:
        """Read the named tabs as the text staff see (missing tabs are absent).

        Costs one metadata read and one values:batchGet; the hidden marks tab rides along so
        the write that follows needs nothing more than its batchUpdate."""
        self._snapshot, tables = self._load(names)
        return tables

    def _load(self, names: Sequence[str]) -> tuple[Snapshot, dict[str, SheetTable]]:
        snapshot = self._read_metadata()
        found = {name: info for name in names if (info := snapshot.find(name))}
        titles = list(dict.fromkeys(info.title for info in found.values()))
        if MARKS_TAB in snapshot.tabs:
            titles.append(MARKS_TAB)
        values = self._batch_get(titles) if titles else {}
        for title in titles:
            snapshot.headers[title] = table_from_rows(title, values.get(title, [])).header
        snapshot.records = read_mark_records(values.get(MARKS_TAB, []))
        tables = {
            name: table_from_rows(name, values.get(info.title, [])) for name, info in found.items()
        }
        return snapshot, tables

    def write(self, tabs: Sequence[OutputTab], marks: Sequence[CellMark]) -> None:
        """Replace the output tabs, the feedback marks and the marks memory in one atomic
        batchUpdate (after a read_tabs; alone, it reads what it needs first). A write above
        the request size limit goes in parts that only the last one makes visible."""
        refuse_staff_tabs(tabs)
        snapshot = self._snapshot or self._read_for_write(marks)
        self._snapshot = None  # whatever happens next, it is stale
        for batch in self.plan(snapshot, tabs, marks):
            self._batch_update(batch)

    def plan(
        self, snapshot: Snapshot, tabs: Sequence[OutputTab], marks: Sequence[CellMark]
    ) -> list[list[JSON]]:
        """The batchUpdate bodies of a write, in order (no I/O); refuses what Google would."""
        mark_plan = plan_marks(snapshot, marks)
        writes = output_writes(snapshot, tabs, mark_plan)
        for write in writes:
            check_cell_texts(write)
        check_cell_limit(snapshot, writes, self.max_cells)
        single = in_place_requests(snapshot, writes) + mark_plan.requests
        if request_size(single) <= self.max_request_bytes:
            return [single]
        check_cell_limit(snapshot, writes, self.max_cells, staged=True)
        return staged_batches(snapshot, writes, mark_plan, self.max_request_bytes)

    # -- requests
    def _read_metadata(self) -> Snapshot:
        params: dict[str, Any] = {"includeGridData": "true", "fields": METADATA_FIELDS}
        metadata = self._call(
            lambda: self.client.http_client.fetch_sheet_metadata(self.spreadsheet_id, params)
        )
        return snapshot_from_metadata(metadata)

    def _read_for_write(self, marks: Sequence[CellMark]) -> Snapshot:
        """A write without a read first: learn the tabs, the headers of the marked tabs and
        the marks memory (two requests, so the budget of three still holds)."""
        return self._load(list(dict.fromkeys(m.tab for m in marks)))[0]

    def _batch_get(self, titles: Sequence[str]) -> dict[str, list[list[Any]]]:
        params = {"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"}
        answer = self._call(
            lambda: self.client.http_client.values_batch_get(
                self.spreadsheet_id, [absolute_range_name(t) for t in titles], dict(params)
            )
        )
        ranges = answer.get("valueRanges") or []
        return {title: vr.get("values") or [] for title, vr in zip(titles, ranges, strict=False)}

    def _batch_update(self, requests: list[JSON]) -> None:
        body = {"requests": requests}
        self._call(lambda: self.client.http_client.batch_update(self.spreadsheet_id, body))

    def _call(self, action: Callable[[], T]) -> T:
        """Run one API request with bounded retries; failures become RemoteError."""
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            self.sheets_requests += 1
            try:
                return action()
            except Exception as exc:
                failure = classify(exc)
                if failure is None:
                    raise
                if not failure.retryable:
                    raise self.remote_error(failure) from exc
                wait = self.retry.wait_before(attempt, self._rand)
                wait = min(max(wait, failure.retry_after), self.retry.max_delay)
                elapsed = self._clock() - started
                if self.retry.gives_up(attempt, elapsed, wait):
                    raise self.gave_up(failure, attempt, elapsed) from exc
                log.warning(
                    "Google Sheets %s (%s); retry %d in %.1f s",
                    failure.status,
                    failure.reason or failure.message,
                    attempt,
                    wait,
                )
                self.retries += 1
                self._sleep(wait)

    # -- errors a person can act on
    def gave_up(self, failure: Failure, attempts: int, elapsed: float) -> RemoteError:
        what = f"HTTP {failure.status}" if failure.status else failure.message
        if failure.status == 429:
            what += " (quota of 60 requests a minute used up)"
        return RemoteError(
            f"Google Sheets kept failing ({what}, {failure.message}) after {attempts} attempts "
            f"in {elapsed:.0f} s. Nothing was written, the previous results are unchanged; "
            "the next run will try again.",
            retryable=True,
        )

    def remote_error(self, failure: Failure) -> RemoteError:
        email = self.service_account_email or "the service account in the credentials file"
        sid = self.spreadsheet_id
        if failure.reason == "SERVICE_DISABLED":
            url = re.search(
                r"https://console\.developers\.google\.com/\S+?(?=\s|$)", failure.message
            )
            where = url.group(0).rstrip(".") if url else "Google Cloud Console > APIs & Services"
            return RemoteError(
                "The Google Sheets API is disabled in the service account's Google Cloud "
                f"project. Enable it at {where}, wait a few minutes, then run again."
            )
        if failure.status == 403:
            return RemoteError(
                f"The spreadsheet {sid} is not shared with the service account {email}. Open "
                f"it in Google Sheets, click Share, add {email} as Editor, then run again."
            )
        if failure.status == 404:
            return RemoteError(
                f"Spreadsheet {sid} was not found. Check workbook.spreadsheet_id in the config: "
                "it is the long id between /d/ and /edit in the spreadsheet's address."
            )
        if failure.status == 401:
            return RemoteError(
                "Google refused the service-account credentials "
                f"({failure.message or failure.reason}). Check workbook.credentials, or create "
                "a new key for the service account."
            )
        return RemoteError(
            f"Google Sheets refused the request (HTTP {failure.status} {failure.reason}): "
            f"{failure.message}"
        )


# --------------------------------------------------------------------------------------------
# sheetsync init --backend gsheets


def staff_tab_requests(spec: TabSpec, sheet_id: int, rows: int = 1000) -> list[JSON]:
    """A new staff tab: bold frozen header row (the instruction as a note on A1) and
    drop-down lists where the contract has choices."""
    columns = max(len(spec.headers), 1)
    header = [header_cell(h) for h in spec.headers]
    header[0]["note"] = spec.note
    requests: list[JSON] = [
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": spec.name,
                    "gridProperties": {
                        "rowCount": rows,
                        "columnCount": columns,
                        "frozenRowCount": 1,
                    },
                }
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [{"values": header}],
                "fields": "userEnteredValue,userEnteredFormat,note",
            }
        },
    ]
    for name, choices in spec.choices:
        if name in spec.headers:
            col = spec.headers.index(name)
            requests.append(drop_down_request(sheet_id, col, rows, choices))
    return requests


def drop_down_request(sheet_id: int, col: int, rows: int, choices: Sequence[str]) -> JSON:
    return {
        "setDataValidation": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": 1,
                "endRowIndex": rows,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            },
            "rule": {
                "condition": {
                    "type": "ONE_OF_LIST",
                    "values": [{"userEnteredValue": c} for c in choices],
                },
                "inputMessage": "Pilih salah satu: " + ", ".join(choices),
                "strict": False,
                "showCustomUi": True,
            },
        }
    }


def init_spreadsheet(
    client: gspread.Client,
    spreadsheet_id: str,
    *,
    specs: Sequence[TabSpec] = STAFF_TABS,
    retry: RetryPolicy | None = None,
) -> InitResult:
    """Add the staff tabs the spreadsheet lacks (existing tabs are never touched), in one
    metadata read and at most one batchUpdate.

    Returns the tabs added and the service-account email the spreadsheet must be shared with
    (print it). A spreadsheet not shared yet fails with the same advice (RemoteError)."""
    workbook = GSheetsWorkbook(client, spreadsheet_id, retry=retry)
    snapshot = workbook._read_metadata()
    missing = [s for s in specs if snapshot.find(s.name) is None]
    taken = {t.sheet_id for t in snapshot.tabs.values()}
    requests: list[JSON] = []
    for spec in missing:
        sheet_id = stable_sheet_id(spec.name, taken)
        taken.add(sheet_id)
        requests += staff_tab_requests(spec, sheet_id)
    if requests:
        workbook._batch_update(requests)
    return InitResult(tuple(s.name for s in missing), workbook.service_account_email)
