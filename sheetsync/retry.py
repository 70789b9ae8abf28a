"""How long to wait before trying again: the one backoff rule of every adapter that retries.

The Google Sheets backend and the mail sender both retry transient failures with a
truncated exponential backoff. Each keeps its own numbers (a named policy beside its
caller: `workbook.gsheets.retry.SHEETS_RETRY`, `mail.send.MAIL_RETRY`), but the rule that
turns those numbers into waits lives here, once. Pure: the caller owns the clock, the sleep
and the randomness, and passes them in.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


def no_jitter() -> float:
    return 0.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Truncated exponential backoff, bounded in attempts and in total time (seconds).

    Retry n (1-based) waits ``min(first_delay * factor**(n-1) + jitter * rand(), max_delay)``;
    at most `attempts` tries in all, and no retry that would end after `max_total`.
    """

    attempts: int  # tries in all, the first one included
    first_delay: float  # wait before the first retry (before jitter)
    factor: float  # each further wait is this many times the one before
    max_delay: float  # no single wait is longer
    jitter: float = 0.0  # up to this much is added at random to each wait
    max_total: float = math.inf  # give up rather than retry past this many seconds

    def wait_before(self, retry: int, rand: Callable[[], float] = no_jitter) -> float:
        """The wait before retry number `retry` (1-based); `rand` returns [0, 1)."""
        base = self.first_delay * self.factor ** (retry - 1)
        return min(base + rand() * self.jitter, self.max_delay)

    def delays(self) -> list[float]:
        """The waits between attempts without jitter (attempts - 1 of them)."""
        return [self.wait_before(retry) for retry in range(1, self.attempts)]

    def gives_up(self, attempt: int, elapsed: float = 0.0, wait: float = 0.0) -> bool:
        """After failed attempt number `attempt` (1-based), `elapsed` seconds since the
        first began: stop, rather than wait `wait` seconds and try again?"""
        return attempt >= self.attempts or elapsed + wait > self.max_total
