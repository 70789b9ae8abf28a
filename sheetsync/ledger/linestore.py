"""One file's order lines as ONE compressed Arrow IPC blob, and back.

Why a blob per file instead of one SQLite row per line: at province scale (~1,000,000
lines a month) inserting lines into a clustered table was a third of a sync and reading
them back a fifth. A file's lines are written once and never updated (a newer export is
another file), so they can travel as one value: the reader process packs them, the single
writer stores the blob in the same transaction as the file's manifest row and issues
(durability unchanged), and a month is read back by decoding the blobs of the files that
hold lines in it. Which files those are, and what each holds per month, is kept beside the
blob at import (`file_months`), so coverage questions never decode a blob.

Inside the blob the canonical ORDER_LINE_COLUMNS in order, `created_at` as naive local
seconds since 1970 and `month` as yyyymm; a line's position is its `line_seq`. The shop is
NOT in the blob: it is the file's (files.shop_id), so a renamed shop folder moves a file's
lines by updating one row.

Text columns are stored numbered (`order_blobs.format` 'arrow-ipc-file-lz4-dict'): each
as the file's distinct texts plus a code per line (an Arrow dictionary column). A file
repeats its marketplace, statuses and products on every line and each order id on each
of the order's lines, so the blob is near half the size (less to read back), and a month
read hashes only each file's distinct order ids to number them across files. Blobs
written before ('arrow-ipc-file-lz4') hold plain texts and are read as they are: the
reader goes by the types the blob's own schema states, and hands every caller plain
texts unless it asks for a column of every file numbered (`decode_files`). No migration.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sheetsync.ledger.stamps import EPOCH
from sheetsync.model import ORDER_LINE_COLUMNS
from sheetsync.procpool import usable_cores

LINE_COLUMNS = tuple(ORDER_LINE_COLUMNS)  # canonical order, as stored
INT_LINE_COLUMNS = ("line_no", "quantity", "unit_price_idr", "line_sales_idr", "source_row")
OPTIONAL_TEXT_COLUMNS = ("product_id", "product_name", "variation", "status_raw",
                         "return_status_raw")  # fmt: skip
STORED_COLUMNS = (*LINE_COLUMNS, "month")
TEXT_COLUMNS = tuple(n for n in LINE_COLUMNS if n not in (*INT_LINE_COLUMNS, "created_at"))
PARALLEL_UNPACK_MIN = 16  # blobs; fewer are decoded in this thread (a pool costs more)
BLOB_FORMAT = "arrow-ipc-file-lz4-dict"  # texts numbered per file; before: "arrow-ipc-file-lz4"
_CODEC = "lz4" if pa.Codec.is_available("lz4") else None
_SCHEMA = pa.schema(
    [
        (name, pa.int64() if name in (*INT_LINE_COLUMNS, "created_at") else pa.string())
        for name in LINE_COLUMNS
    ]
    + [("month", pa.int32())]
)


@dataclass(frozen=True, slots=True)
class MonthSpan:
    """What one file holds in one month (recorded at import: coverage without decoding)."""

    month: int  # yyyymm
    lines: int
    first_at: int  # naive local seconds since 1970
    last_at: int


@dataclass(frozen=True, slots=True, order=True)
class StatusSpan:
    """How many of a file's lines in one month carry one status text, as the file wrote
    it (recorded at import: the unknown-status check of every sync decodes nothing)."""

    month: int  # yyyymm
    marketplace: str
    status_raw: str
    lines: int


@dataclass(frozen=True, slots=True)
class PackedLines:
    """A file's order lines, packed (in a reader process) for the single writer."""

    blob: bytes
    count: int
    months: tuple[MonthSpan, ...]
    statuses: tuple[StatusSpan, ...] = ()


# --------------------------------------------------------------------------- packing


