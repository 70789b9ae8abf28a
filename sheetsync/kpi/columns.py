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
    the column as text. Use for columns with few distinct values (statuses, shops)."""
    if isinstance(lines, pa.Table):
        codes, dictionary = _arrow_codes(lines[name])
        return codes, np.asarray(dictionary.to_pylist(), dtype=object)
    codes, uniques = pd.factorize(lines[name].astype(str))
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def text_code_count(lines: Lines, name: str) -> tuple[np.ndarray, int]:
    """(code of each line, number of distinct texts), without ever listing the texts:
    for order ids, of which a province-sized month holds hundreds of thousands."""
    if isinstance(lines, pa.Table):
        column = lines[name]
        if not pa.types.is_dictionary(column.type):
            # one contiguous array first: hashing 500 chunks one after the other is slower
            # than copying them together once (for many distinct values)
            column = pa.chunked_array([column.combine_chunks()])
        codes, dictionary = _arrow_codes(column)
        return codes, len(dictionary)
    codes, uniques = pd.factorize(lines[name].astype(str))
    return codes.astype(np.int64), len(uniques)


def _arrow_codes(column: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Dictionary-encode as text (one dictionary over every chunk); null -> code -1. A
    column the ledger already numbered (dictionary type) is not hashed again: its codes
    are renumbered in order of appearance (its dictionary may be sorted, or hold texts of
    other rows), as a plain text column's are."""
    if pa.types.is_dictionary(column.type):
        encoded = column.unify_dictionaries()
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
    if pa.types.is_dictionary(column.type) and not indices.null_count:
        codes, first = pd.factorize(codes)
        dictionary = dictionary.take(pa.array(first, pa.int64()))
    return np.asarray(codes, dtype=np.int64), dictionary


def sold_products(lines: Lines, mask: np.ndarray) -> pd.DataFrame:
    """Units and sales of the masked lines per shop and product, one row each (columns
    shop_id, _product, product_id, product_name, units_sold, sales_idr; a product without
    an id is told apart by its name, `_product` = "name:…"), sorted by shop and product.
    From Arrow the grouping runs in Arrow: only the products become a frame."""
    names = ["shop_id", "product_id", "product_name", "quantity", "line_sales_idr"]
    if isinstance(lines, pa.Table):
        done = lines.select(names).filter(pa.array(mask, pa.bool_()))
        shop_id = done["shop_id"].cast(pa.string())  # texts: sorted as texts, never as codes
        return _arrow_sold_products(done.set_column(0, "shop_id", shop_id))
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


def _arrow_sold_products(done: pa.Table) -> pd.DataFrame:
    product_id = pc.fill_null(done["product_id"].cast(pa.string()), "")
    by_name = pc.binary_join_element_wise("name:", done["product_name"].cast(pa.string()), "")
    done = done.append_column("_product", pc.if_else(pc.equal(product_id, ""), by_name, product_id))
    grouped = done.group_by(["shop_id", "_product"], use_threads=False).aggregate(
        [("product_id", "first"), ("product_name", "first"), ("quantity", "sum"),
         ("line_sales_idr", "sum")]
    )  # fmt: skip
    frame = grouped.to_pandas().rename(
        columns={"product_id_first": "product_id", "product_name_first": "product_name",
                 "quantity_sum": "units_sold", "line_sales_idr_sum": "sales_idr"}
    )  # fmt: skip
    columns = ["shop_id", "_product", "product_id", "product_name", "units_sold", "sales_idr"]
    return frame[columns].sort_values(["shop_id", "_product"], ignore_index=True)
