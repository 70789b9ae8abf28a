"""Fixtures of the workbook tests (the emulator itself is tests/conftest.py's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from excel_parts import add_excel_features
from gsheets_samples import staff_tabs
from test_xlsx import make_workbook

from sheetsync.testing.sheets_emulator import SheetsEmulator


@pytest.fixture
def sid(emulator: SheetsEmulator) -> str:
    """A spreadsheet on the emulator holding the small programme of gsheets_samples."""
    return emulator.create_spreadsheet(staff_tabs())


@pytest.fixture
def featured(tmp_path: Path) -> Path:
    """A staff workbook (test_xlsx's) holding what openpyxl cannot keep (excel_parts')."""
    path = make_workbook(tmp_path)
    add_excel_features(path)
    return path