def pack_order_lines(lines: pd.DataFrame) -> PackedLines:
    """Canonical lines -> PackedLines. Raises ValueError for what the ledger must not hold
    (missing column, empty order number or date, negative quantity): the file then fails
    as a whole, as a refused insert did."""
    seconds = _seconds(lines["created_at"]) if len(lines) else np.zeros(0, dtype="int64")
    columns = [_column(lines, name, seconds) for name in LINE_COLUMNS]
    return _packed(columns, seconds, [len(lines)])[0]


def pack_order_table(lines: pa.Table) -> PackedLines:
    """`pack_order_lines` for canonical lines still in Arrow (a reader's
    `build_order_table`): the same blob, without a round trip through pandas."""
    return _packed_table(lines, [lines.num_rows])[0]


def pack_order_tables(tables: Sequence[pa.Table]) -> list[PackedLines] | None:
    """`pack_order_table` of several files' lines, each file's own blob, spans and counts
    as it packs alone; the times, month codes, checks and status numbering are worked out
    for all the lines at once (a reader's batch: a few dozen column operations in all
    instead of per file). None when the lines cannot be packed together (tables of other
    shapes, or a line the ledger must not hold): the caller then packs each alone, so the
    file that holds it fails with the reason, and only that file.
    """
    if len(tables) < 2 or len({t.schema for t in tables}) > 1:
        return None
    try:
        return _packed_table(pa.concat_tables(tables), [t.num_rows for t in tables])
    except ValueError:
        return None


def _packed_table(lines: pa.Table, counts: Sequence[int]) -> list[PackedLines]:
    """Arrow lines packed in parts of `counts` lines (one per file)."""
    seconds = _table_seconds(lines["created_at"]) if lines.num_rows else np.zeros(0, "int64")
    present = frozenset(lines.column_names)  # built once: each call makes a new list
    columns = [_table_column(lines, name, seconds, present) for name in LINE_COLUMNS]
    return _packed(columns, seconds, counts)


def _packed(
    columns: list[pa.Array], seconds: np.ndarray, counts: Sequence[int]
) -> list[PackedLines]:
    """The checked lines, as one PackedLines per part of `counts` lines (one per file)."""
    months = _month_codes(seconds)
    table = pa.Table.from_arrays([*columns, pa.array(months, pa.int32())], schema=_SCHEMA)
    _check_storable(table)
    statuses = _StatusCodes.of(table) if table.num_rows else None
    packed, start = [], 0
    for count in counts:
        end = start + count
        counted = statuses.spans(start, end) if statuses is not None and count else ()
        blob = _to_blob(table.slice(start, count))
        packed.append(PackedLines(blob, count, _spans(months[start:end], seconds[start:end]),
                                  counted))  # fmt: skip
        start = end
    return packed


def _table_column(
    lines: pa.Table, name: str, seconds: np.ndarray, present: frozenset[str]
) -> pa.Array:
    if name == "created_at":
        return pa.array(seconds, pa.int64())
    if name not in present:
        if name in OPTIONAL_TEXT_COLUMNS:
            return pa.array(np.full(lines.num_rows, ""), pa.string())
        raise ValueError(f"order lines lack the column {name!r}")
    chunks = lines[name]
    column = chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()
    if name in INT_LINE_COLUMNS:
        if column.null_count:
            raise ValueError(f"order lines hold an empty {name}")
        return column if column.type == pa.int64() else column.cast(pa.int64())
    if column.type != pa.string():
        column = column.cast(pa.string())
    return column.fill_null("") if column.null_count else column


def _table_seconds(column: pa.ChunkedArray) -> np.ndarray:
    """Naive timestamps (local wall-clock time) -> whole seconds since 1970, as
    `_seconds` does for a DataFrame column."""
    if column.null_count:
        raise ValueError("order lines hold an empty created_at")
    values = column.combine_chunks()
    if getattr(values.type, "tz", None) is not None:
        values = pc.local_timestamp(values)
    stamps = values.cast(pa.timestamp("us"), safe=False) if values.type.unit != "us" else values
    return stamps.to_numpy(zero_copy_only=False).astype("datetime64[s]").astype("int64")


