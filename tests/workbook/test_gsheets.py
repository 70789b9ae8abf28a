"""The Google Sheets backend against the loopback emulator, through unmodified gspread."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from google.auth import environment_vars as google_auth_env
from google.oauth2.credentials import Credentials
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.contract import DESA, DUTA, MARKS_TAB, STAFF_TABS, TOKO
from sheetsync.errors import ConfigError, RemoteError, SinkError
from sheetsync.tabs import CellMark, OutputTab
from sheetsync.testing.sheets_emulator import Fault, SheetsEmulator
from sheetsync.workbook.gsheets import (
    SHEETS_RETRY,
    GSheetsWorkbook,
    cell_data,
    client_for_credentials,
    init_spreadsheet,
    make_client,
)

UNTRUSTED = ['=IMPORTXML("http://x","//a")', "+6281234567890", "-", "@x", "007", "1.250.000"]


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def staff_tabs() -> dict[str, list[list[object]]]:
    """A small programme as staff type it (text exactly as typed)."""
    return {
        DESA.name: [list(DESA.headers), ["19.02.04.2004", "Air Seruk", "Sijuk"]],
        DUTA.name: [
            list(DUTA.headers),
            ["DD-001", "Sari", "19.02.04.2004", "081234567890", "sari@example.id", "Ya"],
            ["DD-002", "Budi", "19.02.04.2099", "+6281298765432", "budi@", "ya"],
        ],
        TOKO.name: [
            list(TOKO.headers),
            ["007", "Shopee", "Kopi Sijuk", "Pak Amin", "19.02.04.2004", "DD-001", "02/08/2026"],
            ["T-2", "Lazada", "=HYPERLINK(1)", "", "19.02.04.2004", "DD-009", "2 Agustus 2026"],
        ],
    }


def kpi_tab(rows: int = 3) -> OutputTab:
    return OutputTab(
        "KPI Toko",
        ("ID Toko", "Nama Toko", "Penjualan (Rp)", "Capaian"),
        [[f"T-{i}", UNTRUSTED[i % len(UNTRUSTED)], 1_250_000 * i, i / 10] for i in range(rows)],
        formats={"Penjualan (Rp)": "rupiah", "Capaian": "percent"},
    )


def workbook(client, sid: str, fake: FakeTime | None = None, **kwargs) -> GSheetsWorkbook:
    fake = fake or FakeTime()
    return GSheetsWorkbook(
        client, sid, clock=fake.clock, sleep=fake.sleep, rand=lambda: 0.5, **kwargs
    )


@pytest.fixture
def sid(emulator: SheetsEmulator) -> str:
    return emulator.create_spreadsheet(staff_tabs())


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


# ----------------------------------------------------------------------------- feedback marks


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


# ------------------------------------------------------------------------------------- faults


def test_429_storm_then_success(emulator, token_client, sid):
    fake = FakeTime()
    book = workbook(token_client, sid, fake)
    emulator.inject(Fault.rate_limited(times=4))

    book.write([kpi_tab()], [])

    assert fake.sleeps == [1.5, 2.5, 4.5, 8.5]  # 2^n s + jitter (rand fixed at 0.5)
    assert book.retries == 4
    assert emulator.tab_values(sid, "KPI Toko")[1][0] == "T-0"


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(emulator, token_client, sid, status):
    body = json.dumps({"error": {"code": status, "message": "x", "status": "UNAVAILABLE"}})
    book = workbook(token_client, sid)
    emulator.inject(Fault(status, body))

    assert book.read_tabs(["Desa"])["Desa"].rows[0][1] == "Air Seruk"
    assert book.retries == 1 and book.sheets_requests == 3


def test_a_proxy_page_answered_with_200_is_retried(emulator, token_client, sid):
    book = workbook(token_client, sid)
    emulator.inject(Fault(200, "<html>Login to the hotel wifi</html>", "text/html"))

    assert book.read_tabs(["Desa"])["Desa"].rows[0][1] == "Air Seruk"
    assert book.retries == 1


def test_retry_after_from_a_proxy_is_honoured_up_to_the_cap(emulator, token_client, sid):
    fake = FakeTime()
    book = workbook(token_client, sid, fake)
    emulator.inject(
        Fault(503, "<html>busy</html>", "text/html", retry_after=7),
        Fault(503, "<html>busy</html>", "text/html", retry_after=3600),
    )

    book.read_tabs(["Desa"])

    assert fake.sleeps == [7, 32]  # asked for 7 s; an hour is capped at max_wait_seconds


def test_a_refused_request_is_not_retried(emulator, token_client, sid):
    body = json.dumps(
        {"error": {"code": 400, "message": "Bad thing", "status": "INVALID_ARGUMENT"}}
    )
    book = workbook(token_client, sid)
    emulator.inject(Fault(400, body))

    with pytest.raises(RemoteError, match=r"refused the request \(HTTP 400 INVALID_ARGUMENT\)"):
        book.read_tabs(["Desa"])
    assert book.retries == 0


def test_an_unreachable_endpoint_fails_within_the_cap(emulator, sid):
    emulator.stop()  # nothing listens on the port any more
    client = client_for_credentials(Credentials(token="t"), endpoint=emulator.url, timeout=1)
    fake = FakeTime()

    with pytest.raises(RemoteError, match="network problem") as caught:
        workbook(client, sid, fake, retry=replace(SHEETS_RETRY, attempts=3)).read_tabs(["Desa"])
    assert caught.value.retryable and len(fake.sleeps) == 2


def test_html_error_page_and_slow_answer_are_retried(emulator, token_client, sid):
    client = client_for_credentials(Credentials(token="t"), endpoint=emulator.url, timeout=0.2)
    book = workbook(client, sid)
    emulator.inject(Fault.html_unavailable(), Fault.slow(0.5))

    tables = book.read_tabs(["Desa"])

    assert tables["Desa"].rows[0][1] == "Air Seruk"
    assert book.retries == 2


def test_permanent_500_fails_within_time_cap_and_keeps_previous_output(emulator, token_client, sid):
    fake = FakeTime()
    policy = replace(SHEETS_RETRY, attempts=50, max_total=60)
    book = workbook(token_client, sid, fake, retry=policy)
    book.write([kpi_tab(3)], [])
    previous = emulator.tab_values(sid, "KPI Toko")
    book.read_tabs(["Toko"])
    emulator.inject(Fault.internal_error(times=None))

    with pytest.raises(RemoteError, match="Nothing was written") as caught:
        book.write([kpi_tab(9)], [CellMark("Toko", 3, "ID Duta", "error", "x")])

    assert caught.value.retryable
    assert fake.now <= 60
    emulator.clear_faults()
    assert emulator.tab_values(sid, "KPI Toko") == previous
    assert "note" not in emulator.cell(sid, "Toko!F3")


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


def test_a_429_storm_longer_than_the_attempt_cap_gives_up_cleanly(emulator, token_client, sid):
    fake = FakeTime()
    book = workbook(token_client, sid, fake, retry=replace(SHEETS_RETRY, attempts=3))
    emulator.inject(Fault.rate_limited(times=None))

    with pytest.raises(RemoteError, match=r"HTTP 429 \(quota .*after 3 attempts") as caught:
        book.read_tabs(["Desa"])

    assert caught.value.retryable and book.sheets_requests == 3
    assert fake.sleeps == [1.5, 2.5]


@pytest.mark.parametrize(
    ("retry", "expected"),
    [(1, 1.0), (2, 2.0), (5, 16.0), (6, 32.0), (9, 32.0)],
)
def test_backoff_doubles_then_stays_at_the_cap(retry, expected):
    policy = SHEETS_RETRY  # 1 s doubled, 1 s of jitter, never more than 32 s

    assert policy.wait_before(retry, lambda: 0.0) == expected
    assert expected <= policy.wait_before(retry, lambda: 0.999) <= min(expected + 1, 32)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, {}),
        ("", {}),
        (float("nan"), {}),
        (float("inf"), {}),
        (True, {"userEnteredValue": {"boolValue": True}}),
        (1_250_000, {"userEnteredValue": {"numberValue": 1_250_000}}),
        (0.75, {"userEnteredValue": {"numberValue": 0.75}}),
        ("=1+1", {"userEnteredValue": {"stringValue": "=1+1"}}),
        (dt.date(2026, 8, 2), {"userEnteredValue": {"stringValue": "2026-08-02"}}),
        (
            dt.datetime(2026, 8, 2, 14, 3),
            {"userEnteredValue": {"stringValue": "2026-08-02 14:03:00"}},
        ),
    ],
)
def test_output_values_become_typed_cells_and_text_never_a_formula(value, cell):
    assert cell_data(value) == cell


# ------------------------------------------------------------------------------- auth, client


def test_service_account_signs_a_real_jwt_at_the_token_endpoint(
    tmp_path, discovery_schema, service_account_info
):
    with SheetsEmulator(require_auth=True) as emu:
        key = trusted_key(emu, service_account_info, tmp_path)
        sid = emu.create_spreadsheet(staff_tabs())

        tables = workbook(make_client(key, endpoint=emu.url, timeout=5), sid).read_tabs(["Desa"])

        assert tables["Desa"].rows[0][0] == "19.02.04.2004"
        token_calls = [e for e in emu.request_log if e.operation == "oauth2.token"]
        assert [e.status for e in token_calls] == [200]
        assert not emu.schema_problems(discovery_schema)


# google-auth's access-boundary lookup: opt-in through this variable, done on a background
# thread started by the first request (google/auth/_regional_access_boundary_utils.py)
try:
    from google.auth import _regional_access_boundary_utils as google_rab
except ImportError:  # an older google-auth: no such lookup at all
    google_rab = None
RAB_FLAG = google_rab and getattr(
    google_auth_env, "GOOGLE_SDK_EXPERIMENTAL_PYTHON_REGIONAL_ACCESS_BOUNDARY_LOOKUP_ENABLED", None
)


def test_the_access_boundary_lookup_comes_to_the_endpoint_not_google(
    tmp_path, monkeypatch, service_account_info
):
    if RAB_FLAG is None:
        pytest.skip("this google-auth has no access-boundary lookup")
    monkeypatch.setenv(RAB_FLAG, "true")
    with SheetsEmulator(require_auth=True) as emu:
        key = trusted_key(emu, service_account_info, tmp_path)
        sid = emu.create_spreadsheet(staff_tabs())

        workbook(make_client(key, endpoint=emu.url, timeout=5), sid).read_tabs(["Desa"])
        # The lookup runs on its own thread and may not have happened yet: wait for that
        # thread to finish (it was started by the request above), rather than polling.
        for thread in access_boundary_threads():
            thread.join()

        lookups = [e for e in emu.request_log if e.path.endswith("/allowedLocations")]
        assert [e.status for e in lookups] == [200]


def trusted_key(emu: SheetsEmulator, service_account_info: dict, tmp_path: Path) -> Path:
    info = {**service_account_info, "token_uri": emu.token_uri}
    emu.trust_service_account(info)
    key = tmp_path / "key.json"
    key.write_text(json.dumps(info))
    return key


def access_boundary_threads() -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if isinstance(t, google_rab._RegionalAccessBoundaryRefreshThread)
    ]


def test_untrusted_key_is_refused_with_advice(tmp_path, service_account_info):
    with SheetsEmulator(require_auth=True) as emu:  # this emulator trusts no key
        key = tmp_path / "key.json"
        key.write_text(json.dumps({**service_account_info, "token_uri": emu.token_uri}))
        sid = emu.create_spreadsheet(staff_tabs())

        with pytest.raises(RemoteError, match="refused the service-account credentials"):
            workbook(make_client(key, endpoint=emu.url, timeout=5), sid).read_tabs(["Desa"])


@pytest.mark.parametrize("content", [None, "{not json", '{"type": "service_account"}'])
def test_bad_key_file_is_a_config_error(tmp_path: Path, content):
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content)

    with pytest.raises(ConfigError, match="key"):
        make_client(path)


# --------------------------------------------------------------------------------------- init


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


# ---------------------------------------------------------------------------- the whole demo


@pytest.mark.slow
def test_demo_sync_on_gsheets_matches_the_local_workbook(tmp_path, emulator, service_account_key):
    """The demo programme synced once from its .xlsx and once from the emulator (seeded with
    the same staff tabs): same KPI tabs, three Sheets requests, staff values untouched."""
    import datetime as dt
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
