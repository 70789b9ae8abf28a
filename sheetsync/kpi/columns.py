"""Reading order-line columns the same way from a DataFrame or straight from Arrow.

The ledger decodes a month's lines into Arrow. Turning a million lines' texts into a
pandas frame only to number them again (order ids, statuses, shops) cost the monthly
sync more than the KPIs themselves, so compute_kpis also takes the Arrow table as it is:
texts become integer codes in Arrow (one hash table per column, no Python strings), and
only the few rows that are shown (best sellers) ever become a frame. Tests, explain and
small callers keep passing DataFrames; both give the same figures.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

Lines: TypeAlias = pd.DataFrame | pa.Table


def column_names(lines: Lines) -> list[str]:
    """The columns `lines` holds."""
    if isinstance(lines, pa.Table):
        return list(lines.column_names)
    return [str(c) for c in lines.columns]


def line_count(lines: Lines) -> int:
    return lines.num_rows if isinstance(lines, pa.Table) else len(lines)


def whole_numbers(lines: Lines, name: str) -> np.ndarray:
    """A whole-number column as int64; a missing value reads as 0 (nothing to add)."""
    if isinstance(lines, pa.Table):
        column = lines[name]
        column = pc.fill_null(column, 0) if column.null_count else column
        return np.asarray(column.to_numpy(), dtype=np.int64)
    return pd.to_numeric(lines[name], errors="coerce").fillna(0).to_numpy(dtype=np.int64)


def moments(lines: Lines, name: str) -> np.ndarray:
    """A timestamp column as numpy values (datetime64 from Arrow; a frame's column as it
    is: month_indexes reads text and datetimes alike, so only the rows used convert)."""
    return np.asarray(lines[name].to_numpy())


def text_codes(lines: Lines, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(code of each line, the distinct texts as an object array): like pd.factorize of
    the column as text. Use for columns with few distinct values (statuses, shops).

    A missing value reads as the empty text, from Arrow and from a frame alike: a code of
    -1 would index the last text (a line without a status would take another line's)."""
    if isinstance(lines, pa.Table):
        column = lines[name]
        codes, dictionary = _arrow_codes(column.fill_null("") if column.null_count else column)
        return codes, np.asarray(dictionary.to_pylist(), dtype=object)
    codes, uniques = pd.factorize(lines[name].fillna("").astype(str))
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def text_code_count(lines: Lines, name: str) -> tuple[np.ndarray, int]:
    """(code of each line, a count every code is below), without ever listing the texts:
    for order ids, of which a province-sized month holds hundreds of thousands. Equal
    texts share a code; a column the ledger numbered keeps its own codes (some of the
    count may then go unused): renumbering a million of them only to multiply them into
    an order key cost as much as numbering the texts. The ledger numbers order ids shop
    by shop: equal ids of one shop share a code, of two shops maybe not (an order key
    always holds the shop too)."""
    if isinstance(lines, pa.Table):
        column = lines[name]
        if not pa.types.is_dictionary(column.type):
            # one contiguous array first: hashing 500 chunks one after the other is slower
            # than copying them together once (for many distinct values)
            column = pa.chunked_array([column.combine_chunks()])
        codes, dictionary = _arrow_codes(column, in_order_of_appearance=False)
        return codes, len(dictionary)
    codes, uniques = pd.factorize(lines[name].astype(str))
    return codes.astype(np.int64), len(uniques)


def _arrow_codes(
    column: pa.ChunkedArray, *, in_order_of_appearance: bool = True
) -> tuple[np.ndarray, pa.Array]:
    """Dictionary-encode as text (one dictionary over every chunk); null -> code -1. A
    column the ledger already numbered (dictionary type) is not hashed again: its codes
    are renumbered in order of appearance (its dictionary may be sorted, or hold texts of
    other rows), as a plain text column's are, unless the caller needs no such order."""
    if pa.types.is_dictionary(column.type):
        # one chunk has one dictionary already: unifying would hash all of it again
        encoded = column if column.num_chunks == 1 else column.unify_dictionaries()
    elif not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        encoded = pc.dictionary_encode(column.cast(pa.string()))
    else:
        encoded = pc.dictionary_encode(column)
    if encoded.num_chunks == 0:
        return np.zeros(0, dtype=np.int64), pa.array([], pa.string())
    indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks])
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    codes = np.asarray(indices.to_numpy(), dtype=np.int64)
    dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
    renumber = in_order_of_appearance and not indices.null_count
    if pa.types.is_dictionary(column.type) and renumber:
        return _in_order_of_appearance(codes, dictionary)
    return codes, dictionary


