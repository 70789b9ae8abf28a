"""The issues built from the catalogue follow `[program] language`: the same code, place and
value, the sentence in the chosen language (Bahasa Indonesia unless "en")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheetsync.ingest import ingest_inbox
from sheetsync.ledger import Ledger
from sheetsync.marketplaces.problems import (
    ROW_ISSUES_PER_CODE,
    file_issue,
    row_issues,
    unknown_layout_issue,
)
from sheetsync.messages import IngestCode

NOW = dt.datetime(2026, 9, 2, 6, 0)


def test_a_file_issue_is_worded_in_the_chosen_language() -> None:
    english = file_issue(IngestCode.FILE_NO_ROWS, "TK-1/a.xlsx", language="en")
    indonesian = file_issue(IngestCode.FILE_NO_ROWS, "TK-1/a.xlsx")
    assert english.message == (
        "File TK-1/a.xlsx holds no data rows, only the headers. Check the date range when "
        "downloading the export, then download it again."
    )
    assert indonesian.message.startswith("File TK-1/a.xlsx tidak berisi baris data")
    assert (english.code, english.severity, english.source) == (
        indonesian.code, indonesian.severity, indonesian.source,
    )  # fmt: skip


def test_row_issues_and_their_closing_count_follow_the_language() -> None:
    rows = list(range(2, ROW_ISSUES_PER_CODE + 5))
    issues = row_issues(IngestCode.ROW_BAD_DATE, "f.csv", "Tanggal", rows, ["x"] * len(rows),
                        language="en")  # fmt: skip
    assert issues[0].message.startswith("Date 'x' in column 'Tanggal' of row 2 cannot be read.")
    assert issues[-1].code == IngestCode.ROWS_MORE
    assert issues[-1].message == (
        "There are 3 more rows in f.csv with the same problem (row_bad_date) in column "
        "'Tanggal'. Fix the file or download the export again."
    )


def test_an_unknown_layout_is_explained_in_english() -> None:
    issue = unknown_layout_issue("a.xlsx", None, language="en")
    assert issue.message.startswith("The layout of file a.xlsx is not recognised: no header row")


@pytest.mark.parametrize(
    ("language", "start"),
    [("en", "File Order.all.csv lies directly in the inbox folder"),
     ("id", "File Order.all.csv ada langsung di folder inbox")],
)  # fmt: skip
def test_inbox_issues_follow_the_language(tmp_path: Path, language: str, start: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Order.all.csv").write_text("x\n", encoding="utf-8")
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        summary = ingest_inbox(inbox, ledger, now=NOW, workers=1, language=language)
    [issue] = summary.issues
    assert issue.code == "ingest.outside_shop_folder"
    assert issue.message.startswith(start)
