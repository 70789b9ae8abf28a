"""The workbook port: what every backend (xlsx, gsheets) offers the pipeline.

A backend reads staff tabs as the *text staff see* (never numericised: "007" stays "007")
and writes sheetsync's own output tabs whole, plus in-place feedback marks on staff cells
(fill + note), in one atomic step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

CellValue = str | int | float | None


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


class Workbook(Protocol):
    """What the pipeline needs from a backend. Implementations: workbook/xlsx.py, gsheets.py."""

    def read_tabs(self, names: Sequence[str]) -> dict[str, SheetTable]:
        """Read the named tabs (missing tabs are simply absent from the result)."""
        ...

    def write(self, tabs: Sequence[OutputTab], marks: Sequence[CellMark]) -> None:
        """Replace the output tabs and the feedback marks atomically: all or nothing."""
        ...
