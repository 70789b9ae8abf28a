"""Field masks parse into the nested trees that select and update fields."""

from __future__ import annotations

from sheetsync.testing.sheets_emulator.masks import parse_mask


def test_field_masks_parse_nested_groups():
    assert parse_mask(
        "sheets(properties(sheetId,title),data.rowData.values(note)),spreadsheetId"
    ) == {
        "sheets": {
            "properties": {"sheetId": {}, "title": {}},
            "data": {"rowData": {"values": {"note": {}}}},
        },
        "spreadsheetId": {},
    }
