"""Turning export cells (always read as text) into ids, money, quantities and times.

Every parser works on a whole column at once, in pyarrow compute (small fixed cost per
call, so a 20-line file is as cheap to read as it should be), and on the column's
DISTINCT values only (dictionary-encode, parse the dictionary, take back): a province-
sized month repeats the same prices and times hundreds of thousands of times.
Money is parsed per column, never per cell: whether "37.200" means 37200 or 37.2 is
decided from every value of the column together.
A value that does not parse becomes null; the caller turns that into an Issue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TypeAlias
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sheetsync.tabs import plain_cell_text

Strings: TypeAlias = pa.Array  # a pyarrow string array without nulls

EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")
_FIRST_PLAUSIBLE = dt.datetime(2000, 1, 1)
_LAST_PLAUSIBLE = dt.datetime(2100, 1, 1)
_SPACES = " \t\r\n\u00a0\ufeff"
# The programme's time zone when the caller does not say: times with an offset ("+0700",
# Bukalapak) are converted to it; times without one are taken as they are.
DEFAULT_TZ = "Asia/Jakarta"


def strings(values: Iterable[object] | pa.Array | pa.ChunkedArray) -> Strings:
    """Any column (pyarrow, pandas, list) as one string array with '' for missing."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = pa.array([None if v is None else str(v) for v in values], pa.string())
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    return values.fill_null("") if values.null_count else values


def on_uniques(texts: Strings, parse: Callable[[Strings], pa.Array]) -> pa.Array:
    """Apply a vectorised `parse` to the distinct values of `texts` and spread it back."""
    encoded = texts.dictionary_encode()
    return parse(encoded.dictionary).take(encoded.indices)


def any_byte_of(texts: Strings, characters: bytes) -> bool:
    """Whether some cell may hold one of these ASCII `characters`: one pass over the bytes
    of all the cells together (a C loop), not one regex run per cell. False is certain;
    True may come from bytes outside a sliced array, so the caller then runs the exact
    per-cell check. Lets a step that needs e.g. a letter be skipped for a column of digits."""
    data = texts.buffers()[2]
    others = _ALL_BYTES.translate(None, characters)
    return data is not None and bool(data.to_pybytes().translate(None, others))


_ALL_BYTES = bytes(range(256))


def export_cell_text(value: object) -> str:
    """An export cell as the text the readers parse: numbers without a spurious '.0' and
    every digit up to 1e21 (an order id stored as a number keeps what Excel kept), times to
    the second. Staff workbooks are read as a person sees them instead
    (`workbook.xlsx.reading.shown_cell_text`, by the cell's number format)."""
    plain = plain_cell_text(value)
    if plain is not None:
        return plain
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


# --------------------------------------------------------------------------- text and ids


def clean_text(texts: Strings) -> Strings:
    """Strip spaces, tabs and no-break spaces around each cell (the column as it is when
    no cell starts or ends with one: most columns, told apart without a copy)."""
    if isinstance(texts, pa.Array) and len(texts) >= _LOOK_FROM and not _may_need_trim(texts):
        return texts
    return pc.utf8_trim(texts, characters=_SPACES)


_LOOK_FROM = 256  # cells: below this, trimming costs less than looking first


def _byte_set(*values: int) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(values)] = True
    return table


# First or last UTF-8 byte of a cell that may start or end with one of _SPACES: ' \t\r\n',
# U+00A0 (C2 A0) and U+FEFF (EF BB BF).
_TRIM_EDGE = _byte_set(*b" \t\r\n", 0xC2, 0xA0, 0xEF, 0xBF)


def _may_need_trim(texts: pa.Array) -> bool:
    """Whether some cell may start or end with a space to strip."""
    return _edge_bytes_in(texts, _TRIM_EDGE, _TRIM_EDGE)


