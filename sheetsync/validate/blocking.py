"""Whether this sync's figures may be published, or the staff tabs are structurally broken.

A required tab or header gone, or a registry tab that lost more than the configured share
of its rows since the last good sync, means figures rolled up from it would be wrong, not
merely incomplete: the pipeline then keeps the last good figures and says why here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sheetsync.contract import DESA, DUTA, TOKO
from sheetsync.issues import Issue, ValidationReport
from sheetsync.messages import IssueCode
from sheetsync.model import Registry
from sheetsync.validate.context import Context

# What makes the staff tabs structurally broken: whole tabs unread, so figures would be wrong.
STRUCTURAL_CODES = frozenset({IssueCode.TAB_MISSING, IssueCode.HEADER_MISSING})


def registry_counts(registry: Registry) -> dict[str, int]:
    """Rows read per registry tab, remembered by each good sync for the shrink check."""
    return {
        DESA.name: len(registry.villages),
        DUTA.name: len(registry.ambassadors),
        TOKO.name: len(registry.shops),
    }


def publishing_blockers(
    report: ValidationReport,
    registry: Registry,
    *,
    last_good: Mapping[str, int] | None,
    shrink_limit_pct: float,
    language: str = "id",
) -> list[Issue]:
    """Why the figures must not be published, as issues to add to `report`; [] = publish.

    Blocking: a required tab gone or a required header gone (already in `report`), or a
    registry tab that lost more than `shrink_limit_pct` of its rows since the last good
    sync (a new `registry_shrank` issue). A blocked run gets one `publishing_blocked` line
    naming the tabs, which says what happens meanwhile and what to fix.
    """
    ctx = Context(as_of=dt.datetime.min, language=language)
    for tab, now in registry_counts(registry).items():
        before = int((last_good or {}).get(tab, 0))
        drop = (before - now) * 100.0 / before if before else 0.0
        if drop > shrink_limit_pct:
            ctx.add(IssueCode.REGISTRY_SHRANK, tab, None, None, f"{before} → {now}", tab=tab,
                    after=now, before=before, drop=f"{drop:.0f}",
                    limit=f"{shrink_limit_pct:g}")  # fmt: skip
    structural = [i for i in report.errors if i.code in STRUCTURAL_CODES]
    tabs = ", ".join(dict.fromkeys(i.source for i in [*structural, *ctx.report]))
    if tabs:
        ctx.add(IssueCode.PUBLISHING_BLOCKED, tabs, None, None, None, tab=tabs)
    return list(ctx.report)
