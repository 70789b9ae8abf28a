"""A stateful Google Sheets API v4 emulator on 127.0.0.1, for tests and offline demos.

Why it exists: no public Sheets emulator speaks HTTP with state and `spreadsheets:batchUpdate`,
and mocks inside the client would test our mocks, not gspread. This is a real HTTP server that
unmodified gspread + google-auth talk to (redirected by `workbook.gsheets.make_client`), whose
answers copy what Google was recorded answering (gspread's cassettes, gargle's error bodies):
trimmed value ranges, normalised range echoes, omitted default fields, google.rpc error
envelopes, atomic batch updates, the 50,000-characters-per-cell and 10-million-cell limits.

    python -m sheetsync.testing.sheets_emulator --port 8765   # serves until killed
    python -m sheetsync.testing.sheets_emulator --port 8765 --seed demo/data/program.xlsx \
        --spreadsheet-id demo --service-account /tmp/sa.json      # the demo, over "Google"

With the second form a config of ``backend = "gsheets"``, ``spreadsheet_id = "demo"``,
``credentials = "/tmp/sa.json"`` and ``endpoint = "http://127.0.0.1:8765"`` runs sheetsync
against the emulator, real JWT auth included (the key file appears once all is ready).

In tests: ``with SheetsEmulator() as emu: emu.create_spreadsheet({"Desa": rows})``, then
`emu.url`, `emu.token_uri`, `emu.request_log`, `emu.inject(Fault.rate_limited(times=3))`,
`emu.tab_values(sid, "KPI Toko")`, `emu.cell(sid, "Toko!F3")` (notes, colours).
Every exchange is logged with its discovery method id, so a test can validate each response
against Google's own discovery document (`DiscoverySchema`).
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime as dt
import functools
import json
import math
import operator
import random
import re
import secrets
import string
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

JSON = Any
GOOGLE_CELL_LIMIT = 10_000_000
GOOGLE_CHARS_PER_CELL = 50_000
GOOGLE_PAYLOAD_LIMIT = 10 * 1024 * 1024
DEFAULT_ROWS, DEFAULT_COLUMNS = 1000, 26
SERIAL_EPOCH = dt.date(1899, 12, 30)

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

# Real bodies, recorded from Google (gspread cassettes, r-lib/gargle fixtures; the 429 was
# recorded 2025-08-30 on the read quota).
RATE_LIMIT_BODY = {
    "error": {
        "code": 429,
        "message": "Quota exceeded for quota metric 'Read requests' and limit 'Read requests "
        "per minute per user' of service 'sheets.googleapis.com' for consumer "
        "'project_number:603366585132'.",
        "status": "RESOURCE_EXHAUSTED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "quota_limit_value": "60",
                    "service": "sheets.googleapis.com",
                    "consumer": "projects/603366585132",
                    "quota_unit": "1/min/{project}/{user}",
                    "quota_location": "global",
                    "quota_metric": "sheets.googleapis.com/read_requests",
                    "quota_limit": "ReadRequestsPerMinutePerUser",
                },
            },
            {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [
                    {
                        "description": "Request a higher quota limit.",
                        "url": "https://cloud.google.com/docs/quotas/help/request_increase",
                    }
                ],
            },
        ],
    }
}
INTERNAL_BODY = {
    "error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}
}
PERMISSION_BODY = {
    "error": {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }
}
NOT_FOUND_BODY = {
    "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
}
SERVICE_DISABLED_BODY = {
    "error": {
        "code": 403,
        "message": "Google Sheets API has not been used in project 603366585132 before or it "
        "is disabled. Enable it by visiting https://console.developers.google.com/apis/api/"
        "sheets.googleapis.com/overview?project=603366585132 then retry. If you enabled this "
        "API recently, wait a few minutes for the action to propagate to our systems and retry.",
        "status": "PERMISSION_DENIED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
                "metadata": {
                    "consumer": "projects/603366585132",
                    "service": "sheets.googleapis.com",
                },
            }
        ],
    }
}
UNAUTHENTICATED_BODY = {
    "error": {
        "code": 401,
        "message": "Request is missing required authentication credential. Expected OAuth 2 "
        "access token, login cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "status": "UNAUTHENTICATED",
    }
}
HTML_503 = (
    "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <meta name=viewport "
    'content="initial-scale=1, minimum-scale=1, width=device-width">\n  <title>Error 503 '
    "(Service Unavailable)!!1</title>\n  <p><b>503.</b> <ins>That’s an error.</ins>\n  <p>The "
    "service you requested is not available at this time. <ins>That’s all we know.</ins>\n"
)
HTML_404 = HTML_503.replace("503", "404").replace("Service Unavailable", "Not Found")

DEFAULT_FORMAT: JSON = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
_THEME_COLOURS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]
DEFAULT_THEME: JSON = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": t, "color": {"rgbColor": c}} for t, c in _THEME_COLOURS],
}


class ApiError(Exception):
    """An answer in Google's google.rpc error envelope."""

    def __init__(self, code: int, message: str, details: list[JSON] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> JSON:
        error: JSON = {"code": self.code, "message": self.message}
        error["status"] = STATUS_NAMES.get(self.code, "UNKNOWN")
        if self.details:
            error["details"] = self.details
        return {"error": error}


def invalid(message: str, details: list[JSON] | None = None) -> ApiError:
    return ApiError(400, message, details)


def invalid_list_value(field_name: str, value: object) -> ApiError:
    """Google's answer when `values` is not a 2-D list (recorded in gspread's cassettes)."""
    text = f"Invalid value at '{field_name}' (type.googleapis.com/google.protobuf.ListValue), "
    text += json.dumps(value if isinstance(value, str) else str(value))
    violation = {"field": field_name, "description": text}
    bad = {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}
    return invalid(text, [bad])


# --------------------------------------------------------------------------- A1 notation
# Written here rather than taken from gspread.utils: an oracle must not share code with the
# client it checks, or a bug in one would hide in the other.


def column_letters(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rem] + letters
    return letters


def column_index(letters: str) -> int:
    """'A' -> 0, 'AA' -> 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - 64)
    return index - 1


_SIMPLE_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[A-Za-z]{1,3}|\d+)$")


def quote_title(title: str) -> str:
    """Quote a tab title the way Google echoes it: only when it would be ambiguous."""
    if _SIMPLE_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_range(text: str) -> tuple[str | None, str | None]:
    """ "'My tab'!A1:B2" -> ("My tab", "A1:B2"); "Desa" -> (None, "Desa")."""
    if text.startswith("'"):
        end = _closing_quote(text)
        if end is not None:
            title = text[1:end].replace("''", "'")
            rest = text[end + 1 :]
            if rest == "":
                return title, None
            if rest.startswith("!"):
                return title, rest[1:]
    if "!" in text:
        title, _, a1 = text.rpartition("!")
        return title, a1
    return None, text


def _closing_quote(text: str) -> int | None:
    i = 1
    while i < len(text):
        if text[i] == "'":
            if text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


_A1_PART = re.compile(r"^([A-Za-z]{0,3})(\d*)$")


@dataclass(frozen=True, slots=True)
class Box:
    """Half-open cell rectangle: rows r0..r1-1, columns c0..c1-1 (0-based)."""

    r0: int
    c0: int
    r1: int
    c1: int
    label: str = field(default="", compare=False)  # the A1 text as requested, for errors

    def cells(self) -> Iterator[tuple[int, int]]:
        for r in range(self.r0, self.r1):
            for c in range(self.c0, self.c1):
                yield r, c

    def contains(self, r: int, c: int) -> bool:
        return self.r0 <= r < self.r1 and self.c0 <= c < self.c1

    def a1(self) -> str:
        start = f"{column_letters(self.c0)}{self.r0 + 1}"
        if self.r1 - self.r0 == 1 and self.c1 - self.c0 == 1:
            return start
        return f"{start}:{column_letters(self.c1 - 1)}{self.r1}"


def parse_a1(a1: str, rows: int, cols: int) -> Box | None:
    """A1 text -> Box, open ends reaching the grid edge ('A:A' -> A1:A<rows>)."""
    first, _, second = a1.partition(":")
    start = _A1_PART.match(first)
    end = _A1_PART.match(second) if second else start
    if not start or not end or first == "" or (second == "" and ":" in a1):
        return None
    (sc, sr), (ec, er) = start.groups(), end.groups()
    if not second and not (sc and sr):
        return None
    if (not sc and not sr) or (not ec and not er):
        return None
    if not second:
        r0, c0 = int(sr) - 1, column_index(sc)
        if r0 < 0:
            return None
        return Box(r0, c0, r0 + 1, c0 + 1)
    return _ordered_box(sc, sr, ec, er, rows, cols)


def _ordered_box(sc: str, sr: str, ec: str, er: str, rows: int, cols: int) -> Box | None:
    c0 = column_index(sc) if sc else 0
    r0 = int(sr) - 1 if sr else 0
    c1 = column_index(ec) + 1 if ec else cols
    r1 = int(er) if er else rows
    if (sr and int(sr) < 1) or (er and int(er) < 1):
        return None
    r0, r1 = (r0, r1) if r0 < r1 else (r1 - 1, r0 + 1)
    c0, c1 = (c0, c1) if c0 < c1 else (c1 - 1, c0 + 1)
    return Box(r0, c0, r1, c1)


# --------------------------------------------------------------------------- field masks


def parse_mask(mask: str) -> dict[str, Any]:
    """'a.b(c,d),e' -> {'a': {'b': {'c': {}, 'd': {}}}, 'e': {}} ('/' works like '.')."""
    tree: dict[str, Any] = {}
    pos = _parse_mask_list(mask.replace("/", ".").replace(" ", ""), 0, tree)
    if pos != len(mask.replace(" ", "")):
        raise invalid(f"Invalid field mask: {mask}")
    return tree


def _parse_mask_list(text: str, pos: int, tree: dict[str, Any]) -> int:
    while pos < len(text):
        pos = _parse_mask_path(text, pos, tree)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return pos


def _parse_mask_path(text: str, pos: int, tree: dict[str, Any]) -> int:
    match = re.compile(r"[A-Za-z0-9_@*]+(\.[A-Za-z0-9_@*]+)*").match(text, pos)
    if not match:
        raise invalid(f"Invalid field mask: {text}")
    node = tree
    for name in match.group(0).split("."):
        node = node.setdefault(name, {})
    pos = match.end()
    if pos < len(text) and text[pos] == "(":
        pos = _parse_mask_list(text, pos + 1, node)
        if pos >= len(text) or text[pos] != ")":
            raise invalid(f"Invalid field mask: {text}")
        pos += 1
    return pos


def select_fields(value: JSON, tree: Mapping[str, Any]) -> JSON:
    """Keep only the masked fields of a response (lists are masked element-wise)."""
    if not tree or "*" in tree:
        return value
    if isinstance(value, list):
        return [select_fields(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {k: select_fields(value[k], sub) for k, sub in tree.items() if k in value}


def update_fields(
    target: dict[str, Any], source: Mapping[str, Any], tree: Mapping[str, Any]
) -> None:
    """Copy the masked fields of `source` into `target`; masked fields absent are cleared."""
    if "*" in tree:
        target.clear()
        target.update(drop_nulls(dict(source)))
        return
    for key, sub in tree.items():
        if not sub:
            if source.get(key) is not None:
                target[key] = drop_nulls(source[key])  # builds new containers: no sharing
            else:
                target.pop(key, None)
            continue
        child = dict(target.get(key) or {})
        update_fields(child, source.get(key) or {}, sub)
        if child:
            target[key] = child
        else:
            target.pop(key, None)


def drop_nulls(value: JSON) -> JSON:
    """Google treats JSON null as "not set"; so does the emulator."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


# --------------------------------------------------------------------------- cell values


def to_serial(day: dt.datetime | dt.date) -> float:
    if isinstance(day, dt.datetime):
        delta = day - dt.datetime.combine(SERIAL_EPOCH, dt.time())
        return delta.days + delta.seconds / 86400
    return float((day - SERIAL_EPOCH).days)


def from_serial(serial: float) -> dt.datetime:
    return dt.datetime.combine(SERIAL_EPOCH, dt.time()) + dt.timedelta(days=serial)


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_PERCENT = re.compile(r"^[+-]?\d+(\.\d+)?%$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def user_entered(value: JSON) -> tuple[JSON, JSON | None]:
    """Parse like the Sheets UI (en_US): -> (userEnteredValue, numberFormat or None)."""
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, int | float):
        return {"numberValue": value}, None
    text = str(value)
    if text.startswith("="):
        return {"formulaValue": text}, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.upper() in {"TRUE", "FALSE"}:
        return {"boolValue": text.upper() == "TRUE"}, None
    return _parse_typed_text(text)


def _parse_typed_text(text: str) -> tuple[JSON, JSON | None]:
    if _NUMBER.match(text) and any(ch.isdigit() for ch in text):
        number = float(text.replace(",", ""))
        fmt = {"type": "NUMBER", "pattern": "#,##0.00" if "." in text else "#,##0"}
        return {"numberValue": number}, (fmt if "," in text else None)
    if _PERCENT.match(text):
        return {"numberValue": float(text[:-1]) / 100}, {"type": "PERCENT", "pattern": "0%"}
    day = _parse_date(text)
    if day is not None:
        return {"numberValue": to_serial(day[0])}, {"type": "DATE", "pattern": day[1]}
    return {"stringValue": text}, None


def _parse_date(text: str) -> tuple[dt.date, str] | None:
    try:
        if m := _ISO_DATE.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), "yyyy-mm-dd"
        if m := _US_DATE.match(text):
            return dt.date(int(m[3]), int(m[1]), int(m[2])), "M/d/yyyy"
    except ValueError:
        return None
    return None


