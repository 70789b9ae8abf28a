"""PURE: staff tabs as text -> (Registry of rows without errors, ValidationReport).

Every rule of the workbook contract is checked lazily: all problems of all tabs are
collected as `Issue`s, nothing is raised, and the input tables are only read. A row with an
error is left out of the Registry (so KPIs never roll up by a broken row); a row with only
warnings is kept. Names typed where a code belongs get a suggestion ("Maksud Anda Air Seruk
(19.02.04.2004)?") but are never rewritten: staff stay the owners of their data.

Tabs are validated in dependency order (Desa, Duta, Toko, Target, Laporan Duta, Penerima)
so a reference can tell "no such code" from "that row has errors of its own".
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sheetsync.contract import (
    DESA,
    DUTA,
    LAPORAN_DUTA,
    PENERIMA,
    STAFF_TABS,
    TARGET,
    TOKO,
    TabSpec,
    normalise_header,
)
from sheetsync.issues import Issue, Severity, ValidationReport
from sheetsync.messages import (
    SEVERITY_LABELS,
    VALIDASI_HEADERS,
    IssueCode,
    left_out_text,
    message,
    severity_of,
    similar_header_text,
    suggestion_text,
)
from sheetsync.model import (
    MARKETPLACE_CHOICES,
    MARKETPLACE_LABELS,
    Ambassador,
    FormReport,
    Level,
    Marketplace,
    Recipient,
    Registry,
    Shop,
    Target,
    Village,
)
from sheetsync.months import MONTH_NAMES_EN, MONTH_NAMES_ID, month_bounds, month_label, parse_month
from sheetsync.tabs import CellMark, OutputTab, SheetTable
from sheetsync.values import (
    is_valid_email,
    normalise_phone,
    parse_count,
    parse_form_timestamp,
    parse_rupiah,
    parse_staff_date,
    parse_yes_no,
)

__all__ = [
    "VALIDATION_TAB",
    "IssueCode",
    "Span",
    "cell_marks",
    "completeness_issues",
    "publishing_blockers",
    "registry_counts",
    "suggest_ambassadors",
    "suggest_villages",
    "uncomputed_formula_issues",
    "validate_recipients",
    "validate_workbook",
    "validation_tab",
]

VALIDATION_TAB = "Validasi"
_T = TypeVar("_T")
# What an export covers: (start, end) as datetimes or dates; ends inclusive by day.
Span = tuple[dt.date, dt.date]
REQUIRED_TABS = frozenset({DESA.name, DUTA.name, TOKO.name})
VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
# Names that work as a folder on Windows, macOS and Linux and in a synced drive.
FOLDER_SAFE = re.compile(r"^\w(?:[\w .()&+,'-]*[\w)])?$")
# A form timestamp this far ahead of the sync is in the future, not a clock difference.
FUTURE_TOLERANCE = dt.timedelta(hours=1)
STAFF_TAB_NAMES = tuple(spec.name for spec in STAFF_TABS)


# --- the public entry points ------------------------------------------------------------


def validate_workbook(
    tables: Mapping[str, SheetTable],
    *,
    as_of: dt.datetime,
    language: str = "id",
    inbox_folders: Collection[str] = (),
) -> tuple[Registry, ValidationReport]:
    """Validate every staff tab; return the rows without errors and every issue found.

    `as_of` is the sync time (naive, programme local time): dates after it are in the
    future. `inbox_folders` are the names of the folders under the inbox, each of which
    should be an ID Toko. Never raises on any cell text and never changes `tables`.
    """
    ctx = _Context(as_of=as_of, language=language)
    villages = _validate_villages(ctx, _read_tab(ctx, DESA, tables))
    ambassadors = _validate_ambassadors(ctx, _read_tab(ctx, DUTA, tables), villages)
    shops = _validate_shops(ctx, _read_tab(ctx, TOKO, tables), villages, ambassadors)
    targets = _validate_targets(ctx, _read_tab(ctx, TARGET, tables), villages)
    reports = _validate_form_reports(ctx, _read_tab(ctx, LAPORAN_DUTA, tables), ambassadors)
    recipients = _validate_recipient_rows(
        ctx, _read_tab(ctx, PENERIMA, tables), villages, ambassadors
    )
    _check_inbox_folders(ctx, inbox_folders, shops)
    registry = Registry(
        villages=villages.records(Village),
        ambassadors=ambassadors.records(Ambassador),
        shops=shops.records(Shop),
        targets=targets,
        form_reports=reports,
        recipients=recipients,
    )
    return registry, ctx.report


def validate_recipients(
    table: SheetTable | None,
    villages: Sequence[Village],
    *,
    ambassadors: Sequence[Ambassador] = (),
    language: str = "id",
) -> tuple[tuple[Recipient, ...], list[Issue]]:
    """Check the `Penerima` tab alone against known villages: who gets which report.

    Tingkat must be kabupaten, kecamatan, desa (or duta); Kode Wilayah must name a
    kecamatan of the Desa tab (by name or by its code such as 19.02.01), a Kode Desa, or
    an ID Duta. Used by `validate_workbook` and by `sheetsync send` on its own.
    """
    ctx = _Context(as_of=dt.datetime.max, language=language)
    village_index = _Index.of_villages(villages)
    ambassador_index = _Index.of_ambassadors(ambassadors)
    tables = {PENERIMA.name: table} if table is not None else {}
    rows = _read_tab(ctx, PENERIMA, tables)
    recipients = _validate_recipient_rows(ctx, rows, village_index, ambassador_index)
    return recipients, ctx.report.issues


def completeness_issues(
    registry: Registry,
    month: str,
    *,
    as_of: dt.datetime,
    export_coverage: Mapping[str, Sequence[Span]],
    report_due_day: int,
    language: str = "id",
) -> list[Issue]:
    """Warnings about what is missing for `month` (issue 5 §4), from plain data.

    - active ambassadors without a Laporan Duta for the month, once it is overdue
      (after day `report_due_day` of the next month);
    - shops with no export covering any part of the month, once the month is over;
    - stretches of at least one day inside the month (from the shop's registration) that
      no export covers; in a month still running, only gaps between downloads.

    `export_coverage[shop_id]` lists the (start, end) each imported export covers, as
    datetimes or dates. Ends are inclusive by day: a bare date or a datetime at exactly
    midnight covers that whole day (exports are downloaded by date), so (2026-02-01,
    2026-02-28) covers all of February. A ledger coverage record with `.periods` is
    accepted in place of the list.
    """
    ctx = _Context(as_of=as_of, language=language)
    _check_missing_reports(ctx, registry, month, report_due_day)
    for shop in registry.shops:
        spans = _spans_of(export_coverage.get(shop.shop_id, ()))
        _check_shop_coverage(ctx, shop, month, spans)
    return ctx.report.issues


def uncomputed_formula_issues(
    cells_by_tab: Mapping[str, Sequence[str]], language: str = "id"
) -> list[Issue]:
    """One warning per staff tab whose formulas have no saved result (an .xlsx last saved
    by a program that does not calculate): their formula text is what was read."""
    code = IssueCode.FORMULA_UNCOMPUTED
    issues = []
    for tab, cells in cells_by_tab.items():
        shown = ", ".join(cells[:5]) + (" …" if len(cells) > 5 else "")
        text = message(code, language, tab=tab, value=shown)
        issues.append(Issue(str(code), severity_of(code), tab, None, None, shown, text))
    return issues


def cell_marks(report: ValidationReport) -> list[CellMark]:
    """One mark per staff data cell with problems: the worst severity, all messages in one note.

    Header-row problems (a doubled header) are left to the `Validasi` tab: a backend finds a
    column by its header text, which for a doubled header would point at the wrong column.
    """
    grouped: dict[tuple[str, int, str], list[Issue]] = {}
    for issue in report:
        row, column = issue.row, issue.column
        if issue.source in STAFF_TAB_NAMES and row is not None and row >= 2 and column:
            grouped.setdefault((issue.source, row, column), []).append(issue)
    return [_merge_mark(key, issues) for key, issues in grouped.items()]


def validation_tab(
    report: ValidationReport, *, run_at: dt.datetime, language: str = "id"
) -> OutputTab:
    """The `Validasi` tab: one row per open issue, errors first, plain sortable values."""
    labels = SEVERITY_LABELS.get(language, SEVERITY_LABELS["id"])
    stamp = run_at.strftime("%Y-%m-%d %H:%M:%S")
    rows = [
        [
            labels[i.severity],
            i.code,
            i.source,
            i.row,
            i.column or "",
            i.value or "",
            i.message,
            stamp,
        ]
        for i in sorted(report, key=_validasi_order)
    ]
    headers = VALIDASI_HEADERS.get(language, VALIDASI_HEADERS["id"])
    return OutputTab(VALIDATION_TAB, headers, rows)


# What makes the staff tabs structurally broken: whole tabs unread, so figures would be wrong.
STRUCTURAL_CODES = frozenset({IssueCode.TAB_MISSING, IssueCode.HEADER_MISSING})


def registry_counts(registry: Registry) -> dict[str, int]:
    """Rows read per registry tab, remembered by each good sync for the shrink check."""
    return {
        DESA.name: len(registry.villages),
        DUTA.name: len(registry.ambassadors),
        TOKO.name: len(registry.shops),
    }


def publishing_blockers(
    report: ValidationReport,
    registry: Registry,
    *,
    last_good: Mapping[str, int] | None,
    shrink_limit_pct: float,
    language: str = "id",
) -> list[Issue]:
    """Why the figures must not be published, as issues to add to `report`; [] = publish.

    Blocking: a required tab gone or a required header gone (already in `report`), or a
    registry tab that lost more than `shrink_limit_pct` of its rows since the last good
    sync (a new `registry_shrank` issue). A blocked run gets one `publishing_blocked` line
    naming the tabs, which says what happens meanwhile and what to fix.
    """
    ctx = _Context(as_of=dt.datetime.min, language=language)
    for tab, now in registry_counts(registry).items():
        before = int((last_good or {}).get(tab, 0))
        drop = (before - now) * 100.0 / before if before else 0.0
        if drop > shrink_limit_pct:
            ctx.add(IssueCode.REGISTRY_SHRANK, tab, None, None, f"{before} → {now}", tab=tab,
                    after=now, before=before, drop=f"{drop:.0f}",
                    limit=f"{shrink_limit_pct:g}")  # fmt: skip
    structural = [i for i in report.errors if i.code in STRUCTURAL_CODES]
    tabs = ", ".join(dict.fromkeys(i.source for i in [*structural, *ctx.report]))
    if tabs:
        ctx.add(IssueCode.PUBLISHING_BLOCKED, tabs, None, None, None, tab=tabs)
    return list(ctx.report)


def suggest_villages(text: str, villages: Iterable[Village]) -> list[str]:
    """'Aik Seruk' -> ['Air Seruk (19.02.04.2004)']: official names close to what was typed."""
    return _Index.of_villages(villages).suggest(text)


def suggest_ambassadors(text: str, ambassadors: Iterable[Ambassador]) -> list[str]:
    """'Rina Wati' -> ['Rina Wati (DD-007)']: ambassadors whose ID or name is close."""
    return _Index.of_ambassadors(ambassadors).suggest(text)


# --- reading a tab ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    """One non-blank data row: the cells of the contract headers, as typed."""

    tab: str
    number: int  # as the user sees it
    cells: Mapping[str, str]  # contract header -> raw text ('' if the column is absent)
    written: Mapping[str, str]  # contract header -> header text as written in the tab

    def text(self, header: str) -> str:
        return self.cells.get(header, "").strip()

    def raw(self, header: str) -> str:
        return self.cells.get(header, "")

    def column(self, header: str) -> str:
        return self.written.get(header, header)


def _read_tab(ctx: _Context, spec: TabSpec, tables: Mapping[str, SheetTable]) -> list[_Row]:
    """Map the tab's headers to the contract; [] (with an issue) when it cannot be read."""
    table = tables.get(spec.name)
    if table is None:
        code = (
            IssueCode.TAB_MISSING if spec.name in REQUIRED_TABS else IssueCode.TAB_OPTIONAL_MISSING
        )
        ctx.add(code, spec.name, None, None, None, tab=spec.name, headers=", ".join(spec.headers))
        return []
    positions = _map_headers(ctx, spec, table)
    if any(normalise_header(h) not in positions for h in spec.required):
        return []
    columns = {h: positions.get(normalise_header(h)) for h in spec.headers}
    written = {h: table.header[i] for h, i in columns.items() if i is not None}
    return [
        _Row(spec.name, SheetTable.sheet_row(i), _cells(columns, cells), written)
        for i, cells in enumerate(table.rows)
        if any(str(c or "").strip() for c in cells)
    ]


def _cells(columns: Mapping[str, int | None], cells: Sequence[str]) -> dict[str, str]:
    """Contract header -> cell text; '' for a column the tab lacks or a short row."""
    width = len(cells)
    return {
        h: str(cells[i] or "") if i is not None and i < width else "" for h, i in columns.items()
    }


def _map_headers(ctx: _Context, spec: TabSpec, table: SheetTable) -> dict[str, int]:
    """Normalised header -> first column holding it; blank and doubled headers reported."""
    positions: dict[str, int] = {}
    for index, text in enumerate(table.header):
        key = normalise_header(text)
        if not key:
            _report_blank_header(ctx, table, index)
        elif key in positions:
            ctx.add(
                IssueCode.HEADER_DUPLICATE,
                spec.name,
                1,
                str(text),
                str(text),
                tab=spec.name,
                letter=column_letter(index),
            )
        else:
            positions[key] = index
    _report_missing_headers(ctx, spec, table, positions)
    return positions


def _report_missing_headers(
    ctx: _Context, spec: TabSpec, table: SheetTable, positions: Mapping[str, int]
) -> None:
    """A contract header not found; when a header of the tab looks like it, say which."""
    contract = {normalise_header(h) for h in spec.headers}
    extra = {_compact(k): i for k, i in positions.items() if k not in contract}
    for header in spec.headers:
        if normalise_header(header) in positions:
            continue
        close = difflib.get_close_matches(_compact(header), list(extra), n=1, cutoff=0.75)
        similar = ""
        if close:
            index = extra[close[0]]
            found, letter = str(table.header[index]), column_letter(index)
            similar = similar_header_text(found, letter, header, ctx.language)
        required = header in spec.required
        code = IssueCode.HEADER_MISSING if required else IssueCode.HEADER_OPTIONAL_MISSING
        ctx.add(code, spec.name, None, header, None, tab=spec.name, similar=similar)


def _report_blank_header(ctx: _Context, table: SheetTable, index: int) -> None:
    if any(index < len(r) and str(r[index] or "").strip() for r in table.rows):
        ctx.add(
            IssueCode.HEADER_BLANK,
            table.name,
            1,
            None,
            None,
            tab=table.name,
            letter=column_letter(index),
        )


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': how staff name a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- shared machinery -------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """What every check needs: the sync time, the language and the report being filled."""

    as_of: dt.datetime
    language: str
    report: ValidationReport = field(default_factory=ValidationReport)
    _error_rows: set[tuple[str, int]] = field(default_factory=set)

    def add(
        self,
        code: IssueCode,
        source: str,
        row: int | None,
        column: str | None,
        value: str | None,
        /,
        **fields: object,
    ) -> None:
        severity = severity_of(code)
        kind = "recipient" if source == PENERIMA.name else "row"
        fields.setdefault("left_out", left_out_text(kind, self.language))
        fields.setdefault("column", column)
        fields.setdefault("value", value)
        text = message(code, self.language, **fields)
        self.report.add(Issue(str(code), severity, source, row, column, value, text))
        if severity is Severity.ERROR and row is not None:
            self._error_rows.add((source, row))

    def flag(self, code: IssueCode, row: _Row, header: str, **fields: object) -> None:
        """An issue on one cell of `row`, with the header and value as the user sees them."""
        fields.setdefault("column", " ".join(row.column(header).split()))
        fields.setdefault("value", row.text(header))
        self.add(code, row.tab, row.number, row.column(header), row.raw(header), **fields)

    def unreadable(self, tab: str) -> bool:
        """The tab is missing or lacks a required header, so none of its rows were read."""
        fatal = {IssueCode.TAB_MISSING, IssueCode.HEADER_MISSING}
        return any(i.source == tab and i.code in fatal for i in self.report)

    def has_errors(self, row: _Row) -> bool:
        return (row.tab, row.number) in self._error_rows

    def suggestion(self, candidates: list[str]) -> str:
        return suggestion_text(candidates, self.language)

    def day_text(self, day: dt.date) -> str:
        names = MONTH_NAMES_EN if self.language == "en" else MONTH_NAMES_ID
        return f"{day.day} {names[day.month - 1]} {day.year}"

    def moment_text(self, moment: dt.datetime) -> str:
        sep = ":" if self.language == "en" else "."
        return f"{self.day_text(moment.date())} {moment:%H}{sep}{moment:%M}"

    def month_text(self, month: str) -> str:
        return month_label(month, "en" if self.language == "en" else "id")

    # field readers: each returns the parsed value or None, reporting what it cannot read

    def required(self, row: _Row, header: str) -> str | None:
        text = row.text(header)
        if not text:
            self.flag(IssueCode.REQUIRED_EMPTY, row, header)
            return None
        return text

    def count(self, row: _Row, header: str) -> int | None:
        return self._number(row, header, parse_count, IssueCode.NUMBER_INVALID)

    def rupiah(self, row: _Row, header: str) -> int | None:
        return self._number(row, header, parse_rupiah, IssueCode.RUPIAH_INVALID)

    def _number(
        self, row: _Row, header: str, parse: Callable[[str], int | None], code: IssueCode
    ) -> int | None:
        text = row.text(header)
        if not text:
            return None
        value = parse(text)
        if value is None:
            self.flag(code, row, header)
        elif value < 0:
            self.flag(IssueCode.NUMBER_NEGATIVE, row, header)
            return None
        return value

    def month(self, row: _Row, header: str) -> str | None:
        text = self.required(row, header)
        month = parse_month(text) if text else None
        if text and month is None:
            self.flag(IssueCode.MONTH_INVALID, row, header)
        return month

    def date(self, row: _Row, header: str) -> dt.date | None:
        text = row.text(header)
        day = parse_staff_date(text) if text else None
        if text and day is None:
            self.flag(IssueCode.DATE_INVALID, row, header)
        elif day is not None and day > self.as_of.date():
            self.flag(
                IssueCode.DATE_IN_FUTURE,
                row,
                header,
                date=self.day_text(day),
                today=self.day_text(self.as_of.date()),
            )
        return day

    def timestamp(self, row: _Row, header: str) -> dt.datetime | None:
        text = self.required(row, header)
        moment = parse_form_timestamp(text) if text else None
        if text and moment is None:
            self.flag(IssueCode.TIMESTAMP_INVALID, row, header)
        elif moment is not None and moment > self.as_of + FUTURE_TOLERANCE:
            self.flag(
                IssueCode.DATE_IN_FUTURE,
                row,
                header,
                date=self.moment_text(moment),
                today=self.moment_text(self.as_of),
            )
        return moment


def _merge_mark(key: tuple[str, int, str], issues: list[Issue]) -> CellMark:
    tab, row, column = key
    worst = Severity.ERROR if any(i.is_error for i in issues) else Severity.WARNING
    text = "\n".join(dict.fromkeys(i.message for i in issues))
    return CellMark(tab, row, column, str(worst), text)


def _validasi_order(issue: Issue) -> tuple[int, int, str, int, str]:
    tab_rank = STAFF_TAB_NAMES.index(issue.source) if issue.source in STAFF_TAB_NAMES else 99
    return (0 if issue.is_error else 1, tab_rank, issue.source, issue.row or 0, issue.column or "")


def _compact(text: str) -> str:
    """'Tanjung Pandan' and 'tanjungpandan' compare equal; so do '19.02.04.2004', '1902042004'."""
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass(slots=True)
class _Entry:
    key: str  # code / ID as written
    name: str
    row: int  # first row that holds it (0 when it did not come from a tab)
    ok: bool  # that row has no errors
    record: object = None


@dataclass(slots=True)
class _Index:
    """Codes or IDs of one tab, first occurrence first, and how to suggest one for a typo."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    _folded_rows: dict[str, int] = field(default_factory=dict)
    _compact_map: dict[str, list[_Entry]] | None = None
    _suggested: dict[str, list[str]] = field(default_factory=dict)

    def register(self, entry: _Entry) -> None:
        """Add the first row holding `entry.key` (later doubles are reported, not added)."""
        self.entries.setdefault(entry.key, entry)
        self._folded_rows.setdefault(entry.key.casefold(), entry.row)
        self._compact_map = None
        self._suggested.clear()

    @staticmethod
    def of_villages(villages: Iterable[Village]) -> _Index:
        index = _Index()
        for v in villages:
            index.register(_Entry(v.code, v.name, 0, True, v))
        return index

    @staticmethod
    def of_ambassadors(ambassadors: Iterable[Ambassador]) -> _Index:
        index = _Index()
        for a in ambassadors:
            index.register(_Entry(a.ambassador_id, a.name, 0, True, a))
        return index

    def records(self, kind: type[_T]) -> tuple[_T, ...]:
        """The records of the rows without errors, in row order."""
        return tuple(e.record for e in self.entries.values() if e.ok and isinstance(e.record, kind))

    def first_row_folded(self, key: str) -> int | None:
        """The row already holding `key`, compared case-insensitively (folder names)."""
        return self._folded_rows.get(key.casefold())

    def suggest(self, text: str) -> list[str]:
        """Entries a person probably meant: same code/ID in another form, or a close name."""
        wanted = _compact(text)
        if wanted and wanted not in self._suggested:
            by_compact = self._by_compact()
            close = _closest(wanted, by_compact)
            matches = by_compact.get(wanted) or [e for key in close for e in by_compact[key]]
            self._suggested[wanted] = [f"{e.name} ({e.key})" for e in _unique(matches)[:3]]
        return self._suggested.get(wanted, [])

    def _by_compact(self) -> dict[str, list[_Entry]]:
        """Compact code and compact name -> entries, built once (difflib runs over its keys)."""
        if self._compact_map is None:
            self._compact_map = {}
            for e in self.entries.values():
                for key in dict.fromkeys((_compact(e.key), _compact(e.name))):
                    self._compact_map.setdefault(key, []).append(e)
        return self._compact_map


def _closest(wanted: str, keys: Iterable[str], cutoff: float = 0.8) -> list[str]:
    """The key(s) most like `wanted`; none when three or more tie, which is no help
    ('DD-099' is as close to DD-019, DD-029 and DD-039)."""
    candidates = difflib.get_close_matches(wanted, keys, n=5, cutoff=cutoff)
    scores = {k: difflib.SequenceMatcher(None, wanted, k).ratio() for k in candidates}
    best = [k for k in candidates if scores[k] == max(scores.values())]
    return best if len(best) <= 2 else []


def _unique(entries: list[_Entry]) -> list[_Entry]:
    seen: set[str] = set()
    result = []
    for e in entries:
        if e.key not in seen:
            seen.add(e.key)
            result.append(e)
    return result


def _check_reference(
    ctx: _Context, row: _Row, header: str, index: _Index, spec: TabSpec, unknown: IssueCode
) -> None:
    """The code in `row[header]` must be a row of `spec`'s tab, and that row must be sound."""
    key = row.text(header)
    if not key:
        return
    entry = index.entries.get(key)
    if entry is None:
        ctx.flag(unknown, row, header, suggestion=ctx.suggestion(index.suggest(key)))
    elif not entry.ok:
        ctx.flag(
            IssueCode.REFERENCE_HAS_ERRORS, row, header, target_row=entry.row, target_tab=spec.name
        )


def _check_unique(ctx: _Context, row: _Row, header: str, index: _Index) -> bool:
    """False (and an error) when the ID is already used on an earlier row."""
    key = row.text(header)
    first = index.first_row_folded(key)
    if first is None:
        return True
    ctx.flag(IssueCode.DUPLICATE_ID, row, header, first_row=first)
    return False


# --- Desa ---------------------------------------------------------------------------------


def _validate_villages(ctx: _Context, rows: list[_Row]) -> _Index:
    index = _Index()
    for row in rows:
        code, name, kecamatan = (ctx.required(row, h) for h in DESA.required)
        _check_village_code_format(ctx, row)
        unique = bool(code) and _check_unique(ctx, row, "Kode Desa", index)
        if code and unique:
            record = Village(code, name or "", kecamatan or "")
            index.register(_Entry(code, name or "", row.number, False, record))
    _check_kecamatan_spelling(ctx, rows)
    _mark_sound_rows(ctx, rows, index)
    return index


def _check_village_code_format(ctx: _Context, row: _Row) -> None:
    code = row.text("Kode Desa")
    if not code or VILLAGE_CODE.match(code):
        return
    digits = re.sub(r"\D", "", code)
    dotted = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}" if len(digits) == 10 else ""
    ctx.flag(
        IssueCode.VILLAGE_CODE_FORMAT,
        row,
        "Kode Desa",
        suggestion=ctx.suggestion([dotted] if dotted else []),
    )


