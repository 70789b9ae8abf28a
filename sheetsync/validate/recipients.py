"""The Penerima tab: who gets which area's report by email.

Tingkat + Kode Wilayah pick the report: kabupaten -> the whole programme, kecamatan -> a
kecamatan of the Desa tab (by name, any case, or by its code such as 19.02.04), desa -> a
Kode Desa, duta -> an ID Duta. A row that cannot be routed for sure is an error and gets no
report: a report sent to the wrong official is worse than one not sent.

This is the one check of a recipient: `mail/routing.py` takes the Registry's `Recipient`s
as they are (area as the Desa tab writes it, a mailbox `values.clean_email` accepts) and
only decides which report file each gets.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sheetsync.contract import DESA, DUTA, PENERIMA
from sheetsync.issues import Issue
from sheetsync.messages import IssueCode
from sheetsync.model import Ambassador, Level, Recipient, Village
from sheetsync.tabs import SheetTable
from sheetsync.validate.context import Context
from sheetsync.validate.fields import email, required
from sheetsync.validate.lookup import Entry, Index
from sheetsync.validate.reading import Row, read_tab
from sheetsync.values import clean_display_name, name_was_changed


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
    an ID Duta. `validate_workbook` checks the tab the same way.
    """
    ctx = Context(as_of=dt.datetime.max, language=language)
    village_index = Index.of_villages(villages)
    ambassador_index = Index.of_ambassadors(ambassadors)
    tables = {PENERIMA.name: table} if table is not None else {}
    rows = read_tab(ctx, PENERIMA, tables)
    recipients = validate_recipient_rows(ctx, rows, village_index, ambassador_index)
    return recipients, ctx.report.issues


def validate_recipient_rows(
    ctx: Context, rows: list[Row], villages: Index, ambassadors: Index
) -> tuple[Recipient, ...]:
    kecamatan = _KecamatanIndex.of(villages)
    recipients: list[tuple[Row, Recipient]] = []
    for row in rows:
        name = required(ctx, row, "Nama")
        check_mail_name(ctx, row)
        address = required(ctx, row, "Email") and email(
            ctx, row, code=IssueCode.RECIPIENT_EMAIL_INVALID
        )
        level = _level(ctx, row)
        area = _area(ctx, row, level, villages, ambassadors, kecamatan) if level else ""
        recipient = Recipient(
            name or "", row.text("Jabatan"), address or "", level or Level.KABUPATEN, area,
            row=row.number,
        )  # fmt: skip
        recipients.append((row, recipient))
    return tuple(r for row, r in recipients if not ctx.has_errors(row))


def check_mail_name(ctx: Context, row: Row, header: str = "Nama") -> None:
    """A line break or control character in a name that goes into a mail header: the mail
    goes out with the name cleaned to one line, and staff are told (it is how header
    injection looks)."""
    text = row.text(header)
    if name_was_changed(text):
        ctx.add(IssueCode.RECIPIENT_NAME_UNSAFE, row.tab, row.number, row.column(header), text,
                name=clean_display_name(text))  # fmt: skip


def _level(ctx: Context, row: Row) -> Level | None:
    text = required(ctx, row, "Tingkat")
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
    def of(villages: Index) -> _KecamatanIndex:
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
        index = Index()
        for code, name in self.by_code.items():
            index.entries.setdefault(code, Entry(code, name, 0, True))
        return index.suggest(text)


def _area(
    ctx: Context,
    row: Row,
    level: Level,
    villages: Index,
    ambassadors: Index,
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
        entry = index.entries.get(text)
        if entry is not None and not entry.ok:
            target_tab = DESA.name if level is Level.DESA else DUTA.name
            ctx.flag(IssueCode.REFERENCE_HAS_ERRORS, row, "Kode Wilayah", target_row=entry.row,
                     target_tab=target_tab)  # fmt: skip
            return ""
        found = text if entry is not None else None
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
