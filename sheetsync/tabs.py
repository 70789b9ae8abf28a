"""The shapes of tabs, shared by the pure core and every workbook backend.

A `SheetTable` is a staff tab as read (the text staff see), an `OutputTab` a tab sheetsync
owns and writes whole, a `CellMark` in-place feedback on a staff cell. They live in the
core, not in workbook/, so validation and KPI tabs never import an adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

CellValue = str | int | float | None


def plain_cell_text(value: object) -> str | None:
    """Empty cells, text and booleans read alike in every spreadsheet program: '', the text,
    TRUE/FALSE. None for numbers and times, whose text depends on what reads them (an
    export reader wants every digit, a person sees the cell's number format)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return None


@dataclass(frozen=True, slots=True)
class SheetTable:
    """One tab as read: the header row and the data rows as text.

    `rows[i]` is the sheet row `i + 2` (header is row 1); rows are padded to the header
    width with ''. Blank rows are kept (so row numbers stay true) and skipped by readers.
    """

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @staticmethod
    def sheet_row(index: int) -> int:
        """The row number a person sees for `rows[index]`."""
        return index + 2


@dataclass(frozen=True, slots=True)
class OutputTab:
    """A tab sheetsync owns: written whole, replacing what was there."""

    name: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[CellValue]]
    # per-column number formats, e.g. {"Penjualan (Rp)": "rupiah", "Capaian": "percent"}
    formats: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CellMark:
    """In-place feedback on a staff cell: highlighted, with the issue message as a note."""

    tab: str
    row: int  # as the user sees it (header = 1)
    column: str  # header text as in the tab
    severity: str  # "error" | "warning"
    message: str
