"""spreadsheets.batchUpdate answers like Google: replies with default fields omitted,
atomic batches, Google's refusals, cell and grid-data requests read back through a mask.

Every test's exchanges are also validated against the discovery document (conftest).
"""

from __future__ import annotations

from emulator_http import batch, call


def test_add_sheet_reply_and_default_fields_omitted(emulator, sid):
    reply = batch(
        emulator,
        sid,
        {
            "addSheet": {
                "properties": {
                    "title": "finances",
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": 100, "columnCount": 100},
                }
            }
        },
    ).json()
    props = reply["replies"][0]["addSheet"]["properties"]
    hide = batch(
        emulator,
        sid,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": props["sheetId"], "hidden": True},
                "fields": "hidden",
            }
        },
    )
    shown = batch(
        emulator,
        sid,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": props["sheetId"], "hidden": False},
                "fields": "hidden",
            }
        },
    )
    meta = call(
        emulator, "GET", f"/v4/spreadsheets/{sid}", params={"includeGridData": "false"}
    ).json()

    assert props == {
        "sheetId": props["sheetId"],
        "title": "finances",
        "index": 1,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 100, "columnCount": 100},
    }
    assert 0 < props["sheetId"] < 2**31
    assert hide.json()["replies"] == [{}] and shown.status_code == 200
    assert meta["sheets"][0]["properties"] == {
        "sheetId": 0,
        "title": "Sheet1",
        "index": 0,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 1000, "columnCount": 26},
    }
    assert "hidden" not in meta["sheets"][1]["properties"]
    assert set(meta) == {"spreadsheetId", "properties", "sheets", "spreadsheetUrl"}


def test_batch_update_is_atomic(emulator, sid):
    answer = batch(
        emulator,
        sid,
        {"addSheet": {"properties": {"title": "new"}}},
        {"deleteSheet": {"sheetId": 999}},
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "error": {
            "code": 400,
            "status": "INVALID_ARGUMENT",
            "message": "Invalid requests[1].deleteSheet: No grid with id: 999",
        }
    }
    assert emulator.tab_titles(sid) == ["Sheet1"]


def test_hiding_every_sheet_is_refused_with_googles_message(emulator, sid):
    answer = batch(
        emulator,
        sid,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "hidden": True},
                "fields": "hidden",
            }
        },
    )

    assert answer.json()["error"]["message"] == (
        "Invalid requests[0].updateSheetProperties: You can't hide all the sheets in a document."
    )


def test_update_cells_repeat_cell_and_grid_data(emulator, sid):
    batch(
        emulator,
        sid,
        {
            "updateCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "rows": [
                    {"values": [{"userEnteredValue": {"stringValue": "x"}, "note": "read my note"}]}
                ],
                "fields": "userEnteredValue,note",
            }
        },
        {
            "repeatCell": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "cell": {"userEnteredFormat": {"backgroundColor": {"red": 1}}},
                "fields": "userEnteredFormat(backgroundColor)",
            }
        },
        {"updateSpreadsheetProperties": {"properties": {"title": "Baru"}, "fields": "title"}},
    )
    meta = call(
        emulator,
        "GET",
        f"/v4/spreadsheets/{sid}",
        params={
            "includeGridData": "true",
            "ranges": "Sheet1!A1:B1",
            "fields": "properties.title,sheets.data.rowData.values(note,formattedValue,"
            "userEnteredFormat.backgroundColorStyle)",
        },
    ).json()

    assert meta == {
        "properties": {"title": "Baru"},
        "sheets": [
            {
                "data": [
                    {
                        "rowData": [
                            {
                                "values": [
                                    {
                                        "formattedValue": "x",
                                        "note": "read my note",
                                        "userEnteredFormat": {
                                            "backgroundColorStyle": {"rgbColor": {"red": 1}}
                                        },
                                    },
                                    {
                                        "userEnteredFormat": {
                                            "backgroundColorStyle": {"rgbColor": {"red": 1}}
                                        }
                                    },
                                ]
                            }
                        ]
                    }
                ]
            }
        ],
    }
