"""The ledger's schema: the ordered migrations that build every table, and running them.

The ledger owns every table in its file, the send log's too (sendlog.py relies on them):
each version is one step of `MIGRATIONS`, an SQL script or a function for steps that must
look first, and `PRAGMA user_version` says how many have run. Opening an older ledger
takes an online backup first (labelled pre-migration-vN, never pruned), then runs each
missing step in its own transaction; a ledger from a newer sheetsync is refused.

Storage choices (for speed at province scale, ~1,000,000 lines a month; issue 17):
- a file's order lines are ONE compressed Arrow IPC blob (`order_blobs`, linestore.py),
  with `file_months` per file and month and `file_statuses` (lines per status text; v9)
  (lines.py); ledgers from before v5 are migrated: each file's `order_lines` rows become
  its blob, in the usual migration transaction.
- `created_at` is INTEGER seconds since 1970-01-01 of the *naive local* time (stamps.py).
- `kpi_cache` keeps each month's last computed KPIs with a fingerprint of their inputs
  (kpis.py); `maintenance` remembers the day of the last integrity check (daily).
Buyer data never reaches the ledger: readers drop it, and issues keep no buyer values
(v6 masks what an older sheetsync stored).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import pandas as pd

from sheetsync.errors import LedgerError
from sheetsync.issues import Issue, Severity
from sheetsync.ledger.lines import _insert_blob_and_months
from sheetsync.ledger.linestore import LINE_COLUMNS, pack_order_lines, status_spans, unpack_columns
from sheetsync.ledger.stamps import EPOCH, parse_stamp, stamp
from sheetsync.marketplaces.filenames import export_time_from_name, file_date

if TYPE_CHECKING:
    from sheetsync.ledger.maintenance import Maintenance


def _v3_send_revisions(conn: sqlite3.Connection) -> None:
    """sends.revision and send_figures (sendlog.py): created only where missing, because
    the send log of an older sheetsync added them in place on ledgers from before v3.
    `send_figures` keeps the headline figures a message showed, so a revision can say
    "Penjualan: Rp 1.000.000 menjadi Rp 1.250.000" even after later syncs replaced the KPIs."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(sends)")}
    if "revision" not in columns:
        conn.execute("ALTER TABLE sends ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS send_figures (send_id INTEGER NOT NULL, position INTEGER "
        "NOT NULL, label TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (send_id, position))"
    )


_V5_TABLES = """
CREATE TABLE order_blobs (                -- one file's order lines (linestore.py)
    file_id INTEGER PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
    lines   INTEGER NOT NULL,
    format  TEXT NOT NULL,
    data    BLOB NOT NULL
);
CREATE TABLE file_months (                -- what each file holds per month, at import
    file_id  INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    month    INTEGER NOT NULL,            -- yyyymm of created_at
    lines    INTEGER NOT NULL,
    first_at INTEGER NOT NULL,            -- naive local seconds since 1970
    last_at  INTEGER NOT NULL,
    PRIMARY KEY (file_id, month)
) WITHOUT ROWID;
CREATE INDEX file_months_month ON file_months (month, file_id);
CREATE TABLE kpi_cache (                  -- last computed KPIs of a month (monthkpi.py)
    month  TEXT PRIMARY KEY,
    inputs TEXT NOT NULL,                 -- fingerprint of everything they were computed from
    result BLOB NOT NULL
);
CREATE TABLE maintenance (                -- when a periodic check last ran, and its result
    task     TEXT PRIMARY KEY,
    last_day TEXT NOT NULL,               -- YYYY-MM-DD, programme time
    result   TEXT NOT NULL
);
"""


def _v5_order_blobs(conn: sqlite3.Connection) -> None:
    """Move each file's rows of the old `order_lines` table into its blob (same lines, same
    order), then drop that table. Runs inside the migration's one transaction."""
    for statement in _statements(_V5_TABLES):
        conn.execute(statement)
    names = ", ".join(LINE_COLUMNS)
    file_ids = [r[0] for r in conn.execute("SELECT DISTINCT file_id FROM order_lines")]
    for file_id in file_ids:
        rows = conn.execute(
            f"SELECT {names} FROM order_lines WHERE file_id = ? ORDER BY line_seq", (file_id,)
        ).fetchall()
        frame = pd.DataFrame(rows, columns=list(LINE_COLUMNS))
        frame["created_at"] = EPOCH + frame["created_at"].to_numpy("int64").astype("timedelta64[s]")
        _insert_blob_and_months(conn, file_id, pack_order_lines(frame))
    conn.execute("DROP TABLE order_lines")


