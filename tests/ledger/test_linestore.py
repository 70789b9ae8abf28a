"""A file's order lines survive packing into one Arrow blob exactly, and bad lines are refused."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.ledger.linestore import (
    MonthSpan,
    StatusSpan,
    decode_files,
    lines_frame,
    pack_order_lines,
    status_spans,
    unpack_order_lines,
)
from sheetsync.model import ORDER_LINE_COLUMNS

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
MOMENTS = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31))


@st.composite
def order_lines(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=0, max_value=30))
    texts = st.lists(TEXT, min_size=n, max_size=n)
    ints = st.lists(st.integers(min_value=0, max_value=10**12), min_size=n, max_size=n)
    return pd.DataFrame(
        {
            "marketplace": ["shopee"] * n,
            "order_id": draw(st.lists(TEXT.map(lambda t: f"O{t}"), min_size=n, max_size=n)),
            "line_no": draw(ints),
            "product_id": draw(texts),
            "product_name": draw(texts),  # '=', U+001F, emoji: any text stays text
            "variation": draw(texts),
            "quantity": draw(ints),
            "unit_price_idr": draw(ints),
            "line_sales_idr": draw(ints),
            "status_raw": draw(texts),
            "return_status_raw": draw(texts),
            "status": ["completed"] * n,
            "created_at": pd.to_datetime(
                draw(st.lists(MOMENTS, min_size=n, max_size=n)), utc=False
            ).astype("datetime64[s]"),
            "source_row": draw(ints),
        }
    )


@settings(max_examples=60, deadline=None)
@given(order_lines())
def test_lines_come_back_exactly_as_packed(lines: pd.DataFrame) -> None:
    packed = pack_order_lines(lines)
    back = unpack_order_lines(packed.blob)
    assert packed.count == len(lines)
    assert list(back.columns) == list(ORDER_LINE_COLUMNS)
    for name in ORDER_LINE_COLUMNS:
        expected = lines[name].astype("datetime64[s]") if name == "created_at" else lines[name]
        assert back[name].tolist() == expected.tolist(), name
    assert sum(span.lines for span in packed.months) == len(lines)


def test_months_are_recorded_with_their_first_and_last_order() -> None:
    lines = frame(["A", "B", "C"], ["2026-08-31 23:59", "2026-08-01 00:00", "2026-09-01 00:00"])
    spans = pack_order_lines(lines).months
    aug_first, aug_last = (
        int(pd.Timestamp(t).value // 10**9) for t in ("2026-08-01 00:00", "2026-08-31 23:59")
    )
    sep = int(pd.Timestamp("2026-09-01").value // 10**9)
    assert spans == (MonthSpan(202608, 2, aug_first, aug_last), MonthSpan(202609, 1, sep, sep))


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("order_id", "  ", "empty order number"),
        ("quantity", -1, "negative quantity"),
        ("created_at", pd.NaT, "empty created_at"),
    ],
)
def test_lines_the_ledger_must_not_hold_are_refused(
    column: str, value: object, reason: str
) -> None:
    lines = frame(["A", "B"], ["2026-08-01 10:00", "2026-08-02 10:00"])
    lines.loc[1, column] = value
    with pytest.raises(ValueError, match=reason):
        pack_order_lines(lines)


def test_a_frame_without_a_required_column_is_refused() -> None:
    lines = frame(["A"], ["2026-08-01 10:00"]).drop(columns=["line_sales_idr"])
    with pytest.raises(ValueError, match="line_sales_idr"):
        pack_order_lines(lines)


def test_optional_text_columns_default_to_empty() -> None:
    lines = frame(["A"], ["2026-08-01 10:00"]).drop(columns=["product_id", "variation"])
    back = unpack_order_lines(pack_order_lines(lines).blob)
    assert back.loc[0, "product_id"] == "" and back.loc[0, "variation"] == ""


def test_several_files_decode_with_their_file_shop_and_position() -> None:
    one = pack_order_lines(frame(["A", "B"], ["2026-08-01 10:00"] * 2))
    two = pack_order_lines(frame(["C"], ["2026-08-03 10:00"]))
    table, line_seq = decode_files([(7, "TK-1", one.blob), (9, "TK-2", two.blob)], ["order_id"])
    decoded = lines_frame(table)
    assert decoded["order_id"].tolist() == ["A", "B", "C"]
    assert decoded["file_id"].tolist() == [7, 7, 9]
    assert decoded["shop_id"].tolist() == ["TK-1", "TK-1", "TK-2"]
    assert decoded["month"].tolist() == [202608] * 3
    assert line_seq.tolist() == [0, 1, 0]


def frame(order_ids: list[str], moments: list[str]) -> pd.DataFrame:
    n = len(order_ids)
    return pd.DataFrame(
        {
            "marketplace": ["shopee"] * n,
            "order_id": order_ids,
            "line_no": np.ones(n, dtype="int64"),
            "product_id": ["P"] * n,
            "product_name": ["Kopi"] * n,
            "variation": [""] * n,
            "quantity": np.full(n, 2, dtype="int64"),
            "unit_price_idr": np.full(n, 1000, dtype="int64"),
            "line_sales_idr": np.full(n, 2000, dtype="int64"),
            "status_raw": ["Selesai"] * n,
            "return_status_raw": [""] * n,
            "status": ["completed"] * n,
            "created_at": pd.to_datetime(moments),
            "source_row": np.arange(2, n + 2),
        }
    )


@pytest.mark.parametrize("files", [1, 2])
def test_decoded_lines_can_be_written_to(files: int) -> None:
    """lines_frame shares no read-only Arrow memory: callers may change any column."""
    blob = pack_order_lines(frame(["A", "B"], ["2026-08-01 10:00", "2026-08-02 10:00"])).blob
    table, _ = decode_files([(i, "TK-001", blob) for i in range(files)], ORDER_LINE_COLUMNS)
    lines = lines_frame(table.select([*ORDER_LINE_COLUMNS, "shop_id", "file_id"]))
    lines.loc[0, "quantity"] = 5
    lines.loc[0, "created_at"] = lines.loc[1, "created_at"]
    lines.loc[0, "order_id"] = "Z"
    assert (lines.loc[0, "quantity"], lines.loc[0, "order_id"]) == (5, "Z")
    assert (
        str(lines["order_id"].dtype) == "str" and str(lines["created_at"].dtype) == "datetime64[s]"
    )


def test_pack_order_table_gives_the_blob_of_the_frame() -> None:
    """Lines still in Arrow (ingest's readers) pack into the very bytes of their frame."""
    import pyarrow as pa

    from sheetsync.ledger.linestore import pack_order_table

    lines = frame(["A", "B", "C"], ["2026-08-31 23:59", "2026-08-01 00:00", "2026-09-01 00:00"])
    lines["created_at"] = lines["created_at"].astype("datetime64[us]")
    table = pa.Table.from_pandas(lines, preserve_index=False)
    assert pack_order_table(table) == pack_order_lines(lines)
    bad = table.set_column(table.schema.get_field_index("quantity"), "quantity",
                           pa.array([1, -1, 1], pa.int64()))  # fmt: skip
    with pytest.raises(ValueError, match="negative quantity"):
        pack_order_table(bad)


def test_status_spans_count_lines_per_month_marketplace_and_status_text() -> None:
    table = pa.table(
        {
            "month": pa.array([202608, 202608, 202609, 202608, 202608], pa.int32()),
            "marketplace": ["shopee"] * 5,
            "status_raw": ["Selesai", "Batal", "Selesai", "Selesai", None],
        }
    )
    assert status_spans(table) == (
        StatusSpan(202608, "shopee", "", 1),  # a missing text counts as ''
        StatusSpan(202608, "shopee", "Batal", 1),
        StatusSpan(202608, "shopee", "Selesai", 2),
        StatusSpan(202609, "shopee", "Selesai", 1),
    )
    assert status_spans(table.slice(0, 0)) == ()
