"""The demo programme: the workbook and inbox it writes are what its manifest says."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from sheetsync import demo_data
from sheetsync.contract import STAFF_TABS
from sheetsync.demo import (
    ORPHAN_FOLDER,
    DemoExport,
    DemoManifest,
    demo_months,
    group_by_order,
    registered_shop_villages,
    remove_previous_demo,
    village_figures,
    write_demo,
)
from sheetsync.errors import SinkError
from sheetsync.marketplaces import read_export
from sheetsync.messages import IssueCode
from sheetsync.model import Marketplace
from sheetsync.tabs import SheetTable
from sheetsync.validate import validate_workbook
from sheetsync.values import parse_form_timestamp
from sheetsync.workbook.xlsx import XlsxWorkbook

TODAY = dt.date(2026, 11, 22)
SHARED_VILLAGES = Path(__file__).resolve().parents[2] / "shared/wilayah/belitung_desa_kelurahan.csv"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return write_demo(tmp_path_factory.mktemp("demo"), today=TODAY)


@pytest.fixture(scope="module")
def tables(manifest: DemoManifest) -> dict[str, SheetTable]:
    return XlsxWorkbook(manifest.workbook).read_tabs([spec.name for spec in STAFF_TABS])


def column(table: SheetTable, header: str) -> list[str]:
    index = table.header.index(header)
    return [row[index] for row in table.rows]


# ------------------------------------------------------------------------------ the workbook


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


# ------------------------------------------------------------------------------ the inbox


def sample_of_exports(manifest: DemoManifest) -> list[DemoExport]:
    """Every broken or re-saved file, one of each layout, and a spread of the rest.

    (Reading all ~350 files takes a minute on a busy machine; the sample covers every kind.)
    """
    kinds: dict[tuple[str, str], DemoExport] = {}
    for export in manifest.exports:
        kinds.setdefault((export.layout, export.fmt), export)
    chosen = [e for e in manifest.exports if e.broken or e.fmt == "csv"][:8]
    chosen += [*kinds.values(), *manifest.exports[::40], *manifest.orphan_exports]
    return list({e.path: e for e in chosen}.values())


def test_exports_read_back_as_the_manifest_says(manifest: DemoManifest) -> None:
    for export in sample_of_exports(manifest):
        parsed = read_export(export.path)
        assert not parsed.rejected, (export.path, parsed.issues)
        read = sorted(zip(parsed.lines["order_id"], parsed.lines["quantity"], strict=True))
        assert read == sorted((line.order_id, line.quantity) for line in export.lines)
        rejected_rows = sorted(i.row for i in parsed.issues if i.row is not None)
        assert rejected_rows == sorted(b.source_row for b in export.broken), export.path


def test_broken_rows_are_few_and_of_each_kind(manifest: DemoManifest) -> None:
    broken = [b for e in manifest.exports for b in e.broken]
    assert 3 <= len(broken) <= 12
    assert {b.problem for b in broken} == {
        "missing order number",
        "unparseable date",
        "negative quantity",
    }


def test_inbox_holds_the_usual_mess(manifest: DemoManifest) -> None:
    shopee = [e for e in manifest.exports if e.marketplace is Marketplace.SHOPEE]
    tokopedia = [e for e in manifest.exports if e.marketplace is Marketplace.TOKOPEDIA]
    assert all(re.fullmatch(r"Order\.all\.\d{8}_\d{8}\.(xlsx|csv)", e.path.name) for e in shopee)
    assert {e.layout for e in shopee} == {"shopee-2025", "shopee-2026"}
    assert Counter(e.fmt for e in shopee).most_common(1)[0][0] == "xlsx"
    csv_starts = [e.path.read_bytes()[:300] for e in shopee if e.fmt == "csv"]
    assert any(s.startswith(b"\xef\xbb\xbf") for s in csv_starts)
    assert any(s.split(b"\r\n")[0].count(b";") > 10 for s in csv_starts)
    assert len(tokopedia) > 20
    assert all(re.fullmatch(r"Laporan_Penjualan_\d{8}_\d{8}\.xlsx", e.path.name) for e in tokopedia)
    assert all(not (manifest.inbox / shop).exists() for shop in manifest.shops_without_exports)
    assert 4 <= len(manifest.shops_without_exports) <= 20
    assert (manifest.inbox / ORPHAN_FOLDER).is_dir()
    for export in manifest.exports[:20]:
        stamp = export.downloaded_at.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
        assert export.path.stat().st_mtime == stamp.timestamp()


def test_orders_show_every_status_and_many_shapes(manifest: DemoManifest) -> None:
    lines = [line for e in manifest.exports for line in e.lines]
    assert 2000 <= len(lines) <= 6000
    statuses = {(line.status, line.return_status) for line in lines}
    assert {
        ("Selesai", ""),
        ("Selesai", "Permintaan Disetujui"),
        ("Batal", ""),
        ("Belum Bayar", ""),
        ("Perlu Dikirim", ""),
        ("Pesanan Selesai", ""),
        ("Dibatalkan Pembeli", ""),
    } <= statuses
    orders = [o for e in manifest.exports for o in group_by_order(e.lines).values()]
    assert sum(len(o) > 1 for o in orders) > 100  # multi-item orders
    times = {line.created_at for line in lines}
    assert dt.datetime(2026, 8, 31, 23, 59) in times
    assert dt.datetime(2026, 8, 31, 23, 59, 59) in times
    assert dt.datetime(2026, 9, 1, 0, 0) in times
    assert all(line.created_at.date() < TODAY for line in lines)


def test_overlapping_downloads_repeat_orders_with_newer_status(manifest: DemoManifest) -> None:
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    ordered = sorted(manifest.exports, key=lambda e: (e.period[1], e.downloaded_at))
    for export in ordered:
        for order_id, lines in group_by_order(export.lines).items():
            seen[(export.shop_id, order_id)].append(lines[0].status)
    repeated = {key: statuses for key, statuses in seen.items() if len(statuses) > 1}
    assert len(repeated) > 20
    assert any(s[0] == "Perlu Dikirim" and s[-1] == "Selesai" for s in repeated.values())
    latest = manifest.latest_lines()
    assert all(latest[key][0].status == statuses[-1] for key, statuses in repeated.items())
    assert set(latest) == set(seen)


# ------------------------------------------------------------------------------ re-running


def test_rerun_is_deterministic_and_replaces_only_demo_files(
    manifest: DemoManifest, tmp_path: Path
) -> None:
    again_root = tmp_path / "lagi"
    shutil.copytree(manifest.root, again_root)
    own_note = again_root / "inbox" / manifest.exports[0].shop_id / "catatan.txt"
    own_note.write_text("milik staf", encoding="utf-8")

    again = write_demo(again_root, today=TODAY)

    assert again.files == manifest.files
    assert again.mistakes == manifest.mistakes
    assert again.tables == manifest.tables
    assert [(e.path.relative_to(again_root), e.lines) for e in again.exports] == [
        (e.path.relative_to(manifest.root), e.lines) for e in manifest.exports
    ]
    for export in again.exports:  # byte for byte: the ledger's sha256 sees nothing new
        original = manifest.root / export.path.relative_to(again_root)
        assert export.path.read_bytes() == original.read_bytes()
    assert XlsxWorkbook(again.workbook).read_tabs(["Toko"]) == XlsxWorkbook(
        manifest.workbook
    ).read_tabs(["Toko"])
    assert own_note.read_text(encoding="utf-8") == "milik staf"


def test_files_of_an_earlier_run_that_are_no_longer_planned_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / "inbox" / "TK-999" / "Order.all.20200101_20200131.xlsx"
    foreign = tmp_path / "inbox" / "TK-998" / "punya-staf.xlsx"
    for path in (stale, foreign):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"x")
    previous = {Path("inbox/TK-999/Order.all.20200101_20200131.xlsx"), Path("inbox/TK-1/a.csv")}

    remove_previous_demo(tmp_path, previous, keep={Path("inbox/TK-1/a.csv")})

    assert not stale.parent.exists()
    assert foreign.read_bytes() == b"x"


def test_refuses_to_overwrite_files_it_did_not_write(tmp_path: Path) -> None:
    workbook = tmp_path / "data" / "program.xlsx"
    workbook.parent.mkdir()
    workbook.write_bytes(b"workbook of a real programme")
    with pytest.raises(SinkError, match="files the demo did not write"):
        write_demo(tmp_path, today=TODAY)
    assert workbook.read_bytes() == b"workbook of a real programme"
    assert not (tmp_path / "inbox").exists()


# ------------------------------------------------------------------------------ figures


def test_village_figures_agree_with_what_the_readers_make_of_the_files(
    manifest: DemoManifest,
) -> None:
    month = manifest.months[-1]
    villages = registered_shop_villages(manifest)
    files_of: dict[str, list[DemoExport]] = defaultdict(list)
    for export in manifest.exports:
        if export.shop_id in villages:
            files_of[villages[export.shop_id]].append(export)
    village = min((v for v in files_of if len(files_of[v]) >= 3), key=lambda v: len(files_of[v]))

    newest: dict[tuple[str, str], tuple[tuple[object, ...], list[dict[str, object]]]] = {}
    for export in files_of[village]:
        parsed = read_export(export.path)
        assert parsed.period is not None
        rank = (parsed.period[1], export.path.stat().st_mtime)
        for order_id, lines in parsed.lines.groupby("order_id"):
            key = (export.shop_id, str(order_id))
            if key not in newest or newest[key][0] <= rank:
                newest[key] = (rank, lines.to_dict("records"))
    read = Counter()
    for _, lines in newest.values():
        if f"{lines[0]['created_at']:%Y-%m}" != month:
            continue
        read["orders"] += 1
        read[f"{lines[0]['status']}_orders"] += 1
        if lines[0]["status"] == "completed":
            read["units_sold"] += sum(int(line["quantity"]) for line in lines)
            read["sales_idr"] += sum(int(line["line_sales_idr"]) for line in lines)

    expected = village_figures(manifest, month)[village]
    assert {k: v for k, v in expected.items() if v} == dict(read)


def test_village_figures_add_up(manifest: DemoManifest) -> None:
    figures = village_figures(manifest, manifest.months[-1])
    assert 30 <= len(figures) <= 49
    for row in figures.values():
        classes = [v for k, v in row.items() if k.endswith("_orders")]
        assert sum(classes) == row["orders"]
    assert sum(row["sales_idr"] for row in figures.values()) > 10_000_000
    registered = registered_shop_villages(manifest)
    toko = manifest.tables["Toko"]
    error_rows = [m.row for m in manifest.mistakes if m.tab == "Toko" and m.expected == "error"]
    ids = [str(toko[row - 2][0]) for row in error_rows if row is not None]
    duplicated = Counter(str(row[0]) for row in toko)
    assert len(ids) == 3
    for shop_id in ids:
        if duplicated[shop_id] > 1:  # the first row of a duplicated ID still counts
            first = next(row for row in toko if row[0] == shop_id)
            assert registered[shop_id] == first[4]
        else:
            assert shop_id not in registered
    assert "Aik Seruk" not in registered.values()


def test_listing_snapshots_read_back_as_listings(manifest: DemoManifest) -> None:
    """Month-end product lists (Shopee mass update, TikTok Shop product list) feed products KPIs."""
    from sheetsync.marketplaces import read_export

    assert len(manifest.listings) > 50
    grows: dict[str, list[int]] = {}
    for shop_id, path, _day, product_ids in manifest.listings:
        parsed = read_export(path)
        assert parsed.kind == "listings", (path, [i.message for i in parsed.issues])
        assert set(parsed.lines["product_id"]) == set(product_ids)
        grows.setdefault(shop_id, []).append(len(product_ids))
    assert all(counts == sorted(counts) for counts in grows.values())
    assert {p.name.split("_")[0] for _s, p, _d, _i in manifest.listings} == {
        "mass",
        "Products Card List",
    }


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