def _check_kecamatan_spelling(ctx: _Context, rows: list[_Row]) -> None:
    """'Tanjung Pandan' beside 'Tanjungpandan' splits one kecamatan in two: flag the rarer."""
    counts = Counter(row.text("Kecamatan") for row in rows if row.text("Kecamatan"))
    preferred = _preferred_spellings(counts)
    for row in rows:
        better = preferred.get(row.text("Kecamatan"))
        if better:
            ctx.flag(IssueCode.KECAMATAN_SPELLING, row, "Kecamatan", preferred=better)


def _preferred_spellings(counts: Counter[str]) -> dict[str, str]:
    """Spelling -> the commoner spelling it is a variant of (same letters apart from spaces
    and case, or a one-letter slip of a name used more often)."""
    ranked = [name for name, _ in counts.most_common()]
    preferred: dict[str, str] = {}
    for i, name in enumerate(ranked):
        for better in ranked[:i]:
            same = _compact(name) == _compact(better)
            slip = counts[better] > counts[name] and _is_slip(name, better)
            if same or slip:
                preferred[name] = preferred.get(better, better)
                break
    return preferred


def _is_slip(name: str, other: str) -> bool:
    """'Membalng' for 'Membalong': nearly the same letters (and not two short words)."""
    a, b = _compact(name), _compact(other)
    return min(len(a), len(b)) >= 6 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.88


