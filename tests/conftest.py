"""Shared fixtures: a live loopback Google Sheets emulator per test, whose every
exchange must match Google's discovery document when the test ends. Used by tests/testing
and tests/workbook."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials

from sheetsync.testing.fake_service_account import make_service_account_info
from sheetsync.testing.sheets_emulator import DiscoverySchema, SheetsEmulator
from sheetsync.workbook.gsheets import client_for_credentials


@pytest.fixture(scope="session")
def discovery_schema() -> DiscoverySchema:
    return DiscoverySchema()


@pytest.fixture
def emulator(discovery_schema: DiscoverySchema) -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emu:
        yield emu
        problems = emu.schema_problems(discovery_schema)
    assert not problems, "emulator exchanges off Google's schema:\n" + "\n".join(problems[:20])


@pytest.fixture
def token_client(emulator: SheetsEmulator):  # -> gspread.Client
    """gspread with a static bearer token (no key, no token endpoint): most tests need no more."""
    return client_for_credentials(Credentials(token="test"), endpoint=emulator.url, timeout=5)


@pytest.fixture(scope="session")
def service_account_info() -> dict:
    """One generated RSA key per session (making one costs ~0.1 s)."""
    return make_service_account_info("http://127.0.0.1:1/token")


@pytest.fixture
def service_account_key(
    emulator: SheetsEmulator, service_account_info: dict, tmp_path: Path
) -> Path:
    """A fake key file whose token_uri is this emulator's /token, which trusts the key."""
    info = {**service_account_info, "token_uri": emulator.token_uri}
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    emulator.trust_service_account(info)
    return path
