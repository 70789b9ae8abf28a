"""`sheetsync explain` (lineage.py over kpi/explain.py): the export rows behind a figure.

The rows are chosen by the functions that compute the figure, so they add up to it by
construction; these tests hold that for every metric at every level, on the demo and on
small hand-made data (a shop the registry cannot place, a product delisted in the month).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from kpi_factory import AIR_SAGA, MEMBALONG, frame, line, registry
from synced_demo import MONTH, synced_demo
from test_cli import make_programme, run
from test_cli_tables import kpi_json

from sheetsync import pipeline
from sheetsync.cli import EXPLAINABLE
from sheetsync.cli_tables import row_total
from sheetsync.config import load_config
from sheetsync.demo.exports import ProductSpec, write_shopee_mass_update
from sheetsync.kpi import compute_kpis, kpi_records, listing_rows_behind, order_lines_behind
from sheetsync.kpi_schema import LEVEL_KEYS, ORDER_METRICS
from sheetsync.lineage import explain_figure

AUG = "2026-08"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synced_demo(tmp_path_factory)


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return make_programme(tmp_path / "prog")


def test_explain_lists_the_rows_behind_a_figure(programme: Path) -> None:
    assert run(programme, "sync", "--month", "2026-08").exit_code == 0
    result = run(
        programme, "explain", "--month", "2026-08", "--shop", "TK-001",
        "--metric", "sales_idr", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    counted = [r for r in rows if r["dihitung"]]
    assert sum(r["kontribusi"] for r in counted) == 2 * 37200 + 15000 + 50000
    assert {r["file"] for r in counted} == {
        "TK-001/Order.all.20260801_20260915.xlsx",
        "TK-001/Order.all.20260801_20260831.xlsx",
    }
    superseded = [r for r in rows if not r["dihitung"]]
    assert {r["status"] for r in superseded} == {"Perlu Dikirim"}


def test_explain_rows_add_up_to_the_figure_for_every_metric(demo: Path) -> None:
    """For each metric and level, the unit with the largest figure: rows sum to it."""
    config = load_config(demo)
    result = pipeline.kpi_for_month(config, MONTH)
    staff = pipeline.read_staff_data(
        config, pipeline.open_workbook(config), dt.datetime(2026, 11, 22)
    )
    keys = {"shop": "shop_id", "ambassador": "ambassador_id", "village": "village_code"}
    keys["kecamatan"] = "kecamatan"
    keys["regency"] = "regency"
    checked = 0
    with pipeline.open_ledger(config) as ledger:
        for level, key in keys.items():
            records = [r for r in kpi_records(result, level) if r.get("assigned") is not False]
            for metric in EXPLAINABLE:
                unit = max(records, key=lambda r, m=metric: r[m])  # type: ignore[misc]
                rows = explain_figure(
                    ledger, staff.registry, MONTH, level=level, key=unit[key], metric=metric
                )
                assert row_total(rows) == unit[metric], (level, unit[key], metric)
                checked += unit[metric] > 0
    # every figure checked is a real one, except unpaid orders (none in the demo's October)
    assert checked == len(keys) * (len(EXPLAINABLE) - 1)


def test_explain_products_new_lists_a_product_delisted_later_in_the_month(tmp_path: Path) -> None:
    """Listed on 5 August, gone from the 25 August snapshot: still new in August, and shown."""
    config = make_programme(tmp_path / "prog")
    folder = config.parent / "inbox" / "TK-001"
    for day, products in ((5, ("27900011", "27900022")), (25, ("27900011",))):
        taken = dt.datetime(2026, 8, day, 12, 0)
        path = folder / f"mass_update_sales_info_1_{taken:%Y%m%d%H%M%S}.xlsx"
        write_shopee_mass_update(path, [ProductSpec(p, f"Produk {p}") for p in products])
        os.utime(path, (taken.timestamp(), taken.timestamp()))
    assert run(config, "sync", "--month", "2026-08").exit_code == 0
    [shop] = [r for r in kpi_json(config, "shop", "2026-08") if r["shop_id"] == "TK-001"]
    assert (shop["products_new"], shop["products_live"]) == (2, 1)
    for metric in ("products_new", "products_live"):
        out = run(config, "explain", "--month", "2026-08", "--shop", "TK-001", "--metric", metric)
        rows = json.loads(
            run(
                config, "explain", "--month", "2026-08", "--shop", "TK-001", "--metric", metric,
                "--format", "json",
            ).stdout
        )  # fmt: skip
        assert row_total(rows) == shop[metric], metric
        assert out.stdout.splitlines()[-1].startswith(f"Jumlah: {shop[metric]} (")
    assert sorted(r["id_produk"] for r in rows if r["dihitung"]) == ["27900011"]


def _listing(shop: str, day: str, product: str, row: int, file_id: int = 100) -> dict[str, object]:
    return {
        "shop_id": shop,
        "file_id": file_id,
        "snapshot_date": pd.Timestamp(day),
        "product_id": product,
        "product_name": f"Produk {product}",
        "source_row": row,
    }


LISTINGS = pd.DataFrame(
    [
        _listing("T1", "2026-07-20", "P1", 2),
        _listing("T1", "2026-08-02", "P1", 2, 101),
        _listing("T1", "2026-08-02", " P2 ", 3, 101),  # spaces around the id: the same product
        _listing("T1", "2026-08-02", "P3", 4, 101),  # delisted before the month's last snapshot
        _listing("T1", "2026-08-25", "P1", 2, 102),
        _listing("T1", "2026-08-25", "P2", 3, 103),  # the latest snapshot spread over two files
        _listing("T1", "2026-08-25", "P2", 4, 103),  # listed twice: one product
        _listing("T3", "2026-08-05", "M1", 2, 104),
        _listing("TX", "2026-08-07", "X1", 2, 105),  # a shop folder the registry cannot place
        _listing("TX", "2026-08-07", "", 3, 105),  # no product id: counts nowhere
        _listing("T1", "2026-09-03", "P9", 2, 106),  # after the month
    ]
)
LINES = frame(
    line("A", "completed", qty=2, product="P1"),
    line("A", "completed", qty=1, line_no=2, product="P2"),
    line("B", "cancelled", shop="T3", file_id=2),
    line("C", "completed", shop="TX", file_id=3),
    line("C", "completed", shop="TX", file_id=4),  # a newer snapshot of the same order
    line("D", "completed", created="2026-07-01 10:00"),  # another month
)


@pytest.mark.parametrize("level", list(LEVEL_KEYS))
def test_rows_behind_every_figure_of_every_unit_add_up_to_it(level: str) -> None:
    """Including the unassigned bucket and the regency total (which counts TX too)."""
    result = compute_kpis(LINES, registry(), AUG, listings=LISTINGS)
    key = LEVEL_KEYS[level]
    for unit in kpi_records(result, level):
        for metric in ("products_live", "products_new"):
            rows = listing_rows_behind(
                LISTINGS, registry(), AUG, level=level, key=unit[key], metric=metric
            )
            assert len(rows) == unit[metric], (level, unit[key], metric)
            assert not rows.duplicated(["shop_id", "product_id"]).any()
        for metric in ORDER_METRICS:
            lines = order_lines_behind(
                LINES, registry(), AUG, level=level, key=unit[key], metric=metric
            )
            assert lines["contributes"].sum() == unit[metric], (level, unit[key], metric)


def test_listing_rows_are_the_products_counted() -> None:
    def products(level: str, key: str, metric: str) -> list[tuple[str, str, int]]:
        rows = listing_rows_behind(LISTINGS, registry(), AUG, level=level, key=key, metric=metric)
        return list(zip(rows["shop_id"], rows["product_id"], rows["file_id"], strict=True))

    assert products("village", AIR_SAGA, "products_live") == [("T1", "P1", 102), ("T1", "P2", 103)]
    assert products("village", AIR_SAGA, "products_new") == [("T1", "P2", 101), ("T1", "P3", 101)]
    assert products("village", MEMBALONG, "products_new") == [("T3", "M1", 104)]
    assert ("TX", "X1", 105) in products("regency", "kabupaten", "products_live")


def test_an_unknown_metric_names_the_ones_there_are() -> None:
    with pytest.raises(ValueError, match=r"one of: orders, .*products_live, products_new"):
        explain_figure(None, registry(), AUG, level="shop", key="T1", metric="likes")  # type: ignore[arg-type]
