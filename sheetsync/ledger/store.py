"""The SQLite ledger: every imported export, its order lines, runs, sends and KPI snapshots.

Why SQLite in WAL mode: one file an operator can copy, readers never block the single
writer, and a crash (SIGKILL, power cut) leaves either a whole transaction or none of it.
Each imported file is ONE transaction that holds its manifest row, all its lines and its
issues, so the manifest can never claim a file whose lines are missing, or the reverse.

Schema versions live in `PRAGMA user_version`; `MIGRATIONS` is the ordered list of steps.
Opening an older ledger takes an online backup first, then migrates in one transaction.

Storage choices (for speed at province scale, ~1,000,000 lines a month; issue 17):
- a file's order lines are ONE compressed Arrow IPC blob (`order_blobs`, linestore.py),
  packed by the reader process and stored in the file's transaction: the single writer
  stores bytes, not a million rows, and a month is read back by decoding the blobs of
  the files that hold lines in it. Per file and month, `file_months` records the lines
  and first/last order time at import, so coverage and "which files" never decode.
  The shop is the file's (files.shop_id): a renamed shop folder moves one row.
- `created_at` is INTEGER seconds since 1970-01-01 of the *naive local* time (programme
  time zone): nothing is parsed on the way in or out.
- `kpi_cache` keeps each month's last computed KPIs with a fingerprint of their inputs
  (monthkpi.py); `maintenance` remembers the day of the last integrity check (daily).
- ledgers from before v5 are migrated: each file's `order_lines` rows become its blob,
  in one transaction after the usual pre-migration backup.
Buyer data never reaches this module: readers drop it, and issues keep no buyer values.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sheetsync import __version__
from sheetsync.errors import LedgerError
from sheetsync.issues import Issue, Severity
from sheetsync.ledger.linestore import (
    BLOB_FORMAT,
    INT_LINE_COLUMNS,
    LINE_COLUMNS,
    PackedLines,
    decode_files,
    lines_frame,
    pack_order_lines,
)
from sheetsync.marketplaces.base import LISTING_COLUMNS, ParsedExport
from sheetsync.marketplaces.filenames import export_time_from_name, file_date
from sheetsync.months import month_bounds

if TYPE_CHECKING:
    from sheetsync.runlog import RunRecord

# --------------------------------------------------------------------------- schema


def _v3_send_revisions(conn: sqlite3.Connection) -> None:
    """sends.revision and send_figures (sendlog.py): created only where missing, because
    sendlog adds them in place on ledgers from before this step."""
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
        frame["created_at"] = _EPOCH + frame["created_at"].to_numpy("int64").astype(
            "timedelta64[s]"
        )
        _insert_order_lines(conn, file_id, pack_order_lines(frame))
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
        dated = file_date(export_time_from_name(name), period, _parse_stamp(downloaded),
                          _parse_stamp(imported) or dt.datetime(1970, 1, 1))  # fmt: skip
        updates.append((_stamp(dated.at), str(dated.source), dated.at.date().isoformat(), file_id))
    conn.executemany(
        "UPDATE files SET dated_at = ?, date_source = ?, snapshot_date = ? WHERE id = ?", updates
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
)
SCHEMA_VERSION = len(MIGRATIONS)

LISTING_STORED = tuple(LISTING_COLUMNS)
_STAMP = "%Y-%m-%d %H:%M:%S"
_EPOCH = np.datetime64("1970-01-01T00:00:00", "s")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class FileMeta:
    """What ingest knows about a file before reading it."""

    sha256: str
    path: str  # absolute
    source: str  # the name staff see in issues (inbox-relative)
    size: int
    mtime: float  # POSIX seconds
    shop_id: str
    downloaded_at: dt.datetime | None = None  # mtime in programme local time


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One manifest row."""

    id: int
    sha256: str
    path: str
    source: str
    size: int
    shop_id: str
    marketplace: str | None
    layout: str
    kind: str
    status: str  # imported | rejected
    period_start: str | None
    period_end: str | None
    import_seq: int
    imported_at: str
    rows_read: int
    lines: int
    rejected_rows: int
    message: str
    reader_version: str = ""  # sheetsync version that read the file
    dated_at: str | None = None  # the moment the file shows, local (see date_source)
    date_source: str = ""  # filenames.DateSource: name | period | mtime | imported

    @property
    def imported(self) -> bool:
        return self.status == "imported"


_FILE_FIELDS = (
    "id, sha256, path, source, size, shop_id, marketplace, layout, kind, status, period_start, "
    "period_end, import_seq, imported_at, rows_read, lines, rejected_rows, message, "
    "reader_version, dated_at, date_source"
)


@dataclass(frozen=True, slots=True)
class ShopCoverage:
    """What the ledger holds for one shop and one month (completeness checks)."""

    shop_id: str
    marketplaces: tuple[str, ...]
    files: int  # order files with at least one line in the month
    lines: int
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None
    latest_export_at: dt.datetime | None  # newest order file of the shop (any month), local,
    # dated by its name when the name says (files.dated_at), else by its mtime
    periods: tuple[tuple[dt.date, dt.date], ...]  # periods of the month's files, when known


