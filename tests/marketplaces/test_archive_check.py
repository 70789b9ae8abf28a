"""The archive-style check of issue 13: one shop's download history in every real layout
(2018-2026), read back completely: no file lost, no line lost to a missing order id."""

from __future__ import annotations

from pathlib import Path

from archive_samples import archive_table, check_archive, write_archive


def test_a_multi_year_archive_is_read_completely(tmp_path: Path) -> None:
    files = write_archive(tmp_path, every=4)  # three files a year per family: quick
    tallies = check_archive(files)
    print(archive_table(tallies))
    assert set(tallies) == {"shopee", "tokopedia", "tiktok", "lazada", "bukalapak"}
    for name, t in tallies.items():
        assert t.files_rejected == 0, name
        assert (t.lost_to_missing_ids, t.other_rejected_rows) == (0, 0), name
        assert t.lines == t.expected_lines > 0, name
        assert t.files_with_data <= t.files
    assert sum(t.files for t in tallies.values()) == len(files)
    assert sum(t.files - t.files_with_data for t in tallies.values()) > 0  # quiet months
    layouts = set().union(*(t.layouts for t in tallies.values()))
    assert {"shopee_orders_2021", "shopee_orders_2025", "shopee_orders_2026",
            "tokopedia_orders_en", "tokopedia_orders", "tiktok_orders", "lazada_orders",
            "bukalapak_transactions_25", "bukalapak_transactions_26"} <= layouts  # fmt: skip
