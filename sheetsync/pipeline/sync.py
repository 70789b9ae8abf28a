"""`sheetsync sync` and `sheetsync ingest`: the commands that bring data in.

A sync reads the staff tabs, imports new exports, computes the months' KPIs, compares
them with the figures stored last time (what late data changed), stores the new ones and
rewrites every output tab (unless the workbook already shows them: outputs.write_workbook).
It holds the run lock, and every write is all-or-nothing (one ledger transaction per file;
one atomic workbook write), so it can always be repeated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sheetsync import months as months_mod
from sheetsync.clock import Clock
from sheetsync.config import Config
from sheetsync.issues import Issue, ValidationReport
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Registry
from sheetsync.pipeline.outputs import (
    WriteOutcome,
    feedback_tabs,
    output_tabs,
    workbook_notices,
    write_workbook,
)
from sheetsync.pipeline.queries import compute_months
from sheetsync.pipeline.runs import (
    Progress,
    add_message,
    finish_run,
    log,
    now_local,
    open_ledger,
    open_workbook,
    recorded,
)
from sheetsync.pipeline.staff import StaffData, completeness, publishing_blockers, read_staff_data
from sheetsync.runlock import run_lock
from sheetsync.runlog import RunRecord
from sheetsync.tabs import OutputTab
from sheetsync.workbook.base import Workbook

if TYPE_CHECKING:
    from sheetsync.ingest import IngestSummary
    from sheetsync.ledger import Ledger

# The levels whose figures are kept between runs, to say what late data changed.
SNAPSHOT_LEVELS = ("village", "kecamatan", "regency")
KpiSnapshots = dict[str, dict[str, list[dict[str, Any]]]]  # month -> level -> records


@dataclass(slots=True)
class SyncResult:
    months: list[str]
    kpis: dict[str, KpiResult]
    registry: Registry
    report: ValidationReport
    record: RunRecord
    ingest_summary: IngestSummary | None = None
    tabs: list[OutputTab] = field(default_factory=list)
    blocked: list[Issue] = field(default_factory=list)  # why nothing was published
    # False: the workbook was open in Excel; next run writes (True also when it already
    # showed this run's figures and was left alone)
    workbook_written: bool = True

    @property
    def status(self) -> str:
        return "blocked" if self.blocked else "ok"


def sync(
    config: Config,
    *,
    months: Sequence[str] | None = None,
    now: dt.datetime | None = None,
    clock: Clock | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Read tabs, ingest new exports, compute the months' KPIs, write every output tab."""
    now = now or now_local(config, clock)
    chosen = list(months or months_mod.default_sync_months(now.date()))
    record = RunRecord("sync", started_at=now)
    with (
        run_lock(config.lock_path),
        open_ledger(config) as ledger,
        recorded(config, ledger, record),
    ):
        result = _sync(config, ledger, chosen, now, record, progress)
        finish_run(config, ledger, record, result.status)
        ledger.backup_daily(config.ledger.backups, config.ledger.keep_backups, now=now)
        return result


