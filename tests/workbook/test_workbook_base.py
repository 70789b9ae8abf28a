"""The rule every backend applies before writing: only sheetsync's own output tabs."""

from __future__ import annotations

import pytest

from sheetsync.contract import MARKS_TAB, OUTPUT_TABS, STAFF_TABS
from sheetsync.errors import SinkError
from sheetsync.tabs import OutputTab
from sheetsync.workbook.base import refuse_staff_tabs


def test_output_tabs_may_be_written() -> None:
    refuse_staff_tabs([OutputTab(name, ("a",), []) for name in OUTPUT_TABS])


@pytest.mark.parametrize("name", [*(spec.name for spec in STAFF_TABS), MARKS_TAB, "Catatan"])
def test_a_staff_tab_or_the_marks_memory_is_refused(name: str) -> None:
    with pytest.raises(SinkError, match=f"Refusing to write tab '{name}'"):
        refuse_staff_tabs([OutputTab("Validasi", ("a",), []), OutputTab(name, ("a",), [])])