# --------------------------------------------------------------------------- errors

# Errors that come from the data handed in (a bad frame), not from the ledger itself: the
# caller decides (ingest marks that one file as failed). Everything else is a LedgerError.
DATA_ERRORS = (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.ProgrammingError,
               sqlite3.InterfaceError)  # fmt: skip
_P = ParamSpec("_P")
_R = TypeVar("_R")


def ledger_errors(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Wrap sqlite3 failures of the ledger itself once, here, as LedgerError.

    "database is locked" (another process held the write lock longer than busy_timeout)
    is retryable; disk full, I/O errors and corruption are not.
    """

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except DATA_ERRORS:
            raise
        except sqlite3.Error as exc:
            locked = "locked" in str(exc) or "busy" in str(exc)
            raise LedgerError(f"The ledger failed: {exc}.", retryable=locked) from exc

    return wrapper


# --------------------------------------------------------------------------- the ledger


class Ledger:
    """One open ledger file; use `Ledger.open(path)` as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    # ---- opening, migrating, closing

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        backups: Path | str | None = None,
        busy_timeout_ms: int = 30_000,
    ) -> Ledger:
        """Open (creating if needed) and migrate; back up first when an old schema is found."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(f"Cannot create the ledger folder {path.parent}: {exc}") from exc
        ledger = cls(_connect(path, busy_timeout_ms), path)
        try:
            ledger._migrate(Path(backups) if backups else path.parent / "backups")
        except BaseException:
            ledger.close()
            raise
        return ledger

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    @property
    def schema_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, backups: Path) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise LedgerError(
                f"Ledger {self.path} has schema version {current}, newer than this sheetsync "
                f"({SCHEMA_VERSION}). Upgrade sheetsync before using this ledger."
            )
        if current == SCHEMA_VERSION:
            return
        if current > 0:
            # no programme clock here (the ledger knows no config): a UTC stamp, marked Z
            self.backup(
                backups, keep=0, label=f"pre-migration-v{current}", now=dt.datetime.now(dt.UTC)
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            self._apply_migration(version)

    def _apply_migration(self, version: int) -> None:
        """One step in one transaction (SQLite DDL is transactional): all of it or none.

        The version is read again under the write lock, so two processes opening a new
        ledger at the same moment do not both run the step.
        """
        step = MIGRATIONS[version - 1]
        try:
            with self.transaction() as conn:
                if self.schema_version >= version:
                    return
                if isinstance(step, str):
                    for statement in _statements(step):
                        conn.execute(statement)
                else:
                    step(conn)
                conn.execute(f"PRAGMA user_version = {version}")
        except sqlite3.Error as exc:
            raise LedgerError(f"Cannot migrate ledger {self.path} to v{version}: {exc}") from exc

    def _rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (then re-raised)."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self._rollback()
            raise
        self.connection.execute("COMMIT")

    # ---- maintenance

    @ledger_errors
    def backup(
        self,
        dest_dir: Path | str,
        keep: int,
        *,
        label: str = "daily",
        now: dt.datetime,
    ) -> Path:
        """Online backup (consistent even while others read) into `dest_dir`.

        Keeps the newest `keep` backups with the same label (0 = keep all); migrations
        use their own label so daily retention never deletes a pre-migration copy. `now`
        names the file: programme-local time from the run's clock (an aware UTC time gets
        a "Z"), so the day in the name is the day `backup_daily` looks for.
        """
        dest_dir = Path(dest_dir)
        dest_dir.mkdir(parents=True, exist_ok=True)
        stamp = now.strftime("%Y%m%d-%H%M%S") + ("Z" if now.tzinfo is not None else "")
        target = dest_dir / f"{self.path.stem}-{label}-{stamp}.sqlite"
        try:
            with sqlite3.connect(target) as copy:
                self.connection.backup(copy)
            copy.close()
        except sqlite3.Error as exc:
            raise LedgerError(f"Cannot back up the ledger to {target}: {exc}") from exc
        if keep > 0:
            _prune_backups(dest_dir, f"{self.path.stem}-{label}-", keep)
        return target

    @ledger_errors
    def backup_daily(self, dest_dir: Path | str, keep: int, *, now: dt.datetime) -> Path | None:
        """The daily backup, at most once a programme day (the worker may call this often).

        `now` is the run's programme-local time: the day it falls on decides both whether
        a backup exists already and the new file's name, so the two always agree.
        """
        prefix = f"{self.path.stem}-daily-{now:%Y%m%d}-"
        if any(p.name.startswith(prefix) for p in Path(dest_dir).glob("*.sqlite")):
            return None
        return self.backup(dest_dir, keep, label="daily", now=now)

    @ledger_errors
    def integrity_ok(self, *, quick: bool = False) -> bool:
        """PRAGMA integrity_check (quick_check is O(N) cheaper, skips index content)."""
        pragma = "quick_check" if quick else "integrity_check"
        try:
            rows = self.connection.execute(f"PRAGMA {pragma}").fetchall()
            fk_problems = self.connection.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError:
            return False
        return rows == [("ok",)] and not fk_problems

    @ledger_errors
    def integrity_ok_today(self, today: dt.date) -> bool:
        """quick_check at most once a day (it reads the whole file: seconds at province
        scale); a day that found damage checks again on every run until it is fixed."""
        row = self.connection.execute(
            "SELECT last_day, result FROM maintenance WHERE task = 'quick_check'"
        ).fetchone()
        if row is not None and row == (today.isoformat(), "ok"):
            return True
        healthy = self.integrity_ok(quick=True)
        try:
            with self.transaction() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO maintenance (task, last_day, result) "
                    "VALUES ('quick_check', ?, ?)",
                    (today.isoformat(), "ok" if healthy else "damaged"),
                )
        except sqlite3.DatabaseError:  # busy, or a damaged file refusing the note:
            pass  # the check stands; it simply runs again next time
        return healthy

    # ---- the manifest

    @ledger_errors
    def file_by_hash(self, sha256: str) -> FileRecord | None:
        row = self.connection.execute(
            f"SELECT {_FILE_FIELDS} FROM files WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return FileRecord(*row) if row else None

    @ledger_errors
    def files(self, *, status: str | None = None) -> list[FileRecord]:
        """Manifest rows in import order."""
        sql = f"SELECT {_FILE_FIELDS} FROM files"
        params: tuple[str, ...] = ()
        if status:
            sql, params = sql + " WHERE status = ?", (status,)
        return [
            FileRecord(*r) for r in self.connection.execute(sql + " ORDER BY import_seq", params)
        ]

    @ledger_errors
    def cached_hash(self, path: str, size: int, mtime_ns: int) -> str | None:
        """The sha256 recorded for this path when its size and mtime were the same."""
        row = self.connection.execute(
            "SELECT sha256 FROM seen_paths WHERE path = ? AND size = ? AND mtime_ns = ?",
            (path, size, mtime_ns),
        ).fetchone()
        return row[0] if row else None

    @ledger_errors
    def remember_paths(self, entries: Iterable[tuple[str, int, int, str]]) -> None:
        """Record (path, size, mtime_ns, sha256) so the next run need not hash them again."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO seen_paths (path, size, mtime_ns, sha256) "
                "VALUES (?, ?, ?, ?)",
                entries,
            )

    @ledger_errors
    def store_export(
        self,
        meta: FileMeta,
        parsed: ParsedExport,
        *,
        imported_at: dt.datetime,
        packed: PackedLines | None = None,
    ) -> FileRecord:
        """Store one read file in ONE transaction: manifest row, lines or listings, issues.

        `packed`: the order lines already packed by a reader process (then `parsed.lines`
        may be empty); packed here otherwise. A rejected export (kind "rejected") is
        recorded too, with its reason, so it is not read again until its content (hash)
        changes or a newer sheetsync reads it; then the new result replaces the old
        rejection. Raises sqlite3 errors (or ValueError for unstorable lines) after
        rolling back: then nothing of the file remains.
        """
        if parsed.kind == "orders" and packed is None and not parsed.rejected:
            packed = pack_order_lines(parsed.lines)
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM files WHERE sha256 = ? AND status = 'rejected'", (meta.sha256,)
            )
            file_id = _insert_file_row(
                conn, meta, parsed, imported_at, _stored_count(parsed, packed)
            )
            if parsed.kind == "orders" and packed is not None:
                _insert_order_lines(conn, file_id, packed)
            elif parsed.kind == "listings":
                _insert_listings(conn, file_id, meta.shop_id, parsed.lines)
            _insert_issues(conn, file_id, parsed.issues)
        record = self.file_by_hash(meta.sha256)
        assert record is not None
        return record

    @ledger_errors
    def reassign_file(self, file_id: int, shop_id: str) -> None:
        """Move a file and its lines to another shop (its folder was renamed), atomically.
        Order lines carry no shop of their own (linestore.py): the file row decides."""
        with self.transaction() as conn:
            conn.execute("UPDATE files SET shop_id = ? WHERE id = ?", (shop_id, file_id))
            conn.execute("UPDATE listings SET shop_id = ? WHERE file_id = ?", (shop_id, file_id))

    # ---- order lines

    @ledger_errors
    def order_lines_for_months(
        self,
        months: Sequence[str],
        *,
        columns: Sequence[str] | None = None,
        shop_ids: Collection[str] | None = None,
    ) -> pd.DataFrame:
        """Every line created in `months`, plus the same orders' lines in the neighbouring
        months (another export may date an order a little differently, e.g. by payment).

        Columns: the canonical ORDER_LINE_COLUMNS (or just `columns`), then `shop_id`,
        `file_id` and `file_rank` (1 = oldest snapshot: files ordered by the period end
        the export states, else the day it was imported, then import order). Resolving one
        snapshot per order is kpi's job. Ask only for the columns you need: at a million
        lines every column costs about a second. `shop_ids` narrows to those shops.
        """
        wanted = _line_columns(columns)
        names = [*wanted, "shop_id", "file_id"]
        codes = sorted({month_code(m) for m in months})
        if not codes or (shop_ids is not None and not shop_ids):
            return _empty_lines_frame([*names, "file_rank"])
        near = [n for n in sorted({n for c in codes for n in _neighbour_codes(c)} - set(codes))
                if self._has_month(n)]  # fmt: skip
        blobs = self._blobs_for([*codes, *near], sorted(shop_ids or ()))
        decoded = [*dict.fromkeys([*wanted, "order_id"])] if near else wanted
        table, _ = decode_files(blobs, decoded)
        keep = _month_mask(table, codes, near)
        if not keep.all():  # filtering copies every column: only when something goes
            table = table.filter(pa.array(keep))
        frame = lines_frame(table.select(names))
        frame["file_rank"] = _ranks_for(frame["file_id"], self.file_ranks())
        return frame

    @ledger_errors
    def data_months(self) -> tuple[str, str] | None:
        """The first and last month with order lines or a listing snapshot (None: empty)."""
        orders = self.connection.execute("SELECT MIN(month), MAX(month) FROM file_months")
        low, high = orders.fetchone()
        found = [f"{c // 100:04d}-{c % 100:02d}" for c in (low, high) if c is not None]
        snaps = self.connection.execute(
            "SELECT MIN(snapshot_date), MAX(snapshot_date) FROM files "
            "WHERE kind = 'listings' AND status = 'imported'"
        )
        found += [str(d)[:7] for d in snaps.fetchone() if d]
        return (min(found), max(found)) if found else None

    @ledger_errors
    def kpi_months(self) -> list[str]:
        """Months whose KPIs a sync computed and kept (oldest first)."""
        rows = self.connection.execute("SELECT DISTINCT month FROM kpi_snapshots ORDER BY month")
        return [str(r[0]) for r in rows]

    def _has_month(self, code: int) -> bool:
        found = self.connection.execute("SELECT 1 FROM file_months WHERE month = ? LIMIT 1",
                                        (code,))  # fmt: skip
        return found.fetchone() is not None

    def _blobs_for(self, codes: list[int], shops: list[str]) -> list[tuple[int, str, bytes]]:
        """(file_id, shop_id, blob) of every file with lines in `codes`, in file order."""
        marks = ", ".join("?" * len(codes))
        sql = (
            "SELECT f.id, f.shop_id, b.data FROM order_blobs b JOIN files f ON f.id = b.file_id "
            f"WHERE b.file_id IN (SELECT file_id FROM file_months WHERE month IN ({marks}))"
        )
        if shops:
            sql += f" AND f.shop_id IN ({', '.join('?' * len(shops))})"
        return self.connection.execute(sql + " ORDER BY f.id", [*codes, *shops]).fetchall()

    @ledger_errors
    def file_ranks(self) -> dict[int, int]:
        """file id -> snapshot rank (1 = oldest) of every imported file."""
        return dict(self.connection.execute(_RANKED_FILES_SQL).fetchall())

    @ledger_errors
    def listing_snapshots(
        self, *, until_month: str | None = None, shop_ids: Collection[str] | None = None
    ) -> pd.DataFrame:
        """Listing lines of every snapshot taken before the end of `until_month` (or all).

        Columns: shop_id, file_id, snapshot_date (datetime64, midnight), LISTING_COLUMNS.
        """
        sql = (
            f"SELECT l.shop_id, l.file_id, f.snapshot_date, "
            f"{', '.join('l.' + c for c in LISTING_STORED)} "
            "FROM listings l JOIN files f ON f.id = l.file_id WHERE 1 = 1"
        )
        params: list[Any] = []
        if until_month:
            sql += " AND f.snapshot_date < ?"
            params.append(month_bounds(until_month)[1].date().isoformat())
        frame = pd.DataFrame(
            self.connection.execute(sql + " ORDER BY l.file_id, l.rowid", params).fetchall(),
            columns=["shop_id", "file_id", "snapshot_date", *LISTING_STORED],
        )
        if shop_ids is not None:
            frame = frame[frame["shop_id"].isin(list(shop_ids))].reset_index(drop=True)
        return _listing_types(frame)

    @ledger_errors
    def export_coverage(self, month: str) -> dict[str, ShopCoverage]:
        """Per shop with any imported order file: what the ledger holds for `month`."""
        code = month_code(month)
        in_month = {row[0]: row for row in self.connection.execute(_COVERAGE_IN_MONTH_SQL, (code,))}
        quiet = self._empty_exports(month)
        coverage: dict[str, ShopCoverage] = {}
        for shop_id, marketplaces, latest in self.connection.execute(_COVERAGE_SHOPS_SQL):
            row = in_month.get(shop_id)
            empty = quiet.get(shop_id, ())
            coverage[shop_id] = ShopCoverage(
                shop_id=shop_id,
                marketplaces=tuple(sorted(set((marketplaces or "").split(",")) - {""})),
                files=(row[1] if row else 0) + len(empty),
                lines=row[2] if row else 0,
                first_order_at=_from_seconds(row[3]) if row else None,
                last_order_at=_from_seconds(row[4]) if row else None,
                latest_export_at=_parse_stamp(latest),
                periods=(self._periods(shop_id, code) if row else ()) + empty,
            )
        return coverage

    def _empty_exports(self, month: str) -> dict[str, tuple[tuple[dt.date, dt.date], ...]]:
        """Imported order exports without a single line (the shop sold nothing) whose
        stated period overlaps `month`, per shop: they count as received."""
        first, end = month_bounds(month)
        last = (end - dt.timedelta(days=1)).date().isoformat()
        found: dict[str, tuple[tuple[dt.date, dt.date], ...]] = {}
        for shop_id, start, finish in self.connection.execute(
            _COVERAGE_EMPTY_SQL, (last, first.date().isoformat())
        ):
            period = (dt.date.fromisoformat(start), dt.date.fromisoformat(finish))
            found[shop_id] = (*found.get(shop_id, ()), period)
        return found

    @ledger_errors
    def status_counts(self, months: Sequence[str]) -> list[tuple[str, str, int]]:
        """(marketplace, status as the file wrote it, lines) of the lines of `months`."""
        codes = sorted({month_code(m) for m in months})
        if not codes:
            return []
        table, _ = decode_files(self._blobs_for(codes, []), ["marketplace", "status_raw"])
        table = table.filter(pa.array(np.isin(table["month"].to_numpy(), codes)))
        counts = table.group_by(["marketplace", "status_raw"]).aggregate([([], "count_all")])
        rows = zip(*(counts[n].to_pylist() for n in ("marketplace", "status_raw", "count_all")),
                   strict=True)  # fmt: skip
        return sorted((str(m), str(s), int(n)) for m, s, n in rows)

    def _periods(self, shop_id: str, code: int) -> tuple[tuple[dt.date, dt.date], ...]:
        rows = self.connection.execute(_COVERAGE_PERIODS_SQL, (shop_id, code))
        return tuple((dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in rows)

    # ---- runs

    @ledger_errors
    def record_run(self, record: RunRecord) -> int:
        """Store the run: a new row, or its started row (`run_id`) brought up to date.

        Runs call this when they start (status "running") and when they end, so a run that
        is killed in between still has its row; `interrupt_stale_runs` closes it later.
        """
        values = _run_values(record)
        with self.transaction() as conn:
            if record.run_id is not None:
                conn.execute(f"UPDATE runs SET {_RUN_SET} WHERE id = ?", (*values, record.run_id))
                return record.run_id
            cursor = conn.execute(f"INSERT INTO runs ({_RUN_FIELDS}) VALUES ({_RUN_MARKS})", values)
        record.run_id = int(cursor.lastrowid or 0)
        return record.run_id

    @ledger_errors
    def interrupt_stale_runs(self, message: str) -> list[RunRecord]:
        """Runs still "running" are runs that were killed: the caller holds the run lock, so
        no other run can be in progress. They become "interrupted"; returned for the log."""
        stale = self._runs("WHERE status = 'running' ORDER BY id", ())
        for run in stale:
            run.status, run.message = "interrupted", message
            self.record_run(run)
        return stale

    @ledger_errors
    def last_good_registry(self) -> dict[str, int] | None:
        """Rows per registry tab at the newest sync that published (None: none yet)."""
        found = self._runs("WHERE command = 'sync' AND status = 'ok' ORDER BY id DESC LIMIT 1", ())
        return found[0].registry or None if found else None

    @ledger_errors
    def last_sync(self) -> RunRecord | None:
        found = self._runs("WHERE command = 'sync' ORDER BY id DESC LIMIT 1", ())
        return found[0] if found else None

    @ledger_errors
    def recent_runs(self, limit: int = 200) -> list[RunRecord]:
        """The newest `limit` runs, newest first."""
        return self._runs("ORDER BY id DESC LIMIT ?", (limit,))

    def _runs(self, tail: str, params: tuple[object, ...]) -> list[RunRecord]:
        from sheetsync.runlog import RunRecord

        rows = self.connection.execute(
            f"SELECT id, {_RUN_FIELDS} FROM runs {tail}", params
        ).fetchall()
        runs = []
        for run_id, command, started, ended, status, *counts, detail in rows:
            extra = json.loads(detail or "{}")
            run = RunRecord(command, _parse_stamp(started) or dt.datetime.min, run_id=run_id)
            run.ended_at, run.status = _parse_stamp(ended), status
            (
                run.files_imported,
                run.rows_rejected,
                run.validation_errors,
                run.validation_warnings,
                run.sheets_requests,
                run.emails_sent,
            ) = counts
            run.message, run.changes = extra.get("message", ""), extra.get("changes", [])
            run.registry = extra.get("registry", {})
            runs.append(run)
        return runs

    # ---- sends: read and written by sendlog.SendLog on this connection (one API)

    # ---- KPI snapshots

    @ledger_errors
    def save_kpi_snapshot(
        self,
        month: str,
        levels: Mapping[str, Any],
        *,
        computed_at: dt.datetime,
    ) -> None:
        """Replace the month's snapshot in one transaction.

        `levels` maps a level name to either {key: {metric: value}} or a sequence of
        records (dicts) holding the level's key column (kpi_schema.LEVEL_KEYS).
        """
        stamp = _stamp(computed_at)
        rows = [
            (month, level, key, metric, _snapshot_value(value), stamp)
            for level, per_key in levels.items()
            for key, metrics in _keyed_records(level, per_key).items()
            for metric, value in metrics.items()
        ]
        with self.transaction() as conn:
            conn.execute("DELETE FROM kpi_snapshots WHERE month = ?", (month,))
            conn.executemany("INSERT INTO kpi_snapshots VALUES (?, ?, ?, ?, ?, ?)", rows)

    @ledger_errors
    def kpi_snapshot(self, month: str) -> dict[str, dict[str, dict[str, Any]]]:
        """The month's last saved snapshot: {level: {key: {metric: value}}}; {} if none."""
        snapshot: dict[str, dict[str, dict[str, Any]]] = {}
        rows = self.connection.execute(
            "SELECT level, key, metric, value FROM kpi_snapshots WHERE month = ?", (month,)
        )
        for level, key, metric, value in rows:
            snapshot.setdefault(level, {}).setdefault(key, {})[metric] = value
        return snapshot

    @ledger_errors
    def kpi_snapshot_time(self, month: str) -> dt.datetime | None:
        row = self.connection.execute(
            "SELECT MAX(computed_at) FROM kpi_snapshots WHERE month = ?", (month,)
        ).fetchone()
        return _parse_stamp(row[0])

    # ---- computed figures, reused while their inputs are unchanged (monthkpi.py)

    @ledger_errors
    def data_fingerprint(self) -> str:
        """Changes whenever what KPIs read from the ledger may have changed: every manifest
        row (a file imported, replaced or moved to another shop) and the line count."""
        digest = hashlib.sha256(str(self.line_count()).encode())
        for row in self.connection.execute("SELECT * FROM files ORDER BY id"):
            digest.update(repr(row).encode())
        return digest.hexdigest()

    @ledger_errors
    def cached_result(self, month: str, inputs: str) -> bytes | None:
        row = self.connection.execute(
            "SELECT result FROM kpi_cache WHERE month = ? AND inputs = ?", (month, inputs)
        ).fetchone()
        return None if row is None else bytes(row[0])

    @ledger_errors
    def cache_result(self, month: str, inputs: str, result: bytes) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO kpi_cache (month, inputs, result) VALUES (?, ?, ?)",
                (month, inputs, result),
            )

    # ---- small figures for ingest and doctor

    @ledger_errors
    def line_count(self) -> int:
        """Order lines stored, in every file."""
        row = self.connection.execute("SELECT COALESCE(SUM(lines), 0) FROM order_blobs")
        return int(row.fetchone()[0])

    @ledger_errors
    def file_issues(self, file_id: int) -> list[Issue]:
        """The issues recorded with one file (shown again by `sheetsync explain`)."""
        source = self.connection.execute("SELECT source FROM files WHERE id = ?", (file_id,))
        name = (source.fetchone() or ("",))[0]
        rows = self.connection.execute(
            'SELECT code, severity, source_row, "column", value, message FROM rejected_rows '
            "WHERE file_id = ? ORDER BY rowid",
            (file_id,),
        )
        return [Issue(c, Severity(s), name, r, col, v, m) for c, s, r, col, v, m in rows]