def raw_entered(value: JSON) -> JSON:
    """RAW: strings stay strings whatever they look like; numbers and booleans stay typed."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    return {"stringValue": str(value)}


_ARITHMETIC: dict[type, Callable[..., float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def evaluate_formula(formula: str) -> JSON:
    """Plain arithmetic formulas ('=4/2') are computed; anything else is a #NAME? error."""
    try:
        return {"numberValue": _arith(ast.parse(formula[1:].strip(), mode="eval").body)}
    except (SyntaxError, KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError):
        return {"errorValue": {"type": "NAME", "message": "Unknown function or reference."}}


def _arith(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.BinOp):
        return _ARITHMETIC[type(node.op)](_arith(node.left), _arith(node.right))
    if isinstance(node, ast.UnaryOp):
        return _ARITHMETIC[type(node.op)](_arith(node.operand))
    raise ValueError("not arithmetic")


def effective_value(cell: Mapping[str, Any]) -> JSON | None:
    entered = cell.get("userEnteredValue")
    if not entered:
        return None
    if "formulaValue" in entered:
        return evaluate_formula(entered["formulaValue"])
    return dict(entered)


_COMMA_DECIMAL = ("in_", "id", "de", "fr", "es", "it", "nl", "pt", "ru", "tr", "sv", "da")


