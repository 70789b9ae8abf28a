"""The Laporan Duta tab: a report describes a month that is over; the latest submission counts."""

from __future__ import annotations

import copy

import pytest
from validate_samples import CLEAN, W, make_tables, rule_test, validate

from sheetsync.messages import IssueCode

# (tab, row, column, typed value) -> (code, severity, message)
RULES = [
    pytest.param(
        "Laporan Duta", 2, "Bulan Laporan", "September 2026",
        IssueCode.REPORT_MONTH_NOT_ENDED, W,
        "Laporan untuk September 2026 dikirim 2 September 2026 14.03, sebelum bulan itu "
        "berakhir. Periksa Bulan Laporan; bila benar, minta duta mengirim ulang setelah akhir "
        "bulan.",
        id="report-month-not-ended",
    ),
]  # fmt: skip


test_each_rule_gives_its_issue_with_the_exact_message = rule_test(RULES)


def test_an_ambassador_reporting_a_month_twice_counts_the_latest() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Laporan Duta"].append(["05/09/2026 10.00.00", "DD-001", "Agustus 2026", "5", "40"])
    registry, report = validate(make_tables(spec))
    assert [(i.code, i.severity, i.row, i.column) for i in report] == [
        (IssueCode.REPORT_SUPERSEDED, W, 2, "Bulan Laporan"),
        (IssueCode.REPORT_RESUBMITTED, W, 4, "Bulan Laporan"),
    ]
    assert report.issues[0].message == (
        "Duta DD-001 mengirim laporan Agustus 2026 lagi di baris 4; hanya kiriman terbaru yang "
        "dihitung. Tidak perlu tindakan bila kiriman terbaru benar."
    )
    assert report.issues[1].message == (
        "Kiriman ini menggantikan laporan Agustus 2026 duta DD-001 di baris 2; hanya kiriman "
        "ini yang dihitung. Periksa bahwa angkanya benar."
    )
    counted = [r for r in registry.form_reports if r.ambassador_id == "DD-001"]
    assert [(r.row, r.activities) for r in counted] == [(4, 5)]


def test_the_latest_submission_wins_even_when_rows_are_out_of_order() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Laporan Duta"].append(["01/09/2026 10.00.00", "DD-001", "2026-08", "9"])
    registry, report = validate(make_tables(spec))
    assert [(i.code, i.row) for i in report] == [
        (IssueCode.REPORT_SUPERSEDED, 4),
        (IssueCode.REPORT_RESUBMITTED, 2),
    ]
    assert [r.activities for r in registry.form_reports if r.ambassador_id == "DD-001"] == [4]
