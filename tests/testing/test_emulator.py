"""The emulator as a whole: spreadsheets.create, and a second, independent client (the
discovery-built Google API client) agreeing with gspread on what it serves.

Every test's exchanges are also validated against the discovery document (conftest).
"""

from __future__ import annotations

from emulator_http import call
from google.auth.credentials import AnonymousCredentials


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
