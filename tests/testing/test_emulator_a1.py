"""A1 notation: titles quoted only when Google would, ranges parsed with open ends reaching
the grid edge, every box read back from its own echo, bad A1 refused.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetsync.testing.sheets_emulator.a1 import (
    Box,
    column_index,
    column_letters,
    parse_a1,
    quote_title,
    split_range,
)


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("Sheet1", "Sheet1"),
        ("finances", "finances"),
        ("D3", "'D3'"),
        ("KPI Toko", "'KPI Toko'"),
        ("Bu'Rina", "'Bu''Rina'"),
        ("🌵 test", "'🌵 test'"),
        ("R1C1", "'R1C1'"),
    ],
)
def test_titles_are_quoted_only_when_needed(title, quoted):
    assert quote_title(title) == quoted
    assert split_range(f"{quoted}!A1")[0] == title


@pytest.mark.parametrize(
    ("a1", "box"),
    [
        ("A1", (0, 0, 1, 1)),
        ("A1:D4", (0, 0, 4, 4)),
        ("D4:A1", (0, 0, 4, 4)),
        ("A:A", (0, 0, 1000, 1)),
        ("A1:1", (0, 0, 1, 26)),
        ("B2:C", (1, 1, 1000, 3)),
        ("2:3", (1, 0, 3, 26)),
    ],
)
def test_a1_ranges_open_ends_reach_the_grid_edge(a1, box):
    got = parse_a1(a1, 1000, 26)
    assert got is not None and (got.r0, got.c0, got.r1, got.c1) == box


@given(st.integers(0, 998), st.integers(1, 1000), st.integers(0, 700), st.integers(1, 702))
def test_every_box_reads_back_from_its_a1_echo(r0, height, c0, width):
    box = Box(r0, c0, r0 + min(height, 1000 - r0), c0 + min(width, 702 - c0))

    assert parse_a1(box.a1(), 1000, 702) == box
    assert column_index(column_letters(c0)) == c0


@pytest.mark.parametrize("a1", ["", "A", "1", "A0", "A1:", "!!", "ABCD1"])
def test_bad_a1_is_refused(a1):
    assert parse_a1(a1, 1000, 26) is None
