"""The SQLite ledger: one transaction per file, migrations with backups, queries, lineage."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.errors import LedgerError
from sheetsync.issues import Issue, Severity
from sheetsync.ledger import MIGRATIONS, SCHEMA_VERSION, FileMeta, Ledger
from sheetsync.ledger.sendlog import SendLog, SendRecord, SendResult
from sheetsync.lineage import explain_figure
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.model import ORDER_LINE_COLUMNS, Marketplace, Registry, Shop, Village
from sheetsync.runlog import RunRecord

IMPORTED_AT = dt.datetime(2026, 9, 2, 6, 0)


def lines_frame(
    orders: list[tuple[str, str, dt.datetime]], *, quantity: int = 2, price: int = 37_200
) -> pd.DataFrame:
    """Canonical order lines: one line per (order_id, status, created_at)."""
    n = len(orders)
    return pd.DataFrame(
        {
            "marketplace": ["shopee"] * n,
            "order_id": [o[0] for o in orders],
            "line_no": [1] * n,
            "product_id": [""] * n,
            "product_name": [f"Kopi {i}" for i in range(n)],
            "variation": [""] * n,
            "quantity": [quantity] * n,
            "unit_price_idr": [price] * n,
            "line_sales_idr": [price * quantity] * n,
            "status_raw": ["Selesai"] * n,
            "return_status_raw": [""] * n,
            "status": [o[1] for o in orders],
            "created_at": pd.to_datetime([o[2] for o in orders]),
            "source_row": list(range(2, n + 2)),
        }
    )


def orders_export(
    frame: pd.DataFrame, *, period: tuple[dt.date, dt.date] | None = None
) -> ParsedExport:
    return ParsedExport(
        "orders", "shopee-2025", Marketplace.SHOPEE, frame, period=period, rows_read=len(frame)
    )


def meta(name: str, shop_id: str = "TK-001") -> FileMeta:
    return FileMeta(f"sha-{name}", f"/inbox/{shop_id}/{name}", f"{shop_id}/{name}", 100, 0.0,
                    shop_id, dt.datetime(2026, 9, 1, 8, 0))  # fmt: skip


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger.open(tmp_path / "ledger.sqlite") as opened:
        yield opened


AUG = dt.datetime(2026, 8, 10, 9, 30)


def test_a_new_ledger_has_the_latest_schema_in_wal_mode(ledger: Ledger) -> None:
    conn = ledger.connection
    assert ledger.schema_version == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert ledger.integrity_ok() and ledger.integrity_ok(quick=True)


def test_lines_come_back_with_their_types_lineage_and_month(ledger: Ledger) -> None:
    frame = lines_frame(
        [
            ("A1", "completed", dt.datetime(2026, 8, 31, 23, 59, 59)),
            ("A2", "cancelled", dt.datetime(2026, 9, 1, 0, 0)),
            ("A3", "unpaid", dt.datetime(2026, 8, 1, 0, 0)),
        ]
    )
    record = ledger.store_export(meta("a.xlsx"), orders_export(frame), imported_at=IMPORTED_AT)
    assert (record.status, record.lines, record.kind) == ("imported", 3, "orders")

    august = ledger.order_lines_for_months(["2026-08"])
    assert sorted(august["order_id"]) == ["A1", "A3"]
    assert list(august.columns) == [*ORDER_LINE_COLUMNS, "shop_id", "file_id", "file_rank"]
    row = august.set_index("order_id").loc["A1"]
    assert row["created_at"] == pd.Timestamp("2026-08-31 23:59:59")
    assert (row["quantity"], row["line_sales_idr"], row["source_row"]) == (2, 74_400, 2)
    assert (row["shop_id"], row["file_id"], row["status"]) == ("TK-001", record.id, "completed")
    assert august["quantity"].dtype == "int64"
    assert str(august["created_at"].dtype).startswith("datetime64")
    september = ledger.order_lines_for_months(["2026-09"], columns=["order_id", "status"])
    assert list(september.columns) == ["order_id", "status", "shop_id", "file_id", "file_rank"]
    assert list(september["order_id"]) == ["A2"]


def test_text_holding_the_column_separator_still_round_trips(ledger: Ledger) -> None:
    frame = lines_frame([("A1", "completed", AUG), ("A2", "completed", AUG)])
    frame.loc[0, "product_name"] = "Kopi\x1fTubruk"
    frame.loc[1, "product_name"] = '=HYPERLINK("x")'
    ledger.store_export(meta("a"), orders_export(frame), imported_at=IMPORTED_AT)
    stored = ledger.order_lines_for_months(["2026-08"])
    assert stored["product_name"].tolist() == ["Kopi\x1fTubruk", '=HYPERLINK("x")']
    assert stored["created_at"].tolist() == [pd.Timestamp(AUG)] * 2


def test_no_months_and_empty_months_give_empty_typed_frames(ledger: Ledger) -> None:
    for months in ([], ["2030-01"]):
        empty = ledger.order_lines_for_months(months)
        assert empty.empty
        assert empty["quantity"].dtype == "int64"
        assert "file_rank" in empty.columns


def test_the_same_order_in_other_files_and_months_comes_along(ledger: Ledger) -> None:
    first = lines_frame([("A1", "in_progress", dt.datetime(2026, 8, 31, 23, 0))])
    # a later export dates the same order differently (e.g. payment time): still its order
    later = lines_frame(
        [
            ("A1", "completed", dt.datetime(2026, 9, 1, 1, 0)),
            ("B9", "completed", dt.datetime(2026, 9, 5)),
        ]
    )
    ledger.store_export(meta("one.csv"), orders_export(first), imported_at=IMPORTED_AT)
    ledger.store_export(meta("two.csv"), orders_export(later), imported_at=IMPORTED_AT)

    august = ledger.order_lines_for_months(["2026-08"])
    assert sorted(zip(august["order_id"], august["status"], strict=True)) == [
        ("A1", "completed"),
        ("A1", "in_progress"),
    ]
    both = ledger.order_lines_for_months(["2026-08", "2026-09"])
    assert len(both) == 3  # never twice the same line
    narrowed = ledger.order_lines_for_months(["2026-08"], shop_ids=["TK-001"])
    assert len(narrowed) == 2
    assert ledger.order_lines_for_months(["2026-08"], shop_ids=["TK-009"]).empty


def test_file_rank_follows_the_period_end_else_import_day_then_import_order(
    ledger: Ledger,
) -> None:
    line = lines_frame([("A1", "in_progress", AUG)])
    late_period = (dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    early_period = (dt.date(2026, 8, 1), dt.date(2026, 8, 15))
    a = ledger.store_export(
        meta("a"), orders_export(line, period=late_period), imported_at=IMPORTED_AT
    )
    b = ledger.store_export(
        meta("b"), orders_export(line, period=early_period), imported_at=IMPORTED_AT
    )
    c = ledger.store_export(meta("c"), orders_export(line), imported_at=IMPORTED_AT)
    d = ledger.store_export(meta("d"), orders_export(line), imported_at=IMPORTED_AT)
    ranks = ledger.file_ranks()
    assert [r.id for r in sorted((a, b, c, d), key=lambda r: ranks[r.id])] == [
        b.id,  # period ends 15 Aug
        a.id,  # period ends 31 Aug
        c.id,  # no period: imported 2 Sep, first
        d.id,  # no period: imported 2 Sep, second
    ]
    lines = ledger.order_lines_for_months(["2026-08"])
    assert dict(zip(lines["file_id"], lines["file_rank"], strict=True)) == ranks


def test_a_failing_import_leaves_nothing_of_that_file(ledger: Ledger) -> None:
    good = lines_frame([(f"G{i}", "completed", AUG) for i in range(50)])
    ledger.store_export(meta("good"), orders_export(good), imported_at=IMPORTED_AT)
    bad = lines_frame([(f"B{i}", "completed", AUG) for i in range(100)])
    bad.loc[60, "quantity"] = -1  # line 61 cannot be stored: the whole file is refused
    with pytest.raises(ValueError, match="negative quantity"):
        ledger.store_export(meta("bad"), orders_export(bad), imported_at=IMPORTED_AT)
    assert ledger.file_by_hash("sha-bad") is None
    assert ledger.line_count() == 50
    assert not ledger.connection.in_transaction
    assert ledger.integrity_ok()


def test_a_rejected_export_is_recorded_with_its_reason_and_no_lines(ledger: Ledger) -> None:
    issue = Issue("layout_unknown", Severity.ERROR, "TK-001/x.csv", None, None, None,
                  "File ini bukan ekspor pesanan yang dikenal.")  # fmt: skip
    rejected = ParsedExport("rejected", "", None, pd.DataFrame(), issues=[issue])
    record = ledger.store_export(meta("x.csv"), rejected, imported_at=IMPORTED_AT)
    assert (record.status, record.lines) == ("rejected", 0)
    assert "bukan ekspor" in record.message
    assert ledger.file_issues(record.id) == [issue]
    assert record.id not in ledger.file_ranks()


def test_row_issues_are_kept_with_the_file(ledger: Ledger) -> None:
    issue = Issue("bad_date", Severity.ERROR, "TK-001/a", 7, "Waktu Pesanan Dibuat", "32-13-2026",
                  "Tanggal tidak dapat dibaca.")  # fmt: skip
    export = orders_export(lines_frame([("A1", "completed", AUG)]))
    export.issues.append(issue)
    record = ledger.store_export(meta("a"), export, imported_at=IMPORTED_AT)
    assert record.rejected_rows == 1
    assert ledger.file_issues(record.id) == [issue]


def test_lineage_gives_the_file_and_row_of_each_line(ledger: Ledger) -> None:
    ledger.store_export(
        meta("a.xlsx", "TK-001"),
        orders_export(lines_frame([("A1", "completed", AUG), ("A2", "cancelled", AUG)])),
        imported_at=IMPORTED_AT,
    )
    ledger.store_export(
        meta("b.xlsx", "TK-002"),
        orders_export(lines_frame([("B1", "completed", AUG)])),
        imported_at=IMPORTED_AT,
    )
    registry = Registry(
        villages=(Village("V1", "Desa Satu", "Kec"),),
        ambassadors=(),
        shops=tuple(
            Shop(s, Marketplace.SHOPEE, s, "", "V1", "D1", None) for s in ("TK-001", "TK-002")
        ),
    )
    lineage = explain_figure(
        ledger, registry, "2026-08", level="shop", key="TK-001", metric="completed_orders"
    )
    assert [(r["file"], r["baris"], r["no_pesanan"]) for r in lineage] == [
        ("TK-001/a.xlsx", 2, "A1")
    ]
    everything = explain_figure(
        ledger, registry, "2026-08", level="village", key="V1", metric="orders"
    )
    assert sorted(r["no_pesanan"] for r in everything) == ["A1", "A2", "B1"]
    only_b = ledger.order_lines_for_months(["2026-08"], shop_ids=["TK-002"])
    assert only_b["order_id"].tolist() == ["B1"]
    assert ledger.order_lines_for_months(["2026-08"], shop_ids=[]).empty


def test_listing_snapshots_up_to_a_month(ledger: Ledger) -> None:
    listing = pd.DataFrame(
        {
            "product_id": ["P1", "P2"],
            "product_name": ["=Kopi", "Teh"],
            "variation_id": ["", ""],
            "variation": ["", ""],
            "sku": ["", ""],
            "price_idr": pd.array([10_000, None], dtype="Int64"),
            "stock": pd.array([5, 0], dtype="Int64"),
            "source_row": [2, 3],
        }
    )
    export = ParsedExport("listings", "shopee-mass-update", Marketplace.SHOPEE, listing)
    august = FileMeta("sha-l1", "/l1", "TK-001/l1.xlsx", 1, 0.0, "TK-001",
                      dt.datetime(2026, 8, 20, 9))  # fmt: skip
    october = FileMeta("sha-l2", "/l2", "TK-001/l2.xlsx", 1, 0.0, "TK-001",
                       dt.datetime(2026, 10, 2, 9))  # fmt: skip
    ledger.store_export(august, export, imported_at=IMPORTED_AT)
    ledger.store_export(october, export, imported_at=IMPORTED_AT)
    until_sept = ledger.listing_snapshots(until_month="2026-09")
    assert len(until_sept) == 2
    assert set(until_sept["snapshot_date"]) == {pd.Timestamp("2026-08-20")}
    assert until_sept["product_name"].tolist() == ["=Kopi", "Teh"]  # formula-like stays text
    assert until_sept["price_idr"].isna().tolist() == [False, True]
    assert len(ledger.listing_snapshots()) == 4
    assert ledger.listing_snapshots(shop_ids=["TK-999"]).empty


def test_export_coverage_per_shop(ledger: Ledger) -> None:
    period = (dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    frame = lines_frame([("A1", "completed", AUG), ("A2", "completed", dt.datetime(2026, 8, 20))])
    ledger.store_export(meta("a"), orders_export(frame, period=period), imported_at=IMPORTED_AT)
    coverage = ledger.export_coverage("2026-08")
    shop = coverage["TK-001"]
    assert (shop.files, shop.lines, shop.marketplaces) == (1, 2, ("shopee",))
    assert (shop.first_order_at, shop.last_order_at) == (AUG, dt.datetime(2026, 8, 20))
    assert shop.periods == (period,)
    # dated by the period its name states, not by the mtime (2026-09-01 08:00)
    assert shop.latest_export_at == dt.datetime(2026, 8, 31, 23, 59, 59)
    assert ledger.export_coverage("2026-07")["TK-001"].files == 0


# --------------------------------------------------------------------------- migrations


def make_v1_ledger(path: Path) -> None:
    """A ledger as the first release left it, with one imported file."""
    conn = sqlite3.connect(path, isolation_level=None)
    first = MIGRATIONS[0]
    assert isinstance(first, str)
    conn.executescript(first + "\nPRAGMA user_version = 1;")
    conn.execute(
        "INSERT INTO files (sha256, path, source, size, mtime, shop_id, kind, status, import_seq, "
        "imported_at) VALUES ('old', '/x', 'TK-001/x', 1, 0, 'TK-001', 'orders', 'imported', 1, "
        "'2026-01-01 00:00:00')"
    )
    conn.close()


def test_migrating_an_older_ledger_takes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    make_v1_ledger(path)
    with Ledger.open(path, backups=tmp_path / "backups") as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        assert ledger.file_by_hash("old") is not None
    (backup,) = (tmp_path / "backups").glob("*.sqlite")
    assert "pre-migration-v1" in backup.name
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert copy.execute("SELECT sha256 FROM files").fetchall() == [("old",)]
    copy.close()


def test_a_v2_ledger_where_sendlog_added_revision_in_place_migrates(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:2]:
        assert isinstance(step, str)
        conn.executescript(step)
    conn.execute("ALTER TABLE sends ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    with Ledger.open(path, backups=tmp_path / "backups") as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        sends = SendLog(ledger.connection)
        sends.record(SendRecord("2026-08", "a@b.id", "desa/x", "h", dt.datetime(2026, 9, 1),
                                SendResult.SENT, revision=2))  # fmt: skip
        last = sends.last_sent("2026-08", "a@b.id", "desa/x")
        assert last is not None and last.revision == 2
        tables = {r[0] for r in ledger.connection.execute("SELECT name FROM sqlite_master")}
        assert "send_figures" in tables


def v4_connection(path: Path) -> sqlite3.Connection:
    """A new ledger file with the schema as v4 left it (no rows)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:4]:
        if isinstance(step, str):
            conn.executescript(step)
        else:
            step(conn)
    conn.execute("PRAGMA user_version = 4")
    return conn


