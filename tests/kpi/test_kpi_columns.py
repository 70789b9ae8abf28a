"""Lines read alike from a DataFrame or the ledger's Arrow table (kpi/columns.py).

compute_kpis takes the month's lines straight from Arrow at province scale; tests and
explain hand it DataFrames. The figures must not depend on which one it got.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st
from kpi_factory import AUG, assert_same_kpis, frame, line, registry, shop

from sheetsync.kpi import compute_kpis
from sheetsync.kpi.columns import sold_products, text_code_count, text_codes, whole_numbers
from sheetsync.kpi.resolve import resolve_lines

STATUSES = ["completed", "cancelled", "returned", "unpaid", "in_progress"]
MOMENTS = ["2026-07-31 23:59", "2026-08-01 00:00", "2026-08-15 12:00", "2026-09-01 00:00"]


def as_arrow(lines: pd.DataFrame) -> pa.Table:
    """The frame as the ledger's Arrow table gives it: texts as strings, times [s]."""
    table = pa.Table.from_pandas(lines, preserve_index=False)
    at = table.column_names.index("created_at")
    return table.set_column(at, "created_at", table["created_at"].cast(pa.timestamp("s")))


def as_numbered(lines: pd.DataFrame) -> pa.Table:
    """As the ledger gives a window read with others: order ids and shops as dictionary
    columns whose dictionaries hold texts no row of the window uses (another window's
    order, a shop of another month) and are not in order of appearance (shops sorted)."""
    table = as_arrow(lines)
    for name, other in (("order_id", "ZZ-other-window"), ("shop_id", "AA-other-shop")):
        own = table[name].combine_chunks().cast(pa.string())
        texts = sorted({*own.to_pylist(), other}, reverse=name == "shop_id")
        codes = pa.array([texts.index(t) for t in own.to_pylist()], pa.int32())
        numbered = pa.DictionaryArray.from_arrays(codes, pa.array(texts, pa.string()))
        table = table.set_column(table.column_names.index(name), name, numbered)
    return table


def as_stored(lines: pd.DataFrame) -> pa.Table:
    """As the ledger gives lines of blobs that store texts numbered: each file's lines a
    chunk whose text columns have their own dictionaries (files in order of their id);
    order ids and shops numbered across files, as the ledger does once per read."""
    ordered = lines.sort_values("file_id", kind="stable", ignore_index=True)
    table = as_arrow(ordered)
    file_ids = ordered["file_id"].to_numpy()
    bounds = np.flatnonzero(np.r_[True, file_ids[1:] != file_ids[:-1], True])
    chunks = [table.slice(a, b - a) for a, b in itertools.pairwise(bounds)]
    columns = []
    for name in table.column_names:
        column = pa.chunked_array([c[name].combine_chunks() for c in chunks], table[name].type)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pa.chunked_array([c.dictionary_encode() for c in column.chunks])
            if name in ("order_id", "shop_id") and column.num_chunks:
                column = column.unify_dictionaries()
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


