"""The demo programme laid out around one fixed day, synced once per test session.

Building and syncing it takes a while, and the tests that use it only read (kpi, explain,
validate), so test_cli_tables and test_lineage share one copy.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheetsync import pipeline
from sheetsync.config import load_config
from sheetsync.demo import write_demo
from sheetsync.scaffold import demo_config_text

TODAY = dt.date(2026, 11, 22)
MONTH = "2026-10"  # the demo's last full month for TODAY
_built: dict[Path, Path] = {}


def synced_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The config path of the demo written for TODAY and synced (built on first use)."""
    root = tmp_path_factory.getbasetemp() / "synced-demo"
    if root not in _built:
        manifest = write_demo(root, today=TODAY)
        config_path = root / "sheetsync.toml"
        config_path.write_text(demo_config_text(), encoding="utf-8")
        pipeline.sync(load_config(config_path), months=list(manifest.months))
        _built[root] = config_path
    return _built[root]
