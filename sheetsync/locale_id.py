"""How figures read in reports: Bahasa Indonesia by default, English by config.

Officials compare our reports with their own spreadsheets, so numbers follow the Indonesian
conventions babel knows (thousands ".", decimals ","); "Rp 1.250.000" keeps a space after
the symbol the way Indonesian documents print it, and percentages read "12 %". Every
function takes `language` ("id" or "en") so one template serves both. Pure: no clock.
Month names come from `sheetsync.months` (`month_label`), the one table of them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, parse_pattern

from sheetsync.months import month_names

LOCALES = {"id": "id_ID", "en": "en_US"}
DASH = "–"  # what a missing figure reads as; "0" would be a claim


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["id"])


@cache
def _babel_locale(language: str) -> Locale:
    return Locale.parse(_locale(language))


@cache
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


@cache
def _group_symbol(language: str) -> str:
    return str(_babel_locale(language).number_symbols["latn"]["group"])


def _format(value: float | int, pattern: str, language: str) -> str:
    """babel's number formatting with the parsed pattern and locale kept between calls.

    Reports format tens of thousands of cells; whole numbers take a shortcut with the
    locale's own grouping symbol from babel, which gives the same text much faster.
    """
    if isinstance(value, int) and pattern == "#,##0":
        grouped = f"{abs(value):,}".replace(",", _group_symbol(language))
        return f"-{grouped}" if value < 0 else grouped
    return str(_pattern(pattern).apply(value, _babel_locale(language)))


def _is_missing(value: object) -> bool:
    """None, NaN and pandas' NA all mean "no figure" to a reader."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isinf(value))
    except (TypeError, ValueError):
        return True


def rupiah(value: float | int | None, language: str = "id") -> str:
    """1250000 -> 'Rp 1.250.000' (whole rupiah; 'Rp 1,250,000' in English)."""
    if _is_missing(value):
        return DASH
    amount = round(float(value))  # type: ignore[arg-type]
    digits = _format(abs(amount), "#,##0", language)
    return f"{'-' if amount < 0 else ''}Rp {digits}"


def number(value: float | int | None, language: str = "id", *, decimals: int = 1) -> str:
    """1234.5 -> '1.234,5'; whole numbers print without decimals: 1234 -> '1.234'."""
    if _is_missing(value):
        return DASH
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _format(value, pattern if not isinstance(value, int) else "#,##0", language)  # type: ignore[arg-type]


def percent(value: float | int | None, language: str = "id", *, decimals: int = 0) -> str:
    """12.0 -> '12 %': `value` is already in percent (achievement 104.6 -> '105 %')."""
    if _is_missing(value):
        return DASH
    return f"{number(round(float(value), decimals), language, decimals=decimals)} %"  # type: ignore[arg-type]


def signed_percent(value: float | int | None, language: str = "id") -> str:
    """12.3 -> '+12 %', -4 -> '−4 %': month-on-month changes show their direction."""
    if _is_missing(value):
        return DASH
    rounded = round(float(value))  # type: ignore[arg-type]
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "")
    return f"{sign}{percent(abs(rounded), language)}"


def month_only(month: str, language: str = "id") -> str:
    """'2026-09' -> 'September': how the summary names last month (names from months.py)."""
    return month_names(language)[int(month.split("-")[1]) - 1]


def short_month(month: str, language: str = "id") -> str:
    """'2026-08' -> 'Agu 26': chart axis labels must stay narrow."""
    year, mon = (int(p) for p in month.split("-"))
    label = format_date(dt.date(year, mon, 1), "LLL", locale=_locale(language)).rstrip(".")
    return f"{label} {year % 100:02d}"


def long_date(value: dt.date, language: str = "id") -> str:
    """date(2026, 11, 22) -> '22 November 2026' ('November 22, 2026' in English)."""
    return format_date(value, "long", locale=_locale(language))


def long_datetime(value: dt.datetime, language: str = "id") -> str:
    """'22 November 2026 pukul 07.05': the as-of time officials quote."""
    if language == "en":
        return format_datetime(value, "MMMM d, yyyy 'at' HH:mm", locale=_locale(language))
    return format_datetime(value, "d MMMM yyyy 'pukul' HH.mm", locale=_locale(language))


_DIGITS = re.compile(r"\D")


def mask_phone(phone: str | None) -> str:
    """'0812-3456-7890' -> '0812****7890': enough to recognise, not enough to call.

    Already-masked text passes through, so masking twice is harmless.
    """
    text = (phone or "").strip()
    if not text or "*" in text:
        return text
    digits = _DIGITS.sub("", text)
    if text.startswith("+"):
        digits = "+" + digits
    if len(digits) < 10:  # too short to show both ends without revealing it
        return "*" * (len(digits) - 2) + digits[-2:]
    return f"{digits[:4]}{'*' * (len(digits) - 8)}{digits[-4:]}"
