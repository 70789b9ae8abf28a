"""How the ledger writes times, so every table (and the send log) reads the others' values.

Times are naive programme-local time (the programme's clock; no zone is stored): text as
`YYYY-MM-DD HH:MM:SS`, or, where a million values are compared (order lines, coverage),
INTEGER seconds since 1970-01-01 of that naive time. Nothing is parsed on the way in or
out beyond these helpers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

STAMP = "%Y-%m-%d %H:%M:%S"
EPOCH = np.datetime64("1970-01-01T00:00:00", "s")


def stamp(moment: dt.datetime | None) -> str | None:
    return moment.strftime(STAMP) if moment else None


def parse_stamp(text: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(text, STAMP) if text else None


def from_seconds(seconds: int | None) -> dt.datetime | None:
    return None if seconds is None else dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)
