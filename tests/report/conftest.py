"""Fixtures of the report tests; the sample programme lives in report_samples.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_samples import (  # noqa: F401 - re-exported for the tests
    AS_OF,
    MONTH,
    OCTOBER,
    OWNER_PHONES,
    SEPTEMBER,
    SHOP_IDS,
    shop_months,
    small_config,
    small_issues,
    small_registry,
    small_result,
    top_products,
)

from sheetsync.config import Config
from sheetsync.issues import Issue
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Registry


@pytest.fixture(scope="session")
def registry() -> Registry:
    return small_registry()


@pytest.fixture(scope="session")
def result() -> KpiResult:
    """Shared by all tests: KpiResult is frozen and no test changes its frames."""
    return small_result()


@pytest.fixture
def issues() -> list[Issue]:
    return small_issues()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return small_config(tmp_path, workers=1)
