"""Feedback marks on staff cells: a fill and a note where validation found a problem, taken
off again once it is fixed, giving back the look staff had given the cell (pure: no I/O).

What staff had before is remembered in the hidden tab `MARKS_TAB` (its layout, read and
written, is here), because a Google cell has no room for it. Marks are found again by
their note as well as by position, since a note and fill travel with the cell when staff
sort or insert rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sheetsync.contract import MARKS_TAB, is_output_tab, normalise_header
from sheetsync.tabs import CellMark, CellValue, OutputTab
from sheetsync.workbook.gsheets.batch_update import MAX_CELL_CHARS, TabWrite, grid_range, tab_write
from sheetsync.workbook.gsheets.snapshot import (
    JSON,
    Look,
    MarkRecord,
    Snapshot,
    colour_style,
    colour_text,
    same_colour,
)

MARK_COLOURS = {
    "error": {"red": 1.0, "green": 0.78039217, "blue": 0.80784315},  # #FFC7CE
    "warning": {"red": 1.0, "green": 0.92156863, "blue": 0.6117647},  # #FFEB9C
}
NOTE_SEPARATOR = "\n\n— catatan sebelumnya —\n"
MARKS_HEADER = ("Tab", "Row", "Column", "Original Colour", "Original Note", "Mark Colour", "Note")
LOOK_FIELDS = "note,userEnteredFormat.backgroundColor,userEnteredFormat.backgroundColorStyle"


def read_mark_records(rows: Sequence[Sequence[Any]]) -> list[MarkRecord]:
    records = []
    for row in rows[1:]:
        cells = [str(v) for v in (*row, *[""] * len(MARKS_HEADER))][: len(MARKS_HEADER)]
        tab, r, c, colour, note, mark_colour, mark_note = cells
        if tab and r.isdigit() and c.isdigit():
            records.append(
                MarkRecord(tab, int(r), int(c), Look(note, colour), Look(mark_note, mark_colour))
            )
    return records


def mark_record_rows(records: Sequence[MarkRecord]) -> list[list[CellValue]]:
    return [
        [
            r.tab,
            str(r.row),
            str(r.column),
            r.original.colour,
            r.original.note,
            r.mark.colour,
            r.mark.note,
        ]
        for r in records
    ]


@dataclass(frozen=True, slots=True)
class MarkPlan:
    requests: list[JSON]
    records: list[MarkRecord]


def plan_marks(snapshot: Snapshot, marks: Sequence[CellMark]) -> MarkPlan:
    """Requests that mark the cells of `marks` and unmark cells no longer marked.

    A cell keeps the look staff gave it: before marking we remember it; once fixed we put it
    back, but only the parts (note, colour) still showing our mark, since a change staff made
    meanwhile is newer than what we remember. Our marks are found by their note as well as by
    position, because a note and fill travel with the cell when staff sort or insert rows.
    """
    wanted = group_marks(snapshot, marks)
    memory = MarkMemory(snapshot)
    requests: list[JSON] = []
    records = []
    for key, (severity, message) in wanted.items():
        record = new_record(snapshot, key, severity, message, memory.record_for(key))
        records.append(record)
        requests.append(look_request(snapshot, key, record.mark))
    for key in memory.marked_keys():
        remembered = memory.record_for(key)
        if key in wanted or remembered is None or key[0] not in snapshot.tabs:
            continue
        restored = restored_look(memory.look(key), remembered)
        if restored is not None:
            requests.append(look_request(snapshot, key, restored))
    return MarkPlan([r for r in requests if r], records)


def marks_in_place(snapshot: Snapshot, marks: Sequence[CellMark]) -> bool:
    """Whether the spreadsheet already shows exactly these marks: every marked cell has its
    mark's note and colour, the marks memory holds the records a write would keep, and no
    other cell carries one of our notes (nothing to mark, unmark or remember anew)."""
    plan = plan_marks(snapshot, marks)
    if plan.records != snapshot.records:
        return False
    wanted = {(r.tab, r.row, r.column) for r in plan.records}
    memory = MarkMemory(snapshot)
    if any(key not in wanted for key in memory.marked_keys()):
        return False
    for record in plan.records:
        look = memory.look((record.tab, record.row, record.column))
        if look.note != record.mark.note or not same_colour(look.colour, record.mark.colour):
            return False
    return True


class MarkMemory:
    """The marks of the previous run, found where they were put or where staff moved them."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.by_place = {(r.tab, r.row, r.column): r for r in snapshot.records}
        self.by_note = {r.mark.note: r for r in snapshot.records if r.mark.note}

    def look(self, key: tuple[str, int, int]) -> Look:
        return self.snapshot.look(key[0], key[1] - 1, key[2])

    def record_for(self, key: tuple[str, int, int]) -> MarkRecord | None:
        return self.by_note.get(self.look(key).note) or self.by_place.get(key)

    def marked_keys(self) -> list[tuple[str, int, int]]:
        """Where our marks were put, and every staff cell now carrying one of our notes."""
        moved = [
            (title, row0 + 1, col0)
            for (title, row0, col0), look in self.snapshot.looks.items()
            if look.note in self.by_note
        ]
        return list(dict.fromkeys([*self.by_place, *moved]))


