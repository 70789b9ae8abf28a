"""Colours as Sheets stores them: 8 bits a channel read back as float32 text, zero channels
dropped, each colour kept in step with its ColorStyle twin. Without this, a colour written
and read back would not compare equal, as it does not with Google.
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Mapping
from typing import Any

from sheetsync.testing.sheets_emulator.errors import JSON

_COLOUR_PAIRS = (
    ("backgroundColor", "backgroundColorStyle"),
    ("foregroundColor", "foregroundColorStyle"),
    ("tabColor", "tabColorStyle"),
)
_CHANNELS = ("red", "green", "blue", "alpha")


def forget_twins(target: dict[str, Any], mask: Mapping[str, Any]) -> None:
    """When a mask sets one of a colour pair, the twin goes too (then is re-derived)."""
    for plain, style in _COLOUR_PAIRS:
        if (plain in mask) != (style in mask):
            target.pop(style if plain in mask else plain, None)
    for key, sub in mask.items():
        if sub and isinstance(target.get(key), dict):
            target[key] = dict(target[key])  # stored cells are shared: copy before changing
            forget_twins(target[key], sub)


def stored_colours(value: JSON) -> JSON:
    """Colours as Sheets keeps them: 8 bits a channel shown as float32, zero channels and
    empty objects dropped, and each colour paired with its ColorStyle twin."""
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        item = _colour(item) if key.endswith("Color") else stored_colours(item)
        if item != {} or key.endswith("Color"):  # {} is black; an empty style is nothing
            out[key] = item
    for plain, style in _COLOUR_PAIRS:
        if plain in out and style not in out:
            out[style] = {"rgbColor": out[plain]}
        elif style in out and plain not in out and "rgbColor" in out[style]:
            out[plain] = out[style]["rgbColor"]
    return out


def _colour(value: JSON) -> JSON:
    if not isinstance(value, dict):
        return value
    out = {}
    for channel in _CHANNELS:
        level = value.get(channel)
        if isinstance(level, int | float) and level:
            out[channel] = _float32_text(math.ceil(float(level) * 255 - 0.5) / 255)  # half down
    return out


@functools.lru_cache(maxsize=4096)
def _float32_text(number: float) -> int | float:
    """The shortest decimal that reads back as the same float32 (0.5 -> 127/255 -> 0.49803922)."""
    single = struct.unpack("f", struct.pack("f", number))[0]
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            value = float(text)
            return int(value) if value.is_integer() else value
    return single
