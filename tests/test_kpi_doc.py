"""The documents officials and staff read agree with the code."""

from __future__ import annotations

from pathlib import Path

from sheetsync.marketplaces.status import status_table_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_kpi_doc_shows_the_status_table_of_the_code() -> None:
    text = (DOCS / "kpi.md").read_text(encoding="utf-8")
    start = text.index("<!-- status-table:start -->")
    end = text.index("<!-- status-table:end -->")
    shown = text[start:end]
    for row in status_table_markdown().strip().splitlines():
        assert row in shown, f"docs/kpi.md is missing: {row}"
