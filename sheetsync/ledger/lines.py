"""Order lines in the ledger: a file's blob stored at import, months read back by decoding.

Each imported order file's lines are ONE Arrow blob (`order_blobs`, linestore.py) beside a
row per month it holds lines in (`file_months`: lines, first and last order time) and per
month and status text (`file_statuses`), so a month is read back by decoding only the
blobs of the files with lines in it, and coverage, "which files" and the unknown-status
check never decode. Lines carry no shop: the file row's `shop_id` is theirs.
Reading a month brings along the same orders' lines in the neighbouring months, and ranks
each file as a snapshot (oldest first) so kpi can keep one snapshot per order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sheetsync.kpi.columns import text_code_count
from sheetsync.ledger.database import Database, ledger_errors
from sheetsync.ledger.linestore import (
    BLOB_FORMAT,
    INT_LINE_COLUMNS,
    LINE_COLUMNS,
    PARALLEL_UNPACK_MIN,
    TEXT_COLUMNS,
    PackedLines,
    decode_files,
    lines_frame,
)
from sheetsync.procpool import usable_cores

# Snapshot order: the day the export's name gives (period end or export time), else the
# day it was imported; within a day the name's export time, then the import order.
_RANKED_FILES_SQL = (
    "SELECT id, ROW_NUMBER() OVER (ORDER BY COALESCE(period_end, CASE date_source WHEN 'name' "
    "THEN substr(dated_at, 1, 10) END, substr(imported_at, 1, 10)), CASE date_source WHEN "
    "'name' THEN dated_at END, import_seq) FROM files WHERE status = 'imported'"
)


class OrderLines(Database):
    """The order lines of one open ledger, read by month."""

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
        table = self.order_table_for_months(months, columns=columns, shop_ids=shop_ids)
        frame = lines_frame(table.drop_columns(["file_rank"]))
        frame["file_rank"] = np.array(table["file_rank"].to_numpy(), dtype="int64")
        return frame

    @ledger_errors
    def order_table_for_months(
        self,
        months: Sequence[str],
        *,
        columns: Sequence[str] | None = None,
        shop_ids: Collection[str] | None = None,
    ) -> pa.Table:
        """`order_lines_for_months` as the decoded Arrow table, never turned into pandas
        (texts stay Arrow strings, `created_at` a timestamp): what compute_kpis reads at
        province scale (kpi.columns)."""
        (table,) = self.order_tables_for_windows([months], columns=columns, shop_ids=shop_ids)
        return table

    @ledger_errors
    def order_tables_for_windows(
        self,
        windows: Sequence[Sequence[str]],
        *,
        columns: Sequence[str] | None = None,
        shop_ids: Collection[str] | None = None,
    ) -> list[pa.Table]:
        """`order_table_for_months` of each window of months, every blob decoded once: a
        sync computes this month and the last, whose 12-month windows share 11 months."""
        wanted = _line_columns(columns)
        names = [*wanted, "shop_id", "file_id"]
        spans = [self._window_codes(window) for window in windows]
        every = sorted({c for codes, near in spans for c in (*codes, *near)})
        if not every or (shop_ids is not None and not shop_ids):
            return [_empty_lines_table(names) for _ in windows]
        blobs = self._blobs_for(every, sorted(shop_ids or ()))
        texts = [*dict.fromkeys([*wanted, "order_id"])]
        table, _ = decode_files(blobs, texts, numbered=[n for n in texts if n in TEXT_COLUMNS])
        table = _order_ids_numbered(table)
        masks = [_month_mask(table, codes, near) if codes else None for codes, near in spans]
        ranks = self.file_ranks()
        return [_window_table(table, keep, names, ranks) for keep in masks]

    def _window_codes(self, months: Sequence[str]) -> tuple[list[int], list[int]]:
        """(yyyymm codes of `months`, the neighbouring months that hold lines)."""
        codes = sorted({month_code(m) for m in months})
        near = [n for n in sorted({n for c in codes for n in _neighbour_codes(c)} - set(codes))
                if self._has_month(n)]  # fmt: skip
        return codes, near

    def _has_month(self, code: int) -> bool:
        found = self.connection.execute("SELECT 1 FROM file_months WHERE month = ? LIMIT 1",
                                        (code,))  # fmt: skip
        return found.fetchone() is not None

    def _blobs_for(self, codes: list[int], shops: list[str]) -> Iterator[tuple[int, str, bytes]]:
        """(file_id, shop_id, blob) of every file with lines in `codes`, in file order: a
        cursor, so the first blobs decode while the others are read. Blobs this run
        stored come from memory (`stored_blobs`), the others from the ledger."""
        marks = ", ".join("?" * len(codes))
        sql = (
            "SELECT f.id, f.shop_id{data} FROM order_blobs b JOIN files f ON f.id = b.file_id "
            f"WHERE b.file_id IN (SELECT file_id FROM file_months WHERE month IN ({marks}))"
        )
        if shops:
            sql += f" AND f.shop_id IN ({', '.join('?' * len(shops))})"
        sql += " ORDER BY f.id"
        if not self.stored_blobs:
            return iter(self.connection.execute(sql.format(data=", b.data"), [*codes, *shops]))
        files = self.connection.execute(sql.format(data=""), [*codes, *shops]).fetchall()
        return self._with_blobs(files)

    def _with_blobs(self, files: list[tuple[int, str]]) -> Iterator[tuple[int, str, bytes]]:
        for file_id, shop_id in files:
            blob = self.stored_blobs.get(file_id)
            if blob is None:
                found = self.connection.execute(
                    "SELECT data FROM order_blobs WHERE file_id = ?", (file_id,)
                ).fetchone()
                if found is None:  # gone since the list was read: as if read a moment later
                    continue
                blob = found[0]
            yield file_id, shop_id, blob

    @ledger_errors
    def file_ranks(self) -> dict[int, int]:
        """file id -> snapshot rank (1 = oldest) of every imported file."""
        return dict(self.connection.execute(_RANKED_FILES_SQL).fetchall())

    @ledger_errors
    def status_counts(self, months: Sequence[str]) -> list[tuple[str, str, int]]:
        """(marketplace, status as the file wrote it, lines) of the lines of `months`, from
        the counts each file's import recorded (`file_statuses`): nothing is decoded."""
        codes = sorted({month_code(m) for m in months})
        if not codes:
            return []
        rows = self.connection.execute(
            "SELECT marketplace, status_raw, SUM(lines) FROM file_statuses WHERE month IN "
            f"({', '.join('?' * len(codes))}) AND file_id IN (SELECT file_id FROM order_blobs) "
            "GROUP BY marketplace, status_raw",
            codes,
        ).fetchall()
        return sorted((str(m), str(s), int(n)) for m, s, n in rows)

    @ledger_errors
    def line_count(self) -> int:
        """Order lines stored, in every file."""
        return stored_line_count(self.connection)


