"""Feedback marks on staff cells in Google Sheets: set, moved by staff, taken off, and the
look staff gave a cell always given back (gsheets/marks.py through the backend)."""

from __future__ import annotations

import json

import requests
from gsheets_samples import staff_tabs, workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.contract import MARKS_TAB
from sheetsync.tabs import CellMark


def test_marks_highlight_then_restore_staff_formatting(emulator, token_client, sid):
    staff_colour = {"red": 0.0, "green": 1.0, "blue": 0.0}
    emulator.set_cell(sid, "Toko!F3", userEnteredFormat={"backgroundColor": staff_colour})
    emulator.set_cell(sid, "Toko!B2", note="Diperiksa Bu Rina")
    original = {a1: emulator.cell(sid, a1) for a1 in ("Toko!F3", "Toko!B2", "Toko!C2")}
    book = workbook(token_client, sid)
    marks = [
        CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-009 tidak ada di tab Duta."),
        CellMark("Toko", 2, "marketplace", "warning", "Periksa marketplace."),
        CellMark("Toko", 2, "Nama Toko", "warning", "Nama toko kosong?"),
    ]

    book.read_tabs(["Toko"])
    book.write([], marks)

    f3 = emulator.cell(sid, "Toko!F3")
    assert f3["note"] == "ID Duta DD-009 tidak ada di tab Duta."
    assert f3["userEnteredFormat"]["backgroundColor"]["green"] < 0.8  # light red, not green
    b2 = emulator.cell(sid, "Toko!B2")
    assert b2["note"].startswith("Periksa marketplace.") and "Diperiksa Bu Rina" in b2["note"]
    assert emulator.tab_properties(sid, MARKS_TAB)["hidden"] is True

    book.read_tabs(["Toko"])
    book.write([], [])

    assert {a1: emulator.cell(sid, a1) for a1 in original} == original


def test_fixed_mark_keeps_what_staff_changed_meanwhile(emulator, token_client, sid):
    book = workbook(token_client, sid)
    book.read_tabs(["Toko"])
    book.write([], [CellMark("Toko", 3, "ID Duta", "error", "Salah.")])
    emulator.set_cell(sid, "Toko!F3", note="Sudah saya cek")  # staff replaced our note

    book.read_tabs(["Toko"])
    book.write([], [])

    cell = emulator.cell(sid, "Toko!F3")
    assert cell["note"] == "Sudah saya cek"
    assert "backgroundColor" not in cell.get("userEnteredFormat", {})  # our colour is gone


def staff_insert_row_above(emulator, sid, tab: str, row: int) -> None:
    """What Sheets does when staff insert a row: cells below move down, notes and fills too."""
    sheet_id = emulator.tab_properties(sid, tab)["sheetId"]
    span = {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row - 1, "endIndex": row}
    answer = requests.post(
        f"{emulator.url}/v4/spreadsheets/{sid}:batchUpdate",
        json={"requests": [{"insertDimension": {"range": span}}]},
        timeout=5,
    )
    assert answer.status_code == 200


