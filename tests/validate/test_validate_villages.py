"""The Desa tab: codes, their format, and one spelling per kecamatan."""

from __future__ import annotations

import copy

import pytest
from validate_samples import (
    CLEAN,
    LEFT_OUT,
    E,
    W,
    belitung_villages,
    make_tables,
    only_issue,
    rule_test,
    validate,
)

from sheetsync.messages import IssueCode

# (tab, row, column, typed value) -> (code, severity, message)
RULES = [
    pytest.param(
        "Desa", 6, "Kode Desa", "1902042002",
        IssueCode.VILLAGE_CODE_FORMAT, W,
        'Kode Desa "1902042002" tidak berbentuk kode Kemendagri. Maksud Anda 19.02.04.2002? '
        "Tulis kode dengan titik, mis. 19.02.04.2004.",
        id="village-code-format",
    ),
    pytest.param(
        "Desa", 5, "Kecamatan", "Tanjung Pandan",
        IssueCode.KECAMATAN_SPELLING, W,
        'Kecamatan "Tanjung Pandan" ditulis berbeda dari "Tanjungpandan" di baris lain. '
        'Samakan penulisannya menjadi "Tanjungpandan" agar desanya masuk kecamatan yang sama.',
        id="kecamatan-spelling",
    ),
    pytest.param(
        "Desa", 6, "Nama Desa", "Perawas",  # row 6 copies row 5: Kode Desa again
        IssueCode.DUPLICATE_ID, E,
        'Kode Desa "19.02.01.2004" sudah dipakai di baris 5. Beri Kode Desa lain yang unik, '
        "atau hapus baris ini bila dobel." + LEFT_OUT,
        id="duplicate-id-desa",
    ),
]  # fmt: skip


test_each_rule_gives_its_issue_with_the_exact_message = rule_test(RULES)


def test_a_slip_in_a_kecamatan_name_is_flagged_but_distinct_names_are_not() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Desa"] += [
        ["19.02.01.2007", "Dukong", "Tanjungpandn"],
        ["19.02.05.2001", "Selat Nasik", "Selat Nasik"],
        ["19.02.03.2001", "Badau", "Badau"],
    ]
    _, report = validate(make_tables(spec))
    issue = only_issue(report)
    assert (issue.code, issue.row, issue.value) == (IssueCode.KECAMATAN_SPELLING, 6, "Tanjungpandn")
    assert issue.message == (
        'Kecamatan "Tanjungpandn" ditulis berbeda dari "Tanjungpandan" di baris lain. Samakan '
        'penulisannya menjadi "Tanjungpandan" agar desanya masuk kecamatan yang sama.'
    )


def test_the_official_list_as_a_desa_tab_validates_cleanly() -> None:
    villages = belitung_villages()
    spec = copy.deepcopy(CLEAN)
    spec["Desa"] = [spec["Desa"][0]] + [[v.code, v.name, v.kecamatan] for v in villages]
    registry, report = validate(make_tables(spec))
    assert report.issues == []
    assert registry.villages == tuple(villages)
