"""The Target tab: one target per month and village."""

from __future__ import annotations

import pytest
from validate_samples import LEFT_OUT, E, rule_test

from sheetsync.messages import IssueCode

# (tab, row, column, typed value) -> (code, severity, message)
RULES = [
    pytest.param(
        "Target", 4, "Produk", "25",  # row 4 copies row 3: same month and village
        IssueCode.DUPLICATE_TARGET, E,
        "Target Agustus 2026 untuk desa 19.02.01.2003 sudah ada di baris 3. Hapus salah satu "
        "baris atau gabungkan angkanya di satu baris." + LEFT_OUT,
        id="duplicate-target",
    ),
]  # fmt: skip


test_each_rule_gives_its_issue_with_the_exact_message = rule_test(RULES)
