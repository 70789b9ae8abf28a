"""Alerts around real runs: a failing sync emails the operator once, a good run clears it."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetsync.cli import cli
from sheetsync.config import load_config
from sheetsync.errors import SheetsyncError
from sheetsync.operations import guarded_run, scheduled_sync
from sheetsync.pipeline import open_ledger

pytestmark = pytest.mark.clock  # see `make test-clock`


def alert_files(root: Path) -> list[Path]:
    return sorted((root / "outbox").rglob("*.eml"))


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    root = tmp_path / "prog"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    config = root / "sheetsync.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("[worker]", "[worker]\nstale_export_days = 7").replace(
            'outbox = "outbox"', 'outbox = "outbox"\nalert_to = "operator@example.org"'
        ),
        encoding="utf-8",
    )
    return root


def test_a_failing_run_alerts_once_and_a_good_run_clears_it(programme: Path) -> None:
    config = load_config(programme / "sheetsync.toml")
    workbook = programme / "data" / "program.xlsx"
    hidden = workbook.with_name("program.moved")
    workbook.rename(hidden)  # the staff workbook is gone: the run cannot read its tabs
    for _ in range(2):
        with pytest.raises(SheetsyncError):
            scheduled_sync(config)
    failures = [p for p in alert_files(programme) if "gagal" in p.read_text(errors="ignore")]
    assert len(failures) == 1, "the same failure must not be alerted on every run"
    message = email.message_from_bytes(failures[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "operator@example.org"
    assert message["Subject"] == "[sheetsync] sync gagal / failed"  # the prefix once
    assert "program.xlsx" in message.get_body(preferencelist=("plain",)).get_content()

    hidden.rename(workbook)
    scheduled_sync(config)  # succeeds: the failure condition is cleared ...
    workbook.rename(hidden)
    with pytest.raises(SheetsyncError):
        scheduled_sync(config)  # ... so a new failure alerts again
    failures = [p for p in alert_files(programme) if "gagal" in p.read_text(errors="ignore")]
    assert len(failures) == 2


def test_no_new_exports_for_days_is_alerted_once(programme: Path) -> None:
    config = load_config(programme / "sheetsync.toml")
    for _ in range(2):
        with guarded_run(config, "sync"):
            pass
    stale = [p for p in alert_files(programme) if "ekspor baru" in _subject(p)]
    assert len(stale) == 1
    assert _subject(stale[0]).count("[sheetsync]") == 1


def _subject(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return str(message["Subject"])


def test_a_scheduled_run_reads_the_programme_clock_once(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run, its alerts and the health check after it share one instant: a clock that
    moves on every read (as the wall clock does) is read exactly once."""
    reads: list[dt.datetime] = []

    def clock() -> dt.datetime:
        reads.append(dt.datetime(2026, 9, 1, 7, 0) + dt.timedelta(minutes=len(reads)))
        return reads[-1]

    monkeypatch.setattr("sheetsync.pipeline.runs.clock_for", lambda config: clock)
    config = load_config(programme / "sheetsync.toml")
    scheduled_sync(config)
    assert reads == [dt.datetime(2026, 9, 1, 7, 0)]
    with open_ledger(config) as ledger:
        last = ledger.last_sync()
    assert last is not None and last.started_at == reads[0]
