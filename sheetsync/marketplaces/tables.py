"""From file bytes to the text of the columns a layout needs, with true row numbers.

CSV: the encoding is UTF-8 (with or without BOM), else Windows-1252, else Latin-1; the
separator (`,` `;` tab) and the header row are chosen together by trying the first records
against every layout. The body is then read by pyarrow (only the needed columns, every
cell as text). Files pyarrow cannot read as a clean rectangle (ragged rows,
blank lines that would shift row numbers) are read by the csv module instead: slower,
never wrong.
XLSX/XLS: python-calamine, cells converted to the text a person sees.
Nothing here decides what a value means; cells.py and orders.py do.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from python_calamine import CalamineWorkbook

from sheetsync.marketplaces.cells import export_cell_text, strings
from sheetsync.marketplaces.layouts import (
    HEADER_SEARCH_ROWS,
    HeaderMatch,
    Layout,
    better_match,
    find_header,
)
from sheetsync.messages import IngestCode

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long buyer notes must not stop a file

SEPARATORS = (",", ";", "\t")
_HEAD_BYTES = 64 * 1024  # title rows + header + description row fit easily
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


class UnreadableFile(Exception):
    """Raised inside the readers only; read_export turns it into a rejected ParsedExport."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class RawColumns:
    """The needed columns of one table as text, aligned with their source row numbers."""

    match: HeaderMatch
    columns: dict[str, pa.Array]  # field -> string array (no nulls)
    rows: np.ndarray  # row number of each value as a person sees it (1-based)
    sheet: str | None = None
    lossy_id_cells: int = 0  # ids stored as numbers of 16+ digits: their last digits are lost

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class NoLayout:
    """No layout matched: the closest header found (if any) for the rejection message, and
    the text of the first rows (to tell a wallet or fee report from an unknown export)."""

    closest: HeaderMatch | None
    looks_binary: bool = False
    head: list[list[str]] = field(default_factory=list)


# --------------------------------------------------------------------------- file kinds


def file_kind(data: bytes) -> str:
    """'xlsx', 'zip' (parts of an export), 'xls', 'csv' or 'empty', from the first bytes."""
    if not data[:65536].strip() and not data.strip():
        return "empty"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "csv"


# OLE2 stream names (UTF-16LE in the directory) of an Office file encrypted with a password
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def password_protected(data: bytes) -> bool:
    """An OLE2 file holding an encrypted workbook (what Excel saves with a password)."""
    return data.startswith(b"\xd0\xcf\x11\xe0") and all(s in data for s in _ENCRYPTED_STREAMS)


