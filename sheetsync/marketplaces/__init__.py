"""Marketplace seller-centre exports -> `ParsedExport` in the canonical schema.

`read_export(path)` is the one entry point. It recognises a file by its header row (never
its name), reads only the columns it needs (buyer names, usernames, phones and addresses
are never read), and never raises on bad data: an unknown, damaged, empty, binary or
0-row file comes back as kind="rejected" with an Issue that names the file, the closest
known layout and its missing columns. Formats and quirks: docs/marketplaces.md.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TypeVar

import pandas as pd

from sheetsync.issues import Issue, Severity
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.marketplaces.bukalapak import BUKALAPAK_ORDERS, BUKALAPAK_TRANSACTIONS
from sheetsync.marketplaces.cells import DEFAULT_TZ
from sheetsync.marketplaces.filenames import export_time_from_name
from sheetsync.marketplaces.layouts import Layout
from sheetsync.marketplaces.lazada import LAZADA_ORDERS
from sheetsync.marketplaces.listings import (
    SHOPEE_MASS_UPDATE,
    TIKTOK_BATCH_EDIT,
    TIKTOK_PRODUCTS,
    build_listings,
    empty_listings,
)
from sheetsync.marketplaces.mistaken import (
    EDITED_EXPORT_SCORE,
    foreign_currency,
    mistaken_file_issue,
)
from sheetsync.marketplaces.orders import (
    Built,
    build_order_lines,
    build_order_table,
    build_order_tables,
    empty_order_lines,
)
from sheetsync.marketplaces.problems import (
    file_issue,
    unknown_layout_issue,
)
from sheetsync.marketplaces.shopee import SHOPEE_ORDERS, period_from_name
from sheetsync.marketplaces.status import STATUS_TABLE, classify_status
from sheetsync.marketplaces.tables import (
    NoLayout,
    RawColumns,
    UnreadableFile,
    file_kind,
    password_protected,
    read_csv_columns,
    read_workbook_columns,
)
from sheetsync.marketplaces.tiktok import TIKTOK_ORDERS
from sheetsync.marketplaces.tokopedia import TOKOPEDIA_ORDERS, TOKOPEDIA_ORDERS_EN
from sheetsync.messages import IngestCode

__all__ = [
    "LAYOUTS",
    "STATUS_TABLE",
    "ParsedExport",
    "classify_status",
    "read_export",
    "read_export_bytes",
    "read_exports_bytes",
]

ORDER_LAYOUTS: tuple[Layout, ...] = (
    SHOPEE_ORDERS,
    TOKOPEDIA_ORDERS,
    TOKOPEDIA_ORDERS_EN,
    TIKTOK_ORDERS,
    LAZADA_ORDERS,
    BUKALAPAK_TRANSACTIONS,
    BUKALAPAK_ORDERS,
)
LISTING_LAYOUTS: tuple[Layout, ...] = (SHOPEE_MASS_UPDATE, TIKTOK_BATCH_EDIT, TIKTOK_PRODUCTS)
LAYOUTS: tuple[Layout, ...] = ORDER_LAYOUTS + LISTING_LAYOUTS
WARNING = Severity.WARNING
T = TypeVar("T")
MAX_PART_BYTES = 2 * 1024**3  # a ZIP member larger than this is not an export (zip bomb)


def read_export(
    path: Path,
    *,
    display_name: str | None = None,
    tz: str = DEFAULT_TZ,
    language: str = "id",
    arrow: bool = False,
) -> ParsedExport:
    """Read one export file (XLSX, XLS, CSV or a ZIP of export parts); never raises on
    bad data. `display_name` (e.g. the inbox-relative path) is used in issues; `tz` is the
    programme's time zone (times written with an offset are converted to it); `language`
    ([program] language) the one the issues' messages are worded in. `arrow`: order lines
    stay in Arrow (`ParsedExport.table`, `lines` empty) where the file allows it."""
    path = Path(path)
    source = display_name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return unreadable(source, exc, language)
    return read_export_bytes(data, source, name=path.name, tz=tz, language=language, arrow=arrow)


def read_export_bytes(
    data: bytes,
    source: str,
    *,
    name: str | None = None,
    tz: str = DEFAULT_TZ,
    language: str = "id",
    arrow: bool = False,
) -> ParsedExport:
    """`read_export` on bytes already in memory; `name` (the file name) gives the period
    and the export time, when the seller centre wrote them into it."""
    parsed = _read_guarded(data, source, allow_zip=True, tz=tz, language=language, arrow=arrow)
    parsed.period = period_from_name(name or source)
    parsed.exported_at = export_time_from_name(name or source)
    return parsed


def read_exports_bytes(
    files: Sequence[tuple[bytes, str, str]], *, tz: str = DEFAULT_TZ, language: str = "id"
) -> list[ParsedExport]:
    """`read_export_bytes(data, source, name=name, arrow=True)` of several files, each
    `(data, source, name)`: the order lines of files in one layout are built together
    (`build_order_tables`), which costs a province's many small files a fraction of the
    column operations; each file's result is what it alone gives. Never raises on bad data.
    """
    results: list[ParsedExport | None] = [None] * len(files)
    alike: dict[tuple[int, tuple[str, ...]], list[tuple[int, RawColumns]]] = {}
    for index, (data, source, _) in enumerate(files):
        columns = functools.partial(_order_columns, data, source, tz, language)
        staged = _guarded(columns, source, language)
        if isinstance(staged, ParsedExport):
            results[index] = staged
        else:
            key = (id(staged.match.layout), tuple(sorted(staged.columns)))
            alike.setdefault(key, []).append((index, staged))
    for group in alike.values():
        built = _built_together([raw for _, raw in group], tz)
        for position, (index, raw) in enumerate(group):
            source = files[index][1]
            given = built[position] if built is not None else None
            export = functools.partial(_orders_export, raw, source, tz, language, given)
            results[index] = _guarded(export, source, language)
    return [
        _named(parsed, name or source)
        for parsed, (_, source, name) in zip(_every(results), files, strict=True)
    ]


def _every(results: list[ParsedExport | None]) -> list[ParsedExport]:
    missing = [i for i, parsed in enumerate(results) if parsed is None]
    assert not missing, f"files not read: {missing}"
    return [parsed for parsed in results if parsed is not None]


def _named(parsed: ParsedExport, name: str) -> ParsedExport:
    parsed.period = period_from_name(name)
    parsed.exported_at = export_time_from_name(name)
    return parsed


def _order_columns(data: bytes, source: str, tz: str, language: str) -> ParsedExport | RawColumns:
    """A plain order table's raw columns (to be built with others in its layout), or the
    file read to the end by itself (anything else: ZIP parts, listings, rejections)."""
    found = _table_of(data, source, allow_zip=True, tz=tz, language=language)
    if isinstance(found, ParsedExport):
        return found
    if isinstance(found, RawColumns) and found.match.layout.kind == "orders":
        rejection = _foreign_prices(found, source, language)
        return found if rejection is None else rejected(source, rejection, _layout_name(found))
    return _from_table(found, source, tz, language, arrow=True)


def _built_together(raws: list[RawColumns], tz: str) -> list[Built] | None:
    """The batch's order tables, or None: then each file is built by itself (also when
    building them together fails: one odd file must not cost the others their reading)."""
    if len(raws) < 2:
        return None
    try:
        return build_order_tables(raws, tz)
    except Exception:
        return None


def _guarded(read: Callable[[], ParsedExport | T], source: str, language: str) -> ParsedExport | T:
    """`read()`, with an unreadable or damaged file as a rejected export, never raised."""
    try:
        return read()
    except UnreadableFile as exc:
        return rejected(source, file_issue(exc.code, source, exc.detail, language=language))
    except Exception as exc:  # bad data must never stop a run (issue 3 §3)
        issue = file_issue(IngestCode.FILE_DAMAGED, source, _short(exc), language=language)
        return rejected(source, issue)


def _read_guarded(
    data: bytes, source: str, *, allow_zip: bool, tz: str, language: str, arrow: bool = False
) -> ParsedExport:
    read = functools.partial(_read, data, source, allow_zip=allow_zip, tz=tz,
                             language=language, arrow=arrow)  # fmt: skip
    return _guarded(read, source, language)


def unreadable(source: str, error: OSError, language: str = "id") -> ParsedExport:
    """A file that could not be opened: rejected with the system's reason, retried later."""
    issue = file_issue(IngestCode.FILE_UNREADABLE, source, error.strerror or "",
                       language=language)  # fmt: skip
    return rejected(source, issue)


