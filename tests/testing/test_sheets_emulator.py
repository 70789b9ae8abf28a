"""The emulator answers like Google: golden bodies from real recordings, limits, faults, auth.

Every test's exchanges are also validated against the discovery document (conftest)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
import requests
from google.auth.credentials import AnonymousCredentials
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import service_account
from hypothesis import given
from hypothesis import strategies as st

from sheetsync.testing.fake_service_account import make_service_account_info
from sheetsync.testing.sheets_emulator import (
    HTML_503,
    RATE_LIMIT_BODY,
    Box,
    Fault,
    SheetsEmulator,
    column_index,
    column_letters,
    parse_a1,
    parse_mask,
    quote_title,
    split_range,
)


def call(emu: SheetsEmulator, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, emu.url + path, timeout=5, **kwargs)


def values_path(sid: str, rng: str) -> str:
    return f"/v4/spreadsheets/{sid}/values/" + requests.utils.quote(rng, safe="")


@pytest.fixture
def sid(emulator: SheetsEmulator) -> str:
    return emulator.create_spreadsheet(title="t")  # one empty Sheet1, 1000 x 26, like Drive


# -------------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("Sheet1", "Sheet1"),
        ("finances", "finances"),
        ("D3", "'D3'"),
        ("KPI Toko", "'KPI Toko'"),
        ("Bu'Rina", "'Bu''Rina'"),
        ("🌵 test", "'🌵 test'"),
        ("R1C1", "'R1C1'"),
    ],
)
def test_titles_are_quoted_only_when_needed(title, quoted):
    assert quote_title(title) == quoted
    assert split_range(f"{quoted}!A1")[0] == title


@pytest.mark.parametrize(
    ("a1", "box"),
    [
        ("A1", (0, 0, 1, 1)),
        ("A1:D4", (0, 0, 4, 4)),
        ("D4:A1", (0, 0, 4, 4)),
        ("A:A", (0, 0, 1000, 1)),
        ("A1:1", (0, 0, 1, 26)),
        ("B2:C", (1, 1, 1000, 3)),
        ("2:3", (1, 0, 3, 26)),
    ],
)
def test_a1_ranges_open_ends_reach_the_grid_edge(a1, box):
    got = parse_a1(a1, 1000, 26)
    assert got is not None and (got.r0, got.c0, got.r1, got.c1) == box


@given(st.integers(0, 998), st.integers(1, 1000), st.integers(0, 700), st.integers(1, 702))
def test_every_box_reads_back_from_its_a1_echo(r0, height, c0, width):
    box = Box(r0, c0, r0 + min(height, 1000 - r0), c0 + min(width, 702 - c0))

    assert parse_a1(box.a1(), 1000, 702) == box
    assert column_index(column_letters(c0)) == c0


@pytest.mark.parametrize("a1", ["", "A", "1", "A0", "A1:", "!!", "ABCD1"])
def test_bad_a1_is_refused(a1):
    assert parse_a1(a1, 1000, 26) is None


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


# ------------------------------------------------------------------------ golden value bodies


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


# ------------------------------------------------------------------------------ batchUpdate


def batch(emu, sid, *requests_):
    return call(
        emu, "POST", f"/v4/spreadsheets/{sid}:batchUpdate", json={"requests": list(requests_)}
    )


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


def test_spreadsheets_create(emulator):
    made = call(
        emulator,
        "POST",
        "/v4/spreadsheets",
        json={
            "properties": {"title": "Program"},
            "sheets": [{"properties": {"title": "Desa"}}, {"properties": {"title": "Duta"}}],
        },
    ).json()

    assert made["properties"]["title"] == "Program"
    assert [s["properties"]["title"] for s in made["sheets"]] == ["Desa", "Duta"]
    assert made["sheets"][0]["properties"]["sheetId"] == 0
    assert emulator.tab_titles(made["spreadsheetId"]) == ["Desa", "Duta"]


# ------------------------------------------------------------------------- errors and limits


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


def test_a_tab_can_be_looked_at_as_html(emulator):
    sid = emulator.create_spreadsheet({"Toko": [["ID Toko"], ["<007>"]]})
    emulator.set_cell(
        sid,
        "Toko!A2",
        note="Periksa",
        userEnteredFormat={"backgroundColor": {"red": 1, "green": 0.78039217, "blue": 0.80784315}},
    )

    page = emulator.tab_html(sid, "Toko")

    assert '<td style="background:#ffc7ce;">&lt;007&gt; <sup' in page
    assert "<li>A2: Periksa</li>" in page


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


def test_quota_of_requests_per_minute(discovery_schema):
    now = [0.0]
    with SheetsEmulator(quota_per_minute=3, clock=lambda: now[0]) as emu:
        sid = emu.create_spreadsheet()
        path = f"/v4/spreadsheets/{sid}"
        reads = [call(emu, "GET", path).status_code for _ in range(4)]
        write = batch(
            emu,
            sid,
            {"updateSpreadsheetProperties": {"properties": {"title": "x"}, "fields": "title"}},
        )
        refused = call(emu, "GET", path).json()
        now[0] = 61.0
        later = call(emu, "GET", path).status_code
        assert not emu.schema_problems(discovery_schema)

    assert reads == [200, 200, 200, 429] and write.status_code == 200 and later == 200
    assert refused["error"]["details"][0]["metadata"]["quota_limit"] == (
        "ReadRequestsPerMinutePerUser"
    )


def test_faults_answer_with_googles_bodies_then_recover(emulator, sid):
    emulator.inject(
        Fault.rate_limited(), Fault.internal_error(), Fault.html_unavailable(), Fault.slow(0.05)
    )
    path = f"/v4/spreadsheets/{sid}"
    answers = [call(emulator, "GET", path) for _ in range(5)]

    assert [a.status_code for a in answers] == [429, 500, 503, 200, 200]
    assert answers[0].json() == RATE_LIMIT_BODY
    assert answers[0].json()["error"]["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    assert answers[2].headers["Content-Type"].startswith("text/html")
    assert answers[2].text == HTML_503
    assert answers[3].elapsed.total_seconds() >= 0.05


# -------------------------------------------------------------------------------------- auth


def test_token_endpoint_checks_the_jwt_signature(emulator, service_account_info):
    trusted = {**service_account_info, "token_uri": emulator.token_uri}
    emulator.trust_service_account(trusted)
    impostor = make_service_account_info(emulator.token_uri)  # same email, another key
    scopes = ["https://www.googleapis.com/auth/spreadsheets"]
    good = service_account.Credentials.from_service_account_info(trusted, scopes=scopes)
    bad = service_account.Credentials.from_service_account_info(impostor, scopes=scopes)
    stranger = good.with_claims({"iss": "someone@else.iam.gserviceaccount.com"})

    good.refresh(Request())
    with pytest.raises(RefreshError, match="Invalid JWT Signature"):
        bad.refresh(Request())
    with pytest.raises(RefreshError, match="account not found"):
        stranger.refresh(Request())
    assert good.token.startswith("ya29.emulator-")


def test_require_auth_answers_401_without_a_token(discovery_schema):
    with SheetsEmulator(require_auth=True) as emu:
        sid = emu.create_spreadsheet()
        answer = call(emu, "GET", f"/v4/spreadsheets/{sid}")
        emu.allow_token("t0k")
        ok = call(emu, "GET", f"/v4/spreadsheets/{sid}", headers={"Authorization": "Bearer t0k"})
        assert not emu.schema_problems(discovery_schema)

    assert answer.status_code == 401 and answer.json()["error"]["status"] == "UNAUTHENTICATED"
    assert ok.status_code == 200


# ------------------------------------------------------------------ a second, independent client


def test_discovery_built_client_agrees_with_gspread(emulator, token_client, sid):
    from googleapiclient.discovery import build

    with build(
        "sheets",
        "v4",
        credentials=AnonymousCredentials(),
        static_discovery=True,
        client_options={"api_endpoint": emulator.url + "/"},
    ) as service:
        values = service.spreadsheets().values()
        values.update(
            spreadsheetId=sid,
            range="Sheet1!A1",
            valueInputOption="RAW",
            body={"values": [["007", "=1+1"], ["x"]]},
        ).execute()
        by_discovery = values.get(spreadsheetId=sid, range="Sheet1!A1:B2").execute()
    by_gspread = token_client.open_by_key(sid).sheet1.get("A1:B2")

    assert by_discovery["values"] == [["007", "=1+1"], ["x"]]
    assert by_gspread == by_discovery["values"]


# ----------------------------------------------------------------------------------- command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment_on_this_clock() -> dict[str, str]:
    """Under libfaketime ("@instant") the child's clock does not follow ours (it restarts or
    follows faketime's shared-memory ticks), so it sees the JWT we sign as issued in its
    future. Start the child's own clock where ours is now (real machines share one clock)."""
    env = dict(os.environ)
    if env.get("FAKETIME", "").startswith("@"):
        # FAKETIME takes whole seconds: round up, so the child is never behind us.
        env["FAKETIME"] = time.strftime("@%Y-%m-%d %H:%M:%S", time.localtime(time.time() + 1))
        env.pop("FAKETIME_SHARED", None)
    return env