def make_v4_ledger(path: Path) -> None:
    """A ledger as schema v4 left it: order lines as rows of `order_lines`, written the
    way v4 wrote them (two files of one shop, one line dated in September)."""
    conn = v4_connection(path)
    for file_id, sha, period_end in ((1, "old-a", "2026-08-15"), (2, "old-b", "2026-08-31")):
        conn.execute(
            "INSERT INTO files (id, sha256, path, source, size, mtime, shop_id, marketplace, "
            "kind, status, period_start, period_end, import_seq, imported_at, lines) VALUES "
            "(?, ?, '/x', 'TK-001/x', 1, 0, 'TK-001', 'shopee', 'orders', 'imported', "
            "'2026-08-01', ?, ?, '2026-09-01 00:00:00', 2)",
            (file_id, sha, period_end, file_id),
        )
    aug, sep = 1786354200, 1788950000  # 2026-08-10 09:30 and 2026-09-09 10:33 (naive)
    rows = [
        (202608, 1, 0, "A1", 1, "Kopi", 2, 37200, 74400, "Belum Bayar", "in_progress", aug, 2),
        (202608, 1, 1, "A2", 1, "Teh", 1, 10000, 10000, "Selesai", "completed", aug, 3),
        (202608, 2, 0, "A1", 1, "Kopi", 2, 37200, 74400, "Selesai", "completed", aug, 2),
        (202609, 2, 1, "A3", 2, "Gula", 3, 5000, 15000, "Selesai", "completed", sep, 3),
    ]
    conn.executemany(
        "INSERT INTO order_lines (month, shop_id, file_id, line_seq, marketplace, order_id, "
        "line_no, product_name, quantity, unit_price_idr, line_sales_idr, status_raw, status, "
        "created_at, source_row) VALUES (?, 'TK-001', ?, ?, 'shopee', ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)",
        rows,
    )
    conn.close()