def _mark_sound_rows(ctx: _Context, rows: list[_Row], index: _Index) -> None:
    """After all checks of a tab: its index entries are usable when their row has no error."""
    by_number = {row.number: row for row in rows}
    for entry in index.entries.values():
        row = by_number.get(entry.row)
        entry.ok = row is not None and not ctx.has_errors(row)


# --- Duta ---------------------------------------------------------------------------------


def _validate_ambassadors(ctx: _Context, rows: list[_Row], villages: _Index) -> _Index:
    index = _Index()
    for row in rows:
        ambassador_id, name, village = (ctx.required(row, h) for h in DUTA.required)
        unique = bool(ambassador_id) and _check_unique(ctx, row, "ID Duta", index)
        _check_reference(ctx, row, "Kode Desa", villages, DESA, IssueCode.UNKNOWN_VILLAGE)
        record = Ambassador(
            ambassador_id or "",
            name or "",
            village or "",
            _phone(ctx, row),
            _email(ctx, row),
            _active(ctx, row),
            row.number,
        )
        if ambassador_id and unique:
            index.register(_Entry(ambassador_id, name or "", row.number, False, record))
    _mark_sound_rows(ctx, rows, index)
    return index


def _phone(ctx: _Context, row: _Row) -> str:
    text = row.text("No HP")
    phone = normalise_phone(text) if text else None
    if text and phone is None:
        ctx.flag(IssueCode.PHONE_INVALID, row, "No HP")
    return phone or ""


