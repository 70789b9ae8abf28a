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
from sheetsync.issues import Issue
from sheetsync.tabs import CellMark, OutputTab, SheetTable


class Workbook(Protocol):
    """What the pipeline needs from a backend. Implementations: workbook/xlsx/, gsheets/.

    Besides reading and writing, a backend says what only it can know: staff cells whose
    formula has no computed value (`uncomputed_formulas`, after `read_tabs`), how many API
    requests it sent (`sheets_requests`), what it writes around (`notices`), and whether the
    workbook still shows its last write (`last_write_token`, `shows_last_write`), so a sync
    with nothing new can leave the workbook alone.
    """

    uncomputed_formulas: dict[str, list[str]]  # tab -> cells, from the last read
    sheets_requests: int  # Sheets API requests sent so far (0 for a local file)

    def read_tabs(self, names: Sequence[str]) -> dict[str, SheetTable]:
        """Read the named tabs (missing tabs are simply absent from the result)."""
        ...

    def write(self, tabs: Sequence[OutputTab], marks: Sequence[CellMark]) -> None:
        """Replace the output tabs and the feedback marks atomically: all or nothing."""
        ...

    def notices(self, language: str = "id") -> list[Issue]:
        """For Validasi: what the workbook holds that the backend writes around."""
        ...

    def last_write_token(self) -> str | None:
        """What the last `write` left, to keep with its figures (None: keep nothing)."""
        ...

    def shows_last_write(
        self, token: str, tabs: Sequence[OutputTab], marks: Sequence[CellMark]
    ) -> bool:
        """Whether the workbook still shows the write `token` names, with these tabs and
        marks (read from what this run already read: no extra request)."""
        ...


def refuse_staff_tabs(tabs: Sequence[OutputTab]) -> None:
    """Every backend calls this first in `write`: a programming error must never overwrite a
    staff tab (or the hidden marks memory, which only the backend itself writes)."""
    for tab in tabs:
        if not is_output_tab(tab.name) or tab.name == MARKS_TAB:
            raise SinkError(
                f"Refusing to write tab {tab.name!r}: it is not one of sheetsync's output tabs."
            )