def _mask_buyer_values(conn: sqlite3.Connection) -> None:
    """Issue values stored by an older sheetsync that are buyer data (a shifted row's
    address, phone or email) are masked in place; secure_delete overwrites the old bytes."""
    from sheetsync.redact import masked_issue

    conn.execute("PRAGMA secure_delete = ON")
    rows = conn.execute(
        'SELECT rowid, code, severity, source_row, "column", value, message FROM rejected_rows '
        "WHERE value IS NOT NULL"
    ).fetchall()
    for rowid, code, severity, row, column, value, text in rows:
        issue = masked_issue(Issue(code, Severity(severity), "", row, column, value, text))
        if issue.value != value:
            conn.execute(
                "UPDATE rejected_rows SET value = ?, message = ? WHERE rowid = ?",
                (issue.value, issue.message, rowid),
            )


def _v7_file_dates(conn: sqlite3.Connection) -> None:
    """files.dated_at and files.date_source: each file is dated by the export time or the
    period its name states (filenames.py), the mtime only when the name says nothing.
    Files already imported are dated again from their names, so a February-end listing
    snapshot copied in March moves back to February."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(files)")}
    if "dated_at" not in columns:  # a ledger put back to an older version keeps its columns
        conn.execute("ALTER TABLE files ADD COLUMN dated_at TEXT")
    if "date_source" not in columns:
        conn.execute("ALTER TABLE files ADD COLUMN date_source TEXT NOT NULL DEFAULT ''")
    rows = conn.execute(
        "SELECT id, path, period_start, period_end, downloaded_at, imported_at FROM files"
    ).fetchall()
    updates = []
    for file_id, path, start, end, downloaded, imported in rows:
        period = (dt.date.fromisoformat(start), dt.date.fromisoformat(end)) if end else None
        name = PurePath(path).name
        dated = file_date(export_time_from_name(name), period, parse_stamp(downloaded),
                          parse_stamp(imported) or dt.datetime(1970, 1, 1))  # fmt: skip
        updates.append((stamp(dated.at), str(dated.source), dated.at.date().isoformat(), file_id))
    conn.executemany(
        "UPDATE files SET dated_at = ?, date_source = ?, snapshot_date = ? WHERE id = ?", updates
    )


def _v8_template_rows_out(conn: sqlite3.Connection) -> None:
    """Listing rows whose product id is not a number leave the ledger: they are template
    rows (TikTok's Batch edit export carries label rows such as "Product ID", "Mandatory",
    "Uneditable" under its machine keys) that a reader older than issue 13 counted as
    products. Each leaves the warning a fresh read of its file gives today
    (row_not_a_product_id), so Validasi says what went; the file itself stays in the inbox
    and the pre-migration backup keeps the old rows."""
    from sheetsync.ledger.files import _insert_issues
    from sheetsync.marketplaces import LISTING_LAYOUTS
    from sheetsync.marketplaces.listings import PRODUCT_ID
    from sheetsync.marketplaces.problems import row_issues
    from sheetsync.messages import IngestCode

    titles = {layout.name: layout.columns["product_id"][0] for layout in LISTING_LAYOUTS}
    rows = conn.execute(
        "SELECT l.rowid, l.file_id, l.source_row, l.product_id, f.source, f.layout "
        "FROM listings l JOIN files f ON f.id = l.file_id ORDER BY l.file_id, l.source_row"
    ).fetchall()
    template = [row for row in rows if not re.fullmatch(PRODUCT_ID, row[3])]
    for file_id in dict.fromkeys(row[1] for row in template):
        of_file = [row for row in template if row[1] == file_id]
        source, layout = of_file[0][4], of_file[0][5]
        issues = row_issues(IngestCode.ROW_NOT_A_PRODUCT_ID, source,
                            titles.get(layout, "product_id"), [row[2] for row in of_file],
                            [row[3] for row in of_file], Severity.WARNING)  # fmt: skip
        _insert_issues(conn, file_id, issues)
        conn.execute(  # warnings: files.rejected_rows counts rejected (error) rows only
            "UPDATE files SET lines = MAX(lines - ?, 0) WHERE id = ?", (len(of_file), file_id)
        )
    conn.executemany("DELETE FROM listings WHERE rowid = ?", [(row[0],) for row in template])


def _v9_file_statuses(conn: sqlite3.Connection) -> None:
    """`file_statuses`: lines per status text each file holds per month, recorded at
    import, so the unknown-status check of every sync reads a few rows instead of decoding
    a province's million lines. Files already stored are counted from their blobs once
    (afresh where a ledger put back to an older version still holds the table)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS file_statuses (file_id INTEGER NOT NULL REFERENCES files "
        "(id) ON DELETE CASCADE, month INTEGER NOT NULL, marketplace TEXT NOT NULL, "
        "status_raw TEXT NOT NULL, lines INTEGER NOT NULL, "
        "PRIMARY KEY (file_id, month, marketplace, status_raw)) WITHOUT ROWID"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS file_statuses_month ON file_statuses (month, file_id)")
    conn.execute("DELETE FROM file_statuses")
    for file_id, blob in conn.execute("SELECT file_id, data FROM order_blobs").fetchall():
        table = unpack_columns(blob, ["month", "marketplace", "status_raw"])
        conn.executemany(
            "INSERT INTO file_statuses (file_id, month, marketplace, status_raw, lines) "
            "VALUES (?, ?, ?, ?, ?)",
            [(file_id, s.month, s.marketplace, s.status_raw, s.lines) for s in status_spans(table)],
        )


# One step per schema version: an SQL script, or a function for steps that must look first.
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    # v1: the manifest, order lines, listings, row issues, runs, sends, the stat cache
    """
    CREATE TABLE files (
        id            INTEGER PRIMARY KEY,
        sha256        TEXT NOT NULL UNIQUE,
        path          TEXT NOT NULL,          -- first path seen (absolute)
        source        TEXT NOT NULL,          -- name shown to staff, e.g. TK-001/Order.all.xlsx
        size          INTEGER NOT NULL,
        mtime         REAL NOT NULL,          -- POSIX seconds when first seen
        shop_id       TEXT NOT NULL,
        marketplace   TEXT,
        layout        TEXT NOT NULL DEFAULT '',
        kind          TEXT NOT NULL,          -- orders | listings | rejected
        status        TEXT NOT NULL CHECK (status IN ('imported', 'rejected')),
        period_start  TEXT,                   -- YYYY-MM-DD, when the export says so
        period_end    TEXT,
        downloaded_at TEXT,                   -- local time of the file's mtime
        snapshot_date TEXT,                   -- YYYY-MM-DD: the day the file shows
        import_seq    INTEGER NOT NULL,
        imported_at   TEXT NOT NULL,          -- local time, YYYY-MM-DD HH:MM:SS
        rows_read     INTEGER NOT NULL DEFAULT 0,
        lines         INTEGER NOT NULL DEFAULT 0,
        rejected_rows INTEGER NOT NULL DEFAULT 0,
        message       TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX files_shop ON files (shop_id, status);
    CREATE TABLE order_lines (            -- clustered by month: a month is one range read
        month             INTEGER NOT NULL,   -- yyyymm of created_at
        shop_id           TEXT NOT NULL,
        order_id          TEXT NOT NULL CHECK (order_id <> ''),
        file_id           INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
        line_seq          INTEGER NOT NULL,   -- position in the stored file, 0-based
        marketplace       TEXT NOT NULL,
        line_no           INTEGER NOT NULL,
        product_id        TEXT NOT NULL DEFAULT '',
        product_name      TEXT NOT NULL DEFAULT '',
        variation         TEXT NOT NULL DEFAULT '',
        quantity          INTEGER NOT NULL CHECK (quantity >= 0),
        unit_price_idr    INTEGER NOT NULL,
        line_sales_idr    INTEGER NOT NULL,
        status_raw        TEXT NOT NULL DEFAULT '',
        return_status_raw TEXT NOT NULL DEFAULT '',
        status            TEXT NOT NULL,
        created_at        INTEGER NOT NULL,   -- naive local seconds since 1970
        source_row        INTEGER NOT NULL,
        PRIMARY KEY (month, shop_id, order_id, file_id, line_seq)
    ) WITHOUT ROWID;
    -- No secondary indexes: each would cost a fifth of the insert time. The same order in
    -- a neighbouring month is found through the primary key (month first); only rare
    -- maintenance (reassign_file) scans by file.
    CREATE TABLE listings (
        file_id      INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
        shop_id      TEXT NOT NULL,
        product_id   TEXT NOT NULL,
        product_name TEXT NOT NULL DEFAULT '',
        variation_id TEXT NOT NULL DEFAULT '',
        variation    TEXT NOT NULL DEFAULT '',
        sku          TEXT NOT NULL DEFAULT '',
        price_idr    INTEGER,
        stock        INTEGER,
        source_row   INTEGER NOT NULL
    );
    CREATE INDEX listings_file ON listings (file_id);
    CREATE INDEX listings_shop ON listings (shop_id);
    CREATE TABLE rejected_rows (          -- every issue of a file; never buyer data
        file_id    INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
        source_row INTEGER,               -- NULL: the issue is about the whole file
        severity   TEXT NOT NULL,
        code       TEXT NOT NULL,
        "column"   TEXT,
        value      TEXT,
        message    TEXT NOT NULL
    );
    CREATE INDEX rejected_rows_file ON rejected_rows (file_id);
    CREATE TABLE seen_paths (             -- stat cache: skip hashing unchanged files
        path     TEXT PRIMARY KEY,
        size     INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        sha256   TEXT NOT NULL
    );
    CREATE TABLE runs (
        id              INTEGER PRIMARY KEY,
        command         TEXT NOT NULL DEFAULT '',
        started_at      TEXT NOT NULL,
        ended_at        TEXT,
        status          TEXT NOT NULL,
        files_imported  INTEGER NOT NULL DEFAULT 0,
        rows_rejected   INTEGER NOT NULL DEFAULT 0,
        errors          INTEGER NOT NULL DEFAULT 0,
        warnings        INTEGER NOT NULL DEFAULT 0,
        sheets_requests INTEGER NOT NULL DEFAULT 0,
        emails_sent     INTEGER NOT NULL DEFAULT 0,
        detail          TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE sends (
        id           INTEGER PRIMARY KEY,
        month        TEXT NOT NULL,
        recipient    TEXT NOT NULL,
        report_key   TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        sent_at      TEXT NOT NULL,
        result       TEXT NOT NULL,       -- sent | failed | skipped ...
        message_id   TEXT,
        error        TEXT
    );
    CREATE INDEX sends_key ON sends (month, recipient, report_key, sent_at);
    """,
    # v2: KPI snapshots, so a later run can say what changed in a month already reported
    """
    CREATE TABLE kpi_snapshots (
        month       TEXT NOT NULL,
        level       TEXT NOT NULL,
        key         TEXT NOT NULL,
        metric      TEXT NOT NULL,
        value       NUMERIC,
        computed_at TEXT NOT NULL,
        PRIMARY KEY (month, level, key, metric)
    ) WITHOUT ROWID;
    """,
    # v3: send revisions and the figures each message showed (mail)
    _v3_send_revisions,
    # v4: which sheetsync read each file, so files rejected by an older reader are retried
    "ALTER TABLE files ADD COLUMN reader_version TEXT NOT NULL DEFAULT '';",
    # v5: order lines as one Arrow blob per file, with per-file month coverage (linestore.py)
    _v5_order_blobs,
    # v6: buyer data that reached an issue value (a shifted row) is masked (redact.py)
    _mask_buyer_values,
    # v7: the date each file shows and where it came from (file name, period, mtime)
    _v7_file_dates,
    # v8: template rows stored as listings by an older reader leave (issue 13)
    _v8_template_rows_out,
    # v9: lines per status text of each file and month, recorded at import (issue 17)
    _v9_file_statuses,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(ledger: Maintenance, backups: Path) -> None:
    """Bring an open ledger to SCHEMA_VERSION: a backup first when it holds an older one."""
    current = ledger.schema_version
    if current > SCHEMA_VERSION:
        raise LedgerError(
            f"Ledger {ledger.path} has schema version {current}, newer than this sheetsync "
            f"({SCHEMA_VERSION}). Upgrade sheetsync before using this ledger."
        )
    if current == SCHEMA_VERSION:
        return
    if current > 0:
        # no programme clock here (the ledger knows no config): a UTC stamp, marked Z
        ledger.backup(
            backups, keep=0, label=f"pre-migration-v{current}", now=dt.datetime.now(dt.UTC)
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        _apply_migration(ledger, version)


def _apply_migration(ledger: Maintenance, version: int) -> None:
    """One step in one transaction (SQLite DDL is transactional): all of it or none.

    The version is read again under the write lock, so two processes opening a new
    ledger at the same moment do not both run the step.
    """
    step = MIGRATIONS[version - 1]
    try:
        with ledger.transaction() as conn:
            if ledger.schema_version >= version:
                return
            if isinstance(step, str):
                for statement in _statements(step):
                    conn.execute(statement)
            else:
                step(conn)
            conn.execute(f"PRAGMA user_version = {version}")
    except sqlite3.Error as exc:
        raise LedgerError(f"Cannot migrate ledger {ledger.path} to v{version}: {exc}") from exc


def _statements(script: str) -> Iterator[str]:
    """An SQL script split into whole statements (sqlite3.complete_statement decides), so
    a migration runs inside one transaction, which executescript() would commit."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    if buffer.strip():
        yield buffer
