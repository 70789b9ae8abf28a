"""Reporting discipline and the two-source check (kpi/discipline.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from kpi_factory import (
    AIR_SAGA,
    AUG,
    MEMBALONG,
    ambassador,
    kpis,
    line,
    listing,
    listings,
    registry,
    report,
    row_of,
    shop,
)

from sheetsync.kpi import two_source_issues
from sheetsync.kpi.discipline import report_deadline, share_pct
from sheetsync.kpi_schema import KpiConfig


@pytest.mark.parametrize(
    ("submitted", "on_time"),
    [("2026-09-05 23:59", True), ("2026-09-06 00:00", False), ("2026-08-28 10:00", True)],
)
def test_a_report_is_on_time_until_the_end_of_the_due_day(submitted: str, on_time: bool) -> None:
    reg = registry(reports=(report("DD-001", AUG, submitted),))
    result = kpis(reg=reg, kpi_config=KpiConfig(report_due_day=5))
    assert row_of(result.discipline, "ambassador_id", "DD-001")["on_time"] is on_time


def test_discipline_counts_active_ambassadors_and_the_latest_submission() -> None:
    reg = registry(
        ambassadors=(
            ambassador("DD-001"),
            ambassador("DD-002"),
            ambassador("DD-003", active=False),
        ),
        reports=(
            report("DD-001", AUG, "2026-09-02 09:00", row=2),
            report("DD-001", AUG, "2026-09-20 09:00", row=5),  # late correction: late
            report("DD-002", AUG, "2026-09-03 09:00", row=3),
            report("DD-003", AUG, "2026-09-01 09:00", row=4),  # inactive: not counted
            report("DD-002", "2026-07", "2026-08-01 09:00", row=6),  # another month
        ),
    )
    result = kpis(reg=reg)
    village = row_of(result.villages, "village_code", AIR_SAGA)
    assert (
        village["ambassadors_active"],
        village["reports_filed"],
        village["reports_on_time"],
    ) == (2, 2, 1)
    assert village["share_reports_on_time"] == pytest.approx(50.0)
    assert row_of(result.ambassadors, "ambassador_id", "DD-001")["report_on_time"] is False or (
        not row_of(result.ambassadors, "ambassador_id", "DD-001")["report_on_time"]
    )
    assert row_of(result.discipline, "ambassador_id", "DD-001")["report_row"] == 5


# --------------------------------------------------------------------------- two sources


def test_two_source_gaps_beyond_the_tolerance_are_flagged() -> None:
    reg = registry(
        (shop("T1", on="2026-08-03"), shop("T3", MEMBALONG, "DD-002", on="2026-08-04")),
        reports=(
            report("DD-001", AUG, "2026-09-01 08:00", new_shops=4, row=7),  # 4 vs 1: gap 3
            report("DD-002", AUG, "2026-09-01 08:00", new_shops=3, row=8),  # 3 vs 1: gap 2
        ),
    )
    result = kpis(reg=reg, kpi_config=KpiConfig(two_source_tolerance=2))
    checks = result.two_source.set_index(["level", "key", "figure"])
    assert checks.loc[("ambassador", "DD-001", "new_shops"), "gap"] == 3
    assert bool(checks.loc[("ambassador", "DD-001", "new_shops"), "flagged"])
    assert not bool(checks.loc[("ambassador", "DD-002", "new_shops"), "flagged"])
    assert "products_uploaded" not in result.two_source["figure"].tolist()  # no listings
    issues = two_source_issues(result.two_source, AUG)
    ambassador_issue = next(i for i in issues if i.row == 7)
    assert ambassador_issue.source == "Laporan Duta" and ambassador_issue.column == "Toko Baru"
    assert "Agustus 2026" in ambassador_issue.message and "selisih 3" in ambassador_issue.message


def test_two_source_compares_products_when_listings_exist() -> None:
    reg = registry(reports=(report("DD-001", AUG, "2026-09-01 08:00", products=9),))
    snaps = listings(listing("T1", "2026-08-10", "P1"), listing("T1", "2026-08-10", "P2"))
    result = kpis(reg=reg, listings=snaps)
    row = result.two_source.set_index(["level", "key", "figure"]).loc[
        ("ambassador", "DD-001", "products_uploaded")
    ]
    assert (row["reported"], row["observed"], row["gap"]) == (9, 2, 7)


def test_the_deadline_is_the_first_instant_after_the_due_day() -> None:
    assert report_deadline("2026-08", 5) == dt.datetime(2026, 9, 6, 0, 0)
    assert report_deadline("2026-12", 10) == dt.datetime(2027, 1, 11, 0, 0)


def test_a_share_of_nothing_is_none_never_zero() -> None:
    shares = share_pct(np.array([1, 0, 2]), np.array([4, 0, 2]))
    assert shares.tolist() == [25.0, None, 100.0]


def test_two_source_warnings_follow_the_language() -> None:
    reg = registry(
        ambassadors=(ambassador("DD-001"),),
        reports=(report("DD-001", AUG, "2026-09-01 08:00", new_shops=5),),
    )
    result = kpis(line("A"), reg=reg)
    [english] = [i for i in two_source_issues(result.two_source, AUG, "en")
                 if i.row is not None]  # fmt: skip
    assert english.message.startswith("Ambassador ")
    assert "reported Toko Baru 5 for August 2026, but according to tab Toko" in english.message
    [indonesian] = [i for i in two_source_issues(result.two_source, AUG) if i.row is not None]
    assert indonesian.message.startswith("Duta ")
    assert (english.code, english.row, english.value) == (
        indonesian.code, indonesian.row, indonesian.value,
    )  # fmt: skip