# --------------------------------------------------------------------------- helpers

# Snapshot order: the day the export's name gives (period end or export time), else the
# day it was imported; within a day the name's export time, then the import order.
_RANKED_FILES_SQL = (
    "SELECT id, ROW_NUMBER() OVER (ORDER BY COALESCE(period_end, CASE date_source WHEN 'name' "
    "THEN substr(dated_at, 1, 10) END, substr(imported_at, 1, 10)), CASE date_source WHEN "
    "'name' THEN dated_at END, import_seq) FROM files WHERE status = 'imported'"
)
_COVERAGE_IN_MONTH_SQL = (
    "SELECT f.shop_id, COUNT(DISTINCT m.file_id), SUM(m.lines), MIN(m.first_at), "
    "MAX(m.last_at) FROM file_months m JOIN files f ON f.id = m.file_id WHERE m.month = ? "
    "GROUP BY f.shop_id"
)
_COVERAGE_SHOPS_SQL = (
    "SELECT shop_id, GROUP_CONCAT(DISTINCT marketplace), MAX(COALESCE(dated_at, "
    "downloaded_at, imported_at)) FROM files WHERE status = 'imported' AND kind = 'orders' "
    "GROUP BY shop_id"
)
_COVERAGE_EMPTY_SQL = (
    "SELECT shop_id, period_start, period_end FROM files WHERE status = 'imported' AND "
    "kind = 'orders' AND lines = 0 AND period_end IS NOT NULL AND period_start <= ? AND "
    "period_end >= ? ORDER BY shop_id, period_start"
)
_COVERAGE_PERIODS_SQL = (
    "SELECT DISTINCT period_start, period_end FROM files WHERE shop_id = ? AND period_end IS "
    "NOT NULL AND id IN (SELECT file_id FROM file_months WHERE month = ?) ORDER BY "
    "period_start"
)