def _email(ctx: _Context, row: _Row, code: IssueCode = IssueCode.EMAIL_INVALID) -> str:
    text = row.text("Email")
    if text and not is_valid_email(text):
        ctx.flag(code, row, "Email")
        return ""
    return text


def _active(ctx: _Context, row: _Row) -> bool:
    text = row.text("Aktif")
    active = parse_yes_no(text) if text else True
    if active is None:
        ctx.flag(IssueCode.ACTIVE_INVALID, row, "Aktif")
        return True
    return active


# --- Toko ---------------------------------------------------------------------------------


def _validate_shops(
    ctx: _Context, rows: list[_Row], villages: _Index, ambassadors: _Index
) -> _Index:
    index = _Index()
    seen_names: dict[tuple[Marketplace, str], tuple[int, str]] = {}
    for row in rows:
        shop_id, _, name, village, ambassador = (ctx.required(row, h) for h in TOKO.required)
        marketplace = _marketplace(ctx, row)
        unique = bool(shop_id) and _check_unique(ctx, row, "ID Toko", index)
        _check_folder_name(ctx, row)
        _check_reference(ctx, row, "Kode Desa", villages, DESA, IssueCode.UNKNOWN_VILLAGE)
        _check_reference(ctx, row, "ID Duta", ambassadors, DUTA, IssueCode.UNKNOWN_AMBASSADOR)
        registered = ctx.date(row, "Tanggal Daftar")
        if marketplace and name and unique:
            _check_same_shop(ctx, row, (marketplace, _compact(name)), seen_names)
        record = Shop(
            shop_id or "",
            marketplace or Marketplace.SHOPEE,
            name or "",
            row.text("Pemilik"),
            village or "",
            ambassador or "",
            registered,
        )
        if shop_id and unique:
            index.register(_Entry(shop_id, name or "", row.number, False, record))
    _mark_sound_rows(ctx, rows, index)
    return index


