"""Reading a tab: headers matched loosely, missing or doubled headers and tabs reported."""

from __future__ import annotations

import copy

from validate_samples import (
    CLEAN,
    E,
    W,
    make_tables,
    only_issue,
    validate,
    workbook_with_spec,
)

from sheetsync.messages import IssueCode
from sheetsync.model import Village
from sheetsync.validate.feedback import cell_marks


def test_headers_match_loosely_in_any_order_with_extra_columns_kept_out_of_the_way() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Desa"] = [["Catatan Staf", " kecamatan", "NAMA  desa", "kode desa"]] + [
        ["cek", k, n, c] for c, n, k in CLEAN["Desa"][1:]
    ]
    registry, report = validate(make_tables(spec))
    assert report.issues == []
    assert registry.villages[0] == Village("19.02.04.2004", "Air Seruk", "Sijuk")


def test_a_missing_required_header_leaves_the_tab_out() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Target"] = [[h if h != "Kode Desa" else "Desa" for h in row] for row in spec["Target"]]
    registry, report = validate(make_tables(spec))
    issue = only_issue(report)
    assert (issue.code, issue.severity, issue.source, issue.row, issue.column) == (
        IssueCode.HEADER_MISSING, E, "Target", None, "Kode Desa"
    )  # fmt: skip
    assert issue.message == (
        'Kolom wajib "Kode Desa" tidak ada di baris judul tab Target. Tambahkan judul '
        '"Kode Desa" di baris 1; sampai itu isi tab ini tidak dihitung.'
    )
    assert registry.targets == ()


def test_a_misspelt_required_header_is_named_in_the_message() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Toko"][0][4] = "Kode Dsa"
    registry, report = validate(make_tables(spec))
    issue = only_issue(report)
    assert issue.message == (
        'Kolom wajib "Kode Desa" tidak ada di baris judul tab Toko. Judul "Kode Dsa" (kolom E) '
        'mirip; bila itu maksudnya, ganti menjadi "Kode Desa". Tambahkan judul "Kode Desa" di '
        "baris 1; sampai itu isi tab ini tidak dihitung."
    )
    assert registry.shops == ()
    _, report = validate(make_tables(spec), inbox_folders=["SHP-001", "TKP-001"])
    assert len(report) == 1  # no flood of "folder matches no shop" while Toko is unreadable


def test_a_missing_optional_header_is_a_warning_and_reads_as_empty() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Duta"] = [row[:3] + row[4:] for row in spec["Duta"]]  # drop "No HP"
    registry, report = validate(make_tables(spec))
    assert [(i.code, i.severity, i.column) for i in report] == [
        (IssueCode.HEADER_OPTIONAL_MISSING, W, "No HP")
    ]
    assert [a.phone for a in registry.ambassadors] == ["", ""]


def test_duplicate_and_blank_headers_are_issues_not_crashes() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Desa"] = [[*row, row[1], "x" if i else ""] for i, row in enumerate(spec["Desa"])]
    registry, report = validate(make_tables(spec))
    assert [(i.code, i.row, i.column) for i in report] == [
        (IssueCode.HEADER_DUPLICATE, 1, "Nama Desa"),
        (IssueCode.HEADER_BLANK, 1, None),
    ]
    assert report.issues[0].message == (
        'Judul kolom "Nama Desa" muncul lebih dari sekali di tab Desa (kolom D); hanya kolom '
        "pertama yang dibaca. Hapus kolom ini atau beri judul lain."
    )
    assert report.issues[1].message == (
        "Kolom E di tab Desa berisi data tetapi tidak punya judul, jadi diabaikan. Beri judul "
        "di baris 1 atau pindahkan datanya ke kolom yang benar."
    )
    assert len(registry.villages) == 4
    assert cell_marks(report) == []  # header-row problems live in the Validasi tab only


def test_missing_tabs_required_and_optional() -> None:
    tables = make_tables({k: v for k, v in CLEAN.items() if k not in {"Toko", "Target"}})
    _, report = validate(tables)
    assert [(i.code, i.severity, i.source) for i in report] == [
        (IssueCode.TAB_MISSING, E, "Toko"),
        (IssueCode.TAB_OPTIONAL_MISSING, W, "Target"),
    ]
    assert report.issues[0].message == (
        'Tab "Toko" tidak ditemukan. Tambahkan tab bernama "Toko" dengan judul kolom: ID Toko, '
        "Marketplace, Nama Toko, Pemilik, Kode Desa, ID Duta, Tanggal Daftar."
    )


def test_blank_rows_are_skipped_and_row_numbers_stay_true() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Duta"].insert(2, ["", " ", "", "", "", ""])
    _, report = validate(workbook_with_spec(spec, "Duta", 4, "Email", "budi@"))
    assert [(i.code, i.row) for i in report] == [(IssueCode.EMAIL_INVALID, 4)]