_RUN_COLUMNS = ("command", "started_at", "ended_at", "status", "files_imported",
                "rows_rejected", "errors", "warnings", "sheets_requests", "emails_sent",
                "detail")  # fmt: skip
_RUN_FIELDS = ", ".join(_RUN_COLUMNS)
_RUN_MARKS = ", ".join("?" for _ in _RUN_COLUMNS)
_RUN_SET = ", ".join(f"{c} = ?" for c in _RUN_COLUMNS)


def _run_values(record: RunRecord) -> tuple[object, ...]:
    """A RunRecord as the values of `_RUN_COLUMNS`."""
    return (
        record.command,
        _stamp(record.started_at),
        _stamp(record.ended_at),
        record.status,
        record.files_imported,
        record.rows_rejected,
        record.validation_errors,
        record.validation_warnings,
        record.sheets_requests,
        record.emails_sent,
        json.dumps(
            {"message": record.message, "changes": record.changes, "registry": record.registry}
        ),
    )


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


def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """WAL, foreign keys, a busy timeout; autocommit mode so transactions are explicit."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _use_wal(conn, busy_timeout_ms / 1000)
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable across process crashes
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
        # checkpoint every ~32 MB of WAL, not every 4 MB: each checkpoint syncs the disk,
        # and at province scale the default made imports a third slower
        conn.execute("PRAGMA wal_autocheckpoint = 8000")
    except sqlite3.OperationalError as exc:
        locked = "locked" in str(exc) or "busy" in str(exc)
        hint = "Another program holds it; try again later." if locked else "Check the path."
        raise LedgerError(
            f"Cannot open the ledger {path}: {exc}. {hint}", retryable=locked
        ) from exc
    except sqlite3.DatabaseError as exc:
        raise LedgerError(
            f"Cannot open the ledger {path}: {exc}. Restore the newest backup or move the "
            "file away to start a new ledger."
        ) from exc
    return conn


def _use_wal(conn: sqlite3.Connection, timeout_s: float) -> None:
    """Switch a new ledger to WAL (it stays so). SQLite answers "locked" at once, without
    its busy handler, when several processes make that switch together: so wait here."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    if str(mode).lower() != "wal":  # e.g. a network share without shared memory
        raise sqlite3.OperationalError(
            f"WAL journal not available here (got {mode}); keep the ledger on a local disk"
        )


