"""Retrying the Sheets API: what is retried, how long it waits (SHEETS_RETRY), and giving up
within the caps with the previous results whole."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from google.oauth2.credentials import Credentials
from gsheets_samples import FakeTime, kpi_tab, workbook

from sheetsync.errors import RemoteError
from sheetsync.tabs import CellMark
from sheetsync.testing.sheets_emulator import Fault
from sheetsync.workbook.gsheets.client import client_for_credentials
from sheetsync.workbook.gsheets.retry import SHEETS_RETRY


def test_429_storm_then_success(emulator, token_client, sid):
    fake = FakeTime()
    book = workbook(token_client, sid, fake)
    emulator.inject(Fault.rate_limited(times=4))

    book.write([kpi_tab()], [])

    assert fake.sleeps == [1.5, 2.5, 4.5, 8.5]  # 2^n s + jitter (rand fixed at 0.5)
    assert book.retries == 4
    assert emulator.tab_values(sid, "KPI Toko")[1][0] == "T-0"


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(emulator, token_client, sid, status):
    body = json.dumps({"error": {"code": status, "message": "x", "status": "UNAVAILABLE"}})
    book = workbook(token_client, sid)
    emulator.inject(Fault(status, body))

    assert book.read_tabs(["Desa"])["Desa"].rows[0][1] == "Air Seruk"
    assert book.retries == 1 and book.sheets_requests == 3


def test_a_proxy_page_answered_with_200_is_retried(emulator, token_client, sid):
    book = workbook(token_client, sid)
    emulator.inject(Fault(200, "<html>Login to the hotel wifi</html>", "text/html"))

    assert book.read_tabs(["Desa"])["Desa"].rows[0][1] == "Air Seruk"
    assert book.retries == 1


def test_retry_after_from_a_proxy_is_honoured_up_to_the_cap(emulator, token_client, sid):
    fake = FakeTime()
    book = workbook(token_client, sid, fake)
    emulator.inject(
        Fault(503, "<html>busy</html>", "text/html", retry_after=7),
        Fault(503, "<html>busy</html>", "text/html", retry_after=3600),
    )

    book.read_tabs(["Desa"])

    assert fake.sleeps == [7, 32]  # asked for 7 s; an hour is capped at max_wait_seconds


def test_a_refused_request_is_not_retried(emulator, token_client, sid):
    body = json.dumps(
        {"error": {"code": 400, "message": "Bad thing", "status": "INVALID_ARGUMENT"}}
    )
    book = workbook(token_client, sid)
    emulator.inject(Fault(400, body))

    with pytest.raises(RemoteError, match=r"refused the request \(HTTP 400 INVALID_ARGUMENT\)"):
        book.read_tabs(["Desa"])
    assert book.retries == 0


def test_an_unreachable_endpoint_fails_within_the_cap(emulator, sid):
    emulator.stop()  # nothing listens on the port any more
    client = client_for_credentials(Credentials(token="t"), endpoint=emulator.url, timeout=1)
    fake = FakeTime()

    with pytest.raises(RemoteError, match="network problem") as caught:
        workbook(client, sid, fake, retry=replace(SHEETS_RETRY, attempts=3)).read_tabs(["Desa"])
    assert caught.value.retryable and len(fake.sleeps) == 2


def test_html_error_page_and_slow_answer_are_retried(emulator, token_client, sid):
    client = client_for_credentials(Credentials(token="t"), endpoint=emulator.url, timeout=0.2)
    book = workbook(client, sid)
    emulator.inject(Fault.html_unavailable(), Fault.slow(0.5))

    tables = book.read_tabs(["Desa"])

    assert tables["Desa"].rows[0][1] == "Air Seruk"
    assert book.retries == 2


def test_permanent_500_fails_within_time_cap_and_keeps_previous_output(emulator, token_client, sid):
    fake = FakeTime()
    policy = replace(SHEETS_RETRY, attempts=50, max_total=60)
    book = workbook(token_client, sid, fake, retry=policy)
    book.write([kpi_tab(3)], [])
    previous = emulator.tab_values(sid, "KPI Toko")
    book.read_tabs(["Toko"])
    emulator.inject(Fault.internal_error(times=None))

    with pytest.raises(RemoteError, match="Nothing was written") as caught:
        book.write([kpi_tab(9)], [CellMark("Toko", 3, "ID Duta", "error", "x")])

    assert caught.value.retryable
    assert fake.now <= 60
    emulator.clear_faults()
    assert emulator.tab_values(sid, "KPI Toko") == previous
    assert "note" not in emulator.cell(sid, "Toko!F3")


def test_a_429_storm_longer_than_the_attempt_cap_gives_up_cleanly(emulator, token_client, sid):
    fake = FakeTime()
    book = workbook(token_client, sid, fake, retry=replace(SHEETS_RETRY, attempts=3))
    emulator.inject(Fault.rate_limited(times=None))

    with pytest.raises(RemoteError, match=r"HTTP 429 \(quota .*after 3 attempts") as caught:
        book.read_tabs(["Desa"])

    assert caught.value.retryable and book.sheets_requests == 3
    assert fake.sleeps == [1.5, 2.5]


@pytest.mark.parametrize(
    ("retry", "expected"),
    [(1, 1.0), (2, 2.0), (5, 16.0), (6, 32.0), (9, 32.0)],
)
def test_backoff_doubles_then_stays_at_the_cap(retry, expected):
    policy = SHEETS_RETRY  # 1 s doubled, 1 s of jitter, never more than 32 s

    assert policy.wait_before(retry, lambda: 0.0) == expected
    assert expected <= policy.wait_before(retry, lambda: 0.999) <= min(expected + 1, 32)