def stored_line_count(conn: sqlite3.Connection) -> int:
    """Order lines stored, in every file: the sum of what each file holds per month
    (`file_months`, stored with its blob), so nothing is decoded and no blob's page is
    read (summing the blobs' own counts read a page per file: 30 ms a run at province
    scale, on every run, the warm ones too)."""
    row = conn.execute("SELECT COALESCE(SUM(lines), 0) FROM file_months")
    return int(row.fetchone()[0])


def _insert_order_lines(conn: sqlite3.Connection, file_id: int, packed: PackedLines) -> None:
    """The file's blob, its per-month coverage and status counts (nothing for a file
    without lines)."""
    _insert_blob_and_months(conn, file_id, packed)
    conn.executemany(
        "INSERT INTO file_statuses (file_id, month, marketplace, status_raw, lines) "
        "VALUES (?, ?, ?, ?, ?)",
        [(file_id, s.month, s.marketplace, s.status_raw, s.lines) for s in packed.statuses],
    )


def _insert_blob_and_months(conn: sqlite3.Connection, file_id: int, packed: PackedLines) -> None:
    """The file's blob and its per-month coverage: all a v5 ledger holds (its migration
    stores blobs before `file_statuses` exists; v9 counts them)."""
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


def month_code(month: str) -> int:
    """'2026-08' -> 202608, the `file_months.month` key (and a blob's `month` column)."""
    year, mon = month.split("-")
    return int(year) * 100 + int(mon)


def _line_columns(columns: Sequence[str] | None) -> list[str]:
    wanted = list(columns) if columns else list(LINE_COLUMNS)
    unknown = set(wanted) - set(LINE_COLUMNS)
    if unknown:
        raise ValueError(f"unknown order-line columns: {sorted(unknown)}")
    return [c for c in wanted if c not in ("shop_id", "file_id", "file_rank")]


def _month_mask(table: pa.Table, codes: list[int], near: list[int]) -> np.ndarray:
    """The months' lines, plus the lines of the same orders (shop + order number) in the
    neighbouring months: another export may date an order a little differently."""
    month = table["month"].to_numpy()
    inside = np.isin(month, codes)
    if not near or inside.all():
        return inside
    keys = _order_keys(table)
    return inside | (np.isin(month, near) & np.isin(keys, keys[inside]))


def _order_keys(table: pa.Table) -> np.ndarray:
    """Shop + order number of each line as one integer (both numbered by Arrow)."""
    shops, _ = text_code_count(table, "shop_id")
    orders, order_count = text_code_count(table, "order_id")
    return shops * (order_count + 1) + orders


