"""Raw order columns (text) -> canonical order lines (model.ORDER_LINE_COLUMNS) + issues.

Shared by every order layout: the family modules only say which column is which. The
whole file is processed column-wise in pyarrow (no per-row Python in the hot path) and
becomes a pandas DataFrame once, at the end (ingest keeps it in Arrow: `build_order_table`);
only rejected rows are visited one by one, to write their issues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sheetsync.issues import Issue, Severity
from sheetsync.marketplaces.cells import (
    DEFAULT_TZ,
    any_byte_of,
    clean_ids,
    clean_text,
    first_line,
    parse_datetimes,
    parse_datetimes_alike,
    parse_money,
    parse_quantity,
    parse_whole_rupiah,
    strings,
)
from sheetsync.marketplaces.layouts import Layout
from sheetsync.marketplaces.problems import row_issues
from sheetsync.marketplaces.status import classify_encoded
from sheetsync.marketplaces.tables import RawColumns
from sheetsync.messages import IngestCode
from sheetsync.model import ORDER_LINE_COLUMNS

_SCIENTIFIC = r"^\d(?:[.,]\d+)?[eE]\+?\d+$"  # 1.10032E+13: Excel turned the id into a number
_INT_COLUMNS = ("line_no", "quantity", "unit_price_idr", "line_sales_idr", "source_row")


@dataclass
class Rows:
    """The data rows of one table: text columns and the row number of each row."""

    columns: dict[str, pa.Array]
    rows: np.ndarray
    _trimmed: dict[str, pa.Array] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def text(self, name: str) -> pa.Array:
        """A column, trimmed (once); '' everywhere when the layout has no such column."""
        if name not in self._trimmed:
            column = self.columns.get(name)
            self._trimmed[name] = (
                pa.array([""] * len(self), pa.string()) if column is None else clean_text(column)
            )
        return self._trimmed[name]

    def filter(self, keep: np.ndarray) -> Rows:
        if keep.all():
            return self
        mask = pa.array(keep)
        columns = {k: v.filter(mask) for k, v in self.columns.items()}
        trimmed = {k: v.filter(mask) for k, v in self._trimmed.items()}
        return Rows(columns, self.rows[keep], trimmed)


def empty_order_lines() -> pd.DataFrame:
    """A zero-row frame with the canonical columns and dtypes: a copy of one built once
    (building it is ~2 ms, paid by every file ingest keeps in Arrow). Shallow: a frame of
    zero rows has no value to change in place, and a new or replaced column is the copy's."""
    return _EMPTY_ORDER_LINES.copy(deep=False)


def _empty_order_lines() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series([], dtype="str") for name in ORDER_LINE_COLUMNS})
    for name in _INT_COLUMNS:
        frame[name] = frame[name].astype("int64")
    frame["created_at"] = frame["created_at"].astype("datetime64[us]")
    return frame


_EMPTY_ORDER_LINES = _empty_order_lines()


def data_rows(raw: RawColumns) -> Rows:
    """The table's rows as text, without the lead (description) rows and blank rows."""
    rows = Rows({k: strings(v) for k, v in raw.columns.items()}, np.asarray(raw.rows))
    rows = _drop_lead_rows(rows, raw.match.layout)
    blank = _blank_rows(rows)
    return rows.filter(~blank) if blank.any() else rows


def _blank_rows(rows: Rows) -> np.ndarray:
    """Where every cell of a row is empty (after trimming)."""
    blank = np.ones(len(rows), dtype=bool)
    for name in rows.columns:
        if not blank.any():  # a column filled on every row: no row is blank
            break
        blank &= pc.equal(rows.text(name), "").to_numpy(zero_copy_only=False)
    return blank


def _drop_lead_rows(rows: Rows, layout: Layout) -> Rows:
    """Skip description/label rows right under the header (see Layout.lead_rows)."""
    if layout.lead_rows is None or len(rows) == 0:
        return rows
    name, pattern, most = layout.lead_rows
    head = clean_ids(rows.columns[name].slice(0, most)).to_pylist()
    leading = next((i for i, v in enumerate(head) if re.fullmatch(pattern, v)), len(head))
    keep = np.arange(len(rows)) >= leading
    return rows.filter(keep) if leading else rows


