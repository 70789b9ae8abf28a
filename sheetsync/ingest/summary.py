"""What one ingest run found and did, and the shapes passed between its steps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import fields as dc_fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sheetsync.issues import Issue
from sheetsync.ledger import (
    FileRecord,
    PackedLines,
)
from sheetsync.marketplaces.base import ParsedExport

Reader = Callable[..., ParsedExport]  # read_export(path, display_name=...) -> ParsedExport
Progress = Callable[[str, int, int], None]  # (what, done, total), as pipeline.Progress

DEFAULT_TZ = ZoneInfo("Asia/Jakarta")


@dataclass(slots=True)
class IngestSummary:
    """What one ingest did; the CLI renders it as a table and the run log counts it."""

    files_seen: int = 0
    files_imported: int = 0
    files_skipped: int = 0  # bytes already imported (under any name)
    files_rejected: int = 0  # rejected in this run
    files_still_rejected: int = 0  # rejected before and unchanged: not read again
    files_failed: int = 0  # reader or storage failed; retried next run
    lines: int = 0
    listing_lines: int = 0
    rejected_rows: Counter[str] = field(default_factory=Counter)  # issue code -> rows
    issues: list[Issue] = field(default_factory=list)
    imported: list[FileRecord] = field(default_factory=list)
    months: set[str] = field(default_factory=set)  # months that received new lines
    language: str = "id"  # of the issues' messages ([program] language)

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected_rows.values())

    @property
    def rejected_by_reason(self) -> Counter[str]:
        """Rejected rows per issue code (the CLI's second table)."""
        return self.rejected_rows


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A file read and screened by a reader process. Its order lines travel packed (one
    Arrow blob, `parsed.lines` then empty): the single writer only stores bytes."""

    parsed: ParsedExport
    packed: PackedLines | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Packed lines leave the empty frame behind (pickling one costs more than the
        rest of a small file's result): it is made anew where the result arrives."""
        if self.packed is None or not self.parsed.lines.empty:
            return (ReadFile, (self.parsed, self.packed))
        fields = {f.name: getattr(self.parsed, f.name) for f in dc_fields(self.parsed)}
        del fields["lines"]
        return (_with_empty_lines, (fields, self.packed))


def _with_empty_lines(fields: dict[str, Any], packed: PackedLines) -> ReadFile:
    from sheetsync.marketplaces.orders import empty_order_lines

    return ReadFile(ParsedExport(lines=empty_order_lines(), **fields), packed)


@dataclass(frozen=True, slots=True)
class Hashed:
    """A new file hashed by the reader process that read it (one pass over its bytes, on
    every core), with what the reading gave; the writer then decides whether it is new."""

    sha256: str
    read: ReadFile | BaseException


class Unhashable(Exception):
    """A file a reader process could not open for its hash (vanished, no permission, not
    a regular file any more): an issue for this run only, as when hashed by the writer."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file found for import, with the shop it belongs to."""

    path: Path
    source: str  # what staff see: inbox-relative, or the path as given
    shop_id: str
    root: Path | None = None  # the inbox it was found in: symlinks must stay inside it