def _column(lines: pd.DataFrame, name: str, seconds: np.ndarray) -> pa.Array:
    if name == "created_at":
        return pa.array(seconds, pa.int64())
    if name not in lines.columns:
        if name in OPTIONAL_TEXT_COLUMNS:
            return pa.array(np.full(len(lines), ""), pa.string())
        raise ValueError(f"order lines lack the column {name!r}")
    column = lines[name]
    if name in INT_LINE_COLUMNS:
        return pa.array(column.to_numpy(dtype="int64"), pa.int64())
    if isinstance(column.dtype, pd.StringDtype):  # Arrow inside already: no Python objects
        return pa.array(column, pa.string(), from_pandas=True).fill_null("")
    return pa.array(column.astype("str").fillna(""), pa.string(), from_pandas=True)


def _seconds(column: pd.Series) -> np.ndarray:
    values = column if str(column.dtype).startswith("datetime64[") else pd.to_datetime(column)
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)
    if values.isna().any():
        raise ValueError("order lines hold an empty created_at")
    return values.to_numpy(dtype="datetime64[s]").astype("int64")


def _month_codes(seconds: np.ndarray) -> np.ndarray:
    """yyyymm of each naive timestamp, in numpy."""
    since_1970 = seconds.astype("datetime64[s]").astype("datetime64[M]").astype("int64")
    return (since_1970 // 12 + 1970) * 100 + since_1970 % 12 + 1


def _check_storable(table: pa.Table) -> None:
    if table.num_rows == 0:
        return
    if pc.any(pc.equal(pc.utf8_trim_whitespace(table["order_id"]), "")).as_py():
        raise ValueError("order lines hold an empty order number")
    if pc.any(pc.less(table["quantity"], 0)).as_py():
        raise ValueError("order lines hold a negative quantity")


def _spans(months: np.ndarray, seconds: np.ndarray) -> tuple[MonthSpan, ...]:
    if len(months) == 0:
        return ()
    if months.min() == months.max():  # one month (the usual file): no sort
        return (MonthSpan(int(months[0]), len(months), int(seconds.min()), int(seconds.max())),)
    order = np.argsort(months, kind="stable")
    by_month, at = months[order], seconds[order]
    starts = np.flatnonzero(np.r_[True, by_month[1:] != by_month[:-1]])
    counts = np.diff(np.r_[starts, len(by_month)])
    first, last = np.minimum.reduceat(at, starts), np.maximum.reduceat(at, starts)
    return tuple(
        MonthSpan(int(m), int(n), int(lo), int(hi))
        for m, n, lo, hi in zip(by_month[starts], counts, first, last, strict=True)
    )


def status_spans(table: pa.Table) -> tuple[StatusSpan, ...]:
    """Lines per (month, marketplace, status text) of stored lines (`month` as yyyymm).

    Each key column is numbered by its distinct values and the triples are counted in
    numpy: a file holds a few of them, and a group-by plan costs more than the counting.
    A missing text (stored lines hold '' instead) counts as ''.
    """
    if table.num_rows == 0:
        return ()
    return _StatusCodes.of(table).spans(0, table.num_rows)


@dataclass(frozen=True, slots=True)
class _StatusCodes:
    """Each line's (month, marketplace, status text) as one integer, and the names back:
    numbered once for a batch of files, counted file by file (`spans`)."""

    codes: np.ndarray
    months: np.ndarray
    markets: list[str]
    statuses: list[str]

    @classmethod
    def of(cls, table: pa.Table) -> _StatusCodes:
        months, month_at = np.unique(table["month"].to_numpy(), return_inverse=True)
        markets = _numbered_text(table["marketplace"])
        statuses = _numbered_text(table["status_raw"])
        width = len(statuses.dictionary)
        codes = (
            month_at.reshape(-1).astype("int64") * (len(markets.dictionary) * width)
            + markets.indices.to_numpy().astype("int64") * width
            + statuses.indices.to_numpy()
        )
        return cls(codes, months, markets.dictionary.to_pylist(), statuses.dictionary.to_pylist())

    def spans(self, start: int, end: int) -> tuple[StatusSpan, ...]:
        """The counts of lines start..end (one file's)."""
        width = len(self.statuses)
        per_month = len(self.markets) * width
        triples, counts = np.unique(self.codes[start:end], return_counts=True)
        spans = (
            StatusSpan(int(self.months[c // per_month]), str(self.markets[c % per_month // width]),
                       str(self.statuses[c % width]), int(n))
            for c, n in zip(triples.tolist(), counts.tolist(), strict=True)
        )  # fmt: skip
        return tuple(sorted(spans))


def _numbered_text(column: pa.ChunkedArray) -> pa.DictionaryArray:
    texts = column.combine_chunks()
    return (texts.fill_null("") if texts.null_count else texts).dictionary_encode()


def _to_blob(table: pa.Table) -> bytes:
    table = _texts_numbered(table)
    sink = pa.BufferOutputStream()
    # one thread: the same bytes, at half the CPU (a reader process is one of several)
    options = pa.ipc.IpcWriteOptions(compression=_CODEC, use_threads=False)
    with pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _texts_numbered(table: pa.Table) -> pa.Table:
    """Each text column as the file's distinct texts and a code per line (module doc)."""
    columns = [
        column.combine_chunks().dictionary_encode() if pa.types.is_string(column.type) else column
        for column in table.columns
    ]
    return pa.Table.from_arrays(columns, names=table.column_names)


# --------------------------------------------------------------------------- unpacking


def unpack_columns(blob: bytes, names: Sequence[str]) -> pa.Table:
    """Only the named stored columns of one blob are decompressed; texts come back plain
    whichever way the blob stores them."""
    return _plain_texts(_stored_columns(blob, names))


def _stored_columns(blob: bytes, names: Sequence[str]) -> pa.Table:
    """The named columns as the blob stores them (texts plain or numbered)."""
    indices = [STORED_COLUMNS.index(n) for n in names]
    options = pa.ipc.IpcReadOptions(included_fields=indices, use_threads=False)
    reader = pa.ipc.open_file(pa.py_buffer(blob), options=options)
    return reader.read_all().select(list(names))


def _plain_texts(table: pa.Table, keep: Collection[str] = ()) -> pa.Table:
    """Numbered text columns back to plain texts, except those in `keep`."""
    for at, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type) and field.name not in keep:
            table = table.set_column(at, field.name, table.column(at).cast(pa.string()))
    return table


def unpack_order_lines(blob: bytes) -> pd.DataFrame:
    """The canonical lines of one blob (migrations, tests)."""
    return lines_frame(unpack_columns(blob, LINE_COLUMNS))


def decode_files(
    rows: Iterable[tuple[int, str, bytes]],
    names: Sequence[str],
    *,
    numbered: Collection[str] = (),
) -> tuple[pa.Table, np.ndarray]:
    """(file_id, shop_id, blob) -> one table of `names` + month, file_id, shop_id, and the
    line_seq of each line (its position in its file). Texts come back plain, but a column
    in `numbered` that every blob stores numbered stays so: a dictionary column, each
    file's chunk its own dictionary (`unify_dictionaries` numbers them alike). `rows` may
    be a cursor still reading: its blobs are decoded as they come."""
    wanted = [*dict.fromkeys([*names, "month"])]
    files: list[tuple[int, str]] = []
    tables = _alike(_unpacked(_noted(rows, files), wanted, numbered), numbered)
    lengths = np.array([t.num_rows for t in tables], dtype="int64")
    which = np.repeat(np.arange(len(files)), lengths)
    file_ids = np.array([f for f, _ in files], dtype="int64")
    table = pa.concat_tables(tables) if tables else _SCHEMA.empty_table().select(wanted)
    table = table.append_column("file_id", pa.array(file_ids[which], pa.int64()))
    table = table.append_column("shop_id", _shop_of_each_line([s for _, s in files], which))
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return table, np.arange(len(which), dtype="int64") - starts


def _alike(tables: list[pa.Table], numbered: Collection[str]) -> list[pa.Table]:
    """Every table with the same column types: a column some older blob stores as plain
    texts is plain in all (a ledger holds blobs of both formats until its older files
    leave the months read)."""
    if not tables or all(t.schema.equals(tables[0].schema) for t in tables):
        return tables
    mixed = [n for n in numbered if len({str(t.schema.field(n).type) for t in tables}) > 1]
    keep = set(numbered) - set(mixed)
    return [_plain_texts(table, keep) for table in tables]


def _shop_of_each_line(shops: list[str], which: np.ndarray) -> pa.DictionaryArray:
    """Each line's shop (its file's), numbered: a million lines share a few hundred shop
    ids, so they travel as codes into a dictionary of the distinct ids."""
    names, code_of_file = np.unique(np.array(shops, dtype=object), return_inverse=True)
    codes = np.asarray(code_of_file, dtype="int32").reshape(-1)[which]
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(names, pa.string()))


def _noted(
    rows: Iterable[tuple[int, str, bytes]], files: list[tuple[int, str]]
) -> Iterator[tuple[int, str, bytes]]:
    """`rows` as they come, each row's file id and shop noted in `files`."""
    for row in rows:
        files.append((row[0], row[1]))
        yield row


def _unpacked(
    rows: Iterator[tuple[int, str, bytes]], wanted: list[str], numbered: Collection[str] = ()
) -> list[pa.Table]:
    """Every blob's columns, on every core: Arrow decompresses without the GIL, and at
    province scale (500 files, a million lines) the month's KPIs wait for this alone.
    The rows are read (SQLite, also without the GIL) while the first blobs decode."""

    def unpack(item: tuple[int, str, bytes]) -> pa.Table:
        return _plain_texts(_stored_columns(item[2], wanted), numbered)

    first = list(itertools.islice(rows, PARALLEL_UNPACK_MIN))
    threads = min(usable_cores(), 4)
    if threads < 2 or len(first) < PARALLEL_UNPACK_MIN:
        return [unpack(item) for item in first]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(unpack, itertools.chain(first, rows)))


