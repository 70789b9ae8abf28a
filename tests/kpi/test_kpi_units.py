"""Units (kpi/units.py): shops, ambassadors and villages as the registry places them today.

Unregistered shops go to the unassigned bucket; a kecamatan has one spelling.
"""

from __future__ import annotations

from kpi_factory import (
    AIR_SAGA,
    AUG,
    BULUH,
    MEMBALONG,
    ambassador,
    frame,
    kpis,
    line,
    registry,
    row_of,
    shop,
    shop_row,
)

from sheetsync.kpi import compute_kpis
from sheetsync.kpi.units import ambassador_frame, shop_frame, unit_order
from sheetsync.kpi_schema import UNASSIGNED
from sheetsync.model import Registry, Village


def test_a_shop_that_moved_counts_for_its_current_ambassador_and_village_in_every_month() -> None:
    orders = [line("A", created="2026-07-05 10:00"), line("B", created="2026-08-05 10:00")]
    before = kpis(*orders, reg=registry((shop("T1", AIR_SAGA, "DD-001"),)))
    after = kpis(*orders, reg=registry((shop("T1", MEMBALONG, "DD-002"),)))
    assert row_of(before.ambassadors, "ambassador_id", "DD-001")["completed_orders"] == 1
    moved = row_of(after.ambassadors, "ambassador_id", "DD-002")
    assert (moved["completed_orders"], moved["prev_completed_orders"]) == (1, 1)
    assert row_of(after.ambassadors, "ambassador_id", "DD-001")["prev_completed_orders"] == 0
    assert row_of(after.villages, "village_code", MEMBALONG)["completed_orders"] == 1


def test_orders_of_an_unknown_shop_land_in_the_unassigned_bucket_once() -> None:
    result = kpis(line("A", shop="T1"), line("B", shop="GHOST", qty=2))
    assert result.regency["completed_orders"].iloc[0] == 2
    for table, key in (
        (result.villages, "village_code"),
        (result.ambassadors, "ambassador_id"),
        (result.kecamatan, "kecamatan"),
    ):
        bucket = row_of(table, key, UNASSIGNED)
        assert bucket["completed_orders"] == 1 and bucket["units_sold"] == 2
        assert not bucket["assigned"]
        assert table["completed_orders"].sum() == 2
    ghost = shop_row(result, "GHOST")
    assert not ghost["assigned"] and ghost["shops_registered"] == 0


def test_no_bucket_row_when_everything_is_registered() -> None:
    result = kpis(line("A"))
    assert UNASSIGNED not in result.villages["village_code"].tolist()


def test_kecamatan_spelled_differently_is_one_kecamatan() -> None:
    villages = (
        Village(AIR_SAGA, "Air Saga", "Tanjungpandan"),
        Village(BULUH, "Buluh Tumbang", " tanjungpandan "),
    )
    reg = Registry(villages, (ambassador("DD-001"),), (shop("T1"), shop("T2", BULUH)))
    result = compute_kpis(frame(line("A", shop="T1"), line("B", shop="T2")), reg, AUG)
    assert result.kecamatan["kecamatan"].tolist() == ["Tanjungpandan"]
    assert result.kecamatan["completed_orders"].tolist() == [2]


def test_units_are_ordered_by_key_with_the_bucket_last() -> None:
    assert unit_order(["T2", UNASSIGNED, "T1", "T2"]) == ["T1", "T2", UNASSIGNED]


def test_a_repeated_shop_id_keeps_its_last_row() -> None:
    reg = Registry(registry().villages, (ambassador("DD-001"),),
                   (shop("T1"), shop("T1", BULUH)))  # fmt: skip
    shops = shop_frame(reg)
    assert shops["shop_id"].tolist() == ["T1"]
    assert shops["village_code"].tolist() == [BULUH]


def test_an_ambassador_of_an_unknown_village_goes_to_the_bucket() -> None:
    reg = Registry(registry().villages, (ambassador("DD-001"), ambassador("DD-002", "99.99")), ())
    frame_ = ambassador_frame(reg).set_index("ambassador_id")
    assert frame_.loc["DD-002", "village_code"] == UNASSIGNED
    assert frame_.loc["DD-002", "kecamatan"] == UNASSIGNED
    assert frame_.loc["DD-001", "village_code"] == AIR_SAGA


def test_a_registry_without_villages_places_every_shop_in_the_unassigned_kecamatan() -> None:
    """No village to look a kecamatan up in (the Desa tab empty or all rows with errors):
    every shop is bucketed as text, and the roll-up still runs (pandas once refused to fill
    the all-empty kecamatan column with text)."""
    reg = Registry((), (), (shop("TK-001"),))
    shops = shop_frame(reg, ["TK-404"])
    assert shops["kecamatan"].tolist() == [UNASSIGNED, UNASSIGNED]
    assert shops["village_code"].tolist() == [UNASSIGNED, UNASSIGNED]
    assert ambassador_frame(Registry((), (ambassador("DD-001"),), ()))["kecamatan"].tolist() == [
        UNASSIGNED
    ]
