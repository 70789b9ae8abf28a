"""The ledger's schema: migrations from every older version, with a backup first."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from sheetsync.errors import LedgerError
from sheetsync.ledger.schema import MIGRATIONS, SCHEMA_VERSION
from sheetsync.ledger.sendlog import SendLog, SendRecord, SendResult
from sheetsync.ledger.store import Ledger


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


def connection_at(path: Path, version: int) -> sqlite3.Connection:
    """A new ledger file with the schema as `version` left it (no rows)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:version]:
        if isinstance(step, str):
            conn.executescript(step)
        else:
            step(conn)
    conn.execute(f"PRAGMA user_version = {version}")
    return conn


def v4_connection(path: Path) -> sqlite3.Connection:
    """A new ledger file with the schema as v4 left it (no rows)."""
    return connection_at(path, 4)


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


def test_a_new_ledger_gets_every_table_from_its_migrations(tmp_path: Path) -> None:
    """The send log's tables too: the migrations are their only maker (sendlog.py relies
    on them), with the v3 `revision` column and `send_figures`."""
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        conn = ledger.connection
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        send_columns = [r[1] for r in conn.execute("PRAGMA table_info(sends)")]
        figure_columns = [r[1] for r in conn.execute("PRAGMA table_info(send_figures)")]
    assert tables == {
        "files", "listings", "rejected_rows", "seen_paths", "runs", "sends", "kpi_snapshots",
        "send_figures", "order_blobs", "file_months", "kpi_cache", "maintenance",
        "file_statuses",
    }  # fmt: skip
    assert send_columns == ["id", "month", "recipient", "report_key", "content_hash", "sent_at",
                            "result", "message_id", "error", "revision"]  # fmt: skip
    assert figure_columns == ["send_id", "position", "label", "value"]


def test_a_ledger_from_a_newer_sheetsync_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LedgerError, match="newer"):
        Ledger.open(path)


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


def test_migrating_to_v9_counts_the_statuses_of_every_stored_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    make_v4_ledger(path)  # through v5 (blobs) to v9 (status counts from the blobs)
    with Ledger.open(path, backups=tmp_path / "backups") as ledger:
        august = ledger.status_counts(["2026-08"])
        september = ledger.status_counts(["2026-09"])
    assert august == [("shopee", "Belum Bayar", 1), ("shopee", "Selesai", 2)]
    assert september == [("shopee", "Selesai", 1)]


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


def make_ledger_with_template_rows(path: Path) -> None:
    """A v7 ledger holding a TikTok Batch edit file read before template rows were skipped:
    its three label rows stored as products beside two real ones."""
    conn = connection_at(path, 7)
    name = "Tiktoksellercenter_batchedit_20261001_all_information_template.xlsx"
    conn.execute(
        "INSERT INTO files (sha256, path, source, size, mtime, shop_id, layout, kind, status, "
        "import_seq, imported_at, rows_read, lines) VALUES ('tt', ?, ?, 1, 0, 'TK-007', "
        "'tiktok_batch_edit', 'listings', 'imported', 1, '2026-10-02 08:00:00', 5, 5)",
        (f"/srv/inbox/TK-007/{name}", f"TK-007/{name}"),
    )
    rows = [("Product ID", 3), ("Mandatory", 4), ("Uneditable", 5),
            ("1729384756012", 6), ("1729384756099", 7)]  # fmt: skip
    conn.executemany(
        "INSERT INTO listings (file_id, shop_id, product_id, product_name, source_row) "
        "VALUES (1, 'TK-007', ?, 'Kopi', ?)",
        rows,
    )
    conn.close()


def test_migrating_to_v8_takes_template_rows_out_of_the_listings(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    make_ledger_with_template_rows(path)
    with Ledger.open(path, backups=tmp_path / "backups") as ledger:
        kept = ledger.connection.execute("SELECT product_id FROM listings").fetchall()
        (lines,) = ledger.connection.execute("SELECT lines FROM files").fetchone()
        issues = ledger.connection.execute(
            'SELECT source_row, severity, code, "column", value, message FROM rejected_rows'
        ).fetchall()
    assert kept == [("1729384756012",), ("1729384756099",)]
    assert lines == 2
    assert [(row, value) for row, _, _, _, value, _ in issues] == [
        (3, "Product ID"), (4, "Mandatory"), (5, "Uneditable"),
    ]  # fmt: skip
    assert {(severity, code, column) for _, severity, code, column, _, _ in issues} == {
        ("warning", "row_not_a_product_id", "product_id")
    }
    assert "bukan kode produk" in issues[0][5]
    (backup,) = (tmp_path / "backups").glob("*.sqlite")
    assert "pre-migration-v7" in backup.name  # labelled by the version it was
    old = sqlite3.connect(backup)
    assert old.execute("SELECT COUNT(*) FROM listings").fetchone() == (5,)
    old.close()
