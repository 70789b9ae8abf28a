"""File names date exports: the seller centre's export time beats the mtime a copy changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheetsync.demo import exports as ex
from sheetsync.marketplaces import read_export
from sheetsync.marketplaces.filenames import DateSource, export_time_from_name, file_date


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("mass_update_sales_info_123456789_20260228235900.xlsx", dt.datetime(2026, 2, 28, 23, 59)),
        ("mass_update_sales_info_123456789_20260228235900 (1).xlsx",
         dt.datetime(2026, 2, 28, 23, 59)),  # a second download keeps the stamp
        ("Products Card List_20260228213015.xlsx", dt.datetime(2026, 2, 28, 21, 30, 15)),
        ("Semua pesanan-2026-01-22-16_21.xlsx", dt.datetime(2026, 1, 22, 16, 21)),
        ("All order-2026-09-16-17:01.csv", dt.datetime(2026, 9, 16, 17, 1)),
        ("Tiktoksellercenter_batchedit_20260925_all_information_template_1.xlsx",
         dt.datetime(2026, 9, 25)),
        # a shop id that happens to look like a stamp comes first: the last stamp wins
        ("mass_update_sales_info_20250101000000_20260131120000.xlsx",
         dt.datetime(2026, 1, 31, 12)),
    ],
)  # fmt: skip
def test_names_that_carry_the_export_time(name: str, expected: dt.datetime) -> None:
    assert export_time_from_name(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "Order.all.20260201_20260228.xlsx",  # a period, not an export time (period_from_name)
        "daftar produk toko.xlsx",
        "mass_update_sales_info_123_20261399999999.xlsx",  # not a real date-time
        "WhatsApp Document 2026-03-02.xlsx",
    ],
)
def test_names_without_an_export_time(name: str) -> None:
    assert export_time_from_name(name) is None


MARCH_COPY = dt.datetime(2026, 3, 2, 10, 0)
IMPORTED = dt.datetime(2026, 3, 2, 11, 0)


def test_the_name_beats_the_period_beats_the_mtime() -> None:
    feb_end = dt.datetime(2026, 2, 28, 23, 59)
    period = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert file_date(feb_end, period, MARCH_COPY, IMPORTED).source is DateSource.NAME
    by_period = file_date(None, period, MARCH_COPY, IMPORTED)
    assert by_period.at == dt.datetime(2026, 2, 28, 23, 59, 59)
    assert by_period.source is DateSource.PERIOD
    by_mtime = file_date(None, None, MARCH_COPY, IMPORTED)
    assert (by_mtime.at, by_mtime.source) == (MARCH_COPY, DateSource.MTIME)
    assert file_date(None, None, None, IMPORTED).source is DateSource.IMPORTED


def test_the_reader_reports_the_export_time_of_a_written_listing(tmp_path: Path) -> None:
    products = [ex.ProductSpec("2001", "Kopi"), ex.ProductSpec("2002", "Teh")]
    stamped = ex.write_shopee_mass_update(
        tmp_path / "mass_update_sales_info_77_20260228220000.xlsx", products
    )
    plain = ex.write_shopee_mass_update(tmp_path / "produk.xlsx", products)
    assert read_export(stamped).exported_at == dt.datetime(2026, 2, 28, 22, 0)
    assert read_export(plain).exported_at is None
    assert read_export(stamped).lines.equals(read_export(plain).lines)