def _prune_backups(dest_dir: Path, prefix: str, keep: int) -> None:
    copies = sorted(p for p in dest_dir.glob(f"{prefix}*.sqlite"))
    for old in copies[:-keep]:
        old.unlink(missing_ok=True)


def _stored_count(parsed: ParsedExport, packed: PackedLines | None) -> int:
    if parsed.rejected:
        return 0
    if packed is not None:
        return packed.count
    return 0 if parsed.lines is None else len(parsed.lines)


def _insert_file_row(
    conn: sqlite3.Connection,
    meta: FileMeta,
    parsed: ParsedExport,
    imported_at: dt.datetime,
    stored: int,
) -> int:
    period = parsed.period
    status = "rejected" if parsed.rejected else "imported"
    row_errors = sum(1 for i in parsed.issues if i.is_error and i.row is not None)
    message = " ".join(i.message for i in parsed.issues if i.row is None)
    downloaded = meta.downloaded_at
    dated = file_date(parsed.exported_at, period, downloaded, imported_at)
    cursor = conn.execute(
        "INSERT INTO files (sha256, path, source, size, mtime, shop_id, marketplace, layout, "
        "kind, status, period_start, period_end, downloaded_at, snapshot_date, import_seq, "
        "imported_at, rows_read, lines, rejected_rows, message, reader_version, dated_at, "
        "date_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "(SELECT COALESCE(MAX(import_seq), 0) + 1 FROM files), ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            meta.sha256, meta.path, meta.source, meta.size, meta.mtime, meta.shop_id,
            parsed.marketplace.value if parsed.marketplace else None, parsed.layout or "",
            parsed.kind, status,
            period[0].isoformat() if period else None, period[1].isoformat() if period else None,
            _stamp(downloaded), dated.at.date().isoformat(), _stamp(imported_at),
            parsed.rows_read, stored, row_errors, message, __version__, _stamp(dated.at),
            str(dated.source),
        ),
    )  # fmt: skip
    return int(cursor.lastrowid or 0)


