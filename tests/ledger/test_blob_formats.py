"""Blobs of both formats read alike: plain texts (before) and texts numbered per file (now).

A ledger is never migrated to the numbered format: files imported before keep their old
blobs, so a month may be read from blobs of both. The lines, their lineage and every KPI
figure must not depend on which format a file's blob has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_samples import AUG, IMPORTED_AT, lines_frame, meta, orders_export

import sheetsync.ledger.lines as ledger_lines
import sheetsync.ledger.linestore as linestore
from sheetsync.kpi import compute_kpis
from sheetsync.kpi.compute import KPI_LINE_COLUMNS
from sheetsync.ledger.store import Ledger
from sheetsync.lineage import explain_figure
from sheetsync.model import Marketplace, Registry, Shop, Village
from sheetsync.months import months_back

OLD_FORMAT = "arrow-ipc-file-lz4"
SHOPS = ("TK-001", "TK-002")
ORDERS = ("A1", "A2", "B7", "C3")
STATUSES = ("completed", "cancelled", "in_progress", "unpaid", "returned")
MOMENTS = (dt.datetime(2026, 7, 31, 23, 0), dt.datetime(2026, 8, 1), dt.datetime(2026, 8, 20),
           dt.datetime(2026, 9, 1, 0, 30))  # fmt: skip


def test_a_new_blob_numbers_its_texts_and_an_old_one_reads_as_before(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = lines_frame([("A1", "completed", dt.datetime(2026, 8, 3))])
    ledger.store_export(meta("new.csv"), orders_export(frame), imported_at=IMPORTED_AT)
    monkeypatch.setattr(linestore, "_texts_numbered", lambda table: table)
    monkeypatch.setattr(ledger_lines, "BLOB_FORMAT", OLD_FORMAT)
    ledger.store_export(meta("old.csv"), orders_export(frame), imported_at=IMPORTED_AT)
    stored = dict(ledger.connection.execute("SELECT format, data FROM order_blobs").fetchall())
    assert set(stored) == {OLD_FORMAT, "arrow-ipc-file-lz4-dict"}
    new_types = pa.ipc.open_file(pa.py_buffer(stored["arrow-ipc-file-lz4-dict"])).schema
    old_types = pa.ipc.open_file(pa.py_buffer(stored[OLD_FORMAT])).schema
    assert pa.types.is_dictionary(new_types.field("order_id").type)
    assert pa.types.is_string(old_types.field("order_id").type)
    for blob in stored.values():  # callers get plain texts from either
        assert linestore.unpack_columns(blob, ["order_id"]).schema.field(0).type == pa.string()
        pd.testing.assert_frame_equal(linestore.unpack_order_lines(blob), frame_as_stored(frame))


def frame_as_stored(frame: pd.DataFrame) -> pd.DataFrame:
    return linestore.unpack_order_lines(linestore.pack_order_lines(frame).blob)


exports = st.lists(
    st.lists(
        st.tuples(st.sampled_from(ORDERS), st.sampled_from(STATUSES), st.sampled_from(MOMENTS)),
        min_size=1,
        max_size=6,
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(exports, st.lists(st.booleans(), min_size=6, max_size=6))
def test_old_and_new_blobs_read_together_give_the_same_lines_lineage_and_kpis(
    tmp_path_factory: pytest.TempPathFactory, files: list[list[tuple]], old: list[bool]
) -> None:
    """The same exports in three ledgers: every blob old, every blob new, and mixed."""
    folder = tmp_path_factory.mktemp("formats")
    mixes = {"old": [True] * len(files), "new": [False] * len(files), "mixed": old[: len(files)]}
    read = {name: _read_back(folder / f"{name}.sqlite", files, mix) for name, mix in mixes.items()}
    for name in ("new", "mixed"):
        lines, table_kpis, frame_kpis, lineage = read[name]
        pd.testing.assert_frame_equal(lines, read["old"][0], obj=name)
        _assert_same_kpis(table_kpis, read["old"][1])
        _assert_same_kpis(frame_kpis, read["old"][2])
        assert lineage == read["old"][3]
    _assert_same_kpis(read["old"][1], read["old"][2])


def _read_back(path: Path, files: list[list[tuple]], old: list[bool]) -> tuple:
    with Ledger.open(path) as ledger:
        for at, (orders, as_before) in enumerate(zip(files, old, strict=True)):
            export = orders_export(lines_frame(orders, quantity=at + 1))
            name, shop = f"{at}.csv", SHOPS[at % len(SHOPS)]
            with pytest.MonkeyPatch.context() as patch:
                if as_before:
                    patch.setattr(linestore, "_texts_numbered", lambda table: table)
                ledger.store_export(meta(name, shop), export, imported_at=IMPORTED_AT)
        window = months_back("2026-08", 12)
        lines = ledger.order_lines_for_months(window)
        table = ledger.order_table_for_months(window, columns=KPI_LINE_COLUMNS)
        registry = _registry()
        table_kpis = compute_kpis(table, registry, "2026-08")
        frame_kpis = compute_kpis(ledger.order_lines_for_months(window), registry, "2026-08")
        lineage = [
            explain_figure(ledger, registry, "2026-08", level="shop", key=shop, metric=metric)
            for shop in SHOPS
            for metric in ("orders", "completed_orders", "sales_idr")
        ]
    return lines, table_kpis, frame_kpis, lineage


def _registry() -> Registry:
    shops = tuple(Shop(s, Marketplace.SHOPEE, s, "", "V1", "D1", None) for s in SHOPS)
    return Registry(villages=(Village("V1", "Desa Satu", "Kec"),), ambassadors=(), shops=shops)


def _assert_same_kpis(got: object, want: object) -> None:
    for field in dataclasses.fields(want):  # type: ignore[arg-type]
        have, expected = getattr(got, field.name), getattr(want, field.name)
        if isinstance(expected, pd.DataFrame):
            pd.testing.assert_frame_equal(have, expected, check_exact=True, obj=field.name)
        else:
            assert have == expected, field.name


@pytest.mark.parametrize("count", [3, linestore.PARALLEL_UNPACK_MIN + 5])
@pytest.mark.parametrize("old_every", [0, 1, 2])
def test_files_read_from_a_stream_decode_in_file_order(count: int, old_every: int) -> None:
    """decode_files takes the cursor as it reads: every file, in order, with its own
    lines; columns asked numbered stay numbered only when every blob stores them so."""
    rows = []
    for at in range(count):
        orders = [(f"O{at}", "completed", AUG), (f"O{at}", "completed", AUG), ("X", "unpaid", AUG)]
        with pytest.MonkeyPatch.context() as patch:
            if old_every and at % old_every == 0:
                patch.setattr(linestore, "_texts_numbered", lambda table: table)
            rows.append((at + 1, f"TK-{at % 3}", linestore.pack_order_lines(lines_frame(orders))))
    stream = ((file_id, shop, packed.blob) for file_id, shop, packed in rows)
    table, line_seq = linestore.decode_files(stream, ["order_id", "status"], numbered=["order_id"])
    assert table["file_id"].to_pylist() == [f for f, _, _ in rows for _ in range(3)]
    assert table["shop_id"].cast(pa.string()).to_pylist() == [s for _, s, _ in rows for _ in "abc"]
    assert table["order_id"].cast(pa.string()).to_pylist() == [
        o for at in range(count) for o in (f"O{at}", f"O{at}", "X")
    ]
    assert table["status"].type == pa.string()  # not asked numbered: plain from either format
    assert pa.types.is_dictionary(table["order_id"].type) == (old_every == 0)
    assert line_seq.tolist() == [0, 1, 2] * count


def test_order_ids_of_many_files_are_numbered_alike_within_each_shop() -> None:
    """Files split by shop are numbered on several threads: an id keeps one code in all
    files of its shop (the same text in another shop may have another), and every code
    still reads back as its text, in frames too."""
    rows = []
    for at in range(linestore.PARALLEL_UNPACK_MIN + 4):
        orders = [("A1", "completed", AUG), (f"O{at % 5}", "unpaid", AUG), ("A1", "unpaid", AUG)]
        blob = linestore.pack_order_lines(lines_frame(orders)).blob
        rows.append((at + 1, f"TK-{at % 3}", blob))
    table, _ = linestore.decode_files(iter(rows), ["order_id"], numbered=["order_id"])
    numbered = ledger_lines._order_ids_numbered(table)
    ids = numbered["order_id"].combine_chunks()
    texts = ids.cast(pa.string()).to_pylist()
    assert texts == [o for at in range(len(rows)) for o in ("A1", f"O{at % 5}", "A1")]
    shops = numbered["shop_id"].cast(pa.string()).to_pylist()
    codes: dict[tuple[str, str], set[int]] = {}
    for shop, text, code in zip(shops, texts, ids.indices.to_pylist(), strict=True):
        codes.setdefault((shop, text), set()).add(code)
    assert all(len(found) == 1 for found in codes.values())
    for shop in set(shops):  # and two ids of one shop never share a code
        own = [found for (of, _), found in codes.items() if of == shop]
        assert len(set().union(*own)) == len(own)
    assert linestore.lines_frame(numbered.select(["order_id"]))["order_id"].tolist() == texts