def test_a_v4_ledger_with_order_lines_migrates_to_blobs_with_the_same_lines(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite"
    make_v4_ledger(path)
    with Ledger.open(path, backups=tmp_path / "backups") as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        tables = {r[0] for r in ledger.connection.execute("SELECT name FROM sqlite_master")}
        assert "order_lines" not in tables and "order_blobs" in tables
        assert ledger.line_count() == 4
        august = ledger.order_lines_for_months(["2026-08"])
        september = ledger.order_lines_for_months(["2026-09"])
        coverage = ledger.export_coverage("2026-08")["TK-001"]
    assert august[["file_id", "order_id", "status", "line_sales_idr", "source_row"]].to_dict(
        "records"
    ) == [
        {"file_id": 1, "order_id": "A1", "status": "in_progress", "line_sales_idr": 74400,
         "source_row": 2},
        {"file_id": 1, "order_id": "A2", "status": "completed", "line_sales_idr": 10000,
         "source_row": 3},
        {"file_id": 2, "order_id": "A1", "status": "completed", "line_sales_idr": 74400,
         "source_row": 2},
    ]  # fmt: skip
    assert august["created_at"].tolist() == [pd.Timestamp("2026-08-10 09:30")] * 3
    assert august["product_id"].tolist() == [""] * 3  # v4 defaults survive
    assert august["file_rank"].tolist() == [1, 1, 2]
    assert september["order_id"].tolist() == ["A3"] and september["quantity"].tolist() == [3]
    assert (coverage.files, coverage.lines) == (2, 3)
    assert coverage.first_order_at == dt.datetime(2026, 8, 10, 9, 30)
    (backup,) = (tmp_path / "backups").glob("*pre-migration-v4*.sqlite")
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT COUNT(*) FROM order_lines").fetchone()[0] == 4
    copy.close()


def test_a_new_ledger_needs_no_backup(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite", backups=tmp_path / "backups"):
        pass
    assert not (tmp_path / "backups").exists()


def test_a_ledger_from_a_newer_sheetsync_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LedgerError, match="newer"):
        Ledger.open(path)


def test_a_file_that_is_not_a_database_is_a_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LedgerError, match="backup"):
        Ledger.open(path)


