"""Field readers: each kind of cell gets the same issue, with the exact message, in every tab."""

from __future__ import annotations

import pytest
from validate_samples import LEFT_OUT, NOT_SENT, E, W, rule_test

from sheetsync.messages import IssueCode

# (tab, row, column, typed value) -> (code, severity, message)
RULES = [
    pytest.param(
        "Toko", 3, "Nama Toko", "  ",
        IssueCode.REQUIRED_EMPTY, E,
        "Nama Toko wajib diisi. Isi kolom Nama Toko di baris ini." + LEFT_OUT,
        id="required-empty",
    ),
    pytest.param(
        "Penerima", 3, "Nama", "",
        IssueCode.REQUIRED_EMPTY, E,
        "Nama wajib diisi. Isi kolom Nama di baris ini." + NOT_SENT,
        id="required-empty-recipient",
    ),
    pytest.param(
        "Toko", 2, "Tanggal Daftar", "31/02/2026",
        IssueCode.DATE_INVALID, W,
        'Tanggal Daftar "31/02/2026" bukan tanggal yang dapat dibaca, jadi dianggap kosong. '
        "Tulis tanggal sebagai hari/bulan/tahun, mis. 02/08/2026 atau 2 Agustus 2026.",
        id="date-invalid",
    ),
    pytest.param(
        "Toko", 2, "Tanggal Daftar", "2 Agt 2027",
        IssueCode.DATE_IN_FUTURE, W,
        "Tanggal Daftar 2 Agustus 2027 ada di masa depan (sinkron 10 September 2026). "
        "Periksa hari, bulan dan tahunnya, lalu perbaiki tanggalnya.",
        id="date-in-future",
    ),
    pytest.param(
        "Laporan Duta", 2, "Timestamp", "kemarin sore",
        IssueCode.TIMESTAMP_INVALID, E,
        'Timestamp "kemarin sore" bukan waktu yang dapat dibaca. Kolom ini diisi Google Form; '
        "kembalikan isinya seperti semula, mis. 02/08/2026 14.03.22." + LEFT_OUT,
        id="timestamp-invalid",
    ),
    pytest.param(
        "Laporan Duta", 2, "Timestamp", "12/09/2026 14.03.22",
        IssueCode.DATE_IN_FUTURE, W,
        "Timestamp 12 September 2026 14.03 ada di masa depan (sinkron 10 September 2026 "
        "08.00). Periksa hari, bulan dan tahunnya, lalu perbaiki tanggalnya.",
        id="timestamp-in-future",
    ),
    pytest.param(
        "Target", 2, "Bulan", "Agustusan",
        IssueCode.MONTH_INVALID, E,
        'Bulan "Agustusan" bukan bulan yang dapat dibaca. Tulis bulan seperti 2026-08 atau '
        "Agustus 2026." + LEFT_OUT,
        id="month-invalid",
    ),
    pytest.param(
        "Target", 2, "Produk", "dua puluh",
        IssueCode.NUMBER_INVALID, E,
        'Produk "dua puluh" bukan bilangan bulat. Tulis angkanya saja, mis. 12, tanpa huruf '
        "atau koma." + LEFT_OUT,
        id="number-invalid",
    ),
    pytest.param(
        "Laporan Duta", 2, "Jumlah Peserta", "-5",
        IssueCode.NUMBER_NEGATIVE, E,
        "Jumlah Peserta -5 negatif, padahal tidak mungkin kurang dari 0. Perbaiki angkanya."
        + LEFT_OUT,
        id="number-negative",
    ),
    pytest.param(
        "Target", 2, "Penjualan (Rp)", "satu juta",
        IssueCode.RUPIAH_INVALID, E,
        'Penjualan (Rp) "satu juta" bukan jumlah rupiah yang dapat dibaca. Tulis angkanya '
        "seperti 1.250.000 atau Rp 1.250.000." + LEFT_OUT,
        id="rupiah-invalid",
    ),
    pytest.param(
        "Duta", 2, "No HP", "12345",
        IssueCode.PHONE_INVALID, W,
        'No HP "12345" bukan nomor telepon Indonesia yang dapat dibaca. Tulis seperti '
        "0812-3456-7890 atau +62 812-3456-7890.",
        id="phone-invalid",
    ),
    pytest.param(
        "Duta", 2, "Email", "rina@desa",
        IssueCode.EMAIL_INVALID, W,
        'Email "rina@desa" bukan alamat email yang benar. Tulis satu alamat lengkap tanpa '
        "spasi, mis. nama@desa.id.",
        id="email-invalid",
    ),
    pytest.param(
        "Duta", 2, "Aktif", "mungkin",
        IssueCode.ACTIVE_INVALID, W,
        'Aktif "mungkin" tidak dikenali, jadi duta ini dianggap aktif. Pilih Ya atau Tidak.',
        id="active-invalid",
    ),
]  # fmt: skip


test_each_rule_gives_its_issue_with_the_exact_message = rule_test(RULES)
