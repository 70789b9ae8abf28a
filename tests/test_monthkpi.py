"""A month's KPIs are computed once per state of their inputs, and again when one changes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

import sheetsync.monthkpi as monthkpi
from sheetsync.errors import LedgerError
from sheetsync.kpi import compute_kpis
from sheetsync.kpi_schema import KpiConfig
from sheetsync.ledger import FileMeta, Ledger
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.model import Ambassador, Marketplace, Registry, Shop, Village

MONTH = "2026-08"
AUG = dt.datetime(2026, 8, 10, 9, 30)


def registry(*shop_ids: str) -> Registry:
    return Registry(
        (Village("V1", "Desa Satu", "Kec A"),),
        (Ambassador("D1", "Duta Satu", "V1", "", "", True),),
        tuple(Shop(s, Marketplace.SHOPEE, f"Toko {s}", "", "V1", "D1", None) for s in shop_ids),
    )


def export(*order_ids: str) -> ParsedExport:
    n = len(order_ids)
    lines = pd.DataFrame(
        {
            "marketplace": ["shopee"] * n,
            "order_id": list(order_ids),
            "line_no": [1] * n,
            "product_id": ["P1"] * n,
            "product_name": ["Kopi"] * n,
            "variation": [""] * n,
            "quantity": [2] * n,
            "unit_price_idr": [10_000] * n,
            "line_sales_idr": [20_000] * n,
            "status_raw": ["Selesai"] * n,
            "return_status_raw": [""] * n,
            "status": ["completed"] * n,
            "created_at": pd.to_datetime([AUG] * n),
            "source_row": list(range(2, n + 2)),
        }
    )
    return ParsedExport("orders", "shopee-2025", Marketplace.SHOPEE, lines, rows_read=n)


def store(ledger: Ledger, name: str, shop_id: str, *order_ids: str) -> int:
    meta = FileMeta(f"sha-{name}", f"/inbox/{shop_id}/{name}", f"{shop_id}/{name}", 1, 0.0,
                    shop_id, AUG)  # fmt: skip
    return ledger.store_export(meta, export(*order_ids), imported_at=dt.datetime(2026, 9, 1)).id


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger.open(tmp_path / "ledger.sqlite") as opened:
        store(opened, "a.csv", "TK-1", "A1", "A2")
        yield opened


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The months compute_kpis really ran for."""
    months: list[str] = []

    def counting(lines, registry, month, **kwargs):
        months.append(month)
        return compute_kpis(lines, registry, month, **kwargs)

    monkeypatch.setattr(monthkpi, "compute_kpis", counting)
    return months


def completed(result) -> dict[str, int]:
    shops = result.shops.set_index("shop_id")["completed_orders"]
    return {k: int(v) for k, v in shops.items() if v}


def test_unchanged_inputs_reuse_the_last_result(ledger: Ledger, computed: list[str]) -> None:
    first = monthkpi.month_kpis(ledger, registry("TK-1"), MONTH)
    again = monthkpi.month_kpis(ledger, registry("TK-1"), MONTH)
    assert computed == [MONTH]
    pd.testing.assert_frame_equal(first.shops, again.shops)
    pd.testing.assert_frame_equal(first.regency, again.regency)
    assert completed(again) == {"TK-1": 2}


def test_a_new_file_is_counted_at_once(ledger: Ledger, computed: list[str]) -> None:
    monthkpi.month_kpis(ledger, registry("TK-1", "TK-2"), MONTH)
    store(ledger, "b.csv", "TK-2", "B1")
    result = monthkpi.month_kpis(ledger, registry("TK-1", "TK-2"), MONTH)
    assert computed == [MONTH, MONTH]
    assert completed(result) == {"TK-1": 2, "TK-2": 1}


def test_a_moved_file_or_a_changed_registry_recomputes(ledger: Ledger, computed: list[str]) -> None:
    monthkpi.month_kpis(ledger, registry("TK-1", "TK-2"), MONTH)
    ledger.reassign_file(ledger.files()[0].id, "TK-2")
    moved = monthkpi.month_kpis(ledger, registry("TK-1", "TK-2"), MONTH)
    assert completed(moved) == {"TK-2": 2}
    monthkpi.month_kpis(ledger, registry("TK-2"), MONTH)
    strict = KpiConfig(near_target_pct=50.0)
    monthkpi.month_kpis(ledger, registry("TK-2"), MONTH, kpi_config=strict)
    assert computed == [MONTH] * 4


def test_each_month_keeps_its_own_result(ledger: Ledger, computed: list[str]) -> None:
    for month in (MONTH, "2026-09", MONTH, "2026-09"):
        monthkpi.month_kpis(ledger, registry("TK-1"), month)
    assert computed == [MONTH, "2026-09"]


def test_a_stored_result_that_cannot_be_read_is_computed_again(
    ledger: Ledger, computed: list[str]
) -> None:
    monthkpi.month_kpis(ledger, registry("TK-1"), MONTH)
    ledger.connection.execute("UPDATE kpi_cache SET result = x'00ff'")
    result = monthkpi.month_kpis(ledger, registry("TK-1"), MONTH)
    assert computed == [MONTH, MONTH]
    assert completed(result) == {"TK-1": 2}


