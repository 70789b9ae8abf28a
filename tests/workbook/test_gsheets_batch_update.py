"""The batchUpdate bodies: output values become typed cells, text never a formula."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetsync.workbook.gsheets.batch_update import cell_data


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, {}),
        ("", {}),
        (float("nan"), {}),
        (float("inf"), {}),
        (True, {"userEnteredValue": {"boolValue": True}}),
        (1_250_000, {"userEnteredValue": {"numberValue": 1_250_000}}),
        (0.75, {"userEnteredValue": {"numberValue": 0.75}}),
        ("=1+1", {"userEnteredValue": {"stringValue": "=1+1"}}),
        (dt.date(2026, 8, 2), {"userEnteredValue": {"stringValue": "2026-08-02"}}),
        (
            dt.datetime(2026, 8, 2, 14, 3),
            {"userEnteredValue": {"stringValue": "2026-08-02 14:03:00"}},
        ),
    ],
)
def test_output_values_become_typed_cells_and_text_never_a_formula(value, cell):
    assert cell_data(value) == cell
