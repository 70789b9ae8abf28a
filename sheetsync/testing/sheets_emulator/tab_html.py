"""A tab rendered as HTML the way a person sees it in Sheets (formatted values, fills,
notes as numbered markers), to look at what a sync left behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sheetsync.testing.sheets_emulator.a1 import column_letters
from sheetsync.testing.sheets_emulator.cells import formatted_value
from sheetsync.testing.sheets_emulator.errors import JSON


def render_html(
    title: str, cells: Mapping[tuple[int, int], JSON], rows: int, cols: int, locale: str
) -> str:
    import html

    notes: list[str] = []
    body = []
    for r in range(rows):
        tds = []
        for c in range(cols):
            cell = cells.get((r, c)) or {}
            text = html.escape(formatted_value(cell, locale) or "")
            style = _css(cell.get("userEnteredFormat") or {})
            if cell.get("note"):
                notes.append(f"{column_letters(c)}{r + 1}: {cell['note']}")
                text += f' <sup style="color:#c00">[{len(notes)}]</sup>'
            tds.append(f'<td style="{style}">{text}</td>')
        body.append(f"<tr><th>{r + 1}</th>{''.join(tds)}</tr>")
    head = "".join(f"<th>{column_letters(c)}</th>" for c in range(cols))
    listed = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return (
        f"<html><head><meta charset='utf-8'><style>td,th{{border:1px solid #ccc;padding:2px 4px;"
        f"font:10pt Arial;white-space:nowrap}}th{{background:#eee}}</style></head><body>"
        f"<h3>{html.escape(title)}</h3><table><tr><th></th>{head}</tr>{''.join(body)}</table>"
        f"<ol>{listed}</ol></body></html>"
    )


def _css(fmt: Mapping[str, Any]) -> str:
    rgb = (fmt.get("backgroundColorStyle") or {}).get("rgbColor") or fmt.get("backgroundColor")
    style = ""
    if rgb:
        channels = [round(255 * float(rgb.get(k, 0))) for k in ("red", "green", "blue")]
        style += "background:#{:02x}{:02x}{:02x};".format(*channels)
    if (fmt.get("textFormat") or {}).get("bold"):
        style += "font-weight:bold;"
    return style