def _check_folder_name(ctx: _Context, row: _Row) -> None:
    """ID Toko is the name of the shop's inbox folder; some text can never be one."""
    shop_id = row.text("ID Toko")
    if shop_id and not FOLDER_SAFE.match(shop_id):
        ctx.flag(IssueCode.SHOP_ID_NOT_FOLDER, row, "ID Toko")


def _marketplace(ctx: _Context, row: _Row) -> Marketplace | None:
    text = row.text("Marketplace")
    if not text:
        return None
    found = MARKETPLACE_LABELS.get(normalise_header(text))
    if found is None:
        close = difflib.get_close_matches(
            text.casefold(), [c.casefold() for c in MARKETPLACE_CHOICES], n=1, cutoff=0.6
        )
        names = [c for c in MARKETPLACE_CHOICES if c.casefold() in close]
        ctx.flag(
            IssueCode.MARKETPLACE_INVALID,
            row,
            "Marketplace",
            suggestion=ctx.suggestion(names),
            choices=", ".join(MARKETPLACE_CHOICES),
        )
    return found


def _check_same_shop(
    ctx: _Context,
    row: _Row,
    key: tuple[Marketplace, str],
    seen: dict[tuple[Marketplace, str], tuple[int, str]],
) -> None:
    """One shop under two IDs would split its sales: flag the later registration."""
    if key in seen:
        first_row, first_id = seen[key]
        label = MARKETPLACE_CHOICES[list(Marketplace).index(key[0])]
        ctx.flag(
            IssueCode.DUPLICATE_SHOP,
            row,
            "Nama Toko",
            marketplace=label,
            first_row=first_row,
            first_id=first_id,
        )
    else:
        seen[key] = (row.number, row.text("ID Toko"))


