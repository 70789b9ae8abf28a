"""Where the pure core meets the adapters: sync, ingest, validate, kpi, report, send, monthly.

The CLI and the worker call these functions and nothing else, so a cron run and a
scheduled run do exactly the same thing. Each run holds the run lock, and every write
is all-or-nothing (one ledger transaction per file; one atomic workbook write), so a run
can always be repeated safely.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sheetsync import months as months_mod
from sheetsync.clock import Clock, clock_for, fixed_clock
from sheetsync.config import Config, google_credentials_path
from sheetsync.contract import STAFF_TABS
from sheetsync.errors import WorkbookLockedError
from sheetsync.issues import Issue, ValidationReport
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Registry
from sheetsync.runlock import run_lock
from sheetsync.runlog import INTERRUPTED_MESSAGE, RunRecord, append_json_line, log_tab
from sheetsync.tabs import CellMark, OutputTab, SheetTable
from sheetsync.workbook.base import Workbook

if TYPE_CHECKING:
    from sheetsync.ingest import IngestSummary
    from sheetsync.ledger import Ledger
    from sheetsync.mail.send import SendSummary

Progress = Callable[[str, int, int], None]  # (what, done, total)
log = logging.getLogger("sheetsync.pipeline")  # plain timestamped lines on stderr (cli.py)


def now_local(config: Config, clock: Clock | None = None) -> dt.datetime:
    """The programme's wall-clock time (naive), from `clock` or the configured programme's.

    Each run reads it once and passes the instant down (sheetsync/clock.py says why).
    """
    return (clock or clock_for(config))()


def open_workbook(config: Config) -> Workbook:
    """The configured backend, built in one place so cron, worker and tests agree."""
    if config.workbook.backend == "gsheets":
        from sheetsync.workbook import gsheets

        client = gsheets.make_client(
            google_credentials_path(config),
            endpoint=config.workbook.endpoint,
            timeout=config.workbook.timeout_seconds,
        )
        return gsheets.GSheetsWorkbook(client, config.workbook.spreadsheet_id)
    from sheetsync.workbook.xlsx import XlsxWorkbook

    return XlsxWorkbook(config.workbook.path)


@contextmanager
def open_ledger(config: Config) -> Iterator[Ledger]:
    from sheetsync.ledger import Ledger

    with Ledger.open(config.ledger.path, backups=config.ledger.backups) as ledger:
        yield ledger


def inbox_folders(config: Config) -> list[str]:
    """Shop folders in the inbox (each folder name is a shop's ID Toko)."""
    inbox = config.inbox.path
    if not inbox.is_dir():
        return []
    return sorted(p.name for p in inbox.iterdir() if p.is_dir() and not p.name.startswith("."))


# ------------------------------------------------------------------ staff data


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
    formulas = getattr(workbook, "uncomputed_formulas", {})  # only .xlsx can lack results
    report.extend(uncomputed_formula_issues(formulas, config.program.language))
    return StaffData(dict(tables), registry, report)


# ------------------------------------------------------------------ sync


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
    workbook_written: bool = True  # False: the workbook was open in Excel; next run writes

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
    staff.report.extend(workbook_notices(workbook, record))
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
    staff.report.extend(unknown_statuses(ledger, [*months, *summary.months]))
    if blockers:
        blocked = SyncResult(months, {}, staff.registry, staff.report, record, summary)
        return _sync_blocked(config, ledger, workbook, blocked, blockers, now)
    kpis = {m: compute_month(config, ledger, staff.registry, m) for m in months}
    log.info("KPIs computed for %s", ", ".join(months))
    staff.report.extend(completeness(config, ledger, staff.registry, months, now))
    staff.report.extend(two_source_gaps(kpis))
    record.changes = late_data_changes(config, ledger, kpis, summary, now)
    _count_into(record, summary, staff.report)
    tabs = output_tabs(config, kpis, staff, ledger, record, now)
    marks = cell_marks(staff.report)
    written = write_workbook(config, workbook, tabs, marks, record, now)
    if written:
        log.info("wrote %d output tab(s) and %d cell mark(s)", len(tabs), len(marks))
    record.sheets_requests = int(getattr(workbook, "sheets_requests", 0))
    for change in record.changes:
        log.info("changed since last computed: %s", change)
    return SyncResult(
        months, kpis, staff.registry, staff.report, record, summary, tabs, workbook_written=written
    )


def workbook_notices(workbook: Workbook, record: RunRecord) -> list[Issue]:
    """What the backend says about the workbook itself (the xlsx backend: parts of staff's
    that it writes around), for Validasi and the run log."""
    notices = getattr(workbook, "notices", None)
    found: list[Issue] = list(notices()) if callable(notices) else []
    for issue in found:
        log.warning("%s: %s", issue.source, issue.message)
        record.message = "; ".join(filter(None, [record.message, issue.message]))
    return found


def write_workbook(
    config: Config,
    workbook: Workbook,
    tabs: Sequence[OutputTab],
    marks: Sequence[CellMark],
    record: RunRecord,
    now: dt.datetime,
) -> bool:
    """Write the output tabs; a workbook open in Excel only postpones that to the next run.

    Everything before the write (reading, validating, importing, computing) needs no write
    access, so it is kept; the run log says the tabs were not written and why.
    """
    try:
        workbook.write(tabs, marks)
    except WorkbookLockedError as exc:
        log.warning("output tabs not written: %s", exc)
        record.message = "; ".join(filter(None, [record.message, str(exc)]))
        remember_unwritten_workbook(config, now)
        return False
    forget_unwritten_workbook(config)
    return True


def unwritten_workbook_path(config: Config) -> Path:
    return config.ledger.path.parent / "workbook-unwritten.json"


def remember_unwritten_workbook(config: Config, now: dt.datetime) -> None:
    """Keep the time of the first write that had to wait (for the one-day alert)."""
    if unwritten_workbook_since(config) is None:
        path = unwritten_workbook_path(config)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"since": now.isoformat(timespec="seconds")}), "utf-8")