_ITEM_FIELDS = ("product_name", "sku", "quantity", "price")
_ORDER_KEYS = ("order_id", "status_raw", "created_at")  # all empty on a continuation row


def _empty(rows: Rows, name: str) -> np.ndarray:
    return np.asarray(pc.equal(rows.text(name), "").to_numpy(zero_copy_only=False), dtype=bool)


def fill_continuation_rows(rows: Rows, layout: Layout, starts: np.ndarray | None = None) -> Rows:
    """Give an order's later item rows the order columns of its first row.

    Older Shopee (.xls) and English Tokopedia exports write the order id, status and date
    only on an order's first row; the next item rows carry product columns alone. Such a
    row (order id, status and date empty, some item cell filled) takes those cells from
    the nearest row above that has an order id, but only inside one block: directly below
    it, no blank row and no other kind of row between. A row with item data and no order
    above it keeps its empty id and is rejected as before. `starts`: where each file
    begins, when the rows are several files' (a block never runs into the next file).
    """
    fields = [f for f in layout.fill_down if f in rows.columns]
    if len(rows) < 2 or "order_id" not in fields:
        return rows
    blank = np.ones(len(rows), dtype=bool)
    for name in (f for f in fields if f in _ORDER_KEYS):
        blank &= _empty(rows, name)
        if not blank.any():  # every row names its order (the usual export)
            return rows
    items = [_empty(rows, f) for f in _ITEM_FIELDS if f in rows.columns]
    continuation = blank & ~np.logical_and.reduce(items) if items else blank & False
    if not continuation.any():
        return rows
    positions = np.arange(len(rows))
    anchor = np.maximum.accumulate(np.where(~_empty(rows, "order_id"), positions, -1))
    breaks = np.r_[False, np.diff(rows.rows) != 1] | (_empty(rows, "order_id") & ~continuation)
    if starts is not None:
        breaks |= starts
    last_break = np.maximum.accumulate(np.where(breaks, positions, -1))
    filled = continuation & (anchor >= 0) & (anchor >= last_break)
    if not filled.any():
        return rows
    columns = dict(rows.columns)
    for name in fields:  # a cell the row does carry (a return status) is its own
        take = filled & _empty(rows, name)
        columns[name] = columns[name].take(pa.array(np.where(take, anchor, positions)))
    return Rows(columns, rows.rows)


def build_order_lines(
    raw: RawColumns, source: str, tz: str = DEFAULT_TZ, *, language: str = "id"
) -> tuple[pd.DataFrame, list[Issue], int]:
    """Canonical order lines, the issues of rejected rows (worded in `language`), and the
    data rows read; times that carry an offset become programme time in `tz`."""
    table, issues, rows_read = build_order_table(raw, source, tz, language=language)
    return order_lines_frame(table), issues, rows_read


def build_order_table(
    raw: RawColumns, source: str, tz: str = DEFAULT_TZ, *, language: str = "id"
) -> tuple[pa.Table | None, list[Issue], int]:
    """`build_order_lines` kept in Arrow (None when the table has no data rows): ingest
    packs it for the ledger as it is, without a round trip through pandas."""
    layout = raw.match.layout
    rows = fill_continuation_rows(data_rows(raw), layout)
    if len(rows) == 0:
        return None, [], 0
    parsed = _parse(rows, layout, tz)
    issues, keep = _rejections(rows, parsed, raw, source, language)
    if keep.all():
        return _canonical(rows, parsed, layout), issues, len(rows)
    kept = {k: v.filter(pa.array(keep)) for k, v in parsed.items()}
    return _canonical(rows.filter(keep), kept, layout), issues, len(rows)


Built = tuple[pa.Table | None, list[Issue], int]  # build_order_table's result


