"""The gspread client: a real service-account JWT, Google calls redirected to the endpoint,
and keys that are refused or unreadable."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from google.auth import environment_vars as google_auth_env
from gsheets_samples import staff_tabs, workbook

from sheetsync.errors import ConfigError, RemoteError
from sheetsync.testing.sheets_emulator import SheetsEmulator
from sheetsync.workbook.gsheets.client import make_client


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
