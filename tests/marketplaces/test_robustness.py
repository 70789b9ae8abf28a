"""read_export never raises, whatever bytes or cell text it is given (issue 3 §3)."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marketplace_samples import shopee_lines, tiktok_lines, tokopedia_lines

from sheetsync.demo import exports as ex
from sheetsync.marketplaces import read_export
from sheetsync.model import ORDER_LINE_COLUMNS

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_invariants(path: Path) -> None:
    parsed = read_export(path)
    assert parsed.kind in ("orders", "listings", "rejected")
    if parsed.rejected:
        assert parsed.lines.empty and parsed.issues
        return
    if parsed.kind == "orders":
        assert list(parsed.lines.columns) == list(ORDER_LINE_COLUMNS)
        assert (parsed.lines.quantity >= 0).all()
        assert (parsed.lines.order_id != "").all()
        assert parsed.lines.created_at.notna().all()
    assert len(parsed.lines) <= parsed.rows_read


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.csv"
        path.write_bytes(data)
        check_invariants(path)


SIGNATURES = [b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf"]  # zip/xlsx, xls, BOM


@FAST
@given(st.binary(max_size=600), st.sampled_from(SIGNATURES))
def test_arbitrary_bytes_behind_a_file_signature_never_raise(data: bytes, magic: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.xlsx"
        path.write_bytes(magic + data)
        check_invariants(path)


CELL_TEXT = st.text(max_size=25)


LAYOUT_ROWS = {
    "shopee": lambda: ex.shopee_rows(shopee_lines()),
    "tokopedia": lambda: ex.tokopedia_rows(tokopedia_lines()),
    "tiktok": lambda: ex.tiktok_rows(tiktok_lines()),
    "lazada": lambda: ex.lazada_rows(tokopedia_lines()),
    "mass_update": lambda: ex.shopee_mass_update_rows(
        [ex.ProductSpec("11", "Kopi", "1", "M", "KOP"), ex.ProductSpec("11", "Kopi", "2", "L")]
    ),
}


@FAST
@given(
    st.sampled_from(sorted(LAYOUT_ROWS)),
    st.lists(st.tuples(st.integers(0, 80), st.integers(0, 10), CELL_TEXT), min_size=1,
             max_size=12),
    st.sampled_from(["csv", "xlsx"]),
    st.sampled_from([",", ";", "\t"]),
)  # fmt: skip
def test_arbitrary_cell_text_in_a_real_layout_never_raises(
    layout: str, edits: list[tuple[int, int, str]], fmt: str, sep: str
) -> None:
    rows = LAYOUT_ROWS[layout]()
    for column, row, text in edits:
        target = rows[row % len(rows)]  # title, header and description rows too
        if target:
            target[column % len(target)] = text
    with tempfile.TemporaryDirectory() as folder:
        path = ex.write_table(Path(folder) / f"x.{fmt}", rows, fmt=fmt, sep=sep)
        check_invariants(path)


@FAST
@given(st.lists(st.lists(CELL_TEXT, max_size=6), max_size=8))
def test_arbitrary_small_tables_never_raise(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        check_invariants(ex.write_table(Path(folder) / "x.csv", rows, fmt="csv"))  # type: ignore[arg-type]


NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                max_size=20).map(str.strip).filter(bool)  # fmt: skip
LINES = st.lists(
    st.builds(
        ex.OrderLineSpec,
        order_id=st.from_regex(r"26[01][0-9]{3}[A-Z0-9]{8}", fullmatch=True),
        status=st.sampled_from(["Selesai", "Batal", "Belum Bayar", "Perlu Dikirim"]),
        created_at=st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2027, 12, 31)).map(
            lambda t: t.replace(second=0, microsecond=0)
        ),
        product_name=NAMES,
        quantity=st.integers(0, 500),
        unit_price_idr=st.integers(0, 50_000_000),
    ),
    min_size=1,
    max_size=15,
)


@FAST
@given(
    LINES,
    st.sampled_from(["2021", "2025", "2026"]),
    st.sampled_from(["xlsx", "csv"]),
    st.sampled_from(ex.MONEY_STYLES),
    st.sampled_from([",", ";", "\t"]),
)
def test_no_line_is_lost_doubled_or_changed(
    lines: list[ex.OrderLineSpec], layout: str, fmt: str, money: str, sep: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = ex.write_shopee_orders(
            Path(folder) / f"o.{fmt}", lines, layout=layout, fmt=fmt, money=money, sep=sep
        )
        parsed = read_export(path)
    assert parsed.kind == "orders" and parsed.issues == [], parsed.issues
    grouped = ex.group_by_order(lines)  # the writer puts an order's lines together, in this order
    expected = [
        (x.order_id, x.product_name, x.quantity, x.unit_price_idr, x.created_at)
        for order in grouped.values()
        for x in order
    ]
    got = parsed.lines[
        ["order_id", "product_name", "quantity", "unit_price_idr", "created_at"]
    ].itertuples(index=False)
    assert [(a, b, int(c), int(d), e.to_pydatetime()) for a, b, c, d, e in got] == expected


@FAST
@given(st.binary(max_size=400))
def test_a_zip_with_one_arbitrary_part_is_never_imported_in_part(junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = ex.write_shopee_zip(Path(folder) / "Order.all.zip", shopee_lines(), parts=2)
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("Order.all.part3.csv", junk)
        parsed = read_export(path)
    assert parsed.rejected and parsed.lines.empty
    assert all(i.source.startswith("Order.all.zip/Order.all.part3") for i in parsed.issues)