def format_number(number: float, fmt: Mapping[str, Any] | None, locale: str) -> str:
    """Render a number as Sheets shows it, for the number formats sheetsync and gspread use."""
    kind = (fmt or {}).get("type", "")
    pattern = (fmt or {}).get("pattern", "")
    if kind in {"DATE", "DATE_TIME", "TIME"}:
        return format_date(from_serial(number), pattern or "M/d/yyyy")
    if not pattern or kind == "TEXT":
        return _automatic(number)
    return _patterned(number, pattern, locale)


def _automatic(number: float) -> str:
    if float(number).is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.10g}"
    return text.replace("e+", "E+").replace("e-", "E-")


def _patterned(number: float, pattern: str, locale: str) -> str:
    core = re.search(r"[#0,]*[0#](\.[0#]+)?", pattern)
    if not core:
        return _automatic(number)
    percent = "%" in pattern
    value = number * 100 if percent else number
    decimals = len(core.group(1) or "") - (1 if core.group(1) else 0)
    text = f"{value:,.{decimals}f}" if "," in core.group(0) else f"{value:.{decimals}f}"
    if locale.lower().startswith(_COMMA_DECIMAL):
        text = text.translate(str.maketrans(",.", ".,"))
    prefix = pattern[: core.start()].replace('"', "")
    suffix = pattern[core.end() :].replace('"', "")
    return f"{prefix}{text}{suffix}"


def format_date(moment: dt.datetime, pattern: str) -> str:
    tokens = {
        "yyyy": f"{moment.year:04d}",
        "yy": f"{moment.year % 100:02d}",
        "mm": f"{moment.month:02d}",
        "M": str(moment.month),
        "dd": f"{moment.day:02d}",
        "d": str(moment.day),
        "hh": f"{moment.hour:02d}",
        "HH": f"{moment.hour:02d}",
        "ss": f"{moment.second:02d}",
    }
    out = re.sub(r"yyyy|yy|mm|M|dd|d|hh|HH|ss", lambda m: tokens[m.group(0)], pattern)
    return out


def formatted_value(cell: Mapping[str, Any], locale: str) -> str | None:
    value = effective_value(cell)
    if value is None:
        return None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    if "errorValue" in value:
        return "#NAME?"
    fmt = (cell.get("userEnteredFormat") or {}).get("numberFormat")
    return format_number(value["numberValue"], fmt, locale)


def plain_number(number: float) -> int | float:
    return int(number) if float(number).is_integer() and abs(number) < 2**53 else number


def rendered(cell: Mapping[str, Any], render: str, date_render: str, locale: str) -> JSON:
    """One cell as values.get returns it under valueRenderOption/dateTimeRenderOption."""
    if render == "FORMATTED_VALUE":
        return formatted_value(cell, locale)
    entered = cell.get("userEnteredValue") or {}
    if render == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    value = effective_value(cell)
    if value is None:
        return None
    if "numberValue" in value:
        fmt = (cell.get("userEnteredFormat") or {}).get("numberFormat") or {}
        if date_render == "FORMATTED_STRING" and fmt.get("type") in {"DATE", "DATE_TIME", "TIME"}:
            return formatted_value(cell, locale)
        return plain_number(value["numberValue"])
    if "errorValue" in value:
        return "#NAME?"
    return next(iter(value.values()))


# --------------------------------------------------------------------------- state