def _edge_bytes_in(texts: pa.Array, first_bytes: np.ndarray, last_bytes: np.ndarray) -> bool:
    """Whether some cell may start with one of `first_bytes` or end with one of
    `last_bytes` (256-entry masks): the first and last byte of every cell, read in numpy.
    False is certain; True only means "run the real step to be sure"."""
    buffers = texts.buffers()
    if not pa.types.is_string(texts.type) or len(texts) == 0 or buffers[1] is None:
        return len(texts) > 0
    if buffers[2] is None:  # every cell empty
        return False
    # positions as numpy's own index type, converted once: indexing with int32 converts
    # on every gather (half of this check's time at a batch's 48,000 cells)
    offsets = np.frombuffer(buffers[1], np.int32, len(texts) + 1, texts.offset * 4)
    offsets = offsets.astype(np.intp)
    data = np.frombuffer(buffers[2], np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    first, last = data.take(starts[filled]), data.take(ends[filled] - 1)
    return bool(first_bytes.take(first).any() or last_bytes.take(last).any())


def clean_ids(texts: Strings) -> Strings:
    """Order ids as text: no leading apostrophe (Excel's text mark), quotes, ="…" or tabs.
    Each value is cleaned by itself, so the distinct values are trimmed, not the column."""
    return on_uniques(texts, lambda u: _strip_id_marks(clean_text(u)))


_ID_MARKS = r"^[\s'\"=]+|[\s'\"]+$"
# RE2's \s is ASCII: tab, newline, form feed, carriage return, space (\v added, to be sure)
_ID_MARK_FIRST = _byte_set(*b"\t\n\v\f\r '\"=")
_ID_MARK_LAST = _byte_set(*b"\t\n\v\f\r '\"")


def _strip_id_marks(ids: Strings) -> Strings:
    """The regex runs only when some id starts or ends with a mark (rarely)."""
    if isinstance(ids, pa.Array) and not _edge_bytes_in(ids, _ID_MARK_FIRST, _ID_MARK_LAST):
        return ids
    return pc.replace_substring_regex(ids, _ID_MARKS, "")


def first_line(texts: Strings) -> Strings:
    """The status part of a status cell: first line, cut before " -" (Tokopedia reasons)."""

    def cut(u: Strings) -> Strings:
        return clean_text(pc.replace_substring_regex(u, r"(?s)[\r\n].*$| -.*$", ""))

    return on_uniques(texts, cut)


# --------------------------------------------------------------------------- money

_CURRENCY = r"(?i)^(?:rp|idr)\.?|[\s\x{00a0}]|,-$|\.-$"
_ID_SHAPES = r"^-?\d{1,3}(?:\.\d{3})*,\d{1,2}$|^-?\d+,\d{1,2}$|^-?\d{1,3}(?:\.\d{3})+$"
_EN_SHAPES = r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+\.(?:\d{1,2}|\d{4,})$"
_NUMBER = r"^-?\d+(?:\.\d+)?$"
_WHOLE_RUPIAH = r"^\d{1,12}$|^\d{1,3}(?:\.\d{3})+$"  # 37200 or 37.200, nothing else
_LARGEST = 1e12  # no unit price is a trillion rupiah; x 999,999 units still fits int64


def _money_body(texts: Strings) -> Strings:
    """'Rp 37.200,-' -> '37.200'; '(5.000)' and '−5.000' -> '-5.000'."""
    body = pc.replace_substring_regex(texts, _CURRENCY, "")
    body = pc.replace_substring(body, "\u2212", "-")
    return pc.replace_substring_regex(body, r"^\((.*)\)$", r"-\1")


def _votes(bodies: Strings, shapes: str) -> int:
    return int(pc.sum(pc.match_substring_regex(bodies, shapes)).as_py() or 0)


def money_locale(bodies: Strings) -> str:
    """'id' (37.200 / 1.234,50), 'en' (37,200.00 / 37200.00) or 'plain', for a column.

    Decisive shapes are counted over the column's distinct values; Indonesian wins a tie
    because the exports are Indonesian unless a value can only be read the English way.
    """
    id_votes, en_votes = _votes(bodies, _ID_SHAPES), _votes(bodies, _EN_SHAPES)
    if id_votes == 0 and en_votes == 0:
        return "plain"
    return "id" if id_votes >= en_votes else "en"


def parse_money(texts: Strings, *, trimmed: bool = False) -> pa.Array:
    """Whole rupiah (int64, null for empty or unreadable cells), locale decided per column.
    `trimmed`: the cells are `clean_text`'s already (not trimmed a second time)."""
    encoded = (texts if trimmed else clean_text(texts)).dictionary_encode()
    whole = _whole_rupiah(encoded)
    if whole is not None:
        return whole
    bodies = _money_body(encoded.dictionary)
    locale = money_locale(bodies)
    if locale == "id":
        bodies = pc.replace_substring(pc.replace_substring(bodies, ".", ""), ",", ".")
    elif locale == "en":
        bodies = pc.replace_substring(bodies, ",", "")
    return round_half_up(_numbers(bodies)).take(encoded.indices)


def parse_whole_rupiah(texts: Strings) -> pa.Array | None:
    """`parse_money` of trimmed cells that all have the usual shape (37.200 or 37200), or
    None when one does not. Such a column leaves nothing to decide, so the cells of several
    files can be parsed together and each file gets what it alone would."""
    return _whole_rupiah(texts.dictionary_encode())


def _whole_rupiah(encoded: pa.DictionaryArray) -> pa.Array | None:
    if not pc.all(pc.match_substring_regex(encoded.dictionary, _WHOLE_RUPIAH)).as_py():
        return None
    # the usual export: only 37.200 / 37200 shapes, so the dots can only be grouping
    dots = pc.replace_substring(encoded.dictionary, ".", "")
    return dots.cast(pa.int64()).take(encoded.indices)


def _numbers(bodies: Strings) -> pa.Array:
    """float64 of plain decimal numbers, null for anything else or absurdly large."""
    valid = pc.match_substring_regex(bodies, _NUMBER)
    numbers = pc.cast(pc.if_else(valid, bodies, pa.scalar(None, pa.string())), pa.float64())
    return pc.if_else(pc.less(pc.abs(numbers), _LARGEST), numbers, pa.scalar(None, pa.float64()))


def round_half_up(numbers: pa.Array) -> pa.Array:
    """Whole rupiah the way people round (1234.5 -> 1235), not banker's rounding."""
    return pc.round(numbers, round_mode="half_towards_infinity").cast(pa.int64())


def parse_quantity(texts: Strings) -> pa.Array:
    """Whole units (int64); '2', '2.0', '2,0' are 2; a fraction or text is null."""

    def parse(u: Strings) -> pa.Array:
        body = pc.replace_substring_regex(u, r"[\s\x{00a0}]", "")
        body = pc.replace_substring_regex(body, r"[.,]0+$", "")
        valid = pc.match_substring_regex(body, r"^-?\d{1,6}$")  # a million units is a typo
        return pc.cast(pc.if_else(valid, body, pa.scalar(None, pa.string())), pa.int64())

    return on_uniques(texts, lambda u: parse(clean_text(u)))  # each value by itself


# --------------------------------------------------------------------------- dates

# Every form the reference lists, plus what Excel writes when a person re-saves a file.
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M",  # Shopee
    "%Y-%m-%d %H:%M:%S",  # XLSX date cells, ISO
    "%d-%m-%Y %H:%M:%S",  # Tokopedia
    "%d/%m/%Y %H:%M:%S",  # TikTok (Indonesia)
    "%m/%d/%Y %I:%M:%S %p",  # TikTok (US)
    "%d %b %Y %H:%M",  # Lazada "04 Jul 2022 11:46"
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H.%M",  # Indonesian Excel time separator
    "%d/%m/%Y %H.%M.%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d %b %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d/%m/%Y",
    "%d %b %Y",
)
_INDONESIAN_MONTHS = {
    "Januari": "January", "Februari": "February", "Maret": "March", "Mei": "May",
    "Juni": "June", "Juli": "July", "Agustus": "August", "Oktober": "October",
    "Desember": "December", "Agu": "Aug", "Agt": "Aug", "Okt": "Oct", "Des": "Dec",
}  # fmt: skip
_SAMPLE = 2000
_NO_TIME = pa.scalar(None, pa.timestamp("us"))


