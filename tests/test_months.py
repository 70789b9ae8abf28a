from __future__ import annotations

import datetime as dt

import pytest

from sheetsync.months import (
    day_label,
    default_sync_months,
    month_bounds,
    month_label,
    month_names,
    months_back,
    next_month,
    parse_month,
    previous_month,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-08", "2026-08"),
        ("2026-8", "2026-08"),
        ("Agustus 2026", "2026-08"),
        ("agustus 2026", "2026-08"),
        ("Agt 2026", "2026-08"),
        ("August 2026", "2026-08"),
        ("Nop 2026", "2026-11"),
        ("2026-13", None),
        ("Agustus", None),
        ("", None),
        ("12 Agustus 2026", None),
        ("Agustusan 2026", None),
        ("Sept 2026", "2026-09"),
        ("Agt. 2026", "2026-08"),
    ],
)
def test_parse_month(text: str, expected: str | None) -> None:
    assert parse_month(text) == expected


def test_month_arithmetic_across_years() -> None:
    assert next_month("2026-12") == "2027-01"
    assert previous_month("2026-01") == "2025-12"
    assert months_back("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    assert month_bounds("2026-08") == (dt.datetime(2026, 8, 1), dt.datetime(2026, 9, 1))


def test_labels_and_default_months() -> None:
    assert month_label("2026-08") == "Agustus 2026"
    assert month_label("2026-08", "en") == "August 2026"
    assert default_sync_months(dt.date(2026, 1, 15)) == ["2025-12", "2026-01"]


def test_one_table_names_months_and_days_in_both_languages() -> None:
    assert month_names()[0] == "Januari" and month_names("en")[11] == "December"
    assert month_label("2026-05", "xx") == "Mei 2026"  # any other language reads Indonesian
    assert day_label(dt.date(2026, 8, 2)) == "2 Agustus 2026"
    assert day_label(dt.date(2026, 11, 22), "en") == "22 November 2026"