@dataclass
class Sheet:
    properties: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    basic_filter: dict[str, Any] | None = None

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def rows(self) -> int:
        return int(self.properties["gridProperties"]["rowCount"])

    @property
    def cols(self) -> int:
        return int(self.properties["gridProperties"]["columnCount"])

    @property
    def grid(self) -> Box:
        return Box(0, 0, self.rows, self.cols)

    def clone(self) -> Sheet:
        """A working copy for a transaction. Cell dicts are never changed in place (every
        write builds a new one), so sharing them is safe and a clone costs one dict copy."""
        return Sheet(copy.deepcopy(self.properties), dict(self.cells), self.basic_filter)

    def cell(self, r: int, c: int) -> dict[str, Any]:
        return self.cells.get((r, c), {})

    def put(self, r: int, c: int, cell: dict[str, Any]) -> None:
        if cell:
            self.cells[(r, c)] = cell
        else:
            self.cells.pop((r, c), None)

    def keys_in(self, box: Box) -> list[tuple[int, int]]:
        """Stored cells inside `box`, walking whichever is smaller: the box or the cells."""
        if (box.r1 - box.r0) * (box.c1 - box.c0) < len(self.cells):
            return [key for key in box.cells() if key in self.cells]
        return [key for key in self.cells if box.contains(*key)]

    def resize(self, rows: int, cols: int) -> None:
        grid = self.properties["gridProperties"]
        grid["rowCount"], grid["columnCount"] = rows, cols
        for key in [k for k in self.cells if k[0] >= rows or k[1] >= cols]:
            del self.cells[key]
        if self.basic_filter:  # a filter shrinks with its grid
            grid_range = dict(self.basic_filter["range"])
            grid_range["endRowIndex"] = min(grid_range["endRowIndex"], rows)
            grid_range["endColumnIndex"] = min(grid_range["endColumnIndex"], cols)
            self.basic_filter = {**self.basic_filter, "range": grid_range}

    def ensure_size(self, rows: int, cols: int) -> None:
        """Writing values past the grid grows it, as Sheets does."""
        if rows > self.rows or cols > self.cols:
            self.resize(max(rows, self.rows), max(cols, self.cols))

    def check_inside(self, box: Box) -> None:
        if box.r1 > self.rows or box.c1 > self.cols or box.r0 < 0 or box.c0 < 0:
            raise invalid(
                f"Range ({quote_title(self.title)}!{box.label or box.a1()}) exceeds grid limits. "
                f"Max rows: {self.rows}, max columns: {self.cols}"
            )


@dataclass
class Book:
    spreadsheet_id: str
    properties: dict[str, Any]
    sheets: list[Sheet]
    private: bool = False

    def clone(self) -> Book:
        return Book(
            self.spreadsheet_id,
            copy.deepcopy(self.properties),
            [s.clone() for s in self.sheets],
            self.private,
        )

    @property
    def locale(self) -> str:
        return str(self.properties.get("locale", "en_US"))

    def by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def reindex(self) -> None:
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def total_cells(self) -> int:
        return sum(s.rows * s.cols for s in self.sheets)

    def resolve(self, text: str) -> tuple[Sheet, Box]:
        """A1 range text -> (sheet, box); Google's 400 when it cannot be parsed."""
        title, a1 = split_range(text)
        sheet = self.by_title(title) if title is not None else None
        if title is None and a1 is not None:
            sheet = self.by_title(a1)
            if sheet is not None:
                return sheet, sheet.grid
            sheet = self.sheets[0] if self.sheets else None
        if sheet is None:
            raise invalid(f"Unable to parse range: {text}")
        if a1 is None:
            return sheet, sheet.grid
        box = parse_a1(a1, sheet.rows, sheet.cols)
        if box is None:
            raise invalid(f"Unable to parse range: {text}")
        return sheet, replace(box, label=a1)

    def echo(self, sheet: Sheet, box: Box) -> str:
        return f"{quote_title(sheet.title)}!{box.a1()}"

    def grid_box(self, grid_range: Mapping[str, Any]) -> tuple[Sheet, Box]:
        """A GridRange (sheetId + half-open indexes, open ends = grid edge) -> (sheet, box)."""
        sheet = self.by_id(int(grid_range.get("sheetId") or 0))
        if sheet is None:
            raise invalid(f"No grid with id: {grid_range.get('sheetId') or 0}")
        box = Box(
            int(grid_range.get("startRowIndex") or 0),
            int(grid_range.get("startColumnIndex") or 0),
            int(grid_range.get("endRowIndex") or sheet.rows),
            int(grid_range.get("endColumnIndex") or sheet.cols),
        )
        sheet.check_inside(box)
        return sheet, box


def new_spreadsheet_id() -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "1" + "".join(secrets.choice(alphabet) for _ in range(43))


def new_sheet_id(taken: set[int]) -> int:
    while True:
        candidate = random.randint(1, 2**31 - 1)
        if candidate not in taken:
            return candidate


def sheet_properties(title: str, sheet_id: int, index: int, rows: int, cols: int) -> JSON:
    return {
        "sheetId": sheet_id,
        "title": title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": rows, "columnCount": cols},
    }


# --------------------------------------------------------------------------- output shapes

_FALSY_DEFAULTS = ("hidden", "rightToLeft")
_ZERO_GRID_DEFAULTS = ("frozenRowCount", "frozenColumnCount")


def properties_json(sheet: Sheet) -> JSON:
    """Sheet properties as Google returns them: default-valued fields omitted."""
    props = copy.deepcopy(sheet.properties)
    for key in _FALSY_DEFAULTS:
        if not props.get(key):
            props.pop(key, None)
    grid = props.get("gridProperties", {})
    for key in (*_ZERO_GRID_DEFAULTS, "hideGridlines"):
        if not grid.get(key):
            grid.pop(key, None)
    return props


def cell_json(cell: Mapping[str, Any], locale: str, keys: frozenset[str] | None = None) -> JSON:
    """CellData as Google returns it; `keys` limits the work to the fields asked for."""
    out: JSON = {}

    def wanted(key: str) -> bool:
        return keys is None or key in keys

    entered = cell.get("userEnteredValue")
    if entered and wanted("userEnteredValue"):
        out["userEnteredValue"] = dict(entered)
    if entered and wanted("effectiveValue"):
        out["effectiveValue"] = effective_value(cell)
    if entered and wanted("formattedValue"):
        out["formattedValue"] = formatted_value(cell, locale)
    if cell.get("userEnteredFormat") and wanted("userEnteredFormat"):
        out["userEnteredFormat"] = copy.deepcopy(cell["userEnteredFormat"])
    if (entered or cell.get("userEnteredFormat")) and wanted("effectiveFormat"):
        out["effectiveFormat"] = merged_format(cell.get("userEnteredFormat") or {})
    for key in ("note", "dataValidation", "hyperlink"):
        if cell.get(key) and wanted(key):
            out[key] = copy.deepcopy(cell[key])
    return out


def merged_format(fmt: Mapping[str, Any]) -> JSON:
    out = copy.deepcopy(DEFAULT_FORMAT)
    for key, value in fmt.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **copy.deepcopy(value)}
        else:
            out[key] = copy.deepcopy(value)
    return out


