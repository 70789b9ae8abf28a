"""Finding a row by the code or ID typed in another tab, and suggesting one for a typo.

Each registry tab becomes an `Index` of its codes or IDs (first occurrence wins; doubles
are reported). A reference that matches nothing gets "Maksud Anda Air Seruk
(19.02.04.2004)?": the same code written another way, or the names closest to what was
typed, never more than three and none when too many are equally close. The suggestion is
only text: staff stay the owners of their data, nothing is rewritten.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from sheetsync.contract import TabSpec
from sheetsync.messages import IssueCode
from sheetsync.model import Ambassador, Village

if TYPE_CHECKING:
    from sheetsync.validate.context import Context
    from sheetsync.validate.reading import Row

_T = TypeVar("_T")


def compact(text: str) -> str:
    """'Tanjung Pandan' and 'tanjungpandan' compare equal; so do '19.02.04.2004', '1902042004'."""
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass(slots=True)
class Entry:
    key: str  # code / ID as written
    name: str
    row: int  # first row that holds it (0 when it did not come from a tab)
    ok: bool  # that row has no errors
    record: object = None


@dataclass(slots=True)
class Index:
    """Codes or IDs of one tab, first occurrence first, and how to suggest one for a typo."""

    entries: dict[str, Entry] = field(default_factory=dict)
    _folded_rows: dict[str, int] = field(default_factory=dict)
    _compact_map: dict[str, list[Entry]] | None = None
    _suggested: dict[str, list[str]] = field(default_factory=dict)

    def register(self, entry: Entry) -> None:
        """Add the first row holding `entry.key` (later doubles are reported, not added)."""
        self.entries.setdefault(entry.key, entry)
        self._folded_rows.setdefault(entry.key.casefold(), entry.row)
        self._compact_map = None
        self._suggested.clear()

    @staticmethod
    def of_villages(villages: Iterable[Village]) -> Index:
        index = Index()
        for v in villages:
            index.register(Entry(v.code, v.name, 0, True, v))
        return index

    @staticmethod
    def of_ambassadors(ambassadors: Iterable[Ambassador]) -> Index:
        index = Index()
        for a in ambassadors:
            index.register(Entry(a.ambassador_id, a.name, 0, True, a))
        return index

    def records(self, kind: type[_T]) -> tuple[_T, ...]:
        """The records of the rows without errors, in row order."""
        return tuple(e.record for e in self.entries.values() if e.ok and isinstance(e.record, kind))

    def first_row_folded(self, key: str) -> int | None:
        """The row already holding `key`, compared case-insensitively (folder names)."""
        return self._folded_rows.get(key.casefold())

    def suggest(self, text: str) -> list[str]:
        """Entries a person probably meant: same code/ID in another form, or a close name."""
        wanted = compact(text)
        if wanted and wanted not in self._suggested:
            by_compact = self._by_compact()
            close = _closest(wanted, by_compact)
            matches = by_compact.get(wanted) or [e for key in close for e in by_compact[key]]
            self._suggested[wanted] = [f"{e.name} ({e.key})" for e in _unique(matches)[:3]]
        return self._suggested.get(wanted, [])

    def _by_compact(self) -> dict[str, list[Entry]]:
        """Compact code and compact name -> entries, built once (difflib runs over its keys)."""
        if self._compact_map is None:
            self._compact_map = {}
            for e in self.entries.values():
                for key in dict.fromkeys((compact(e.key), compact(e.name))):
                    self._compact_map.setdefault(key, []).append(e)
        return self._compact_map


def suggest_villages(text: str, villages: Iterable[Village]) -> list[str]:
    """'Aik Seruk' -> ['Air Seruk (19.02.04.2004)']: official names close to what was typed."""
    return Index.of_villages(villages).suggest(text)


def suggest_ambassadors(text: str, ambassadors: Iterable[Ambassador]) -> list[str]:
    """'Rina Wati' -> ['Rina Wati (DD-007)']: ambassadors whose ID or name is close."""
    return Index.of_ambassadors(ambassadors).suggest(text)


def check_reference(
    ctx: Context, row: Row, header: str, index: Index, spec: TabSpec, unknown: IssueCode
) -> None:
    """The code in `row[header]` must be a row of `spec`'s tab, and that row must be sound."""
    key = row.text(header)
    if not key:
        return
    entry = index.entries.get(key)
    if entry is None:
        ctx.flag(unknown, row, header, suggestion=ctx.suggestion(index.suggest(key)))
    elif not entry.ok:
        ctx.flag(
            IssueCode.REFERENCE_HAS_ERRORS, row, header, target_row=entry.row, target_tab=spec.name
        )


def check_unique(ctx: Context, row: Row, header: str, index: Index) -> bool:
    """False (and an error) when the ID is already used on an earlier row."""
    key = row.text(header)
    first = index.first_row_folded(key)
    if first is None:
        return True
    ctx.flag(IssueCode.DUPLICATE_ID, row, header, first_row=first)
    return False


def mark_sound_rows(ctx: Context, rows: list[Row], index: Index) -> None:
    """After all checks of a tab: its index entries are usable when their row has no error."""
    by_number = {row.number: row for row in rows}
    for entry in index.entries.values():
        row = by_number.get(entry.row)
        entry.ok = row is not None and not ctx.has_errors(row)


def _closest(wanted: str, keys: Iterable[str], cutoff: float = 0.8) -> list[str]:
    """The key(s) most like `wanted`; none when three or more tie, which is no help
    ('DD-099' is as close to DD-019, DD-029 and DD-039)."""
    candidates = difflib.get_close_matches(wanted, keys, n=5, cutoff=cutoff)
    scores = {k: difflib.SequenceMatcher(None, wanted, k).ratio() for k in candidates}
    best = [k for k in candidates if scores[k] == max(scores.values())]
    return best if len(best) <= 2 else []


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: set[str] = set()
    result = []
    for e in entries:
        if e.key not in seen:
            seen.add(e.key)
            result.append(e)
    return result