def rejected(source: str, issue: Issue, layout: str = "unknown") -> ParsedExport:
    """A file that is left in the inbox and retried when it changes."""
    return ParsedExport("rejected", layout, None, empty_order_lines(), [issue])


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _read(
    data: bytes, source: str, *, allow_zip: bool, tz: str, language: str, arrow: bool
) -> ParsedExport:
    found = _table_of(data, source, allow_zip=allow_zip, tz=tz, language=language)
    if isinstance(found, ParsedExport):
        return found
    return _from_table(found, source, tz, language, arrow)


def _table_of(
    data: bytes, source: str, *, allow_zip: bool, tz: str, language: str
) -> ParsedExport | RawColumns | NoLayout:
    """The file's table (the raw columns of the layout found, or what matched none), or
    the export itself when the file is not one table: empty, a ZIP of parts, locked."""
    kind = file_kind(data)
    if kind == "empty":
        return rejected(source, file_issue(IngestCode.FILE_EMPTY, source, language=language))
    if kind == "zip" and not _is_workbook_zip(data):
        if not allow_zip:
            return rejected(source, file_issue(IngestCode.ZIP_NO_PARTS, source, language=language))
        return _read_zip_parts(data, source, tz, language)
    if kind == "xls" and password_protected(data):
        return rejected(source, file_issue(IngestCode.FILE_PASSWORD, source, language=language))
    if kind in ("zip", "xls"):
        return read_workbook_columns(data, LAYOUTS)
    return read_csv_columns(data, LAYOUTS)


