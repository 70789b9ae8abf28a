"""The plain-language summary at the top of every report, written by fixed rules.

Officials read the first lines and stop, so the rules say the few things that matter in a
fixed order: transactions against last month, sales, targets, active shops, missing
ambassador reports and open data problems. Fixed rules (not free text) keep the wording
comparable month to month and testable. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheetsync.locale_id import month_only, percent, rupiah


@dataclass(frozen=True, slots=True)
class SummaryFacts:
    """What the summary rules look at, already scoped to one report's area."""

    language: str
    previous_month: str  # YYYY-MM
    transactions: int
    previous_transactions: int
    sales_idr: int
    previous_sales_idr: int
    shops_active: int
    shops_registered: int
    villages_with_target: int = 0  # area reports (kabupaten, kecamatan)
    villages_below_target: int = 0
    own_achievement_pct: float | None = None  # a village's own transaction target
    own_has_target: bool = False
    missing_reports: int = 0
    open_issues: int = 0
    area_report: bool = True  # kabupaten/kecamatan: talk about villages
    personal: bool = False  # an ambassador's scorecard: "your report", not "n ambassadors"


def percent_change(current: int, previous: int) -> float | str | None:
    """The month-on-month rule: a rise from zero is "baru", zero to zero is None."""
    if previous == 0:
        return "baru" if current > 0 else None
    return (current - previous) / previous * 100


def summary_sentences(facts: SummaryFacts) -> list[str]:
    """The summary as short clauses, most important first."""
    clauses = [
        _change_clause(facts, "tx", facts.transactions, facts.previous_transactions),
        _sales_clause(facts),
        _target_clause(facts),
        _shops_clause(facts),
        _count_clause(facts, "own_report" if facts.personal else "reports", facts.missing_reports),
        _count_clause(facts, "issues", facts.open_issues),
    ]
    return [c for c in clauses if c]


def summary_text(facts: SummaryFacts) -> str:
    """'Transaksi naik 12 % dibanding September; 3 desa belum mencapai target transaksi.'"""
    clauses = summary_sentences(facts)
    if not clauses:
        return ""
    text = "; ".join(clauses)
    return text[0].upper() + text[1:] + "."


_WORDS = {
    "id": {
        "tx": "transaksi",
        "sales": "penjualan",
        "up": "{what} naik {pct} dibanding {month}",
        "down": "{what} turun {pct} dibanding {month}",
        "same": "{what} sama dengan {month}",
        "new": "{what} baru tercatat bulan ini ({month}: 0)",
        "none": "belum ada {what} pada bulan ini maupun {month}",
        "sales_to": " menjadi {amount}",
        "below": "{n} desa belum mencapai target transaksi (dari {total} desa bertarget)",
        "all_reached": "semua desa bertarget mencapai target transaksi",
        "own_reached": "target transaksi tercapai ({pct})",
        "own_below": "target transaksi belum tercapai ({pct})",
        "shops": "{active} dari {total} toko aktif",
        "reports": "{n} duta belum mengirim laporan bulanan",
        "own_report": "laporan bulanan belum dikirim",
        "issues": "{n} masalah data perlu diperbaiki",
    },
    "en": {
        "tx": "transactions",
        "sales": "sales",
        "up": "{what} rose {pct} against {month}",
        "down": "{what} fell {pct} against {month}",
        "same": "{what} unchanged from {month}",
        "new": "{what} recorded for the first time ({month}: 0)",
        "none": "no {what} this month nor in {month}",
        "sales_to": " to {amount}",
        "below": "{n} villages have not reached their transaction target (of {total} with one)",
        "all_reached": "every village with a target reached its transaction target",
        "own_reached": "transaction target reached ({pct})",
        "own_below": "transaction target not yet reached ({pct})",
        "shops": "{active} of {total} shops active",
        "reports": "{n} ambassadors have not filed their monthly report",
        "own_report": "the monthly report has not been filed",
        "issues": "data problems to fix: {n}",
    },
}


def _words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["id"])


def _change_clause(facts: SummaryFacts, what_key: str, current: int, previous: int) -> str:
    words = _words(facts.language)
    month = month_only(facts.previous_month, facts.language)
    what = words[what_key]
    change = percent_change(current, previous)
    if change is None:
        return words["none"].format(what=what, month=month)
    if change == "baru":
        return words["new"].format(what=what, month=month)
    rounded = round(float(change))
    if rounded == 0:
        return words["same"].format(what=what, month=month)
    direction = "up" if rounded > 0 else "down"
    pct = percent(abs(rounded), facts.language)
    return words[direction].format(what=what, pct=pct, month=month)


def _sales_clause(facts: SummaryFacts) -> str:
    clause = _change_clause(facts, "sales", facts.sales_idr, facts.previous_sales_idr)
    if facts.sales_idr > 0:
        clause += _words(facts.language)["sales_to"].format(
            amount=rupiah(facts.sales_idr, facts.language)
        )
    return clause


def _target_clause(facts: SummaryFacts) -> str:
    words = _words(facts.language)
    if facts.area_report:
        if facts.villages_with_target == 0:
            return ""
        if facts.villages_below_target == 0:
            return words["all_reached"]
        return words["below"].format(
            n=facts.villages_below_target, total=facts.villages_with_target
        )
    if not facts.own_has_target or facts.own_achievement_pct is None:
        return ""
    pct = percent(facts.own_achievement_pct, facts.language)
    key = "own_reached" if facts.own_achievement_pct >= 100 else "own_below"
    return words[key].format(pct=pct)


def _shops_clause(facts: SummaryFacts) -> str:
    if facts.shops_registered == 0:
        return ""
    return _words(facts.language)["shops"].format(
        active=facts.shops_active, total=facts.shops_registered
    )


def _count_clause(facts: SummaryFacts, key: str, count: int) -> str:
    return _words(facts.language)[key].format(n=count) if count > 0 else ""
