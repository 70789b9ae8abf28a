"""Unknown, damaged, empty and 0-row files come back rejected with a useful issue; bad
rows are rejected one by one without stopping their file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
from marketplace_samples import T, shopee_lines

from sheetsync.demo import exports as ex
from sheetsync.issues import Severity
from sheetsync.marketplaces import read_export
from sheetsync.marketplaces.problems import ROW_ISSUES_PER_CODE


def only_issue(path: Path, code: str, display_name: str | None = None):  # type: ignore[no-untyped-def]
    parsed = read_export(path, display_name=display_name)
    assert parsed.kind == "rejected" and parsed.rejected
    assert parsed.lines.empty and parsed.marketplace is None
    assert [i.code for i in parsed.issues] == [code], parsed.issues
    issue = parsed.issues[0]
    assert issue.severity is Severity.ERROR
    assert issue.source == (display_name or path.name)
    assert (display_name or path.name) in issue.message
    return issue


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "kosong.csv").write_bytes(b"")
    only_issue(tmp_path / "kosong.csv", "file_empty", display_name="TK-001/kosong.csv")
    (tmp_path / "spasi.csv").write_bytes(b" \r\n \n")
    only_issue(tmp_path / "spasi.csv", "file_empty")


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "foto.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    only_issue(path, "file_not_table")


def test_truncated_xlsx(tmp_path: Path) -> None:
    full = ex.write_shopee_orders(tmp_path / "full.xlsx", shopee_lines())
    cut = tmp_path / "Order.all.xlsx"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    issue = only_issue(cut, "file_damaged")
    assert "Unduh ulang" in issue.message


def test_unknown_layout_names_the_closest_layout_and_missing_columns(tmp_path: Path) -> None:
    rows = ex.shopee_rows(shopee_lines())
    header = rows[0]
    drop = [header.index("Waktu Pesanan Dibuat"), header.index("Harga Setelah Diskon")]
    edited = [[c for i, c in enumerate(r) if i not in drop] for r in rows]
    path = ex.write_table(tmp_path / "edited.xlsx", edited, fmt="xlsx")
    issue = only_issue(path, "file_unknown_layout")
    assert "Shopee" in issue.message
    assert "'Waktu Pesanan Dibuat'" in issue.message and "'Harga Setelah Diskon'" in issue.message
    assert issue.row == 1


def test_unrelated_table_is_unknown_without_a_closest_layout(tmp_path: Path) -> None:
    path = ex.write_table(tmp_path / "stok.csv", [["Barang", "Stok"], ["Kopi", "3"]], fmt="csv")
    issue = only_issue(path, "file_unknown_layout")
    assert "tidak dikenali" in issue.message


def test_zero_row_listing_export(tmp_path: Path) -> None:
    """A product list without products is a broken download; an order export without
    orders is a quiet month and is imported (test_misnamed_files.py)."""
    only_issue(ex.write_shopee_mass_update(tmp_path / "mass_update.xlsx", []), "file_no_rows")


def test_zip_without_exports_and_zip_with_a_broken_part(tmp_path: Path) -> None:
    empty_zip = tmp_path / "lain.zip"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("catatan/", "")
    only_issue(empty_zip, "zip_no_parts")
    path = ex.write_shopee_zip(tmp_path / "Order.all.zip", shopee_lines(), parts=2)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("Order.all.part3.xlsx", b"PK\x03\x04 broken")
    parsed = read_export(path)
    assert parsed.kind == "rejected" and parsed.lines.empty  # never a partial import
    assert [i.code for i in parsed.issues] == ["file_damaged"]
    assert parsed.issues[0].source == "Order.all.zip/Order.all.part3.xlsx"


def bad_rows_file(tmp_path: Path) -> Path:
    rows = ex.shopee_rows(shopee_lines())
    col = {h: i for i, h in enumerate(rows[0])}
    rows[1][col["No. Pesanan"]] = "  "  # row 2
    rows[2][col["Waktu Pesanan Dibuat"]] = "kemarin"  # row 3
    rows[3][col["Jumlah"]] = -1  # row 4
    rows[4][col["Jumlah"]] = "dua"  # row 5
    rows[5][col["Harga Setelah Diskon"]] = "gratis"  # row 6
    return ex.write_table(tmp_path / "rusak.csv", rows, fmt="csv")


def test_bad_rows_are_rejected_with_file_row_column_value(tmp_path: Path) -> None:
    parsed = read_export(bad_rows_file(tmp_path), display_name="TK-9/rusak.csv")
    assert parsed.kind == "orders"
    assert parsed.rows_read == 7 and len(parsed.lines) == 2
    assert list(parsed.lines.source_row) == [7, 8]
    found = [(i.code, i.row, i.column, i.value) for i in parsed.issues]
    assert found == [
        ("row_no_order_id", 2, "No. Pesanan", "  "),
        ("row_bad_date", 3, "Waktu Pesanan Dibuat", "kemarin"),
        ("row_bad_quantity", 5, "Jumlah", "dua"),
        ("row_negative_quantity", 4, "Jumlah", "-1"),
        ("row_bad_price", 6, "Harga Setelah Diskon", "gratis"),
    ]
    for issue in parsed.issues:
        assert issue.source == "TK-9/rusak.csv" and issue.is_error
        assert f"baris {issue.row}" in issue.message.lower()


def test_row_issues_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    many = [ex.OrderLineSpec(f"X{i}", "Selesai", T, "Teh", -1, 100) for i in range(150)]
    many.append(ex.OrderLineSpec("GOOD", "Selesai", T, "Teh", 1, 100))
    parsed = read_export(ex.write_shopee_orders(tmp_path / "o.csv", many, fmt="csv"))
    codes = pd.Series([i.code for i in parsed.issues]).value_counts().to_dict()
    assert codes == {"row_negative_quantity": ROW_ISSUES_PER_CODE, "rows_more": 1}
    assert "50 baris lain" in parsed.issues[-1].message


def test_blank_lines_and_ragged_rows_keep_true_row_numbers(tmp_path: Path) -> None:
    path = ex.write_shopee_orders(tmp_path / "o.csv", shopee_lines()[:3], fmt="csv")
    text = path.read_bytes().decode("utf-8").split("\r\n")
    text.insert(2, "")  # a blank line: the second data line is now row 4
    text[1] = text[1] + ",extra"  # a ragged row
    path.write_bytes("\r\n".join(text).encode("utf-8"))
    parsed = read_export(path)
    assert list(parsed.lines.source_row) == [2, 4, 5]


def test_unreadable_path_is_rejected_not_raised(tmp_path: Path) -> None:
    parsed = read_export(tmp_path / "missing.xlsx")
    assert parsed.rejected and parsed.issues[0].code == "file_unreadable"


def test_a_file_whose_every_row_is_bad_is_rejected_whole(tmp_path: Path) -> None:
    lines = [ex.OrderLineSpec(f"X{i}", "Selesai", T, "Teh", 1, 100) for i in range(3)]
    rows = ex.shopee_rows(lines)
    column = rows[0].index("Waktu Pesanan Dibuat")
    for row in rows[1:]:
        row[column] = "Senin pagi"
    parsed = read_export(ex.write_table(tmp_path / "o.csv", rows, fmt="csv"))
    assert parsed.rejected and parsed.lines.empty and parsed.rows_read == 3
    assert [i.code for i in parsed.issues] == ["file_no_valid_rows"] + ["row_bad_date"] * 3
