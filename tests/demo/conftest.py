"""The demo written once for all demo tests (it writes some 560 files), and its staff tabs."""

from __future__ import annotations

import pytest
from demo_samples import TODAY

from sheetsync.contract import STAFF_TABS
from sheetsync.demo import DemoManifest, write_demo
from sheetsync.tabs import SheetTable
from sheetsync.workbook.xlsx import XlsxWorkbook


@pytest.fixture(scope="session")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return write_demo(tmp_path_factory.mktemp("demo"), today=TODAY)


@pytest.fixture(scope="session")
def tables(manifest: DemoManifest) -> dict[str, SheetTable]:
    return XlsxWorkbook(manifest.workbook).read_tabs([spec.name for spec in STAFF_TABS])
