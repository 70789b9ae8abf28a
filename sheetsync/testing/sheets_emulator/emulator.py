"""`SheetsEmulator`: the object a test or the command line holds. It keeps the spreadsheets,
serves them over HTTP, answers each request through the routing table (or with a queued
fault), logs every exchange, and offers the test controls (seed, inspect, inject, trust).
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote

from sheetsync.testing.sheets_emulator.a1 import quote_title
from sheetsync.testing.sheets_emulator.batch_update import (
    add_sheet,
    apply_batch,
    check_cell_limit,
    write_cell,
)
from sheetsync.testing.sheets_emulator.errors import (
    GOOGLE_CELL_LIMIT,
    GOOGLE_PAYLOAD_LIMIT,
    HTML_404,
    INTERNAL_BODY,
    JSON,
    NOT_FOUND_BODY,
    PERMISSION_BODY,
    UNAUTHENTICATED_BODY,
    ApiError,
    invalid,
)
from sheetsync.testing.sheets_emulator.faults import Fault, Quota, take_fault
from sheetsync.testing.sheets_emulator.masks import drop_nulls, parse_mask, select_fields
from sheetsync.testing.sheets_emulator.oauth import OAuthError, issue_token, token_body
from sheetsync.testing.sheets_emulator.request_log import Exchange, json_or_text
from sheetsync.testing.sheets_emulator.responses import (
    GridWanted,
    cell_json,
    grid_wanted,
    properties_json,
    spreadsheet_json,
)
from sheetsync.testing.sheets_emulator.routes import ROUTES, first_params, is_true
from sheetsync.testing.sheets_emulator.server import Handler, Server
from sheetsync.testing.sheets_emulator.state import (
    DEFAULT_COLUMNS,
    Book,
    Sheet,
    new_book,
    new_sheet_id,
    new_spreadsheet_id,
    sheet_properties,
)
from sheetsync.testing.sheets_emulator.tab_html import render_html
from sheetsync.testing.sheets_emulator.values import (
    append_values,
    batch_totals,
    clear_values,
    rows_of,
    value_range_json,
    value_rows,
    write_values,
)

if TYPE_CHECKING:
    from sheetsync.testing.sheets_emulator.discovery import DiscoverySchema


class SheetsEmulator:
    """The emulator: state, routing, faults and the request log. Thread-safe.

    `max_cells` and `max_request_bytes` default to Google's limits and can be lowered so a
    test can hit them with small data.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        max_cells: int = GOOGLE_CELL_LIMIT,
        max_request_bytes: int = GOOGLE_PAYLOAD_LIMIT,
        require_auth: bool = False,
        log_limit: int | None = None,
        quota_per_minute: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host, self.port = host, port
        self.log_limit = log_limit  # a long-running emulator keeps only the newest exchanges
        # Google's per-user quota (60 reads and 60 writes a minute) when set; off by default
        self.quota = Quota(quota_per_minute, clock) if quota_per_minute else None
        self.max_cells = max_cells
        self.max_request_bytes = max_request_bytes
        self.require_auth = require_auth
        self.request_log: list[Exchange] = []
        self._books: dict[str, Book] = {}
        self._faults: list[Fault] = []
        self._trusted: dict[str, bytes] = {}
        self._tokens: dict[str, str] = {}
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> SheetsEmulator:
        self._server = Server((self.host, self.port), Handler)
        self._server.emulator = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SheetsEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    # -- test controls
    def inject(self, *faults: Fault) -> None:
        """Queue answers to give instead of the real ones, in order, to Sheets API calls."""
        with self._lock:
            self._faults.extend(faults)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def trust_service_account(self, info: Mapping[str, Any]) -> None:
        """Accept JWTs signed by this (fake) service account at /token."""
        from sheetsync.testing.fake_service_account import public_key_pem

        with self._lock:
            self._trusted[str(info["client_email"])] = public_key_pem(dict(info))

    def allow_token(self, token: str, email: str = "static-token") -> None:
        with self._lock:
            self._tokens[token] = email

    def api_requests(self) -> list[Exchange]:
        """Only the Sheets API calls (what Google's quota counts), not token/RAB lookups."""
        with self._lock:
            return [e for e in self.request_log if e.is_sheets_api]

    def schema_problems(self, schema: DiscoverySchema) -> list[str]:
        """Every logged Sheets exchange checked against Google's discovery document: the
        response (or error envelope) and the request body (JSON nulls dropped, as Google
        ignores them)."""
        with self._lock:
            exchanges = list(self.request_log)
        problems = []
        for exchange in exchanges:
            problems += schema.exchange_errors(exchange)
            accepted = exchange.status < 400  # a request refused with 400 was judged already
            if accepted and exchange.is_sheets_api and isinstance(exchange.request_body, dict):
                found = schema.request_errors(exchange.operation, exchange.request_body)
                problems += [f"{exchange.operation} request {e}" for e in found]
        return problems

    def clear_log(self) -> None:
        with self._lock:
            self.request_log.clear()

    # -- seeding and inspection
    def create_spreadsheet(
        self,
        tabs: Mapping[str, Sequence[Sequence[object]]] | None = None,
        *,
        title: str = "Program Duta Digital",
        spreadsheet_id: str | None = None,
        locale: str = "en_US",
        private: bool = False,
    ) -> str:
        """Make a spreadsheet holding `tabs` ({"Desa": [[header…], [row…]]}) typed as text
        (RAW), like an .xlsx opened in Sheets; no tabs -> one empty 'Sheet1'."""
        sid = spreadsheet_id or new_spreadsheet_id()
        book = new_book(sid, {"title": title, "locale": locale})
        book.private = private
        if tabs:
            book.sheets = []
            for name, rows in tabs.items():
                self._seed(book, name, rows)
        with self._lock:
            self._books[sid] = book
        return sid

    def seed_tab(self, spreadsheet_id: str, name: str, rows: Sequence[Sequence[object]]) -> None:
        with self._lock:
            self._seed(self._book(spreadsheet_id), name, rows)

    def _seed(self, book: Book, name: str, rows: Sequence[Sequence[object]]) -> None:
        sheet = book.by_title(name)
        if sheet is None:
            height = max(len(rows) + 10, 20)
            width = max(max((len(r) for r in rows), default=0), DEFAULT_COLUMNS)
            taken = {s.sheet_id for s in book.sheets}
            sheet_id = 0 if not book.sheets else new_sheet_id(taken)
            sheet = Sheet(sheet_properties(name, sheet_id, len(book.sheets), height, width))
            book.sheets.append(sheet)
        write_values(book, f"{quote_title(name)}!A1", [list(r) for r in rows], "RAW")

    def set_cell(self, spreadsheet_id: str, a1: str, **cell_data: Any) -> None:
        """Set CellData fields directly (e.g. note=…, userEnteredFormat=…), as staff would."""
        with self._lock:
            book = self._book(spreadsheet_id)
            sheet, box = book.resolve(a1)
            write_cell(sheet, box.r0, box.c0, cell_data, {k: {} for k in cell_data})

    def cell(self, spreadsheet_id: str, a1: str) -> JSON:
        """CellData of one cell as spreadsheets.get with grid data would return it."""
        with self._lock:
            book = self._book(spreadsheet_id)
            sheet, box = book.resolve(a1)
            return cell_json(sheet.cell(box.r0, box.c0), book.locale)

    def tab_values(
        self, spreadsheet_id: str, name: str, render: str = "FORMATTED_VALUE"
    ) -> list[list[JSON]]:
        with self._lock:
            book = self._book(spreadsheet_id)
            sheet, box = book.resolve(quote_title(name))
            return value_rows(sheet, box, {"valueRenderOption": render}, book.locale)

    def tab_titles(self, spreadsheet_id: str) -> list[str]:
        with self._lock:
            return [s.title for s in self._book(spreadsheet_id).sheets]

    def tab_properties(self, spreadsheet_id: str, name: str) -> JSON:
        with self._lock:
            sheet = self._book(spreadsheet_id).by_title(name)
            if sheet is None:
                raise KeyError(name)
            return properties_json(sheet)

    def tab_html(self, spreadsheet_id: str, name: str, max_rows: int = 60) -> str:
        """A tab as a person would see it in Sheets (formatted values, fill colours, notes
        as numbered markers listed below), to look at what a sync left behind."""
        with self._lock:
            book = self._book(spreadsheet_id)
            sheet, box = book.resolve(quote_title(name))
            rows = min(box.r1, max_rows)
            cells = {(r, c): sheet.cell(r, c) for r in range(rows) for c in range(box.c1)}
            locale = book.locale
        return render_html(
            name, cells, rows, max((c for (_, c), v in cells.items() if v), default=0) + 1, locale
        )

    def _book(self, spreadsheet_id: str) -> Book:
        book = self._books.get(spreadsheet_id)
        if book is None:
            raise ApiError(404, str(NOT_FOUND_BODY["error"]["message"]))
        return book

    # -- HTTP
    def handle(
        self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, str, bytes]:
        """Answer one request: (status, content type, body bytes). Logs every exchange."""
        status, ctype, payload, _ = self.answer(method, raw_path, headers, body)
        return status, ctype, payload

    def answer(
        self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, str, bytes, dict[str, str]]:
        """`handle` plus the extra response headers (a fault's Retry-After)."""
        started = time.perf_counter()
        path, _, query_text = raw_path.partition("?")
        query = parse_qs(query_text, keep_blank_values=True)
        operation, handler, args = self._route(method, path)
        fault = self._take_fault(path) or self._quota_fault(method, path)
        if fault and fault.delay_seconds:
            time.sleep(fault.delay_seconds)
        request_json = json_or_text(body, headers.get("content-type", ""))
        if fault and fault.status:
            status, ctype, payload = fault.status, fault.content_type, fault.body.encode()
        else:
            status, ctype, payload = self._answer(
                handler, path, args, query, request_json, headers, body
            )
        exchange = Exchange(
            method,
            path,
            query,
            operation,
            status,
            request_json,
            json_or_text(payload, "json"),
            time.perf_counter() - started,
            injected=bool(fault and fault.status),
        )
        self._log(exchange)
        extra = {"Retry-After": f"{fault.retry_after:g}"} if fault and fault.retry_after else {}
        return status, ctype, payload, extra

    def _answer(
        self,
        handler: Callable[..., JSON] | None,
        path: str,
        args: tuple[str, ...],
        query: dict[str, list[str]],
        request_json: JSON,
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[int, str, bytes]:
        if handler is None:
            return 404, "text/html; charset=UTF-8", HTML_404.encode()
        try:
            self._check_request(path, headers, body)
            result = handler(*args, query=query, body=request_json)
            return 200, "application/json; charset=UTF-8", json.dumps(result, indent=2).encode()
        except ApiError as exc:
            return (
                exc.code,
                "application/json; charset=UTF-8",
                json.dumps(exc.body(), indent=2).encode(),
            )
        except OAuthError as exc:
            return 400, "application/json; charset=UTF-8", json.dumps(exc.body()).encode()
        except Exception:  # an emulator bug: say so on stderr, answer like Google's 500
            traceback.print_exc()
            return 500, "application/json; charset=UTF-8", json.dumps(INTERNAL_BODY).encode()

    def _check_request(self, path: str, headers: Mapping[str, str], body: bytes) -> None:
        if len(body) > self.max_request_bytes:
            raise invalid(
                f"Request payload size exceeds the limit: {self.max_request_bytes} bytes."
            )
        if not path.startswith("/v4/") or not self.require_auth:
            return
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self._tokens:
            raise ApiError(401, str(UNAUTHENTICATED_BODY["error"]["message"]))

    def _route(
        self, method: str, path: str
    ) -> tuple[str, Callable[..., JSON] | None, tuple[str, ...]]:
        for verb, pattern, operation, handler_name in ROUTES:
            match = pattern.match(path)
            if verb == method and match:
                args = tuple(unquote(g) for g in match.groups())
                return operation, getattr(self, handler_name), args
        return "unknown", None, ()

    def _quota_fault(self, method: str, path: str) -> Fault | None:
        if self.quota is None or not path.startswith("/v4/"):
            return None
        with self._lock:
            return self.quota.charge("read" if method == "GET" else "write")

    def _take_fault(self, path: str) -> Fault | None:
        if not path.startswith("/v4/"):
            return None
        with self._lock:
            return take_fault(self._faults, path)

    def _log(self, exchange: Exchange) -> None:
        with self._lock:
            self.request_log.append(exchange)
            if self.log_limit is not None and len(self.request_log) > self.log_limit:
                del self.request_log[: len(self.request_log) - self.log_limit]

    # -- operations: each takes path args, query= and body=, returns JSON or raises ApiError
    def _op_token(self, *, query: JSON, body: JSON) -> JSON:
        token, email = issue_token(body if isinstance(body, dict) else {}, self._trusted)
        self.allow_token(token, email)
        return token_body(token)

    def _op_allowed_locations(self, email: str, *, query: JSON, body: JSON) -> JSON:
        return {"locations": ["us-central1"], "encodedLocations": "0x1"}

    def _op_create(self, *, query: JSON, body: JSON) -> JSON:
        body = drop_nulls(body or {})
        sid = new_spreadsheet_id()
        book = new_book(sid, body.get("properties") or {})
        if body.get("sheets"):
            book.sheets = []
            for index, sheet in enumerate(body["sheets"]):
                props = dict(sheet.get("properties") or {})
                props.setdefault("sheetId", 0) if index == 0 else None
                add_sheet(book, {"properties": props})
        with self._lock:
            self._books[sid] = book
            return spreadsheet_json(book, None, [])

    def _op_get(self, sid: str, *, query: JSON, body: JSON) -> JSON:
        """includeGridData is ignored when a field mask is given (Google's documented rule):
        then the mask alone decides whether grid data comes back."""
        params = first_params(query)
        tree = parse_mask(params["fields"]) if params.get("fields") else {}
        grid = grid_wanted(tree) if tree else None
        if not tree and is_true(params.get("includeGridData")):
            grid = GridWanted()
        with self._lock:
            book = self._readable(sid)
            out = spreadsheet_json(book, grid, query.get("ranges", []))
        return select_fields(out, tree) if tree else out

    def _op_batch_update(self, sid: str, *, query: JSON, body: JSON) -> JSON:
        body = body or {}
        with self._lock:
            work = self._readable(sid).clone()
            replies = apply_batch(work, body.get("requests") or [], self.max_cells)
            self._books[sid] = work
            out: JSON = {"spreadsheetId": sid, "replies": replies}
            if body.get("includeSpreadsheetInResponse"):
                grid = GridWanted() if body.get("responseIncludeGridData") else None
                out["updatedSpreadsheet"] = spreadsheet_json(
                    work, grid, body.get("responseRanges") or []
                )
            return out

    def _op_values_batch_update(self, sid: str, *, query: JSON, body: JSON) -> JSON:
        body = body or {}
        option = body.get("valueInputOption") or ""
        with self._lock:
            work = self._readable(sid).clone()
            responses = []
            for i, item in enumerate(body.get("data") or []):
                rows = rows_of(item, f"data[{i}].values")
                responses.append(write_values(work, str(item.get("range", "")), rows, option))
            check_cell_limit(work, self.max_cells)
            self._books[sid] = work
        return batch_totals(sid, responses)

    def _op_values_batch_get(self, sid: str, *, query: JSON, body: JSON) -> JSON:
        params = first_params(query)
        with self._lock:
            book = self._readable(sid)
            ranges = [book.resolve(text) for text in query.get("ranges", [])]
            value_ranges = [value_range_json(book, s, b, params) for s, b in ranges]
        return {"spreadsheetId": sid, "valueRanges": value_ranges}

    def _op_values_batch_clear(self, sid: str, *, query: JSON, body: JSON) -> JSON:
        with self._lock:
            work = self._readable(sid).clone()
            cleared = [clear_values(work, text) for text in (body or {}).get("ranges") or []]
            self._books[sid] = work
        return {"spreadsheetId": sid, "clearedRanges": cleared}

    def _op_values_append(self, sid: str, range_text: str, *, query: JSON, body: JSON) -> JSON:
        with self._lock:
            work = self._readable(sid).clone()
            out = append_values(work, range_text, body or {}, first_params(query))
            check_cell_limit(work, self.max_cells)
            self._books[sid] = work
        return out

    def _op_values_clear(self, sid: str, range_text: str, *, query: JSON, body: JSON) -> JSON:
        with self._lock:
            work = self._readable(sid).clone()
            cleared = clear_values(work, range_text)
            self._books[sid] = work
        return {"spreadsheetId": sid, "clearedRange": cleared}

    def _op_values_get(self, sid: str, range_text: str, *, query: JSON, body: JSON) -> JSON:
        with self._lock:
            book = self._readable(sid)
            sheet, box = book.resolve(range_text)
            return value_range_json(book, sheet, box, first_params(query))

    def _op_values_update(self, sid: str, range_text: str, *, query: JSON, body: JSON) -> JSON:
        params = first_params(query)
        rows = rows_of(body or {}, "data.values")
        with self._lock:
            work = self._readable(sid).clone()
            out = write_values(work, range_text, rows, params.get("valueInputOption", ""))
            check_cell_limit(work, self.max_cells)
            self._books[sid] = work
        if is_true(params.get("includeValuesInResponse")):
            sheet, box = work.resolve(out["updatedRange"])
            out["updatedData"] = value_range_json(
                work,
                sheet,
                box,
                {"valueRenderOption": params.get("responseValueRenderOption", "FORMATTED_VALUE")},
            )
        return out

    def _readable(self, sid: str) -> Book:
        book = self._book(sid)
        if book.private:
            raise ApiError(403, str(PERMISSION_BODY["error"]["message"]))
        return book
