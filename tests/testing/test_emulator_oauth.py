"""Auth: the token endpoint checks the JWT's signature and issuer; with auth required, a
request without a token gets Google's 401.

Every test's exchanges are also validated against the discovery document (conftest).
"""

from __future__ import annotations

import pytest
from emulator_http import call
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import service_account

from sheetsync.testing.fake_service_account import make_service_account_info
from sheetsync.testing.sheets_emulator.emulator import SheetsEmulator


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