def _insert_order_lines(conn: sqlite3.Connection, file_id: int, packed: PackedLines) -> None:
    """The file's blob and its per-month coverage (nothing for a file without lines)."""
    if packed.count == 0:
        return
    conn.execute(
        "INSERT INTO order_blobs (file_id, lines, format, data) VALUES (?, ?, ?, ?)",
        (file_id, packed.count, BLOB_FORMAT, packed.blob),
    )
    conn.executemany(
        "INSERT INTO file_months (file_id, month, lines, first_at, last_at) VALUES (?, ?, ?, ?, ?)",
        [(file_id, m.month, m.lines, m.first_at, m.last_at) for m in packed.months],
    )


def _insert_listings(
    conn: sqlite3.Connection, file_id: int, shop_id: str, lines: pd.DataFrame
) -> None:
    if lines.empty:
        return
    columns = [_listing_values(lines, name) for name in LISTING_STORED]
    conn.executemany(
        f"INSERT INTO listings (file_id, shop_id, {', '.join(LISTING_STORED)}) "
        f"VALUES ({', '.join('?' * (len(LISTING_STORED) + 2))})",
        zip(itertools.repeat(file_id), itertools.repeat(shop_id), *columns),
    )


def _listing_values(lines: pd.DataFrame, name: str) -> list[Any]:
    if name not in lines.columns:
        if name in ("product_id", "source_row"):
            raise ValueError(f"listing lines lack the column {name!r}")
        return [None if name in ("price_idr", "stock") else ""] * len(lines)
    column = lines[name]
    if name in ("price_idr", "stock"):
        return [None if pd.isna(v) else int(v) for v in column.tolist()]
    if name == "source_row":
        return column.astype("int64").tolist()
    return column.astype("str").fillna("").tolist()


