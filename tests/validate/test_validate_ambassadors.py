"""The Duta tab: one row per ambassador ID."""

from __future__ import annotations

import pytest
from validate_samples import (
    LEFT_OUT,
    E,
    W,
    only_issue,
    rule_test,
    validate,
    workbook_with,
)

from sheetsync.messages import IssueCode

# (tab, row, column, typed value) -> (code, severity, message)
RULES = [
    pytest.param(
        "Duta", 4, "Nama", "Rina Kedua",  # row 4 copies row 3: ID Duta DD-002 again
        IssueCode.DUPLICATE_ID, E,
        'ID Duta "DD-002" sudah dipakai di baris 3. Beri ID Duta lain yang unik, atau hapus '
        "baris ini bila dobel." + LEFT_OUT,
        id="duplicate-id-duta",
    ),
]  # fmt: skip


test_each_rule_gives_its_issue_with_the_exact_message = rule_test(RULES)


def test_an_ambassador_who_gets_mail_is_warned_of_a_line_break_in_the_name() -> None:
    _, report = validate(workbook_with("Duta", 2, "Nama", "Rina\nWati"))
    issue = only_issue(report)
    assert (issue.code, issue.severity, issue.row, issue.column) == (
        IssueCode.RECIPIENT_NAME_UNSAFE, W, 2, "Nama"
    )  # fmt: skip
    assert "nama 'Rina Wati'" in issue.message
    _, report = validate(workbook_with("Duta", 3, "Nama", "Budi\nSantoso"))  # inactive: no mail
    assert report.issues == []
