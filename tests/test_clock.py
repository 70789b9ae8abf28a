"""The programme clock: programme-local time whatever the server's time zone."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheetsync.clock import clock_for, fixed_clock, local_from_timestamp, programme_clock
from sheetsync.config import config_from_mapping

JAKARTA, MAKASSAR = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
# make test-clock sets this to the instant libfaketime froze the machine at
FROZEN_AT = os.environ.get("SHEETSYNC_TEST_FROZEN_AT", "")

pytestmark = pytest.mark.clock


def test_the_programme_clock_reads_the_programme_zone_not_the_servers() -> None:
    utc_now = dt.datetime.now(dt.UTC)
    wib = programme_clock(JAKARTA)()
    assert wib.tzinfo is None  # naive programme-local, the project's convention
    assert abs(wib - (utc_now + dt.timedelta(hours=7)).replace(tzinfo=None)) < dt.timedelta(
        minutes=1
    )


def test_clock_for_follows_program_timezone() -> None:
    config = config_from_mapping({"program": {"timezone": "Asia/Makassar"}}, base_dir=Path("."))
    wita = clock_for(config)()
    expected = dt.datetime.now(MAKASSAR).replace(tzinfo=None)
    assert abs(wita - expected) < dt.timedelta(minutes=1)


def test_a_fixed_clock_stays_where_it_was_put() -> None:
    at = dt.datetime(2026, 12, 31, 23, 59, 59)
    clock = fixed_clock(at)
    assert clock() == at == clock()


def test_a_file_time_is_shown_in_programme_time() -> None:
    new_year_in_jakarta = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC).timestamp()
    assert local_from_timestamp(new_year_in_jakarta, JAKARTA) == dt.datetime(2027, 1, 1, 0, 30)


@pytest.mark.skipif(not FROZEN_AT, reason="only under make test-clock (libfaketime)")
def test_the_machine_is_frozen_where_make_test_clock_says() -> None:
    """Proves the frozen run is real: the wall clock reads the chosen instant."""
    frozen = dt.datetime.fromisoformat(FROZEN_AT)
    assert dt.timedelta(0) <= dt.datetime.now(dt.UTC) - frozen < dt.timedelta(hours=2)
