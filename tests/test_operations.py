"""Alerts around real runs: a failing sync emails the operator once, a good run clears it."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sheetsync import pipeline
from sheetsync.cli import cli
from sheetsync.config import load_config
from sheetsync.errors import SheetsyncError
from sheetsync.ledger import FileMeta
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.model import Marketplace
from sheetsync.operations import guarded_run, scheduled_sync

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


def _store_listing_made(config: object, made: dt.datetime, name: str) -> None:
    """An export whose name says when the seller centre made it, imported just now."""
    lines = pd.DataFrame({"product_id": ["2001"], "source_row": [7]})
    parsed = ParsedExport("listings", "shopee_mass_update", Marketplace.SHOPEE, lines,
                          exported_at=made)  # fmt: skip
    now = pipeline.now_local(config)  # type: ignore[arg-type]
    meta = FileMeta(f"sha-{name}", f"/inbox/TK-001/{name}", f"TK-001/{name}", 1, 0.0,
                    "TK-001", now)  # fmt: skip
    with pipeline.open_ledger(config) as ledger:  # type: ignore[arg-type]
        ledger.store_export(meta, parsed, imported_at=now)


def test_an_old_export_copied_in_today_is_not_a_new_export(programme: Path) -> None:
    config = load_config(programme / "sheetsync.toml")
    made = pipeline.now_local(config) - dt.timedelta(days=40)
    _store_listing_made(config, made, "mass_update_sales_info_1_old.xlsx")
    with guarded_run(config, "sync"):
        pass
    stale = [p for p in alert_files(programme) if "ekspor baru" in _subject(p)]
    assert len(stale) == 1 and made.strftime("%Y-%m-%d") in stale[0].read_text(errors="ignore")


def test_an_export_made_yesterday_is_new(programme: Path) -> None:
    config = load_config(programme / "sheetsync.toml")
    made = pipeline.now_local(config) - dt.timedelta(days=1)
    _store_listing_made(config, made, "mass_update_sales_info_1_new.xlsx")
    with guarded_run(config, "sync"):
        pass
    assert not [p for p in alert_files(programme) if "ekspor baru" in _subject(p)]