# --- Target -------------------------------------------------------------------------------


def _validate_targets(ctx: _Context, rows: list[_Row], villages: _Index) -> tuple[Target, ...]:
    targets: list[tuple[_Row, Target]] = []
    first_rows: dict[tuple[str, str], int] = {}
    for row in rows:
        month = ctx.month(row, "Bulan")
        village = ctx.required(row, "Kode Desa")
        _check_reference(ctx, row, "Kode Desa", villages, DESA, IssueCode.UNKNOWN_VILLAGE)
        shops, products, orders = (ctx.count(row, h) for h in ("Toko Baru", "Produk", "Transaksi"))
        sales = ctx.rupiah(row, "Penjualan (Rp)")
        if month and village:
            _check_target_once(ctx, row, (month, village), first_rows)
        target = Target(month or "", village or "", shops, products, orders, sales)
        targets.append((row, target))
    return tuple(t for row, t in targets if not ctx.has_errors(row))


def _check_target_once(
    ctx: _Context, row: _Row, key: tuple[str, str], first_rows: dict[tuple[str, str], int]
) -> None:
    if key in first_rows:
        ctx.flag(
            IssueCode.DUPLICATE_TARGET,
            row,
            "Kode Desa",
            month=ctx.month_text(key[0]),
            village=key[1],
            first_row=first_rows[key],
        )
    else:
        first_rows[key] = row.number


