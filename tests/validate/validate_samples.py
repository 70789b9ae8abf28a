"""The small clean workbook every validation test starts from, and helpers around it.

Every rule case starts from a workbook that validates cleanly, changes one cell (or adds
one row), and expects exactly the issue that rule produces (`assert_rule`).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from sheetsync.issues import Issue, Severity, ValidationReport
from sheetsync.messages import IssueCode
from sheetsync.model import Registry, Village
from sheetsync.tabs import SheetTable
from sheetsync.validate import validate_workbook

AS_OF = dt.datetime(2026, 9, 10, 8, 0)
WILAYAH = Path(__file__).resolve().parents[3] / "shared" / "wilayah" / "belitung_desa_kelurahan.csv"

CLEAN: dict[str, list[list[str]]] = {
    "Desa": [
        ["Kode Desa", "Nama Desa", "Kecamatan"],
        ["19.02.04.2004", "Air Seruk", "Sijuk"],
        ["19.02.04.2001", "Sijuk", "Sijuk"],
        ["19.02.01.2003", "Buluh Tumbang", "Tanjungpandan"],
        ["19.02.01.2004", "Perawas", "Tanjungpandan"],
    ],
    "Duta": [
        ["ID Duta", "Nama", "Kode Desa", "No HP", "Email", "Aktif"],
        ["DD-001", "Rina Wati", "19.02.04.2004", "0812-3456-7890", "rina@desa.id", "Ya"],
        ["DD-002", "Budi Santoso", "19.02.01.2003", "+62 813 1111 2222", "", "Tidak"],
    ],
    "Toko": [
        [
            "ID Toko",
            "Marketplace",
            "Nama Toko",
            "Pemilik",
            "Kode Desa",
            "ID Duta",
            "Tanggal Daftar",
        ],
        ["SHP-001", "Shopee", "Kopi Seruk", "Ani", "19.02.04.2004", "DD-001", "02/08/2026"],
        [
            "TKP-001",
            "Tokopedia",
            "Batik Belitong",
            "Udin",
            "19.02.01.2003",
            "DD-002",
            "2 Agustus 2026",
        ],
    ],
    "Target": [
        ["Bulan", "Kode Desa", "Toko Baru", "Produk", "Transaksi", "Penjualan (Rp)"],
        ["2026-08", "19.02.04.2004", "3", "20", "50", "Rp 1.250.000"],
        ["Agustus 2026", "19.02.01.2003", "", "", "", ""],
    ],
    "Laporan Duta": [
        [
            "Timestamp",
            "ID Duta",
            "Bulan Laporan",
            "Jumlah Kegiatan",
            "Jumlah Peserta",
            "Toko Baru",
            "Produk Diunggah",
            "Catatan",
        ],
        ["02/09/2026 14.03.22", "DD-001", "2026-08", "4", "35", "2", "12", "lancar"],
        ["9/3/2026 09:15:00", "DD-002", "Agustus 2026", "1", "10", "0", "3", ""],
    ],
    "Penerima": [
        ["Nama", "Jabatan", "Email", "Tingkat", "Kode Wilayah"],
        ["Ibu Kadis", "Kepala Dinas", "kadis@belitung.go.id", "kabupaten", ""],
        ["Pak Camat", "Camat Sijuk", "camat.sijuk@belitung.go.id", "kecamatan", "Sijuk"],
        ["Kades Air Seruk", "Kepala Desa", "kades@airseruk.desa.id", "desa", "19.02.04.2004"],
    ],
}


def make_tables(spec: dict[str, list[list[str]]]) -> dict[str, SheetTable]:
    tables = {}
    for name, (header, *rows) in spec.items():
        width = len(header)
        padded = tuple(tuple(r + [""] * (width - len(r))) for r in rows)
        tables[name] = SheetTable(name, tuple(header), padded)
    return tables


def workbook_with(tab: str, row: int, column: str, value: str) -> dict[str, SheetTable]:
    """The clean workbook with one cell (row as the user sees it) set to `value`."""
    spec = copy.deepcopy(CLEAN)
    lines = spec[tab]
    while len(lines) < row:
        lines.append(list(lines[-1]))  # a new row starts as a copy of the last one
    lines[row - 1][lines[0].index(column)] = value
    return make_tables(spec)


def workbook_with_spec(spec: dict, tab: str, row: int, column: str, value: str) -> dict:
    spec[tab][row - 1][spec[tab][0].index(column)] = value
    return make_tables(spec)


def validate(tables: dict[str, SheetTable], **kwargs: object) -> tuple[Registry, ValidationReport]:
    return validate_workbook(tables, as_of=AS_OF, **kwargs)  # type: ignore[arg-type]


def only_issue(report: ValidationReport) -> Issue:
    assert len(report) == 1, [(i.code, i.message) for i in report]
    return report.issues[0]


E, W = Severity.ERROR, Severity.WARNING
LEFT_OUT = " Sampai diperbaiki, baris ini tidak dihitung."
NOT_SENT = " Sampai diperbaiki, penerima ini tidak dikirimi laporan."
# A rule case: (tab, row, column, typed value) -> (code, severity, message)
RULE_FIELDS = ("tab", "row", "column", "value", "code", "severity", "text")


def rule_test(rules: Sequence[object]) -> Callable[..., None]:
    """The test each rule module runs over its RULES table: the clean workbook with one cell
    typed gives exactly that issue, word for word."""

    @pytest.mark.parametrize(RULE_FIELDS, rules)
    def test(
        tab: str, row: int, column: str, value: str, code: IssueCode, severity: Severity, text: str
    ) -> None:
        _registry, report = validate(workbook_with(tab, row, column, value))
        issue = only_issue(report)
        assert (issue.code, issue.severity, issue.source) == (code, severity, tab)
        assert (issue.row, issue.message) == (row, text)
        assert issue.column is not None
        assert issue.value is not None

    return test


def belitung_villages() -> list[Village]:
    if not WILAYAH.exists():
        pytest.skip("shared Belitung village list not available")
    with WILAYAH.open(encoding="utf-8") as handle:
        return [Village(r["kode"], r["nama"], r["kecamatan"]) for r in csv.DictReader(handle)]