@dataclass(frozen=True, slots=True)
class GridWanted:
    """Which parts of grid data a field mask asks for (None: every cell field)."""

    cell_keys: frozenset[str] | None = None
    metadata: bool = True


def grid_data_json(sheet: Sheet, box: Box, locale: str, want: GridWanted = GridWanted()) -> JSON:
    """GridData of `box`: rows and cells trimmed like Google, metadata for every row/col."""
    data: JSON = {}
    if box.r0:
        data["startRow"] = box.r0
    if box.c0:
        data["startColumn"] = box.c0
    rows = grid_rows(sheet, box, locale, want.cell_keys)
    if rows:
        data["rowData"] = rows
    if want.metadata:
        data["rowMetadata"] = [{"pixelSize": 21} for _ in range(box.r0, box.r1)]
        data["columnMetadata"] = [{"pixelSize": 100} for _ in range(box.c0, box.c1)]
    return data


def grid_rows(sheet: Sheet, box: Box, locale: str, keys: frozenset[str] | None) -> list[JSON]:
    """RowData of the stored cells only (the grid is sparse), trimmed like Google."""
    found: dict[int, dict[int, JSON]] = {}
    for r, c in sheet.keys_in(box):
        data = cell_json(sheet.cells[(r, c)], locale, keys)
        if data:
            found.setdefault(r - box.r0, {})[c - box.c0] = data
    rows: list[JSON] = []
    for r in range(max(found, default=-1) + 1):
        cells = found.get(r, {})
        values = [cells.get(c, {}) for c in range(max(cells, default=-1) + 1)]
        rows.append({"values": values} if values else {})
    return rows


def mask_at(tree: Mapping[str, Any], path: Sequence[str]) -> Mapping[str, Any] | bool:
    """The sub-mask at `path`: True = everything there is wanted, False = nothing is."""
    node = tree
    for key in path:
        if not node or "*" in node:
            return True
        if key not in node:
            return False
        node = node[key]
    return node or True


def grid_wanted(tree: Mapping[str, Any]) -> GridWanted | None:
    """From a `fields` mask: None when no grid data is asked for at all."""
    data = mask_at(tree, ("sheets", "data"))
    if data is False:
        return None
    values = mask_at(tree, ("sheets", "data", "rowData", "values"))
    keys = None if values is True else frozenset(values) if values else frozenset()
    metadata = any(mask_at(tree, ("sheets", "data", k)) for k in ("rowMetadata", "columnMetadata"))
    return GridWanted(keys, metadata)


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


# --------------------------------------------------------------------------- values writes


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
    _shift(sheet, True, at, count)


def clear_values(book: Book, range_text: str) -> str:
    sheet, box = book.resolve(range_text)
    box = Box(box.r0, box.c0, min(box.r1, sheet.rows), min(box.c1, sheet.cols))
    for key in sheet.keys_in(box):
        cell = dict(sheet.cells[key])
        cell.pop("userEnteredValue", None)
        sheet.put(*key, cell)
    return book.echo(sheet, box)


# --------------------------------------------------------------------------- batchUpdate


def _add_sheet(book: Book, request: JSON) -> JSON:
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


_COLOUR_PAIRS = (
    ("backgroundColor", "backgroundColorStyle"),
    ("foregroundColor", "foregroundColorStyle"),
    ("tabColor", "tabColorStyle"),
)
_CHANNELS = ("red", "green", "blue", "alpha")


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


def forget_twins(target: dict[str, Any], mask: Mapping[str, Any]) -> None:
    """When a mask sets one of a colour pair, the twin goes too (then is re-derived)."""
    for plain, style in _COLOUR_PAIRS:
        if (plain in mask) != (style in mask):
            target.pop(style if plain in mask else plain, None)
    for key, sub in mask.items():
        if sub and isinstance(target.get(key), dict):
            target[key] = dict(target[key])  # stored cells are shared: copy before changing
            forget_twins(target[key], sub)


def stored_colours(value: JSON) -> JSON:
    """Colours as Sheets keeps them: 8 bits a channel shown as float32, zero channels and
    empty objects dropped, and each colour paired with its ColorStyle twin."""
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        item = _colour(item) if key.endswith("Color") else stored_colours(item)
        if item != {} or key.endswith("Color"):  # {} is black; an empty style is nothing
            out[key] = item
    for plain, style in _COLOUR_PAIRS:
        if plain in out and style not in out:
            out[style] = {"rgbColor": out[plain]}
        elif style in out and plain not in out and "rgbColor" in out[style]:
            out[plain] = out[style]["rgbColor"]
    return out


def _colour(value: JSON) -> JSON:
    if not isinstance(value, dict):
        return value
    out = {}
    for channel in _CHANNELS:
        level = value.get(channel)
        if isinstance(level, int | float) and level:
            out[channel] = _float32_text(math.ceil(float(level) * 255 - 0.5) / 255)  # half down
    return out


@functools.lru_cache(maxsize=4096)
def _float32_text(number: float) -> int | float:
    """The shortest decimal that reads back as the same float32 (0.5 -> 127/255 -> 0.49803922)."""
    single = struct.unpack("f", struct.pack("f", number))[0]
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            value = float(text)
            return int(value) if value.is_integer() else value
    return single


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
    _shift(sheet, rows, start, end - start)
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
    _shift(sheet, rows, end, start - end)
    return {}


def _shift(sheet: Sheet, rows: bool, at: int, count: int) -> None:
    """Move every cell at or past index `at` by `count` rows/columns and resize the grid."""
    axis = 0 if rows else 1
    moved = {}
    for key, cell in sheet.cells.items():
        if key[axis] >= at:
            key = (key[0] + count, key[1]) if rows else (key[0], key[1] + count)
        moved[key] = cell
    sheet.cells = moved
    grid = sheet.properties["gridProperties"]
    grid["rowCount" if rows else "columnCount"] += count


def _update_dimension_properties(book: Book, request: JSON) -> JSON:
    grid_range = request.get("range") or {}
    _sheet_or_fail(book, grid_range.get("sheetId"))
    _required_fields(request)
    return {}  # pixel sizes are not kept: nothing reads them back


