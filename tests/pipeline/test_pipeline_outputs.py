"""What a sync writes back (pipeline/outputs.py): nothing, when the workbook already shows it.

A re-run with nothing new leaves the .xlsx file untouched (same bytes, same modification
time) and records the run everywhere but in the workbook; a changed figure, new
validation problems, a run that is news (a send), a new programme day, a staff save or a
blocked run all write.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from test_cli import line, make_programme

from sheetsync.config import Config, load_config
from sheetsync.demo.exports import write_shopee_orders
from sheetsync.pipeline import sync
from sheetsync.pipeline.outputs import shown_fingerprint
from sheetsync.pipeline.runs import open_ledger
from sheetsync.runlog import LOG_FILE_NAME, RunRecord
from sheetsync.tabs import CellMark, OutputTab

NOW = dt.datetime(2026, 9, 2, 7, 0)
MONTH = ["2026-08"]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(make_programme(tmp_path / "prog"))


def state(config: Config) -> tuple[int, bytes]:
    path = config.workbook.path
    return path.stat().st_mtime_ns, path.read_bytes()


def log_rows(config: Config) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(config.workbook.path, read_only=True)
    try:
        return list(book["Log"].iter_rows(min_row=2, values_only=True))
    finally:
        book.close()


def test_a_sync_with_nothing_new_leaves_the_workbook_untouched_and_records_the_run(
    config: Config,
) -> None:
    sync(config, months=MONTH, now=NOW)
    before = state(config)

    again = sync(config, months=MONTH, now=NOW + dt.timedelta(hours=1))

    assert again.status == "ok" and again.workbook_written
    assert state(config) == before
    with open_ledger(config) as ledger:
        assert [r.status for r in ledger.recent_runs(limit=10)] == ["ok", "ok"]
    records = (config.worker.log_dir / LOG_FILE_NAME).read_text("utf-8").splitlines()
    assert [json.loads(r)["status"] for r in records] == ["ok", "ok"]


def test_a_changed_figure_writes_and_the_log_shows_the_syncs_that_wrote_nothing(
    config: Config,
) -> None:
    sync(config, months=MONTH, now=NOW)
    sync(config, months=MONTH, now=NOW + dt.timedelta(hours=1))
    before = state(config)
    late = [line("260820DDDD0004", "Selesai", dt.datetime(2026, 8, 20, 9, 0), 2, 30000)]
    write_shopee_orders(config.inbox.path / "TK-001" / "Order.all.20260816_20260831.xlsx", late)

    third = sync(config, months=MONTH, now=NOW + dt.timedelta(hours=2))

    assert third.record.files_imported == 1
    assert state(config)[1] != before[1]
    assert [row[2:4] for row in log_rows(config)] == [("sync", "ok")] * 3


def test_new_validation_problems_write(config: Config) -> None:
    sync(config, months=MONTH, now=NOW)
    before = state(config)
    (config.inbox.path / "TK-002" / "kosong.csv").write_bytes(b"")  # a rejected file

    again = sync(config, months=MONTH, now=NOW + dt.timedelta(hours=1))

    assert again.record.files_imported == 0
    assert state(config)[1] != before[1]


def test_a_run_that_is_news_for_staff_is_shown_by_the_next_sync(config: Config) -> None:
    sync(config, months=MONTH, now=NOW)
    before = state(config)
    with open_ledger(config) as ledger:  # what `sheetsync send` leaves in the runs table
        sent = RunRecord("send", started_at=NOW + dt.timedelta(minutes=5), emails_sent=3)
        sent.status = "ok"
        sent.mark_ended()
        ledger.record_run(sent)

    sync(config, months=MONTH, now=NOW + dt.timedelta(hours=1))

    assert state(config)[1] != before[1]
    assert [row[2] for row in log_rows(config)] == ["sync", "send", "sync"]


def test_the_first_sync_of_a_day_writes(config: Config) -> None:
    sync(config, months=MONTH, now=NOW)
    before = state(config)

    sync(config, months=MONTH, now=NOW + dt.timedelta(days=1))

    assert state(config)[1] != before[1]
    assert len(log_rows(config)) == 2


def test_a_workbook_saved_by_staff_is_written_again(config: Config) -> None:
    sync(config, months=MONTH, now=NOW)
    book = openpyxl.load_workbook(config.workbook.path)
    del book["KPI Toko"]  # whatever they did, the file is no longer the one sheetsync left
    book.save(config.workbook.path)

    sync(config, months=MONTH, now=NOW + dt.timedelta(hours=1))

    assert "KPI Toko" in openpyxl.load_workbook(config.workbook.path, read_only=True).sheetnames


def test_a_blocked_sync_writes_every_time(config: Config) -> None:
    sync(config, months=MONTH, now=NOW)
    book = openpyxl.load_workbook(config.workbook.path)
    del book["Toko"]
    book.save(config.workbook.path)
    blocked = sync(config, months=MONTH, now=NOW + dt.timedelta(hours=1))
    assert blocked.status == "blocked"
    before = state(config)

    again = sync(config, months=MONTH, now=NOW + dt.timedelta(hours=2))

    assert again.status == "blocked"
    assert state(config)[1] != before[1]
    assert [row[3] for row in log_rows(config)][:2] == ["blocked", "blocked"]


def test_what_is_compared_leaves_out_validasi_times_and_syncs_that_ended_ok() -> None:
    def tabs(stamp: str, runs: list[tuple[str, str]]) -> list[OutputTab]:
        validasi = OutputTab("Validasi", ("Tingkat", "Pesan", "Waktu"), [["Error", "x", stamp]])
        log = OutputTab("Log", ("Mulai", "Selesai", "Perintah", "Status"),
                        [[stamp, stamp, command, status] for command, status in runs])  # fmt: skip
        return [OutputTab("KPI Toko", ("ID",), [["TK-001"]]), validasi, log]

    marks = [CellMark("Toko", 2, "ID Duta", "error", "ID Duta tidak ada.")]
    first = shown_fingerprint(tabs("08:00", [("sync", "ok")]), marks)
    assert first == shown_fingerprint(tabs("09:00", [("sync", "ok"), ("sync", "ok")]), marks)
    assert first != shown_fingerprint(tabs("09:00", [("sync", "ok"), ("send", "ok")]), marks)
    assert first != shown_fingerprint(tabs("09:00", [("sync", "failed")]), marks)
    assert first != shown_fingerprint(tabs("08:00", [("sync", "ok")]), [])
    changed = tabs("08:00", [("sync", "ok")])
    changed[0] = OutputTab("KPI Toko", ("ID",), [["TK-002"]])
    assert first != shown_fingerprint(changed, marks)


def test_on_google_sheets_a_sync_with_nothing_new_sends_no_write_request(
    tmp_path: Path, emulator, service_account_key: Path
) -> None:
    """Two requests (metadata, values) instead of three: the skipped batchUpdate is quota."""
    from sheetsync.testing.sheets_emulator import tabs_from_xlsx

    local = make_programme(tmp_path / "prog")
    sid = emulator.create_spreadsheet(tabs_from_xlsx(str(local.parent / "data" / "program.xlsx")))
    local.write_text(
        local.read_text("utf-8")
        .replace('backend = "xlsx"', 'backend = "gsheets"')
        .replace(
            'path = "data/program.xlsx"',
            f'spreadsheet_id = "{sid}"\ncredentials = "{service_account_key}"\n'
            f'endpoint = "{emulator.url}"',
        ),
        "utf-8",
    )
    config = load_config(local)
    first = sync(config, months=MONTH, now=NOW)
    assert first.record.sheets_requests == 3
    marked = emulator.tab_values(sid, "KPI Toko")
    emulator.clear_log()

    again = sync(config, months=MONTH, now=NOW + dt.timedelta(hours=1))

    assert [e.operation.rsplit(".", 1)[1] for e in emulator.api_requests()] == ["get", "batchGet"]
    assert again.record.sheets_requests == 2 and again.workbook_written
    assert emulator.tab_values(sid, "KPI Toko") == marked
    emulator.clear_log()
    (config.inbox.path / "TK-002" / "kosong.csv").write_bytes(b"")  # new problem: written

    sync(config, months=MONTH, now=NOW + dt.timedelta(hours=2))

    assert [e.operation.rsplit(".", 1)[1] for e in emulator.api_requests()][-1] == "batchUpdate"