def test_a_damaged_ledger_fails_its_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        frame = lines_frame([(f"A{i:05d}", "completed", AUG) for i in range(3000)])
        ledger.store_export(meta("a"), orders_export(frame), imported_at=IMPORTED_AT)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 5 : page * 7] = b"\x00\xff" * page  # scribble over two b-tree pages
    path.write_bytes(bytes(data))
    with Ledger.open(path) as damaged:
        assert not damaged.integrity_ok()


def test_the_integrity_check_runs_once_a_day_and_again_while_damage_is_found(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite"
    monday, tuesday = dt.date(2026, 9, 7), dt.date(2026, 9, 8)
    with Ledger.open(path) as ledger:
        frame = lines_frame([(f"A{i:05d}", "completed", AUG) for i in range(3000)])
        ledger.store_export(meta("a"), orders_export(frame), imported_at=IMPORTED_AT)
        assert ledger.integrity_ok_today(monday)
        ledger.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096 * 5 : 4096 * 7] = b"\x00\xff" * 4096
    path.write_bytes(bytes(data))
    with Ledger.open(path) as damaged:
        assert damaged.integrity_ok_today(monday)  # checked today already: not read again
        assert not damaged.integrity_ok_today(tuesday)
        assert not damaged.integrity_ok_today(tuesday)  # damage found: checked every run