def _neighbour_codes(code: int) -> tuple[int, int]:
    """The yyyymm codes of the month before and after."""
    year, month = divmod(code, 100)
    before = code - 1 if month > 1 else (year - 1) * 100 + 12
    after = code + 1 if month < 12 else (year + 1) * 100 + 1
    return before, after


def _order_ids_numbered(table: pa.Table) -> pa.Table:
    """Order ids numbered once for every window (kpi.columns reads the codes as they
    are): numbering a million ids line by line in each window was the dearest step of
    each month's KPIs. Blobs store each file's distinct ids (linestore): only those are
    hashed (`_numbered_by_shop`). Ids of older blobs (plain texts) are joined and hashed
    in one pass: numbering them blob by blob on the decoding threads, then unifying the
    blobs' dictionaries, cost about half as much CPU again."""
    at = table.column_names.index("order_id")
    ids = table["order_id"]
    if pa.types.is_dictionary(ids.type) and ids.num_chunks:
        numbered = _numbered_by_shop(ids, _shop_of_each_chunk(table))
    else:
        numbered = ids.combine_chunks().dictionary_encode()
    return table.set_column(at, "order_id", numbered)


def _shop_of_each_chunk(table: pa.Table) -> np.ndarray:
    """The shop code of each chunk of order ids: a chunk never spans two files
    (decode_files joins the files' tables), so its first line's shop is its file's."""
    lengths = np.array([len(chunk) for chunk in table["order_id"].chunks], dtype=np.int64)
    shops = table["shop_id"].combine_chunks()
    codes = np.asarray(shops.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    return codes[np.minimum(starts, max(len(codes) - 1, 0))] if len(codes) else starts


def _numbered_by_shop(column: pa.ChunkedArray, shop_of_chunk: np.ndarray) -> pa.DictionaryArray:
    """Files' numbered ids as one array over one dictionary: the files split by shop into
    one part per core, each part's dictionaries unified on its own thread (Arrow hashes
    without the GIL), the parts' dictionaries then placed one after the other. An id is
    numbered alike in every file of its shop, all an order (shop + id) needs; the same
    text in shops of two parts may get two codes, so the dictionary may repeat a text."""
    parts = min(usable_cores(), 2) if column.num_chunks >= PARALLEL_UNPACK_MIN else 1
    groups = [g for g in (np.flatnonzero(shop_of_chunk % parts == p) for p in range(parts))
              if len(g)]  # fmt: skip

    def unified(chunks: np.ndarray) -> pa.ChunkedArray:
        return pa.chunked_array([column.chunk(int(i)) for i in chunks]).unify_dictionaries()

    if len(groups) > 1:
        with ThreadPoolExecutor(max_workers=len(groups)) as pool:
            parts_done = list(pool.map(unified, groups))
    else:
        parts_done = [unified(g) for g in groups]
    pieces: list[pa.Array] = [pa.array([], pa.int32())] * column.num_chunks
    offset = 0
    for chunks, done in zip(groups, parts_done, strict=True):
        for at, chunk in zip(chunks, done.chunks, strict=True):
            pieces[int(at)] = pc.add(chunk.indices, pa.scalar(offset, pa.int32()))
        offset += len(done.chunk(0).dictionary)
    dictionary = pa.concat_arrays([done.chunk(0).dictionary for done in parts_done])
    return pa.DictionaryArray.from_arrays(pa.concat_arrays(pieces), dictionary)


def _window_table(
    table: pa.Table, keep: np.ndarray | None, names: list[str], ranks: Mapping[int, int]
) -> pa.Table:
    """One window's lines out of the decoded union (`keep`: its mask, None for a window
    of no month): `names`, `created_at` as a timestamp and each file's snapshot rank."""
    if keep is None:
        return _empty_lines_table(names)
    if not keep.all():  # filtering copies every column: only when something goes
        table = table.filter(pa.array(keep))
    table = table.select(names)
    if "created_at" in names:
        at = names.index("created_at")
        table = table.set_column(at, "created_at", table["created_at"].cast(pa.timestamp("s")))
    file_rank = pa.array(_ranks_for(table["file_id"].to_numpy(), ranks), pa.int64())
    return table.append_column("file_rank", file_rank)


def _ranks_for(file_ids: np.ndarray, ranks: Mapping[int, int]) -> np.ndarray:
    lookup = np.zeros(max(ranks, default=0) + 1, dtype="int64")
    lookup[list(ranks)] = list(ranks.values())
    return lookup[np.asarray(file_ids, dtype="int64")]


def _empty_lines_table(names: list[str]) -> pa.Table:
    """No lines, with the columns and types a decoded month has."""
    types = {"created_at": pa.timestamp("s")}
    fields = [(n, types.get(n, pa.int64() if n in (*INT_LINE_COLUMNS, "file_id") else pa.string()))
              for n in [*names, "file_rank"]]  # fmt: skip
    return pa.schema(fields).empty_table()
