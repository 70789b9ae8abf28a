"""Storing one read file in one ledger transaction, and counting what it brought; lines the
ledger cannot hold are dropped with an issue first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sheetsync.ingest.issues import _read_failed, _store_failed, _unstorable_line
from sheetsync.ingest.summary import Candidate, IngestSummary, ReadFile
from sheetsync.ledger import (
    DATA_ERRORS,
    FileMeta,
    FileRecord,
    Ledger,
)
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.model import OrderStatus

# What a bad frame raises while stored: that file fails, the run goes on. A failing
# ledger (disk full, locked, corrupt) raises LedgerError from the ledger and stops the run.
STORE_DATA_ERRORS = (*DATA_ERRORS, ValueError, TypeError, KeyError, OverflowError)

_VALID_STATUSES = frozenset(s.value for s in OrderStatus)
_VALID_STATUS_ARRAY = pa.array(sorted(_VALID_STATUSES), pa.string())


# --------------------------------------------------------------------------- storing


def _store_one(
    candidate: Candidate,
    meta: FileMeta,
    read: ReadFile | BaseException,
    ledger: Ledger,
    summary: IngestSummary,
    now: dt.datetime,
) -> None:
    if isinstance(read, BaseException):
        summary.files_failed += 1
        summary.issues.append(_read_failed(candidate.source, read, summary.language))
        return
    try:
        record = ledger.store_export(meta, read.parsed, imported_at=now, packed=read.packed)
    except STORE_DATA_ERRORS as exc:
        summary.files_failed += 1
        summary.issues.append(_store_failed(candidate.source, exc, summary.language))
        return
    _count(summary, record, read)


def _count(summary: IngestSummary, record: FileRecord, read: ReadFile) -> None:
    parsed = read.parsed
    summary.issues.extend(parsed.issues)
    for issue in parsed.issues:
        if issue.is_error and issue.row is not None:
            summary.rejected_rows[issue.code] += 1
    if not record.imported:
        summary.files_rejected += 1
        return
    summary.files_imported += 1
    summary.imported.append(record)
    if parsed.kind == "orders":
        summary.lines += record.lines
        summary.months.update(_months_of(read))
    elif parsed.kind == "listings":
        summary.listing_lines += record.lines


def _months_of(read: ReadFile) -> set[str]:
    """The months the lines fall in, without formatting every date."""
    if read.packed is not None:
        return {f"{m.month // 100:04d}-{m.month % 100:02d}" for m in read.packed.months}
    lines = read.parsed.lines
    if lines.empty:
        return set()
    values = pd.to_datetime(lines["created_at"]).to_numpy(dtype="datetime64[s]")
    return {str(m) for m in np.unique(values.astype("datetime64[M]"))}


def drop_unstorable_lines(parsed: ParsedExport, source: str, language: str = "id") -> ParsedExport:
    """Second line of defence: lines a reader let through that the ledger cannot hold
    (no order number, no date, negative quantity, missing money, unknown status) become
    row issues (worded in `language`) instead of failing the whole file."""
    if parsed.kind == "orders" and parsed.table is not None:
        return _drop_unstorable_rows(parsed, parsed.table, source, language)
    if parsed.kind != "orders" or parsed.lines is None or parsed.lines.empty:
        return parsed
    lines = parsed.lines
    bad = _unstorable_mask(lines)
    if not bad.any():
        return parsed
    rows = lines.loc[bad, "source_row"].tolist()
    issues = [_unstorable_line(source, row, language) for row in rows]
    return replace(
        parsed, lines=lines.loc[~bad].reset_index(drop=True), issues=[*parsed.issues, *issues]
    )


def _unstorable_mask(lines: pd.DataFrame) -> np.ndarray:
    """True where a line cannot be stored; cheap when the reader's dtypes are already right
    (the usual case: then nothing is converted again)."""
    bad = lines["order_id"].astype("str").str.strip().fillna("").eq("").to_numpy(dtype=bool).copy()
    bad |= pd.isna(_as_datetimes(lines["created_at"])).to_numpy(dtype=bool)
    for name in ("quantity", "unit_price_idr", "line_sales_idr"):
        numbers = _as_numbers(lines[name])
        bad |= np.isnan(numbers)
        if name == "quantity":
            bad |= numbers < 0
    bad |= ~lines["status"].isin(_VALID_STATUSES).to_numpy(dtype=bool)
    return bad


def _drop_unstorable_rows(
    parsed: ParsedExport, table: pa.Table, source: str, language: str
) -> ParsedExport:
    """`drop_unstorable_lines` for lines still in Arrow (`ParsedExport.table`)."""
    if table.num_rows == 0:
        return parsed
    bad = _unstorable_rows(table)
    if not pc.any(bad).as_py():
        return parsed
    rows = table["source_row"].filter(bad).to_pylist()
    issues = [_unstorable_line(source, row, language) for row in rows]
    kept = table.filter(pc.invert(bad))
    return replace(parsed, table=kept, issues=[*parsed.issues, *issues])


def all_storable(tables: Sequence[pa.Table]) -> bool:
    """Whether every line of these Arrow tables can be stored, checked for all of them at
    once (a reader's batch): then `drop_unstorable_lines` has nothing to drop in any."""
    if not tables or len({t.schema for t in tables}) > 1:
        return False
    whole = pa.concat_tables(tables)
    return whole.num_rows == 0 or not pc.any(_unstorable_rows(whole)).as_py()


def _unstorable_rows(table: pa.Table) -> pa.ChunkedArray:
    """True where a line cannot be stored (as `_unstorable_mask`), in Arrow.

    Every check is made whoever the reader was; one whose column shows it has nothing to
    find (no null, no negative quantity, only known statuses) adds nothing to the mask."""
    order_id = table["order_id"]
    if order_id.type != pa.string():
        order_id = order_id.cast(pa.string())
    bad = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(order_id), ""), True)
    for name in ("created_at", "quantity", "unit_price_idr", "line_sales_idr"):
        if table[name].null_count:
            bad = pc.or_(bad, pc.is_null(table[name]))
    quantity = table["quantity"]
    if not pa.types.is_integer(quantity.type) or (pc.min(quantity).as_py() or 0) < 0:
        bad = pc.or_(bad, pc.fill_null(pc.less(quantity, 0), False))
    known = pc.is_in(table["status"], value_set=_VALID_STATUS_ARRAY)
    if known.null_count or not pc.all(known).as_py():
        bad = pc.or_(bad, pc.invert(known))
    return pc.fill_null(bad, True) if bad.null_count else bad


def _as_datetimes(column: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column
    return pd.to_datetime(column, errors="coerce")


def _as_numbers(column: pd.Series) -> np.ndarray:
    if pd.api.types.is_integer_dtype(column.dtype) and not isinstance(
        column.dtype, pd.api.extensions.ExtensionDtype
    ):
        return column.to_numpy(dtype="float64")
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