def _is_workbook_zip(data: bytes) -> bool:
    """An .xlsx is a ZIP too; a damaged one is still treated as a workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return True
    return "[Content_Types].xml" in names or "xl/workbook.xml" in names


def _from_table(
    table: RawColumns | NoLayout, source: str, tz: str, language: str, arrow: bool = False
) -> ParsedExport:
    if isinstance(table, NoLayout):
        return rejected(source, _no_layout_issue(table, source, language))
    foreign = _foreign_prices(table, source, language)
    if foreign is not None:
        return rejected(source, foreign, _layout_name(table))
    if table.match.layout.kind == "orders" and arrow:
        return _orders_export(table, source, tz, language)
    if table.match.layout.kind == "listings":
        lines, issues, rows_read = build_listings(table, source, language=language)
    else:
        lines, issues, rows_read = build_order_lines(table, source, tz, language=language)
    return _export(table, source, language, (None, issues, rows_read), lines)


def _layout_name(table: RawColumns) -> str:
    return table.match.layout.layout_name(table.match.header)


def _orders_export(
    table: RawColumns, source: str, tz: str, language: str, built: Built | None = None
) -> ParsedExport:
    """An order table's export, its lines in Arrow; `built`: its lines built already (with
    other files of its layout), else built here."""
    if built is None:
        built = build_order_table(table, source, tz, language=language)
    return _export(table, source, language, built, empty_order_lines())


def _export(
    table: RawColumns, source: str, language: str, built: Built, lines: pd.DataFrame
) -> ParsedExport:
    """The export a built table gives: `built` holds the Arrow lines (or None: `lines`),
    the rows' issues and the data rows read."""
    arrow_lines, issues, rows_read = built
    issues = list(issues)
    layout = table.match.layout
    name = _layout_name(table)
    if rows_read == 0 and layout.kind == "orders":  # the shop sold nothing: a valid month
        return ParsedExport(layout.kind, name, layout.marketplace, lines, issues)
    if rows_read == 0:
        issue = file_issue(IngestCode.FILE_NO_ROWS, source, language=language)
        return rejected(source, issue, name)
    if table.lossy_id_cells:
        detail = str(table.lossy_id_cells)
        issues.insert(0, file_issue(IngestCode.FILE_IDS_AS_NUMBERS, source, detail, WARNING,
                                    language=language))  # fmt: skip
    if (
        lines.empty if arrow_lines is None else arrow_lines.num_rows == 0
    ):  # every row is bad (e.g. a date format mangled by re-saving): retry later
        detail = str(rows_read)
        issue = file_issue(IngestCode.FILE_NO_VALID_ROWS, source, detail, language=language)
        parsed = rejected(source, issue, name)
        parsed.issues += issues
        parsed.rows_read = rows_read
        return parsed
    return ParsedExport(layout.kind, name, layout.marketplace, lines, issues, rows_read=rows_read,
                        table=arrow_lines)  # fmt: skip