# --------------------------------------------------------------------------- backups


def test_backups_are_consistent_copies_with_retention(ledger: Ledger, tmp_path: Path) -> None:
    ledger.store_export(
        meta("a"), orders_export(lines_frame([("A1", "completed", AUG)])), imported_at=IMPORTED_AT
    )
    dest = tmp_path / "backups"
    made = [ledger.backup(dest, keep=2, now=dt.datetime(2026, 9, d, 3)) for d in (1, 2, 3, 4)]
    assert sorted(dest.glob("*.sqlite")) == made[2:]
    copy = sqlite3.connect(made[-1])
    assert copy.execute("SELECT SUM(lines) FROM order_blobs").fetchone()[0] == 1
    copy.close()


def test_the_daily_backup_runs_once_a_programme_day(ledger: Ledger, tmp_path: Path) -> None:
    morning, night = dt.datetime(2026, 12, 2, 0, 5), dt.datetime(2026, 12, 2, 23, 55)
    first = ledger.backup_daily(tmp_path / "b", keep=3, now=morning)
    assert first is not None and first.exists()
    assert first.name.endswith("-daily-20261202-000500.sqlite")
    assert ledger.backup_daily(tmp_path / "b", keep=3, now=night) is None
    next_day = ledger.backup_daily(tmp_path / "b", keep=3, now=dt.datetime(2026, 12, 3, 0, 1))
    assert next_day is not None and "-daily-20261203-" in next_day.name


