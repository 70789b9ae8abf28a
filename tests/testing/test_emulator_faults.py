"""Faults answer with Google's recorded bodies and then recover; the quota answers 429 past
its requests a minute.

Every test's exchanges are also validated against the discovery document (conftest).
"""

from __future__ import annotations

import time

import pytest
import requests
from emulator_http import batch, call

from sheetsync.testing.sheets_emulator.emulator import SheetsEmulator
from sheetsync.testing.sheets_emulator.errors import HTML_503, RATE_LIMIT_BODY
from sheetsync.testing.sheets_emulator.faults import Fault


def test_quota_of_requests_per_minute(discovery_schema):
    now = [0.0]
    with SheetsEmulator(quota_per_minute=3, clock=lambda: now[0]) as emu:
        sid = emu.create_spreadsheet()
        path = f"/v4/spreadsheets/{sid}"
        reads = [call(emu, "GET", path).status_code for _ in range(4)]
        write = batch(
            emu,
            sid,
            {"updateSpreadsheetProperties": {"properties": {"title": "x"}, "fields": "title"}},
        )
        refused = call(emu, "GET", path).json()
        now[0] = 61.0
        later = call(emu, "GET", path).status_code
        assert not emu.schema_problems(discovery_schema)

    assert reads == [200, 200, 200, 429] and write.status_code == 200 and later == 200
    assert refused["error"]["details"][0]["metadata"]["quota_limit"] == (
        "ReadRequestsPerMinutePerUser"
    )


def test_faults_answer_with_googles_bodies_then_recover(emulator, sid):
    emulator.inject(
        Fault.rate_limited(), Fault.internal_error(), Fault.html_unavailable(), Fault.slow(0.05)
    )
    path = f"/v4/spreadsheets/{sid}"
    answers = [call(emulator, "GET", path) for _ in range(5)]

    assert [a.status_code for a in answers] == [429, 500, 503, 200, 200]
    assert answers[0].json() == RATE_LIMIT_BODY
    assert answers[0].json()["error"]["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    assert answers[2].headers["Content-Type"].startswith("text/html")
    assert answers[2].text == HTML_503
    assert answers[3].elapsed.total_seconds() >= 0.05


def test_a_client_that_gave_up_on_a_slow_answer_is_not_reported_as_an_error(emulator, sid, capfd):
    """The retry tests time out on purpose: the emulator then writes to a closed socket,
    which is the client's doing, not a failure of the emulator's to print."""
    emulator.inject(Fault.slow(0.3))
    path = f"/v4/spreadsheets/{sid}"
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(emulator.url + path, timeout=0.05)
    time.sleep(0.6)  # the slow answer is written to the closed connection meanwhile

    assert call(emulator, "GET", path).status_code == 200  # the emulator serves on
    assert "Exception occurred" not in capfd.readouterr().err
