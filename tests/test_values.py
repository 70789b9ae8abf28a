"""Parsing of what staff type: each reading, each refusal, and never an exception."""

from __future__ import annotations

import datetime as dt
from email.headerregistry import Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.values import (
    clean_display_name,
    clean_email,
    is_valid_email,
    name_was_changed,
    normalise_phone,
    parse_count,
    parse_form_timestamp,
    parse_rupiah,
    parse_staff_date,
    parse_yes_no,
)

AUG_2 = dt.date(2019, 8, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02/08/2019", AUG_2),  # Indonesian day/month/year, never US month/day
        ("2/8/2019", AUG_2),
        ("02-08-2019", AUG_2),
        ("02.08.2019", AUG_2),
        ("02/08/19", AUG_2),
        ("2 Agustus 2019", AUG_2),
        ("2 agustus 2019", AUG_2),
        ("2 Agt 2019", AUG_2),
        ("2 Agu 2019", AUG_2),
        ("2-Aug-2019", AUG_2),
        ("2 August 2019", AUG_2),
        ("2019-08-02", AUG_2),
        ("2019-08-02 00:00:00", AUG_2),  # a date cell as the xlsx backend renders it
        ("2019/08/02", AUG_2),
        ("2019-08-02T00:00:00", AUG_2),
        ("2019-08/02", None),
        ("43679", AUG_2),  # Sheets/Excel serial number
        ("43679.0", AUG_2),
        ("  02/08/2019\u00a0", AUG_2),
        ("31/12/2026", dt.date(2026, 12, 31)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("29/02/2026", None),
        ("13/13/2026", None),
        ("2019-08-02 14:03:22", AUG_2),  # a date-time cell in a date column: its day
        ("02/08/2019 14.03.22", None),  # a form timestamp is not what staff type as a date
        ("2 Agustusan 2019", None),
        ("2019", None),  # a year is not a serial date
        ("12", None),
        ("", None),
        (None, None),
        ("kemarin", None),
    ],
)
def test_parse_staff_date(text: str | None, expected: dt.date | None) -> None:
    assert parse_staff_date(text) == expected


STAMP = dt.datetime(2019, 8, 2, 14, 3, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02/08/2019 14.03.22", STAMP),  # sheet in Indonesian locale: D/M/Y, dots
        ("2/8/2019 14.03.22", STAMP),
        ("8/2/2019 14:03:22", STAMP),  # sheet in US locale: M/D/Y, colons
        ("08/02/2019 14:03:22", STAMP),
        ("2019-08-02 14:03:22", STAMP),
        ("2019-08-02T14:03:22", STAMP),
        ("2019-08-02 14:03", STAMP.replace(second=0)),
        ("02/08/2019 14.03", STAMP.replace(second=0)),
        ("43679.585671296", STAMP),  # serial with the time as a fraction of a day
        ("8/2/2019 2:03:22 PM", STAMP),  # US locale with a 12-hour clock
        ("8/2/2019, 2:03:22 p.m.", STAMP),
        ("8/2/2019 12:03:22 AM", STAMP.replace(hour=0)),
        ("8/2/2019 13:03:22 PM", None),
        ("02/08/2019", dt.datetime(2019, 8, 2)),
        ("13/8/2019 14:03:22", dt.datetime(2019, 8, 13, 14, 3, 22)),  # no 13th month: D/M
        ("8/13/2019 14.03.22", dt.datetime(2019, 8, 13, 14, 3, 22)),  # no 13th month: M/D
        ("02/08/2019 25.03.22", None),
        ("02/08/2019 14.03:22", None),  # mixed separators: neither locale
        ("", None),
        ("Timestamp", None),
    ],
)
def test_parse_form_timestamp(text: str, expected: dt.datetime | None) -> None:
    assert parse_form_timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp 1.250.000", 1_250_000),
        ("Rp1.250.000", 1_250_000),
        ("Rp. 1.250.000", 1_250_000),
        ("IDR 1.250.000", 1_250_000),
        ("1.250.000 rupiah", 1_250_000),
        ("1250000 IDR", 1_250_000),
        ("1.250.000", 1_250_000),
        ("1250000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1.250.000,00", 1_250_000),
        ("1,250,000.00", 1_250_000),
        ("Rp 1.250.000,-", 1_250_000),
        ("1 250 000", 1_250_000),
        ("37.200", 37_200),
        ("37200.0", 37_200),  # a number cell read as text
        ("0", 0),
        ("-5.000", -5_000),  # negative: validation says so, it is not unreadable
        ("1.250.000,50", 1_250_001),
        ("1.25.000", None),
        ("1.250,000.00", None),
        ("satu juta", None),
        ("Rp", None),
        ("", None),
        ("1e6", None),
    ],
)
def test_parse_rupiah(text: str, expected: int | None) -> None:
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("12.0", 12),
        ("1.200", 1_200),
        ("0", 0),
        ("-3", -3),
        ("12,5", None),
        ("12.5", None),
        ("dua belas", None),
        ("12 orang", None),
        ("", None),
    ],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-812-3456-7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("81234567890", "+6281234567890"),  # leading zero lost to a number cell
        ("'081234567890", "+6281234567890"),
        ("0812.3456.789", "+628123456789"),
        ("(0719) 21234", "+6271921234"),  # Belitung landline
        ("+1 555 123 4567", None),
        ("0812", None),
        ("0812345678901234", None),
        ("08123abc", None),
        ("6.28123E+12", None),
        ("", None),
    ],
)
def test_normalise_phone(text: str, expected: str | None) -> None:
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rina@desa.id", True),
        ("kadis.kominfo@belitungkab.go.id", True),
        (" rina@desa.id ", True),
        ("rina+duta@gmail.com", True),
        ("rina@desa", False),
        ("rina desa@desa.id", False),
        ("rina@@desa.id", False),
        ("rina@desa.id, budi@desa.id", False),
        ("rina..wati@desa.id", False),
        (".rina@desa.id", False),
        ("@desa.id", False),
        ("", False),
        ("rina@desa.i", False),  # a top-level domain has two letters or more
        ("rina@-desa.id", False),
        ("rina.@desa.id", False),
        ("\u00a0rina@desa.id\u00a0", True),
    ],
)
def test_is_valid_email(text: str, expected: bool) -> None:
    assert is_valid_email(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(t, True) for t in ("Ya", "ya", "Y", "Yes", "Aktif", "AKTIF", "1", "iya")],
        *[(t, False) for t in ("Tidak", "T", "No", "n", "Tidak Aktif", "Nonaktif", "0")],
        *[(t, None) for t in ("", "mungkin", "2", "Ya!")],
    ],
)
def test_parse_yes_no(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text) is expected


