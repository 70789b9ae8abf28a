"""Parsing what staff type: dates, form timestamps, Rupiah, counts, phones, emails, yes/no.

Emails and names are also what the mail headers are made of: `clean_email` is the one
check of an address (validation and mail both use it), `clean_display_name` the one way a
typed name becomes one line of header text.

Pure and forgiving: every parser takes the text as it appears in the cell and returns the
value or None; none of them raises, whatever the text. Validation turns a None into an
`Issue` that tells staff how to write the value, so the parsers never guess silently
between two readings of ambiguous text: Indonesian staff write day/month/year, and only
Google Forms timestamps in a US-locale sheet use month/day/year (they are told apart by
their time separator, see `parse_form_timestamp`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sheetsync.months import MONTH_NAMES_EN, MONTH_NAMES_ID, parse_month

# Sheets and Excel count days from 1899-12-30 (the 1900 leap-year bug folded in).
SERIAL_EPOCH = dt.datetime(1899, 12, 30)
# Serials outside 1927..2119 are far more likely typos or counts than dates.
_SERIAL_MIN, _SERIAL_MAX = 10_000, 80_000
_MIN_YEAR, _MAX_YEAR = 1900, 2200

_ISO_DATE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORD_DATE = re.compile(r"^(\d{1,2})[\s\-/.]+([A-Za-z]{3,9})\.?[\s\-/.,]+(\d{4})$")
_FULL_MONTH_NAMES = frozenset(n.casefold() for n in MONTH_NAMES_ID + MONTH_NAMES_EN)
_SERIAL = re.compile(r"^\d{4,6}(?:[.,]\d+)?$")
_ISO_STAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$"
)
_SLASH_STAMP = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4}),?\s+(\d{1,2})([.:])(\d{2})(?:\5(\d{2}))?"
    r"(?:\s*([AaPp])\.?[Mm]\.?)?$"
)


def parse_staff_date(text: str | None) -> dt.date | None:
    """A date as staff type it -> date, else None.

    "02/08/2019" (day/month/year, also with - or .), "2 Agustus 2019", "2 Agt 2019",
    "2019-08-02" (also 2019/08/02), "2019-08-02 00:00:00" (a date cell as the xlsx backend
    renders it; a time of day is ignored) and Sheets/Excel serial numbers such as "43679"
    all mean 2 August 2019.
    """
    clean = _clean(text)
    if not clean:
        return None
    for parse in (_iso_date, _numeric_date, _word_date, _serial_date):
        value = parse(clean)
        if value is not None:
            return value
    stamp = _iso_stamp(clean)  # a date-and-time cell in a date column: its day
    return stamp.date() if stamp else None


def parse_form_timestamp(text: str | None) -> dt.datetime | None:
    """A Google Forms timestamp as a spreadsheet writes it -> datetime, else None.

    A sheet in Indonesian locale writes "02/08/2019 14.03.22" (day/month/year, dots);
    one in US locale writes "8/2/2019 14:03:22" (month/day/year, colons). The separator
    in the time tells the locale; when that reading is impossible (a 13th month) the
    other order is tried. ISO text, serial numbers and plain dates are accepted too.
    """
    clean = _clean(text)
    if not clean:
        return None
    stamp = _iso_stamp(clean) or _slash_stamp(clean) or _serial_stamp(clean)
    if stamp is not None:
        return stamp
    day = parse_staff_date(clean)
    return dt.datetime(day.year, day.month, day.day) if day else None


def parse_rupiah(text: str | None) -> int | None:
    """An amount of money in whole rupiah, else None.

    "Rp 1.250.000", "1.250.000", "1250000", "1,250,000", "1.250.000,00", "Rp1.250.000,-"
    and "1250000.0" (a number cell read as text) all mean 1250000. Negative amounts are
    returned as such so validation can say they are negative instead of unreadable.
    """
    clean = _clean(text)
    clean = re.sub(r"^(?:rp\.?|idr)\s*|\s*(?:rupiah|idr)$", "", clean, flags=re.IGNORECASE)
    clean = re.sub(r"[,.]-$", "", clean).replace(" ", "")
    number = _parse_number(clean)
    if number is None:
        return None
    return int(number.to_integral_value(rounding=ROUND_HALF_UP))


def parse_count(text: str | None) -> int | None:
    """A whole number of things (participants, shops, products), else None.

    "12", "12.0" (a number cell read as text) and "1.200" (Indonesian thousands) are
    accepted; "12,5" or "dua belas" are not. Negative counts are returned so validation
    can flag them as implausible rather than unreadable.
    """
    number = _parse_number(_clean(text).replace(" ", ""))
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def normalise_phone(text: str | None) -> str | None:
    """An Indonesian phone number -> canonical "+62…", else None.

    Accepts 0812-3456-7890, +62 812 3456 7890, 62812…, (0719) 21234 and 812… (the leading
    zero a spreadsheet dropped when it took the number for a number).
    """
    clean = _clean(text).lstrip("'")
    if not re.fullmatch(r"\+?[\d\s\-().]+", clean or "x"):
        return None
    digits = re.sub(r"\D", "", clean)
    national = _national_number(digits, international=clean.startswith("+"))
    if national is None or not 8 <= len(national) <= 12 or national[0] == "0":
        return None
    return "+62" + national


# One dot-atom mailbox (RFC 5322 without quoted local parts, comments or IP literals), a
# domain with at least one dot. Deliberately narrower than the RFC: an address goes into a
# mail header, and nothing a sheet holds may smuggle a second address or a header through.
_MAILBOX = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_SPACES = re.compile(r"\s+")
MAX_NAME_LENGTH = 120


def clean_email(text: str) -> str | None:
    """'  Budi@Desa.id ' -> 'Budi@desa.id'; anything that is not exactly one mailbox -> None."""
    candidate = text.strip()
    if not _MAILBOX.fullmatch(candidate) or len(candidate) > 254:
        return None
    local, _, domain = candidate.rpartition("@")
    return f"{local}@{domain.lower()}"


def is_valid_email(text: str | None) -> bool:
    """True for one mailbox (name@domain.tld, see `clean_email`); spaces, commas, two @ are not."""
    return clean_email(_clean(text)) is not None


def clean_display_name(text: str) -> str:
    """One line of printable text: controls (CR, LF, tab, NUL…) become spaces, runs collapse.

    Quotes and angle brackets are kept; a mail header quotes them, so they stay inside the name.
    """
    printable = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return _SPACES.sub(" ", printable).strip()[:MAX_NAME_LENGTH]


def name_was_changed(text: str) -> bool:
    """True when a line break or other control character sat inside the name: worth telling
    staff, since it is how header injection looks (a stray newline at the end is not)."""
    return any(unicodedata.category(ch).startswith("C") for ch in text.strip())


_YES = frozenset({"ya", "y", "yes", "aktif", "1", "true", "benar", "iya", "active"})
_NO = frozenset(
    {"tidak", "t", "no", "n", "tidak aktif", "nonaktif", "non aktif", "non-aktif", "0",
     "false", "salah", "inactive"}
)  # fmt: skip


def parse_yes_no(text: str | None) -> bool | None:
    """ "Ya/Y/Yes/Aktif/1" -> True, "Tidak/T/No/Tidak Aktif/0" -> False, else None."""
    word = re.sub(r"\s+", " ", _clean(text)).casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


# --- helpers -------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    """Cell text without surrounding spaces (also no-break spaces Sheets pastes carry)."""
    if text is None:
        return ""
    return str(text).replace("\u00a0", " ").replace("\u202f", " ").strip()


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _safe_datetime(day: dt.date | None, hour: int, minute: int, second: int) -> dt.datetime | None:
    if day is None or hour > 23 or minute > 59 or second > 59:
        return None
    return dt.datetime(day.year, day.month, day.day, hour, minute, second)


def _full_year(text: str) -> int:
    """Two-digit years are this century's: '19' -> 2019."""
    return int(text) + 2000 if len(text) == 2 else int(text)


