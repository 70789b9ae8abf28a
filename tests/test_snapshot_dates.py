"""Listing snapshots and order exports are dated by the marketplace (the file name), never
by the mtime a copy changes; the mtime fallback is read in the programme's time zone."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheetsync.demo import exports as ex
from sheetsync.ingest import ingest_inbox
from sheetsync.kpi.measures import shop_month_products
from sheetsync.ledger import Ledger
from sheetsync.lineage import explain_figure
from sheetsync.model import Marketplace, Registry, Shop, Village

WIB = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 3, 2, 12, 0)
PRODUCTS = [
    ex.ProductSpec("2001", "Kopi Bubuk", "1", "250 g", "KOP", "KOP-250", 37_200, 5),
    ex.ProductSpec("2001", "Kopi Bubuk", "2", "500 g", "KOP", "KOP-500", 70_000, 2),
    ex.ProductSpec("2002", "Teh Melati", "3", "", "TEH", "TEH-1", 9_500, 12),
    ex.ProductSpec("2003", "Gula Aren", "4", "", "GUL", "GUL-1", 25_000, 0),
]


def copied_on(path: Path, moment: dt.datetime) -> None:
    """What a copy by Drive, WhatsApp or a USB stick does: a new modification time."""
    stamp = moment.replace(tzinfo=WIB).timestamp()
    os.utime(path, (stamp, stamp))


def ingest(inbox: Path, ledger: Ledger) -> None:
    summary = ingest_inbox(inbox, ledger, now=NOW, workers=1, tz=WIB)
    assert summary.files_rejected == 0 and summary.files_failed == 0, summary.issues


def products_by_month(ledger: Ledger) -> dict[tuple[str, str], int]:
    frame = shop_month_products(ledger.listing_snapshots(), ["2026-02", "2026-03"])
    return {(r.shop_id, r.month): int(r.products_live) for r in frame.itertuples()}


def test_a_february_end_snapshot_copied_in_march_keeps_february_figures(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    stamped = inbox / "TK-001" / "mass_update_sales_info_123456_20260228213000.xlsx"
    copied_on(ex.write_shopee_mass_update(stamped, PRODUCTS), dt.datetime(2026, 3, 2, 9, 15))
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ingest(inbox, ledger)
        assert products_by_month(ledger) == {("TK-001", "2026-02"): 3}
        (record,) = ledger.files()
        assert (record.dated_at, record.date_source) == ("2026-02-28 21:30:00", "name")
        registry = Registry((), (), ())
        rows = explain_figure(ledger, registry, "2026-02", level="shop", key="TK-001",
                              metric="products_live")  # fmt: skip
        assert not explain_figure(ledger, registry, "2026-03", level="shop", key="TK-001",
                                  metric="products_live")  # fmt: skip
    assert sorted(r["id_produk"] for r in rows) == ["2001", "2002", "2003"]
    assert {r["tanggal_snapshot"] for r in rows} == {"2026-02-28 21:30:00"}
    assert {r["sumber_tanggal"] for r in rows} == {"waktu ekspor di nama file"}


def test_without_a_stamp_in_the_name_the_mtime_decides_and_explain_says_so(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    plain = ex.write_shopee_mass_update(inbox / "TK-002" / "daftar produk.xlsx", PRODUCTS)
    copied_on(plain, dt.datetime(2026, 3, 2, 9, 15))
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ingest(inbox, ledger)
        assert products_by_month(ledger) == {("TK-002", "2026-03"): 3}
        rows = explain_figure(ledger, Registry((), (), ()), "2026-03", level="shop",
                              key="TK-002", metric="products_live")  # fmt: skip
    assert {r["sumber_tanggal"] for r in rows} == {
        "waktu ubah file (nama file tanpa tanggal; berubah bila file disalin)"
    }


@pytest.mark.parametrize("machine_tz", ["UTC", "Asia/Jakarta", "America/New_York"])
def test_the_mtime_fallback_is_programme_time_whatever_the_machine_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, machine_tz: str
) -> None:
    """2026-02-28 17:30 UTC is already 1 March 00:30 in the programme (WIB)."""
    monkeypatch.setenv("TZ", machine_tz)
    inbox = tmp_path / "inbox"
    plain = ex.write_tiktok_products(inbox / "TK-003" / "produk.xlsx", PRODUCTS)
    moment = dt.datetime(2026, 2, 28, 17, 30, tzinfo=dt.UTC).timestamp()
    os.utime(plain, (moment, moment))
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ingest(inbox, ledger)
        (record,) = ledger.files()
        assert (record.dated_at, record.date_source) == ("2026-03-01 00:30:00", "mtime")
        assert products_by_month(ledger) == {("TK-003", "2026-03"): 3}


def order_lines(status: str) -> list[ex.OrderLineSpec]:
    return [
        ex.OrderLineSpec("577123456789012345", status, dt.datetime(2026, 2, 20, 10, 0),
                         "Kopi Bubuk", 2, 37_200),
    ]  # fmt: skip


def test_order_exports_are_ranked_by_the_export_time_in_their_names(tmp_path: Path) -> None:
    """The newer export arrives first (it was sent by WhatsApp, the older one came later
    on a USB stick): the name, not the arrival, says which snapshot is newer."""
    inbox = tmp_path / "inbox"
    newer = inbox / "TK-004" / "Semua pesanan-2026-02-27-08_10.xlsx"
    older = inbox / "TK-004" / "Semua pesanan-2026-02-21-19_45.xlsx"
    ex.write_tiktok_orders(newer, order_lines("Dikirim"))
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ingest(inbox, ledger)
        ex.write_tiktok_orders(older, order_lines("Perlu dikirim"))
        copied_on(older, dt.datetime(2026, 3, 2, 9, 0))
        ingest(inbox, ledger)
        ranks = ledger.file_ranks()
        by_name = {Path(r.source).name: r for r in ledger.files()}
        lines = ledger.order_lines_for_months(["2026-02"])
    assert ranks[by_name[older.name].id] < ranks[by_name[newer.name].id]
    assert by_name[newer.name].dated_at == "2026-02-27 08:10:00"
    newest = lines.sort_values("file_rank").iloc[-1]
    assert newest["status_raw"] == "Dikirim"


def test_explain_says_which_order_export_is_newer_and_why(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    ex.write_tiktok_orders(inbox / "TK-004" / "Semua pesanan-2026-02-27-08_10.xlsx",
                           order_lines("Selesai"))  # fmt: skip
    ex.write_tiktok_orders(inbox / "TK-004" / "pesanan lama.xlsx", order_lines("Dikirim"))
    copied_on(inbox / "TK-004" / "pesanan lama.xlsx", dt.datetime(2026, 2, 22, 7, 0))
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ingest(inbox, ledger)
        registry = Registry(
            (Village("V1", "Desa Satu", "Kec"),),
            (),
            (Shop("TK-004", Marketplace.TIKTOK, "TK-004", "", "V1", "D1", None),),
        )
        rows = explain_figure(ledger, registry, "2026-02", level="shop", key="TK-004",
                              metric="orders")  # fmt: skip
    dated = {(r["dihitung"], r["tanggal_file"], r["sumber_tanggal"]) for r in rows}
    assert dated == {
        (True, "2026-02-27 08:10:00", "waktu ekspor di nama file"),
        (False, "2026-02-22 07:00:00",
         "waktu ubah file (nama file tanpa tanggal; berubah bila file disalin)"),
    }  # fmt: skip
