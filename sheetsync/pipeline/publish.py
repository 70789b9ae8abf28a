"""`sheetsync report`, `send` and `monthly`: the month's figures going out.

`report` renders files and `send` emails them; both start from the same ground
(`month_to_publish`): refuse while the staff tabs are broken, the month's KPIs, the
staff tabs' issues with the month's completeness, and the export files behind it all.
`monthly` is the 1st-of-the-month run: final sync, reports, emails, at one instant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sheetsync import months as months_mod
from sheetsync.clock import Clock, fixed_clock
from sheetsync.config import Config
from sheetsync.issues import Issue
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Registry
from sheetsync.pipeline.queries import compute_month
from sheetsync.pipeline.runs import finish_run, log, now_local, open_ledger, open_workbook, recorded
from sheetsync.pipeline.staff import StaffData, completeness, ensure_publishable, read_staff_data
from sheetsync.pipeline.sync import SyncResult, sync
from sheetsync.runlock import run_lock
from sheetsync.runlog import RunRecord

if TYPE_CHECKING:
    from sheetsync.ledger import Ledger
    from sheetsync.mail.send import SendSummary


@dataclass(slots=True)
class MonthToPublish:
    """What a report and its email are made of."""

    result: KpiResult
    registry: Registry
    issues: list[Issue]  # the staff tabs' issues, then the month's completeness
    sources: list[str]  # the export files behind the figures, for the footnote


def month_to_publish(
    config: Config, ledger: Ledger, staff: StaffData, month: str, now: dt.datetime
) -> MonthToPublish:
    """The common ground of `report` and `send`; refuses (exit 1) while the staff tabs
    are broken, since every figure would be wrong."""
    ensure_publishable(config, ledger, staff)
    result = compute_month(config, ledger, staff.registry, month)
    issues = [*staff.report, *completeness(config, ledger, staff.registry, [month], now)]
    return MonthToPublish(result, staff.registry, issues, ledger_sources(ledger))


def ledger_sources(ledger: Ledger) -> list[str]:
    """The data behind a report, for its footnote: export files by marketplace."""
    counts: dict[str, int] = {}
    for record in ledger.files(status="imported"):
        label = f"{record.marketplace or 'produk'} ({record.kind})"
        counts[label] = counts.get(label, 0) + 1
    return [f"{count} file ekspor {label}" for label, count in sorted(counts.items())]


def report(
    config: Config,
    month: str,
    *,
    level: str = "all",
    area: str | None = None,
    formats: Sequence[str] = ("html", "pdf", "xlsx"),
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
    clock: Clock | None = None,
) -> list[Path]:
    """Render the month's reports from the ledger and the current staff tabs."""
    from sheetsync.report.paths import LEVELS
    from sheetsync.report.render import render_reports

    now = now or now_local(config, clock)
    staff = read_staff_data(config, open_workbook(config), now)
    levels = LEVELS if level == "all" else (level,)
    with open_ledger(config) as ledger:
        month_data = month_to_publish(config, ledger, staff, month, now)
    if area:
        check_area(config, month_data.result, month_data.registry, levels, area)
    log.info("rendering %s reports for %s (%s)", level, month, ", ".join(formats))
    return render_reports(
        month_data.result,
        month_data.registry,
        issues=month_data.issues,
        config=config,
        as_of=now,
        levels=levels,
        areas={area} if area else None,
        formats=formats,
        progress=progress,
        sources=month_data.sources,
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
    now: dt.datetime | None = None,
    clock: Clock | None = None,
) -> SendRun:
    """Email each recipient the report of their area, exactly once (see mail/).

    The run's instant dates every message and send-log entry (and the daily cap's day).
    """
    from sheetsync.ledger import SendLog
    from sheetsync.mail import plan_deliveries, report_summaries, send_reports

    now = now or now_local(config, clock)
    staff = read_staff_data(config, open_workbook(config), now)
    record = RunRecord(f"send {month}", started_at=now)
    with (
        run_lock(config.lock_path),
        open_ledger(config) as ledger,
        recorded(config, ledger, record, store=not dry_run),  # the Log tab counts emails sent
    ):
        month_data = month_to_publish(config, ledger, staff, month, now)
        summaries = report_summaries(
            month_data.result,
            month_data.registry,
            issues=month_data.issues,
            config=config,
            as_of=now,
            sources=month_data.sources,
        )
        deliveries, issues = plan_deliveries(
            month_data.registry,
            month,
            config.reports.out,
            program_name=config.program.name,
            language=config.program.language,
            kpis=month_data.result,
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
            clock=fixed_clock(now),
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
    config: Config,
    month: str | None = None,
    *,
    now: dt.datetime | None = None,
    clock: Clock | None = None,
) -> MonthlyResult:
    """The 1st-of-the-month run: final sync of `month`, its reports, then send them,
    all at the one instant read when the run starts."""
    now = now or now_local(config, clock)
    month = month or months_mod.previous_month(months_mod.month_of(now))
    synced = sync(config, months=[month], now=now)
    paths = report(config, month, formats=config.reports.formats, now=now)
    sent = send(config, month, now=now)
    return MonthlyResult(month, synced, paths, sent)
