"""Fixtures of the workbook tests (the emulator itself is tests/conftest.py's)."""

from __future__ import annotations

import pytest
from gsheets_samples import staff_tabs

from sheetsync.testing.sheets_emulator import SheetsEmulator


@pytest.fixture
def sid(emulator: SheetsEmulator) -> str:
    """A spreadsheet on the emulator holding the small programme of gsheets_samples."""
    return emulator.create_spreadsheet(staff_tabs())