def _sync(
    config: Config,
    ledger: Ledger,
    months: list[str],
    now: dt.datetime,
    record: RunRecord,
    progress: Progress | None,
) -> SyncResult:
    from sheetsync.validate import cell_marks, registry_counts

    workbook = open_workbook(config)
    staff = read_staff_data(config, workbook, now)
    notices = workbook_notices(workbook, config.program.language)
    staff.report.extend(notices)
    add_message(record, *(issue.message for issue in notices))
    log.info(
        "staff tabs read: %d shops, %d ambassadors, %d villages; %d error(s), %d warning(s)",
        len(staff.registry.shops),
        len(staff.registry.ambassadors),
        len(staff.registry.villages),
        len(staff.report.errors),
        len(staff.report.warnings),
    )
    blockers = publishing_blockers(config, ledger, staff)
    record.registry = registry_counts(staff.registry)
    # a broken Toko tab knows no shop: folders are imported under their own names, unflagged
    known = None if blockers else staff.registry
    summary = ingest_into(config, ledger, known, now=now, progress=progress)
    log.info(
        "inbox: %d file(s) imported, %d already seen, %d rejected, %d row(s) rejected",
        summary.files_imported,
        summary.files_skipped,
        summary.files_rejected,
        summary.rows_rejected,
    )
    staff.report.extend(open_file_issues(ledger, summary))
    language = config.program.language
    staff.report.extend(unknown_statuses(ledger, [*months, *summary.months], language))
    if blockers:
        return _sync_blocked(
            config, ledger, workbook, staff, summary, months, blockers, record, now
        )
    kpis = compute_months(config, ledger, staff.registry, months)
    log.info("KPIs computed for %s", ", ".join(months))
    staff.report.extend(completeness(config, ledger, staff.registry, months, now))
    staff.report.extend(two_source_gaps(kpis, language))
    snapshots = kpi_snapshots(kpis)
    record.changes = changes_since_stored_snapshots(config, ledger, snapshots, summary)
    store_kpi_snapshots(ledger, snapshots, now)
    _count_into(record, summary, staff.report)
    record.mark_ended()  # writing the tabs is the run's last step: the Log tab shows its end
    tabs = output_tabs(config, kpis, staff.registry, staff.report, ledger, record, now)
    marks = cell_marks(staff.report)
    outcome = write_workbook(config, workbook, tabs, marks, record, now)
    if outcome is WriteOutcome.WRITTEN:
        log.info("wrote %d output tab(s) and %d cell mark(s)", len(tabs), len(marks))
    written = outcome is not WriteOutcome.POSTPONED
    record.sheets_requests = workbook.sheets_requests
    for change in record.changes:
        log.info("changed since last computed: %s", change)
    return SyncResult(
        months, kpis, staff.registry, staff.report, record, summary, tabs, workbook_written=written
    )


def _sync_blocked(
    config: Config,
    ledger: Ledger,
    workbook: Workbook,
    staff: StaffData,
    summary: IngestSummary,
    months: list[str],
    blockers: list[Issue],
    record: RunRecord,
    now: dt.datetime,
) -> SyncResult:
    """Broken staff tabs: exports are imported, but the KPI tabs keep the last good figures
    (they are not written) and no KPI snapshot is taken; Validasi and Log say why."""
    from sheetsync.validate import cell_marks

    report = staff.report
    report.extend(blockers)
    _count_into(record, summary, report)
    record.message = blockers[-1].message
    record.mark_ended()  # writing the tabs is the run's last step: the Log tab shows its end
    tabs = feedback_tabs(config, report, ledger, record, now, status="blocked")
    outcome = write_workbook(config, workbook, tabs, cell_marks(report), record, now, always=True)
    written = outcome is not WriteOutcome.POSTPONED
    log.warning("NOT published: %s", record.message)
    return SyncResult(
        months,
        {},
        staff.registry,
        report,
        record,
        summary,
        tabs,
        blockers,
        workbook_written=written,
    )


def ingest_into(
    config: Config,
    ledger: Ledger,
    registry: Registry | None,
    *,
    now: dt.datetime,
    progress: Progress | None = None,
) -> IngestSummary:
    from sheetsync.ingest import ingest_inbox

    return ingest_inbox(
        config.inbox.path,
        ledger,
        known_shops=None if registry is None else {shop.shop_id for shop in registry.shops},
        progress=progress,
        workers=None,  # one reader process per core; the single writer only stores blobs
        now=now,
        tz=config.program.tz,
        language=config.program.language,
    )


def open_file_issues(ledger: Ledger, summary: IngestSummary) -> list[Issue]:
    """Problems of export files still in the inbox, whichever run imported them.

    Rejected rows and rejected files stay listed in `Validasi` until the file is fixed
    or removed, not only on the run that read them; issues of this run that belong to
    no stored file (a folder without a shop) come from the summary.
    """
    newest = {r.path: r for r in sorted(ledger.files(), key=lambda r: r.import_seq)}
    found: list[Issue] = []
    for record in newest.values():  # a file fixed in place: only its newest version counts
        if (record.status == "rejected" or record.rejected_rows) and Path(record.path).exists():
            found.extend(ledger.file_issues(record.id))
    seen = {(i.code, i.source, i.row, i.column) for i in found}
    extra = [
        i
        for i in summary.issues
        if (i.code, i.source, i.row, i.column) not in seen and i.code not in REPORTED_BY_VALIDATION
    ]
    return found + extra


