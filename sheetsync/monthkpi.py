"""KPIs of one month from the ledger, computed once per state of what they depend on.

A sync runs several times a day, and most runs find no new export and unchanged staff
tabs. Recomputing then means reading a province's million lines back and resolving them
again for the same figures. So the last result of each month is kept in the ledger
(`kpi_cache`) with a fingerprint of its inputs: the ledger's manifest (any file imported,
replaced or moved changes it), the registry as validated from the staff tabs (targets and
form reports included), the KPI settings, the regency name and this sheetsync's code (its
source files, so a fix deployed without a version bump is never hidden by old figures).
Same fingerprint -> the stored result; anything else -> computed and stored again.

The result is stored with pickle: the ledger is this programme's own file, written only
by sheetsync, and a result that cannot be read back (another pandas) is simply computed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from sheetsync import __version__
from sheetsync.errors import LedgerError
from sheetsync.kpi import compute_kpis
from sheetsync.kpi.compute import KPI_LINE_COLUMNS
from sheetsync.kpi_schema import KpiConfig, KpiResult
from sheetsync.ledger import Ledger
from sheetsync.model import Registry
from sheetsync.months import months_back
from sheetsync.procpool import forked

HISTORY_MONTHS = 12
log = logging.getLogger("sheetsync.monthkpi")


def month_kpis(
    ledger: Ledger,
    registry: Registry,
    month: str,
    *,
    kpi_config: KpiConfig = KpiConfig(),  # noqa: B008 - frozen dataclass, safe as default
    regency_name: str = "kabupaten",
) -> KpiResult:
    """The month's KPIs with 12 months of history, reused while the inputs are unchanged."""
    found = months_kpis(ledger, registry, [month], kpi_config=kpi_config, regency_name=regency_name)
    return found[month]


def months_kpis(
    ledger: Ledger,
    registry: Registry,
    months: Sequence[str],
    *,
    kpi_config: KpiConfig = KpiConfig(),  # noqa: B008 - frozen dataclass, safe as default
    regency_name: str = "kabupaten",
) -> dict[str, KpiResult]:
    """`month_kpis` of several months (a sync's this month and last), the lines of the
    months not reused decoded once for all of them."""
    inputs = {m: inputs_fingerprint(ledger, registry, m, kpi_config, regency_name) for m in months}
    results = {m: _loads(ledger.cached_result(m, inputs[m])) for m in months}
    todo = [m for m in dict.fromkeys(months) if results[m] is None]
    windows = [months_back(m, HISTORY_MONTHS) for m in todo]
    tables = ledger.order_tables_for_windows(windows, columns=KPI_LINE_COLUMNS) if todo else []
    listings = [ledger.listing_snapshots(until_month=month) for month in todo]
    jobs = [
        _MonthJob(month, lines, registry, shown, kpi_config, regency_name)
        for month, lines, shown in zip(todo, tables, listings, strict=True)
    ]
    for month, result in _computed(jobs).items():
        _keep(ledger, month, inputs[month], result)
        results[month] = result
    return {m: r for m, r in results.items() if r is not None}


@dataclass(frozen=True)
class _MonthJob:
    """Everything compute_kpis needs for one month, read from the ledger beforehand (a
    forked process must not touch the ledger's connection)."""

    month: str
    lines: pa.Table
    registry: Registry
    listings: pd.DataFrame
    kpi_config: KpiConfig
    regency_name: str

    def compute(self) -> KpiResult:
        return compute_kpis(
            self.lines,
            self.registry,
            self.month,
            listings=self.listings,
            kpi_config=self.kpi_config,
            history_months=HISTORY_MONTHS,
            regency_name=self.regency_name,
        )


# Below this many lines a forked process costs more than the second core saves.
PARALLEL_MIN_LINES = 200_000
FORKED_MIN_WAIT_S = 60.0  # a forked half is given at least this long, then done here


def _computed(jobs: Sequence[_MonthJob]) -> dict[str, KpiResult]:
    """Each month's KPIs. A sync computes this month and the last, each over a year of
    lines and one core at a time: with many lines, half the months go to a forked process
    (it shares the decoded lines) while this one computes the rest, so both cores work.
    Should the forked half fail, die or hang, it is computed here: the same figures."""
    lines = max((job.lines.num_rows for job in jobs), default=0)
    if len(jobs) < 2 or lines < PARALLEL_MIN_LINES:
        return _compute_all(jobs)
    there, here = jobs[: len(jobs) // 2], jobs[len(jobs) // 2 :]
    call = forked(_compute_all, there)
    started = time.monotonic()
    results = _compute_all(here)
    elapsed = time.monotonic() - started
    theirs = call.result(max(FORKED_MIN_WAIT_S, 20 * elapsed)) if call else None
    if theirs is None:
        log.info("KPIs of %s computed in this process", ", ".join(j.month for j in there))
        theirs = _compute_all(there)
    found = {**theirs, **results}
    return {job.month: found[job.month] for job in jobs}  # in the months' order


def _compute_all(jobs: Sequence[_MonthJob]) -> dict[str, KpiResult]:
    return {job.month: job.compute() for job in jobs}


def _keep(ledger: Ledger, month: str, inputs: str, result: KpiResult) -> None:
    try:
        ledger.cache_result(month, inputs, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except LedgerError as exc:  # a busy or read-only ledger: the figures are still right
        log.warning("KPIs of %s not kept for reuse: %s", month, exc)


def inputs_fingerprint(
    ledger: Ledger, registry: Registry, month: str, kpi_config: KpiConfig, regency_name: str
) -> str:
    """sha256 of everything compute_kpis reads for the month (frozen dataclasses' reprs
    hold every field)."""
    parts = (month, ledger.data_fingerprint(), repr(registry), repr(kpi_config), regency_name,
             code_fingerprint(), pd.__version__)  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """sha256 of this sheetsync's version and every source file of the package."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _loads(blob: bytes | None) -> KpiResult | None:
    if blob is None:
        return None
    try:
        result = pickle.loads(blob)
    except Exception:  # written by another library version: compute again
        return None
    return result if isinstance(result, KpiResult) else None