def forget_unwritten_workbook(config: Config) -> None:
    unwritten_workbook_path(config).unlink(missing_ok=True)


def unwritten_workbook_since(config: Config) -> dt.datetime | None:
    """Since when every sync has had to leave the workbook unwritten (None: it was written)."""
    try:
        data = json.loads(unwritten_workbook_path(config).read_text("utf-8"))
        return dt.datetime.fromisoformat(str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _sync_blocked(
    config: Config,
    ledger: Ledger,
    workbook: Workbook,
    result: SyncResult,
    blockers: list[Issue],
    now: dt.datetime,
) -> SyncResult:
    """Broken staff tabs: exports are imported, but the KPI tabs keep the last good figures
    (they are not written) and no KPI snapshot is taken; Validasi and Log say why."""
    from sheetsync.validate import cell_marks

    record, report = result.record, result.report
    report.extend(blockers)
    if result.ingest_summary is not None:
        _count_into(record, result.ingest_summary, report)
    record.message = blockers[-1].message
    result.tabs = feedback_tabs(config, report, ledger, record, now, status="blocked")
    marks = cell_marks(report)
    result.workbook_written = write_workbook(config, workbook, result.tabs, marks, record, now)
    log.warning("NOT published: %s", record.message)
    result.blocked = blockers
    return result


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


def unknown_statuses(ledger: Ledger, months: Sequence[str]) -> list[Issue]:
    """Statuses the status table does not know, once per sync (marketplace, text, lines)."""
    from sheetsync.marketplaces.status import unknown_status_issues

    return unknown_status_issues(ledger.status_counts(sorted(set(months))))


# Ingest issues that validation already reports, with the Toko tab in view.
REPORTED_BY_VALIDATION = frozenset({"ingest.unknown_shop_folder"})


def compute_month(config: Config, ledger: Ledger, registry: Registry, month: str) -> KpiResult:
    """KPIs of one month from the ledger, with 12 months of history for the trends;
    the last result is reused while no file and no staff row behind it changed."""
    from sheetsync.monthkpi import month_kpis

    return month_kpis(
        ledger, registry, month, kpi_config=config.kpi, regency_name=config.program.regency
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


def two_source_gaps(kpis: Mapping[str, KpiResult]) -> list[Issue]:
    """Ambassadors' own figures far from what the exports show: warnings to follow up."""
    from sheetsync.kpi import two_source_issues

    found: list[Issue] = []
    for month, result in kpis.items():
        if "flagged" in result.two_source.columns:
            found.extend(two_source_issues(result.two_source, month))
    return found


def late_data_changes(
    config: Config,
    ledger: Ledger,
    kpis: Mapping[str, KpiResult],
    summary: IngestSummary,
    now: dt.datetime,
) -> list[str]:
    """What new data changed in months computed before ("Mei 2026: transaksi … 120 → 118")."""
    from sheetsync.kpi import diff_kpis, kpi_records

    files = ", ".join(record.source for record in summary.imported)
    changes: list[str] = []
    for month, result in kpis.items():
        new = {level: kpi_records(result, level) for level in ("village", "kecamatan", "regency")}
        old = snapshot_records(ledger.kpi_snapshot(month))
        if old:
            lines = diff_kpis(old, new, month=month, language=config.program.language)
            changes.extend(f"{line} (file: {files})" if files else line for line in lines)
        ledger.save_kpi_snapshot(month, new, computed_at=now)
    return changes


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


def output_tabs(
    config: Config,
    kpis: Mapping[str, KpiResult],
    staff: StaffData,
    ledger: Ledger,
    record: RunRecord,
    now: dt.datetime,
) -> list[OutputTab]:
    """Every output tab of a sync: KPI tabs of the synced months, Validasi, Log."""
    from sheetsync.kpi import kpi_output_tabs

    language = config.program.language
    newest_first = sorted(kpis, reverse=True)
    per_month = [kpi_output_tabs(kpis[m], staff.registry, language) for m in newest_first]
    tabs = [_stack(same) for same in zip(*per_month, strict=True)]
    return tabs + feedback_tabs(config, staff.report, ledger, record, now, status="ok")


def feedback_tabs(
    config: Config,
    report: ValidationReport,
    ledger: Ledger,
    record: RunRecord,
    now: dt.datetime,
    *,
    status: str,
) -> list[OutputTab]:
    """Validasi and Log. Writing the tabs is the run's last step: if the write fails none
    of it shows, so the Log tab can carry the status the run ends with."""
    from sheetsync.validate import validation_tab

    record.mark_ended()
    shown = replace(record, status=status)
    earlier = [r for r in ledger.recent_runs(limit=500) if r.run_id != record.run_id]
    return [
        validation_tab(report, run_at=now, language=config.program.language),
        log_tab([shown, *earlier]),
    ]


def _stack(tabs: Sequence[OutputTab]) -> OutputTab:
    """The same tab of several months, newest month first (each row carries its month)."""
    first = tabs[0]
    rows = [row for tab in tabs for row in tab.rows]
    return OutputTab(first.name, first.header, rows, first.formats)


def _count_into(record: RunRecord, summary: IngestSummary, report: ValidationReport) -> None:
    record.files_imported = summary.files_imported
    record.rows_rejected = summary.rows_rejected
    record.validation_errors = len(report.errors)
    record.validation_warnings = len(report.warnings)


@contextmanager
def recorded(
    config: Config, ledger: Ledger, record: RunRecord, *, store: bool = True
) -> Iterator[None]:
    """Store the run as "running" before it does anything (a killed run leaves its record;
    the next run marks it "interrupted"); a run that raises is closed as failed."""
    if not store:
        yield
        return
    for stale in ledger.interrupt_stale_runs(INTERRUPTED_MESSAGE):
        append_json_line(config.worker.log_dir, stale)
    ledger.record_run(record)
    try:
        yield
    except BaseException as exc:
        record.message = str(exc) or type(exc).__name__
        finish_run(
            config, ledger, record, "failed" if isinstance(exc, Exception) else "interrupted"
        )
        raise


def finish_run(config: Config, ledger: Ledger, record: RunRecord, status: str) -> None:
    """Close the run's record: in the ledger (for the Log tab) and the JSON-lines log."""
    record.status = status
    record.mark_ended()
    ledger.record_run(record)
    append_json_line(config.worker.log_dir, record)


# ------------------------------------------------------------------ ingest / validate / kpi


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
    with run_lock(config.lock_path), open_ledger(config) as ledger:
        if not paths:
            return ingest_inbox(
                config.inbox.path, ledger, progress=progress, now=now, tz=config.program.tz
            )
        return ingest_paths(
            paths, ledger, shop_id=shop_id, progress=progress, now=now, tz=config.program.tz
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


# ------------------------------------------------------------------ report / send / monthly


def report(
    config: Config,
    month: str,
    *,
    level: str = "all",
    area: str | None = None,
    formats: Sequence[str] = ("html", "pdf", "xlsx"),
    progress: Callable[[int, int], None] | None = None,
    clock: Clock | None = None,
) -> list[Path]:
    """Render the month's reports from the ledger and the current staff tabs."""
    from sheetsync.report.paths import LEVELS
    from sheetsync.report.render import render_reports

    now = now_local(config, clock)
    staff = read_staff_data(config, open_workbook(config), now)
    levels = LEVELS if level == "all" else (level,)
    with open_ledger(config) as ledger:
        ensure_publishable(config, ledger, staff)
        result = compute_month(config, ledger, staff.registry, month)
        staff.report.extend(completeness(config, ledger, staff.registry, [month], now))
        sources = ledger_sources(ledger)
    if area:
        check_area(config, result, staff.registry, levels, area)
    log.info("rendering %s reports for %s (%s)", level, month, ", ".join(formats))
    return render_reports(
        result,
        staff.registry,
        issues=list(staff.report),
        config=config,
        as_of=now,
        levels=levels,
        areas={area} if area else None,
        formats=formats,
        progress=progress,
        sources=sources,
    )


def check_area(
    config: Config, result: KpiResult, registry: Registry, levels: Sequence[str], area: str
) -> None:
    """`report --area X` where X names no report of the chosen levels: a usage error that
    lists the areas there are, instead of "0 report file(s)"."""
    from sheetsync.errors import UsageError
    from sheetsync.report.context import report_units

    units = report_units(result, registry, levels, program_name=config.program.name)
    if any(area.casefold() in {c.casefold() for c in (u.code, *u.aliases)} for u in units):
        return
    known = sorted({u.code for u in units})
    shown = ", ".join(known[:40]) + (f" … ({len(known)} in all)" if len(known) > 40 else "")
    raise UsageError(f"--area {area!r} is not an area of the chosen level(s); known: {shown}")


def ledger_sources(ledger: Ledger) -> list[str]:
    """The data behind a report, for its footnote: export files by marketplace."""
    counts: dict[str, int] = {}
    for record in ledger.files(status="imported"):
        label = f"{record.marketplace or 'produk'} ({record.kind})"
        counts[label] = counts.get(label, 0) + 1
    return [f"{count} file ekspor {label}" for label, count in sorted(counts.items())]


@dataclass(slots=True)
class SendRun:
    summary: SendSummary
    issues: list[Issue]  # recipient rows skipped (bad email, unknown area, no report file)


def send(
    config: Config,
    month: str,
    *,
    dry_run: bool = False,
    only: str | None = None,
    resend: bool = False,
    send_revisions: bool = False,
    clock: Clock | None = None,
) -> SendRun:
    """Email each recipient the report of their area, exactly once (see mail/)."""
    from sheetsync.ledger import SendLog
    from sheetsync.mail import plan_deliveries, report_summaries, send_reports

    clock = clock or clock_for(config)
    now = clock()
    staff = read_staff_data(config, open_workbook(config), now)
    record = RunRecord(f"send {month}", started_at=now)
    with (
        run_lock(config.lock_path),
        open_ledger(config) as ledger,
        recorded(config, ledger, record, store=not dry_run),  # the Log tab counts emails sent
    ):
        ensure_publishable(config, ledger, staff)
        result = compute_month(config, ledger, staff.registry, month)
        staff.report.extend(completeness(config, ledger, staff.registry, [month], now))
        summaries = report_summaries(
            result,
            staff.registry,
            issues=list(staff.report),
            config=config,
            as_of=now,
            sources=ledger_sources(ledger),
        )
        deliveries, issues = plan_deliveries(
            staff.registry,
            month,
            config.reports.out,
            program_name=config.program.name,
            language=config.program.language,
            kpis=result,
            regency_name=config.program.regency,
            summary_html=summaries,
        )
        summary = send_reports(
            deliveries,
            config=config,
            sendlog=SendLog(ledger.connection),
            dry_run=dry_run,
            only=only,
            resend=resend,
            send_revisions=send_revisions,
            clock=clock,
        )
        if not dry_run:
            record.emails_sent = len(summary.delivered)
            record.message = "; ".join(f"{k}: {v}" for k, v in summary.counts.items())
            finish_run(config, ledger, record, "failed" if summary.has_failures else "ok")
    return SendRun(summary, issues)


@dataclass(slots=True)
class MonthlyResult:
    month: str
    sync: SyncResult
    reports: list[Path]
    send: SendRun


def monthly(
    config: Config, month: str | None = None, *, clock: Clock | None = None
) -> MonthlyResult:
    """The 1st-of-the-month run: final sync of `month`, its reports, then send them."""
    now = now_local(config, clock)
    month = month or months_mod.previous_month(months_mod.month_of(now))
    synced = sync(config, months=[month], now=now)
    paths = report(config, month, formats=config.reports.formats, clock=fixed_clock(now))
    sent = send(config, month, clock=clock)
    return MonthlyResult(month, synced, paths, sent)
