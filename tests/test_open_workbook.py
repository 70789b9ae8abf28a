"""A staff workbook left open in Excel: read, validate and import anyway; write on a later run."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import openpyxl
import pytest
from test_cli import make_programme, run

from sheetsync import pipeline
from sheetsync.config import load_config
from sheetsync.operations import scheduled_sync

LOCK_NAME = "~$program.xlsx"  # what Excel leaves beside a file it has open


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    config = make_programme(tmp_path / "prog")
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('outbox = "outbox"', 'outbox = "outbox"\nalert_to = "operator@example.org"'),
        encoding="utf-8",
    )
    return config


def workbook_of(config: Path) -> Path:
    return config.parent / "data" / "program.xlsx"


def open_in_excel(config: Path) -> Path:
    lock = workbook_of(config).with_name(LOCK_NAME)
    lock.write_bytes(b"\x05Rina Staf")
    return lock


def tab_names(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def workbook_alerts(root: Path) -> list[str]:
    subjects = []
    for path in sorted((root / "outbox").rglob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        subjects.append(str(message["Subject"]))
    return [s for s in subjects if "Buku kerja tidak dapat ditulis" in s]


def test_sync_imports_and_computes_but_leaves_an_open_workbook_unwritten(programme: Path) -> None:
    lock = open_in_excel(programme)
    before = workbook_of(programme).read_bytes()

    synced = run(programme, "sync", "--month", "2026-08")

    assert synced.exit_code == 0, synced.output
    said = " ".join(synced.output.split())
    assert "3 file(s) imported" in said
    assert "Tab keluaran tidak ditulis" in said
    assert "sedang dibuka di Excel/LibreOffice" in said
    assert "mencoba lagi pada sinkronisasi berikutnya" in said
    notice = [line for line in synced.output.splitlines() if "Tab keluaran" in line]
    assert notice and len(notice[0]) <= 80, "the notice is wrapped like the other sync lines"
    assert workbook_of(programme).read_bytes() == before, "an open workbook is never written"
    figures = run(programme, "kpi", "--month", "2026-08", "--by", "village", "--format", "json")
    assert figures.exit_code == 0, figures.output
    assert '"sales_idr": 100000' in figures.output  # imported while the workbook was open
    log = (programme.parent / "logs").glob("*.jsonl")
    assert any("sedang dibuka di Excel" in p.read_text(encoding="utf-8") for p in log)

    lock.unlink()  # staff closed Excel: the next run writes the tabs, importing nothing again
    again = run(programme, "sync", "--month", "2026-08")
    assert again.exit_code == 0, again.output
    assert "0 file(s) imported" in again.output
    assert "Tab keluaran tidak ditulis" not in again.output
    assert "KPI Desa" in tab_names(workbook_of(programme))


def test_validate_reads_a_workbook_that_is_open_in_excel(programme: Path) -> None:
    open_in_excel(programme)
    result = run(programme, "validate")
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output


def test_an_open_workbook_is_alerted_once_after_a_day_and_cleared_when_written(
    programme: Path,
) -> None:
    config = load_config(programme)
    lock = open_in_excel(programme)
    yesterday = pipeline.now_local(config) - dt.timedelta(hours=25)
    pipeline.sync(config, months=["2026-08"], now=yesterday)  # the first write that waited
    assert workbook_alerts(programme.parent) == [], "one run with Excel open is no news"

    for _ in range(2):
        scheduled_sync(config)  # still open a day later
    alerts = workbook_alerts(programme.parent)
    assert len(alerts) == 1, alerts
    assert yesterday.strftime("%Y-%m-%d %H:%M") in alerts[0]

    lock.unlink()
    scheduled_sync(config)
    assert pipeline.unwritten_workbook_since(config) is None
    open_in_excel(programme)
    scheduled_sync(config)  # open again, but only since now
    assert len(workbook_alerts(programme.parent)) == 1
