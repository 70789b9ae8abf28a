import pytest

from sheetsync.report.summary import SummaryFacts, percent_change, summary_text


def facts(**changes) -> SummaryFacts:
    base = dict(
        language="id",
        previous_month="2026-09",
        transactions=112,
        previous_transactions=100,
        sales_idr=5_000_000,
        previous_sales_idr=5_000_000,
        shops_active=12,
        shops_registered=20,
    )
    return SummaryFacts(**{**base, **changes})


def test_the_example_sentence_of_the_issue():
    text = summary_text(facts(villages_with_target=10, villages_below_target=3))
    assert text.startswith("Transaksi naik 12 % dibanding September; ")
    assert "3 desa belum mencapai target transaksi (dari 10 desa bertarget)" in text
    assert text.endswith(".")


@pytest.mark.parametrize(
    ("now", "before", "clause"),
    [
        (80, 100, "Transaksi turun 20 % dibanding September"),
        (100, 100, "Transaksi sama dengan September"),
        (5, 0, "Transaksi baru tercatat bulan ini (September: 0)"),
        (0, 0, "Belum ada transaksi pada bulan ini maupun September"),
    ],
)
def test_transactions_clause_by_rule(now, before, clause):
    assert summary_text(facts(transactions=now, previous_transactions=before)).startswith(clause)


def test_a_rise_from_zero_is_new_not_infinite():
    assert percent_change(5, 0) == "baru"
    assert percent_change(0, 0) is None
    assert percent_change(150, 100) == 50


def test_counts_only_appear_when_there_is_something_to_do():
    quiet = summary_text(facts())
    assert "laporan" not in quiet and "masalah" not in quiet
    busy = summary_text(facts(missing_reports=2, open_issues=5))
    assert "2 duta belum mengirim laporan bulanan" in busy
    assert "5 masalah data perlu diperbaiki" in busy


def test_village_report_speaks_of_its_own_target():
    text = summary_text(facts(area_report=False, own_has_target=True, own_achievement_pct=80.0))
    assert "target transaksi belum tercapai (80 %)" in text


def test_english_summary():
    text = summary_text(facts(language="en"))
    assert text.startswith("Transactions rose 12 % against September")