line_rows = st.lists(
    st.builds(
        line,
        st.sampled_from(["A", "B", "C", "D", "E"]),
        st.sampled_from(STATUSES),
        st.sampled_from(MOMENTS),
        shop=st.sampled_from(["T1", "T2", "T3"]),
        file_id=st.integers(1, 4),
        qty=st.integers(0, 5),
        price=st.integers(0, 90_000),
        line_no=st.integers(1, 3),
        product=st.sampled_from(["P1", "P2", ""]),
        marketplace=st.sampled_from(["shopee", "tokopedia"]),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(line_rows)
def test_resolution_is_the_same_from_a_frame_and_from_arrow(rows: list[dict]) -> None:
    lines = frame(*rows)
    from_frame = resolve_lines(lines)
    for from_arrow in (resolve_lines(as_arrow(lines)), resolve_lines(as_numbered(lines))):
        for field in dataclasses.fields(from_frame):
            assert np.array_equal(getattr(from_frame, field.name), getattr(from_arrow, field.name))
    in_file_order = lines.sort_values("file_id", kind="stable", ignore_index=True)
    from_frame, from_blobs = resolve_lines(in_file_order), resolve_lines(as_stored(lines))
    for field in dataclasses.fields(from_frame):
        assert np.array_equal(getattr(from_frame, field.name), getattr(from_blobs, field.name))


@settings(max_examples=25, deadline=None)
@given(line_rows)
def test_every_kpi_table_is_the_same_from_a_frame_and_from_arrow(rows: list[dict]) -> None:
    lines = frame(*rows)
    reg = registry((shop("T1"), shop("T2")))  # T3 sells without being registered
    got = compute_kpis(as_arrow(lines), reg, AUG)
    assert_same_kpis(got, compute_kpis(lines, reg, AUG), check_dtype=False)
    assert_same_kpis(compute_kpis(as_stored(lines), reg, AUG), got, check_exact=True)


def test_texts_become_codes_in_order_of_appearance_with_the_distinct_values() -> None:
    table = pa.table({"status": pa.chunked_array([["completed", "unpaid"], ["completed"]])})
    codes, uniques = text_codes(table, "status")
    assert codes.tolist() == [0, 1, 0]
    assert uniques.tolist() == ["completed", "unpaid"]
    order_codes, count = text_code_count(pa.table({"order_id": ["A", "B", "A", "C"]}), "order_id")
    assert order_codes.tolist() == [0, 1, 0, 2] and count == 3


def test_a_missing_text_reads_as_the_empty_text_never_as_another_lines() -> None:
    table = pa.table({"status": pa.array(["unpaid", None, "completed"], pa.string())})
    for lines in (table, table.to_pandas()):
        codes, texts = text_codes(lines, "status")
        assert texts[codes].tolist() == ["unpaid", "", "completed"]
    with_empty = pa.table({"status": pa.array(["", None, "completed"], pa.string())})
    codes, texts = text_codes(with_empty, "status")
    assert texts[codes].tolist() == ["", "", "completed"] and texts.tolist().count("") == 1


def test_an_order_without_a_status_is_not_taken_for_a_completed_one() -> None:
    lines = frame(line("A", "unpaid"), line("B", "completed"))
    lines.loc[0, "status"] = None
    for given_lines in (lines, as_arrow(lines)):
        resolution = resolve_lines(given_lines)
        assert resolution.order_statuses().tolist() == ["", "completed"]
        shops = compute_kpis(given_lines, registry(), AUG).shops.set_index("shop_id")
        assert shops.loc["T1", "completed_orders"] == 1
        assert shops.loc["T1", "unpaid_orders"] == 0


def test_a_missing_whole_number_reads_as_nothing_to_add() -> None:
    table = pa.table({"quantity": pa.array([2, None, 5], pa.int64())})
    assert whole_numbers(table, "quantity").tolist() == [2, 0, 5]
    assert whole_numbers(table.to_pandas(), "quantity").tolist() == [2, 0, 5]


def test_products_sold_are_summed_alike_from_a_frame_and_from_arrow() -> None:
    lines = frame(
        line("A", product="P1", qty=2, price=5_000),
        line("B", product="", qty=1, price=7_000),  # no product id: told apart by name
        line("C", product="P1", qty=1, price=5_000, shop="T2"),
        line("D", product="P1", qty=9, price=1),  # not counted (masked out)
    )
    mask = np.array([True, True, True, False])
    from_frame, from_arrow = sold_products(lines, mask), sold_products(as_arrow(lines), mask)
    pd.testing.assert_frame_equal(from_arrow, from_frame, check_dtype=False)
    assert from_arrow[["shop_id", "_product", "units_sold", "sales_idr"]].values.tolist() == [
        ["T1", "P1", 2, 10_000], ["T1", "name:Produk ", 1, 7_000], ["T2", "P1", 1, 5_000],
    ]  # fmt: skip


def text_grouped_products(done: pa.Table) -> pd.DataFrame:
    """The best sellers as Arrow grouped them before (by the shop and `_product` texts):
    the oracle of the grouping by codes, nulls and ids like "name:…" included."""
    shop_id = done["shop_id"].cast(pa.string())
    product_id = pc.fill_null(done["product_id"].cast(pa.string()), "")
    by_name = pc.binary_join_element_wise("name:", done["product_name"].cast(pa.string()), "")
    done = done.set_column(0, "shop_id", shop_id).append_column(
        "_product", pc.if_else(pc.equal(product_id, ""), by_name, product_id)
    )
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


def numbered_per_file(table: pa.Table, *, repeating: bool = False) -> pa.Table:
    """Every text column as blobs store it: chunks of lines ("files"), each with its own
    dictionary; `repeating`: each dictionary lists its texts twice (codes use the second)."""
    cut = table.num_rows // 2
    columns = []
    for name in table.column_names:
        parts = [
            table[name].slice(0, cut).combine_chunks(),
            table[name].slice(cut).combine_chunks(),
        ]
        if pa.types.is_string(table[name].type):
            parts = [_own_dictionary(part, repeating) for part in parts]
        columns.append(pa.chunked_array(parts))
    return pa.Table.from_arrays(columns, names=table.column_names)


def _own_dictionary(texts: pa.Array, repeating: bool) -> pa.DictionaryArray:
    encoded = texts.dictionary_encode()
    if not repeating:
        return encoded
    twice = pa.concat_arrays([encoded.dictionary, encoded.dictionary])
    shifted = pc.add(encoded.indices, len(encoded.dictionary))
    return pa.DictionaryArray.from_arrays(shifted, twice)


sold_rows = st.lists(
    st.tuples(
        st.sampled_from(["T1", "T2", "T3"]),
        st.sampled_from(["P1", "P2", "", None, "name:Q"]),
        st.sampled_from(["Q", "R", "", None]),
        st.integers(0, 5),
        st.integers(0, 90_000),
        st.booleans(),
    ),
    max_size=30,
)


@settings(max_examples=80, deadline=None)
@given(sold_rows)
def test_best_sellers_grouped_by_codes_are_those_grouped_by_texts(rows: list[tuple]) -> None:
    shops, ids, names, qty, sales, counted = ([row[at] for row in rows] for at in range(6))
    table = pa.table({
        "shop_id": pa.array(shops, pa.string()), "product_id": pa.array(ids, pa.string()),
        "product_name": pa.array(names, pa.string()), "quantity": pa.array(qty, pa.int64()),
        "line_sales_idr": pa.array(sales, pa.int64()),
    })  # fmt: skip
    mask = np.array(counted, dtype=bool)
    expected = text_grouped_products(table.filter(pa.array(mask, pa.bool_())))
    numbered = table.set_column(0, "shop_id", table["shop_id"].dictionary_encode())
    for lines in (table, numbered):
        pd.testing.assert_frame_equal(sold_products(lines, mask), expected, check_dtype=False)
    from_texts = sold_products(table, mask)
    for lines in (numbered_per_file(table), numbered_per_file(table, repeating=True)):
        pd.testing.assert_frame_equal(sold_products(lines, mask), from_texts, check_exact=True)
    if None not in ids and None not in names:  # a frame has no missing text to compare
        from_frame = sold_products(table.to_pandas(), mask)
        pd.testing.assert_frame_equal(from_frame, expected, check_dtype=False)
