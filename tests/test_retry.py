"""The one backoff rule, and the numbers each caller keeps (Sheets, report mail, alerts)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sheetsync.mail.alert import ALERT_RETRY
from sheetsync.mail.send import MAIL_RETRY
from sheetsync.retry import RetryPolicy
from sheetsync.workbook.gsheets.retry import SHEETS_RETRY


def test_waits_grow_by_the_factor_until_the_cap() -> None:
    policy = RetryPolicy(attempts=6, first_delay=2.0, factor=3.0, max_delay=50.0)

    assert policy.delays() == [2.0, 6.0, 18.0, 50.0, 50.0]


def test_jitter_adds_up_to_its_size_and_never_passes_the_cap() -> None:
    policy = RetryPolicy(attempts=9, first_delay=1.0, factor=2.0, max_delay=32.0, jitter=1.0)

    assert policy.wait_before(1) == 1.0  # no randomness given: no jitter
    assert policy.wait_before(3, lambda: 0.5) == 4.5
    assert policy.wait_before(6, lambda: 0.999) == 32.0
    assert policy.wait_before(9, lambda: 0.0) == 32.0


@pytest.mark.parametrize(
    ("attempt", "elapsed", "wait", "gives_up"),
    [
        (1, 0.0, 1.0, False),
        (2, 50.0, 10.0, False),  # ends exactly at max_total: still allowed
        (2, 50.0, 10.5, True),  # would end after max_total
        (3, 0.0, 0.0, True),  # the last attempt failed
    ],
)
def test_gives_up_after_the_last_attempt_or_past_the_total(attempt, elapsed, wait, gives_up):
    policy = RetryPolicy(attempts=3, first_delay=1.0, factor=2.0, max_delay=8.0, max_total=60.0)

    assert policy.gives_up(attempt, elapsed, wait) is gives_up


def test_without_a_total_only_the_attempts_bound_it() -> None:
    policy = RetryPolicy(attempts=4, first_delay=5.0, factor=3.0, max_delay=120.0)

    assert not policy.gives_up(3, elapsed=10**9, wait=10**9)
    assert policy.gives_up(4)


def test_report_mail_waits_5_15_45_seconds_between_four_attempts() -> None:
    assert MAIL_RETRY.attempts == 4
    assert MAIL_RETRY.delays() == [5.0, 15.0, 45.0]
    assert replace(MAIL_RETRY, attempts=7).delays()[-1] == 120.0  # capped at two minutes


def test_alerts_wait_like_report_mail_but_try_three_times() -> None:
    assert ALERT_RETRY.attempts == 3
    assert ALERT_RETRY.delays() == [5.0, 15.0]


def test_sheets_doubles_from_one_second_with_jitter_within_two_minutes() -> None:
    assert (SHEETS_RETRY.attempts, SHEETS_RETRY.max_total) == (6, 120.0)
    assert SHEETS_RETRY.delays() == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert SHEETS_RETRY.wait_before(2, lambda: 0.5) == 2.5
    assert SHEETS_RETRY.wait_before(9, lambda: 0.5) == 32.0
