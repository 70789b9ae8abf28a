"""`sheetsync init --backend gsheets`: the staff tabs a spreadsheet lacks are added, the
others left alone."""

from __future__ import annotations

import json

from sheetsync.contract import STAFF_TABS, TOKO
from sheetsync.workbook.gsheets.client import make_client
from sheetsync.workbook.gsheets.staff_tabs import init_spreadsheet


def test_init_adds_missing_staff_tabs_and_leaves_existing_ones(emulator, service_account_key):
    sid = emulator.create_spreadsheet({"Desa": [["Kode Desa"], ["keep me"]]})
    client = make_client(service_account_key, endpoint=emulator.url, timeout=5)

    added, email = init_spreadsheet(client, sid)

    assert email == json.loads(service_account_key.read_text())["client_email"]
    assert set(added) == {t.name for t in STAFF_TABS} - {"Desa"}
    assert emulator.tab_values(sid, "Desa") == [["Kode Desa"], ["keep me"]]
    assert emulator.tab_values(sid, "Toko") == [list(TOKO.headers)]
    validation = emulator.cell(sid, "Toko!B2")["dataValidation"]
    assert [v["userEnteredValue"] for v in validation["condition"]["values"]][:2] == [
        "Shopee",
        "Tokopedia",
    ]
    assert emulator.cell(sid, "Toko!A1")["note"] == TOKO.note
    assert init_spreadsheet(client, sid).added_tabs == ()


def test_cli_init_backend_gsheets_prepares_the_spreadsheet(tmp_path, emulator, service_account_key):
    """`sheetsync init --backend gsheets` adds the staff tabs and names whom to share with."""
    from click.testing import CliRunner

    from sheetsync.cli import cli

    sid = emulator.create_spreadsheet({"Catatan staf": [["jangan dihapus"]]})
    args = [
        "init", str(tmp_path / "prog"), "--backend", "gsheets", "--spreadsheet-id", sid,
        "--credentials", str(service_account_key), "--endpoint", emulator.url,
    ]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    email = json.loads(service_account_key.read_text())["client_email"]
    assert f"Share the spreadsheet (Editor) with the service account: {email}" in result.output
    assert set(emulator.tab_titles(sid)) >= {t.name for t in STAFF_TABS} | {"Catatan staf"}
    assert emulator.tab_values(sid, "Catatan staf") == [["jangan dihapus"]]
    again = CliRunner().invoke(cli, args)
    assert "all staff tabs already present" in again.output
