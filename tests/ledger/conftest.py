"""The fixture of the ledger tests: a new ledger file; samples live in ledger_samples.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sheetsync.ledger.store import Ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "ledger.sqlite") as opened:
        yield opened