def _iso_date(text: str) -> dt.date | None:
    m = _ISO_DATE.match(text)
    return _safe_date(int(m[1]), int(m[3]), int(m[4])) if m else None


def _numeric_date(text: str) -> dt.date | None:
    m = _NUMERIC_DATE.match(text)
    return _safe_date(_full_year(m[3]), int(m[2]), int(m[1])) if m else None


def _word_date(text: str) -> dt.date | None:
    m = _WORD_DATE.match(text)
    if not m:
        return None
    if not _is_month_word(m[2]):
        return None
    month = parse_month(f"{m[2]} {m[3]}")  # 'Agustus 2019', 'Agt 2019' -> '2019-08'
    return _safe_date(int(m[3]), int(month[5:]), int(m[1])) if month else None


def _is_month_word(word: str) -> bool:
    """A full month name or a short form ('Agt', 'Sept'), not any word starting like one."""
    folded = word.casefold()
    return len(folded) <= 4 or folded in _FULL_MONTH_NAMES


def _serial_days(text: str) -> float | None:
    if not _SERIAL.match(text):
        return None
    days = float(text.replace(",", "."))
    return days if _SERIAL_MIN <= days <= _SERIAL_MAX else None


def _serial_date(text: str) -> dt.date | None:
    days = _serial_days(text)
    return (SERIAL_EPOCH + dt.timedelta(days=int(days))).date() if days is not None else None


