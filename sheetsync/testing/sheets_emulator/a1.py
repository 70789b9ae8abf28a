"""A1 notation: tab titles quoted as Google echoes them, ranges parsed into half-open boxes.

Written here rather than taken from gspread.utils: an oracle must not share code with the
client it checks, or a bug in one would hide in the other.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field


def column_letters(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rem] + letters
    return letters


def column_index(letters: str) -> int:
    """'A' -> 0, 'AA' -> 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - 64)
    return index - 1


_SIMPLE_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[A-Za-z]{1,3}|\d+)$")


def quote_title(title: str) -> str:
    """Quote a tab title the way Google echoes it: only when it would be ambiguous."""
    if _SIMPLE_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_range(text: str) -> tuple[str | None, str | None]:
    """ "'My tab'!A1:B2" -> ("My tab", "A1:B2"); "Desa" -> (None, "Desa")."""
    if text.startswith("'"):
        end = _closing_quote(text)
        if end is not None:
            title = text[1:end].replace("''", "'")
            rest = text[end + 1 :]
            if rest == "":
                return title, None
            if rest.startswith("!"):
                return title, rest[1:]
    if "!" in text:
        title, _, a1 = text.rpartition("!")
        return title, a1
    return None, text


def _closing_quote(text: str) -> int | None:
    i = 1
    while i < len(text):
        if text[i] == "'":
            if text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


_A1_PART = re.compile(r"^([A-Za-z]{0,3})(\d*)$")


@dataclass(frozen=True, slots=True)
class Box:
    """Half-open cell rectangle: rows r0..r1-1, columns c0..c1-1 (0-based)."""

    r0: int
    c0: int
    r1: int
    c1: int
    label: str = field(default="", compare=False)  # the A1 text as requested, for errors

    def cells(self) -> Iterator[tuple[int, int]]:
        for r in range(self.r0, self.r1):
            for c in range(self.c0, self.c1):
                yield r, c

    def contains(self, r: int, c: int) -> bool:
        return self.r0 <= r < self.r1 and self.c0 <= c < self.c1

    def a1(self) -> str:
        start = f"{column_letters(self.c0)}{self.r0 + 1}"
        if self.r1 - self.r0 == 1 and self.c1 - self.c0 == 1:
            return start
        return f"{start}:{column_letters(self.c1 - 1)}{self.r1}"


def parse_a1(a1: str, rows: int, cols: int) -> Box | None:
    """A1 text -> Box, open ends reaching the grid edge ('A:A' -> A1:A<rows>)."""
    first, _, second = a1.partition(":")
    start = _A1_PART.match(first)
    end = _A1_PART.match(second) if second else start
    if not start or not end or first == "" or (second == "" and ":" in a1):
        return None
    (sc, sr), (ec, er) = start.groups(), end.groups()
    if not second and not (sc and sr):
        return None
    if (not sc and not sr) or (not ec and not er):
        return None
    if not second:
        r0, c0 = int(sr) - 1, column_index(sc)
        if r0 < 0:
            return None
        return Box(r0, c0, r0 + 1, c0 + 1)
    return _ordered_box(sc, sr, ec, er, rows, cols)


def _ordered_box(sc: str, sr: str, ec: str, er: str, rows: int, cols: int) -> Box | None:
    c0 = column_index(sc) if sc else 0
    r0 = int(sr) - 1 if sr else 0
    c1 = column_index(ec) + 1 if ec else cols
    r1 = int(er) if er else rows
    if (sr and int(sr) < 1) or (er and int(er) < 1):
        return None
    r0, r1 = (r0, r1) if r0 < r1 else (r1 - 1, r0 + 1)
    c0, c1 = (c0, c1) if c0 < c1 else (c1 - 1, c0 + 1)
    return Box(r0, c0, r1, c1)