# --------------------------------------------------------------------------- runs, sends, KPIs


def test_runs_round_trip_newest_first(ledger: Ledger) -> None:
    first = RunRecord("sync", dt.datetime(2026, 9, 1, 6), dt.datetime(2026, 9, 1, 6, 2), "ok")
    first.files_imported, first.changes = 3, ["Agustus 2026: transaksi 120 → 118"]
    second = RunRecord("monthly", dt.datetime(2026, 9, 1, 7), None, "failed", message="SMTP")
    ledger.record_run(first)
    ledger.record_run(second)
    assert ledger.recent_runs(limit=10) == [second, first]
    assert ledger.recent_runs(limit=1) == [second]


def test_sends_live_in_the_ledger_file(ledger: Ledger) -> None:
    key = ("2026-08", "camat@example.go.id", "kecamatan/sijuk")
    sends = SendLog(ledger.connection)
    assert sends.last_sent(*key) is None
    sends.record(SendRecord(*key, "h1", dt.datetime(2026, 9, 1, 7), SendResult.FAILED,
                            error="451 try later"))  # fmt: skip
    sends.record(SendRecord(*key, "h1", dt.datetime(2026, 9, 1, 8), SendResult.SENT,
                            message_id="<m1@x>"))  # fmt: skip
    last = sends.last_sent(*key)
    assert last is not None
    assert (last.result, last.message_id, last.sent_at) == (
        "sent",
        "<m1@x>",
        dt.datetime(2026, 9, 1, 8),
    )
    assert [s.result for s in sends.history("2026-08")] == ["failed", "sent"]