def unknown_statuses(ledger: Ledger, months: Sequence[str], language: str = "id") -> list[Issue]:
    """Statuses the status table does not know, once per sync (marketplace, text, lines),
    worded in `language`."""
    from sheetsync.marketplaces.status import unknown_status_issues

    return unknown_status_issues(ledger.status_counts(sorted(set(months))), language)


# Ingest issues that validation already reports, with the Toko tab in view.
REPORTED_BY_VALIDATION = frozenset({"ingest.unknown_shop_folder"})


def two_source_gaps(kpis: Mapping[str, KpiResult], language: str = "id") -> list[Issue]:
    """Ambassadors' own figures far from what the exports show: warnings to follow up,
    worded in `language`."""
    from sheetsync.kpi import two_source_issues

    found: list[Issue] = []
    for month, result in kpis.items():
        if "flagged" in result.two_source.columns:
            found.extend(two_source_issues(result.two_source, month, language))
    return found


def kpi_snapshots(kpis: Mapping[str, KpiResult]) -> KpiSnapshots:
    """Each month's figures as the ledger keeps them between runs (SNAPSHOT_LEVELS)."""
    from sheetsync.kpi import kpi_records

    return {
        month: {level: kpi_records(result, level) for level in SNAPSHOT_LEVELS}
        for month, result in kpis.items()
    }


def changes_since_stored_snapshots(
    config: Config, ledger: Ledger, snapshots: KpiSnapshots, summary: IngestSummary
) -> list[str]:
    """What new data changed in months computed before ("Mei 2026: transaksi … 120 → 118"),
    naming the files this run imported. Reads the stored snapshots; changes nothing."""
    from sheetsync.kpi import diff_kpis

    files = ", ".join(record.source for record in summary.imported)
    changes: list[str] = []
    for month, new in snapshots.items():
        old = snapshot_records(ledger.kpi_snapshot(month))
        if old:
            lines = diff_kpis(old, new, month=month, language=config.program.language)
            changes.extend(f"{line} (file: {files})" if files else line for line in lines)
    return changes


def store_kpi_snapshots(ledger: Ledger, snapshots: KpiSnapshots, now: dt.datetime) -> None:
    """Keep the months' figures for the next run to compare with."""
    for month, records in snapshots.items():
        ledger.save_kpi_snapshot(month, records, computed_at=now)


def snapshot_records(
    snapshot: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    """The ledger's {level: {key: {metric: value}}} as kpi_records-style lists."""
    from sheetsync.kpi_schema import LEVEL_KEYS

    return {
        level: [{LEVEL_KEYS[level]: key, **metrics} for key, metrics in per_key.items()]
        for level, per_key in snapshot.items()
        if level in LEVEL_KEYS
    }


def _count_into(record: RunRecord, summary: IngestSummary, report: ValidationReport) -> None:
    record.files_imported = summary.files_imported
    record.rows_rejected = summary.rows_rejected
    record.validation_errors = len(report.errors)
    record.validation_warnings = len(report.warnings)


def ingest(
    config: Config,
    paths: Sequence[Path],
    *,
    shop_id: str | None = None,
    progress: Progress | None = None,
    clock: Clock | None = None,
) -> IngestSummary:
    """`sheetsync ingest`: the inbox, or the given files/folders, into the ledger."""
    from sheetsync.ingest import ingest_inbox, ingest_paths

    now = now_local(config, clock)
    tz, language = config.program.tz, config.program.language
    with run_lock(config.lock_path), open_ledger(config) as ledger:
        if not paths:
            return ingest_inbox(
                config.inbox.path, ledger, progress=progress, now=now, tz=tz, language=language
            )
        return ingest_paths(
            paths,
            ledger,
            shop_id=shop_id,
            progress=progress,
            now=now,
            tz=tz,
            language=language,
        )
