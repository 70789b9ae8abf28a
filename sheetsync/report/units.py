"""Which reports exist: one unit per level and area, in a stable order.

A report is written for the regency, each kecamatan, each village and each ambassador that
the registry lists or the KPI tables carry (the bucket of unplaceable figures gets none);
`areas` picks some of them by code. Every other report module takes a `ReportUnit`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sheetsync.kpi_schema import UNASSIGNED, KpiResult
from sheetsync.model import Registry
from sheetsync.report.paths import regency_proper_name
from sheetsync.report.rows import missing

LEVELS = ("kabupaten", "kecamatan", "desa", "duta")


@dataclass(frozen=True, slots=True)
class ReportUnit:
    """One report to write: its level, the area's key (code) and its readable name."""

    level: str
    code: str
    name: str
    aliases: tuple[str, ...] = ()  # other codes that select it, e.g. a kecamatan's "19.02.04"


def report_units(
    result: KpiResult,
    registry: Registry,
    levels: Iterable[str] = LEVELS,
    areas: Collection[str] | None = None,
    *,
    program_name: str = "",
) -> list[ReportUnit]:
    """The reports to write, in a stable order.

    `areas` keeps the units whose code matches (case-insensitively): kecamatan name or its
    Kemendagri code ("19.02.04"), village code, ambassador id, regency name or "kabupaten".
    Names of villages are not matched: they repeat across kecamatan. `program_name` names
    the regency when the KPI tables do not ("Duta Digital Kabupaten Belitung" -> Belitung).
    """
    wanted = {a.casefold() for a in areas} if areas is not None else None
    units: list[ReportUnit] = []
    for level in levels:
        if level not in LEVELS:
            raise ValueError(f"unknown report level {level!r}; known: {', '.join(LEVELS)}")
        found = _units_of(level, result, registry, program_name)
        units.extend(u for u in found if _matches(u, wanted))
    return units


def _matches(unit: ReportUnit, wanted: set[str] | None) -> bool:
    if wanted is None:
        return True
    return bool({c.casefold() for c in (unit.code, *unit.aliases)} & wanted)


def _units_of(
    level: str, result: KpiResult, registry: Registry, program_name: str
) -> list[ReportUnit]:
    if level == "kabupaten":
        name = regency_name(result, program_name)
        return [ReportUnit(level, name, name, ("kabupaten",))]
    if level == "kecamatan":
        kecamatan = {v.kecamatan for v in registry.villages}
        names = sorted(_known(_column(result.kecamatan, "kecamatan")) | kecamatan)
        return [ReportUnit(level, n, n, _kecamatan_codes(n, registry)) for n in names]
    if level == "desa":
        villages = {v.code: v.name for v in registry.villages}
        codes = sorted(_known(_column(result.villages, "village_code")) | set(villages))
        return [ReportUnit(level, c, villages.get(c, c)) for c in codes]
    people = {a.ambassador_id: a.name for a in registry.ambassadors}
    ids = sorted(_known(_column(result.ambassadors, "ambassador_id")) | set(people))
    return [ReportUnit(level, i, people.get(i, i)) for i in ids]


def _kecamatan_codes(name: str, registry: Registry) -> tuple[str, ...]:
    """'19.02.04' from the codes of the kecamatan's villages (19.02.04.2001 …)."""
    return tuple(
        sorted(
            {
                v.code.rsplit(".", 1)[0]
                for v in registry.villages
                if v.kecamatan == name and v.code.count(".") == 3
            }
        )
    )


def regency_name(result: KpiResult, program_name: str = "") -> str:
    """'Belitung' from the regency row, else from the programme's name ("Duta Digital
    Kabupaten Belitung" -> Belitung, else the whole programme name); a leading 'Kabupaten '
    is dropped, since the report's level already says it."""
    name = regency_proper_name(min(_known(_column(result.regency, "regency")), default=""))
    from_program = re.search(r"(?:kabupaten|kab\.)\s+(.+)$", program_name, flags=re.IGNORECASE)
    from_program_name = from_program.group(1).strip() if from_program else program_name.strip()
    return name or from_program_name or "Kabupaten"


def _known(keys: Iterable[Any]) -> set[str]:
    """Unit keys that get a report: the bucket of unplaceable figures gets none."""
    return {str(k) for k in keys if str(k) != UNASSIGNED and not missing(k)}


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    return list(frame[name]) if name in frame.columns else []
