"""Order lines: stored as one blob per file, read back by month with types, ranks and lineage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_samples import AUG, IMPORTED_AT, lines_frame, meta, orders_export

from sheetsync.ledger.database import StoredBlobs
from sheetsync.ledger.store import Ledger
from sheetsync.lineage import explain_figure
from sheetsync.model import ORDER_LINE_COLUMNS, Marketplace, Registry, Shop, Village


def test_lines_come_back_with_their_types_lineage_and_month(ledger: Ledger) -> None:
    frame = lines_frame(
        [
            ("A1", "completed", dt.datetime(2026, 8, 31, 23, 59, 59)),
            ("A2", "cancelled", dt.datetime(2026, 9, 1, 0, 0)),
            ("A3", "unpaid", dt.datetime(2026, 8, 1, 0, 0)),
        ]
    )
    record = ledger.store_export(meta("a.xlsx"), orders_export(frame), imported_at=IMPORTED_AT)
    assert (record.status, record.lines, record.kind) == ("imported", 3, "orders")

    august = ledger.order_lines_for_months(["2026-08"])
    assert sorted(august["order_id"]) == ["A1", "A3"]
    assert list(august.columns) == [*ORDER_LINE_COLUMNS, "shop_id", "file_id", "file_rank"]
    row = august.set_index("order_id").loc["A1"]
    assert row["created_at"] == pd.Timestamp("2026-08-31 23:59:59")
    assert (row["quantity"], row["line_sales_idr"], row["source_row"]) == (2, 74_400, 2)
    assert (row["shop_id"], row["file_id"], row["status"]) == ("TK-001", record.id, "completed")
    assert august["quantity"].dtype == "int64"
    assert str(august["created_at"].dtype).startswith("datetime64")
    september = ledger.order_lines_for_months(["2026-09"], columns=["order_id", "status"])
    assert list(september.columns) == ["order_id", "status", "shop_id", "file_id", "file_rank"]
    assert list(september["order_id"]) == ["A2"]


def test_text_holding_the_column_separator_still_round_trips(ledger: Ledger) -> None:
    frame = lines_frame([("A1", "completed", AUG), ("A2", "completed", AUG)])
    frame.loc[0, "product_name"] = "Kopi\x1fTubruk"
    frame.loc[1, "product_name"] = '=HYPERLINK("x")'
    ledger.store_export(meta("a"), orders_export(frame), imported_at=IMPORTED_AT)
    stored = ledger.order_lines_for_months(["2026-08"])
    assert stored["product_name"].tolist() == ["Kopi\x1fTubruk", '=HYPERLINK("x")']
    assert stored["created_at"].tolist() == [pd.Timestamp(AUG)] * 2


def test_no_months_and_empty_months_give_empty_typed_frames(ledger: Ledger) -> None:
    for months in ([], ["2030-01"]):
        empty = ledger.order_lines_for_months(months)
        assert empty.empty
        assert empty["quantity"].dtype == "int64"
        assert "file_rank" in empty.columns


def test_the_same_order_in_other_files_and_months_comes_along(ledger: Ledger) -> None:
    first = lines_frame([("A1", "in_progress", dt.datetime(2026, 8, 31, 23, 0))])
    # a later export dates the same order differently (e.g. payment time): still its order
    later = lines_frame(
        [
            ("A1", "completed", dt.datetime(2026, 9, 1, 1, 0)),
            ("B9", "completed", dt.datetime(2026, 9, 5)),
        ]
    )
    ledger.store_export(meta("one.csv"), orders_export(first), imported_at=IMPORTED_AT)
    ledger.store_export(meta("two.csv"), orders_export(later), imported_at=IMPORTED_AT)

    august = ledger.order_lines_for_months(["2026-08"])
    assert sorted(zip(august["order_id"], august["status"], strict=True)) == [
        ("A1", "completed"),
        ("A1", "in_progress"),
    ]
    both = ledger.order_lines_for_months(["2026-08", "2026-09"])
    assert len(both) == 3  # never twice the same line
    narrowed = ledger.order_lines_for_months(["2026-08"], shop_ids=["TK-001"])
    assert len(narrowed) == 2
    assert ledger.order_lines_for_months(["2026-08"], shop_ids=["TK-009"]).empty


def test_file_rank_follows_the_period_end_else_import_day_then_import_order(
    ledger: Ledger,
) -> None:
    line = lines_frame([("A1", "in_progress", AUG)])
    late_period = (dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    early_period = (dt.date(2026, 8, 1), dt.date(2026, 8, 15))
    a = ledger.store_export(
        meta("a"), orders_export(line, period=late_period), imported_at=IMPORTED_AT
    )
    b = ledger.store_export(
        meta("b"), orders_export(line, period=early_period), imported_at=IMPORTED_AT
    )
    c = ledger.store_export(meta("c"), orders_export(line), imported_at=IMPORTED_AT)
    d = ledger.store_export(meta("d"), orders_export(line), imported_at=IMPORTED_AT)
    ranks = ledger.file_ranks()
    assert [r.id for r in sorted((a, b, c, d), key=lambda r: ranks[r.id])] == [
        b.id,  # period ends 15 Aug
        a.id,  # period ends 31 Aug
        c.id,  # no period: imported 2 Sep, first
        d.id,  # no period: imported 2 Sep, second
    ]
    lines = ledger.order_lines_for_months(["2026-08"])
    assert dict(zip(lines["file_id"], lines["file_rank"], strict=True)) == ranks


def test_lineage_gives_the_file_and_row_of_each_line(ledger: Ledger) -> None:
    ledger.store_export(
        meta("a.xlsx", "TK-001"),
        orders_export(lines_frame([("A1", "completed", AUG), ("A2", "cancelled", AUG)])),
        imported_at=IMPORTED_AT,
    )
    ledger.store_export(
        meta("b.xlsx", "TK-002"),
        orders_export(lines_frame([("B1", "completed", AUG)])),
        imported_at=IMPORTED_AT,
    )
    registry = Registry(
        villages=(Village("V1", "Desa Satu", "Kec"),),
        ambassadors=(),
        shops=tuple(
            Shop(s, Marketplace.SHOPEE, s, "", "V1", "D1", None) for s in ("TK-001", "TK-002")
        ),
    )
    lineage = explain_figure(
        ledger, registry, "2026-08", level="shop", key="TK-001", metric="completed_orders"
    )
    assert [(r["file"], r["baris"], r["no_pesanan"]) for r in lineage] == [
        ("TK-001/a.xlsx", 2, "A1")
    ]
    everything = explain_figure(
        ledger, registry, "2026-08", level="village", key="V1", metric="orders"
    )
    assert sorted(r["no_pesanan"] for r in everything) == ["A1", "A2", "B1"]
    only_b = ledger.order_lines_for_months(["2026-08"], shop_ids=["TK-002"])
    assert only_b["order_id"].tolist() == ["B1"]
    assert ledger.order_lines_for_months(["2026-08"], shop_ids=[]).empty


order_ids = st.text(alphabet="ABCDEFGH0123456789", min_size=1, max_size=6)


moments = st.datetimes(min_value=dt.datetime(2026, 6, 1), max_value=dt.datetime(2026, 10, 31))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(st.lists(st.tuples(order_ids, moments), max_size=8), max_size=4))
def test_no_line_is_lost_or_doubled(tmp_path_factory: pytest.TempPathFactory, files) -> None:
    folder = tmp_path_factory.mktemp("ledger")
    months = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    with Ledger.open(folder / "l.sqlite") as ledger:
        for n, rows in enumerate(files):
            frame = lines_frame([(o, "completed", t.replace(microsecond=0)) for o, t in rows])
            ledger.store_export(meta(f"f{n}"), orders_export(frame), imported_at=IMPORTED_AT)
        stored = ledger.order_lines_for_months(months)
    expected = sorted(
        (n, o, t.replace(microsecond=0)) for n, rows in enumerate(files) for o, t in rows
    )
    got = sorted(
        (fid - 1, o, t.to_pydatetime())
        for fid, o, t in zip(
            stored["file_id"], stored["order_id"], stored["created_at"], strict=True
        )
    )
    assert got == expected


def test_status_counts_come_from_what_each_import_recorded(ledger: Ledger) -> None:
    sept = dt.datetime(2026, 9, 3, 8, 0)
    first = lines_frame(
        [("A1", "completed", AUG), ("A2", "cancelled", AUG), ("A3", "completed", sept)]
    )
    first["status_raw"] = ["Selesai", "Batal", "Selesai"]
    second = lines_frame([("B1", "in_progress", AUG)])
    second["status_raw"] = ["Sedang Dikemas"]
    ledger.store_export(meta("a.xlsx"), orders_export(first), imported_at=IMPORTED_AT)
    ledger.store_export(meta("b.xlsx", "TK-002"), orders_export(second), imported_at=IMPORTED_AT)
    decoded = ledger.connection.execute("SELECT COUNT(*) FROM file_statuses").fetchone()[0]
    assert decoded == 4  # (file, month, marketplace, status text) rows: nothing decoded later
    assert ledger.status_counts(["2026-08"]) == [
        ("shopee", "Batal", 1), ("shopee", "Sedang Dikemas", 1), ("shopee", "Selesai", 1),
    ]  # fmt: skip
    assert ledger.status_counts(["2026-08", "2026-09"])[-1] == ("shopee", "Selesai", 2)
    assert ledger.status_counts(["2026-10"]) == []
    assert ledger.status_counts([]) == []


def test_windows_read_together_keep_each_windows_lines(ledger: Ledger) -> None:
    """A sync's this month and last: decoded once, each window as if read alone."""
    first = lines_frame([("A1", "in_progress", dt.datetime(2026, 8, 31, 23, 0))])
    later = lines_frame([("A1", "completed", dt.datetime(2026, 9, 1, 1, 0)),
                         ("B9", "completed", dt.datetime(2026, 9, 5)),
                         ("C3", "completed", dt.datetime(2026, 10, 2))])  # fmt: skip
    ledger.store_export(meta("one.csv"), orders_export(first), imported_at=IMPORTED_AT)
    ledger.store_export(meta("two.csv"), orders_export(later), imported_at=IMPORTED_AT)

    august, september, june = ledger.order_tables_for_windows(
        [["2026-08"], ["2026-09"], ["2026-06"]], columns=["order_id", "status"]
    )
    assert august["order_id"].to_pylist() == ["A1", "A1"]  # the September copy comes along
    assert september["order_id"].to_pylist() == ["A1", "A1", "B9"]  # and the August one
    assert june.num_rows == 0 and june.column_names == august.column_names
    assert august.column_names == ["order_id", "status", "shop_id", "file_id", "file_rank"]
    assert september["file_rank"].to_pylist() == [1, 2, 2]
    frame = ledger.order_lines_for_months(["2026-09"])  # one window: texts as texts
    assert frame["order_id"].tolist() == ["A1", "A1", "B9"]