def test_kpi_snapshots_are_replaced_per_month(ledger: Ledger) -> None:
    ledger.save_kpi_snapshot(
        "2026-08",
        {
            "village": [{"village_code": "19.02.04.2004", "sales_idr": 1_250_000, "share": 0.5}],
            "regency": {"": {"completed_orders": 120, "mom": None}},
        },
        computed_at=dt.datetime(2026, 9, 1),
    )
    assert ledger.kpi_snapshot("2026-08") == {
        "village": {"19.02.04.2004": {"sales_idr": 1_250_000, "share": 0.5}},
        "regency": {"": {"completed_orders": 120, "mom": None}},
    }
    ledger.save_kpi_snapshot(
        "2026-08", {"regency": {"": {"completed_orders": 118}}}, computed_at=dt.datetime(2026, 9, 2)
    )
    assert ledger.kpi_snapshot("2026-08") == {"regency": {"": {"completed_orders": 118}}}
    assert ledger.kpi_snapshot("2026-07") == {}


# --------------------------------------------------------------------------- invariants

order_ids = st.text(alphabet="ABCDEFGH0123456789", min_size=1, max_size=6)
moments = st.datetimes(min_value=dt.datetime(2026, 6, 1), max_value=dt.datetime(2026, 10, 31))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(st.lists(st.tuples(order_ids, moments), max_size=8), max_size=4))
def test_no_line_is_lost_or_doubled(tmp_path_factory: pytest.TempPathFactory, files) -> None:
    folder = tmp_path_factory.mktemp("ledger")
    months = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    with Ledger.open(folder / "l.sqlite") as ledger:
        for n, rows in enumerate(files):
            frame = lines_frame([(o, "completed", t.replace(microsecond=0)) for o, t in rows])
            ledger.store_export(meta(f"f{n}"), orders_export(frame), imported_at=IMPORTED_AT)
        stored = ledger.order_lines_for_months(months)
    expected = sorted(
        (n, o, t.replace(microsecond=0)) for n, rows in enumerate(files) for o, t in rows
    )
    got = sorted(
        (fid - 1, o, t.to_pydatetime())
        for fid, o, t in zip(
            stored["file_id"], stored["order_id"], stored["created_at"], strict=True
        )
    )
    assert got == expected


# --------------------------------------------------------------------------- concurrency


def test_a_write_lock_held_too_long_is_a_retryable_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path, busy_timeout_ms=50) as ledger:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process is writing
        try:
            with pytest.raises(LedgerError) as caught:
                ledger.store_export(
                    meta("a"),
                    orders_export(lines_frame([("A1", "completed", AUG)])),
                    imported_at=IMPORTED_AT,
                )
            assert caught.value.retryable
            assert not ledger.connection.in_transaction
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert ledger.line_count() == 0


def test_readers_see_whole_imports_while_a_writer_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as writer, Ledger.open(path) as reader:
        writer.store_export(
            meta("a"),
            orders_export(lines_frame([("A1", "completed", AUG)])),
            imported_at=IMPORTED_AT,
        )
        with writer.transaction() as conn:  # an import in progress, not yet committed
            conn.execute("DELETE FROM order_blobs")
            assert reader.line_count() == 1  # WAL: the reader is not blocked, sees the old state
        assert reader.line_count() == 0


