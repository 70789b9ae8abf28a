"""A tab can be looked at as HTML: formatted values escaped, fills as CSS, notes listed."""

from __future__ import annotations


def test_a_tab_can_be_looked_at_as_html(emulator):
    sid = emulator.create_spreadsheet({"Toko": [["ID Toko"], ["<007>"]]})
    emulator.set_cell(
        sid,
        "Toko!A2",
        note="Periksa",
        userEnteredFormat={"backgroundColor": {"red": 1, "green": 0.78039217, "blue": 0.80784315}},
    )

    page = emulator.tab_html(sid, "Toko")

    assert '<td style="background:#ffc7ce;">&lt;007&gt; <sup' in page
    assert "<li>A2: Periksa</li>" in page