def _foreign_prices(table: RawColumns, source: str, language: str) -> Issue | None:
    """An order export in a known layout whose prices are in another currency (a Shopee
    shop in Vietnam with Indonesian headers): never counted as rupiah."""
    prices = table.columns.get("price")
    if table.match.layout.kind != "orders" or prices is None:
        return None
    currency = foreign_currency(prices.slice(0, 200).to_pylist())
    if not currency:
        return None
    return file_issue(IngestCode.FILE_FOREIGN_SHOP, source, currency, language=language)


def _no_layout_issue(table: NoLayout, source: str, language: str) -> Issue:
    """Binary junk; an edited export (most of a known header); a file sent by mistake
    (wallet, fee or foreign-shop report); else an unknown layout."""
    if table.looks_binary:
        return file_issue(IngestCode.FILE_NOT_TABLE, source, language=language)
    closest = table.closest
    if closest is not None and closest.score >= EDITED_EXPORT_SCORE:
        return unknown_layout_issue(source, closest, language)
    return mistaken_file_issue(source, table.head, language) or unknown_layout_issue(
        source, closest, language
    )


# --------------------------------------------------------------------------- multi-part ZIP


def _read_zip_parts(data: bytes, source: str, tz: str, language: str) -> ParsedExport:
    """A large export split into parts inside one ZIP -> one ParsedExport, all or nothing."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [i for i in archive.infolist() if _is_part(i)]
        members.sort(key=lambda i: i.filename)
        parts = [
            _read_guarded(archive.read(i), f"{source}/{i.filename}", allow_zip=False, tz=tz,
                          language=language)
            for i in members
        ]  # fmt: skip
    if not parts:
        return rejected(source, file_issue(IngestCode.ZIP_NO_PARTS, source, language=language))
    broken = [p for p in parts if p.rejected]
    if broken:
        return ParsedExport("rejected", "unknown", None, empty_order_lines(),
                            [i for p in broken for i in p.issues])  # fmt: skip
    kinds = {(p.kind, p.marketplace) for p in parts}
    if len(kinds) > 1:
        detail = ", ".join(sorted({p.layout for p in parts}))
        issue = file_issue(IngestCode.ZIP_MIXED_PARTS, source, detail, language=language)
        return rejected(source, issue)
    return _combine(parts)


PART_SUFFIXES = (".xlsx", ".xls", ".csv")


def _is_part(info: zipfile.ZipInfo) -> bool:
    """An export part: a spreadsheet, not hidden (macOS `._` files), not absurdly large."""
    name = PurePosixPath(info.filename)
    hidden = name.name.startswith(".") or "__MACOSX" in name.parts
    sheet = name.suffix.lower() in PART_SUFFIXES
    return sheet and not info.is_dir() and not hidden and info.file_size <= MAX_PART_BYTES


def _combine(parts: list[ParsedExport]) -> ParsedExport:
    first = parts[0]
    lines = pd.concat([p.lines for p in parts], ignore_index=True)
    if first.kind == "orders":
        lines["line_no"] = lines.groupby("order_id").cumcount().astype("int64") + 1
    elif lines.empty:
        lines = empty_listings()
    return ParsedExport(
        first.kind,
        first.layout,
        first.marketplace,
        lines,
        [i for p in parts for i in p.issues],
        rows_read=sum(p.rows_read for p in parts),
    )