def test_processes_opening_a_new_ledger_together_migrate_it_once(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "ledger.sqlite"
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            with Ledger.open(path) as ledger:
                assert ledger.schema_version == SCHEMA_VERSION
        except BaseException as exc:  # collected for the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


KPI_KILL_SCRIPT = """
import datetime as dt, os, signal, sys
from pathlib import Path
from sheetsync.ledger import Ledger

class DyingConnection:
    '''Passes everything through, but dies half-way through the next executemany.'''

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def executemany(self, sql, rows):
        rows = list(rows)
        self.real.executemany(sql, rows[: len(rows) // 2])
        os.kill(os.getpid(), signal.SIGKILL)

with Ledger.open(Path(sys.argv[1])) as ledger:
    ledger.connection = DyingConnection(ledger.connection)
    new = {"village": {f"V{i}": {"sales_idr": 999} for i in range(100)}}
    ledger.save_kpi_snapshot("2026-08", new, computed_at=dt.datetime(2026, 9, 2))
"""


def test_sigkill_during_a_kpi_snapshot_keeps_the_previous_one(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    path = tmp_path / "ledger.sqlite"
    old = {"village": {f"V{i}": {"sales_idr": i} for i in range(100)}}
    with Ledger.open(path) as ledger:
        ledger.save_kpi_snapshot("2026-08", old, computed_at=dt.datetime(2026, 9, 1))
    run = subprocess.run(
        [sys.executable, "-c", KPI_KILL_SCRIPT, str(path)], capture_output=True, timeout=120
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    with Ledger.open(path) as ledger:
        assert ledger.integrity_ok()
        assert ledger.kpi_snapshot("2026-08") == old
        assert ledger.kpi_snapshot_time("2026-08") == dt.datetime(2026, 9, 1)


def make_undated_ledger(path: Path) -> None:
    """A ledger before files were dated by their names: three files, all dated by mtime
    (a February-end snapshot copied on 2 March among them)."""
    conn = v4_connection(path)
    for seq, (name, kind, period_end) in enumerate(
        [
            ("mass_update_sales_info_9_20260228213000.xlsx", "listings", None),
            ("daftar produk.xlsx", "listings", None),
            ("Order.all.20260201_20260228.xlsx", "orders", "2026-02-28"),
        ],
        start=1,
    ):
        conn.execute(
            "INSERT INTO files (sha256, path, source, size, mtime, shop_id, kind, status, "
            "period_start, period_end, downloaded_at, snapshot_date, import_seq, imported_at) "
            "VALUES (?, ?, ?, 1, 0, 'TK-001', ?, 'imported', ?, ?, '2026-03-02 09:15:00', "
            "'2026-03-02', ?, '2026-03-02 12:00:00')",
            (f"sha{seq}", f"/srv/inbox/TK-001/{name}", f"TK-001/{name}", kind,
             "2026-02-01" if period_end else None, period_end, seq),
        )  # fmt: skip
    conn.close()


def test_migrating_to_v7_dates_existing_files_by_their_names(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    make_undated_ledger(path)
    with Ledger.open(path, backups=tmp_path / "backups") as ledger:
        dated = {r.source.split("/")[-1]: (r.dated_at, r.date_source) for r in ledger.files()}
        snapshot_days = dict(ledger.connection.execute("SELECT sha256, snapshot_date FROM files"))
    assert dated == {
        "mass_update_sales_info_9_20260228213000.xlsx": ("2026-02-28 21:30:00", "name"),
        "daftar produk.xlsx": ("2026-03-02 09:15:00", "mtime"),
        "Order.all.20260201_20260228.xlsx": ("2026-02-28 23:59:59", "period"),
    }
    assert snapshot_days == {"sha1": "2026-02-28", "sha2": "2026-03-02", "sha3": "2026-02-28"}
    (backup,) = (tmp_path / "backups").glob("*.sqlite")
    assert "pre-migration-v4" in backup.name
