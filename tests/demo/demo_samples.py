"""What the demo tests share: the programme day they write the demo for, and a column reader."""

from __future__ import annotations

import datetime as dt

from sheetsync.tabs import SheetTable

TODAY = dt.date(2026, 11, 22)


def column(table: SheetTable, header: str) -> list[str]:
    index = table.header.index(header)
    return [row[index] for row in table.rows]
