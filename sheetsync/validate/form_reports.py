"""The Laporan Duta tab: the ambassadors' monthly reports, as Google Forms wrote them.

A report describes a month that is over; an ambassador may submit a month again, and then
only the latest submission counts (both rows say so, so whoever looks at either sees why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sheetsync.contract import DUTA
from sheetsync.messages import IssueCode
from sheetsync.model import FormReport
from sheetsync.months import month_bounds
from sheetsync.validate.context import Context
from sheetsync.validate.fields import count, month, required, timestamp
from sheetsync.validate.lookup import Index, check_reference
from sheetsync.validate.reading import Row

_REPORT_COUNTS = ("Jumlah Kegiatan", "Jumlah Peserta", "Toko Baru", "Produk Diunggah")


def validate_form_reports(
    ctx: Context, rows: list[Row], ambassadors: Index
) -> tuple[FormReport, ...]:
    reports: list[tuple[Row, FormReport]] = []
    for row in rows:
        submitted = timestamp(ctx, row, "Timestamp")
        ambassador = required(ctx, row, "ID Duta")
        check_reference(ctx, row, "ID Duta", ambassadors, DUTA, IssueCode.UNKNOWN_AMBASSADOR)
        report_month = month(ctx, row, "Bulan Laporan")
        activities, participants, new_shops, uploaded = (count(ctx, row, h) for h in _REPORT_COUNTS)
        if submitted and report_month:
            _check_month_ended(ctx, row, submitted, report_month)
        report = FormReport(
            submitted or dt.datetime.min,
            ambassador or "",
            report_month or "",
            activities,
            participants,
            new_shops,
            uploaded,
            row.text("Catatan"),
            row.number,
        )
        reports.append((row, report))
    sound = [r for row, r in reports if not ctx.has_errors(row)]
    return tuple(_latest_reports(ctx, sound, {r.number: r for r, _ in reports}))


def _check_month_ended(ctx: Context, row: Row, submitted: dt.datetime, month: str) -> None:
    if submitted < month_bounds(month)[1]:
        ctx.flag(
            IssueCode.REPORT_MONTH_NOT_ENDED,
            row,
            "Bulan Laporan",
            month=ctx.month_text(month),
            submitted=ctx.moment_text(submitted),
        )


def _latest_reports(
    ctx: Context, reports: list[FormReport], rows: Mapping[int, Row]
) -> list[FormReport]:
    """One report per ambassador and month: the latest submission counts.

    Both sides are flagged: the earlier submissions (left out) and the latest one (which
    replaced them), so whoever looks at either row sees why only one is counted.
    """
    latest: dict[tuple[str, str], FormReport] = {}
    for report in reports:
        key = (report.ambassador_id, report.month)
        if key not in latest or _is_later(report, latest[key]):
            latest[key] = report
    earlier = [r for r in reports if latest[(r.ambassador_id, r.month)] is not r]
    for report in earlier:
        winner = latest[(report.ambassador_id, report.month)]
        fields = {"ambassador": report.ambassador_id, "month": ctx.month_text(report.month)}
        ctx.flag(IssueCode.REPORT_SUPERSEDED, rows[report.row], "Bulan Laporan",
                 latest_row=winner.row, **fields)  # fmt: skip
        ctx.flag(IssueCode.REPORT_RESUBMITTED, rows[winner.row], "Bulan Laporan",
                 earlier_row=report.row, **fields)  # fmt: skip
    return [r for r in reports if latest[(r.ambassador_id, r.month)] is r]


def _is_later(report: FormReport, other: FormReport) -> bool:
    """Submitted later; on the same second, the lower row (Forms appends in order)."""
    return (report.submitted_at, report.row) >= (other.submitted_at, other.row)
