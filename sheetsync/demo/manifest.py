"""What `write_demo` wrote, as values: the manifest a test holds the sync's figures against.

Every row, every planted mistake and every order line per file is recorded here, so tests
can check what sheetsync makes of the demo without reading sheetsync's own output. Also
where the demo puts its workbook and inbox inside the programme folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sheetsync.demo.exports.specs import OrderLineSpec
from sheetsync.model import Marketplace

WORKBOOK_PATH = Path("data/program.xlsx")
INBOX_PATH = Path("inbox")


@dataclass(frozen=True, slots=True)
class DemoMistake:
    """A deliberate mistake (or accepted variation) staff made, and what should catch it."""

    tab: str  # workbook tab, or "inbox"
    row: int | None  # sheet row as a person sees it (header = 1)
    column: str | None
    value: str
    problem: str  # what is wrong, for developers reading test failures
    expected: str  # "error" | "warning" | "accepted" (a variation validation must accept)


@dataclass(frozen=True, slots=True)
class BrokenRow:
    """An export row written broken on purpose; it must be rejected, never counted."""

    source_row: int  # spreadsheet row of the file as a person sees it
    problem: str  # "missing order number" | "unparseable date" | "negative quantity"
    line: OrderLineSpec


@dataclass(frozen=True, slots=True)
class DemoExport:
    """One export file in the inbox and the order lines it holds (broken rows apart)."""

    shop_id: str
    marketplace: Marketplace
    path: Path
    layout: str  # "shopee-2025" | "shopee-2026" | "tokopedia"
    fmt: str  # "xlsx" | "csv"
    period: tuple[dt.date, dt.date]  # creation (Tokopedia: payment) dates the file covers
    downloaded_at: dt.datetime  # also the file's modification time
    lines: tuple[OrderLineSpec, ...]
    broken: tuple[BrokenRow, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoManifest:
    """What `write_demo` wrote; enough to check every figure the sync computes."""

    root: Path
    workbook: Path
    inbox: Path
    today: dt.date
    months: tuple[str, ...]  # the three full months, oldest first
    current_month: str  # partly covered by a few downloads
    tables: Mapping[str, tuple[tuple[object, ...], ...]]  # rows written per staff tab
    mistakes: tuple[DemoMistake, ...]
    exports: tuple[DemoExport, ...]  # files in folders named after a shop of the Toko tab
    orphan_exports: tuple[DemoExport, ...]  # files in a folder no shop is registered for
    shops_without_exports: tuple[str, ...]
    files: tuple[Path, ...] = field(default=())  # every file written, relative to root
    # product-listing snapshots: (shop_id, path, snapshot day, product ids listed)
    listings: tuple[tuple[str, Path, dt.date, tuple[str, ...]], ...] = ()
