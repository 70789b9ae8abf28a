"""Completeness warnings: what is missing for a month, from plain data (issue 5 §4).

Not a check of any one tab: it reads the validated Registry and what the imported exports
cover, and says which ambassador report is overdue, which shop has no export for a month
that is over, and which days inside a month no export covers. Nothing here is an error;
the figures are computed from what is there.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

from sheetsync.contract import LAPORAN_DUTA
from sheetsync.issues import Issue
from sheetsync.messages import IssueCode
from sheetsync.model import Registry, Shop
from sheetsync.months import month_bounds
from sheetsync.validate.context import Context

# What an export covers: (start, end) as datetimes or dates; ends inclusive by day.
Span = tuple[dt.date, dt.date]
MIN_GAP = dt.timedelta(days=1)
_ALL_TIME = (dt.datetime.min, dt.datetime(9999, 1, 1))


def completeness_issues(
    registry: Registry,
    month: str,
    *,
    as_of: dt.datetime,
    export_coverage: Mapping[str, Sequence[Span]],
    report_due_day: int,
    language: str = "id",
) -> list[Issue]:
    """Warnings about what is missing for `month` (issue 5 §4), from plain data.

    - active ambassadors without a Laporan Duta for the month, once it is overdue
      (after day `report_due_day` of the next month);
    - shops with no export covering any part of the month, once the month is over;
    - stretches of at least one day inside the month (from the shop's registration) that
      no export covers; in a month still running, only gaps between downloads.

    `export_coverage[shop_id]` lists the (start, end) each imported export covers, as
    datetimes or dates. Ends are inclusive by day: a bare date or a datetime at exactly
    midnight covers that whole day (exports are downloaded by date), so (2026-02-01,
    2026-02-28) covers all of February. A ledger coverage record with `.periods` is
    accepted in place of the list.
    """
    ctx = Context(as_of=as_of, language=language)
    _check_missing_reports(ctx, registry, month, report_due_day)
    for shop in registry.shops:
        spans = _spans_of(export_coverage.get(shop.shop_id, ()))
        _check_shop_coverage(ctx, shop, month, spans)
    return ctx.report.issues


def _check_missing_reports(
    ctx: Context, registry: Registry, month: str, report_due_day: int
) -> None:
    due = dt.datetime.combine(
        month_bounds(month)[1].date().replace(day=report_due_day), dt.time.max
    )
    if ctx.as_of <= due:
        return
    filed = {(r.ambassador_id, r.month) for r in registry.form_reports}
    for ambassador in registry.ambassadors:
        if ambassador.active and (ambassador.ambassador_id, month) not in filed:
            ctx.add(
                IssueCode.REPORT_MISSING,
                LAPORAN_DUTA.name,
                None,
                "ID Duta",
                ambassador.ambassador_id,
                name=ambassador.name,
                month=ctx.month_text(month),
                due=ctx.day_text(due.date()),
            )


def _check_shop_coverage(ctx: Context, shop: Shop, month: str, spans: Sequence[Span]) -> None:
    start, month_end = month_bounds(month)
    end = min(month_end, ctx.as_of)
    first_day = max(start, _midnight(shop.registered_on)) if shop.registered_on else start
    if end <= first_day:
        return  # the month has not begun, or the shop did not exist yet
    covered = _merge_spans([_whole_days(s) for s in spans], start, end)
    month_over = ctx.as_of >= month_end
    if not covered and month_over:
        ctx.add(IssueCode.EXPORT_MISSING, f"inbox/{shop.shop_id}", None, None, shop.shop_id,
                name=shop.name, month=ctx.month_text(month))  # fmt: skip
    if not covered:
        return  # in a month still running, no download yet is not a gap
    for gap_start, gap_end in _gaps(covered, first_day, end if month_over else None):
        ctx.add(IssueCode.EXPORT_GAP, f"inbox/{shop.shop_id}", None, None, shop.shop_id,
                start=ctx.day_text(gap_start.date()),
                end=ctx.day_text((gap_end - dt.timedelta(seconds=1)).date()))  # fmt: skip


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _spans_of(coverage: object) -> Sequence[Span]:
    """Plain (start, end) pairs. A ledger coverage record is read through its `.periods`;
    when its files did not say which period they cover but hold orders of the month, the
    month counts as covered: a gap cannot be told from a quiet week."""
    if not hasattr(coverage, "periods"):
        return coverage  # type: ignore[return-value]
    periods = tuple(getattr(coverage, "periods", ()) or ())
    if periods or not getattr(coverage, "first_order_at", None):
        return periods
    return (_ALL_TIME,)


def _whole_days(span: Span) -> tuple[dt.datetime, dt.datetime]:
    """Dates become datetimes; an end at midnight (or a bare date) covers that whole day."""
    begin, finish = (v if isinstance(v, dt.datetime) else _midnight(v) for v in span)
    if finish.time() == dt.time():
        finish += dt.timedelta(days=1)
    return begin, finish


def _merge_spans(
    spans: Sequence[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The spans clipped to [start, end), sorted and joined where they touch or overlap."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for begin, finish in sorted((max(b, start), min(f, end)) for b, f in spans):
        if finish <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def _gaps(
    covered: list[tuple[dt.datetime, dt.datetime]],
    start: dt.datetime,
    end: dt.datetime | None,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Uncovered stretches of at least a day; the tail only when the month is over."""
    edges = [(start, start), *covered]
    if end is not None:
        edges.append((end, end))
    gaps = [(a[1], b[0]) for a, b in itertools.pairwise(edges)]
    return [(a, b) for a, b in gaps if b - a >= MIN_GAP]