def parse_datetimes(
    texts: Strings, preferred: Sequence[str] = (), tz: str = DEFAULT_TZ, *, trimmed: bool = False
) -> pa.Array:
    """Naive local datetimes (null where a cell does not parse), format chosen per column.

    The format that reads most of a sample wins (the layout's own formats first on a tie,
    which settles DD/MM against MM/DD); values it misses get every other format, then the
    Excel serial-number reading. A format with `%z` reads times that carry their offset
    ("2019-10-01 16:21:47 +0700"); they become programme time in `tz`. `trimmed`: the
    cells are `clean_text`'s already. The column is trimmed before its distinct values are
    taken (not after): the sample's votes count distinct trimmed values.
    """
    cleaned = texts if trimmed else clean_text(texts)
    return on_uniques(cleaned, lambda u: _parse_date_uniques(u, preferred, tz))


def parse_datetimes_alike(
    texts: Strings, preferred: Sequence[str] = (), tz: str = DEFAULT_TZ
) -> pa.Array | None:
    """`parse_datetimes` of trimmed cells from several files at once, or None when one of
    the files alone might choose another format.

    A file's format is decided by its own cells; when the first format tried reads every
    filled cell of all the files, it reads every cell of each file too, so each file alone
    chooses it first as well: parsing them together then gives each cell what its file
    alone gives (the rest of the reading is cell by cell).
    """
    encoded = texts.dictionary_encode()
    named = _english_month_names(encoded.dictionary)
    filled = named.filter(pc.not_equal(named, ""))
    first = _formats_in_order(preferred)[0]
    if pc.strptime(filled, first, unit="us", error_is_null=True).null_count:
        return None
    return _parse_date_uniques(encoded.dictionary, preferred, tz).take(encoded.indices)