def _in_order_of_appearance(codes: np.ndarray, dictionary: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """What pd.factorize(codes) gives, with the texts: lines come file by file, so a
    column like the shop repeats in long runs and only each run's first code is hashed."""
    renumbered, first = _factorized_by_runs(codes)
    return renumbered, dictionary.take(pa.array(first, pa.int64()))


def sold_products(lines: Lines, mask: np.ndarray) -> pd.DataFrame:
    """Units and sales of the masked lines per shop and product, one row each (columns
    shop_id, _product, product_id, product_name, units_sold, sales_idr; a product without
    an id is told apart by its name, `_product` = "name:…"), sorted by shop and product.
    From Arrow the grouping runs in Arrow on integer codes: only the products become
    texts and a frame."""
    names = ["shop_id", "product_id", "product_name", "quantity", "line_sales_idr"]
    if isinstance(lines, pa.Table):  # taking the rows costs half of filtering 500 chunks
        rows = pa.array(np.flatnonzero(mask), pa.int64())
        return _arrow_sold_products(lines.select(names).take(rows))
    done = lines.loc[mask, names]
    product = done["product_id"].fillna("").astype(str)
    product = product.where(product != "", "name:" + done["product_name"].astype(str))
    return (
        done.assign(shop_id=done["shop_id"].astype(str), _product=product)
        .groupby(["shop_id", "_product"], as_index=False)
        .agg(
            product_id=("product_id", "first"),
            product_name=("product_name", "first"),
            units_sold=("quantity", "sum"),
            sales_idr=("line_sales_idr", "sum"),
        )
    )


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Texts the ledger numbered (dictionary) as plain texts: the frame shows strings."""
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _arrow_sold_products(done: pa.Table) -> pd.DataFrame:
    """Group the lines by (shop code, product code) and sum in numpy; the texts of each
    group (shop id, `_product`, the first product id and name) are read from its first
    line. Hashing a month's product texts line by line to group by them cost more than
    the rest of the best sellers together."""
    shop, product = _shop_product_codes(done)
    if product is None:  # an id reads like a by-name key: group by the texts themselves
        product = _arrow_codes(_product_texts(done))[0]
    keys = shop * (int(product.max(initial=0)) + 2) + product + 1  # null texts: -1
    groups = _group_codes(keys)
    count = int(groups.max(initial=-1)) + 1
    rows = _first_row_of_each(groups, count, np.ones(len(groups), dtype=bool))
    named = {n: _first_named(done, n, groups, rows) for n in ("product_id", "product_name")}
    first = pa.array(rows, pa.int64())
    frame = pa.table({
        "shop_id": done["shop_id"].take(first).cast(pa.string()),
        "_product": _product_texts(done.take(first)),
        "product_id": _as_text(done["product_id"].take(named["product_id"])),
        "product_name": _as_text(done["product_name"].take(named["product_name"])),
        "units_sold": _sum_of_each(groups, count, whole_numbers(done, "quantity")),
        "sales_idr": _sum_of_each(groups, count, whole_numbers(done, "line_sales_idr")),
    }).to_pandas()  # fmt: skip
    return frame.sort_values(["shop_id", "_product"], ignore_index=True)


def _group_codes(keys: np.ndarray) -> np.ndarray:
    """A dense code per distinct key, in the keys' order (the groups are sorted by their
    texts afterwards, so any numbering serves). Shop × product keys span a small range:
    marking them in a table of that range is a fraction of hashing each sold line."""
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(keys.min())
    span = int(keys.max()) - low + 1
    if span > 4 * len(keys) + 4096:
        return numbered_by_first_appearance(keys)
    present = np.zeros(span, dtype=bool)
    present[keys - low] = True
    return (np.cumsum(present, dtype=np.int64) - 1)[keys - low]


def numbered_by_first_appearance(values: np.ndarray) -> np.ndarray:
    """pd.factorize(values) codes, hashing only where the value changes: lines come file
    by file and an order's lines (or a shop's products) sit together, so a million lines
    are a few hundred thousand runs. A value's first line always starts a run, so the
    codes (in order of first appearance) are the same."""
    return _factorized_by_runs(values)[0]


def _factorized_by_runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize(values) (codes, distinct values in order of first appearance),
    hashing only each run's first value."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64), values[:0]
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    codes, uniques = pd.factorize(values[starts])
    lengths = np.diff(np.append(starts, len(values)))
    return np.repeat(codes.astype(np.int64), lengths), np.asarray(uniques)


def _first_row_of_each(groups: np.ndarray, count: int, counted: np.ndarray) -> np.ndarray:
    """The first counted line of each group, -1 for a group without one (the least row
    per group: no sort of the lines)."""
    rows = np.flatnonzero(counted)
    first = np.full(count, len(groups), dtype=np.int64)
    np.minimum.at(first, groups[rows], rows)
    first[first == len(groups)] = -1
    return first


def _first_named(done: pa.Table, name: str, groups: np.ndarray, first: np.ndarray) -> pa.Array:
    """The first line of each group whose `name` is not missing (null when every line
    misses it, so the text taken is null too): what a grouping's "first" gives."""
    if done[name].null_count == 0:
        return pa.array(first, pa.int64())
    valid = np.asarray(done[name].is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    named = _first_row_of_each(groups, len(first), valid)
    return pa.array(named, pa.int64(), mask=named < 0)


def _sum_of_each(groups: np.ndarray, count: int, values: np.ndarray) -> np.ndarray:
    """Exact int64 sums per group."""
    sums = np.zeros(count, dtype=np.int64)
    np.add.at(sums, groups, values)
    return sums


def _shop_product_codes(done: pa.Table) -> tuple[np.ndarray, np.ndarray | None]:
    """(shop code, product code) of each line; a product with an id is numbered by its
    id, one without by its name (after every id). Product None when some id starts like
    a by-name key ("name:…"): its texts would then meet a name's."""
    shop, _ = _arrow_codes(done["shop_id"], in_order_of_appearance=False)
    numbered = _own_codes(done["product_id"])
    if numbered is None:
        ids = pc.fill_null(done["product_id"].cast(pa.string()), "").combine_chunks()
        id_codes = ids.dictionary_encode()
        numbered = _numpy_codes(id_codes.indices), id_codes.dictionary
    product, texts = numbered
    if pc.any(pc.starts_with(texts, "name:")).as_py():
        return shop, None
    by_name = product == _code_of(texts, "")
    if by_name.any():
        product[by_name] = len(texts) + _name_codes(done["product_name"], by_name)
    return shop, product


def _name_codes(names: pa.ChunkedArray, picked: np.ndarray) -> np.ndarray:
    """A code per picked line's product name, equal names alike (a missing name its own)."""
    numbered = _own_codes(names)
    if numbered is not None:
        return numbered[0][picked]
    named = names.cast(pa.string()).combine_chunks().filter(pa.array(picked))
    return _numpy_codes(named.dictionary_encode(null_encoding="encode").indices)


def _own_codes(column: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array] | None:
    """(code of each line, the distinct texts) from the dictionaries a column numbered by
    the ledger carries: only each file's distinct texts are hashed, not every line's.
    None for plain texts, missing texts, or a dictionary that repeats a text."""
    if not pa.types.is_dictionary(column.type) or column.null_count or not column.num_chunks:
        return None
    unified = column.unify_dictionaries()
    texts = unified.chunk(0).dictionary.cast(pa.string())
    if len(pc.unique(texts)) != len(texts):
        return None
    return _numpy_codes(pa.chunked_array([c.indices for c in unified.chunks])), texts


def _numpy_codes(indices: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Codes as int64 numpy that may be written to (Arrow's own memory is read-only)."""
    codes = np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return codes if codes.flags.writeable else codes.copy()


def _code_of(texts: pa.Array, text: str) -> int:
    """Position of `text` among distinct `texts`, -1 when absent."""
    return int(pc.index(texts, text).as_py())


def _product_texts(done: pa.Table) -> pa.ChunkedArray:
    """`_product` of each line: its product id, or "name:" + its name without one."""
    product_id = pc.fill_null(done["product_id"].cast(pa.string()), "")
    by_name = pc.binary_join_element_wise("name:", done["product_name"].cast(pa.string()), "")
    return pc.if_else(pc.equal(product_id, ""), by_name, product_id)
