"""What the views are built from: the run's data once, and one report's share of it.

`ReportData` turns the KPI frames into plain rows once and indexes the trend and the issues'
owners, so building a hundred views stays cheap; `Scope` is the rows of each KPI table (and
the issues) that belong to one report's area. Every section of a view reads from these two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sheetsync.config import Config
from sheetsync.issues import Issue
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Registry
from sheetsync.report.quality import issue_owners, owned_issue_indexes
from sheetsync.report.rows import Row, labelled, records, trend_index
from sheetsync.report.units import ReportUnit


@dataclass(slots=True)
class ReportData:
    """Everything the views are built from, with the lookups every view needs."""

    result: KpiResult
    registry: Registry
    issues: Sequence[Issue]
    config: Config
    as_of: dt.datetime
    sources: Sequence[str] = ()
    owners: list[tuple[set[str], set[str]]] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    trend: dict[tuple[str, str], dict[str, tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Frames become lists of plain dicts once: scoping 100 reports on them is cheap."""
        self.owners = [issue_owners(i, self.registry) for i in self.issues]
        r = self.result
        frames = {
            "shops": r.shops,
            "ambassadors": r.ambassadors,
            "villages": r.villages,
            "kecamatan": r.kecamatan,
            "regency": r.regency,
            "discipline": r.discipline,
            "top_products": r.top_products,
        }
        self.rows = {name: records(frame) for name, frame in frames.items()}
        for name in ("shops", "ambassadors", "villages", "kecamatan"):
            self.rows[name] = [labelled(row, self.language) for row in self.rows[name]]
        self.trend = trend_index(r.trend)

    @property
    def language(self) -> str:
        return self.config.program.language


@dataclass(slots=True)
class Scope:
    """The rows of every KPI table that belong to one report's area."""

    unit: ReportUnit
    row: Row
    villages: list[Row]
    ambassadors: list[Row]
    shops: list[Row]
    issue_indexes: list[int]

    @classmethod
    def of(cls, unit: ReportUnit, data: ReportData) -> Scope:
        level_rows, key = {
            "kabupaten": ("regency", None),
            "kecamatan": ("kecamatan", "kecamatan"),
            "desa": ("villages", "village_code"),
            "duta": ("ambassadors", "ambassador_id"),
        }[unit.level]
        row = _row_of(data.rows[level_rows], key, unit.code)
        villages = _filter(data.rows["villages"], unit, data.registry)
        ambassadors = _filter(data.rows["ambassadors"], unit, data.registry)
        shops = _filter(data.rows["shops"], unit, data.registry)
        owned = owned_issue_indexes(unit, data, {str(v.get("village_code")) for v in villages})
        return cls(unit, row, villages, ambassadors, shops, owned)


def _row_of(rows: list[Row], key: str | None, code: str) -> Row:
    if key is None:
        return rows[0] if rows else {}
    return next((r for r in rows if str(r.get(key)) == code), {})


def _filter(rows: list[Row], unit: ReportUnit, registry: Registry) -> list[Row]:
    """Rows inside `unit`'s area, by whichever key the rows carry."""
    if unit.level == "kabupaten" or not rows:
        return rows
    if unit.level == "duta":
        column, values = "ambassador_id", {unit.code}
    elif unit.level == "desa":
        column, values = "village_code", {unit.code}
    elif "kecamatan" in rows[0]:
        column, values = "kecamatan", {unit.code}
    else:
        column = "village_code"
        values = {v.code for v in registry.villages if v.kecamatan == unit.code}
    return [r for r in rows if str(r.get(column)) in values]