def _formats_in_order(preferred: Sequence[str]) -> list[str]:
    """The order formats are tried in: the layout's own first."""
    return list(dict.fromkeys([*preferred, *DATE_FORMATS]))


_FIRST_PLAUSIBLE_AT = pa.scalar(_FIRST_PLAUSIBLE, pa.timestamp("us"))
_LAST_PLAUSIBLE_AT = pa.scalar(_LAST_PLAUSIBLE, pa.timestamp("us"))
_FIRST_US, _LAST_US = _FIRST_PLAUSIBLE_AT.value, _LAST_PLAUSIBLE_AT.value  # as integers


def _parse_date_uniques(texts: Strings, preferred: Sequence[str], tz: str) -> pa.Array:
    texts = _english_month_names(texts)
    result = pa.nulls(len(texts), pa.timestamp("us"))
    fits, first_parsed = _formats_by_fit(texts, preferred)
    for fmt in fits:
        parsed = first_parsed if fmt == fits[0] else None
        result = pc.coalesce(result, _strptime(texts, fmt, tz, parsed))
        if result.null_count == 0:
            break
    if result.null_count:  # every value read already: no serial number left to try
        result = pc.coalesce(result, _excel_serials(texts))
    return _plausible(result)


def _plausible(result: pa.Array) -> pa.Array:
    """Null for a time before 2000 or from 2100 on (a misread cell, not an order)."""
    bounds = pc.min_max(result)
    low, high = bounds["min"], bounds["max"]
    if low.is_valid and low.value >= _FIRST_US and high.value < _LAST_US:
        return result  # the usual file: every time is plausible, nothing to blank
    plausible = pc.and_(
        pc.greater_equal(result, _FIRST_PLAUSIBLE_AT), pc.less(result, _LAST_PLAUSIBLE_AT)
    )
    return pc.if_else(plausible, result, _NO_TIME)


# a day field of 29-31 (not minutes or seconds: those follow a colon)
_DAY_29_TO_31 = r"^(?:29|30|31)\D|[-/ ](?:29|30|31)(?:[-/ T]|$)"


