"""The workbook contract: the staff tabs, their headers, and the tabs sheetsync owns.

Tab and header names here are the defaults. Headers match case- and space-insensitively
(`normalise_header`), columns may come in any order, extra columns are kept untouched.
sheetsync never changes a value in a staff tab; it replaces its own output tabs whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheetsync.model import MARKETPLACE_CHOICES


@dataclass(frozen=True, slots=True)
class TabSpec:
    name: str
    headers: tuple[str, ...]
    required: tuple[str, ...]  # headers whose cells must not be empty
    note: str  # short instruction for staff, placed as a note on the header row
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # drop-down lists per header


DESA = TabSpec(
    "Desa",
    ("Kode Desa", "Nama Desa", "Kecamatan"),
    ("Kode Desa", "Nama Desa", "Kecamatan"),
    "Satu baris per desa/kelurahan. Kode Desa = kode Kemendagri, mis. 19.02.04.2004.",
)
DUTA = TabSpec(
    "Duta",
    ("ID Duta", "Nama", "Kode Desa", "No HP", "Email", "Aktif"),
    ("ID Duta", "Nama", "Kode Desa"),
    "Satu baris per duta digital. ID Duta unik (mis. DD-001); Aktif: Ya atau Tidak.",
    (("Aktif", ("Ya", "Tidak")),),
)
TOKO = TabSpec(
    "Toko",
    ("ID Toko", "Marketplace", "Nama Toko", "Pemilik", "Kode Desa", "ID Duta", "Tanggal Daftar"),
    ("ID Toko", "Marketplace", "Nama Toko", "Kode Desa", "ID Duta"),
    "Satu baris per toko UMKM. ID Toko = nama folder di inbox. Tanggal Daftar: 02/08/2026.",
    (("Marketplace", tuple(MARKETPLACE_CHOICES)),),
)
TARGET = TabSpec(
    "Target",
    ("Bulan", "Kode Desa", "Toko Baru", "Produk", "Transaksi", "Penjualan (Rp)"),
    ("Bulan", "Kode Desa"),
    "Target per desa per bulan. Bulan: 2026-08 atau Agustus 2026. Kosongkan bila tidak ada.",
)
LAPORAN_DUTA = TabSpec(
    "Laporan Duta",
    (
        "Timestamp",
        "ID Duta",
        "Bulan Laporan",
        "Jumlah Kegiatan",
        "Jumlah Peserta",
        "Toko Baru",
        "Produk Diunggah",
        "Catatan",
    ),
    ("Timestamp", "ID Duta", "Bulan Laporan"),
    "Diisi otomatis oleh Google Form laporan bulanan duta. Jangan diubah manual.",
)
PENERIMA = TabSpec(
    "Penerima",
    ("Nama", "Jabatan", "Email", "Tingkat", "Kode Wilayah"),
    ("Nama", "Email", "Tingkat"),
    "Penerima laporan. Tingkat: kabupaten, kecamatan atau desa; Kode Wilayah sesuai tingkat.",
    (("Tingkat", ("kabupaten", "kecamatan", "desa")),),
)

STAFF_TABS: tuple[TabSpec, ...] = (DESA, DUTA, TOKO, TARGET, LAPORAN_DUTA, PENERIMA)

# Tabs sheetsync owns and replaces whole on every sync. Never written: the staff tabs.
OUTPUT_TABS: tuple[str, ...] = (
    "Ringkasan",
    "KPI Toko",
    "KPI Duta",
    "KPI Desa",
    "KPI Kecamatan",
    "Validasi",
    "Log",
)


def normalise_header(text: object) -> str:
    """'  kode   DESA ' -> 'kode desa': headers match case- and space-insensitively."""
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


# Hidden tab where a backend remembers which staff cells it marked (tab, row, column) and the
# fill/note staff had there before, so a fixed problem's mark is removed and the staff's own
# colour or note restored on the next sync. Owned by sheetsync like the output tabs.
MARKS_TAB = "_sheetsync_marks"


def is_output_tab(name: str) -> bool:
    return name in OUTPUT_TABS or name.startswith(("KPI ", "_sheetsync"))
