"""Refusals wear Google's google.rpc envelope and messages: missing, unparsable, not a list,
private, and the cell, character and payload limits.

Every test's exchanges are also validated against the discovery document (conftest).
"""

from __future__ import annotations

from emulator_http import batch, call, values_path

from sheetsync.testing.sheets_emulator.emulator import SheetsEmulator


def test_error_envelopes_match_google(emulator, sid):
    missing = call(emulator, "GET", "/v4/spreadsheets/test", params={"includeGridData": "false"})
    bad_range = call(emulator, "GET", values_path(sid, "NOPE!A5:F15"))
    not_list = call(
        emulator,
        "PUT",
        values_path(sid, "'Sheet1'!A1"),
        params={"valueInputOption": "RAW"},
        json={"values": "X"},
    )
    private = call(emulator, "GET", "/v4/spreadsheets/" + emulator.create_spreadsheet(private=True))

    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }
    assert bad_range.json() == {
        "error": {
            "code": 400,
            "status": "INVALID_ARGUMENT",
            "message": "Unable to parse range: NOPE!A5:F15",
        }
    }
    assert not_list.json()["error"]["message"] == (
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\""
    )
    assert not_list.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "data.values"
    assert private.json()["error"] == {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }


def test_limits_are_googles_400s(discovery_schema):
    with SheetsEmulator(max_cells=30_000, max_request_bytes=200_000) as emu:
        sid = emu.create_spreadsheet()
        too_long = call(
            emu,
            "PUT",
            values_path(sid, "Sheet1!A1"),
            params={"valueInputOption": "RAW"},
            json={"values": [["x" * 50_001]]},
        )
        too_many = batch(
            emu,
            sid,
            {
                "addSheet": {
                    "properties": {
                        "title": "big",
                        "gridProperties": {"rowCount": 1000, "columnCount": 10},
                    }
                }
            },
        )
        too_big = call(
            emu,
            "PUT",
            values_path(sid, "Sheet1!A1"),
            params={"valueInputOption": "RAW"},
            json={"values": [["y" * 40_000]] * 6},
        )
        assert not emu.schema_problems(discovery_schema)

    assert too_long.json()["error"]["message"] == (
        "Your input contains more than the maximum of 50000 characters in a single cell."
    )
    assert too_many.json()["error"]["message"] == (
        "Invalid requests[0].addSheet: This action would increase the number of cells in the "
        "workbook above the limit of 30000 cells."
    )
    assert (
        too_big.json()["error"]["message"]
        == "Request payload size exceeds the limit: 200000 bytes."
    )
    assert {r.status_code for r in (too_long, too_many, too_big)} == {400}