BATCH_REQUESTS: dict[str, Callable[[Book, JSON], JSON]] = {
    "addSheet": _add_sheet,
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
        _check_cell_limit(book, max_cells, f"Invalid requests[{index}].{kind}: ")
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


def _check_cell_limit(book: Book, max_cells: int, prefix: str = "") -> None:
    if book.total_cells() > max_cells:
        raise invalid(
            f"{prefix}This action would increase the number of cells in the workbook above "
            f"the limit of {max_cells} cells."
        )


# --------------------------------------------------------------------------- faults, log


@dataclass
class Fault:
    """An answer to give instead of the real one (`times=None`: every time from now on)."""

    status: int = 0  # 0: no error, only the delay
    body: str = ""
    content_type: str = "application/json; charset=UTF-8"
    delay_seconds: float = 0.0
    times: int | None = 1
    path_contains: str = ""
    after: int = 0  # let this many matching requests through first
    retry_after: float = 0.0  # seconds, sent as a Retry-After header when set

    @classmethod
    def rate_limited(cls, times: int | None = 1) -> Fault:
        return cls(429, json.dumps(RATE_LIMIT_BODY), times=times)

    @classmethod
    def internal_error(cls, times: int | None = 1) -> Fault:
        return cls(500, json.dumps(INTERNAL_BODY), times=times)

    @classmethod
    def html_unavailable(cls, times: int | None = 1) -> Fault:
        return cls(503, HTML_503, "text/html; charset=UTF-8", times=times)

    @classmethod
    def slow(cls, seconds: float, times: int | None = 1) -> Fault:
        return cls(0, delay_seconds=seconds, times=times)

    @classmethod
    def permission_denied(cls, times: int | None = None) -> Fault:
        return cls(403, json.dumps(PERMISSION_BODY), times=times)

    @classmethod
    def service_disabled(cls, times: int | None = None) -> Fault:
        return cls(403, json.dumps(SERVICE_DISABLED_BODY), times=times)


class Quota:
    """Requests a minute per kind (read/write), counted over a sliding minute like Google."""

    def __init__(self, per_minute: int, clock: Callable[[], float]) -> None:
        self.per_minute, self.clock = per_minute, clock
        self.spent: dict[str, list[float]] = {"read": [], "write": []}

    def charge(self, kind: str) -> Fault | None:
        now = self.clock()
        recent = [t for t in self.spent[kind] if now - t < 60]
        if len(recent) >= self.per_minute:
            self.spent[kind] = recent
            return Fault(429, json.dumps(quota_body(kind, self.per_minute)))
        self.spent[kind] = [*recent, now]
        return None


def quota_body(kind: str, limit: int) -> JSON:
    """Google's 429 for the read or the write quota (the recorded body, metric adjusted)."""
    body: JSON = copy.deepcopy(RATE_LIMIT_BODY)
    label, metric = ("Read", "read") if kind == "read" else ("Write", "write")
    error = body["error"]
    error["message"] = error["message"].replace("'Read requests", f"'{label} requests")
    info = error["details"][0]["metadata"]
    info["quota_metric"] = f"sheets.googleapis.com/{metric}_requests"
    info["quota_limit"] = f"{label}RequestsPerMinutePerUser"
    info["quota_limit_value"] = str(limit)
    return body


@dataclass
class Exchange:
    """One logged request and the answer the emulator gave."""

    method: str
    path: str
    query: dict[str, list[str]]
    operation: str  # discovery method id, e.g. "sheets.spreadsheets.values.batchGet"
    status: int
    request_body: JSON
    response_body: JSON
    seconds: float
    injected: bool = False  # the answer came from a Fault, not from the emulator

    @property
    def is_sheets_api(self) -> bool:
        return self.path.startswith("/v4/")


# --------------------------------------------------------------------------- routing

_ID = r"([^/:?]+)"
_V4 = r"^/v4/spreadsheets"
# (HTTP method, raw-path pattern, discovery method id, handler). Matched on the RAW path, so
# a '/' or ':' inside a tab name (sent as %2F / %3A) never splits the route.
ROUTES: list[tuple[str, re.Pattern[str], str, str]] = [
    ("POST", re.compile(r"^/token$"), "oauth2.token", "_op_token"),
    (
        "GET",
        re.compile(r"^/v1/projects/-/serviceAccounts/([^/]+)/allowedLocations$"),
        "iamcredentials.serviceAccounts.allowedLocations",
        "_op_allowed_locations",
    ),
    ("POST", re.compile(_V4 + "$"), "sheets.spreadsheets.create", "_op_create"),
    ("GET", re.compile(_V4 + f"/{_ID}$"), "sheets.spreadsheets.get", "_op_get"),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}:batchUpdate$"),
        "sheets.spreadsheets.batchUpdate",
        "_op_batch_update",
    ),
    (
        "GET",
        re.compile(_V4 + f"/{_ID}/values:batchGet$"),
        "sheets.spreadsheets.values.batchGet",
        "_op_values_batch_get",
    ),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}/values:batchUpdate$"),
        "sheets.spreadsheets.values.batchUpdate",
        "_op_values_batch_update",
    ),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}/values:batchClear$"),
        "sheets.spreadsheets.values.batchClear",
        "_op_values_batch_clear",
    ),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}/values/(.+):append$"),
        "sheets.spreadsheets.values.append",
        "_op_values_append",
    ),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}/values/(.+):clear$"),
        "sheets.spreadsheets.values.clear",
        "_op_values_clear",
    ),
    (
        "GET",
        re.compile(_V4 + f"/{_ID}/values/(.+)$"),
        "sheets.spreadsheets.values.get",
        "_op_values_get",
    ),
    (
        "PUT",
        re.compile(_V4 + f"/{_ID}/values/(.+)$"),
        "sheets.spreadsheets.values.update",
        "_op_values_update",
    ),
]


def first_params(query: Mapping[str, list[str]]) -> dict[str, str]:
    return {k: v[0] for k, v in query.items() if v}


