import datetime as dt

import pytest

from sheetsync.locale_id import (
    long_date,
    long_datetime,
    mask_phone,
    number,
    percent,
    rupiah,
    short_month,
    signed_percent,
)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: rupiah(1_250_000), "Rp 1.250.000"),
        (lambda: rupiah(0), "Rp 0"),
        (lambda: rupiah(37_200.0), "Rp 37.200"),
        (lambda: rupiah(-5_000), "-Rp 5.000"),
        (lambda: rupiah(1_250_000, "en"), "Rp 1,250,000"),
        (lambda: rupiah(None), "–"),
        (lambda: number(1234.5), "1.234,5"),
        (lambda: number(1234), "1.234"),
        (lambda: number(1234.0), "1.234"),
        (lambda: number(1234567, "en"), "1,234,567"),
        (lambda: number(float("nan")), "–"),
        (lambda: percent(12.0), "12 %"),
        (lambda: percent(104.6), "105 %"),
        (lambda: percent(83.3, decimals=1), "83,3 %"),
        (lambda: signed_percent(12.4), "+12 %"),
        (lambda: signed_percent(-4.0), "−4 %"),
        (lambda: signed_percent(0.2), "0 %"),
        (lambda: short_month("2026-08"), "Agu 26"),
        (lambda: long_date(dt.date(2026, 11, 22)), "22 November 2026"),
        (lambda: long_date(dt.date(2026, 11, 22), "en"), "November 22, 2026"),
        (lambda: long_datetime(dt.datetime(2026, 11, 1, 7, 5)), "1 November 2026 pukul 07.05"),
    ],
)
def test_formats_read_the_indonesian_way(call, expected):
    assert call() == expected


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("081234567890", "0812****7890"),
        ("0812-3456-7890", "0812****7890"),
        ("+6281234567890", "+628******7890"),
        ("0812****7890", "0812****7890"),  # masking twice changes nothing
        ("12345", "***45"),
        ("", ""),
    ],
)
def test_phone_numbers_are_masked(phone, masked):
    assert mask_phone(phone) == masked


def test_masked_phone_never_contains_the_middle_digits():
    assert "3456" not in mask_phone("0812 3456 7890")
