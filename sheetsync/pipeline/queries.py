"""The commands that only look: `validate`, `kpi`, `explain`, and a month's KPIs.

They take no run lock and record no run: they read the staff tabs and the ledger and
return what they found. `compute_month` (`compute_months` for several) is the one way
every command (these, sync, report, send) gets a month's figures, so they all show the
same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sheetsync import months as months_mod
from sheetsync.clock import Clock
from sheetsync.config import Config
from sheetsync.issues import ValidationReport
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Registry
from sheetsync.pipeline.runs import inbox_folders, now_local, open_ledger, open_workbook
from sheetsync.pipeline.staff import completeness, read_staff_data

if TYPE_CHECKING:
    from sheetsync.ledger import Ledger


def compute_month(config: Config, ledger: Ledger, registry: Registry, month: str) -> KpiResult:
    """KPIs of one month from the ledger, with 12 months of history for the trends;
    the last result is reused while no file and no staff row behind it changed."""
    return compute_months(config, ledger, registry, [month])[month]


def compute_months(
    config: Config, ledger: Ledger, registry: Registry, months: Sequence[str]
) -> dict[str, KpiResult]:
    """`compute_month` of several months, their lines decoded once (a sync's months)."""
    from sheetsync.monthkpi import months_kpis

    return months_kpis(
        ledger, registry, months, kpi_config=config.kpi, regency_name=config.program.regency
    )


def validate(
    config: Config, *, month: str | None = None, clock: Clock | None = None
) -> ValidationReport:
    """`sheetsync validate`: the staff tabs, plus the month's completeness when asked."""
    now = now_local(config, clock)
    staff = read_staff_data(config, open_workbook(config), now)
    if month:
        with open_ledger(config) as ledger:
            staff.report.extend(completeness(config, ledger, staff.registry, [month], now))
    return staff.report


def kpi_for_month(config: Config, month: str, *, clock: Clock | None = None) -> KpiResult:
    """KPIs of one month straight from the ledger and the workbook, writing nothing."""
    now = now_local(config, clock)
    staff = read_staff_data(config, open_workbook(config), now)
    with open_ledger(config) as ledger:
        check_month_has_data(ledger, month, now)
        return compute_month(config, ledger, staff.registry, month)


def check_month_has_data(ledger: Ledger, month: str, now: dt.datetime) -> None:
    """A month in the future or before any data is a usage error (exit 2), not zeros."""
    from sheetsync.arguments import check_month

    first, last = ledger.data_months() or (None, None)
    check_month(month, first=first, last=last, current=months_mod.month_of(now))


def explain(
    config: Config,
    month: str,
    *,
    level: str,
    key: str,
    metric: str,
    clock: Clock | None = None,
) -> list[dict[str, Any]]:
    """`sheetsync explain`: the files and rows behind one figure."""
    from sheetsync.arguments import resolve_unit
    from sheetsync.lineage import explain_figure

    now = now_local(config, clock)
    staff = read_staff_data(config, open_workbook(config), now)
    key = resolve_unit(staff.registry, level, key, extra_shops=inbox_folders(config))
    with open_ledger(config) as ledger:
        check_month_has_data(ledger, month, now)
        return explain_figure(ledger, staff.registry, month, level=level, key=key, metric=metric)