def is_true(text: str | None) -> bool:
    return (text or "").lower() == "true"


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
        self._server = _Server((self.host, self.port), _Handler)
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
        book = _new_book(sid, {"title": title, "locale": locale})
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
        request_json = _json_or_text(body, headers.get("content-type", ""))
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
            _json_or_text(payload, "json"),
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
        except _OAuthError as exc:
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
            for fault in self._faults:
                if fault.path_contains in path:
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def _log(self, exchange: Exchange) -> None:
        with self._lock:
            self.request_log.append(exchange)
            if self.log_limit is not None and len(self.request_log) > self.log_limit:
                del self.request_log[: len(self.request_log) - self.log_limit]

    # -- operations: each takes path args, query= and body=, returns JSON or raises ApiError
    def _op_token(self, *, query: JSON, body: JSON) -> JSON:
        return self._issue_token(body if isinstance(body, dict) else {})

    def _op_allowed_locations(self, email: str, *, query: JSON, body: JSON) -> JSON:
        return {"locations": ["us-central1"], "encodedLocations": "0x1"}

    def _op_create(self, *, query: JSON, body: JSON) -> JSON:
        body = drop_nulls(body or {})
        sid = new_spreadsheet_id()
        book = _new_book(sid, body.get("properties") or {})
        if body.get("sheets"):
            book.sheets = []
            for index, sheet in enumerate(body["sheets"]):
                props = dict(sheet.get("properties") or {})
                props.setdefault("sheetId", 0) if index == 0 else None
                _add_sheet(book, {"properties": props})
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
            _check_cell_limit(work, self.max_cells)
            self._books[sid] = work
        return _batch_totals(sid, responses)

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
            _check_cell_limit(work, self.max_cells)
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
            _check_cell_limit(work, self.max_cells)
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

    # -- OAuth
    def _issue_token(self, form: Mapping[str, Any]) -> JSON:
        from google.auth import exceptions as auth_exceptions
        from google.auth import jwt

        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            raise _OAuthError("unsupported_grant_type", "Invalid grant_type.")
        assertion = str(form.get("assertion", ""))
        try:
            claims = jwt.decode(assertion, verify=False)
            key = self._trusted.get(str(claims.get("iss")))
            if key is None:
                raise _OAuthError("invalid_grant", "Invalid grant: account not found")
            jwt.decode(assertion, certs=key, audience="https://oauth2.googleapis.com/token")
        except (auth_exceptions.GoogleAuthError, ValueError) as exc:
            raise _OAuthError("invalid_grant", "Invalid JWT Signature.") from exc
        token = "ya29.emulator-" + secrets.token_urlsafe(24)
        self.allow_token(token, str(claims["iss"]))
        return {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}


class _OAuthError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description

    def body(self) -> JSON:
        return {"error": self.error, "error_description": self.description}


def render_html(
    title: str, cells: Mapping[tuple[int, int], JSON], rows: int, cols: int, locale: str
) -> str:
    import html

    notes: list[str] = []
    body = []
    for r in range(rows):
        tds = []
        for c in range(cols):
            cell = cells.get((r, c)) or {}
            text = html.escape(formatted_value(cell, locale) or "")
            style = _css(cell.get("userEnteredFormat") or {})
            if cell.get("note"):
                notes.append(f"{column_letters(c)}{r + 1}: {cell['note']}")
                text += f' <sup style="color:#c00">[{len(notes)}]</sup>'
            tds.append(f'<td style="{style}">{text}</td>')
        body.append(f"<tr><th>{r + 1}</th>{''.join(tds)}</tr>")
    head = "".join(f"<th>{column_letters(c)}</th>" for c in range(cols))
    listed = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return (
        f"<html><head><meta charset='utf-8'><style>td,th{{border:1px solid #ccc;padding:2px 4px;"
        f"font:10pt Arial;white-space:nowrap}}th{{background:#eee}}</style></head><body>"
        f"<h3>{html.escape(title)}</h3><table><tr><th></th>{head}</tr>{''.join(body)}</table>"
        f"<ol>{listed}</ol></body></html>"
    )


def _css(fmt: Mapping[str, Any]) -> str:
    rgb = (fmt.get("backgroundColorStyle") or {}).get("rgbColor") or fmt.get("backgroundColor")
    style = ""
    if rgb:
        channels = [round(255 * float(rgb.get(k, 0))) for k in ("red", "green", "blue")]
        style += "background:#{:02x}{:02x}{:02x};".format(*channels)
    if (fmt.get("textFormat") or {}).get("bold"):
        style += "font-weight:bold;"
    return style


def _new_book(sid: str, properties: Mapping[str, Any]) -> Book:
    props: JSON = {
        "title": properties.get("title") or "Untitled spreadsheet",
        "locale": properties.get("locale") or "en_US",
        "autoRecalc": properties.get("autoRecalc") or "ON_CHANGE",
        "timeZone": properties.get("timeZone") or "Etc/GMT",
        "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
        "spreadsheetTheme": copy.deepcopy(DEFAULT_THEME),
    }
    return Book(
        sid, props, [Sheet(sheet_properties("Sheet1", 0, 0, DEFAULT_ROWS, DEFAULT_COLUMNS))]
    )


def spreadsheet_json(book: Book, grid: GridWanted | None, ranges: Sequence[str]) -> JSON:
    """spreadsheets.get: with `ranges`, only the sheets they touch (and only that grid data);
    `grid` None = no grid data."""
    wanted: dict[int, list[Box]] = {}
    for text in ranges:
        sheet, box = book.resolve(text)
        wanted.setdefault(sheet.sheet_id, []).append(box)
    sheets = []
    for sheet in book.sheets:
        if ranges and sheet.sheet_id not in wanted:
            continue
        entry: JSON = {"properties": properties_json(sheet)}
        if sheet.basic_filter:
            entry["basicFilter"] = copy.deepcopy(sheet.basic_filter)
        if grid is not None:
            boxes = wanted.get(sheet.sheet_id) or [sheet.grid]
            entry["data"] = [grid_data_json(sheet, b, book.locale, grid) for b in boxes]
        sheets.append(entry)
    return {
        "spreadsheetId": book.spreadsheet_id,
        "properties": copy.deepcopy(book.properties),
        "sheets": sheets,
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit",
    }


def _batch_totals(sid: str, responses: list[JSON]) -> JSON:
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


