"""What the ledger holds, per shop and month, without decoding a single line.

Completeness checks (validate, doctor, status) ask which shops sent order exports for a
month, how many lines and over which days, and which periods the exports state; an export
without a line (the shop sold nothing) still counts as received for its stated period.
All of it is read from the manifest and `file_months`, recorded at import (lines.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheetsync.ledger.database import Database, ledger_errors
from sheetsync.ledger.lines import month_code
from sheetsync.ledger.stamps import from_seconds, parse_stamp
from sheetsync.months import month_bounds


@dataclass(frozen=True, slots=True)
class ShopCoverage:
    """What the ledger holds for one shop and one month (completeness checks)."""

    shop_id: str
    marketplaces: tuple[str, ...]
    files: int  # order files with at least one line in the month
    lines: int
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None
    latest_export_at: dt.datetime | None  # newest order file of the shop (any month), local,
    # dated by its name when the name says (files.dated_at), else by its mtime
    periods: tuple[tuple[dt.date, dt.date], ...]  # periods of the month's files, when known


_COVERAGE_IN_MONTH_SQL = (
    "SELECT f.shop_id, COUNT(DISTINCT m.file_id), SUM(m.lines), MIN(m.first_at), "
    "MAX(m.last_at) FROM file_months m JOIN files f ON f.id = m.file_id WHERE m.month = ? "
    "GROUP BY f.shop_id"
)
_COVERAGE_SHOPS_SQL = (
    "SELECT shop_id, GROUP_CONCAT(DISTINCT marketplace), MAX(COALESCE(dated_at, "
    "downloaded_at, imported_at)) FROM files WHERE status = 'imported' AND kind = 'orders' "
    "GROUP BY shop_id"
)
_COVERAGE_EMPTY_SQL = (
    "SELECT shop_id, period_start, period_end FROM files WHERE status = 'imported' AND "
    "kind = 'orders' AND lines = 0 AND period_end IS NOT NULL AND period_start <= ? AND "
    "period_end >= ? ORDER BY shop_id, period_start"
)
_COVERAGE_PERIODS_SQL = (
    "SELECT DISTINCT period_start, period_end FROM files WHERE shop_id = ? AND period_end IS "
    "NOT NULL AND id IN (SELECT file_id FROM file_months WHERE month = ?) ORDER BY "
    "period_start"
)


class Coverage(Database):
    """Which months, shops and periods one open ledger holds data for."""

    @ledger_errors
    def data_months(self) -> tuple[str, str] | None:
        """The first and last month with order lines or a listing snapshot (None: empty)."""
        orders = self.connection.execute("SELECT MIN(month), MAX(month) FROM file_months")
        low, high = orders.fetchone()
        found = [f"{c // 100:04d}-{c % 100:02d}" for c in (low, high) if c is not None]
        snaps = self.connection.execute(
            "SELECT MIN(snapshot_date), MAX(snapshot_date) FROM files "
            "WHERE kind = 'listings' AND status = 'imported'"
        )
        found += [str(d)[:7] for d in snaps.fetchone() if d]
        return (min(found), max(found)) if found else None

    @ledger_errors
    def export_coverage(self, month: str) -> dict[str, ShopCoverage]:
        """Per shop with any imported order file: what the ledger holds for `month`."""
        code = month_code(month)
        in_month = {row[0]: row for row in self.connection.execute(_COVERAGE_IN_MONTH_SQL, (code,))}
        quiet = self._empty_exports(month)
        coverage: dict[str, ShopCoverage] = {}
        for shop_id, marketplaces, latest in self.connection.execute(_COVERAGE_SHOPS_SQL):
            row = in_month.get(shop_id)
            empty = quiet.get(shop_id, ())
            coverage[shop_id] = ShopCoverage(
                shop_id=shop_id,
                marketplaces=tuple(sorted(set((marketplaces or "").split(",")) - {""})),
                files=(row[1] if row else 0) + len(empty),
                lines=row[2] if row else 0,
                first_order_at=from_seconds(row[3]) if row else None,
                last_order_at=from_seconds(row[4]) if row else None,
                latest_export_at=parse_stamp(latest),
                periods=(self._periods(shop_id, code) if row else ()) + empty,
            )
        return coverage

    def _empty_exports(self, month: str) -> dict[str, tuple[tuple[dt.date, dt.date], ...]]:
        """Imported order exports without a single line (the shop sold nothing) whose
        stated period overlaps `month`, per shop: they count as received."""
        first, end = month_bounds(month)
        last = (end - dt.timedelta(days=1)).date().isoformat()
        found: dict[str, tuple[tuple[dt.date, dt.date], ...]] = {}
        for shop_id, start, finish in self.connection.execute(
            _COVERAGE_EMPTY_SQL, (last, first.date().isoformat())
        ):
            period = (dt.date.fromisoformat(start), dt.date.fromisoformat(finish))
            found[shop_id] = (*found.get(shop_id, ()), period)
        return found

    def _periods(self, shop_id: str, code: int) -> tuple[tuple[dt.date, dt.date], ...]:
        rows = self.connection.execute(_COVERAGE_PERIODS_SQL, (shop_id, code))
        return tuple((dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in rows)
