"""Money, dates, quantities and ids parsed per column, as the reference lists them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.marketplaces.cells import (
    clean_ids,
    export_cell_text,
    parse_datetimes,
    parse_money,
    parse_quantity,
    strings,
)


def money(*values: str) -> list[object]:
    return parse_money(strings(values)).to_pylist()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("Rp 37.200", "Rp 1.250.000"), [37200, 1250000]),
        (("37.200", "9.500"), [37200, 9500]),  # never 37.2 / 9.5
        (("37200", "9500"), [37200, 9500]),
        (("37,200.00", "9,500.00"), [37200, 9500]),
        (("37200.00", "9500.00"), [37200, 9500]),
        (("1.234,50", "37.200"), [1235, 37200]),
        (("Rp37.200,-", "(5.000)"), [37200, -5000]),
        (("", "gratis", "1e5"), [None, None, None]),
    ],
)
def test_money_locale_is_decided_per_column(values: tuple[str, ...], expected: list) -> None:  # type: ignore[type-arg]
    assert money(*values) == expected


@given(st.integers(0, 10**9), st.sampled_from(["dots", "rp", "plain", "en", "decimal"]))
@settings(max_examples=60, deadline=None)
def test_money_round_trips_through_every_style(amount: int, style: str) -> None:
    from sheetsync.demo.exports import format_money

    assert money(str(format_money(amount, style)), str(format_money(9500, style))) == [
        amount,
        9500,
    ]


def test_quantities() -> None:
    got = parse_quantity(strings(["2", " 3 ", "2.0", "-1", "1.5", "", "dua", "99999999"]))
    assert got.to_pylist() == [2, 3, 2, -1, None, None, None, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-08-31 23:59", "2026-08-31 23:59:00"),
        ("2026-08-31 23:59:07", "2026-08-31 23:59:07"),
        ("31-08-2026 23:59:07", "2026-08-31 23:59:07"),
        ("31/08/2026 23:59:07", "2026-08-31 23:59:07"),
        ("08/31/2026 11:59:07 PM", "2026-08-31 23:59:07"),
        ("31 Aug 2026 23:59", "2026-08-31 23:59:00"),
        ("31 Agu 2026 23:59", "2026-08-31 23:59:00"),
        ("46265.999305556", "2026-08-31 23:59:00"),
        ("2026-08-31T23:59:00", "2026-08-31 23:59:00"),
    ],
)
def test_every_listed_date_format(text: str, expected: str) -> None:
    assert parse_datetimes(strings([text])).to_pylist() == [dt.datetime.fromisoformat(expected)]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["8/1/2026 8:00", "8/13/2026 18:05"], [(2026, 8, 1, 8, 0), (2026, 8, 13, 18, 5)]),
        (["1/8/2026 8:00", "13/8/2026 18:05"], [(2026, 8, 1, 8, 0), (2026, 8, 13, 18, 5)]),
        (["31/8/2026 23.59"], [(2026, 8, 31, 23, 59)]),
        (["30/02/2026 08:00", "2026-02-29 10:00", "2028-02-29 10:00"],
         [None, None, (2028, 2, 29, 10, 0)]),
    ],
)  # fmt: skip
def test_excel_resaved_dates_without_padding_and_impossible_days(
    texts: list[str], expected: list[tuple[int, ...] | None]
) -> None:
    want = [dt.datetime(*e) if e else None for e in expected]
    assert parse_datetimes(strings(texts)).to_pylist() == want


def test_day_and_month_order_is_decided_per_column() -> None:
    got = parse_datetimes(strings(["01/02/2026 10:00:00", "13/02/2026 10:00:00"]))
    assert got.to_pylist() == [dt.datetime(2026, 2, 1, 10), dt.datetime(2026, 2, 13, 10)]


def test_unparseable_and_implausible_dates_are_nat() -> None:
    got = parse_datetimes(strings(["kemarin", "", "-", "1.10032E+13", "12", "31/02/2026"]))
    assert got.null_count == len(got)


def test_ids_lose_apostrophes_tabs_and_excel_text_marks_but_stay_text() -> None:
    got = clean_ids(strings(["'260801ABC", "5770123456789012345\t", '="00123"', " 0812 "]))
    assert got.to_pylist() == ["260801ABC", "5770123456789012345", "00123", "0812"]


def test_cell_text_shows_numbers_as_people_see_them() -> None:
    assert [export_cell_text(v) for v in (37200.0, 0.5, None, "9.500", True)] == [
        "37200", "0.5", "", "9.500", "TRUE",
    ]  # fmt: skip
