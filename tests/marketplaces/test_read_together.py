"""Files read together (`read_exports_bytes`, the readers' batches) give each file exactly
what it gives read alone: the same lines, row numbers, issues and rejections, whatever
the other files of the batch hold."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
from archive_samples import write_archive
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.demo import exports as ex
from sheetsync.marketplaces import read_export_bytes, read_exports_bytes
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.marketplaces.orders import _distinct_count


def _alone(files: list[tuple[bytes, str, str]]) -> list[ParsedExport]:
    return [read_export_bytes(data, source, name=name, arrow=True) for data, source, name in files]


def _same(together: ParsedExport, alone: ParsedExport) -> None:
    """Every field alike; the Arrow lines equal value for value (None alike)."""
    assert (together.table is None) == (alone.table is None), alone.issues
    if alone.table is not None:
        assert together.table is not None
        assert together.table.equals(alone.table), together.table.to_pandas().compare(
            alone.table.to_pandas()
        )
    for field in dataclasses.fields(ParsedExport):
        if field.name not in ("table", "lines"):
            assert getattr(together, field.name) == getattr(alone, field.name), field.name
    assert together.lines.equals(alone.lines)


def test_every_layout_of_the_archive_reads_alike_together(tmp_path: Path) -> None:
    files = [(f.path.read_bytes(), f.path.name, f.path.name)
             for f in write_archive(tmp_path, every=4)]  # fmt: skip
    alone = _alone(files)
    together = read_exports_bytes(files)
    assert len(together) == len(files)
    assert sum(p.table.num_rows for p in together if p.table is not None) > 50
    for mine, theirs in zip(together, alone, strict=True):
        _same(mine, theirs)


MOMENTS = st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31, 23, 59)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
LINE = st.builds(
    ex.OrderLineSpec,
    order_id=st.sampled_from(["2608010000000001", "2608010000000002", "2608020000000003"]),
    status=st.sampled_from(["Selesai", "Batal", "Belum Bayar", "Sedang Dikirim", "Tertahan"]),
    created_at=MOMENTS,
    product_name=st.sampled_from(["Kopi", "Gula Aren", " Teh  "]),
    quantity=st.integers(1, 12),
    unit_price_idr=st.sampled_from([500, 9500, 37200, 1250000]),
)
FILE = st.fixed_dictionaries(
    {
        "lines": st.lists(LINE, min_size=0, max_size=6),
        # mostly the usual file (read together), sometimes one that decides for itself
        "money": st.sampled_from(["dots"] * 6 + ["plain", "rp", "en", "decimal"]),
        "dates": st.sampled_from(["native"] * 8 + ["dmy", "excel"]),
        "apostrophe_ids": st.booleans(),
        "sep": st.sampled_from([",", ";"]),
        "damage": st.sampled_from([""] * 10 + ["price", "date", "id", "blank row", "foreign"]),
    }
)


def _csv(tmp_path: Path, number: int, spec: dict) -> tuple[bytes, str, str]:
    name = f"Order.all.2026080{number % 9 + 1}_20260831.csv"
    path = ex.write_shopee_orders(tmp_path / f"{number}" / name, spec["lines"], fmt="csv",
                                  money=spec["money"], dates=spec["dates"], sep=spec["sep"],
                                  apostrophe_ids=spec["apostrophe_ids"])  # fmt: skip
    return _damaged(path.read_bytes(), spec["damage"], spec["sep"]), f"TK-{number}/{name}", name


def _damaged(data: bytes, damage: str, sep: str) -> bytes:
    """One cell or row spoiled the way people spoil files (the first data row's)."""
    lines = data.split(b"\n")
    if len(lines) < 3 or not damage:
        return data
    cells = lines[1].split(sep.encode())
    if damage == "blank row":
        lines.insert(2, b"")
    elif damage == "id":
        cells[0] = b"2.60801E+15"
    elif damage == "foreign":
        lines[1:] = [line.replace(b"Selesai", b"\xe5\xae\x8c\xe6\x88\x90") for line in lines[1:]]
    else:  # blank the first cell that looks like a price or a time
        wanted = (b":", b"/") if damage == "date" else (b"000", b"500", b"200")
        spot = next((i for i, c in enumerate(cells) if any(w in c for w in wanted)), 0)
        cells[spot] = b""
    if damage in ("id", "price", "date"):
        lines[1] = sep.encode().join(cells)
    return b"\n".join(lines)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=st.lists(FILE, min_size=2, max_size=6))
def test_shopee_files_read_together_as_each_alone(tmp_path: Path, specs: list[dict]) -> None:
    """Money written four ways, dates three (DD/MM among them), apostrophes, separators,
    a spoiled cell or row: read together, each file still gets its own reading."""
    folder = tmp_path / str(len(list(tmp_path.iterdir())))
    files = [_csv(folder, number, spec) for number, spec in enumerate(specs)]
    for mine, theirs in zip(read_exports_bytes(files), _alone(files), strict=True):
        _same(mine, theirs)


def test_a_file_that_cannot_be_opened_as_a_table_stays_its_own(tmp_path: Path) -> None:
    good = ex.write_shopee_orders(tmp_path / "a.csv", [
        ex.OrderLineSpec("2608010000000001", "Selesai", dt.datetime(2026, 8, 1, 9), "Kopi", 1,
                         37200)], fmt="csv")  # fmt: skip
    files = [(good.read_bytes(), "a.csv", "a.csv"), (b"\x00\x01junk", "b.csv", "b.csv"),
             (b"", "c.csv", "c.csv"), (good.read_bytes(), "d.csv", "d.csv")]  # fmt: skip
    together = read_exports_bytes(files)
    assert [p.kind for p in together] == ["orders", "rejected", "rejected", "orders"]
    for mine, theirs in zip(together, _alone(files), strict=True):
        _same(mine, theirs)


def test_an_item_row_is_never_filled_from_the_file_before(tmp_path: Path) -> None:
    """An older Shopee export's item row without its order's first row (the file starts
    with it) stays rejected, even when its row number follows the last row of the file
    read before it in the same batch."""
    when = dt.datetime(2026, 8, 1, 9)
    first = [ex.OrderLineSpec("2608010000000001", "Selesai", when, "Kopi", 1, 37200)]
    pair = [ex.OrderLineSpec("2608010000000002", "Selesai", when, name, 1, 9500)
            for name in ("Teh", "Gula")]  # fmt: skip
    before = ex.shopee_rows(first, layout="2019", continuation=True)  # header on row 1
    rows = ex.shopee_rows(pair, layout="2019", continuation=True)
    after = [["Pesanan Agustus 2026"], rows[0], rows[2]]  # title row; the item row is row 3
    files = []
    for name, table in (("a.csv", before), ("b.csv", after)):
        path = ex.write_table(tmp_path / name, table, fmt="csv")
        files.append((path.read_bytes(), name, name))
    alone = _alone(files)
    assert alone[1].kind == "rejected" or alone[1].issues  # its item row has no order
    for mine, theirs in zip(read_exports_bytes(files), alone, strict=True):
        _same(mine, theirs)


@given(st.lists(st.integers(0, 3_000), max_size=300) | st.lists(st.integers(0, 10**9), max_size=50))
def test_distinct_pairs_are_counted_as_sorting_counts_them(values: list[int]) -> None:
    """Dense values (a batch's (file, order) pairs) by counting, sparse ones by sorting."""
    array = np.array(values, dtype=np.int64)
    assert _distinct_count(array) == len(np.unique(array))