def build_order_tables(raws: Sequence[RawColumns], tz: str = DEFAULT_TZ) -> list[Built] | None:
    """`build_order_table` of several files in one layout at once, or None when one of
    them alone might be read differently (the caller then builds each by itself).

    Why: a file of 2,000 lines costs a few dozen column operations whatever its size, so a
    province's 600 files cost mostly the calls; together they cost them once. Each file
    still gets exactly what it alone gives: rows are found row by row, an item row filled
    only from its own file; what a file decides for itself (its date format, how its
    money is written) is only left to the batch when there is nothing to decide; and a
    batch with any rejected row or issue is not used, so every issue names its own file
    and row.
    """
    layout = raws[0].match.layout
    if layout.lead_rows is not None:  # rows under each file's header to skip: file by file
        return None
    joined, file_of = _joined_data_rows(raws)
    lengths = np.bincount(file_of, minlength=len(raws)).tolist()
    if len(joined) == 0:
        return [(None, [], 0) for _ in raws]
    parsed = _parse_alike(joined, layout, tz)
    if parsed is None or not _nothing_rejected(parsed):
        return None
    line_no = _line_numbers_by_file(parsed["order_id"], file_of, lengths)
    table = _canonical(joined, parsed, layout, line_no)
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    return [
        (table.slice(start, count) if count else None, [], count)
        for start, count in zip(starts.tolist(), lengths, strict=True)
    ]


def _joined_data_rows(raws: Sequence[RawColumns]) -> tuple[Rows, np.ndarray]:
    """`data_rows` + `fill_continuation_rows` of several files' tables as one table, and
    the file each row comes from (its position in `raws`). Row by row, as for each file
    alone: a blank row is dropped, and an item row is filled only from its own file."""
    names = list(raws[0].columns)
    columns = {name: pa.concat_arrays([strings(raw.columns[name]) for raw in raws])
               for name in names}  # fmt: skip
    rows = Rows(columns, np.concatenate([np.asarray(raw.rows) for raw in raws]))
    file_of = np.repeat(np.arange(len(raws)), [len(raw.rows) for raw in raws])
    blank = _blank_rows(rows)
    if blank.any():
        rows, file_of = rows.filter(~blank), file_of[~blank]
    starts = np.r_[True, file_of[1:] != file_of[:-1]] if len(file_of) else None
    return fill_continuation_rows(rows, raws[0].match.layout, starts), file_of


def _parse_alike(rows: Rows, layout: Layout, tz: str) -> dict[str, pa.Array] | None:
    """`_parse` of several files together, or None when a file decides for itself."""
    created_at, price = _trimmed(rows, "created_at"), _trimmed(rows, "price")
    created = parse_datetimes_alike(created_at, layout.date_formats, tz)
    money = parse_whole_rupiah(price)
    if created is None or money is None:
        return None
    return {
        "order_id": clean_ids(rows.columns["order_id"]),
        "created_at": created,
        "quantity": _quantities(rows),
        "price": money,
        "price_text": price,
    }


def _nothing_rejected(parsed: dict[str, pa.Array]) -> bool:
    """Whether `_rejections` would find nothing: every row counted, no warning."""
    checks, price_empty = _rejection_checks(parsed)
    return not price_empty.any() and not any(mask.any() for _, _, mask in checks)


def _line_numbers_by_file(
    order_id: pa.Array, file_of: np.ndarray, lengths: list[int]
) -> np.ndarray:
    """`line_numbers` file by file: the same order id in two files is two orders' lines.

    One numbering for the batch when every order's lines lie together in its file (the
    usual export): then a line's number is its place in its run; else file by file."""
    codes = order_id.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    if len(codes) == 0:
        return np.zeros(0, dtype="int64")
    run_starts = np.flatnonzero(
        np.r_[True, (codes[1:] != codes[:-1]) | (file_of[1:] != file_of[:-1])]
    )
    pairs = file_of.astype("int64") * (int(codes.max()) + 1) + codes
    if len(run_starts) == _distinct_count(pairs):
        return _place_in_run(run_starts, len(codes))
    parts, start = [], 0
    for count in lengths:
        if count:
            parts.append(line_numbers(order_id.slice(start, count)))
        start += count
    return np.concatenate(parts)


