"""One cell's value as Sheets keeps and shows it: typed input parsed like the Sheets UI
(USER_ENTERED) or kept as is (RAW), plain arithmetic formulas computed, numbers and dates
formatted by their number format and locale, and the value rendered per render option.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from sheetsync.testing.sheets_emulator.errors import JSON

SERIAL_EPOCH = dt.date(1899, 12, 30)


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
