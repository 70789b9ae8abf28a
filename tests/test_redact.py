"""Buyer data from a shifted or edited export never reaches Validasi or the ledger file:
the column is named and the value masked ("0812•••••89")."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from programme_samples import init_programme

from sheetsync.cli import cli
from sheetsync.demo import exports as ex
from sheetsync.issues import Issue, Severity
from sheetsync.ledger import Ledger
from sheetsync.ledger import schema as ledger_mod
from sheetsync.redact import mask, masked_issue, shown_value

ADDRESS = "Jl. Kenanga Unik No. 99, Membalong"
PHONE = "0813-9988-7766"
EMAIL = "siti.rahma@contoh.id"


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("Waktu Pesanan Dibuat", ADDRESS, "Jl. •••••ng"),
        ("Jumlah", PHONE, "0813•••••66"),
        ("Jumlah", "6281399887766", "6281•••••66"),
        ("Harga Setelah Diskon", EMAIL, "siti•••••id"),
        ("Nama Penerima", "Siti Rahmawati", "Siti•••••ti"),
        ("No. Telepon", "12345", "•••••"),
        ("Waktu Pesanan Dibuat", "31/02/2026 10:00", "31/02/2026 10:00"),
        ("Jumlah", "dua", "dua"),
        ("No. Pesanan", "2.60831E+13", "2.60831E+13"),
        ("Nama Produk", "Kopi Luwak", "Kopi Luwak"),
        # "No" makes an address only before a number; the system's reasons stay readable
        (None, "Gang Mawar no 12a Tanjung Pandan", "Gang•••••an"),
        (None, "Kenanga Unik No. 99, Membalong", "Kena•••••ng"),
        (None, "No such file or directory", "No such file or directory"),
        (None, "No space left on device", "No space left on device"),
    ],
)
def test_buyer_values_are_masked_by_header_and_by_shape(
    column: str, value: str, shown: str
) -> None:
    assert shown_value(column, value) == shown
    assert shown_value(column, shown) == shown  # masking twice changes nothing


def test_the_sentence_of_an_issue_is_masked_too() -> None:
    text = f"Tanggal '{ADDRESS}' di kolom 'Waktu Pesanan Dibuat' baris 3 …"
    issue = Issue("row_bad_date", Severity.ERROR, "x.csv", 3, "Waktu Pesanan Dibuat", ADDRESS, text)
    masked = masked_issue(issue)
    assert masked.value == mask(ADDRESS) and ADDRESS not in masked.message
    assert "'Waktu Pesanan Dibuat'" in masked.message and mask(ADDRESS) in masked.message


def shifted_export(path: Path) -> Path:
    """A Shopee export whose rows were shifted or edited: buyer data in read columns."""
    when = dt.datetime(2026, 8, 3, 10, 0)
    lines = [ex.OrderLineSpec(f"260803ROW{n:05d}", "Selesai", when, "Kopi", 1, 10000)
             for n in range(4)]  # fmt: skip
    rows = ex.shopee_rows(lines)
    header = rows[0]
    rows[1][header.index("Waktu Pesanan Dibuat")] = ADDRESS
    rows[2][header.index("Jumlah")] = PHONE
    rows[3][header.index("Harga Setelah Diskon")] = EMAIL
    return ex.write_table(path, rows, fmt="csv", sep=";")


def test_rejected_buyer_values_are_masked_in_validasi_and_never_stored(tmp_path: Path) -> None:
    root = tmp_path / "prog"
    init_programme(root)
    raw = shifted_export(root / "inbox" / "TK-001" / "Order.all.20260801_20260831.csv")
    assert ADDRESS.encode() in raw.read_bytes()
    result = CliRunner().invoke(cli, ["--config", str(root / "sheetsync.toml"), "sync",
                                      "--month", "2026-08"])  # fmt: skip
    assert result.exit_code == 0, result.output

    stored = b"".join(p.read_bytes() for p in (root / "data").glob("ledger.sqlite*"))
    assert b"rejected_rows" in stored
    for secret in (ADDRESS, "Kenanga", PHONE, "9988-7766", EMAIL, "rahma@"):
        assert secret.encode() not in stored, secret

    book = openpyxl.load_workbook(root / "data" / "program.xlsx", read_only=True)
    rows = list(book["Validasi"].iter_rows(values_only=True))
    book.close()
    header = rows[0]
    by_column = {r[header.index("Kolom")]: r for r in rows[1:] if r[header.index("Kode")]
                 in ("row_bad_date", "row_bad_quantity", "row_bad_price")}  # fmt: skip
    nilai = header.index("Nilai")
    assert by_column["Waktu Pesanan Dibuat"][nilai] == "Jl. •••••ng"
    assert by_column["Jumlah"][nilai] == "0813•••••66"
    assert by_column["Harga Setelah Diskon"][nilai] == "siti•••••id"
    text = repr(rows)
    assert ADDRESS not in text and PHONE not in text and EMAIL not in text


def test_a_migration_masks_values_stored_by_an_older_sheetsync(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path):
        pass
    step = ledger_mod.MIGRATIONS.index(ledger_mod._mask_buyer_values)
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO files (id, sha256, path, source, size, mtime, shop_id, kind, "
                   "status, import_seq, imported_at) VALUES (1, 'x', '/x', 'TK-001/x.csv', 1, "
                   "0, 'TK-001', 'orders', 'imported', 1, '2026-08-01 00:00:00')")  # fmt: skip
        db.execute(
            'INSERT INTO rejected_rows (file_id, source_row, severity, code, "column", value, '
            "message) VALUES (1, 3, 'error', 'row_bad_date', 'Waktu Pesanan Dibuat', ?, ?)",
            (ADDRESS, f"Tanggal '{ADDRESS}' di kolom 'Waktu Pesanan Dibuat' baris 3."),
        )
        db.execute(f"PRAGMA user_version = {step}")
    with Ledger.open(path, backups=tmp_path / "backups") as opened:
        issues = opened.file_issues(1)
    assert [(i.value, mask(ADDRESS) in i.message) for i in issues] == [(mask(ADDRESS), True)]
    assert b"Kenanga" not in path.read_bytes()
