"""The demo's inbox: orders, downloads, broken rows and listings are what its manifest says."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from demo_oracle import latest_lines
from demo_samples import TODAY

from sheetsync.demo import DemoExport, DemoManifest
from sheetsync.demo.breakage import ORPHAN_FOLDER
from sheetsync.demo.exports import group_by_order
from sheetsync.marketplaces import read_export
from sheetsync.model import Marketplace


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
    latest = latest_lines(manifest.exports)
    assert all(latest[key][0].status == statuses[-1] for key, statuses in repeated.items())
    assert set(latest) == set(seen)


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
