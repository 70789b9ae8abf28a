"""References between tabs, and the "Maksud Anda …?" suggestions for a typo."""

from __future__ import annotations

import pytest
from validate_samples import LEFT_OUT, E, belitung_villages, rule_test

from sheetsync.messages import IssueCode
from sheetsync.model import Ambassador
from sheetsync.validate.lookup import suggest_ambassadors, suggest_villages

# (tab, row, column, typed value) -> (code, severity, message)
RULES = [
    pytest.param(
        "Toko", 2, "Kode Desa", "Aik Seruk",
        IssueCode.UNKNOWN_VILLAGE, E,
        'Kode Desa "Aik Seruk" tidak ada di tab Desa. Maksud Anda Air Seruk (19.02.04.2004)? '
        "Tulis Kode Desa persis seperti di tab Desa." + LEFT_OUT,
        id="unknown-village-by-name",
    ),
    pytest.param(
        "Target", 2, "Kode Desa", "19.02.09.9999",
        IssueCode.UNKNOWN_VILLAGE, E,
        'Kode Desa "19.02.09.9999" tidak ada di tab Desa. Tulis Kode Desa persis seperti di '
        "tab Desa." + LEFT_OUT,
        id="unknown-village-code",
    ),
    pytest.param(
        "Toko", 2, "ID Duta", "Rina Wati",
        IssueCode.UNKNOWN_AMBASSADOR, E,
        'ID Duta "Rina Wati" tidak ada di tab Duta. Maksud Anda Rina Wati (DD-001)? Tulis ID '
        "Duta persis seperti di tab Duta." + LEFT_OUT,
        id="unknown-ambassador-by-name",
    ),
    pytest.param(
        "Laporan Duta", 2, "ID Duta", "DD-01",
        IssueCode.UNKNOWN_AMBASSADOR, E,
        'ID Duta "DD-01" tidak ada di tab Duta. Maksud Anda Rina Wati (DD-001)? Tulis ID Duta '
        "persis seperti di tab Duta." + LEFT_OUT,
        id="unknown-ambassador-typo",
    ),
]  # fmt: skip


test_each_rule_gives_its_issue_with_the_exact_message = rule_test(RULES)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Aik Seruk", ["Air Seruk (19.02.04.2004)"]),
        ("air seruk", ["Air Seruk (19.02.04.2004)"]),
        ("1902042004", ["Air Seruk (19.02.04.2004)"]),
        ("Tanjung Pendam", ["Tanjungpendam (19.02.01.1009)"]),
        ("Membalong", ["Membalong (19.02.02.2001)"]),
        ("Jakarta Selatan", []),
    ],
)
def test_name_suggestions_on_the_49_belitung_villages(typed: str, expected: list[str]) -> None:
    villages = belitung_villages()
    assert len(villages) == 49
    assert suggest_villages(typed, villages) == expected


def test_ambassador_suggestions_are_given_only_when_they_help() -> None:
    people = [
        Ambassador(f"DD-0{n}9", name, "19.02.04.2004", "", "", True)
        for n, name in ((1, "Vivi Firmansyah"), (2, "Novi Handayani"), (3, "Evi Ramadhan"))
    ]
    assert suggest_ambassadors("DD-099", people) == []  # three equally close IDs
    assert suggest_ambassadors("dd 029", people) == ["Novi Handayani (DD-029)"]
    assert suggest_ambassadors("Novi Handayan", people) == ["Novi Handayani (DD-029)"]
    assert suggest_ambassadors("Budi", people) == []