def _serial_stamp(text: str) -> dt.datetime | None:
    days = _serial_days(text)
    if days is None:
        return None
    moment = SERIAL_EPOCH + dt.timedelta(days=days)
    return moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))


def _iso_stamp(text: str) -> dt.datetime | None:
    m = _ISO_STAMP.match(text)
    if not m:
        return None
    day = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    return _safe_datetime(day, int(m[4]), int(m[5]), int(m[6] or 0))


def _slash_stamp(text: str) -> dt.datetime | None:
    m = _SLASH_STAMP.match(text)
    if not m:
        return None
    first, second, year = int(m[1]), int(m[2]), int(m[3])
    day_first = m[5] == "."  # Indonesian locale: D/M/Y with dots in the time
    day = _safe_date(year, second, first) if day_first else _safe_date(year, first, second)
    if day is None:  # the other locale's order, when this one is impossible
        day = _safe_date(year, first, second) if day_first else _safe_date(year, second, first)
    return _safe_datetime(day, _hour(int(m[4]), m[8]), int(m[6]), int(m[7] or 0))


def _hour(hour: int, am_pm: str | None) -> int:
    """12-hour clocks ('2:03:22 PM') to 24-hour; 99 (invalid) for '13:00 PM'."""
    if not am_pm:
        return hour
    if not 1 <= hour <= 12:
        return 99
    return hour % 12 + (12 if am_pm in "Pp" else 0)


def _parse_number(text: str) -> Decimal | None:
    """'1.250.000', '1,250,000', '1.250.000,00', '1250000.0', '-5' -> Decimal, else None."""
    m = re.fullmatch(r"(-?)(\d[\d.,]*)", text)
    if not m:
        return None
    body = _canonical_digits(m[2])
    if body is None:
        return None
    try:
        value = Decimal(body)
    except InvalidOperation:
        return None
    return -value if m[1] else value


def _canonical_digits(body: str) -> str | None:
    """Decide which of '.' and ',' is the thousands separator; return '1250000.00'."""
    if "." in body and "," in body:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        whole, _, fraction = body.rpartition(decimal_mark)
        if not _is_grouped(whole, thousands) or not fraction.isdigit():
            return None
        return whole.replace(thousands, "") + "." + fraction
    mark = "." if "." in body else "," if "," in body else ""
    if not mark:
        return body
    if _is_grouped(body, mark) and len(body.split(mark)[0]) <= 3:
        return body.replace(mark, "")  # '1.250' and '1,250,000': thousands
    whole, _, fraction = body.partition(mark)
    if mark in fraction or not whole or not fraction:
        return None
    return whole + "." + fraction  # '37200.0', '12,5': a decimal mark


def _is_grouped(text: str, mark: str) -> bool:
    """'1.250.000' with mark '.': groups of three after a first group of one to three."""
    groups = text.split(mark)
    if len(groups) == 1:
        return text.isdigit()
    head, tail = groups[0], groups[1:]
    return head.isdigit() and 1 <= len(head) <= 3 and all(len(g) == 3 and g.isdigit() for g in tail)


def _national_number(digits: str, *, international: bool) -> str | None:
    """Digits after the country code 62, the trunk zero dropped."""
    if digits.startswith("62") and (international or len(digits) >= 10):
        rest = digits[2:]
        return rest[1:] if rest.startswith("0") else rest
    if international:
        return None  # another country's number
    if digits.startswith("0"):
        return digits[1:]
    return digits if digits.startswith("8") else None