# --------------------------------------------------------------------------- CSV

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def utf16_as_utf8(data: bytes) -> bytes:
    """Excel's "Unicode text" (UTF-16, tab-separated) as UTF-8; other bytes unchanged.
    With a BOM, or without one when every other byte of the start is NUL (ASCII text)."""
    if data[:2] in _UTF16_BOMS:
        return data.decode("utf-16", errors="replace").encode("utf-8")
    start = data[:400]
    if len(start) >= 8 and start[1::2].count(0) > 0.9 * len(start[1::2]) and 0 not in start[::2]:
        return data.decode("utf-16-le", errors="replace").encode("utf-8")
    return data


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding that read it without error (Latin-1 always does)."""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _head_text(data: bytes) -> tuple[str, bool]:
    """The first part of the file as text, and whether it is UTF-8 (the fast path)."""
    head = data[:_HEAD_BYTES]
    if len(data) > _HEAD_BYTES and b"\n" in head:
        head = head[: head.rfind(b"\n") + 1]  # never cut a multi-byte character
    text, encoding = decode(head)
    return text, encoding == "utf-8-sig"


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_binary(text: str) -> bool:
    """NUL or many control characters: not a CSV someone saved."""
    head = text[:4096]
    return "\x00" in head or len(_CONTROL.findall(head)) > len(head) // 20


def _head_records(head: str, sep: str) -> tuple[list[list[str]], list[int]]:
    """The first records of the text and, for each, the physical lines read so far."""
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=sep)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        for record in reader:
            records.append(record)
            lines.append(reader.line_num)
            if len(records) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass
    return records, lines


def _find_csv_header(head: str, layouts: Sequence[Layout]) -> tuple[HeaderMatch, str, int] | None:
    """(header match, separator, physical lines up to the header) of the best separator."""
    best: tuple[HeaderMatch, str, int] | None = None
    for sep in sorted(SEPARATORS, key=lambda sep: -head[:4096].count(sep)):
        if sep not in head:
            continue
        records, lines = _head_records(head, sep)
        match = find_header(records, layouts)
        if match and (best is None or better_match(match, best[0])):
            best = (match, sep, lines[match.row])
        if best and best[0].complete:
            break  # the most frequent separator that yields a complete header
    return best


def read_csv_columns(data: bytes, layouts: Sequence[Layout]) -> RawColumns | NoLayout:
    """Header row, separator and needed columns of a CSV (any encoding, any separator,
    UTF-16 included)."""
    data = utf16_as_utf8(data)
    head, utf8 = _head_text(data)
    if looks_binary(head):
        return NoLayout(None, looks_binary=True)
    found = _find_csv_header(head, layouts)
    if found is None or not found[0].complete:
        return NoLayout(found[0] if found else None, head=_csv_head_cells(data, head, utf8))
    match, sep, header_lines = found
    first_row = match.row + 2
    newline = _line_end(head)
    if utf8:
        offset = _after_newlines(data, newline.encode(), header_lines)
        columns = _arrow_columns(data, offset, sep, len(match.header), match.positions)
        if columns is not None:
            return _raw(match, columns, first_row)
    text, _ = decode(data)
    body = text[_after_newlines(text, newline, header_lines) :]
    encoded = body.encode("utf-8")
    columns = _arrow_columns(encoded, 0, sep, len(match.header), match.positions)
    if columns is not None:
        return _raw(match, columns, first_row)
    return _python_csv_columns(body, sep, match, first_row)


def _csv_head_cells(data: bytes, head: str, utf8: bool) -> list[list[str]]:
    """The first records as cells, for telling what an unknown file is. A file that is not
    UTF-8 is also read as Big5 (Shopee Taiwan), which Windows-1252 would turn to noise."""
    texts = [head]
    if not utf8:
        start = data[:4096]
        start = start[: start.rfind(b"\n") + 1] or start  # never cut a character in two
        with contextlib.suppress(UnicodeDecodeError):
            texts.append(start.decode("big5"))
    cells: list[list[str]] = []
    for text in texts:
        sep = max(SEPARATORS, key=lambda s: text[:4096].count(s))
        cells += _head_records(text, sep)[0]
    return cells


def _line_end(head: str) -> str:
    """'\r' for old Mac files (CR only: the first line ends in a lone CR), else '\n'."""
    end = re.search(r"\r\n?|\n", head)
    return "\r" if end and end.group() == "\r" else "\n"


def _raw(match: HeaderMatch, columns: dict[str, pa.Array], first_row: int) -> RawColumns:
    count = len(next(iter(columns.values()))) if columns else 0
    return RawColumns(match, columns, np.arange(first_row, first_row + count))


def _after_newlines(blob: bytes | str, newline: bytes | str, count: int) -> int:
    position = 0
    for _ in range(count):
        found = blob.find(newline, position)  # type: ignore[arg-type]
        if found < 0:
            return len(blob)
        position = found + 1
    return position


def _arrow_columns(
    data: bytes, offset: int, sep: str, width: int, wanted: dict[str, int]
) -> dict[str, pa.Array] | None:
    """The needed columns by pyarrow from `offset` on (no copy), or None when that part is
    not a clean UTF-8 rectangle (blank lines, ragged rows, invalid UTF-8)."""
    if len(data) - offset < 4096 and not data[offset:].strip():
        return {name: pa.array([], pa.string()) for name in wanted}
    names = [f"c{i}" for i in range(width)]
    needed = sorted({f"c{i}" for i in wanted.values()})
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data).slice(offset),
            # one thread: faster here than pyarrow's quote-aware parallel chunking, and the
            # caller may already read several files at once
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            # a blank line becomes a 1-field row -> error -> the exact csv-module path, so
            # row numbers never shift
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=needed,
                column_types={n: pa.string() for n in needed},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    return {name: strings(table.column(f"c{i}")) for name, i in wanted.items()}


def _python_csv_columns(body: str, sep: str, match: HeaderMatch, first_row: int) -> RawColumns:
    """The slow, exact path: the csv module, blank and ragged rows kept in place."""
    try:
        records = list(csv.reader(io.StringIO(body, newline=""), delimiter=sep))
    except csv.Error as exc:
        raise UnreadableFile(IngestCode.FILE_DAMAGED, f"CSV tidak dapat dibaca: {exc}") from exc
    columns = {
        name: pa.array([r[i] if i < len(r) else "" for r in records], pa.string())
        for name, i in match.positions.items()
    }
    return RawColumns(match, columns, np.arange(first_row, first_row + len(records)))


# --------------------------------------------------------------------------- XLSX / XLS


def read_workbook_columns(data: bytes, layouts: Sequence[Layout]) -> RawColumns | NoLayout:
    """The first sheet whose header matches a layout (XLSX, XLS), via python-calamine."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(name, book.get_sheet_by_name(name)) for name in book.sheet_names]
    except Exception as exc:  # calamine raises its own zip/xml errors for damaged files
        raise UnreadableFile(_workbook_failure(data, exc), f"{type(exc).__name__}: {exc}") from exc
    closest: HeaderMatch | None = None
    head: list[list[str]] = []
    for name, sheet in sheets:
        rows = _sheet_rows(sheet)
        match = find_header(rows, layouts)
        if match and match.complete:
            return _workbook_columns(rows, match, name)
        if match and (closest is None or better_match(match, closest)):
            closest = match
        head += [[export_cell_text(c) for c in row] for row in rows[:HEADER_SEARCH_ROWS]]
    return NoLayout(closest, head=head)