def _json_or_text(data: bytes, content_type: str) -> JSON:
    if not data:
        return None
    text = data.decode("utf-8", errors="replace")
    if "x-www-form-urlencoded" in content_type:
        return {k: v[0] for k, v in parse_qs(text).items()}
    try:
        return json.loads(text)
    except ValueError:
        return text


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: SheetsEmulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms delayed ACKs
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, ctype, payload, extra = self.server.emulator.answer(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the emulator prints only errors."""


# --------------------------------------------------------------------------- discovery oracle


class DiscoverySchema:
    """Google's Sheets v4 discovery document (shipped in google-api-python-client) as strict
    JSON Schema: unknown fields are rejected, so an emulator answer Google would never give
    fails. Needs the test extras (jsonschema, google-api-python-client)."""

    def __init__(self) -> None:
        from importlib import resources

        import jsonschema

        doc_path = resources.files("googleapiclient.discovery_cache") / "documents/sheets.v4.json"
        doc = json.loads(doc_path.read_text(encoding="utf-8"))
        self.revision = doc.get("revision")
        definitions = {name: _strict(s) for name, s in doc["schemas"].items()}
        self._methods = dict(_methods(doc.get("resources", {})))
        self._validators: dict[str, Any] = {}
        self._definitions = definitions
        self._jsonschema = jsonschema

    def _validator(self, ref: str) -> Any:
        if ref not in self._validators:
            schema = {"$ref": f"#/definitions/{ref}", "definitions": self._definitions}
            self._validators[ref] = self._jsonschema.Draft7Validator(schema)
        return self._validators[ref]

    def response_errors(self, operation: str, body: JSON) -> list[str]:
        ref = self._methods.get(operation, {}).get("response")
        return self._errors(ref, body)

    def request_errors(self, operation: str, body: JSON) -> list[str]:
        ref = self._methods.get(operation, {}).get("request")
        return self._errors(ref, drop_nulls(body)) if body is not None else []

    def _errors(self, ref: str | None, body: JSON) -> list[str]:
        if ref is None:
            return []
        found = self._validator(ref).iter_errors(distinct_items(body))
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300] for e in found]

    def exchange_errors(self, exchange: Exchange) -> list[str]:
        """Problems of one logged exchange: a 2xx body off-schema, or a bad error envelope."""
        if not exchange.is_sheets_api or exchange.injected:
            return []  # a fault a test injected is not the emulator's own answer
        if exchange.status >= 400:
            return _envelope_errors(exchange)
        errors = self.response_errors(exchange.operation, exchange.response_body)
        return [f"{exchange.operation} response {e}" for e in errors]


def distinct_items(value: JSON) -> JSON:
    """The same JSON with repeated list items kept once: discovery arrays have one item
    schema, so validity is unchanged, and 1,000 identical empty cells validate as one."""
    if isinstance(value, dict):
        return {k: distinct_items(v) for k, v in value.items()}
    if isinstance(value, list):
        seen: dict[str, JSON] = {}
        for item in value:
            seen.setdefault(json.dumps(item, sort_keys=True), item)
        return [distinct_items(v) for v in seen.values()]
    return value


def _envelope_errors(exchange: Exchange) -> list[str]:
    body = exchange.response_body
    if isinstance(body, str):
        return [] if body.lstrip().startswith("<!DOCTYPE html>") else ["error body not JSON"]
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or set(error) - {"code", "message", "status", "details"}:
        return [f"{exchange.operation}: not a google.rpc error envelope: {body!r}"[:300]]
    if error.get("code") != exchange.status:
        return [f"{exchange.operation}: error.code {error.get('code')} != HTTP {exchange.status}"]
    return []


def _methods(resources: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    for resource in resources.values():
        for method in resource.get("methods", {}).values():
            refs = {
                "request": (method.get("request") or {}).get("$ref"),
                "response": (method.get("response") or {}).get("$ref"),
            }
            yield method["id"], {k: v for k, v in refs.items() if v}
        yield from _methods(resource.get("resources", {}))


def _strict(schema: Mapping[str, Any]) -> JSON:
    """A discovery schema -> JSON Schema draft-07 with additionalProperties false."""
    if "$ref" in schema:
        return {"$ref": f"#/definitions/{schema['$ref']}"}
    kind = schema.get("type")
    out: JSON = {}
    if kind == "object":
        out["type"] = "object"
        if "properties" in schema:
            out["properties"] = {k: _strict(v) for k, v in schema["properties"].items()}
            out["additionalProperties"] = False
        elif "additionalProperties" in schema:
            out["additionalProperties"] = _strict(schema["additionalProperties"])
    elif kind == "array":
        out = {"type": "array", "items": _strict(schema.get("items", {}))}
    elif kind in {"string", "boolean", "integer", "number"}:
        out = {"type": kind}
        if "enum" in schema:
            out["enum"] = schema["enum"]
    return out


# --------------------------------------------------------------------------- command line


def tabs_from_xlsx(path: str) -> dict[str, list[list[object]]]:
    """The staff tabs of an .xlsx as the text the .xlsx backend reads, ready to seed a
    spreadsheet: the same programme on both backends, so their KPI tabs can be compared."""
    import openpyxl

    from sheetsync.contract import is_output_tab
    from sheetsync.workbook.xlsx import XlsxWorkbook

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        names = [n for n in book.sheetnames if not is_output_tab(n)]
    finally:
        book.close()
    tables = XlsxWorkbook(Path(path)).read_tabs(names)
    seeded: dict[str, list[list[object]]] = {}
    for name, table in tables.items():
        rows: list[list[object]] = [list(table.header)]
        rows += [list(row) for row in table.rows]
        seeded[name] = rows
    return seeded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sheetsync.testing.sheets_emulator",
        description="Serve a loopback Google Sheets v4 emulator until killed. Prints only errors.",
        epilog="Example: python -m sheetsync.testing.sheets_emulator --port 8765 "
        "--service-account /tmp/sa.json --seed demo/program.xlsx --spreadsheet-id demo",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--require-auth", action="store_true", help="answer 401 unless a token from /token is sent"
    )
    parser.add_argument(
        "--service-account",
        metavar="FILE",
        help="write a fake service-account key for this emulator to FILE (and trust it)",
    )
    parser.add_argument("--seed", metavar="XLSX", help="start with the staff tabs of this .xlsx")
    parser.add_argument(
        "--quota", type=int, metavar="N", help="answer 429 past N reads or N writes a minute"
    )
    parser.add_argument(
        "--spreadsheet-id", default="sheetsync-demo", help="id of the seeded spreadsheet"
    )
    args = parser.parse_args(argv)
    emulator = SheetsEmulator(
        host=args.host,
        port=args.port,
        require_auth=args.require_auth,
        log_limit=1000,
        quota_per_minute=args.quota,
    )
    emulator.start()
    try:
        prepare(emulator, args)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        emulator.stop()


def prepare(emulator: SheetsEmulator, args: argparse.Namespace) -> None:
    from sheetsync.testing.fake_service_account import make_service_account_info

    tabs = tabs_from_xlsx(args.seed) if args.seed else None
    emulator.create_spreadsheet(tabs, spreadsheet_id=args.spreadsheet_id)
    if args.service_account:  # written last: once the key file exists, all is ready
        info = make_service_account_info(emulator.token_uri)
        emulator.trust_service_account(info)
        write_atomically(Path(args.service_account), json.dumps(info, indent=2))


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o600)
    partial.replace(path)


if __name__ == "__main__":
    sys.exit(main())
