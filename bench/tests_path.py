"""Put tests/ helper folders on sys.path, for bench scripts that reuse test-only code.

Some bench scripts measure with the same synthetic data the tests build (the plain KPI
roll-up of tests/kpi_sample.py, the download archive of tests/marketplaces/archive_samples.py,
the output-tab write before `xlsx.rows` of tests/workbook/cell_by_cell.py).
That code is not part of the product (issue 15), so it lives under tests/, which is not a
package: importing this module adds those folders to sys.path, as pytest does for the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"

for folder in (TESTS, TESTS / "marketplaces", TESTS / "workbook"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
