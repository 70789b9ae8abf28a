"""The programme clock: the one place sheetsync reads the wall clock for a calendar decision.

Which month is "this month", the day a backup or an email belongs to, whether a form
timestamp lies in the future: all are decided in the programme's time zone
(`[program] timezone`), never the server's. A government server typically runs in UTC
while officials work in WIB/WITA/WIT, so at 22:30 UTC it is already tomorrow in Jakarta,
and on the last evening of a month already the next month.

A `Clock` returns naive programme-local time (the project's convention for every stored
time). Runs read it once and pass the instant down; the pure core takes `as_of`/`month`
arguments. Tests inject `fixed_clock`. `tests/test_clock_reads.py` fails if a naive clock
read appears anywhere else in the package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sheetsync.config import Config

Clock = Callable[[], dt.datetime]  # naive programme-local time


def programme_clock(tz: dt.tzinfo) -> Clock:
    """The wall clock in `tz`, as naive local time (how sheetsync stores every time)."""

    def now() -> dt.datetime:
        return dt.datetime.now(tz).replace(tzinfo=None)

    return now


def clock_for(config: Config) -> Clock:
    """The configured programme's clock (`[program] timezone`)."""
    return programme_clock(config.program.tz)


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock stopped at `at` (naive programme-local): demos and tests at a chosen instant."""
    return lambda: at


def local_from_timestamp(seconds: float, tz: dt.tzinfo) -> dt.datetime:
    """A POSIX timestamp (a file's mtime) as naive programme-local time."""
    return dt.datetime.fromtimestamp(seconds, tz).replace(tzinfo=None)
