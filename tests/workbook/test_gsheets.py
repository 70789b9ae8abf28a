"""The Google Sheets backend (GSheetsWorkbook) against the loopback emulator, through
unmodified gspread: reading, writing, and the errors a person can act on."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from gsheets_samples import UNTRUSTED, kpi_tab, staff_tabs, workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.contract import MARKS_TAB, STAFF_TABS, TOKO
from sheetsync.errors import RemoteError, SinkError
from sheetsync.tabs import CellMark, OutputTab
from sheetsync.testing.sheets_emulator import Fault
from sheetsync.workbook.gsheets.client import make_client

# ------------------------------------------------------------------------------------- reading


def test_read_returns_text_exactly_as_typed(emulator, token_client, sid):
    tables = workbook(token_client, sid).read_tabs([t.name for t in STAFF_TABS])

    assert set(tables) == {"Desa", "Duta", "Toko"}  # missing tabs are simply absent
    toko = tables["Toko"]
    assert toko.header == TOKO.headers
    assert toko.rows[0][0] == "007"
    assert toko.rows[1][2] == "=HYPERLINK(1)"
    assert tables["Duta"].rows[0][3] == "081234567890"
    assert tables["Duta"].rows[1][3] == "+6281298765432"
    assert toko.rows[1][3] == ""  # padded to the header width


def test_read_matches_tab_names_loosely_and_tolerates_bad_headers(emulator, token_client):
    sid = emulator.create_spreadsheet(
        {" desa ": [["Kode Desa", "Kode Desa", "", "Nama"], ["1", "2", "x", "y", "beyond"], []]}
    )
    tables = workbook(token_client, sid).read_tabs(["Desa"])

    assert tables["Desa"].header == ("Kode Desa", "Kode Desa", "", "Nama")
    assert tables["Desa"].rows == (("1", "2", "x", "y"),)


def test_read_shows_numbers_as_the_sheet_displays_them(emulator, token_client):
    sid = emulator.create_spreadsheet({"Target": [["Bulan", "Penjualan (Rp)"]]})
    emulator.set_cell(
        sid,
        "Target!B2",
        userEnteredValue={"numberValue": 1250000},
        userEnteredFormat={"numberFormat": {"type": "NUMBER", "pattern": "#,##0"}},
    )
    emulator.set_cell(sid, "Target!A2", userEnteredValue={"stringValue": "2026-08"})

    tables = workbook(token_client, sid).read_tabs(["Target"])

    assert tables["Target"].rows == (("2026-08", "1,250,000"),)


# ------------------------------------------------------------------------------------- writing


def test_untrusted_text_is_written_as_text_and_reads_back_unchanged(emulator, token_client, sid):
    book = workbook(token_client, sid)
    book.write([kpi_tab(len(UNTRUSTED))], [])

    for row, text in enumerate(UNTRUSTED, start=2):
        cell = emulator.cell(sid, f"'KPI Toko'!B{row}")
        assert cell["userEnteredValue"] == {"stringValue": text}
    read = book.read_tabs(["KPI Toko"])["KPI Toko"]
    assert [r[1] for r in read.rows] == UNTRUSTED
    numbers = emulator.tab_values(sid, "KPI Toko", render="UNFORMATTED_VALUE")
    assert numbers[3][2] == 2_500_000 and numbers[3][3] == 0.2  # numbers stay numbers


def test_output_tab_gets_bold_frozen_header_and_number_formats(emulator, token_client, sid):
    workbook(token_client, sid).write([kpi_tab()], [])

    props = emulator.tab_properties(sid, "KPI Toko")
    assert props["gridProperties"] == {"rowCount": 4, "columnCount": 4, "frozenRowCount": 1}
    assert emulator.cell(sid, "'KPI Toko'!A1")["userEnteredFormat"]["textFormat"]["bold"]
    assert emulator.tab_values(sid, "KPI Toko")[2][2:] == ["Rp 1,250,000", "10.0%"]
    meta = token_client.http_client.fetch_sheet_metadata(sid)
    kpi = next(s for s in meta["sheets"] if s["properties"]["title"] == "KPI Toko")
    assert kpi["basicFilter"]["range"] | {"sheetId": 0} == {
        "sheetId": 0,
        "startRowIndex": 0,
        "endRowIndex": 4,
        "startColumnIndex": 0,
        "endColumnIndex": 4,
    }


def test_rewrite_replaces_the_tab_whole(emulator, token_client, sid):
    book = workbook(token_client, sid)
    book.write([kpi_tab(10)], [])
    book.write([kpi_tab(2)], [])

    assert len(emulator.tab_values(sid, "KPI Toko")) == 3
    assert emulator.tab_properties(sid, "KPI Toko")["gridProperties"]["rowCount"] == 3


def test_a_sync_costs_three_requests_and_never_touches_staff_values(emulator, token_client, sid):
    before = {t: emulator.tab_values(sid, t) for t in ("Desa", "Duta", "Toko")}
    book = workbook(token_client, sid)
    emulator.clear_log()

    book.read_tabs([t.name for t in STAFF_TABS])
    book.write(
        [kpi_tab(50), OutputTab("Validasi", ("Pesan",), [["x"]]), OutputTab("Log", ("a",), [])],
        [CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-009 tidak ada di tab Duta.")],
    )

    operations = [e.operation.rsplit(".", 1)[1] for e in emulator.api_requests()]
    assert operations == ["get", "batchGet", "batchUpdate"]
    assert book.sheets_requests == 3
    assert {t: emulator.tab_values(sid, t) for t in before} == before


def test_write_alone_reads_what_it_needs_within_the_budget(emulator, token_client, sid):
    book = workbook(token_client, sid)
    book.write([kpi_tab()], [CellMark("Duta", 3, "Email", "error", "Email tidak lengkap.")])

    assert book.sheets_requests == 3
    assert emulator.cell(sid, "Duta!E3")["note"] == "Email tidak lengkap."


def test_whether_the_spreadsheet_shows_the_last_write_is_told_by_the_read_alone(
    emulator, token_client, sid
):
    names = [t.name for t in STAFF_TABS]
    tabs = [kpi_tab(5), OutputTab("Validasi", ("Pesan",), [["x"]])]
    marks = [
        CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-009 tidak ada di tab Duta."),
        CellMark("Duta", 3, "Email", "warning", "Email tidak lengkap."),
    ]
    first = workbook(token_client, sid)
    first.read_tabs(names)
    first.write([*tabs, OutputTab("Log", ("a",), [["1"]])], marks)
    token = first.last_write_token()
    assert token is not None
    later = workbook(token_client, sid)
    emulator.clear_log()

    later.read_tabs(names)

    longer_log = OutputTab("Log", ("a",), [["2"], ["1"]])
    assert later.shows_last_write(token, [*tabs, longer_log], marks)
    assert later.sheets_requests == 2
    missing = OutputTab("KPI Desa", ("Kode",), [])
    assert not later.shows_last_write(token, [*tabs, missing], marks)  # a tab not there
    assert not later.shows_last_write(token, [kpi_tab(6), tabs[1]], marks)  # another size
    assert not later.shows_last_write(token, tabs, marks[:1])  # a mark to take off
    added = CellMark("Toko", 2, "ID Duta", "error", "Baru.")
    assert not later.shows_last_write(token, tabs, [*marks, added])  # a new mark
    other = CellMark("Toko", 3, "ID Duta", "warning", "ID Duta DD-009 tidak ada di tab Duta.")
    assert not later.shows_last_write(token, tabs, [other, marks[1]])  # another colour
    assert not later.shows_last_write("another-spreadsheet", tabs, marks)
    assert not workbook(token_client, sid).shows_last_write(token, tabs, marks)  # no read


def test_refuses_to_write_a_staff_tab(token_client, sid):
    with pytest.raises(SinkError, match="Toko"):
        workbook(token_client, sid).write([OutputTab("Toko", ("a",), [])], [])


def test_refuses_a_cell_over_50000_characters_before_writing(emulator, token_client, sid):
    book = workbook(token_client, sid)
    book.read_tabs(["Toko"])
    emulator.clear_log()
    tab = OutputTab("Validasi", ("Pesan",), [["ok"], ["x" * 50_001]])

    with pytest.raises(SinkError, match=r"cell A3 holds 50,001 characters"):
        book.write([tab], [])
    assert emulator.api_requests() == []


def test_refuses_to_pass_the_cell_limit_before_writing(emulator, token_client, sid):
    book = workbook(token_client, sid, max_cells=1_600)
    book.read_tabs(["Toko"])
    emulator.clear_log()

    with pytest.raises(SinkError, match="limit of 1,600"):
        book.write([kpi_tab(20)], [])
    assert emulator.api_requests() == []


def test_a_write_above_the_size_limit_goes_in_parts_and_matches_one_request(emulator, token_client):
    small, big = (
        emulator.create_spreadsheet(staff_tabs()),
        emulator.create_spreadsheet(staff_tabs()),
    )
    marks = [CellMark("Toko", 3, "ID Duta", "error", "ID Duta DD-009 tidak ada di tab Duta.")]
    for sid in (small, big):
        workbook(token_client, sid).write([kpi_tab(5)], [])  # an old version to replace
    one = workbook(token_client, small)
    parts = workbook(token_client, big, max_request_bytes=20_000)

    one.write([kpi_tab(300), OutputTab("Log", ("a",), [["x"]])], marks)
    parts.write([kpi_tab(300), OutputTab("Log", ("a",), [["x"]])], marks)

    assert one.sheets_requests == 3 and parts.sheets_requests > 5
    sizes = [
        len(json.dumps(e.request_body, ensure_ascii=False).encode())
        for e in emulator.api_requests()
        if e.operation.endswith(".batchUpdate") and big in e.path
    ]
    assert len(sizes) > 3 and max(sizes) <= 20_000
    assert emulator.tab_titles(big) == emulator.tab_titles(small)
    for tab in ("KPI Toko", "Log", MARKS_TAB):
        assert emulator.tab_values(big, tab) == emulator.tab_values(small, tab)
        assert emulator.tab_properties(big, tab) | {"sheetId": 0} == emulator.tab_properties(
            small, tab
        ) | {"sheetId": 0}
    assert emulator.cell(big, "Toko!F3") == emulator.cell(small, "Toko!F3")


def test_a_split_write_that_fails_midway_changes_nothing_visible(emulator, token_client, sid):
    book = workbook(token_client, sid, max_request_bytes=20_000)
    book.write([kpi_tab(5)], [])
    previous = emulator.tab_values(sid, "KPI Toko")
    emulator.inject(
        Fault(
            500,
            json.dumps({"error": {"code": 500, "message": "x", "status": "INTERNAL"}}),
            times=None,
            path_contains=":batchUpdate",
            after=2,
        )
    )

    with pytest.raises(RemoteError):
        book.write([kpi_tab(300)], [])

    assert emulator.tab_values(sid, "KPI Toko") == previous
    leftovers = [t for t in emulator.tab_titles(sid) if t.startswith("_sheetsync_staging")]
    assert leftovers and all(emulator.tab_properties(sid, t)["hidden"] for t in leftovers)
    emulator.clear_faults()
    book.write([kpi_tab(300)], [])
    assert not [t for t in emulator.tab_titles(sid) if t.startswith("_sheetsync_staging")]
    assert len(emulator.tab_values(sid, "KPI Toko")) == 301


# ------------------------------------------------------------------ errors a person can act on


def test_not_shared_names_the_service_account(emulator, service_account_key):
    sid = emulator.create_spreadsheet(staff_tabs(), private=True)
    client = make_client(service_account_key, endpoint=emulator.url, timeout=5)
    email = json.loads(service_account_key.read_text())["client_email"]

    with pytest.raises(RemoteError) as caught:
        workbook(client, sid).read_tabs(["Desa"])

    assert f"not shared with the service account {email}" in str(caught.value)
    assert f"add {email} as Editor" in str(caught.value)
    assert not caught.value.retryable


def test_unknown_spreadsheet_names_the_id(token_client):
    with pytest.raises(RemoteError, match="Spreadsheet 1NoSuchSheet was not found"):
        workbook(token_client, "1NoSuchSheet").read_tabs(["Desa"])


def test_disabled_api_says_so(emulator, token_client, sid):
    emulator.inject(Fault.service_disabled())

    with pytest.raises(RemoteError, match="Google Sheets API is disabled") as caught:
        workbook(token_client, sid).read_tabs(["Desa"])
    assert "https://console.developers.google.com/apis/api/sheets.googleapis.com" in str(
        caught.value
    )


# ---------------------------------------------------------------------------------- properties


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=60), min_size=1, max_size=6
    )
)
def test_any_text_round_trips_unchanged(emulator, token_client, texts):
    sid = emulator.create_spreadsheet()
    book = workbook(token_client, sid)
    book.write([OutputTab("Validasi", ("Nilai",), [[t] for t in texts])], [])

    rows = book.read_tabs(["Validasi"])["Validasi"].rows
    expected = list(texts)
    while expected and not expected[-1]:
        expected.pop()
    assert [r[0] for r in rows] == expected


# ---------------------------------------------------------------------------- the whole demo


@pytest.mark.slow
def test_demo_sync_on_gsheets_matches_the_local_workbook(tmp_path, emulator, service_account_key):
    """The demo programme synced once from its .xlsx and once from the emulator (seeded with
    the same staff tabs): same KPI tabs, three Sheets requests, staff values untouched."""
    import shutil

    from sheetsync import pipeline
    from sheetsync.config import load_config
    from sheetsync.demo import write_demo
    from sheetsync.scaffold import demo_config_text
    from sheetsync.testing.sheets_emulator import tabs_from_xlsx

    now = dt.datetime(2026, 9, 10, 6, 0)
    local, remote = tmp_path / "local", tmp_path / "remote"
    month = write_demo(local, today=now.date()).months[-1]
    (local / "sheetsync.toml").write_text(demo_config_text(), encoding="utf-8")
    staff = tabs_from_xlsx(str(local / "data" / "program.xlsx"))
    sid = emulator.create_spreadsheet(staff)
    shutil.copytree(local / "inbox", remote / "inbox")
    (remote / "sheetsync.toml").write_text(
        demo_config_text()
        .replace('backend = "xlsx"', 'backend = "gsheets"')
        .replace(
            'path = "data/program.xlsx"',
            f'spreadsheet_id = "{sid}"\ncredentials = "{service_account_key}"\n'
            f'endpoint = "{emulator.url}"',
        ),
        encoding="utf-8",
    )

    on_xlsx = pipeline.sync(load_config(local / "sheetsync.toml"), months=[month], now=now)
    before = {name: emulator.tab_values(sid, name) for name in staff}
    emulator.clear_log()
    on_sheets = pipeline.sync(load_config(remote / "sheetsync.toml"), months=[month], now=now)

    assert [e.operation.rsplit(".", 1)[1] for e in emulator.api_requests()] == [
        "get",
        "batchGet",
        "batchUpdate",
    ]
    assert on_sheets.record.sheets_requests == 3
    kpi_tabs = [t.name for t in on_xlsx.tabs if t.name != "Log"]  # Log holds wall-clock times
    assert kpi_tabs and "KPI Toko" in kpi_tabs
    for local_tab, remote_tab in zip(on_xlsx.tabs, on_sheets.tabs, strict=True):
        assert local_tab.name == remote_tab.name
        if local_tab.name in kpi_tabs:
            assert list(map(list, remote_tab.rows)) == list(map(list, local_tab.rows))
    assert {name: emulator.tab_values(sid, name) for name in staff} == before
    written = emulator.tab_values(sid, "KPI Toko", render="UNFORMATTED_VALUE")
    assert len(written) == len(on_sheets.tabs[1].rows) + 1
    memory = emulator.tab_values(sid, MARKS_TAB)
    assert len(memory) > 1, "the demo carries deliberate mistakes: staff cells get marked"
    tab, row, column = memory[1][0], int(memory[1][1]), int(memory[1][2])
    note = emulator.cell(sid, f"'{tab}'!{chr(65 + column)}{row}")["note"]
    assert note == memory[1][6]
