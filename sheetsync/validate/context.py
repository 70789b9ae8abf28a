"""What every check shares: the sync time, the language and the report being filled.

Rules never build an `Issue` by hand: they call `Context.add` (anything) or `Context.flag`
(one cell of a row), which look the sentence up in the message catalogue, say what an error
costs for the tab it is in, and remember which rows have errors so a tab's index can tell
sound rows from broken ones. Dates and months in messages are named here, the same way
everywhere (`sheetsync.months`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sheetsync.contract import PENERIMA
from sheetsync.issues import Issue, Severity, ValidationReport
from sheetsync.messages import IssueCode, left_out_text, message, severity_of, suggestion_text
from sheetsync.months import day_label, month_label

if TYPE_CHECKING:
    from sheetsync.validate.reading import Row


@dataclass(slots=True)
class Context:
    """The issues found so far, and the rows that have errors among them."""

    as_of: dt.datetime
    language: str
    report: ValidationReport = field(default_factory=ValidationReport)
    _error_rows: set[tuple[str, int]] = field(default_factory=set)

    def add(
        self,
        code: IssueCode,
        source: str,
        row: int | None,
        column: str | None,
        value: str | None,
        /,
        **fields: object,
    ) -> None:
        severity = severity_of(code)
        kind = "recipient" if source == PENERIMA.name else "row"
        fields.setdefault("left_out", left_out_text(kind, self.language))
        fields.setdefault("column", column)
        fields.setdefault("value", value)
        text = message(code, self.language, **fields)
        self.report.add(Issue(str(code), severity, source, row, column, value, text))
        if severity is Severity.ERROR and row is not None:
            self._error_rows.add((source, row))

    def flag(self, code: IssueCode, row: Row, header: str, **fields: object) -> None:
        """An issue on one cell of `row`, with the header and value as the user sees them."""
        fields.setdefault("column", " ".join(row.column(header).split()))
        fields.setdefault("value", row.text(header))
        self.add(code, row.tab, row.number, row.column(header), row.raw(header), **fields)

    def unreadable(self, tab: str) -> bool:
        """The tab is missing or lacks a required header, so none of its rows were read."""
        fatal = {IssueCode.TAB_MISSING, IssueCode.HEADER_MISSING}
        return any(i.source == tab and i.code in fatal for i in self.report)

    def has_errors(self, row: Row) -> bool:
        return (row.tab, row.number) in self._error_rows

    def suggestion(self, candidates: list[str]) -> str:
        return suggestion_text(candidates, self.language)

    def day_text(self, day: dt.date) -> str:
        return day_label(day, self.language)

    def moment_text(self, moment: dt.datetime) -> str:
        sep = ":" if self.language == "en" else "."
        return f"{self.day_text(moment.date())} {moment:%H}{sep}{moment:%M}"

    def month_text(self, month: str) -> str:
        return month_label(month, self.language)
