"""The Toko tab: marketplace, ID Toko as a folder name, one shop under one ID; inbox folders."""

from __future__ import annotations

import copy

import pytest
from validate_samples import (
    CLEAN,
    LEFT_OUT,
    E,
    W,
    make_tables,
    only_issue,
    rule_test,
    validate,
)

from sheetsync.messages import IssueCode

# (tab, row, column, typed value) -> (code, severity, message)
RULES = [
    pytest.param(
        "Toko", 2, "Marketplace", "Shoppe",
        IssueCode.MARKETPLACE_INVALID, E,
        'Marketplace "Shoppe" tidak dikenali. Maksud Anda Shopee? Pilih salah satu: Shopee, '
        "Tokopedia, TikTok Shop, Lazada, Bukalapak." + LEFT_OUT,
        id="marketplace-invalid",
    ),
    pytest.param(
        "Toko", 4, "Nama Toko", "  kopi  SERUK ",
        IssueCode.DUPLICATE_ID, E,  # the copied row also repeats ID Toko TKP-001
        'ID Toko "TKP-001" sudah dipakai di baris 3. Beri ID Toko lain yang unik, atau hapus '
        "baris ini bila dobel." + LEFT_OUT,
        id="duplicate-id-toko",
    ),
    pytest.param(
        "Toko", 3, "ID Toko", "TKP/001",
        IssueCode.SHOP_ID_NOT_FOLDER, W,
        'ID Toko "TKP/001" tidak bisa menjadi nama folder di inbox, jadi ekspor toko ini tidak '
        'akan ditemukan. Hindari tanda / \\ : * ? " < > | dan titik di akhir, mis. SHP-001, '
        "lalu beri folder inbox nama yang sama.",
        id="shop-id-not-folder",
    ),
]  # fmt: skip


test_each_rule_gives_its_issue_with_the_exact_message = rule_test(RULES)


def test_the_same_shop_registered_twice_is_a_warning_on_the_later_row() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Toko"].append(["SHP-009", "shopee", " kopi  SERUK ", "Ani", "19.02.04.2004", "DD-001"])
    registry, report = validate(make_tables(spec))
    issue = only_issue(report)
    assert (issue.code, issue.severity, issue.row, issue.column) == (
        IssueCode.DUPLICATE_SHOP, W, 4, "Nama Toko"
    )  # fmt: skip
    assert issue.message == (
        'Toko "kopi  SERUK" di Shopee sudah terdaftar di baris 2 (ID Toko SHP-001). Bila '
        "tokonya sama, hapus salah satu baris; bila berbeda, bedakan Nama Toko-nya."
    )
    assert [s.shop_id for s in registry.shops] == ["SHP-001", "TKP-001", "SHP-009"]


def test_an_inbox_folder_without_a_shop_is_flagged_with_a_suggestion() -> None:
    _, report = validate(make_tables(CLEAN), inbox_folders=["SHP-001", "SHP-01", ".DS_Store"])
    issue = only_issue(report)
    assert (issue.code, issue.severity, issue.source, issue.value) == (
        IssueCode.INBOX_FOLDER_UNKNOWN, W, "inbox/SHP-01", "SHP-01"
    )  # fmt: skip
    assert issue.message == (
        'Folder inbox "SHP-01" tidak cocok dengan ID Toko mana pun di tab Toko. Maksud Anda '
        "Kopi Seruk (SHP-001)? Ganti nama folder menjadi ID Toko yang benar, atau daftarkan "
        "tokonya di tab Toko."
    )