def test_another_sheetsync_code_computes_again(
    ledger: Ledger, computed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monthkpi.month_kpis(ledger, registry("TK-1"), MONTH)
    monkeypatch.setattr(monthkpi, "code_fingerprint", lambda: "a fix deployed, same version")
    monthkpi.month_kpis(ledger, registry("TK-1"), MONTH)
    assert computed == [MONTH, MONTH]


def test_a_ledger_that_cannot_keep_the_result_still_gives_the_figures(
    ledger: Ledger, computed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(month: str, inputs: str, result: bytes) -> None:
        raise LedgerError("The ledger failed: attempt to write a readonly database.")

    monkeypatch.setattr(ledger, "cache_result", refuse)
    first = monthkpi.month_kpis(ledger, registry("TK-1"), MONTH)
    again = monthkpi.month_kpis(ledger, registry("TK-1"), MONTH)
    assert completed(first) == completed(again) == {"TK-1": 2}
    assert computed == [MONTH, MONTH]  # nothing was kept, so it is computed each time


def test_several_months_decode_their_lines_once(
    ledger: Ledger, computed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync's this month and last: one decode for both, the figures of each alone."""
    alone = {m: monthkpi.month_kpis(ledger, registry("TK-1"), m) for m in (MONTH, "2026-09")}
    ledger.connection.execute("DELETE FROM kpi_cache")
    decodes: list[int] = []
    reading = ledger.order_tables_for_windows

    def counted(windows, **kwargs):  # type: ignore[no-untyped-def]
        decodes.append(len(windows))
        return reading(windows, **kwargs)

    monkeypatch.setattr(ledger, "order_tables_for_windows", counted)
    together = monthkpi.months_kpis(ledger, registry("TK-1"), [MONTH, "2026-09"])
    assert decodes == [2]
    assert computed == [MONTH, "2026-09", MONTH, "2026-09"]
    for month, result in together.items():
        pd.testing.assert_frame_equal(result.shops, alone[month].shops)
        pd.testing.assert_frame_equal(result.trend, alone[month].trend)
    assert completed(together[MONTH]) == {"TK-1": 2} and completed(together["2026-09"]) == {}
    assert monthkpi.months_kpis(ledger, registry("TK-1"), [MONTH, "2026-09"]).keys() == {
        MONTH, "2026-09",
    }  # fmt: skip
    assert decodes == [2]  # reused: nothing decoded again


@pytest.fixture
def two_months_in_parallel(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    """Every sync's two months split between this process and a forked one (a province's
    million lines do that; a test's few lines would not)."""
    store(ledger, "b.csv", "TK-2", "B1", "B2", "B3")
    monkeypatch.setattr(monthkpi, "PARALLEL_MIN_LINES", 0)
    return ledger


def alone_each(ledger: Ledger, months: list[str]) -> dict:
    """Each month computed by itself, in this process, and the cache emptied again."""
    alone = {m: monthkpi.month_kpis(ledger, registry("TK-1", "TK-2"), m) for m in months}
    ledger.connection.execute("DELETE FROM kpi_cache")
    return alone


def assert_same_results(together: dict, alone: dict) -> None:
    assert together.keys() == alone.keys()
    for month, result in together.items():
        for table in ("shops", "ambassadors", "villages", "kecamatan", "regency", "trend",
                      "top_products", "discipline"):  # fmt: skip
            pd.testing.assert_frame_equal(getattr(result, table), getattr(alone[month], table))


def test_two_months_computed_on_two_cores_give_the_figures_of_each_alone(
    two_months_in_parallel: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = two_months_in_parallel
    months = [MONTH, "2026-09"]
    alone = alone_each(ledger, months)
    pids: list[int] = []
    real_forked = monthkpi.forked

    def watched(function, *args):  # type: ignore[no-untyped-def]
        call = real_forked(function, *args)
        pids.append(call.process.pid if call else 0)
        return call

    monkeypatch.setattr(monthkpi, "forked", watched)
    together = monthkpi.months_kpis(ledger, registry("TK-1", "TK-2"), months)
    assert len(pids) == 1 and pids[0] not in (0, os.getpid())  # one month went to a child
    assert_same_results(together, alone)
    assert completed(together[MONTH]) == {"TK-1": 2, "TK-2": 3}
    # both were kept for reuse by this process (the child never touches the ledger)
    assert monthkpi.months_kpis(ledger, registry("TK-1", "TK-2"), months).keys() == set(months)
    assert len(pids) == 1


@pytest.mark.parametrize("trouble", ["no fork", "the child dies"])
def test_a_forked_month_that_fails_is_computed_here(
    two_months_in_parallel: Ledger, monkeypatch: pytest.MonkeyPatch, trouble: str
) -> None:
    ledger = two_months_in_parallel
    months = [MONTH, "2026-09"]
    alone = alone_each(ledger, months)
    parent = os.getpid()
    if trouble == "no fork":
        monkeypatch.setattr(monthkpi, "forked", lambda function, *args: None)
    else:
        computing = monthkpi._compute_all

        def dying_in_the_child(jobs):  # type: ignore[no-untyped-def]
            if os.getpid() != parent:
                os._exit(3)
            return computing(jobs)

        monkeypatch.setattr(monthkpi, "_compute_all", dying_in_the_child)
    together = monthkpi.months_kpis(ledger, registry("TK-1", "TK-2"), months)
    assert_same_results(together, alone)
