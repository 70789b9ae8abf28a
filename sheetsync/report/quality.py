"""The data-quality part of a report: open issues, missing reports, silent shops, to-do.

Issues point at tabs, rows and inbox files, not at areas; `issue_owners` works out which
ambassadors and villages an issue is about, so each report lists only its own problems
and an ambassador's scorecard turns them into a personal to-do list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sheetsync.issues import Issue, Severity
from sheetsync.model import Registry
from sheetsync.months import month_label
from sheetsync.report.rows import as_int, missing, truthy
from sheetsync.report.texts import texts

if TYPE_CHECKING:
    from sheetsync.report.scope import ReportData, Scope
    from sheetsync.report.units import ReportUnit

MAX_ISSUES_SHOWN = 25


def build_quality(scope: Scope, data: ReportData) -> dict[str, Any]:
    t = texts(data.language)
    issues = [data.issues[i] for i in scope.issue_indexes]
    issues.sort(key=lambda i: (i.severity is not Severity.ERROR, i.source, i.row or 0))
    shown = issues[:MAX_ISSUES_SHOWN]
    hidden = len(issues) - len(shown)
    return {
        "issues": [_issue_view(i, t) for i in shown],
        "all_issues": [_issue_view(i, t) for i in issues],
        "issues_total": len(issues),
        "more_text": t["more_issues"].format(n=hidden) if hidden > 0 else "",
        "missing_reports": missing_reports(scope, data),
        "shops_without_exports": shops_without_exports(scope),
    }


def _issue_view(issue: Issue, t: dict[str, str]) -> dict[str, str]:
    return {
        "severity": issue.severity.value,
        "severity_label": t[f"severity_{issue.severity.value}"],
        "source": issue.source,
        "row": "" if issue.row is None else str(issue.row),
        "column": issue.column or "",
        "message": issue.message,
    }


def missing_reports(scope: Scope, data: ReportData) -> list[dict[str, str]]:
    """Active ambassadors of the area with no monthly report filed for the month."""
    discipline = data.rows["discipline"]
    if not discipline or "filed" not in discipline[0]:
        return []
    in_area = {str(a.get("ambassador_id")) for a in scope.ambassadors}
    if scope.unit.level == "duta":
        in_area = {scope.unit.code}
    people = {a.ambassador_id: a for a in data.registry.ambassadors}
    villages = {v.code: v.name for v in data.registry.villages}
    missing = []
    for row in discipline:
        amb_id = str(row.get("ambassador_id"))
        if amb_id not in in_area or truthy(row.get("filed")) or not truthy(row.get("active")):
            continue
        person = people.get(amb_id)
        village = villages.get(person.village_code, "") if person else ""
        missing.append(
            {"id": amb_id, "name": person.name if person else amb_id, "village": village}
        )
    return missing


def shops_without_exports(scope: Scope) -> list[dict[str, str]]:
    """Shops with no export data this month.

    `has_export` (bool) wins when the KPI engine provides it; otherwise a shop with no order
    in any status and no live product this month is taken to have sent nothing.
    """
    result = []
    for row in scope.shops:
        if "has_export" in row and not missing(row["has_export"]):
            silent = not bool(row["has_export"])
        else:
            silent = as_int(row.get("orders")) == 0 and as_int(row.get("products_live")) == 0
        if silent:
            result.append(
                {
                    "id": str(row.get("shop_id", "")),
                    "name": str(row.get("shop_name", "")),
                    "village": str(row.get("village_name", "")),
                }
            )
    return result


def build_todo(scope: Scope, data: ReportData) -> list[str]:
    """An ambassador's own to-do: file the report, fix their rows, send missing exports."""
    t = texts(data.language)
    items = []
    if missing_reports(scope, data):
        items.append(t["todo_report"].format(month=month_label(data.result.month, data.language)))
    for index in scope.issue_indexes:
        issue = data.issues[index]
        row = f" {t['row'].lower()} {issue.row}" if issue.row is not None else ""
        items.append(t["todo_issue"].format(source=issue.source, row=row, message=issue.message))
    for shop in shops_without_exports(scope):
        items.append(t["todo_export"].format(shop=shop["name"], shop_id=shop["id"]))
    return items


def issue_owners(issue: Issue, registry: Registry) -> tuple[set[str], set[str]]:
    """(ambassador ids, village codes) an issue is about, for scoping it to reports.

    An inbox file is `<ID Toko>/<file>`, so its shop says whose it is; a `Laporan Duta` row
    is matched to the form report on that row; otherwise ids and codes written in the
    issue's value or message are recognised.
    """
    shops = {s.shop_id: s for s in registry.shops}
    people = {a.ambassador_id: a for a in registry.ambassadors}
    ambassadors: set[str] = set()
    villages: set[str] = set()
    for part in issue.source.replace("\\", "/").split("/") if "/" in issue.source else ():
        if part in shops:  # inbox/<ID Toko>, inbox/<ID Toko>/file or <ID Toko>/file
            ambassadors.add(shops[part].ambassador_id)
            villages.add(shops[part].village_code)
    for report in registry.form_reports:
        if issue.source == "Laporan Duta" and issue.row == report.row:
            ambassadors.add(report.ambassador_id)
    tokens = set(re.split(r"[\s,;:()'\"]+", f"{issue.value or ''} {issue.message}"))
    tokens |= {t.rstrip(".") for t in tokens}
    ambassadors |= tokens & set(people)
    villages |= tokens & {v.code for v in registry.villages}
    for shop_id in tokens & set(shops):
        ambassadors.add(shops[shop_id].ambassador_id)
        villages.add(shops[shop_id].village_code)
    villages |= {people[a].village_code for a in ambassadors if a in people}
    return ambassadors, villages


def owned_issue_indexes(unit: ReportUnit, data: ReportData, villages: set[str]) -> list[int]:
    if unit.level == "kabupaten":
        return list(range(len(data.issues)))
    if unit.level == "duta":
        return [i for i, (amb, _) in enumerate(data.owners) if unit.code in amb]
    if unit.level == "desa":
        villages = {unit.code}
    return [i for i, (_, codes) in enumerate(data.owners) if codes & villages]
