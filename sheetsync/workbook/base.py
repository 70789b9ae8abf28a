"""The workbook port: what every backend (xlsx, gsheets) offers the pipeline.

A backend reads staff tabs as the *text staff see* (never numericised: "007" stays "007")
and writes sheetsync's own output tabs whole, plus in-place feedback marks on staff cells
(fill + note), in one atomic step. The tab shapes themselves are core types (`sheetsync.tabs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sheetsync.tabs import CellMark, OutputTab, SheetTable


class Workbook(Protocol):
    """What the pipeline needs from a backend. Implementations: workbook/xlsx.py, gsheets.py."""

    def read_tabs(self, names: Sequence[str]) -> dict[str, SheetTable]:
        """Read the named tabs (missing tabs are simply absent from the result)."""
        ...

    def write(self, tabs: Sequence[OutputTab], marks: Sequence[CellMark]) -> None:
        """Replace the output tabs and the feedback marks atomically: all or nothing."""
        ...
