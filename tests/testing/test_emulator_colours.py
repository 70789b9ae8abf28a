"""Colours are stored as Sheets stores them, so a colour read back and written again stays put."""

from __future__ import annotations


def test_colours_are_stored_as_sheets_stores_them(emulator, sid):
    emulator.set_cell(
        sid,
        "Sheet1!A1",
        userEnteredFormat={"backgroundColor": {"red": 0.5, "green": 0, "blue": 0.2588235294}},
    )
    first = emulator.cell(sid, "Sheet1!A1")["userEnteredFormat"]
    emulator.set_cell(sid, "Sheet1!A1", userEnteredFormat=first)  # written back as read

    assert first["backgroundColor"] == {"red": 0.49803922, "blue": 0.25882354}
    assert first["backgroundColorStyle"] == {"rgbColor": first["backgroundColor"]}
    assert emulator.cell(sid, "Sheet1!A1")["userEnteredFormat"] == first
