"""The report module's email summary as the HTML body of each delivery (the edge).

report/render.py renders one area's headline figures, the plain-Bahasa summary and the
to-do list as a short inline-styled HTML document (issue 7); mail frames it with the
greeting, the revision note and the footer. Kept apart so that routing and message
building do not depend on the report engine being importable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sheetsync.config import Config
from sheetsync.issues import Issue
from sheetsync.kpi_schema import KpiResult
from sheetsync.mail.routing import SummarySource
from sheetsync.model import Level, Registry


def report_summaries(
    result: KpiResult,
    registry: Registry,
    *,
    issues: Sequence[Issue],
    config: Config,
    as_of: dt.datetime,
    sources: Sequence[str] = (),
) -> SummarySource:
    """A `summary_html` source for plan_deliveries; None for an area without a report view
    (the message then shows its own headline figures instead)."""
    from sheetsync.report.render import render_html_summary

    def summary(level: Level, area_key: str) -> str | None:
        try:
            return render_html_summary(
                result,
                registry,
                issues=issues,
                config=config,
                as_of=as_of,
                level=level.value,
                area=area_key or None,
                sources=sources,
            )
        except ValueError:
            return None

    return summary