def _workbook_failure(data: bytes, exc: Exception) -> str:
    """What to tell about a workbook the reader cannot open: an old .xls (OLE2) or a
    password is named as such; anything else is a damaged file."""
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        return IngestCode.FILE_DAMAGED
    text = str(exc).casefold()
    if "password" in text or "encrypt" in text or "protect" in text:
        return IngestCode.FILE_PASSWORD
    return IngestCode.FILE_OLD_XLS


def _sheet_rows(sheet: object) -> list[list[object]]:
    try:
        return sheet.to_python(skip_empty_area=False)  # type: ignore[attr-defined]
    except Exception as exc:  # a damaged sheet part inside a readable zip
        raise UnreadableFile(IngestCode.FILE_DAMAGED, f"{type(exc).__name__}: {exc}") from exc


def _workbook_columns(rows: list[list[object]], match: HeaderMatch, sheet: str) -> RawColumns:
    data = rows[match.row + 1 :]
    positions = match.positions
    cells = {name: [r[i] if i < len(r) else "" for r in data] for name, i in positions.items()}
    columns = {name: _cells_as_text(values) for name, values in cells.items()}
    first_row = match.row + 2
    raw = RawColumns(match, columns, np.arange(first_row, first_row + len(data)), sheet)
    for name in ("order_id", "product_id"):
        raw.lossy_id_cells += sum(1 for v in cells.get(name, ()) if _lossy_number(v))
    return raw


def _lossy_number(value: object) -> bool:
    """A float this large cannot hold every digit of an 18-19 digit id (TikTok)."""
    return isinstance(value, float) and abs(value) >= 1e15


def _cells_as_text(cells: list[object]) -> pa.Array:
    """Cell values -> text, converting each distinct value once (typed keys: 1.0 is not
    True, although they compare equal)."""
    try:
        return pa.array(cells, pa.string())  # the usual case: every cell is text already
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    texts: dict[tuple[type, object], str] = {}
    out = []
    for cell in cells:
        key = (type(cell), cell)
        text = texts.get(key)
        if text is None:
            text = texts[key] = export_cell_text(cell)
        out.append(text)
    return pa.array(out, pa.string())
