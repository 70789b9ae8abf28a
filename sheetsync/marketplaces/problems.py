"""Issue codes and Indonesian messages for files and rows that cannot be taken in.

A bad row never stops its file and a bad file never stops the run: each becomes an
`Issue` that names the file, the row as a person sees it, the column and the value, and
says how to fix it. Row issues are capped per code and file (a broken 100,000-line file
would otherwise bury the report) with one closing issue that counts the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from sheetsync.issues import Issue, Severity
from sheetsync.marketplaces.layouts import HeaderMatch

ROW_ISSUES_PER_CODE = 100


class IngestCode(StrEnum):
    FILE_EMPTY = "file_empty"
    FILE_DAMAGED = "file_damaged"
    FILE_NOT_TABLE = "file_not_table"
    FILE_UNKNOWN_LAYOUT = "file_unknown_layout"
    FILE_NO_ROWS = "file_no_rows"
    FILE_NO_VALID_ROWS = "file_no_valid_rows"
    FILE_UNREADABLE = "file_unreadable"
    FILE_IDS_AS_NUMBERS = "file_ids_as_numbers"
    FILE_OLD_XLS = "file_old_xls"
    FILE_PASSWORD = "file_password"
    FILE_BALANCE_REPORT = "file_balance_report"
    FILE_FEE_REPORT = "file_fee_report"
    FILE_FOREIGN_SHOP = "file_foreign_shop"
    ZIP_NO_PARTS = "zip_no_parts"
    ZIP_MIXED_PARTS = "zip_mixed_parts"
    ROW_NO_ORDER_ID = "row_no_order_id"
    ROW_ID_AS_NUMBER = "row_id_as_number"
    ROW_BAD_DATE = "row_bad_date"
    ROW_BAD_QUANTITY = "row_bad_quantity"
    ROW_NEGATIVE_QUANTITY = "row_negative_quantity"
    ROW_BAD_PRICE = "row_bad_price"
    ROW_NO_PRICE = "row_no_price"
    ROW_NO_PRODUCT_ID = "row_no_product_id"
    ROW_NOT_A_PRODUCT_ID = "row_not_a_product_id"
    ROWS_MORE = "rows_more"


_REDOWNLOAD = "Unduh ulang ekspornya dari Seller Centre lalu ganti file ini di folder inbox."
# Where each order export is downloaded (the seller centres' menus).
ORDER_EXPORT_MENUS = (
    "Shopee: Seller Centre > Pesanan > Pesanan Saya > Ekspor; Tokopedia dan TikTok Shop: "
    "Seller Center > Pesanan > Kelola Pesanan > Ekspor; Lazada: Seller Center > Pesanan > "
    "Kelola Pesanan > Ekspor"
)
_NOT_ORDERS = (
    ", bukan ekspor pesanan, jadi isinya tidak dihitung. Unduh ekspor pesanan ("
    + ORDER_EXPORT_MENUS
    + "), letakkan di folder inbox toko ini, lalu hapus file ini."
)

FILE_MESSAGES: dict[str, str] = {
    IngestCode.FILE_EMPTY: "File {source} kosong. " + _REDOWNLOAD,
    IngestCode.FILE_DAMAGED: "File {source} rusak atau terpotong. " + _REDOWNLOAD,
    IngestCode.FILE_OLD_XLS: "File {source} adalah buku kerja Excel lama (.xls, format "
    "97-2003) yang tidak dapat dibaca. Buka file itu di Excel atau LibreOffice, simpan sebagai "
    ".xlsx (Simpan Sebagai > Buku Kerja Excel), lalu ganti file ini di folder inbox.",
    IngestCode.FILE_PASSWORD: "File {source} dilindungi kata sandi, jadi isinya tidak dapat "
    "dibaca. Buka file itu di Excel dengan kata sandinya, hapus kata sandinya (File > Info > "
    "Proteksi Buku Kerja > Enkripsi dengan Kata Sandi, kosongkan), simpan sebagai .xlsx, lalu "
    "ganti file ini di folder inbox.",
    IngestCode.FILE_BALANCE_REPORT: "File {source} tampaknya laporan saldo (riwayat Saldo "
    "Penjual / Saldo Tokopedia)" + _NOT_ORDERS,
    IngestCode.FILE_FEE_REPORT: "File {source} tampaknya laporan biaya atau penghasilan "
    "(biaya layanan, biaya administrasi, komisi)" + _NOT_ORDERS,
    IngestCode.FILE_FOREIGN_SHOP: "File {source} tampaknya ekspor pesanan toko di luar "
    "Indonesia ({detail}), jadi tidak dihitung sebagai penjualan. Masuk ke Seller Centre toko "
    "Indonesia (harga dalam Rupiah), unduh ekspor pesanannya (" + ORDER_EXPORT_MENUS + "), "
    "lalu ganti file ini.",
    IngestCode.FILE_UNREADABLE: "File {source} tidak dapat dibuka ({detail}). Periksa izin "
    "file lalu jalankan sync lagi.",
    IngestCode.FILE_NOT_TABLE: "File {source} bukan file ekspor XLSX atau CSV. "
    "Unduh ekspor pesanan dari Seller Centre dalam format XLSX.",
    IngestCode.FILE_NO_ROWS: "File {source} tidak berisi baris data, hanya judul kolom. "
    "Periksa rentang tanggal saat mengunduh ekspor, lalu unduh ulang.",
    IngestCode.FILE_NO_VALID_ROWS: "Tidak ada satu pun dari {detail} baris di file {source} "
    "yang dapat dihitung (lihat masalah per baris). Perbaiki file atau unduh ulang "
    "ekspornya; file ini dibaca lagi setelah berubah.",
    IngestCode.FILE_IDS_AS_NUMBERS: "Di file {source}, {detail} nomor pesanan/produk "
    "tersimpan sebagai angka, sehingga digit terakhirnya bisa salah (Excel menyimpan paling "
    "banyak 15 digit). Unduh ulang ekspor asli dan jangan menyimpannya ulang di Excel.",
    IngestCode.ZIP_NO_PARTS: "File ZIP {source} tidak berisi file ekspor XLSX/CSV. " + _REDOWNLOAD,
    IngestCode.ZIP_MIXED_PARTS: "File ZIP {source} berisi bagian dengan format berbeda "
    "({detail}). Letakkan setiap ekspor sebagai file terpisah.",
}


def file_issue(
    code: str, source: str, detail: str = "", severity: Severity = Severity.ERROR
) -> Issue:
    """A file-level issue; `detail` (often a library's English text) is kept as the value,
    never inside the Indonesian message unless the message names it."""
    message = FILE_MESSAGES[code].format(source=source, detail=detail)
    return Issue(code, severity, source, None, None, detail or None, message)


def unknown_layout_issue(source: str, closest: HeaderMatch | None) -> Issue:
    """Names the closest known layout and the columns it lacks, so a person can compare."""
    if closest is None:
        message = (
            f"Format file {source} tidak dikenali: tidak ada baris judul kolom yang cocok "
            "dengan ekspor Shopee, Tokopedia, TikTok Shop, Lazada atau Bukalapak. "
            "Pastikan ini file ekspor asli dari Seller Centre."
        )
        return Issue(IngestCode.FILE_UNKNOWN_LAYOUT, Severity.ERROR, source, None, None, None,
                     message)  # fmt: skip
    missing = ", ".join(f"'{m}'" for m in closest.missing)
    message = (
        f"Format file {source} tidak dikenali. Paling mirip: {closest.layout.description} "
        f"(judul kolom di baris {closest.row + 1}), tetapi kolom {missing} tidak ditemukan. "
        "Jangan mengubah judul kolom; unduh ulang ekspor asli dari Seller Centre."
    )
    return Issue(
        IngestCode.FILE_UNKNOWN_LAYOUT,
        Severity.ERROR,
        source,
        closest.row + 1,
        None,
        ", ".join(closest.missing),
        message,
    )


ROW_MESSAGES: dict[str, str] = {
    IngestCode.ROW_NO_ORDER_ID: "Baris {row} tidak punya nomor pesanan di kolom '{column}'. "
    "Baris ini dilewati; unduh ulang ekspor asli agar nomor pesanannya lengkap.",
    IngestCode.ROW_ID_AS_NUMBER: "Nomor pesanan '{value}' di kolom '{column}' baris {row} "
    "sudah diubah Excel menjadi angka ilmiah, sehingga digitnya hilang. Baris ini dilewati; "
    "unduh ulang ekspor asli dan jangan menyimpannya ulang di Excel.",
    IngestCode.ROW_BAD_DATE: "Tanggal '{value}' di kolom '{column}' baris {row} tidak dapat "
    "dibaca. Baris ini dilewati; simpan ulang file dengan format tanggal ekspor asli "
    "(misalnya 2026-08-01 08:00) atau unduh ulang ekspornya.",
    IngestCode.ROW_BAD_QUANTITY: "Jumlah '{value}' di kolom '{column}' baris {row} bukan "
    "bilangan bulat. Baris ini dilewati; perbaiki jumlahnya atau unduh ulang ekspornya.",
    IngestCode.ROW_NEGATIVE_QUANTITY: "Jumlah {value} di kolom '{column}' baris {row} "
    "negatif. Baris ini dilewati; jumlah barang harus 0 atau lebih.",
    IngestCode.ROW_BAD_PRICE: "Harga '{value}' di kolom '{column}' baris {row} tidak dapat "
    "dibaca sebagai rupiah. Baris ini dilewati; tulis harga seperti 37.200 atau 37200.",
    IngestCode.ROW_NO_PRICE: "Harga di kolom '{column}' baris {row} kosong; baris dihitung "
    "dengan harga Rp 0. Lengkapi harganya atau unduh ulang ekspornya.",
    IngestCode.ROW_NO_PRODUCT_ID: "Baris {row} tidak punya kode produk di kolom '{column}'. "
    "Baris ini dilewati; unduh ulang daftar produk dari Seller Centre.",
    IngestCode.ROW_NOT_A_PRODUCT_ID: "Baris {row} berisi '{value}' di kolom '{column}', "
    "bukan kode produk (kode produk hanya angka): ini baris judul atau petunjuk template, "
    "bukan produk, dan tidak dihitung. Jika baris ini memang produk, unduh ulang daftar "
    "produk dari Seller Centre tanpa mengubahnya.",
}


def row_issues(
    code: str,
    source: str,
    column: str,
    rows: Sequence[int],
    values: Sequence[str],
    severity: Severity = Severity.ERROR,
) -> list[Issue]:
    """One issue per row (up to the cap), then one that counts the remaining rows."""
    template = ROW_MESSAGES[code]
    issues = [
        Issue(code, severity, source, int(row), column, str(value),
              template.format(row=int(row), column=column, value=value))
        for row, value in zip(rows[:ROW_ISSUES_PER_CODE], values[:ROW_ISSUES_PER_CODE],
                              strict=True)
    ]  # fmt: skip
    rest = len(rows) - ROW_ISSUES_PER_CODE
    if rest > 0:
        message = (
            f"Masih ada {rest} baris lain di {source} dengan masalah yang sama ({code}) "
            f"di kolom '{column}'. Perbaiki file atau unduh ulang ekspornya."
        )
        issues.append(Issue(IngestCode.ROWS_MORE, severity, source, None, column, code, message))
    return issues
