"""`GSheetsWorkbook`: the workbook port (`workbook.base.Workbook`) on a Google Spreadsheet.

The one place that talks to the Sheets API. A service account is one Google "user" (60
reads and 60 writes a minute), so a whole sync costs at most three requests: one metadata
read, one values:batchGet for every tab read, one batchUpdate for every write. Each request
is retried under a bounded policy (retry.py); an error a person must fix (sheet not shared,
wrong id, API disabled) says what to do. A sync that finds the spreadsheet already showing
its figures and marks (`shows_last_write`) skips the batchUpdate: two requests.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import gspread
from gspread.utils import absolute_range_name

from sheetsync.contract import MARKS_TAB
from sheetsync.errors import RemoteError
from sheetsync.issues import Issue
from sheetsync.retry import RetryPolicy
from sheetsync.tabs import CellMark, OutputTab, SheetTable
from sheetsync.workbook.base import refuse_staff_tabs
from sheetsync.workbook.gsheets.batch_update import (
    MAX_CELLS,
    MAX_REQUEST_BYTES,
    check_cell_limit,
    check_cell_texts,
    in_place_requests,
    request_size,
    staged_batches,
    stale_staging,
    tab_write,
)
from sheetsync.workbook.gsheets.client import service_account_email
from sheetsync.workbook.gsheets.marks import (
    marks_in_place,
    output_writes,
    plan_marks,
    read_mark_records,
)
from sheetsync.workbook.gsheets.retry import SHEETS_RETRY, Failure, classify
from sheetsync.workbook.gsheets.snapshot import (
    JSON,
    METADATA_FIELDS,
    Snapshot,
    TabInfo,
    snapshot_from_metadata,
    table_from_rows,
)

log = logging.getLogger(__name__)
GROWING_TABS = frozenset({"Log"})  # a row per run: its size says nothing of the last write

T = TypeVar("T")


def _sized_as(info: TabInfo, tab: OutputTab) -> bool:
    """The tab's grid is the size a write of `tab` gives it (rows and columns)."""
    written = tab_write(tab)
    return (info.rows, info.columns) == (written.height, written.width)


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
        self.uncomputed_formulas: dict[str, list[str]] = {}  # Sheets always has the values
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
        snapshot = self.read_metadata()
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
            self.batch_update(batch)

    def notices(self, language: str = "id") -> list[Issue]:
        """Nothing to write around: the Sheets API keeps everything staff made."""
        return []

    def last_write_token(self) -> str | None:
        """Which spreadsheet the last write went to (the pipeline keeps it with the figures)."""
        return self.spreadsheet_id

    def shows_last_write(
        self, token: str, tabs: Sequence[OutputTab], marks: Sequence[CellMark]
    ) -> bool:
        """Whether this spreadsheet, as this run's `read_tabs` saw it (no request), still has
        what the last write (`token`) put there: the output `tabs`, each of the size the
        write gives it (the Log excepted: it grows a row a run), no staging tab of a failed
        write, and exactly the `marks` on staff cells with their memory. Values typed over
        an output tab's cells are not read (that would cost the quota a skipped write
        saves); the pipeline rewrites them at the next change, or the next day. No read
        this run: False (write)."""
        snapshot = self._snapshot
        if token != self.spreadsheet_id or snapshot is None or stale_staging(snapshot):
            return False
        for tab in tabs:
            info = snapshot.tabs.get(tab.name)
            if info is None or (tab.name not in GROWING_TABS and not _sized_as(info, tab)):
                return False
        return marks_in_place(snapshot, marks)

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
        return staged_batches(snapshot, writes, mark_plan.requests, self.max_request_bytes)

    # -- requests (read_metadata and batch_update are also staff_tabs.init_spreadsheet's)
    def read_metadata(self) -> Snapshot:
        """The tabs, their sizes and the look of staff cells, in one request."""
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

    def batch_update(self, requests: list[JSON]) -> None:
        """One spreadsheets:batchUpdate: Google applies it whole or not at all."""
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