def _insert_issues(conn: sqlite3.Connection, file_id: int, issues: Sequence[Issue]) -> None:
    """Issue values are stored masked where they are buyer data, whoever built the issue."""
    from sheetsync.redact import masked_issues

    issues = masked_issues(list(issues))
    conn.executemany(
        'INSERT INTO rejected_rows (file_id, source_row, severity, code, "column", value, '
        "message) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (file_id, i.row, i.severity.value, i.code, i.column,
             None if i.value is None else str(i.value)[:200], i.message)
            for i in issues
        ),
    )  # fmt: skip


def _line_columns(columns: Sequence[str] | None) -> list[str]:
    wanted = list(columns) if columns else list(LINE_COLUMNS)
    unknown = set(wanted) - set(LINE_COLUMNS)
    if unknown:
        raise ValueError(f"unknown order-line columns: {sorted(unknown)}")
    return [c for c in wanted if c not in ("shop_id", "file_id", "file_rank")]


def month_code(month: str) -> int:
    """'2026-08' -> 202608, the `order_lines.month` key."""
    year, mon = month.split("-")
    return int(year) * 100 + int(mon)


def _month_mask(table: pa.Table, codes: list[int], near: list[int]) -> np.ndarray:
    """The months' lines, plus the lines of the same orders (shop + order number) in the
    neighbouring months: another export may date an order a little differently."""
    month = table["month"].to_numpy()
    inside = np.isin(month, codes)
    if not near or inside.all():
        return inside
    key = pc.binary_join_element_wise(table["shop_id"], table["order_id"], "\x1f")
    wanted = pc.unique(key.filter(pa.array(inside)))
    same_order = pc.is_in(key, value_set=wanted).to_numpy(zero_copy_only=False)
    return inside | (np.isin(month, near) & same_order)