# --- Laporan Duta -----------------------------------------------------------------------

_REPORT_COUNTS = ("Jumlah Kegiatan", "Jumlah Peserta", "Toko Baru", "Produk Diunggah")


def _validate_form_reports(
    ctx: _Context, rows: list[_Row], ambassadors: _Index
) -> tuple[FormReport, ...]:
    reports: list[tuple[_Row, FormReport]] = []
    for row in rows:
        submitted = ctx.timestamp(row, "Timestamp")
        ambassador = ctx.required(row, "ID Duta")
        _check_reference(ctx, row, "ID Duta", ambassadors, DUTA, IssueCode.UNKNOWN_AMBASSADOR)
        month = ctx.month(row, "Bulan Laporan")
        activities, participants, new_shops, uploaded = (ctx.count(row, h) for h in _REPORT_COUNTS)
        if submitted and month:
            _check_month_ended(ctx, row, submitted, month)
        report = FormReport(
            submitted or dt.datetime.min,
            ambassador or "",
            month or "",
            activities,
            participants,
            new_shops,
            uploaded,
            row.text("Catatan"),
            row.number,
        )
        reports.append((row, report))
    sound = [r for row, r in reports if not ctx.has_errors(row)]
    return tuple(_latest_reports(ctx, sound, {r.number: r for r, _ in reports}))


def _check_month_ended(ctx: _Context, row: _Row, submitted: dt.datetime, month: str) -> None:
    if submitted < month_bounds(month)[1]:
        ctx.flag(
            IssueCode.REPORT_MONTH_NOT_ENDED,
            row,
            "Bulan Laporan",
            month=ctx.month_text(month),
            submitted=ctx.moment_text(submitted),
        )


def _latest_reports(
    ctx: _Context, reports: list[FormReport], rows: Mapping[int, _Row]
) -> list[FormReport]:
    """One report per ambassador and month: the latest submission counts.

    Both sides are flagged: the earlier submissions (left out) and the latest one (which
    replaced them), so whoever looks at either row sees why only one is counted.
    """
    latest: dict[tuple[str, str], FormReport] = {}
    for report in reports:
        key = (report.ambassador_id, report.month)
        if key not in latest or _is_later(report, latest[key]):
            latest[key] = report
    earlier = [r for r in reports if latest[(r.ambassador_id, r.month)] is not r]
    for report in earlier:
        winner = latest[(report.ambassador_id, report.month)]
        fields = {"ambassador": report.ambassador_id, "month": ctx.month_text(report.month)}
        ctx.flag(IssueCode.REPORT_SUPERSEDED, rows[report.row], "Bulan Laporan",
                 latest_row=winner.row, **fields)  # fmt: skip
        ctx.flag(IssueCode.REPORT_RESUBMITTED, rows[winner.row], "Bulan Laporan",
                 earlier_row=report.row, **fields)  # fmt: skip
    return [r for r in reports if latest[(r.ambassador_id, r.month)] is r]


def _is_later(report: FormReport, other: FormReport) -> bool:
    """Submitted later; on the same second, the lower row (Forms appends in order)."""
    return (report.submitted_at, report.row) >= (other.submitted_at, other.row)


# --- Penerima -----------------------------------------------------------------------------


def _validate_recipient_rows(
    ctx: _Context, rows: list[_Row], villages: _Index, ambassadors: _Index
) -> tuple[Recipient, ...]:
    kecamatan = _KecamatanIndex.of(villages)
    recipients: list[tuple[_Row, Recipient]] = []
    for row in rows:
        name = ctx.required(row, "Nama")
        email = ctx.required(row, "Email") and _email(ctx, row, IssueCode.RECIPIENT_EMAIL_INVALID)
        level = _level(ctx, row)
        area = _area(ctx, row, level, villages, ambassadors, kecamatan) if level else ""
        recipient = Recipient(
            name or "", row.text("Jabatan"), email or "", level or Level.KABUPATEN, area,
            row=row.number,
        )  # fmt: skip
        recipients.append((row, recipient))
    return tuple(r for row, r in recipients if not ctx.has_errors(row))


def _level(ctx: _Context, row: _Row) -> Level | None:
    text = ctx.required(row, "Tingkat")
    if not text:
        return None
    try:
        return Level(text.casefold())
    except ValueError:
        ctx.flag(IssueCode.LEVEL_INVALID, row, "Tingkat")
        return None


@dataclass(slots=True)
class _KecamatanIndex:
    """Kecamatan of the Desa tab by name (any case) and by code (first 8 chars of a village)."""

    by_name: dict[str, str]
    by_code: dict[str, str]

    @staticmethod
    def of(villages: _Index) -> _KecamatanIndex:
        names: Counter[str] = Counter()
        codes: dict[str, str] = {}
        for entry in villages.entries.values():
            village = entry.record
            if isinstance(village, Village) and village.kecamatan:
                names[village.kecamatan] += 1
                codes.setdefault(village.code[:8], village.kecamatan)
        by_name: dict[str, str] = {}
        for name, _ in names.most_common():
            by_name.setdefault(name.casefold(), name)
        return _KecamatanIndex(by_name, codes)

    def find(self, text: str) -> str | None:
        return self.by_name.get(text.casefold()) or self.by_code.get(text)

    def suggest(self, text: str) -> list[str]:
        index = _Index()
        for code, name in self.by_code.items():
            index.entries.setdefault(code, _Entry(code, name, 0, True))
        return index.suggest(text)


