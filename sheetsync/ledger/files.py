"""The manifest: every export file the ledger has read, stored in ONE transaction each.

A file's manifest row, its order lines (one blob, lines.py) or listing rows, and its
issues are written together, so the manifest can never claim a file whose lines are
missing, or the reverse. A rejected file is recorded too, with its reason, so it is not
read again until its content (sha256) changes or a newer sheetsync reads it. Each file is
dated by what its name states (export time or period) before its mtime (filenames.py).
`seen_paths` remembers each path's hash by size and mtime, so unchanged files are not
hashed again. Issue values are masked where they are buyer data (redact.py).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sheetsync import __version__
from sheetsync.issues import Issue, Severity
from sheetsync.ledger.database import Database, ledger_errors
from sheetsync.ledger.lines import _insert_order_lines
from sheetsync.ledger.linestore import PackedLines, pack_order_lines, pack_order_table
from sheetsync.ledger.listings import _insert_listings
from sheetsync.ledger.stamps import stamp
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.marketplaces.filenames import file_date


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


class Manifest(Database):
    """The files of one open ledger: storing a read export, and the manifest rows."""

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
            lines = parsed.table
            packed = pack_order_lines(parsed.lines) if lines is None else pack_order_table(lines)
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
        if parsed.kind == "orders" and packed is not None and packed.count:
            self.stored_blobs.keep(file_id, packed.blob)
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
            stamp(downloaded), dated.at.date().isoformat(), stamp(imported_at),
            parsed.rows_read, stored, row_errors, message, __version__, stamp(dated.at),
            str(dated.source),
        ),
    )  # fmt: skip
    return int(cursor.lastrowid or 0)


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
