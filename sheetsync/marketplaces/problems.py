"""Issues for files and rows that cannot be taken in, built from the message catalogue.

A bad row never stops its file and a bad file never stops the run: each becomes an
`Issue` that names the file, the row as a person sees it, the column and the value, and
says how to fix it (the sentences: `sheetsync.messages.exports`). Row issues are capped
per code and file (a broken 100,000-line file would otherwise bury the report) with one
closing issue that counts the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheetsync.issues import Issue, Severity
from sheetsync.marketplaces.layouts import HeaderMatch
from sheetsync.messages import IngestCode, message, severity_of, variant_message

ROW_ISSUES_PER_CODE = 100


def file_issue(
    code: str,
    source: str,
    detail: str = "",
    severity: Severity | None = None,
    *,
    language: str = "id",
) -> Issue:
    """A file-level issue; `detail` (often a library's English text) is kept as the value,
    never inside the message unless the message names it. Severity: the catalogue's."""
    text = message(code, language, source=source, detail=detail)
    return Issue(code, severity or severity_of(code), source, None, None, detail or None, text)


def unknown_layout_issue(source: str, closest: HeaderMatch | None, language: str = "id") -> Issue:
    """Names the closest known layout and the columns it lacks, so a person can compare."""
    code = IngestCode.FILE_UNKNOWN_LAYOUT
    if closest is None:
        text = message(code, language, source=source)
        return Issue(code, severity_of(code), source, None, None, None, text)
    text = variant_message(
        code,
        "closest",
        language,
        source=source,
        layout=closest.layout.description,
        header_row=closest.row + 1,
        missing=", ".join(f"'{m}'" for m in closest.missing),
    )
    row = closest.row + 1
    return Issue(code, severity_of(code), source, row, None, ", ".join(closest.missing), text)


def row_issues(
    code: str,
    source: str,
    column: str,
    rows: Sequence[int],
    values: Sequence[str],
    severity: Severity | None = None,
    *,
    language: str = "id",
) -> list[Issue]:
    """One issue per row (up to the cap), then one that counts the remaining rows."""
    severity = severity or severity_of(code)
    issues = [
        Issue(code, severity, source, int(row), column, str(value),
              message(code, language, row=int(row), column=column, value=value))
        for row, value in zip(rows[:ROW_ISSUES_PER_CODE], values[:ROW_ISSUES_PER_CODE],
                              strict=True)
    ]  # fmt: skip
    rest = len(rows) - ROW_ISSUES_PER_CODE
    if rest > 0:
        more = IngestCode.ROWS_MORE
        text = message(more, language, rest=rest, source=source, code=code, column=column)
        issues.append(Issue(more, severity, source, None, column, code, text))
    return issues