def _strptime(
    texts: Strings, fmt: str, tz: str = DEFAULT_TZ, parsed: pa.Array | None = None
) -> pa.Array:
    """pyarrow's strptime (fast), checked: it rolls 31/02 over into 03/03. A rolled-over
    date lands on day 1-3 and its text holds 29, 30 or 31, so only such values are parsed
    again, by Python's strptime, which refuses impossible dates. `parsed`: pyarrow's
    strptime of `texts` in `fmt` when the caller has it already."""
    if parsed is None:
        parsed = pc.strptime(texts, fmt, unit="us", error_is_null=True)
    if "%z" in fmt:  # an instant (UTC inside pyarrow) -> the programme's wall-clock time
        parsed = pc.local_timestamp(parsed.cast(pa.timestamp("us", tz=tz)))
    early = pc.fill_null(pc.less_equal(pc.day(parsed), 3), False).to_numpy(zero_copy_only=False)
    early_at = np.flatnonzero(early)
    if len(early_at) == 0:
        return parsed
    # only the texts of early days are searched for a day 29-31
    day_29_to_31 = pc.match_substring_regex(texts.take(early_at), _DAY_29_TO_31)
    where = early_at[day_29_to_31.to_numpy(zero_copy_only=False)]
    if len(where) == 0:
        return parsed
    fixed = parsed.to_numpy(zero_copy_only=False).astype("datetime64[us]")
    for i, text in zip(where, texts.take(where).to_pylist(), strict=True):
        fixed[i] = _strict_strptime(text, fmt, tz)
    return pa.array(fixed, pa.timestamp("us"), mask=np.isnat(fixed))


def _strict_strptime(text: str, fmt: str, tz: str) -> np.datetime64:
    try:
        moment = dt.datetime.strptime(text, fmt)
    except ValueError:
        return np.datetime64("NaT", "us")
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return np.datetime64(moment, "us")


_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _english_month_names(texts: Strings) -> Strings:
    """'31 Agu 2026' -> '31 Aug 2026', so one %b format reads both languages."""
    if not any_byte_of(texts, _LETTERS):  # no letter, so no month name, in any cell
        return texts
    if not pc.any(pc.match_substring_regex(texts, "[A-Za-z]{3}")).as_py():
        return texts
    for indonesian, english in _INDONESIAN_MONTHS.items():
        texts = pc.replace_substring_regex(texts, rf"\b{indonesian}\b", english)
    return texts


def _formats_by_fit(texts: Strings, preferred: Sequence[str]) -> tuple[list[str], pa.Array | None]:
    """Formats ordered by how much of a sample they read (ties keep `preferred` first),
    and pyarrow's strptime of all `texts` in the first of them when the sample was all
    of them (the usual column: no empty cell, at most _SAMPLE distinct values)."""
    sample = texts.filter(pc.not_equal(texts, "")).slice(0, _SAMPLE)
    order = _formats_in_order(preferred)
    if len(sample) == 0:
        return [], None
    whole = len(sample) == len(texts)
    parsed: dict[str, pa.Array] = {}
    for fmt in order:
        parsed[fmt] = pc.strptime(sample, fmt, unit="us", error_is_null=True)
        if parsed[fmt].null_count == 0:  # reads everything: the rest only for stragglers
            return [fmt, *(f for f in order if f != fmt)], parsed[fmt] if whole else None
    hits = {fmt: len(sample) - parsed[fmt].null_count for fmt in order}
    fits = sorted((f for f in order if hits[f]), key=lambda f: -hits[f])
    return fits, parsed[fits[0]] if whole and fits else None


def _excel_serials(texts: Strings) -> pa.Array:
    """Excel serial day numbers (46235.5 = 2026-08-01 12:00), to the second."""
    valid = pc.match_substring_regex(texts, r"^\d{5}(?:\.\d+)?$")
    days = pc.cast(pc.if_else(valid, texts, pa.scalar(None, pa.string())), pa.float64())
    seconds = np.rint(days.to_numpy(zero_copy_only=False) * 86400)
    missing = np.isnan(seconds)
    stamps = EXCEL_EPOCH + np.where(missing, 0, seconds).astype("int64").astype("timedelta64[s]")
    return pa.array(stamps, pa.timestamp("us"), mask=missing)
