"""Ingest: new files once, one transaction each, the inbox never touched, no buyer data kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from sheetsync.errors import SourceError
from sheetsync.ingest import ingest_inbox, ingest_paths
from sheetsync.issues import Issue, Severity
from sheetsync.ledger import Ledger
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.model import Marketplace

NOW = dt.datetime(2026, 9, 2, 6, 0)
READS: list[str] = []  # names the stub reader was asked to read (sequential runs only)


def stub_reader(path: Path, *, display_name: str | None = None) -> ParsedExport:
    """A tiny stand-in for marketplaces.read_export: lines `order;status;YYYY-MM-DD HH:MM;qty`.

    A file starting with REJECT is rejected; one starting with CRASH makes the reader fail.
    """
    READS.append(display_name or path.name)
    text = path.read_text(encoding="utf-8")
    source = display_name or path.name
    if text.startswith("CRASH"):
        raise RuntimeError("reader bug")
    if text.startswith("EXIT"):  # only ever read in a worker process
        os._exit(3)
    if text.startswith("REJECT"):
        issue = Issue("layout_unknown", Severity.ERROR, source, None, None, None,
                      "Format file tidak dikenal.")  # fmt: skip
        return ParsedExport("rejected", "", None, pd.DataFrame(), issues=[issue])
    rows = [line.split(";") for line in text.splitlines() if line.strip()]
    return ParsedExport("orders", "stub", Marketplace.SHOPEE, _frame(rows), rows_read=len(rows))


def _frame(rows: list[list[str]]) -> pd.DataFrame:
    quantity = [int(r[3]) for r in rows]
    return pd.DataFrame(
        {
            "marketplace": "shopee",
            "order_id": [r[0] for r in rows],
            "line_no": 1,
            "product_id": "",
            "product_name": "Kopi",
            "variation": "",
            "quantity": quantity,
            "unit_price_idr": 10_000,
            "line_sales_idr": [10_000 * q for q in quantity],
            "status_raw": "Selesai",
            "return_status_raw": "",
            "status": [r[1] for r in rows],
            "created_at": pd.to_datetime([r[2] for r in rows], errors="coerce"),
            "source_row": list(range(2, len(rows) + 2)),
        }
    )


def export_text(prefix: str, count: int, status: str = "completed") -> str:
    return "".join(f"{prefix}{i};{status};2026-08-{1 + i % 28:02d} 10:00;1\n" for i in range(count))


def put(inbox: Path, relative: str, text: str) -> Path:
    path = inbox / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    put(root, "TK-001/Order.all.20260801_20260831.csv", export_text("A", 5))
    put(root, "TK-001/older/part.csv", export_text("B", 3))
    put(root, "TK-002/orders.csv", export_text("C", 4))
    return root


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger.open(tmp_path / "data" / "ledger.sqlite") as opened:
        yield opened


def ingest(inbox: Path, ledger: Ledger, **kw):
    READS.clear()
    kw.setdefault("workers", 1)
    return ingest_inbox(inbox, ledger, reader=stub_reader, now=NOW, **kw)


def test_new_files_are_imported_once(inbox: Path, ledger: Ledger) -> None:
    first = ingest(inbox, ledger, known_shops={"TK-001", "TK-002"})
    assert (first.files_seen, first.files_imported, first.files_skipped) == (3, 3, 0)
    assert first.lines == 12 and first.months == {"2026-08"}
    assert first.issues == []
    assert ledger.line_count() == 12
    shops = ledger.order_lines_for_months(["2026-08"]).groupby("shop_id").size().to_dict()
    assert shops == {"TK-001": 8, "TK-002": 4}

    again = ingest(inbox, ledger, known_shops={"TK-001", "TK-002"})
    assert (again.files_imported, again.files_skipped, again.lines) == (0, 3, 0)
    assert READS == []  # nothing read again
    assert ledger.line_count() == 12


def test_the_same_bytes_under_another_name_are_skipped(inbox: Path, ledger: Ledger) -> None:
    ingest(inbox, ledger)
    shutil.copy(inbox / "TK-002/orders.csv", inbox / "TK-002/orders (1).csv")
    summary = ingest(inbox, ledger)
    assert (summary.files_imported, summary.files_skipped) == (0, 4)
    assert ledger.line_count() == 12


def test_a_copy_in_another_shop_folder_counts_once_with_a_warning(
    inbox: Path, ledger: Ledger
) -> None:
    ingest(inbox, ledger, known_shops={"TK-001", "TK-002"})
    shutil.copy(inbox / "TK-002/orders.csv", inbox / "TK-001/orders.csv")
    summary = ingest(inbox, ledger, known_shops={"TK-001", "TK-002"})
    assert [i.code for i in summary.issues] == ["ingest.same_file_other_shop"]
    assert "TK-002" in summary.issues[0].message
    assert ledger.line_count() == 12


def test_identical_new_files_in_one_run_are_read_once(tmp_path: Path, ledger: Ledger) -> None:
    root = tmp_path / "inbox"
    put(root, "TK-001/a.csv", export_text("A", 2))
    put(root, "TK-001/b.csv", export_text("A", 2))
    summary = ingest(root, ledger)
    assert (summary.files_imported, summary.files_skipped) == (1, 1)
    assert READS == ["TK-001/a.csv"]


def test_a_rejected_file_is_retried_only_after_it_changes(inbox: Path, ledger: Ledger) -> None:
    bad = put(inbox, "TK-001/notes.csv", "REJECT this\n")
    first = ingest(inbox, ledger)
    assert first.files_rejected == 1
    assert [i.code for i in first.issues] == ["layout_unknown"]
    (record,) = ledger.files(status="rejected")
    assert record.source == "TK-001/notes.csv" and "tidak dikenal" in record.message

    unchanged = ingest(inbox, ledger)
    assert (unchanged.files_rejected, unchanged.files_still_rejected) == (0, 1)
    assert READS == []

    bad.write_text(export_text("R", 2), encoding="utf-8")
    fixed = ingest(inbox, ledger)
    assert (fixed.files_imported, fixed.files_still_rejected) == (1, 0)
    assert READS == ["TK-001/notes.csv"]
    assert ledger.line_count() == 14


def test_a_file_rejected_by_an_older_sheetsync_is_read_again(
    inbox: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sheetsync.ingest.run as ingest_module
    import sheetsync.ledger.files as ledger_module

    put(inbox, "TK-001/new-layout.csv", "REJECT for now\n")
    monkeypatch.setattr(ledger_module, "__version__", "0.0.1")
    assert ingest(inbox, ledger).files_rejected == 1
    monkeypatch.setattr(ledger_module, "__version__", "0.0.2")
    monkeypatch.setattr(ingest_module, "__version__", "0.0.2")
    again = ingest(inbox, ledger)
    assert READS == ["TK-001/new-layout.csv"] and again.files_rejected == 1
    (record,) = ledger.files(status="rejected")  # the new result replaced the old one
    assert record.reader_version == "0.0.2" and len(ledger.file_issues(record.id)) == 1
    assert ingest(inbox, ledger).files_still_rejected == 1 and READS == []


def test_the_inbox_is_byte_for_byte_unchanged(inbox: Path, ledger: Ledger) -> None:
    put(inbox, "TK-002/bad.csv", "REJECT\n")
    put(inbox, "TK-002/crash.csv", "CRASH\n")
    put(inbox, "TK-003/~$Order.xlsx", "lock")
    put(inbox, "loose.csv", export_text("L", 1))

    def snapshot() -> dict[str, tuple[str, int]]:
        """Every entry with its content hash (files) and mtime: nothing added or removed."""
        return {
            str(p.relative_to(inbox)): (
                hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir",
                p.stat().st_mtime_ns,
            )
            for p in sorted(inbox.rglob("*"))
        }

    before = snapshot()
    ingest(inbox, ledger)
    ingest(inbox, ledger, workers=2)
    assert snapshot() == before


def test_hidden_lock_and_partial_files_are_never_read(inbox: Path, ledger: Ledger) -> None:
    for name in ("~$Order.xlsx", ".~lock.Order.xlsx#", ".hidden.csv", "Order.xlsx.crdownload"):
        put(inbox, f"TK-001/{name}", "CRASH\n")
    put(inbox, "TK-001/.git/config.csv", "CRASH\n")
    summary = ingest(inbox, ledger)
    assert summary.files_seen == 3 and summary.files_failed == 0
    assert all("~" not in r and ".hidden" not in r for r in READS)


def test_a_file_outside_any_shop_folder_is_reported_not_imported(
    inbox: Path, ledger: Ledger
) -> None:
    put(inbox, "Order.all.csv", export_text("Z", 2))
    summary = ingest(inbox, ledger)
    assert [i.code for i in summary.issues] == ["ingest.outside_shop_folder"]
    assert summary.files_imported == 3


def test_an_unknown_shop_folder_is_imported_and_flagged(inbox: Path, ledger: Ledger) -> None:
    summary = ingest(inbox, ledger, known_shops={"TK-001"})
    (issue,) = summary.issues
    assert (issue.code, issue.severity, issue.value) == (
        "ingest.unknown_shop_folder",
        Severity.WARNING,
        "TK-002",
    )
    assert "tab Toko" in issue.message
    assert summary.files_imported == 3


def test_a_folder_matches_its_shop_ignoring_case_and_spaces(tmp_path: Path, ledger: Ledger) -> None:
    root = tmp_path / "inbox"
    put(root, "tk-001 /a.csv", export_text("A", 2))
    summary = ingest(root, ledger, known_shops={"TK-001"})
    assert summary.issues == []
    assert set(ledger.order_lines_for_months(["2026-08"])["shop_id"]) == {"TK-001"}


def test_a_renamed_shop_folder_moves_its_lines_to_the_known_shop(
    tmp_path: Path, ledger: Ledger
) -> None:
    root = tmp_path / "inbox"
    put(root, "TK-0O1/a.csv", export_text("A", 2))  # a typo: letter O for zero
    ingest(root, ledger, known_shops={"TK-001"})
    (root / "TK-0O1").rename(root / "TK-001")
    summary = ingest(root, ledger, known_shops={"TK-001"})
    assert summary.issues == [] and summary.files_skipped == 1
    assert set(ledger.order_lines_for_months(["2026-08"])["shop_id"]) == {"TK-001"}
    assert ledger.files()[0].shop_id == "TK-001"


def test_a_reader_crash_is_an_issue_and_is_retried(inbox: Path, ledger: Ledger) -> None:
    put(inbox, "TK-002/crash.csv", "CRASH\n")
    first = ingest(inbox, ledger)
    assert (first.files_imported, first.files_failed) == (3, 1)
    assert [i.code for i in first.issues] == ["ingest.read_failed"]
    assert "RuntimeError" in first.issues[0].message
    assert ledger.file_by_hash(hashlib.sha256(b"CRASH\n").hexdigest()) is None
    second = ingest(inbox, ledger)
    assert second.files_failed == 1 and READS == ["TK-002/crash.csv"]


def test_a_vanished_file_is_an_issue_for_this_run(inbox: Path, ledger: Ledger) -> None:
    (inbox / "TK-001" / "gone.csv").symlink_to(inbox / "nowhere.csv")
    summary = ingest(inbox, ledger)
    assert [i.code for i in summary.issues] == ["ingest.unreadable_file"]
    assert (summary.files_imported, summary.files_failed) == (3, 1)


def test_a_dying_worker_fails_its_files_for_this_run_only(tmp_path: Path, ledger: Ledger) -> None:
    root = tmp_path / "inbox"
    for shop in range(5):
        put(root, f"TK-{shop:03d}/orders.csv", export_text(f"S{shop}-", 2))
    put(root, "TK-000/a-dies.csv", "EXIT\n")
    summary = ingest(root, ledger, workers=2)
    assert summary.files_failed >= 1
    assert summary.files_imported + summary.files_failed == 6
    assert {i.code for i in summary.issues} == {"ingest.read_failed"}
    (root / "TK-000/a-dies.csv").unlink()
    retry = ingest(root, ledger, workers=1)
    assert retry.files_imported + summary.files_imported == 5
    assert ledger.line_count() == 10


def test_unstorable_lines_become_row_issues(tmp_path: Path, ledger: Ledger) -> None:
    root = tmp_path / "inbox"
    text = "A1;completed;2026-08-01 10:00;1\n;completed;2026-08-01 10:00;1\n"
    text += (
        "A3;completed;not a date;1\nA4;completed;2026-08-01 10:00;-2\nA5;weird;2026-08-01 10:00;1\n"
    )
    put(root, "TK-001/a.csv", text)
    summary = ingest(root, ledger)
    assert summary.lines == 1
    assert summary.rejected_rows == {"ingest.unstorable_line": 4}
    assert summary.rows_rejected == 4 and summary.rejected_by_reason == summary.rejected_rows
    assert sorted(i.row for i in summary.issues) == [3, 4, 5, 6]
    assert ledger.files()[0].rejected_rows == 4


def test_a_failure_mid_import_leaves_nothing_of_that_file(
    inbox: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sheetsync.ledger.files as ledger_module

    real = ledger_module._insert_issues

    def fail_for_tk002(conn, file_id, issues):  # lines of the file are already written
        if (
            conn.execute("SELECT shop_id FROM files WHERE id = ?", (file_id,)).fetchone()[0]
            == "TK-002"
        ):
            raise ValueError("disk hiccup")
        real(conn, file_id, issues)

    monkeypatch.setattr(ledger_module, "_insert_issues", fail_for_tk002)
    summary = ingest(inbox, ledger)
    assert (summary.files_imported, summary.files_failed) == (2, 1)
    assert [i.code for i in summary.issues] == ["ingest.store_failed"]
    lines = ledger.order_lines_for_months(["2026-08"])
    assert set(lines["shop_id"]) == {"TK-001"} and len(lines) == 8
    assert all(r.shop_id == "TK-001" for r in ledger.files())

    monkeypatch.setattr(ledger_module, "_insert_issues", real)
    retry = ingest(inbox, ledger)
    assert (retry.files_imported, retry.files_skipped) == (1, 2)
    assert ledger.line_count() == 12


def test_workers_give_the_same_ledger_as_one_process(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    for shop in range(6):
        put(root, f"TK-{shop:03d}/orders.csv", export_text(f"S{shop}-", 3 + shop))
    frames = []
    for workers in (1, 2, None):
        with Ledger.open(tmp_path / f"l{workers}.sqlite") as ledger:
            summary = ingest_inbox(root, ledger, reader=stub_reader, workers=workers, now=NOW)
            assert summary.files_imported == 6
            frames.append(ledger.order_lines_for_months(["2026-08"]))
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])


@pytest.mark.parametrize(
    ("workers", "cores", "processes"),
    [(None, 2, 2), (None, 1, 1), (None, 8, 4), (1, 8, 0), (0, 2, 0), (3, 2, 3)],
)
def test_reader_processes_use_every_usable_core_the_writer_only_stores_blobs(
    workers: int | None, cores: int, processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sheetsync.ingest import read, reader_processes

    monkeypatch.setattr(read, "usable_cores", lambda: cores)
    assert reader_processes(workers) == processes


def test_progress_is_reported_per_file(inbox: Path, ledger: Ledger) -> None:
    seen: list[tuple[str, int, int]] = []
    ingest(inbox, ledger, progress=lambda what, done, total: seen.append((what, done, total)))
    assert [(d, t) for _, d, t in seen] == [(1, 3), (2, 3), (3, 3)]
    assert seen[0][0] == "TK-001/Order.all.20260801_20260831.csv"


def test_a_missing_inbox_imports_nothing_and_a_file_inbox_is_an_error(
    tmp_path: Path, ledger: Ledger
) -> None:
    assert ingest(tmp_path / "nowhere", ledger).files_seen == 0
    (tmp_path / "file").write_text("x")
    with pytest.raises(SourceError):
        ingest(tmp_path / "file", ledger)


def test_ingest_paths_with_a_shop_or_by_parent_folder(tmp_path: Path, ledger: Ledger) -> None:
    downloads = tmp_path / "Downloads"
    put(downloads, "march/a.csv", export_text("A", 2))
    lone = put(tmp_path, "TK-009/b.csv", export_text("B", 1))
    with_shop = ingest_paths([downloads], ledger, shop_id="TK-005", reader=stub_reader, now=NOW)
    by_parent = ingest_paths([lone], ledger, reader=stub_reader, now=NOW)
    assert (with_shop.files_imported, by_parent.files_imported) == (1, 1)
    shops = ledger.order_lines_for_months(["2026-08"]).groupby("shop_id").size().to_dict()
    assert shops == {"TK-005": 2, "TK-009": 1}
    assert ledger.files()[0].source == str(downloads / "march/a.csv")
    with pytest.raises(SourceError):
        ingest_paths([tmp_path / "missing.csv"], ledger, reader=stub_reader, now=NOW)


def test_stat_cache_avoids_rehashing_unchanged_files(
    inbox: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sheetsync.ingest.run as ingest_module

    ingest(inbox, ledger)
    hashed: list[Path] = []
    real = ingest_module.file_sha256
    monkeypatch.setattr(ingest_module, "file_sha256", lambda p: hashed.append(p) or real(p))
    ingest(inbox, ledger)
    assert hashed == []
    changed = inbox / "TK-002/orders.csv"
    changed.write_text(export_text("C", 6), encoding="utf-8")
    os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 10**9))
    summary = ingest(inbox, ledger)
    assert hashed == [changed] and summary.files_imported == 1


# --------------------------------------------------------------------------- real exports


def buyer_lines():
    exports = pytest.importorskip("sheetsync.demo.exports")
    return [
        exports.OrderLineSpec(
            order_id=f"2608{i:02d}QTB2PY2Q",
            status="Selesai",
            created_at=dt.datetime(2026, 8, 3 + i, 10, 15),
            product_name=f"Keripik Pedas {i}",
            quantity=1 + i % 3,
            unit_price_idr=37_200,
            buyer_name=f"Sutrisnowati Rahayuningsih {i}",
            buyer_username=f"rahayu_qwerty_{i}",
            buyer_phone=f"62812987654{i:02d}",
            buyer_address=f"Jl. Kenanga Wangi No. {i}7, Desa Aik Rusa Berehun",
        )
        for i in range(6)
    ]


def stored_lines_uncompressed(ledger_path: Path) -> bytes:
    """Every stored order-line blob, decompressed, so a grep sees what it holds."""
    from sheetsync.ledger.linestore import STORED_COLUMNS, unpack_columns

    db = sqlite3.connect(ledger_path)
    blobs = [row[0] for row in db.execute("SELECT data FROM order_blobs")]
    db.close()
    texts = []
    for blob in blobs:
        table = unpack_columns(blob, STORED_COLUMNS)
        texts += [str(v) for column in table.columns for v in column.to_pylist()]
    return "\n".join(texts).encode("utf-8") + "\n".join(texts).encode("utf-16-le")


def test_no_buyer_data_reaches_the_ledger_file(tmp_path: Path) -> None:
    exports = pytest.importorskip("sheetsync.demo.exports")
    lines = buyer_lines()
    root = tmp_path / "inbox"
    exports.write_shopee_orders(root / "TK-001/Order.all.20260801_20260831.xlsx", lines)
    exports.write_shopee_orders(root / "TK-002/orders.csv", lines, fmt="csv", layout="2026")
    exports.write_tokopedia_orders(root / "TK-003/penjualan.xlsx", lines)
    ledger_path = tmp_path / "data/ledger.sqlite"
    with Ledger.open(ledger_path) as ledger:
        summary = ingest_inbox(root, ledger, now=NOW, workers=1)
        assert summary.files_imported == 3 and summary.lines == 18
        files = sorted(ledger_path.parent.glob("ledger.sqlite*"))  # the db, -wal and -shm
        raw = b"".join(p.read_bytes() for p in files)
    raw += b"".join(p.read_bytes() for p in ledger_path.parent.glob("ledger.sqlite*"))
    raw += stored_lines_uncompressed(ledger_path)  # order lines sit in compressed blobs
    assert b"Keripik Pedas 1" in raw  # the grep does find what is stored
    for line in lines:
        for value in (line.buyer_name, line.buyer_username, line.buyer_phone, line.buyer_address):
            for encoding in ("utf-8", "utf-16-le"):
                assert value.encode(encoding) not in raw, value


def test_real_exports_of_every_kind_land_in_the_ledger(tmp_path: Path) -> None:
    exports = pytest.importorskip("sheetsync.demo.exports")
    lines = buyer_lines()
    root = tmp_path / "inbox"
    exports.write_shopee_zip(root / "TK-001/Order.all.20260801_20260831.zip", lines, parts=2)
    exports.write_tiktok_orders(root / "TK-002/tiktok.csv", lines, fmt="csv")
    products = [exports.ProductSpec("2000", "Gula Aren"),
                exports.ProductSpec("2001", "=Kopi Luwak"),
                exports.ProductSpec("2002", "Teh Hijau")]  # fmt: skip
    listing = exports.write_shopee_mass_update(root / "TK-001/mass_update_info.xlsx", products)
    taken = dt.datetime(2026, 8, 31, 20, 0, tzinfo=ZoneInfo("Asia/Jakarta")).timestamp()
    os.utime(listing, (taken, taken))  # the snapshot's day is its file's time, in programme time
    from sheetsync.marketplaces import read_export

    expected_listing = read_export(listing).lines  # what the reader gives is what is kept
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        summary = ingest_inbox(root, ledger, now=NOW, workers=1)
        assert (summary.files_imported, summary.files_rejected) == (3, 0), summary.issues
        assert summary.lines == 12 and summary.listing_lines == len(expected_listing) > 0
        orders = ledger.order_lines_for_months(["2026-08"])
        listings = ledger.listing_snapshots(until_month="2026-08")
    by_shop = orders.groupby("shop_id")["order_id"].nunique().to_dict()
    assert by_shop == {"TK-001": 6, "TK-002": 6}
    zipped = orders[orders["shop_id"] == "TK-001"]
    assert zipped["source_row"].min() >= 2 and zipped["file_id"].nunique() == 1
    assert listings["product_name"].tolist() == expected_listing["product_name"].tolist()
    assert "=Kopi Luwak" in set(listings["product_name"])  # formula-like text stays text
    assert listings["source_row"].tolist() == expected_listing["source_row"].tolist()


KILL_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    import sheetsync.ledger.files as ledger_module
    from sheetsync.ingest import ingest_inbox
    from sheetsync.ledger import Ledger
    from test_ingest_run import stub_reader, NOW

    real = ledger_module._insert_order_lines

    def dying(conn, file_id, packed):
        real(conn, file_id, packed)
        shop = conn.execute("SELECT shop_id FROM files WHERE id = ?", (file_id,)).fetchone()[0]
        if shop == "TK-002":  # the file row and its lines are written, not yet committed ...
            os.kill(os.getpid(), signal.SIGKILL)  # ... when the process is killed

    ledger_module._insert_order_lines = dying
    with Ledger.open(Path({ledger!r})) as ledger:
        ingest_inbox(Path({inbox!r}), ledger, reader=stub_reader, now=NOW, workers=1)
    """
)


