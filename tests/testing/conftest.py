"""Fixtures of the emulator's tests (the emulator itself comes from tests/conftest.py)."""

from __future__ import annotations

import pytest

from sheetsync.testing.sheets_emulator.emulator import SheetsEmulator


@pytest.fixture
def sid(emulator: SheetsEmulator) -> str:
    return emulator.create_spreadsheet(title="t")  # one empty Sheet1, 1000 x 26, like Drive
