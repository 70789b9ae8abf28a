"""Calendar months as 'YYYY-MM' text, and their names in Bahasa Indonesia (or English).

Pure: takes the reference time as an argument, never reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re

MONTH_NAMES_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTH_NAMES_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
# common short forms staff type: "Agu 2026", "Agt 2026", "Nop 2026"
_ALIASES = {
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6,
    "jul": 7, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "sep": 9, "okt": 10, "oct": 10,
    "nov": 11, "nop": 11, "des": 12, "dec": 12,
}  # fmt: skip


def parse_month(text: str) -> str | None:
    """'2026-08', '2026-8', 'Agustus 2026', 'agt 2026', 'August 2026' -> '2026-08'; else None."""
    m = _MONTH_RE.match(text or "")
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    parts = (text or "").replace("-", " ").replace("/", " ").split()
    if len(parts) != 2 or not parts[1].isdigit() or len(parts[1]) != 4:
        return None
    month_no = _month_number(parts[0])
    return f"{int(parts[1]):04d}-{month_no:02d}" if month_no else None


def _month_number(word: str) -> int | None:
    word = word.casefold()
    for names in (MONTH_NAMES_ID, MONTH_NAMES_EN):
        for i, name in enumerate(names, start=1):
            if word == name.casefold():
                return i
    word = word.rstrip(".")
    return _ALIASES.get(word[:3]) if 3 <= len(word) <= 4 else None  # "Agt", "Sept"; not "Agustusan"


def month_of(moment: dt.date | dt.datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def month_start(month: str) -> dt.datetime:
    """First instant of the month (naive local time): YYYY-MM-01 00:00."""
    year, mon = (int(p) for p in month.split("-"))
    return dt.datetime(year, mon, 1)


def next_month(month: str) -> str:
    start = month_start(month)
    return month_of(start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1))


def previous_month(month: str) -> str:
    start = month_start(month)
    prev_last_day = start - dt.timedelta(days=1)
    return month_of(prev_last_day)


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month: the 1st 00:00 up to the next month's 1st 00:00."""
    return month_start(month), month_start(next_month(month))


def months_back(month: str, count: int) -> list[str]:
    """The `count` months ending with `month`, oldest first (for 12-month trends)."""
    result = [month]
    while len(result) < count:
        result.append(previous_month(result[-1]))
    return result[::-1]


def month_names(language: str = "id") -> tuple[str, ...]:
    """The twelve month names, January first: English for "en", else Bahasa Indonesia."""
    return MONTH_NAMES_EN if language == "en" else MONTH_NAMES_ID


def month_label(month: str, language: str = "id") -> str:
    """'2026-08' -> 'Agustus 2026' (or 'August 2026'): the one way a month is named."""
    year, mon = (int(p) for p in month.split("-"))
    return f"{month_names(language)[mon - 1]} {year}"


def day_label(day: dt.date, language: str = "id") -> str:
    """date(2026, 8, 2) -> '2 Agustus 2026' (or '2 August 2026'), as staff messages say it."""
    return f"{day.day} {month_names(language)[day.month - 1]} {day.year}"


def default_sync_months(today: dt.date) -> list[str]:
    """What `sync` recomputes without --month: the previous and the current month."""
    current = month_of(today)
    return [previous_month(current), current]
