"""`sheetsync sync` (pipeline/sync.py, pipeline/outputs.py): re-runs, backups, late data.

Also the honesty of its steps: the query that says what late data changed writes
nothing, the command after it stores the snapshots; building the output tabs leaves the
run's record as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from test_cli import line, make_programme, run

from sheetsync.config import load_config
from sheetsync.demo.exports import write_shopee_orders
from sheetsync.ingest import IngestSummary
from sheetsync.issues import ValidationReport
from sheetsync.kpi import compute_kpis
from sheetsync.pipeline.outputs import feedback_tabs
from sheetsync.pipeline.runs import open_ledger, open_workbook
from sheetsync.pipeline.staff import read_staff_data
from sheetsync.pipeline.sync import (
    changes_since_stored_snapshots,
    kpi_snapshots,
    store_kpi_snapshots,
)
from sheetsync.runlog import RunRecord


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return make_programme(tmp_path / "prog")


def test_second_sync_changes_nothing(programme: Path) -> None:
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    book_path = programme.parent / "data" / "program.xlsx"
    before = _tabs(book_path)
    again = run(programme, "sync", "--month", "2026-08")
    assert again.exit_code == 0 and "0 file(s) imported" in again.output
    after = _tabs(book_path)
    for name in ("KPI Toko", "KPI Desa", "KPI Duta", "KPI Kecamatan", "Ringkasan", "Desa", "Toko"):
        assert after[name] == before[name], name


def _tabs(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}
    finally:
        book.close()


@pytest.mark.clock  # one backup per programme day, whatever the server's day is
def test_sync_takes_one_online_backup_a_day(programme: Path) -> None:
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    backups = list((programme.parent / "data" / "backups").glob("*daily*.sqlite"))
    assert len(backups) == 1
    with contextlib.closing(sqlite3.connect(backups[0])) as copy, copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT SUM(lines) FROM order_blobs").fetchone()[0] > 0


def test_a_late_export_recomputes_the_month_and_the_log_says_what_changed(
    programme: Path,
) -> None:
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    returned = line(
        "260831BBBB0002",
        "Selesai",
        dt.datetime(2026, 8, 31, 23, 59),
        1,
        50000,
        return_status="Permintaan Disetujui",
    )
    late = programme.parent / "inbox" / "TK-001" / "Order.all.20260801_20260930.xlsx"
    write_shopee_orders(late, [returned])
    again = run(programme, "sync", "--month", "2026-08")
    assert again.exit_code == 0, again.output
    changed = [ln for ln in again.output.splitlines() if "changed:" in ln]
    assert any(
        "Agustus 2026" in ln and "Air Seruk" in ln and "2 → 1" in ln and late.name in ln
        for ln in changed
    ), again.output
    out = run(programme, "kpi", "--month", "2026-08", "--by", "village", "--format", "json")
    air_seruk = next(r for r in json.loads(out.output) if r["village_code"] == "19.02.04.2004")
    assert (air_seruk["completed_orders"], air_seruk["returned_orders"]) == (1, 1)
    assert air_seruk["sales_idr"] == 2 * 37200 + 15000


def test_what_changed_is_a_query_and_storing_the_snapshots_a_command(programme: Path) -> None:
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    config = load_config(programme)
    with open_ledger(config) as ledger:
        stored = ledger.kpi_snapshot("2026-08")
        assert stored
        lines = ledger.order_lines_for_months(["2026-08"])
        lines = lines[lines["order_id"] != "260831BBBB0002"]  # as if that order were gone
        staff = read_staff_data(config, open_workbook(config), dt.datetime(2026, 9, 10))
        result = compute_kpis(lines, staff.registry, "2026-08")
        snapshots = kpi_snapshots({"2026-08": result})
        summary = IngestSummary()
        for _ in range(2):  # asking twice gives the same answer: nothing was stored
            changes = changes_since_stored_snapshots(config, ledger, snapshots, summary)
            assert any("Agustus 2026" in c and "Air Seruk" in c for c in changes), changes
        assert ledger.kpi_snapshot("2026-08") == stored
        store_kpi_snapshots(ledger, snapshots, dt.datetime(2026, 9, 10, 9, 0))
        assert ledger.kpi_snapshot("2026-08") != stored
        assert not changes_since_stored_snapshots(config, ledger, snapshots, summary)


def test_building_the_feedback_tabs_leaves_the_run_record_alone(programme: Path) -> None:
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    config = load_config(programme)
    record = RunRecord("sync", started_at=dt.datetime(2026, 9, 10, 9, 0))
    record.mark_ended()
    before = replace(record)
    with open_ledger(config) as ledger:
        tabs = feedback_tabs(config, ValidationReport(), ledger, record, record.started_at,
                             status="blocked")  # fmt: skip
    assert record == before and record.status == "running"
    statuses = sorted(row[3] for row in tabs[-1].rows)
    assert statuses == ["blocked", "ok"]  # this run shown with the status it ends with
