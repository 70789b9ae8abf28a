"""Field readers: one cell of a row -> its value, or None with the issue that says why.

Parsing the text itself is `sheetsync.values` (forgiving, never raises); a reader adds
what the rule needs around it: whether the cell is required, whether a number may be
negative, whether a date may lie after the sync. Every tab reads its cells through these,
so the same kind of cell gets the same message in every tab.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sheetsync.messages import IssueCode
from sheetsync.months import parse_month
from sheetsync.validate.context import Context
from sheetsync.validate.reading import Row
from sheetsync.values import (
    is_valid_email,
    normalise_phone,
    parse_count,
    parse_form_timestamp,
    parse_rupiah,
    parse_staff_date,
    parse_yes_no,
)

# A form timestamp this far ahead of the sync is in the future, not a clock difference.
FUTURE_TOLERANCE = dt.timedelta(hours=1)


def required(ctx: Context, row: Row, header: str) -> str | None:
    text = row.text(header)
    if not text:
        ctx.flag(IssueCode.REQUIRED_EMPTY, row, header)
        return None
    return text


def count(ctx: Context, row: Row, header: str) -> int | None:
    return _number(ctx, row, header, parse_count, IssueCode.NUMBER_INVALID)


def rupiah(ctx: Context, row: Row, header: str) -> int | None:
    return _number(ctx, row, header, parse_rupiah, IssueCode.RUPIAH_INVALID)


def month(ctx: Context, row: Row, header: str) -> str | None:
    text = required(ctx, row, header)
    found = parse_month(text) if text else None
    if text and found is None:
        ctx.flag(IssueCode.MONTH_INVALID, row, header)
    return found


def date(ctx: Context, row: Row, header: str) -> dt.date | None:
    text = row.text(header)
    day = parse_staff_date(text) if text else None
    if text and day is None:
        ctx.flag(IssueCode.DATE_INVALID, row, header)
    elif day is not None and day > ctx.as_of.date():
        ctx.flag(
            IssueCode.DATE_IN_FUTURE,
            row,
            header,
            date=ctx.day_text(day),
            today=ctx.day_text(ctx.as_of.date()),
        )
    return day


def timestamp(ctx: Context, row: Row, header: str) -> dt.datetime | None:
    text = required(ctx, row, header)
    moment = parse_form_timestamp(text) if text else None
    if text and moment is None:
        ctx.flag(IssueCode.TIMESTAMP_INVALID, row, header)
    elif moment is not None and moment > ctx.as_of + FUTURE_TOLERANCE:
        ctx.flag(
            IssueCode.DATE_IN_FUTURE,
            row,
            header,
            date=ctx.moment_text(moment),
            today=ctx.moment_text(ctx.as_of),
        )
    return moment


def phone(ctx: Context, row: Row, header: str = "No HP") -> str:
    text = row.text(header)
    found = normalise_phone(text) if text else None
    if text and found is None:
        ctx.flag(IssueCode.PHONE_INVALID, row, header)
    return found or ""


def email(
    ctx: Context, row: Row, header: str = "Email", code: IssueCode = IssueCode.EMAIL_INVALID
) -> str:
    """The address as typed when it is one mailbox (`values.is_valid_email`), else ''."""
    text = row.text(header)
    if text and not is_valid_email(text):
        ctx.flag(code, row, header)
        return ""
    return text


def yes_no(ctx: Context, row: Row, header: str, code: IssueCode, default: bool) -> bool:
    """Ya/Tidak and their variants; blank or unreadable text reads as `default`."""
    text = row.text(header)
    value = parse_yes_no(text) if text else default
    if value is None:
        ctx.flag(code, row, header)
        return default
    return value


def _number(
    ctx: Context, row: Row, header: str, parse: Callable[[str], int | None], code: IssueCode
) -> int | None:
    text = row.text(header)
    if not text:
        return None
    value = parse(text)
    if value is None:
        ctx.flag(code, row, header)
    elif value < 0:
        ctx.flag(IssueCode.NUMBER_NEGATIVE, row, header)
        return None
    return value