def test_sigkill_during_an_import_loses_nothing_on_restart(inbox: Path, tmp_path: Path) -> None:
    killed = tmp_path / "killed.sqlite"
    script = KILL_SCRIPT.format(
        tests=str(Path(__file__).parent), ledger=str(killed), inbox=str(inbox)
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    with Ledger.open(killed) as ledger:
        assert ledger.integrity_ok()
        assert {r.shop_id for r in ledger.files()} == {"TK-001"}
        assert ledger.line_count() == 8
        ingest_inbox(inbox, ledger, reader=stub_reader, now=NOW, workers=1)
        after_restart = ledger.order_lines_for_months(["2026-08"])
    with Ledger.open(tmp_path / "clean.sqlite") as clean:
        ingest_inbox(inbox, clean, reader=stub_reader, now=NOW, workers=1)
        uninterrupted = clean.order_lines_for_months(["2026-08"])
    pd.testing.assert_frame_equal(after_restart, uninterrupted)


def test_every_zero_byte_file_gets_its_own_message(inbox: Path, ledger: Ledger) -> None:
    """All empty files share one sha256: none may hide behind another as "already seen"."""
    put(inbox, "TK-001/kosong.csv", "")
    put(inbox, "TK-002/juga-kosong.xlsx", "")
    for _ in range(2):  # on every run, not only the first
        summary = ingest(inbox, ledger)
        empty = sorted(i.source for i in summary.issues if i.code == "file_empty")
        assert empty == ["TK-001/kosong.csv", "TK-002/juga-kosong.xlsx"]
        assert all("kosong" in i.message for i in summary.issues if i.code == "file_empty")
    assert not any("kosong" in r.source for r in ledger.files())  # so the next run says it again


def test_a_file_name_that_is_not_utf8_is_imported(tmp_path: Path, ledger: Ledger) -> None:
    root = tmp_path / "inbox"
    put(root, "TK-001/x.csv", export_text("X", 1))
    odd = os.fsencode(root / "TK-001") + b"/Pesanan Bu \xe9lis.csv"  # Windows-1252 bytes
    with open(odd, "w", encoding="utf-8") as handle:
        handle.write(export_text("A", 2))
    summary = ingest(root, ledger)
    assert summary.files_imported == 2, summary.issues
    assert "TK-001/Pesanan Bu \ufffdlis.csv" in {r.source for r in ledger.files()}
    assert ingest(root, ledger).files_skipped == 2


# --------------------------------------------------------------------------- hashed by readers


def _figures(summary) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return (summary.files_seen, summary.files_imported, summary.files_skipped,
            summary.files_rejected, summary.files_still_rejected, summary.files_failed,
            summary.lines)  # fmt: skip


def _scenario(root: Path, ledger: Ledger, workers: int) -> list[object]:
    """Three runs: new files; copies, twins, a rejected copy and an empty file; nothing new."""
    for shop in range(4):
        put(root, f"TK-{shop:03d}/orders.csv", export_text(f"S{shop}-", 2 + shop))
    put(root, "TK-001/bad.csv", "REJECT\n")
    shops = {"TK-000", "TK-001"}
    runs = [ingest(root, ledger, workers=workers, known_shops=shops)]
    put(root, "TK-000/copy of 1.csv", export_text("S1-", 3))  # TK-001's bytes: a warning
    put(root, "TK-002/twin-a.csv", export_text("T", 2))
    put(root, "TK-002/twin-b.csv", export_text("T", 2))  # one run, the same new bytes
    put(root, "TK-003/empty.csv", "")
    shutil.copy(root / "TK-001/bad.csv", root / "TK-002/bad again.csv")
    runs.append(ingest(root, ledger, workers=workers, known_shops=shops))
    runs.append(ingest(root, ledger, workers=workers, known_shops=shops))
    issues = [sorted((i.code, i.source, i.message) for i in run.issues) for run in runs]
    sources = sorted(f.source for f in ledger.files())
    return [[_figures(run) for run in runs], issues, sources, ledger.line_count()]


def test_files_hashed_by_reader_processes_are_sorted_out_as_by_the_writer(
    tmp_path: Path,
) -> None:
    """With reader processes a new file is hashed where it is read; copies, files already
    imported, rejected ones and empty ones are counted exactly as when the writer hashes."""
    results = []
    for workers in (1, 2):
        with Ledger.open(tmp_path / f"l{workers}.sqlite") as ledger:
            results.append(_scenario(tmp_path / f"w{workers}" / "inbox", ledger, workers))
    alone, readers = results
    assert alone[0] == [(5, 4, 0, 1, 0, 0, 14), (10, 1, 6, 1, 2, 0, 2), (10, 0, 7, 1, 2, 0, 0)]
    assert any("same_file_other_shop" in code for code, _, _ in alone[1][1])
    assert readers[1:] == alone[1:] and readers[0] == alone[0]


def test_reader_processes_remember_what_they_hashed(
    inbox: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(inbox, "TK-003/more.csv", export_text("D", 2))
    first = ingest(inbox, ledger, workers=2)
    assert first.files_imported == 4
    import sheetsync.ingest.read as read_module
    import sheetsync.ingest.run as run_module

    def no_hashing(path: Path) -> str:
        raise AssertionError(f"{path} hashed again")

    monkeypatch.setattr(run_module, "file_sha256", no_hashing)
    monkeypatch.setattr(read_module, "file_sha256", no_hashing)
    again = ingest(inbox, ledger, workers=2)
    assert (again.files_imported, again.files_skipped) == (0, 4)


def test_a_file_a_reader_process_cannot_open_is_an_issue_for_this_run(
    inbox: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sheetsync.ingest.read as read_module

    put(inbox, "TK-003/locked.csv", export_text("D", 2))
    real = read_module.file_sha256

    def hashing(path: Path) -> str:
        if path.name == "locked.csv":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(read_module, "file_sha256", hashing)  # forked reader processes too
    summary = ingest(inbox, ledger, workers=2)
    assert [i.code for i in summary.issues] == ["ingest.unreadable_file"]
    assert (summary.files_imported, summary.files_failed) == (3, 1)
    monkeypatch.setattr(read_module, "file_sha256", real)
    assert ingest(inbox, ledger, workers=2).files_imported == 1