def _distinct_count(values: np.ndarray) -> int:
    """How many distinct non-negative integers: counted in one pass when they are dense
    enough (a batch's (file, order) pairs are), else by sorting."""
    if len(values) and int(values.max()) < 16 * len(values) + 1024:
        return int(np.count_nonzero(np.bincount(values)))
    return len(np.unique(values))


def order_lines_frame(table: pa.Table | None) -> pd.DataFrame:
    """Arrow order lines (`build_order_table`) -> the canonical DataFrame."""
    return empty_order_lines() if table is None else table.to_pandas()


def _parse(rows: Rows, layout: Layout, tz: str) -> dict[str, pa.Array]:
    """Every needed value parsed, column by column (null where a cell does not parse)."""
    created_at, price = _trimmed(rows, "created_at"), _trimmed(rows, "price")
    return {
        "order_id": clean_ids(rows.columns["order_id"]),
        "created_at": parse_datetimes(created_at, layout.date_formats, tz, trimmed=True),
        "quantity": _quantities(rows),
        "price": parse_money(price, trimmed=True),
        "price_text": price,
    }


def _quantities(rows: Rows) -> pa.Array:
    """Units per line; a layout without a quantity column sells one per line."""
    if "quantity" in rows.columns:
        return parse_quantity(rows.columns["quantity"])
    return pa.array(np.ones(len(rows), dtype="int64"))


def _trimmed(rows: Rows, name: str) -> pa.Array:
    """A column the layout must have, trimmed once for every use (KeyError when absent)."""
    if name not in rows.columns:  # a damaged file, as before: never a column of ''
        raise KeyError(name)
    return rows.text(name)


def _numpy(mask: pa.Array) -> np.ndarray:
    filled = mask.fill_null(True) if mask.null_count else mask
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def _nulls(values: pa.Array) -> np.ndarray:
    """Where `values` is null; no compute call for a column without nulls (the usual)."""
    if values.null_count == 0:
        return np.zeros(len(values), dtype=bool)
    return _numpy(pc.is_null(values))


def _scientific(order_id: pa.Array) -> np.ndarray:
    """Ids Excel turned into numbers (1.10032E+13); one pass over the bytes when no id
    holds an E."""
    if not any_byte_of(order_id, b"eE"):
        return np.zeros(len(order_id), dtype=bool)
    return _numpy(pc.match_substring_regex(order_id, _SCIENTIFIC))


def _rejections(
    rows: Rows, parsed: dict[str, pa.Array], raw: RawColumns, source: str, language: str
) -> tuple[list[Issue], np.ndarray]:
    """Issues for rows that cannot be counted, and the mask of rows that can."""
    checks, price_empty = _rejection_checks(parsed)
    issues: list[Issue] = []
    rejected = np.zeros(len(rows), dtype=bool)
    for code, name, mask in checks:
        fresh = mask & ~rejected
        if fresh.any():
            issues += _issues_for(code, name, rows, fresh, raw, source, language)
        rejected |= fresh
    no_price = ~rejected & price_empty
    if no_price.any():
        issues += _issues_for(IngestCode.ROW_NO_PRICE, "price", rows, no_price, raw, source,
                              language, Severity.WARNING)  # fmt: skip
    return issues, ~rejected


def _rejection_checks(
    parsed: dict[str, pa.Array],
) -> tuple[list[tuple[IngestCode, str, np.ndarray]], np.ndarray]:
    """(issue code, field, rows it rejects) in the order they are told, and the rows
    without a price (counted, with a warning)."""
    price_empty = _numpy(pc.equal(parsed["price_text"], ""))
    no_quantity = _nulls(parsed["quantity"])
    checks = [
        (IngestCode.ROW_NO_ORDER_ID, "order_id", _numpy(pc.equal(parsed["order_id"], ""))),
        (IngestCode.ROW_ID_AS_NUMBER, "order_id", _scientific(parsed["order_id"])),
        (IngestCode.ROW_BAD_DATE, "created_at", _nulls(parsed["created_at"])),
        (IngestCode.ROW_BAD_QUANTITY, "quantity", no_quantity),
        (IngestCode.ROW_NEGATIVE_QUANTITY, "quantity", _numpy(pc.less(parsed["quantity"], 0))
         & ~no_quantity),
        (IngestCode.ROW_BAD_PRICE, "price", _nulls(parsed["price"]) & ~price_empty),
    ]  # fmt: skip
    return checks, price_empty


