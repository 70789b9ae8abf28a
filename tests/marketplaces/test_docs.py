"""docs/marketplaces.md shows the status table the code uses."""

from __future__ import annotations

from pathlib import Path

from sheetsync.marketplaces.status import status_table_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "marketplaces.md"


def test_the_documented_status_table_is_the_one_in_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("<!-- status-table:start -->\n") + len("<!-- status-table:start -->\n")
    end = text.index("<!-- status-table:end -->")
    assert text[start:end] == status_table_markdown()
