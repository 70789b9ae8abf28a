"""The demo's staff workbook: the programme rows and form responses it writes, and the
mistakes planted in them, where validation finds them."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from demo_samples import TODAY, column

from sheetsync.contract import STAFF_TABS
from sheetsync.demo import DemoManifest, demo_months, write_demo
from sheetsync.demo import data as demo_data
from sheetsync.demo.breakage import ORPHAN_FOLDER
from sheetsync.messages import IssueCode
from sheetsync.tabs import SheetTable
from sheetsync.validate import validate_workbook
from sheetsync.values import parse_form_timestamp
from sheetsync.workbook.xlsx import XlsxWorkbook

SHARED_VILLAGES = Path(__file__).resolve().parents[3] / "shared/wilayah/belitung_desa_kelurahan.csv"


def test_months_are_the_three_before_today_across_a_year_end() -> None:
    assert demo_months(TODAY) == ("2026-08", "2026-09", "2026-10")
    assert demo_months(dt.date(2027, 1, 5)) == ("2026-10", "2026-11", "2026-12")


def test_workbook_holds_the_programme(
    manifest: DemoManifest, tables: dict[str, SheetTable]
) -> None:
    desa, duta, toko = tables["Desa"], tables["Duta"], tables["Toko"]
    assert [tuple(row) for row in desa.rows] == list(demo_data.VILLAGES)
    assert len(desa.rows) == 49
    assert "19.02.04.2004" in column(desa, "Kode Desa")
    assert len(set(column(duta, "ID Duta"))) == len(duta.rows) == 42
    assert 140 <= len(toko.rows) <= 160
    assert Counter(column(toko, "Marketplace")).most_common(2)[0][0] == "Shopee"
    assert {"Shopee", "Tokopedia"} <= set(column(toko, "Marketplace"))
    assert set(column(duta, "Aktif")) == {"Ya", "Tidak", "ya"}
    assert manifest.tables["Toko"] and len(manifest.tables["Toko"]) == len(toko.rows)


def test_targets_cover_most_villages_for_each_month(tables: dict[str, SheetTable]) -> None:
    target, duta = tables["Target"], tables["Duta"]
    months = Counter(column(target, "Bulan"))
    assert months["2026-08"] + months["Agustus 2026"] == months["2026-09"] == months["2026-10"]
    with_targets = set(column(target, "Kode Desa"))
    ambassador_villages = set(column(duta, "Kode Desa"))
    assert 3 <= len(ambassador_villages - with_targets) <= 6


def test_form_responses_use_both_spreadsheet_locales(tables: dict[str, SheetTable]) -> None:
    stamps = column(tables["Laporan Duta"], "Timestamp")
    indonesian = [s for s in stamps if re.fullmatch(r"\d\d/\d\d/\d{4} \d\d\.\d\d\.\d\d", s)]
    us = [s for s in stamps if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4} \d\d:\d\d:\d\d", s)]
    assert len(indonesian) + len(us) == len(stamps)
    assert len(us) >= 5 and len(indonesian) > 4 * len(us)


def test_recipients_use_reserved_example_domains(tables: dict[str, SheetTable]) -> None:
    penerima = tables["Penerima"]
    assert Counter(column(penerima, "Tingkat")) == {"kabupaten": 2, "kecamatan": 5, "desa": 4}
    assert all(e.endswith(("@example.org", ".example.org")) for e in column(penerima, "Email"))
    emails = column(tables["Duta"], "Email")
    assert all(e.endswith("example.com") for e in emails)


@pytest.mark.skipif(not SHARED_VILLAGES.is_file(), reason="shared/wilayah is not present")
def test_villages_are_the_official_list() -> None:
    with SHARED_VILLAGES.open(encoding="utf-8") as handle:
        official = [(r["kode"], r["nama"], r["kecamatan"]) for r in csv.DictReader(handle)]
    assert list(demo_data.VILLAGES) == official


def test_every_listed_mistake_is_in_the_workbook(
    manifest: DemoManifest, tables: dict[str, SheetTable]
) -> None:
    placed = [m for m in manifest.mistakes if m.row is not None]
    assert {m.problem for m in placed} >= {
        "ID Duta that is not in the Duta tab",
        "village name (misspelt) instead of its code",
        "the same ID Toko used for a second shop",
        "email without @",
        "phone typed as a number: Excel dropped the leading 0 (read as 08…)",
        "month written as words",
        "registered in the future",
        "negative count",
    }
    for mistake in placed:
        table = tables[mistake.tab]
        assert mistake.column is not None
        cell = table.rows[mistake.row - 2][table.header.index(mistake.column)]
        assert cell == mistake.value, mistake


def test_validation_finds_each_mistake_where_it_was_typed(
    manifest: DemoManifest, tables: dict[str, SheetTable]
) -> None:
    folders = [p.name for p in manifest.inbox.iterdir()]
    _, report = validate_workbook(tables, as_of=dt.datetime(2026, 11, 22, 6), inbox_folders=folders)
    found = {(i.source, i.row, i.severity.value) for i in report}
    errors_at = {(i.source, i.row, i.column) for i in report.errors}
    for mistake in manifest.mistakes:
        if mistake.tab == "inbox":
            assert any(ORPHAN_FOLDER in i.source for i in report), mistake
        elif mistake.expected == "accepted":
            assert (mistake.tab, mistake.row, mistake.column) not in errors_at, mistake
        elif mistake.row is not None:
            assert (mistake.tab, mistake.row, mistake.expected) in found, mistake


@pytest.mark.parametrize(
    "today",
    [dt.date(2026, 12, 2), dt.date(2026, 12, 9)],  # before and after the reports' due day
    ids=["before-due-day", "after-due-day"],
)
def test_form_responses_are_never_in_the_future_of_the_demos_today(
    tmp_path: Path, today: dt.date
) -> None:
    """Only planted mistakes show up: no form timestamp after the demo's own day."""
    manifest = write_demo(tmp_path / "demo", today=today)
    tables = XlsxWorkbook(manifest.workbook).read_tabs([spec.name for spec in STAFF_TABS])
    folders = [p.name for p in manifest.inbox.iterdir()]
    as_of = dt.datetime.combine(today, dt.time(6))
    _, report = validate_workbook(tables, as_of=as_of, inbox_folders=folders)
    stamps = [parse_form_timestamp(s) for s in column(tables["Laporan Duta"], "Timestamp")]
    assert all(stamp is not None and stamp < as_of for stamp in stamps)
    planted = {(m.tab, m.row) for m in manifest.mistakes}
    laporan = [i for i in report if i.source == "Laporan Duta" and i.row is not None]
    # the planted rows, and the later filing that supersedes the planted one
    expected = [i for i in laporan if (i.source, i.row) in planted]
    resubmitted = [i for i in laporan if i.code == IssueCode.REPORT_RESUBMITTED]
    assert expected and sorted(map(id, expected + resubmitted)) == sorted(map(id, laporan))
    assert len(resubmitted) == 1
    future = [i for i in report if i.code == IssueCode.DATE_IN_FUTURE]
    assert [(i.source, i.row) for i in future] == [("Toko", 49)]  # the one planted date
