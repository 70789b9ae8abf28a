"""Reporting discipline and the two-source check: what ambassadors say vs what data shows.

Discipline: of the ACTIVE ambassadors, who filed Laporan Duta for the month, and who filed
on time (by `report_due_day` of the next month, end of that day). The latest submission
counts: a late correction makes a report late.

Two-source check: ambassadors' own new-shop and products-uploaded figures against what the
registry (Tanggal Daftar) and the listing exports show. A gap larger than the tolerance is
listed for follow-up; it is a question to ask, not proof that either side is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sheetsync.issues import Issue
from sheetsync.messages import (
    GAP_OBSERVED_FROM,
    GAP_WHO,
    KpiCode,
    language_of,
    message,
    severity_of,
)
from sheetsync.months import month_label, month_start, next_month

TWO_SOURCE_FIGURES = {
    # reported column in Laporan Duta -> (observed KPI column, Laporan Duta header)
    "new_shops": ("shops_new", "Toko Baru"),
    "products_uploaded": ("products_new", "Produk Diunggah"),
}
DISCIPLINE_COLUMNS = ("ambassador_id", "active", "filed", "on_time", "submitted_at", "report_row")
TWO_SOURCE_COLUMNS = (
    "level", "key", "name", "figure", "reported", "observed", "gap", "flagged", "report_row",
)  # fmt: skip


def report_deadline(month: str, due_day: int) -> dt.datetime:
    """The first instant that is late: day `due_day + 1` of the next month, 00:00."""
    return month_start(next_month(month)) + dt.timedelta(days=due_day)


def discipline_frame(
    ambassadors: pd.DataFrame, reports: Mapping[str, Mapping[str, Any]], month: str, due_day: int
) -> pd.DataFrame:
    """Per registered ambassador: active, filed, on_time, submitted_at, report_row.

    `reports` maps an ambassador id to its latest Laporan Duta of the month.
    """
    deadline = report_deadline(month, due_day)
    rows = []
    pairs = zip(ambassadors["ambassador_id"], ambassadors["active"], strict=True)
    for ambassador_id, active in pairs:
        filed = reports.get(ambassador_id)
        if filed is None:
            rows.append((ambassador_id, bool(active), False, False, None, None))
            continue
        submitted = filed["submitted_at"]
        rows.append(
            (ambassador_id, bool(active), True, submitted < deadline, submitted, filed["row"])
        )
    frame = pd.DataFrame(rows, columns=list(DISCIPLINE_COLUMNS))
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"])
    frame["report_row"] = frame["report_row"].astype("Int64")
    return frame


def discipline_counts(discipline: pd.DataFrame) -> dict[str, np.ndarray]:
    """0/1 per ambassador (only active ones count) so the roll-up can sum them."""
    active = discipline["active"].to_numpy(dtype=bool)
    return {
        "ambassadors_active": active.astype(np.int64),
        "reports_filed": (active & discipline["filed"].to_numpy(dtype=bool)).astype(np.int64),
        "reports_on_time": (active & discipline["on_time"].to_numpy(dtype=bool)).astype(np.int64),
    }


def object_array(values: Sequence[object]) -> np.ndarray:
    """Values kept as they are (None stays None, never NaN) for a DataFrame column."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def share_pct(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole × 100, None where the whole is 0 (no share of nothing); object array."""
    values = [
        None if w == 0 else float(p) / float(w) * 100.0 for p, w in zip(part, whole, strict=True)
    ]
    return object_array(values)


def two_source_rows(
    level: str,
    units: Sequence[str],
    names: Sequence[str],
    observed: Mapping[str, np.ndarray],
    reported: Mapping[str, Mapping[str, Any]],
    tolerance: int,
    figures: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Reported (None = not reported) against observed figures, one row per comparison."""
    rows = []
    for index, unit in enumerate(units):
        filed = reported.get(unit) or {}
        for figure in figures:
            value = filed.get(figure)
            if value is None:
                continue
            seen = int(observed[TWO_SOURCE_FIGURES[figure][0]][index])
            gap = int(value) - seen
            flagged = abs(gap) > tolerance
            row = filed.get("row")
            rows.append((level, unit, names[index], figure, int(value), seen, gap, flagged, row))
    return rows


def two_source_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(TWO_SOURCE_COLUMNS))
    frame["report_row"] = frame["report_row"].astype("Int64")
    return frame


def two_source_issues(two_source: pd.DataFrame, month: str, language: str = "id") -> list[Issue]:
    """One warning per flagged gap, pointing at the Laporan Duta row (ambassador level) or
    at the whole tab (village level)."""
    issues = []
    code = KpiCode.TWO_SOURCE_GAP
    for record in two_source[two_source["flagged"]].to_dict("records"):
        column = TWO_SOURCE_FIGURES[record["figure"]][1]
        row = record["report_row"]
        issues.append(
            Issue(
                code=str(code),
                severity=severity_of(code),
                source="Laporan Duta",
                row=None if pd.isna(row) else int(row),
                column=column,
                value=str(record["reported"]),
                message=gap_message(record, month, column, language),
            )
        )
    return issues


def gap_message(record: Mapping[Any, Any], month: str, column: str, language: str = "id") -> str:
    """The two-source sentence for one flagged row of `two_source_frame`."""
    lang = language_of(language)
    level = "ambassador" if record["level"] == "ambassador" else "village"
    figure = "new_shops" if record["figure"] == "new_shops" else "products_uploaded"
    name = str(record["name"] or record["key"])
    return message(
        KpiCode.TWO_SOURCE_GAP,
        lang,
        who=GAP_WHO[(lang, level)].format(name=name, key=record["key"]),
        column=column,
        reported=record["reported"],
        month=month_label(month, lang),
        observed_from=GAP_OBSERVED_FROM[(lang, figure)],
        observed=record["observed"],
        gap=record["gap"],
    )
