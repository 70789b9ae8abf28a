"""The workbook port: what every backend (xlsx, gsheets) offers the pipeline.

A backend reads staff tabs as the *text staff see* (never numericised: "007" stays "007")
and writes sheetsync's own output tabs whole, plus in-place feedback marks on staff cells
(fill + note), in one atomic step. The tab shapes themselves are core types (`sheetsync.tabs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sheetsync.contract import MARKS_TAB, is_output_tab
from sheetsync.errors import SinkError
from sheetsync.tabs import CellMark, OutputTab, SheetTable


class Workbook(Protocol):
    """What the pipeline needs from a backend. Implementations: workbook/xlsx/, gsheets/."""

    def read_tabs(self, names: Sequence[str]) -> dict[str, SheetTable]:
        """Read the named tabs (missing tabs are simply absent from the result)."""
        ...

    def write(self, tabs: Sequence[OutputTab], marks: Sequence[CellMark]) -> None:
        """Replace the output tabs and the feedback marks atomically: all or nothing."""
        ...


def refuse_staff_tabs(tabs: Sequence[OutputTab]) -> None:
    """Every backend calls this first in `write`: a programming error must never overwrite a
    staff tab (or the hidden marks memory, which only the backend itself writes)."""
    for tab in tabs:
        if not is_output_tab(tab.name) or tab.name == MARKS_TAB:
            raise SinkError(
                f"Refusing to write tab {tab.name!r}: it is not one of sheetsync's output tabs."
            )
