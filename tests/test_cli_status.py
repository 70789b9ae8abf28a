"""`sheetsync status`: the programme at a glance, within 24 lines of 80 columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_cli import make_programme, run

from sheetsync import clock
from sheetsync.status import MAX_LINES, next_monthly, next_slot
from sheetsync.workbook.template import fill_staff_workbook

NOW = dt.datetime(2026, 9, 10, 9, 0)


@pytest.fixture
def programme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(clock, "programme_clock", lambda _tz: clock.fixed_clock(NOW))
    return make_programme(tmp_path / "prog")


def status_of(config: Path) -> list[str]:
    result = run(config, "status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert 0 < len(lines) <= MAX_LINES
    assert all(len(line) <= 80 for line in lines), lines
    return lines


def line_with(lines: list[str], start: str) -> str:
    return next(line for line in lines if line.startswith(start))


def test_before_the_first_sync_status_says_what_to_do(programme: Path) -> None:
    lines = status_of(programme)
    assert line_with(lines, "Sync terakhir") == (
        "Sync terakhir : belum pernah (jalankan: sheetsync sync)"
    )
    assert line_with(lines, "Inbox").endswith(": 3 file menunggu impor, 0 file ditolak")
    assert line_with(lines, "Jadwal") == (
        "Jadwal        : sync berikut 2026-09-10 12:00; bulanan 2026-10-01 07:00"
    )


def test_status_after_a_day_of_work(programme: Path) -> None:
    root = programme.parent
    fill_staff_workbook(
        root / "data" / "program.xlsx",
        {"Toko": [("TK-003", "Shopee", "Keripik", "Bu Ani", "19.02.04.2001", "DD-099", "")]},
    )
    (root / "inbox" / "TK-001" / "rusak.xlsx").write_bytes(b"not a workbook")
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    assert run(programme, "report", "--month", "2026-08", "--format", "html").exit_code == 0
    (root / "inbox" / "TK-002" / "pesanan-september.csv").write_text("baru", encoding="utf-8")

    lines = status_of(programme)
    sync = line_with(lines, "Sync terakhir")
    assert sync.startswith("Sync terakhir : 2026-09-10 09:00  berhasil")
    assert "3 file diimpor" in lines[lines.index(sync) + 1]
    assert line_with(lines, "Inbox").endswith(": 1 file menunggu impor, 1 file ditolak")
    assert "  ditolak: TK-001/rusak.xlsx" in lines
    validation = line_with(lines, "Validasi")
    assert validation.startswith("Validasi      : ") and "error" in validation
    assert any("DD-099" in line and line.startswith("  1× Toko baris") for line in lines)
    assert line_with(lines, "KPI dihitung") == "KPI dihitung  : 2026-08"
    reports = line_with(lines, "Laporan")
    assert reports == "Laporan       : Agustus 2026: 8 file ditulis, 0 email terkirim"


def test_schedule_helpers() -> None:
    assert next_slot(dt.datetime(2026, 9, 10, 18, 0), ("06:00", "18:00")) == dt.datetime(
        2026, 9, 11, 6, 0
    )
    assert next_monthly(dt.datetime(2026, 12, 1, 8, 0), 1, "07:00") == dt.datetime(2027, 1, 1, 7, 0)
    assert next_monthly(dt.datetime(2026, 12, 1, 6, 0), 1, "07:00") == dt.datetime(
        2026, 12, 1, 7, 0
    )