def group_marks(
    snapshot: Snapshot, marks: Sequence[CellMark]
) -> dict[tuple[str, int, int], tuple[str, str]]:
    """(title, row, col0) -> (severity, joined messages); marks we cannot place are dropped
    (they are still listed in the Validasi tab)."""
    grouped: dict[tuple[str, int, int], tuple[str, str]] = {}
    for mark in marks:
        key = place_mark(snapshot, mark)
        if key is None:
            continue
        severity, message = grouped.get(key, ("warning", ""))
        if mark.message not in message.split("\n"):
            message = f"{message}\n{mark.message}" if message else mark.message
        grouped[key] = ("error" if "error" in (severity, mark.severity) else "warning", message)
    return grouped


def place_mark(snapshot: Snapshot, mark: CellMark) -> tuple[str, int, int] | None:
    info = snapshot.find(mark.tab)
    if info is None or is_output_tab(info.title) or mark.row < 2 or mark.row > info.rows:
        return None
    header = [normalise_header(h) for h in snapshot.headers.get(info.title, ())]
    wanted = normalise_header(mark.column)
    if wanted not in header:
        return None
    return info.title, mark.row, header.index(wanted)


def new_record(
    snapshot: Snapshot,
    key: tuple[str, int, int],
    severity: str,
    message: str,
    previous: MarkRecord | None,
) -> MarkRecord:
    current = snapshot.look(key[0], key[1] - 1, key[2])
    original = current
    if previous is not None:
        original = Look(
            previous.original.note if current.note == previous.mark.note else current.note,
            previous.original.colour
            if same_colour(current.colour, previous.mark.colour)
            else current.colour,
        )
    note = message[: MAX_CELL_CHARS // 2]
    if original.note:
        note += NOTE_SEPARATOR + original.note[: MAX_CELL_CHARS // 2 - len(NOTE_SEPARATOR)]
    colour = colour_text({"rgbColor": MARK_COLOURS.get(severity, MARK_COLOURS["warning"])})
    return MarkRecord(key[0], key[1], key[2], original, Look(note, colour))


def restored_look(current: Look, record: MarkRecord) -> Look | None:
    """The look to put back on a fixed cell, or None when staff already changed it all."""
    note_is_ours = current.note == record.mark.note
    colour_is_ours = same_colour(current.colour, record.mark.colour)
    if not note_is_ours and not colour_is_ours:
        return None
    return Look(
        record.original.note if note_is_ours else current.note,
        record.original.colour if colour_is_ours else current.colour,
    )


def look_request(snapshot: Snapshot, key: tuple[str, int, int], look: Look) -> JSON:
    info = snapshot.tabs[key[0]]
    if key[1] > info.rows or key[2] >= info.columns:
        return None
    cell: JSON = {}
    if look.note:
        cell["note"] = look.note
    style = colour_style(look.colour)
    if style:
        cell["userEnteredFormat"] = {"backgroundColorStyle": style}
        if "rgbColor" in style:
            cell["userEnteredFormat"]["backgroundColor"] = style["rgbColor"]
    return {
        "updateCells": {
            "range": grid_range(info.sheet_id, (key[1] - 1, key[1]), (key[2], key[2] + 1)),
            "rows": [{"values": [cell]}],
            "fields": LOOK_FIELDS,
        }
    }


def output_writes(
    snapshot: Snapshot, tabs: Sequence[OutputTab], mark_plan: MarkPlan
) -> list[TabWrite]:
    """The output tabs, plus the hidden marks memory whenever there is something to keep."""
    writes = [tab_write(tab) for tab in tabs]
    if mark_plan.records or MARKS_TAB in snapshot.tabs:
        memory = OutputTab(MARKS_TAB, MARKS_HEADER, mark_record_rows(mark_plan.records))
        writes.append(tab_write(memory, hidden=True))
    return writes