def _issues_for(
    code: str,
    name: str,
    rows: Rows,
    mask: np.ndarray,
    raw: RawColumns,
    source: str,
    language: str,
    severity: Severity = Severity.ERROR,
) -> list[Issue]:
    where = np.flatnonzero(mask)
    column = rows.columns.get(name)
    values = [column[int(i)].as_py() for i in where] if column is not None else [""] * len(where)
    return row_issues(code, source, raw.match.title(name), rows.rows[where].tolist(), values,
                      severity, language=language)  # fmt: skip


def _canonical(
    rows: Rows, parsed: dict[str, pa.Array], layout: Layout, line_no: np.ndarray | None = None
) -> pa.Table:
    """The ORDER_LINE_COLUMNS table for the kept rows (`line_no`: given when the rows are
    several files')."""
    quantity = parsed["quantity"]
    quantity = quantity if quantity.type == pa.int64() else quantity.cast(pa.int64())
    price = parsed["price"]
    unit, line_sales = _prices(price.fill_null(0) if price.null_count else price, quantity, layout)
    sku, parent = rows.text("sku"), rows.text("parent_sku")
    statuses = rows.text("status_raw").dictionary_encode()
    returns = rows.text("return_status_raw").dictionary_encode()
    status_names, return_names = first_line(statuses.dictionary), first_line(returns.dictionary)
    status = classify_encoded(layout.marketplace, statuses.indices, status_names,
                              returns.indices, return_names)  # fmt: skip
    status_raw = status_names.take(statuses.indices)
    return_status = return_names.take(returns.indices)
    order_id = parsed["order_id"]
    return pa.table(
        {
            "marketplace": pa.repeat(pa.scalar(str(layout.marketplace), pa.string()), len(rows)),
            "order_id": order_id,
            "line_no": pa.array(line_numbers(order_id) if line_no is None else line_no),
            "product_id": pc.if_else(pc.equal(sku, ""), parent, sku),
            "product_name": rows.text("product_name"),
            "variation": rows.text("variation"),
            "quantity": quantity,
            "unit_price_idr": unit,
            "line_sales_idr": line_sales,
            "status_raw": status_raw,
            "return_status_raw": return_status,
            "status": status,
            "created_at": parsed["created_at"],
            "source_row": pa.array(rows.rows.astype("int64")),
        }
    )


def line_numbers(order_id: pa.Array) -> np.ndarray:
    """1-based position of each line within its order, in file order (a stable sort).

    Codes number the ids by first appearance, so they never decrease when each order's
    lines are together (the usual export): then file order is already sorted."""
    codes = order_id.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    if len(codes) and (codes[1:] >= codes[:-1]).all():
        return _place_in_run(np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]), len(codes))
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    numbers = np.empty(len(codes), dtype="int64")
    numbers[order] = _place_in_run(starts, len(ordered))
    return numbers


def _place_in_run(starts: np.ndarray, count: int) -> np.ndarray:
    """1-based place of each of `count` positions in its run (runs begin at `starts`)."""
    first_of_run = np.repeat(starts, np.diff(np.r_[starts, count]))
    return np.arange(count, dtype="int64") - first_of_run + 1


def _prices(price: pa.Array, quantity: pa.Array, layout: Layout) -> tuple[pa.Array, pa.Array]:
    """(unit price after discount, line sales). A "line" layout's column is the line's
    value itself (TikTok subtotal, Lazada paidPrice): kept exactly, unit derived from it."""
    if layout.price == "line":
        safe = pc.if_else(pc.greater(quantity, 0), quantity, 1)
        unit = pc.round(pc.divide(pc.cast(price, pa.float64()), safe))
        return unit.cast(pa.int64()), price
    return price, pc.multiply_checked(price, quantity)
