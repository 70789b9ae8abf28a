"""The values API answers like Google: golden bodies from real recordings (trimming, render
options, RAW text, append's table, batch endpoints) and ranges off the grid refused.

Every test's exchanges are also validated against the discovery document (conftest).
"""

from __future__ import annotations

from emulator_http import call, values_path


def test_values_get_trims_like_google(emulator, sid):
    put = call(
        emulator,
        "PUT",
        values_path(sid, "'Sheet1'!A1:D4"),
        params={"valueInputOption": "RAW"},
        json={
            "values": [["A1", "B1", "", "D1"], ["", "b2"], [], ["A4", "B4", "", "D4"]],
            "majorDimension": None,
        },
    )
    assert put.json() == {
        "spreadsheetId": sid,
        "updatedRange": "Sheet1!A1:D4",
        "updatedRows": 3,
        "updatedColumns": 4,
        "updatedCells": 10,
    }

    got = call(emulator, "GET", values_path(sid, "'Sheet1'!A1:D4")).json()
    empty = call(emulator, "GET", values_path(sid, "Sheet1!D3")).json()
    whole = call(emulator, "GET", values_path(sid, "'Sheet1'")).json()
    column = call(emulator, "GET", values_path(sid, "Sheet1!A:A")).json()

    assert got == {
        "range": "Sheet1!A1:D4",
        "majorDimension": "ROWS",
        "values": [["A1", "B1", "", "D1"], ["", "b2"], [], ["A4", "B4", "", "D4"]],
    }
    assert empty == {"range": "Sheet1!D3", "majorDimension": "ROWS"}
    assert whole["range"] == "Sheet1!A1:Z1000"
    assert column["range"] == "Sheet1!A1:A1000"


def test_render_options_match_the_recorded_answers(emulator, sid):
    rows = [["=4/2", "2020-01-01", "string", 53], ["=3/2", 0.12, "1999-01-02", ""]]
    call(
        emulator,
        "PUT",
        values_path(sid, "Sheet1!A1"),
        params={"valueInputOption": "USER_ENTERED"},
        json={"values": rows},
    )

    def get(**params):
        return call(emulator, "GET", values_path(sid, "Sheet1!A1:D2"), params=params).json()

    assert get()["values"] == [["2", "2020-01-01", "string", "53"], ["1.5", "0.12", "1999-01-02"]]
    assert get(valueRenderOption="UNFORMATTED_VALUE")["values"] == [
        [2, 43831, "string", 53],
        [1.5, 0.12, 36162],
    ]
    assert (
        get(valueRenderOption="UNFORMATTED_VALUE", dateTimeRenderOption="FORMATTED_STRING")[
            "values"
        ][0][1]
        == "2020-01-01"
    )
    assert get(valueRenderOption="FORMULA")["values"] == [
        ["=4/2", 43831, "string", 53],
        ["=3/2", 0.12, 36162],
    ]


def test_raw_keeps_formula_like_text_as_text(emulator, sid):
    texts = ['=IMPORTXML("http://x","//a")', "+62812", "-1", "@x", "0012", "1,5"]
    call(
        emulator,
        "PUT",
        values_path(sid, "Sheet1!A1"),
        params={"valueInputOption": "RAW"},
        json={"values": [texts]},
    )

    got = call(
        emulator,
        "GET",
        values_path(sid, "Sheet1!A1:F1"),
        params={"valueRenderOption": "UNFORMATTED_VALUE"},
    ).json()
    assert got["values"] == [texts]
    assert emulator.cell(sid, "Sheet1!A1")["userEnteredValue"] == {"stringValue": texts[0]}


def test_append_finds_the_table_and_clear_echoes_the_full_grid(emulator, sid):
    path = values_path(sid, "'Sheet1'") + ":append"
    first = call(
        emulator,
        "POST",
        path,
        params={"valueInputOption": "RAW"},
        json={"values": [["a", "b", "c"]]},
    ).json()
    second = call(
        emulator, "POST", path, params={"valueInputOption": "RAW"}, json={"values": [["d", "e"]]}
    ).json()
    cleared = call(emulator, "POST", values_path(sid, "'Sheet1'") + ":clear").json()

    assert "tableRange" not in first
    assert first["updates"]["updatedRange"] == "Sheet1!A1:C1"
    assert second["tableRange"] == "Sheet1!A1:C1"
    assert second["updates"]["updatedRange"] == "Sheet1!A2:B2"
    assert cleared == {"spreadsheetId": sid, "clearedRange": "Sheet1!A1:Z1000"}


def test_values_batch_endpoints(emulator, sid):
    update = call(
        emulator,
        "POST",
        f"/v4/spreadsheets/{sid}/values:batchUpdate",
        json={
            "valueInputOption": "RAW",
            "includeValuesInResponse": None,
            "data": [
                {"range": "'Sheet1'!A1:D1", "values": [["A1", "B1", "", "D1"]]},
                {"range": "'Sheet1'!A4:D4", "values": [["A4", "B4", "", "D4"]]},
            ],
        },
    ).json()
    got = call(
        emulator,
        "GET",
        f"/v4/spreadsheets/{sid}/values:batchGet",
        params=[("ranges", "Sheet1!A1:A4"), ("ranges", "'Sheet1'!D1")],
    ).json()
    cleared = call(
        emulator,
        "POST",
        f"/v4/spreadsheets/{sid}/values:batchClear",
        json={"ranges": ["Sheet1!A1:B1", "Sheet1!C2:E2"]},
    ).json()

    assert {k: v for k, v in update.items() if k != "responses"} == {
        "spreadsheetId": sid,
        "totalUpdatedRows": 2,
        "totalUpdatedColumns": 4,
        "totalUpdatedCells": 8,
        "totalUpdatedSheets": 1,
    }
    assert got["valueRanges"] == [
        {"range": "Sheet1!A1:A4", "majorDimension": "ROWS", "values": [["A1"], [], [], ["A4"]]},
        {"range": "Sheet1!D1", "majorDimension": "ROWS", "values": [["D1"]]},
    ]
    assert cleared["clearedRanges"] == ["Sheet1!A1:B1", "Sheet1!C2:E2"]


def test_ranges_off_the_grid_are_refused_like_google(emulator, sid):
    read = call(emulator, "GET", values_path(sid, "Sheet1!1001:1002"))
    write = call(
        emulator,
        "PUT",
        values_path(sid, "'Sheet1'!A1001"),
        params={"valueInputOption": "RAW"},
        json={"values": [["x"]]},
    )
    grows = call(
        emulator,
        "PUT",
        values_path(sid, "Sheet1!Z1000"),
        params={"valueInputOption": "RAW"},
        json={"values": [["a", "b"], ["c"]]},
    )

    assert read.json()["error"]["message"] == (
        "Range (Sheet1!1001:1002) exceeds grid limits. Max rows: 1000, max columns: 26"
    )
    assert write.json()["error"]["message"] == (
        "Range (Sheet1!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    )
    assert grows.json()["updatedRange"] == "Sheet1!Z1000:AA1001"
    assert emulator.tab_properties(sid, "Sheet1")["gridProperties"] == {
        "rowCount": 1001,
        "columnCount": 27,
    }
