"""The manifest: one transaction per imported file, rejected files and issues kept with it."""

from __future__ import annotations

import pandas as pd
import pytest
from ledger_samples import AUG, IMPORTED_AT, lines_frame, meta, orders_export

from sheetsync.issues import Issue, Severity
from sheetsync.ledger.store import Ledger
from sheetsync.marketplaces.base import ParsedExport


def test_a_failing_import_leaves_nothing_of_that_file(ledger: Ledger) -> None:
    good = lines_frame([(f"G{i}", "completed", AUG) for i in range(50)])
    ledger.store_export(meta("good"), orders_export(good), imported_at=IMPORTED_AT)
    bad = lines_frame([(f"B{i}", "completed", AUG) for i in range(100)])
    bad.loc[60, "quantity"] = -1  # line 61 cannot be stored: the whole file is refused
    with pytest.raises(ValueError, match="negative quantity"):
        ledger.store_export(meta("bad"), orders_export(bad), imported_at=IMPORTED_AT)
    assert ledger.file_by_hash("sha-bad") is None
    assert ledger.line_count() == 50
    assert not ledger.connection.in_transaction
    assert ledger.integrity_ok()


def test_a_rejected_export_is_recorded_with_its_reason_and_no_lines(ledger: Ledger) -> None:
    issue = Issue("layout_unknown", Severity.ERROR, "TK-001/x.csv", None, None, None,
                  "File ini bukan ekspor pesanan yang dikenal.")  # fmt: skip
    rejected = ParsedExport("rejected", "", None, pd.DataFrame(), issues=[issue])
    record = ledger.store_export(meta("x.csv"), rejected, imported_at=IMPORTED_AT)
    assert (record.status, record.lines) == ("rejected", 0)
    assert "bukan ekspor" in record.message
    assert ledger.file_issues(record.id) == [issue]
    assert record.id not in ledger.file_ranks()


def test_row_issues_are_kept_with_the_file(ledger: Ledger) -> None:
    issue = Issue("bad_date", Severity.ERROR, "TK-001/a", 7, "Waktu Pesanan Dibuat", "32-13-2026",
                  "Tanggal tidak dapat dibaca.")  # fmt: skip
    export = orders_export(lines_frame([("A1", "completed", AUG)]))
    export.issues.append(issue)
    record = ledger.store_export(meta("a"), export, imported_at=IMPORTED_AT)
    assert record.rejected_rows == 1
    assert ledger.file_issues(record.id) == [issue]