def test_a_mark_that_moved_with_inserted_rows_is_still_removed(emulator, token_client, sid):
    book = workbook(token_client, sid)
    book.read_tabs(["Toko"])
    book.write([], [CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-009 tidak ada.")])
    staff_insert_row_above(emulator, sid, "Toko", 2)  # the marked cell is now F4

    book.read_tabs(["Toko"])
    book.write([], [])

    for a1 in ("Toko!F3", "Toko!F4"):
        assert "note" not in emulator.cell(sid, a1)
        assert "userEnteredFormat" not in emulator.cell(sid, a1)
    assert emulator.cell(sid, "Toko!F4")["formattedValue"] == "DD-009"


def test_a_moved_mark_that_still_applies_keeps_the_staff_original(emulator, token_client, sid):
    staff_colour = {"red": 0.0, "green": 1.0, "blue": 0.0}
    emulator.set_cell(sid, "Toko!F3", userEnteredFormat={"backgroundColor": staff_colour})
    original = emulator.cell(sid, "Toko!F3")
    book = workbook(token_client, sid)
    book.read_tabs(["Toko"])
    book.write([], [CellMark("Toko", 3, "ID Duta", "error", "Salah.")])
    staff_insert_row_above(emulator, sid, "Toko", 2)

    for marks in ([CellMark("Toko", 4, "ID Duta", "error", "Salah.")], []):
        book.read_tabs(["Toko"])
        book.write([], marks)

    moved = emulator.cell(sid, "Toko!F4")
    assert moved["userEnteredFormat"] == original["userEnteredFormat"]
    assert "note" not in moved


def test_marks_on_unknown_tabs_or_columns_are_skipped(emulator, token_client, sid):
    book = workbook(token_client, sid)
    book.read_tabs(["Toko"])
    book.write(
        [], [CellMark("Toko", 2, "Tidak Ada", "error", "x"), CellMark("Nope", 2, "a", "error", "y")]
    )

    assert MARKS_TAB not in emulator.tab_titles(sid)
    assert "note" not in emulator.cell(sid, "Toko!B2")


# ---------------------------------------------------------------------------------- properties


CELLS = [(row, column) for row in (2, 3) for column in ("ID Toko", "Nama Toko", "ID Duta")]
A1 = {"ID Toko": "A", "Nama Toko": "C", "ID Duta": "F"}
STAFF_COLOURS = [{"red": 0.0, "green": 1.0, "blue": 0.0}, {"red": 0.2, "green": 0.4, "blue": 1.0}]
staff_edit = st.tuples(
    st.sampled_from(CELLS),
    st.one_of(st.sampled_from(["catatan A", "catatan B"]), st.sampled_from(STAFF_COLOURS)),
)
sync_step = st.tuples(st.sets(st.sampled_from(CELLS)), st.lists(staff_edit, max_size=2))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(staff_edit, max_size=3), st.lists(sync_step, min_size=1, max_size=3))
def test_marks_never_lose_what_staff_set(emulator, token_client, first_edits, steps):
    """Whatever marks come and go and whatever staff change meanwhile, once nothing is
    marked every cell shows exactly the note and colour staff last gave it."""
    sid = emulator.create_spreadsheet(staff_tabs())
    book = workbook(token_client, sid)
    for cell, edit in first_edits:
        staff_sets(emulator, sid, cell, edit)
    truth = {cell: look_of_cell(emulator, sid, cell) for cell in CELLS}
    for marked, edits in steps:
        book.read_tabs(["Toko"])
        book.write([], [CellMark("Toko", r, c, "error", f"Salah {r}{c}") for r, c in marked])
        for cell, edit in edits:
            staff_sets(emulator, sid, cell, edit)
            truth[cell] = staff_look(truth[cell], edit)
    book.read_tabs(["Toko"])
    book.write([], [])

    assert {cell: look_of_cell(emulator, sid, cell) for cell in CELLS} == truth


def staff_sets(emulator, sid, cell, edit) -> None:
    a1 = f"Toko!{A1[cell[1]]}{cell[0]}"
    if isinstance(edit, str):
        emulator.set_cell(sid, a1, note=edit)
    else:
        emulator.set_cell(sid, a1, userEnteredFormat={"backgroundColor": edit})


def staff_look(look: tuple, edit) -> tuple:
    note, colour = look
    if isinstance(edit, str):
        return edit, colour
    return note, json.dumps(colour_of({"backgroundColor": edit}), sort_keys=True)


def look_of_cell(emulator, sid, cell) -> tuple:
    data = emulator.cell(sid, f"Toko!{A1[cell[1]]}{cell[0]}")
    return data.get("note", ""), json.dumps(
        colour_of(data.get("userEnteredFormat")), sort_keys=True
    )


def colour_of(fmt) -> dict | None:
    rgb = (fmt or {}).get("backgroundColor")
    return {k: round(float(v), 2) for k, v in rgb.items() if v} if rgb else None  # 0 omitted