def _neighbour_codes(code: int) -> tuple[int, int]:
    """The yyyymm codes of the month before and after."""
    year, month = divmod(code, 100)
    before = code - 1 if month > 1 else (year - 1) * 100 + 12
    after = code + 1 if month < 12 else (year + 1) * 100 + 1
    return before, after


def _ranks_for(file_ids: pd.Series, ranks: Mapping[int, int]) -> pd.Series:
    lookup = np.zeros(max(ranks, default=0) + 1, dtype="int64")
    lookup[list(ranks)] = list(ranks.values())
    return pd.Series(lookup[file_ids.to_numpy(dtype="int64")], index=file_ids.index)


def _empty_lines_frame(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({name: _typed(name, []) for name in names})


def _typed(name: str, values: Sequence[Any]) -> Any:
    if name == "created_at":
        seconds = np.fromiter(values, dtype="int64", count=len(values))
        return pd.Series(_EPOCH + seconds.astype("timedelta64[s]"))
    if name in (*INT_LINE_COLUMNS, "file_id", "file_rank"):
        return pd.Series(np.fromiter(values, dtype="int64", count=len(values)))
    return pd.Series(list(values), dtype="str")


def _listing_types(frame: pd.DataFrame) -> pd.DataFrame:
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"]).astype("datetime64[s]")
    for name in ("price_idr", "stock"):
        frame[name] = frame[name].astype("Int64")
    for name in ("file_id", "source_row"):
        frame[name] = frame[name].astype("int64")
    for name in ("shop_id", "product_id", "product_name", "variation_id", "variation", "sku"):
        frame[name] = frame[name].astype("str")
    return frame


def _keyed_records(level: str, records: Any) -> dict[str, Mapping[str, Any]]:
    """{key: {metric: value}} from either that shape or a list of row dicts."""
    if isinstance(records, Mapping):
        return {str(k): v for k, v in records.items()}
    from sheetsync.kpi_schema import LEVEL_KEYS

    key_column = LEVEL_KEYS.get(level, "key")
    keyed: dict[str, Mapping[str, Any]] = {}
    for record in records:
        key = str(record.get(key_column, ""))
        keyed[key] = {m: v for m, v in record.items() if m != key_column}
    return keyed


def _snapshot_value(value: Any) -> Any:
    """Numbers stay numbers; NaN/NA become NULL; anything else is kept as text."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, np.integer | np.floating):
        return None if pd.isna(value) else value.item()
    return None if value is pd.NA else str(value)


def _from_seconds(seconds: int | None) -> dt.datetime | None:
    return None if seconds is None else dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)


def _stamp(moment: dt.datetime | None) -> str | None:
    return moment.strftime(_STAMP) if moment else None


def _parse_stamp(text: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(text, _STAMP) if text else None