def _is_text(kind: pa.DataType) -> bool:
    """Text as stored, or numbered by the ledger (order ids read for several windows)."""
    return bool(pa.types.is_string(kind) or pa.types.is_dictionary(kind))


def lines_frame(table: pa.Table) -> pd.DataFrame:
    """Arrow lines -> the ledger's DataFrame dtypes: int64, str, created_at datetime64[s].

    The text columns are converted together by pyarrow (a tenth of the time of one
    Series each at a million lines); numbers are copied only where numpy would share
    Arrow's read-only memory, so every column of the frame can be written to."""
    data: dict[str, Any] = {}
    texts = [n for n in table.column_names if _is_text(table[n].type)]
    # numbered texts as plain texts first: a ledger's dictionary may repeat a text
    frame = _plain_texts(table.select(texts)).to_pandas(split_blocks=True) if texts else None
    for name in table.column_names:
        column = table[name]
        if name == "created_at":  # int64 seconds as stored, or already a timestamp[s]
            seconds = column.to_numpy().astype("int64", copy=False)
            data[name] = pd.Series(EPOCH + seconds.astype("timedelta64[s]"))
        elif pa.types.is_integer(column.type):
            values = column.to_numpy()
            data[name] = pd.Series(values.astype("int64", copy=not values.flags.writeable))
        else:
            assert frame is not None
            data[name] = frame[name].astype("str")
    return pd.DataFrame(data)
