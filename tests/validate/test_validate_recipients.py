"""The Penerima tab: who gets which report; the one check of a recipient (routing trusts it)."""

from __future__ import annotations

import copy

import pytest
from validate_samples import (
    CLEAN,
    NOT_SENT,
    E,
    W,
    belitung_villages,
    make_tables,
    rule_test,
    validate,
)

from sheetsync.messages import IssueCode
from sheetsync.model import Level, Village
from sheetsync.tabs import SheetTable
from sheetsync.validate.recipients import validate_recipients

# (tab, row, column, typed value) -> (code, severity, message)
RULES = [
    pytest.param(
        "Penerima", 2, "Email", "kadis belitung.go.id",
        IssueCode.RECIPIENT_EMAIL_INVALID, E,
        'Email "kadis belitung.go.id" bukan alamat email yang benar, jadi laporan tidak dapat '
        "dikirim. Tulis satu alamat lengkap tanpa spasi, mis. camat@belitung.go.id.",
        id="recipient-email-invalid",
    ),
    pytest.param(
        "Penerima", 2, "Tingkat", "provinsi",
        IssueCode.LEVEL_INVALID, E,
        'Tingkat "provinsi" tidak dikenali. Pilih kabupaten, kecamatan atau desa.' + NOT_SENT,
        id="level-invalid",
    ),
    pytest.param(
        "Penerima", 3, "Kode Wilayah", "",
        IssueCode.AREA_MISSING, E,
        "Kode Wilayah kosong untuk tingkat kecamatan. Isi nama atau kode kecamatan (tingkat "
        "kecamatan) atau Kode Desa (tingkat desa)." + NOT_SENT,
        id="area-missing",
    ),
    pytest.param(
        "Penerima", 3, "Kode Wilayah", "Tanjung Pandan",
        IssueCode.AREA_UNKNOWN, E,
        'Kode Wilayah "Tanjung Pandan" tidak cocok dengan kecamatan mana pun di tab Desa. '
        "Maksud Anda Tanjungpandan (19.02.01)? Tulis persis seperti di tab Desa." + NOT_SENT,
        id="area-unknown-kecamatan",
    ),
    pytest.param(
        "Penerima", 4, "Kode Wilayah", "Aik Seruk",
        IssueCode.AREA_UNKNOWN, E,
        'Kode Wilayah "Aik Seruk" tidak cocok dengan desa mana pun di tab Desa. Maksud Anda '
        "Air Seruk (19.02.04.2004)? Tulis persis seperti di tab Desa." + NOT_SENT,
        id="area-unknown-desa",
    ),
]  # fmt: skip


test_each_rule_gives_its_issue_with_the_exact_message = rule_test(RULES)


def test_validate_recipients_alone_routes_by_kecamatan_code_or_name() -> None:
    villages = [Village("19.02.04.2004", "Air Seruk", "Sijuk")]
    table = make_tables(
        {
            "Penerima": [
                ["Nama", "Jabatan", "Email", "Tingkat", "Kode Wilayah"],
                ["A", "", "a@x.id", "Kecamatan", "19.02.04"],
                ["B", "", "b@x.id", "kecamatan", "SIJUK"],
                ["C", "", "c@x.id", "desa", "19.02.04.9999"],
            ]
        }
    )["Penerima"]
    recipients, issues = validate_recipients(table, villages)
    assert [(r.name, r.area_code) for r in recipients] == [("A", "Sijuk"), ("B", "Sijuk")]
    assert [r.row for r in recipients] == [2, 3]  # routing problems can point at the row
    assert [(i.code, i.row) for i in issues] == [(IssueCode.AREA_UNKNOWN, 4)]


def test_kecamatan_written_apart_gets_the_official_spelling_on_the_real_list() -> None:
    villages = belitung_villages()
    table = make_tables(
        {
            "Penerima": [
                ["Nama", "Jabatan", "Email", "Tingkat", "Kode Wilayah"],
                ["Camat", "", "camat@x.id", "kecamatan", "Tanjung Pandan"],
            ]
        }
    )["Penerima"]
    recipients, issues = validate_recipients(table, villages)
    assert recipients == ()
    assert "Maksud Anda Tanjungpandan (19.02.01)?" in issues[0].message


# --- the one check of a recipient (these cases were routing's own checks before) ----------

VILLAGES = (
    Village("19.02.04.2004", "Air Seruk", "Sijuk"),
    Village("19.02.04.2005", "Sungai Padang", "Sijuk"),
    Village("19.02.01.2001", "Pangkal Lalang", "Tanjung Pandan"),
)
PENERIMA_HEADER = ["Nama", "Jabatan", "Email", "Tingkat", "Kode Wilayah"]


