"""`sheetsync report`, `send` and `monthly` (pipeline/publish.py).

One monthly run reads the programme clock once: its sync, reports and emails share that
instant (the emails' Date and the send log say so).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest
from test_cli import make_programme, run

from sheetsync import pipeline
from sheetsync.config import load_config
from sheetsync.errors import EXIT_CONFIG
from sheetsync.pipeline.runs import open_ledger
from sheetsync.workbook.template import fill_staff_workbook


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return make_programme(tmp_path / "prog")


def test_report_for_an_unknown_area_is_a_usage_error_naming_the_areas(programme: Path) -> None:
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    result = run(programme, "report", "--month", "2026-08", "--area", "Atlantis")
    assert result.exit_code == EXIT_CONFIG, result.output
    assert "--area 'Atlantis'" in result.output and "19.02.04.2004" in result.output
    known = run(programme, "report", "--month", "2026-08", "--area", "sijuk", "--format", "html")
    assert known.exit_code == 0 and "1 report file(s)" in known.output


def test_a_monthly_run_reads_the_clock_once_and_dates_everything_by_it(
    programme: Path,
) -> None:
    fill_staff_workbook(
        programme.parent / "data" / "program.xlsx",
        {"Penerima": [("Bupati", "Bupati", "bupati@example.org", "kabupaten", "")]},
    )
    reads: list[dt.datetime] = []

    def clock() -> dt.datetime:  # a clock that moves on each read, as the wall clock does
        reads.append(dt.datetime(2026, 9, 1, 7, 0) + dt.timedelta(minutes=len(reads)))
        return reads[-1]

    result = pipeline.monthly(load_config(programme), "2026-08", clock=clock)
    assert reads == [dt.datetime(2026, 9, 1, 7, 0)]
    assert result.sync.record.started_at == reads[0]
    assert result.reports and result.send.summary.delivered
    for eml in (programme.parent / "outbox").rglob("*.eml"):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert message["Date"].datetime.replace(tzinfo=None) == reads[0]
    with open_ledger(load_config(programme)) as ledger:
        sent = ledger.connection.execute("SELECT DISTINCT sent_at FROM sends").fetchall()
    assert sent == [("2026-09-01 07:00:00",)]
