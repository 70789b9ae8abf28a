"""Ingest's reader keeps order lines in Arrow up to the blob: the blob, the count, the
months and every issue must be those of the DataFrame path, bad rows included."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from sheetsync.demo import exports as ex
from sheetsync.ingest.read import (
    BATCH_BYTES,
    BATCH_FILES,
    ArrowReader,
    _batches,
    _read_batch_safely,
    _read_safely,
)
from sheetsync.ingest.store import drop_unstorable_lines
from sheetsync.ingest.summary import Candidate, Hashed, ReadFile
from sheetsync.ledger import FileMeta
from sheetsync.ledger.linestore import STORED_COLUMNS, unpack_columns
from sheetsync.marketplaces import read_export
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.model import Marketplace


def _lines() -> list[ex.OrderLineSpec]:
    return [
        ex.OrderLineSpec(f"2608{i:02d}QTB2PY2Q", ("Selesai", "Batal", "Belum Bayar")[i % 3],
                         created_at=dt.datetime(2026, 8, 3 + i, 10, 15),
                         product_name=f"Keripik {i}", quantity=1 + i % 3,
                         unit_price_idr=37_200 + i, buyer_name=f"Siti {i}")
        for i in range(8)
    ]  # fmt: skip


def _messy_shopee(path: Path, fmt: str) -> Path:
    rows = ex.shopee_rows(_lines())
    header = rows[0]
    date, qty, order = (header.index(n) for n in ("Waktu Pesanan Dibuat", "Jumlah", "No. Pesanan"))
    rows[2][date] = "31/02/2026 10:00"  # no such day
    rows[3][qty] = "dua"
    rows[4][order] = ""
    rows[5][order] = "1.10032E+13"
    return ex.write_table(path, rows, fmt=fmt)


def _both(path: Path) -> tuple[ReadFile, ReadFile]:
    pandas_path = _read_safely(functools.partial(read_export), path, "TK-001/" + path.name)
    arrow_path = _read_safely(functools.partial(read_export, arrow=True), path,
                              "TK-001/" + path.name)  # fmt: skip
    assert isinstance(pandas_path, ReadFile) and isinstance(arrow_path, ReadFile)
    return pandas_path, arrow_path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_arrow_lines_pack_exactly_as_the_frame(tmp_path: Path, fmt: str) -> None:
    files = [
        _messy_shopee(tmp_path / f"Order.all.20260801_20260831.{fmt}", fmt),
        ex.write_tiktok_orders(tmp_path / f"tiktok.{fmt}", _lines(), fmt=fmt),
    ]
    issues = []
    for path in files:
        old, new = _both(path)
        issues += new.parsed.issues
        assert new.packed is not None and old.packed is not None
        assert new.packed == old.packed  # the same bytes, count and month spans
        assert new.parsed.issues == old.parsed.issues
        assert new.parsed.table is None and new.parsed.lines.empty  # only the blob travels
        assert (new.parsed.kind, new.parsed.rows_read) == (old.parsed.kind, old.parsed.rows_read)
    assert sorted({i.row for i in issues if i.row is not None}) == [3, 4, 5, 6]


def test_arrow_lines_the_ledger_cannot_hold_become_row_issues() -> None:
    frame = pd.DataFrame(
        {
            "marketplace": ["shopee"] * 4,
            "order_id": ["A1", " ", "A3", "A4"],
            "line_no": [1, 1, 1, 1],
            "product_id": ["p"] * 4,
            "product_name": ["n"] * 4,
            "variation": [""] * 4,
            "quantity": [1, 1, -2, 1],
            "unit_price_idr": [10, 10, 10, 10],
            "line_sales_idr": [10, 10, -20, 10],
            "status_raw": ["Selesai"] * 4,
            "return_status_raw": [""] * 4,
            "status": ["completed", "completed", "completed", "weird"],
            "created_at": pd.to_datetime(["2026-08-01 10:00"] * 4).astype("datetime64[us]"),
            "source_row": [2, 3, 4, 5],
        }
    )
    parsed = ParsedExport("orders", "stub", Marketplace.SHOPEE, frame, rows_read=4)
    by_frame = drop_unstorable_lines(parsed, "a.csv")
    in_arrow = ParsedExport("orders", "stub", Marketplace.SHOPEE, frame.iloc[:0], rows_read=4,
                            table=pa.Table.from_pandas(frame, preserve_index=False))  # fmt: skip
    by_table = drop_unstorable_lines(in_arrow, "a.csv")
    assert by_table.issues == by_frame.issues and [i.row for i in by_table.issues] == [3, 4, 5]
    assert by_table.table is not None
    assert by_table.table.to_pandas().equals(by_frame.lines)


def test_a_packed_file_crosses_processes_whole(tmp_path: Path) -> None:
    """Pickled from a reader process without its empty frame, it arrives with one."""
    import pickle

    path = _messy_shopee(tmp_path / "Order.all.20260801_20260831.csv", "csv")
    _, read = _both(path)
    back = pickle.loads(pickle.dumps(read))
    assert back.packed == read.packed and back.parsed.issues == read.parsed.issues
    pd.testing.assert_frame_equal(back.parsed.lines, read.parsed.lines)
    for name in ("kind", "layout", "marketplace", "period", "rows_read", "exported_at", "table"):
        assert getattr(back.parsed, name) == getattr(read.parsed, name), name


def _outcomes_alike(together: object, alone: object) -> None:
    """The same hash, issues and packed lines (decoded alike; the bytes may differ where a
    batch's slice is written)."""
    assert type(together) is type(alone)
    if isinstance(alone, Hashed):
        assert isinstance(together, Hashed) and together.sha256 == alone.sha256
        together, alone = together.read, alone.read
    if not isinstance(alone, ReadFile):
        assert repr(together) == repr(alone)
        return
    assert isinstance(together, ReadFile)
    mine, theirs = together.parsed, alone.parsed
    assert (mine.kind, mine.layout, mine.rows_read, mine.issues, mine.period) == (
        theirs.kind, theirs.layout, theirs.rows_read, theirs.issues, theirs.period)  # fmt: skip
    assert (together.packed is None) == (alone.packed is None)
    if alone.packed is not None and together.packed is not None:
        assert together.packed.count == alone.packed.count
        assert together.packed.months == alone.packed.months
        assert together.packed.statuses == alone.packed.statuses
        assert unpack_columns(together.packed.blob, STORED_COLUMNS).equals(
            unpack_columns(alone.packed.blob, STORED_COLUMNS)
        )


def test_a_batch_of_files_gives_each_what_it_gives_alone(tmp_path: Path) -> None:
    """Clean Shopee files (read, checked and packed together), a messy one, a TikTok one,
    a file that vanished, one that is no export and a ZIP of parts (its lines in pandas):
    each outcome as when read alone."""
    clean = [
        ex.write_shopee_orders(tmp_path / f"TK-{n}" / "Order.all.20260801_20260831.csv",
                               _lines()[n:], fmt="csv")
        for n in range(4)
    ]  # fmt: skip
    others = [
        _messy_shopee(tmp_path / "Order.all.20260901_20260930.csv", "csv"),
        ex.write_tiktok_orders(tmp_path / "tiktok.csv", _lines(), fmt="csv"),
        tmp_path / "vanished.csv",
        ex.write_table(tmp_path / "notes.csv", [["catatan"], ["beli gula"]], fmt="csv"),
        ex.write_shopee_zip(tmp_path / "Order.all.20260801_20260831.zip", _lines()),
    ]
    paths = [clean[0], others[0], *clean[1:3], *others[1:], clean[3]]
    reader = ArrowReader()
    for hash_first in (True, False):
        jobs = [(path, f"x/{path.name}", hash_first) for path in paths]
        together = _read_batch_safely(reader, jobs)
        alone = [_read_safely(reader, path, source, hash_first=first)
                 for path, source, first in jobs]  # fmt: skip
        assert len(together) == len(jobs)
        for mine, theirs in zip(together, alone, strict=True):
            _outcomes_alike(mine, theirs)


def _new_files(count: int, size: int = 1_000) -> list[tuple[Candidate, FileMeta]]:
    return [
        (Candidate(Path(f"/inbox/TK/{i}.csv"), f"TK/{i}.csv", "TK"),
         FileMeta("", f"/inbox/TK/{i}.csv", f"TK/{i}.csv", size, 0.0, "TK"))
        for i in range(count)
    ]  # fmt: skip


@pytest.mark.parametrize("count", [1, 3, 7, 40, 620])
def test_batches_keep_every_file_once_in_order_and_shrink_towards_the_end(count: int) -> None:
    new = _new_files(count)
    batches = list(_batches(new, 2))
    assert [item for batch in batches for item in batch] == new
    sizes = [len(b) for b in batches]
    assert max(sizes) <= BATCH_FILES
    assert sizes[-1] == 1  # the last task is one file: no core waits on a long one
    if count >= 40:  # big enough to be batched: at least four tasks per reader process
        assert len(batches) >= 8 and sizes == sorted(sizes, reverse=True)


def test_a_batch_of_large_files_stays_within_its_bytes() -> None:
    batches = list(_batches(_new_files(40, size=BATCH_BYTES // 3), 2))
    assert all(sum(meta.size for _, meta in b) <= BATCH_BYTES for b in batches)
    assert max(len(b) for b in batches) == 3
