"""How a rule's issue reads: the header and value as written, the language, the catalogue."""

from __future__ import annotations

import copy
from pathlib import Path

from validate_samples import CLEAN, make_tables, only_issue, validate, workbook_with

from sheetsync.issues import Severity
from sheetsync.messages import CATALOGUE, IssueCode, message


def test_the_issue_carries_the_header_and_value_as_written() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Duta"][0][3] = "  no   hp "  # same header, typed loosely
    spec["Duta"][1][3] = " 12345 "
    _, report = validate(make_tables(spec))
    issue = only_issue(report)
    assert (issue.column, issue.value) == ("  no   hp ", " 12345 ")
    assert issue.message.startswith('no hp "12345" bukan nomor telepon')


def test_messages_are_in_english_when_asked() -> None:
    _, report = validate(workbook_with("Toko", 2, "Kode Desa", "Aik Seruk"), language="en")
    assert only_issue(report).message == (
        'Kode Desa "Aik Seruk" is not in tab Desa. Did you mean Air Seruk (19.02.04.2004)? '
        "Write the Kode Desa exactly as in tab Desa. Until it is fixed, this row is left out."
    )


def test_every_code_has_both_languages_and_a_fixing_sentence() -> None:
    names = (
        "tab headers column value letter date today suggestion choices preferred first_row "
        "marketplace first_id month village target_row target_tab level submitted ambassador "
        "latest_row earlier_row name due start end before after drop limit report who area "
        "features threaded"
    )
    fields = dict.fromkeys(names.split(), "x")
    for code in IssueCode:
        for language in ("id", "en"):
            text = message(code, language, **fields)
            assert text.endswith("."), (code, language)
            assert "{" not in text, (code, language)


def test_the_staff_guide_lists_every_code_with_its_severity() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "panduan-staf.md").read_text("utf-8")
    label = {Severity.ERROR: "Error", Severity.WARNING: "Peringatan"}
    for code in IssueCode:
        assert f"| `{code.value}` | {label[CATALOGUE[code].severity]} |" in guide, code