PARSERS = (
    parse_staff_date,
    parse_form_timestamp,
    parse_rupiah,
    parse_count,
    normalise_phone,
    is_valid_email,
    parse_yes_no,
)
typed_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.,/-: RpAgtus+'", max_size=24),
    st.from_regex(r"\d{1,2}/\d{1,2}/\d{2,4} \d{1,2}[.:]\d{2}[.:]\d{2}", fullmatch=True),
)


@given(text=typed_text)
def test_no_parser_raises_on_any_text(text: str) -> None:
    for parse in PARSERS:
        parse(text)


@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_written_form_of_a_date_reads_back_the_same(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    for text in (f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}", day.isoformat(),
                 f"{day.isoformat()} 00:00:00", str(serial)):  # fmt: skip
        assert parse_staff_date(text) == day, text


@given(amount=st.integers(min_value=0, max_value=10**12))
def test_rupiah_written_with_dots_commas_or_plain_reads_back(amount: int) -> None:
    dotted = f"{amount:,}".replace(",", ".")
    for text in (str(amount), f"Rp {dotted}", f"{amount:,}", f"{dotted},00", f"{amount}.0"):
        assert parse_rupiah(text) == amount, text


@given(national=st.from_regex(r"8[1-9]\d{7,10}", fullmatch=True))
def test_mobile_numbers_in_every_form_reach_one_canonical_form(national: str) -> None:
    canonical = "+62" + national
    for text in ("0" + national, "+62 " + national, "62" + national, national):
        assert normalise_phone(text) == canonical, text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_an_accepted_address_is_exactly_one_mailbox(text: str) -> None:
    cleaned = clean_email(text)
    if cleaned is not None:
        assert not set(cleaned) & set(' ,;<>"\r\n\t()[]:\\')
        assert cleaned.count("@") == 1 and Address(addr_spec=cleaned).addr_spec == cleaned


def test_an_address_is_cleaned_to_one_mailbox_with_a_lower_case_domain() -> None:
    assert clean_email("  Budi@Desa.ID ") == "Budi@desa.id"
    assert clean_email("budi@desa.id, evil@x.id") is None


def test_a_name_becomes_one_line_and_a_line_break_inside_is_noticed() -> None:
    assert clean_display_name("Budi\r\nBcc: evil@x.id ") == "Budi Bcc: evil@x.id"
    assert name_was_changed("Budi\r\nBcc: evil@x.id") is True
    assert name_was_changed("Budi Santoso\n") is False
