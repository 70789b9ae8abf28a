"""The staff tabs as a run sees them: read, validated, and judged fit to publish from.

Every command starts from what staff typed. Rows with errors stay out of the registry;
a structurally broken tab (a required tab or header gone, most rows lost) blocks
publishing, because every figure built on it would be wrong. The month's completeness
(missing form reports, shops without exports) is checked against the registry here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sheetsync.config import Config
from sheetsync.contract import STAFF_TABS
from sheetsync.issues import Issue, ValidationReport
from sheetsync.model import Registry
from sheetsync.pipeline.runs import inbox_folders
from sheetsync.tabs import SheetTable
from sheetsync.workbook.base import Workbook

if TYPE_CHECKING:
    from sheetsync.ledger import Ledger


@dataclass(slots=True)
class StaffData:
    tables: dict[str, SheetTable]
    registry: Registry
    report: ValidationReport


def read_staff_data(config: Config, workbook: Workbook, as_of: dt.datetime) -> StaffData:
    """Read every staff tab and validate it: rows with errors stay out of the registry."""
    from sheetsync.validate import uncomputed_formula_issues, validate_workbook

    tables = workbook.read_tabs([spec.name for spec in STAFF_TABS])
    registry, report = validate_workbook(
        tables,
        as_of=as_of,
        language=config.program.language,
        inbox_folders=inbox_folders(config),
    )
    report.extend(uncomputed_formula_issues(workbook.uncomputed_formulas, config.program.language))
    return StaffData(dict(tables), registry, report)


def publishing_blockers(config: Config, ledger: Ledger, staff: StaffData) -> list[Issue]:
    """Issues that stop figures from being published (see validate.publishing_blockers)."""
    from sheetsync.validate import publishing_blockers as blockers_of

    return blockers_of(
        staff.report,
        staff.registry,
        last_good=ledger.last_good_registry(),
        shrink_limit_pct=config.workbook.registry_shrink_limit_pct,
        language=config.program.language,
    )


def ensure_publishable(config: Config, ledger: Ledger, staff: StaffData) -> None:
    """`report`, `send` and `monthly` refuse while the staff tabs are broken: every figure
    would be wrong (e.g. all shops unplaced when the Toko header row is gone)."""
    from sheetsync.errors import PublishingBlockedError
    from sheetsync.validate import STRUCTURAL_CODES

    blockers = publishing_blockers(config, ledger, staff)
    if blockers:
        structural = [i for i in staff.report.errors if i.code in STRUCTURAL_CODES]
        reasons = " ".join(i.message for i in (*structural, *blockers[:-1]))
        raise PublishingBlockedError(
            f"Laporan tidak dibuat dan tidak dikirim karena tab staf rusak. {reasons} Setelah "
            "diperbaiki, jalankan `sheetsync sync`, lalu ulangi perintah ini."
        )


def completeness(
    config: Config,
    ledger: Ledger,
    registry: Registry,
    months: Sequence[str],
    now: dt.datetime,
) -> list[Issue]:
    """Missing form reports, shops without exports, gaps between downloads (warnings)."""
    from sheetsync.validate import completeness_issues

    found: list[Issue] = []
    for month in months:
        # ShopCoverage records: validate reads their declared periods, and a month with
        # orders but no declared period counts as covered (a gap cannot be told from a
        # quiet week).
        coverage: Mapping[str, Any] = ledger.export_coverage(month)
        found.extend(
            completeness_issues(
                registry,
                month,
                as_of=now,
                export_coverage=coverage,
                report_due_day=config.kpi.report_due_day,
                language=config.program.language,
            )
        )
    return found
