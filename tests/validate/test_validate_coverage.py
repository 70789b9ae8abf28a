"""Completeness warnings: overdue reports, missing exports and uncovered days of a month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from validate_samples import AS_OF, CLEAN, W, make_tables, validate

from sheetsync.messages import IssueCode
from sheetsync.model import Marketplace, Registry, Shop
from sheetsync.validate.coverage import completeness_issues


def shop(shop_id: str, registered: dt.date | None = None) -> Shop:
    return Shop(shop_id, Marketplace.SHOPEE, f"Toko {shop_id}", "", "19.02.04.2004", "DD-001",
                registered)  # fmt: skip


def registry_for_completeness() -> Registry:
    registry, _ = validate(make_tables(CLEAN))
    return Registry(
        registry.villages,
        registry.ambassadors,
        (shop("A"), shop("B"), shop("C"), shop("D", dt.date(2026, 8, 20))),
        form_reports=tuple(r for r in registry.form_reports if r.ambassador_id == "DD-002"),
    )


def test_completeness_lists_missing_reports_missing_exports_and_gaps() -> None:
    d = dt.datetime
    coverage = {
        "A": [(d(2026, 8, 1), d(2026, 8, 15)), (d(2026, 8, 10), d(2026, 8, 31))],
        "B": [(d(2026, 7, 25), d(2026, 8, 9)), (d(2026, 8, 14), d(2026, 8, 28, 23, 0))],
        "D": [(d(2026, 8, 20), d(2026, 9, 1))],
    }
    issues = completeness_issues(
        registry_for_completeness(), "2026-08", as_of=AS_OF, export_coverage=coverage,
        report_due_day=5,
    )  # fmt: skip
    assert [(i.code, i.source, i.value) for i in issues] == [
        (IssueCode.REPORT_MISSING, "Laporan Duta", "DD-001"),
        (IssueCode.EXPORT_GAP, "inbox/B", "B"),
        (IssueCode.EXPORT_GAP, "inbox/B", "B"),
        (IssueCode.EXPORT_MISSING, "inbox/C", "C"),
    ]
    assert all(i.severity is W for i in issues)
    assert issues[0].message == (
        "Duta DD-001 (Rina Wati) belum punya Laporan Duta yang terhitung untuk Agustus 2026 "
        "(batas 5 September 2026). Ingatkan duta untuk mengisi formulir laporan bulanan; bila "
        "laporannya ada tetapi bertanda Error, perbaiki laporan itu."
    )
    assert issues[1].message == (
        "Ekspor toko B tidak mencakup 10 Agustus 2026 s.d. 13 Agustus 2026. Unduh ekspor "
        "pesanan untuk tanggal itu dan simpan di folder inbox/B."
    )
    assert "28 Agustus 2026 s.d. 31 Agustus 2026" in issues[2].message
    assert issues[3].message == (
        "Toko C (Toko C) belum punya file ekspor pesanan untuk Agustus 2026. Unduh ekspor "
        "pesanan dari seller centre dan simpan di folder inbox/C."
    )


def test_completeness_waits_for_the_due_day_and_the_end_of_the_month() -> None:
    d = dt.datetime
    coverage = {"A": [(d(2026, 9, 1), d(2026, 9, 2)), (d(2026, 9, 5), d(2026, 9, 8))]}
    issues = completeness_issues(
        registry_for_completeness(), "2026-09", as_of=AS_OF, export_coverage=coverage,
        report_due_day=5,
    )  # fmt: skip
    # reports not due yet; shops B-D without a download yet and the days after A's last
    # download are not flagged while September runs; the hole 3-4 September is.
    assert [(i.code, i.value) for i in issues] == [(IssueCode.EXPORT_GAP, "A")]
    assert "3 September 2026 s.d. 4 September 2026" in issues[0].message


def test_completeness_reads_date_periods_and_ledger_coverage_records() -> None:
    @dataclass
    class Coverage:  # the shape of ledger.ShopCoverage
        periods: tuple[tuple[dt.date, dt.date], ...]
        first_order_at: dt.datetime | None = None
        last_order_at: dt.datetime | None = None

    august = (dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    coverage = {
        "A": [august],
        "B": Coverage((august,)),
        "C": Coverage((), dt.datetime(2026, 8, 1, 9), dt.datetime(2026, 8, 20, 17)),
        "D": Coverage(((dt.date(2026, 8, 25), dt.date(2026, 8, 31)),)),  # registered 20/8
    }
    issues = completeness_issues(
        registry_for_completeness(), "2026-08", as_of=AS_OF, export_coverage=coverage,
        report_due_day=28,
    )  # fmt: skip
    assert [(i.code, i.value) for i in issues] == [(IssueCode.EXPORT_GAP, "D")]
    assert "20 Agustus 2026 s.d. 24 Agustus 2026" in issues[0].message


def test_a_shop_registered_after_the_month_is_not_chased() -> None:
    registry = Registry((), (), (shop("A", dt.date(2026, 9, 1)),))
    issues = completeness_issues(
        registry, "2026-08", as_of=AS_OF, export_coverage={}, report_due_day=5
    )
    assert issues == []