def penerima(*rows: list[str]) -> SheetTable:
    return make_tables({"Penerima": [PENERIMA_HEADER, *rows]})["Penerima"]


@pytest.mark.parametrize("area", ["Sijuk", "  sijuk ", "SIJUK", "19.02.04"])
def test_kecamatan_is_found_by_name_or_code(area: str) -> None:
    table = penerima(["Camat", "Camat", "camat@example.go.id", "kecamatan", area])
    recipients, issues = validate_recipients(table, VILLAGES)
    assert issues == []
    assert [(r.level, r.area_code) for r in recipients] == [(Level.KECAMATAN, "Sijuk")]


@pytest.mark.parametrize(
    ("level", "area", "email", "code"),
    [
        ("kecamatan", "Membalong", "x@example.go.id", IssueCode.AREA_UNKNOWN),
        ("kecamatan", "19.02", "x@example.go.id", IssueCode.AREA_UNKNOWN),
        ("desa", "Air Seruk", "x@example.go.id", IssueCode.AREA_UNKNOWN),
        ("desa", "19.02.04.9999", "x@example.go.id", IssueCode.AREA_UNKNOWN),
        ("kabupaten", "", "x@example", IssueCode.RECIPIENT_EMAIL_INVALID),
        ("kabupaten", "", "x example@example.go.id", IssueCode.RECIPIENT_EMAIL_INVALID),
        ("kabupaten", "", "Budi <b@example.go.id>", IssueCode.RECIPIENT_EMAIL_INVALID),
        ("kabupaten", "", "a@example.org, evil@example.com", IssueCode.RECIPIENT_EMAIL_INVALID),
        (
            "kabupaten",
            "",
            "a@example.org\r\nBcc: evil@example.com",
            IssueCode.RECIPIENT_EMAIL_INVALID,
        ),
        ("kabupaten", "", "x@-example.go.id", IssueCode.RECIPIENT_EMAIL_INVALID),
        ("kabupaten", "", "x@example.go.i", IssueCode.RECIPIENT_EMAIL_INVALID),
    ],
)
def test_a_row_that_cannot_be_routed_for_sure_is_an_error_and_gets_no_report(
    level: str, area: str, email: str, code: IssueCode
) -> None:
    recipients, issues = validate_recipients(penerima(["X", "", email, level, area]), VILLAGES)
    assert recipients == ()
    assert code in {i.code for i in issues}
    problem = next(i for i in issues if i.code == code)
    assert problem.is_error and problem.source == "Penerima"
    assert problem.message.endswith(".") and "evil" not in problem.message.split('"')[0]


def test_a_routing_problem_points_at_its_penerima_row() -> None:
    """Staff fix what they can find: the issue names the row of the bad recipient."""
    blank = ["", "", "", "", ""]
    table = penerima(*[blank] * 5, ["Camat X", "Camat", "camat@example.org", "kecamatan", "Mars"])
    recipients, issues = validate_recipients(table, VILLAGES[:1])
    assert recipients == ()
    assert [(i.source, i.row, i.column, i.value) for i in issues] == [
        ("Penerima", 7, "Kode Wilayah", "Mars")
    ]


def test_a_name_that_could_inject_a_header_is_a_warning_and_the_row_is_kept() -> None:
    table = penerima(["Budi\r\nBcc: evil@example.com", "", "camat@example.go.id", "kabupaten"])
    recipients, issues = validate_recipients(table, VILLAGES)
    assert [r.name for r in recipients] == ["Budi\r\nBcc: evil@example.com"]
    assert [(i.code, i.severity, i.row, i.column) for i in issues] == [
        (IssueCode.RECIPIENT_NAME_UNSAFE, W, 2, "Nama")
    ]
    assert issues[0].message == (
        "Nama penerima berisi baris baru atau karakter kontrol; email tetap dikirim dengan "
        "nama 'Budi Bcc: evil@example.com'. Hapus baris baru dari sel Nama."
    )


def test_a_recipient_of_a_village_row_with_errors_is_an_error_too() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Desa"][1][1] = ""  # Air Seruk loses its name: its row has an error
    registry, report = validate(make_tables(spec))
    [issue] = [i for i in report if i.source == "Penerima"]
    assert (issue.code, issue.row, issue.column) == (
        IssueCode.REFERENCE_HAS_ERRORS,
        4,
        "Kode Wilayah",
    )
    assert issue.message == (
        'Kode Wilayah "19.02.04.2004" merujuk ke baris 2 di tab Desa yang masih bermasalah. '
        "Perbaiki baris itu dulu (lihat catatannya)." + NOT_SENT
    )
    assert [r.level for r in registry.recipients] == [Level.KABUPATEN, Level.KECAMATAN]