def test_command_line_serves_a_seeded_workbook_quietly_until_killed(tmp_path):
    import openpyxl

    from sheetsync.workbook.gsheets import GSheetsWorkbook, make_client

    xlsx = tmp_path / "program.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Toko"
    book.active.append(["ID Toko", "Nama Toko"])
    book.active.append(["007", "Kopi"])
    book.create_sheet("KPI Toko").append(["not", "seeded"])
    book.save(xlsx)
    key, port = tmp_path / "sa.json", free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sheetsync.testing.sheets_emulator",
            "--port",
            str(port),
            "--service-account",
            str(key),
            "--seed",
            str(xlsx),
            "--spreadsheet-id",
            "demo",
            "--require-auth",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment_on_this_clock(),
    )
    try:
        wait_for(key.exists)
        client = make_client(key, endpoint=f"http://127.0.0.1:{port}", timeout=5)
        tables = GSheetsWorkbook(client, "demo").read_tabs(["Toko", "KPI Toko"])
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert tables["Toko"].rows == (("007", "Kopi"),)
    assert "KPI Toko" not in tables  # only staff tabs are seeded
    assert out == b"" and err == b""


def wait_for(ready) -> None:
    for _ in range(200):
        try:
            if ready():
                return
        except (requests.ConnectionError, ValueError):
            pass
        time.sleep(0.05)
    raise AssertionError("emulator did not start")
