"""Data problems as values.

An `Issue` points at the place a person typed something (tab or file, the row number as
they see it, the column) and says in Bahasa Indonesia how to fix it. Validation is lazy:
it collects every issue into a `ValidationReport` and never raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """error: the row is left out of KPIs; warning: counted but flagged."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem at one place.

    `source` is a tab name (``Toko``) or an inbox-relative file path; `row` is the row
    number as the user sees it (header row = 1; for files, the spreadsheet row of the
    export), or None for a problem with the whole tab/file; `column` is the header text.
    `code` is a stable machine code (see `IssueCode` in validate.py and ingest codes in
    marketplaces/); `message` is a complete sentence that says how to fix it.
    """

    code: str
    severity: Severity
    source: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(slots=True)
class ValidationReport:
    """All issues of one run, in the order they were found."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    def rows_with_errors(self, source: str) -> set[int]:
        """Row numbers of `source` that carry at least one error (left out of KPIs)."""
        return {
            i.row for i in self.issues if i.source == source and i.is_error and i.row is not None
        }
