"""Reading a staff tab: its headers matched to the contract, its non-blank rows as `Row`s.

Staff reorder columns, add their own, and type headers loosely; the contract
(`sheetsync.contract`) names the headers a tab must have. Matching is done once here, so
every rule reads a cell by its contract header and every issue names the column as the
tab writes it. A tab that is missing or lacks a required header yields no rows (and says
why); blank, doubled or misspelt headers are reported, never guessed.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sheetsync.contract import DESA, DUTA, TOKO, TabSpec, normalise_header
from sheetsync.issues import Issue
from sheetsync.messages import IssueCode, message, severity_of, similar_header_text
from sheetsync.tabs import SheetTable
from sheetsync.validate.context import Context
from sheetsync.validate.lookup import compact

REQUIRED_TABS = frozenset({DESA.name, DUTA.name, TOKO.name})


@dataclass(frozen=True, slots=True)
class Row:
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


def read_tab(ctx: Context, spec: TabSpec, tables: Mapping[str, SheetTable]) -> list[Row]:
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
        Row(spec.name, SheetTable.sheet_row(i), _cells(columns, cells), written)
        for i, cells in enumerate(table.rows)
        if any(str(c or "").strip() for c in cells)
    ]


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


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': how staff name a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cells(columns: Mapping[str, int | None], cells: Sequence[str]) -> dict[str, str]:
    """Contract header -> cell text; '' for a column the tab lacks or a short row."""
    width = len(cells)
    return {
        h: str(cells[i] or "") if i is not None and i < width else "" for h, i in columns.items()
    }


def _map_headers(ctx: Context, spec: TabSpec, table: SheetTable) -> dict[str, int]:
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
    ctx: Context, spec: TabSpec, table: SheetTable, positions: Mapping[str, int]
) -> None:
    """A contract header not found; when a header of the tab looks like it, say which."""
    contract = {normalise_header(h) for h in spec.headers}
    extra = {compact(k): i for k, i in positions.items() if k not in contract}
    for header in spec.headers:
        if normalise_header(header) in positions:
            continue
        close = difflib.get_close_matches(compact(header), list(extra), n=1, cutoff=0.75)
        similar = ""
        if close:
            index = extra[close[0]]
            found, letter = str(table.header[index]), column_letter(index)
            similar = similar_header_text(found, letter, header, ctx.language)
        required = header in spec.required
        code = IssueCode.HEADER_MISSING if required else IssueCode.HEADER_OPTIONAL_MISSING
        ctx.add(code, spec.name, None, header, None, tab=spec.name, similar=similar)


def _report_blank_header(ctx: Context, table: SheetTable, index: int) -> None:
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