def test_a_neighbouring_months_line_comes_along_only_for_the_same_shops_order(
    ledger: Ledger,
) -> None:
    """Order numbers are the shop's own: another shop's A1 in September is another order."""
    ledger.store_export(meta("one.csv", "TK-001"),
                        orders_export(lines_frame([("A1", "completed", AUG)])),
                        imported_at=IMPORTED_AT)  # fmt: skip
    september = dt.datetime(2026, 9, 1, 1, 0)
    ledger.store_export(meta("two.csv", "TK-002"),
                        orders_export(lines_frame([("A1", "completed", september)])),
                        imported_at=IMPORTED_AT)  # fmt: skip
    ledger.store_export(meta("three.csv", "TK-001"),
                        orders_export(lines_frame([("A1", "completed", september)])),
                        imported_at=IMPORTED_AT)  # fmt: skip
    august = ledger.order_table_for_months(["2026-08"], columns=["order_id"])
    assert august["shop_id"].to_pylist() == ["TK-001", "TK-001"]
    assert august["order_id"].cast(pa.string()).to_pylist() == ["A1", "A1"]


@pytest.mark.parametrize("limit", [0, 13_000, 10**9])  # none, two (6 kB each), all kept
def test_blobs_kept_in_memory_read_back_as_the_ledger_holds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """The run that stored a month reads it back from memory (`stored_blobs`), up to a
    limit, the rest from the file: the same lines as another process reading the file."""
    monkeypatch.setattr(StoredBlobs, "LIMIT_BYTES", limit)
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        for i in range(4):
            frame = lines_frame([(f"A{i}", "completed", AUG), (f"B{i}", "cancelled", AUG)])
            ledger.store_export(meta(f"{i}.csv", f"TK-{i % 2}"), orders_export(frame),
                                imported_at=IMPORTED_AT)  # fmt: skip
        kept = len(ledger.stored_blobs)
        assert kept == {0: 0, 13_000: 2, 10**9: 4}[limit]
        (here,) = ledger.order_tables_for_windows([["2026-08"]])
    with Ledger.open(path) as other:
        assert not other.stored_blobs
        (there,) = other.order_tables_for_windows([["2026-08"]])
    assert here.num_rows == 8
    assert here.to_pylist() == there.to_pylist()


def test_a_blob_is_kept_only_once_its_file_is_committed(ledger: Ledger) -> None:
    broken = lines_frame([("A1", "completed", AUG)]).drop(columns=["quantity"])
    with pytest.raises(ValueError):
        ledger.store_export(meta("bad.csv"), orders_export(broken), imported_at=IMPORTED_AT)
    assert not ledger.stored_blobs
