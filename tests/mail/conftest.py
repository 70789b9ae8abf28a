"""Fixtures of the mail tests: stand-in reports and a send log on a migrated ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mail_samples import write_reports

from sheetsync.ledger import SendLog


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    write_reports(folder)
    return folder


@pytest.fixture
def sendlog(tmp_path: Path) -> Iterator[SendLog]:
    log = SendLog.open(tmp_path / "ledger.sqlite")
    yield log
    log.close()