def _area(
    ctx: _Context,
    row: _Row,
    level: Level,
    villages: _Index,
    ambassadors: _Index,
    kecamatan: _KecamatanIndex,
) -> str:
    """Kode Wilayah as routing needs it: kecamatan name as in Desa, Kode Desa, or ID Duta."""
    text = row.text("Kode Wilayah")
    if level is Level.KABUPATEN:
        return ""
    if not text:
        ctx.flag(IssueCode.AREA_MISSING, row, "Kode Wilayah", level=level.value)
        return ""
    if level is Level.KECAMATAN:
        found = kecamatan.find(text)
        candidates = [] if found else kecamatan.suggest(text)
    else:
        index = villages if level is Level.DESA else ambassadors
        found = text if text in index.entries else None
        candidates = [] if found else index.suggest(text)
    if found is None:
        ctx.flag(
            IssueCode.AREA_UNKNOWN,
            row,
            "Kode Wilayah",
            level=level.value,
            suggestion=ctx.suggestion(candidates),
        )
    return found or ""


# --- inbox and completeness -------------------------------------------------------------


def _check_inbox_folders(ctx: _Context, folders: Collection[str], shops: _Index) -> None:
    """Each inbox folder should be an ID Toko (unless the Toko tab itself could not be read:
    its own issue says so, and flagging every folder would bury it)."""
    if ctx.unreadable(TOKO.name):
        return
    for folder in sorted(folders):
        if folder.startswith(".") or folder in shops.entries:
            continue
        ctx.add(
            IssueCode.INBOX_FOLDER_UNKNOWN,
            f"inbox/{folder}",
            None,
            None,
            folder,
            suggestion=ctx.suggestion(shops.suggest(folder)),
        )


def _check_missing_reports(
    ctx: _Context, registry: Registry, month: str, report_due_day: int
) -> None:
    due = dt.datetime.combine(
        month_bounds(month)[1].date().replace(day=report_due_day), dt.time.max
    )
    if ctx.as_of <= due:
        return
    filed = {(r.ambassador_id, r.month) for r in registry.form_reports}
    for ambassador in registry.ambassadors:
        if ambassador.active and (ambassador.ambassador_id, month) not in filed:
            ctx.add(
                IssueCode.REPORT_MISSING,
                LAPORAN_DUTA.name,
                None,
                "ID Duta",
                ambassador.ambassador_id,
                name=ambassador.name,
                month=ctx.month_text(month),
                due=ctx.day_text(due.date()),
            )


def _check_shop_coverage(ctx: _Context, shop: Shop, month: str, spans: Sequence[Span]) -> None:
    start, month_end = month_bounds(month)
    end = min(month_end, ctx.as_of)
    first_day = max(start, _midnight(shop.registered_on)) if shop.registered_on else start
    if end <= first_day:
        return  # the month has not begun, or the shop did not exist yet
    covered = _merge_spans([_whole_days(s) for s in spans], start, end)
    month_over = ctx.as_of >= month_end
    if not covered and month_over:
        ctx.add(IssueCode.EXPORT_MISSING, f"inbox/{shop.shop_id}", None, None, shop.shop_id,
                name=shop.name, month=ctx.month_text(month))  # fmt: skip
    if not covered:
        return  # in a month still running, no download yet is not a gap
    for gap_start, gap_end in _gaps(covered, first_day, end if month_over else None):
        ctx.add(IssueCode.EXPORT_GAP, f"inbox/{shop.shop_id}", None, None, shop.shop_id,
                start=ctx.day_text(gap_start.date()),
                end=ctx.day_text((gap_end - dt.timedelta(seconds=1)).date()))  # fmt: skip


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _spans_of(coverage: object) -> Sequence[Span]:
    """Plain (start, end) pairs. A ledger coverage record is read through its `.periods`;
    when its files did not say which period they cover but hold orders of the month, the
    month counts as covered: a gap cannot be told from a quiet week."""
    if not hasattr(coverage, "periods"):
        return coverage  # type: ignore[return-value]
    periods = tuple(getattr(coverage, "periods", ()) or ())
    if periods or not getattr(coverage, "first_order_at", None):
        return periods
    return (_ALL_TIME,)


_ALL_TIME = (dt.datetime.min, dt.datetime(9999, 1, 1))


def _whole_days(span: Span) -> tuple[dt.datetime, dt.datetime]:
    """Dates become datetimes; an end at midnight (or a bare date) covers that whole day."""
    begin, finish = (v if isinstance(v, dt.datetime) else _midnight(v) for v in span)
    if finish.time() == dt.time():
        finish += dt.timedelta(days=1)
    return begin, finish


def _merge_spans(
    spans: Sequence[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The spans clipped to [start, end), sorted and joined where they touch or overlap."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for begin, finish in sorted((max(b, start), min(f, end)) for b, f in spans):
        if finish <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


MIN_GAP = dt.timedelta(days=1)


def _gaps(
    covered: list[tuple[dt.datetime, dt.datetime]],
    start: dt.datetime,
    end: dt.datetime | None,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Uncovered stretches of at least a day; the tail only when the month is over."""
    edges = [(start, start), *covered]
    if end is not None:
        edges.append((end, end))
    gaps = [(a[1], b[0]) for a, b in itertools.pairwise(edges)]
    return [(a, b) for a, b in gaps if b - a >= MIN_GAP]
