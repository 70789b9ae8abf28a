"""Feedback: the Validasi tab and the marks on staff cells."""

from __future__ import annotations

import copy
import datetime as dt

from validate_samples import AS_OF, CLEAN, W, make_tables, validate

from sheetsync.issues import Issue
from sheetsync.validate.feedback import cell_marks, validation_tab


def test_cell_marks_merge_issues_on_one_cell_and_skip_tab_level_issues() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Desa"][0].append("")
    spec["Desa"][1].append("stray")  # blank header: tab-level, no cell mark
    spec["Duta"][1][2] = "Aik Seruk"
    _registry, report = validate(make_tables(spec), inbox_folders=["ZZZ"])
    report.add(Issue("extra", W, "Duta", 2, "Kode Desa", "Aik Seruk", "Catatan kedua."))
    marks = cell_marks(report)
    assert [(m.tab, m.row, m.column, m.severity) for m in marks] == [
        ("Duta", 2, "Kode Desa", "error"),
        ("Toko", 2, "ID Duta", "error"),
        ("Laporan Duta", 2, "ID Duta", "error"),
    ]
    assert marks[0].message.endswith("\nCatatan kedua.")
    assert marks[0].message.count("\n") == 1


def test_validation_tab_lists_every_issue_errors_first_with_plain_values() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Duta"][1][3] = "12345"
    spec["Toko"][2][1] = "Tokped"
    _, report = validate(make_tables(spec))
    tab = validation_tab(report, run_at=dt.datetime(2026, 9, 10, 8, 0, 5))
    assert tab.name == "Validasi"
    assert tab.header == (
        "Tingkat", "Kode", "Tab/File", "Baris", "Kolom", "Nilai", "Pesan", "Waktu Sinkron"
    )  # fmt: skip
    assert [r[:6] for r in tab.rows] == [
        ["Error", "marketplace_invalid", "Toko", 3, "Marketplace", "Tokped"],
        ["Peringatan", "phone_invalid", "Duta", 2, "No HP", "12345"],
    ]
    assert all(r[7] == "2026-09-10 08:00:05" for r in tab.rows)
    assert all(isinstance(v, str | int) for r in tab.rows for v in r)
    english = validation_tab(report, run_at=AS_OF, language="en")
    assert english.header[0] == "Severity" and english.rows[1][0] == "Warning"
