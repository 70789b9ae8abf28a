"""Export-file messages: why a marketplace export, or some of its rows, cannot be counted.

The marketplace readers reject a file or a row with one of these codes; the sentence names
the file, the row as a person sees it, the column and the value, and says how to get a
good export (usually: download it again from the seller centre). Fields: `source` (the
file), `detail` (often a library's English text, also kept as the issue's value), `row`,
`column`, `value`.
"""

from __future__ import annotations

from enum import StrEnum

from sheetsync.issues import Severity
from sheetsync.messages.spec import MessageSpec


class IngestCode(StrEnum):
    """Stable machine codes of rejected export files and rows (never renamed)."""

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
    STATUS_UNKNOWN = "status_unknown"  # a status text the status table does not know


E, W = Severity.ERROR, Severity.WARNING
_REDOWNLOAD = "Unduh ulang ekspornya dari Seller Centre lalu ganti file ini di folder inbox."
_REDOWNLOAD_EN = (
    "Download the export again from the Seller Centre and replace this file in the inbox folder."
)
# Where each order export is downloaded (the seller centres' menus, named as staff see them).
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
_NOT_ORDERS_EN = (
    ", not an order export, so its contents are not counted. Download the order export ("
    + ORDER_EXPORT_MENUS
    + "), put it in this shop's inbox folder, then delete this file."
)

EXPORT_TEXTS: dict[IngestCode, MessageSpec] = {
    IngestCode.FILE_EMPTY: MessageSpec(
        E,
        "File {source} kosong. " + _REDOWNLOAD,
        "File {source} is empty. " + _REDOWNLOAD_EN,
    ),
    IngestCode.FILE_DAMAGED: MessageSpec(
        E,
        "File {source} rusak atau terpotong. " + _REDOWNLOAD,
        "File {source} is damaged or cut short. " + _REDOWNLOAD_EN,
    ),
    IngestCode.FILE_OLD_XLS: MessageSpec(
        E,
        "File {source} adalah buku kerja Excel lama (.xls, format "
        "97-2003) yang tidak dapat dibaca. Buka file itu di Excel atau LibreOffice, simpan sebagai "
        ".xlsx (Simpan Sebagai > Buku Kerja Excel), lalu ganti file ini di folder inbox.",
        "File {source} is an old Excel workbook (.xls, the 97-2003 format) that cannot be read. "
        "Open it in Excel or LibreOffice, save it as .xlsx (Save As > Excel Workbook), then "
        "replace this file in the inbox folder.",
    ),
    IngestCode.FILE_PASSWORD: MessageSpec(
        E,
        "File {source} dilindungi kata sandi, jadi isinya tidak dapat "
        "dibaca. Buka file itu di Excel dengan kata sandinya, hapus kata sandinya (File > Info > "
        "Proteksi Buku Kerja > Enkripsi dengan Kata Sandi, kosongkan), simpan sebagai .xlsx, lalu "
        "ganti file ini di folder inbox.",
        "File {source} is protected by a password, so its contents cannot be read. Open it in "
        "Excel with its password, remove the password (File > Info > Protect Workbook > Encrypt "
        "with Password, leave it empty), save it as .xlsx, then replace this file in the inbox "
        "folder.",
    ),
    IngestCode.FILE_BALANCE_REPORT: MessageSpec(
        E,
        "File {source} tampaknya laporan saldo (riwayat Saldo "
        "Penjual / Saldo Tokopedia)" + _NOT_ORDERS,
        "File {source} looks like a balance report (Saldo Penjual / Saldo Tokopedia history)"
        + _NOT_ORDERS_EN,
    ),
    IngestCode.FILE_FEE_REPORT: MessageSpec(
        E,
        "File {source} tampaknya laporan biaya atau penghasilan "
        "(biaya layanan, biaya administrasi, komisi)" + _NOT_ORDERS,
        "File {source} looks like a fee or income report (service fees, admin fees, "
        "commissions)" + _NOT_ORDERS_EN,
    ),
    IngestCode.FILE_FOREIGN_SHOP: MessageSpec(
        E,
        "File {source} tampaknya ekspor pesanan toko di luar "
        "Indonesia ({detail}), jadi tidak dihitung sebagai penjualan. Masuk ke Seller Centre toko "
        "Indonesia (harga dalam Rupiah), unduh ekspor pesanannya (" + ORDER_EXPORT_MENUS + "), "
        "lalu ganti file ini.",
        "File {source} looks like the order export of a shop outside Indonesia ({detail}), so "
        "it is not counted as sales. Log in to the Seller Centre of the Indonesian shop (prices "
        "in Rupiah), download its order export (" + ORDER_EXPORT_MENUS + "), then replace this "
        "file.",
    ),
    IngestCode.FILE_UNREADABLE: MessageSpec(
        E,
        "File {source} tidak dapat dibuka ({detail}). Periksa izin file lalu jalankan sync lagi.",
        "File {source} cannot be opened ({detail}). Check the file's permissions, then run "
        "sync again.",
    ),
    IngestCode.FILE_NOT_TABLE: MessageSpec(
        E,
        "File {source} bukan file ekspor XLSX atau CSV. "
        "Unduh ekspor pesanan dari Seller Centre dalam format XLSX.",
        "File {source} is not an XLSX or CSV export file. Download the order export from the "
        "Seller Centre in XLSX format.",
    ),
    IngestCode.FILE_UNKNOWN_LAYOUT: MessageSpec(
        E,
        "Format file {source} tidak dikenali: tidak ada baris judul kolom yang cocok "
        "dengan ekspor Shopee, Tokopedia, TikTok Shop, Lazada atau Bukalapak. "
        "Pastikan ini file ekspor asli dari Seller Centre.",
        "The layout of file {source} is not recognised: no header row matches a Shopee, "
        "Tokopedia, TikTok Shop, Lazada or Bukalapak export. Make sure this is an original "
        "export file from the Seller Centre.",
    ),
    IngestCode.FILE_NO_ROWS: MessageSpec(
        E,
        "File {source} tidak berisi baris data, hanya judul kolom. "
        "Periksa rentang tanggal saat mengunduh ekspor, lalu unduh ulang.",
        "File {source} holds no data rows, only the headers. Check the date range when "
        "downloading the export, then download it again.",
    ),
    IngestCode.FILE_NO_VALID_ROWS: MessageSpec(
        E,
        "Tidak ada satu pun dari {detail} baris di file {source} "
        "yang dapat dihitung (lihat masalah per baris). Perbaiki file atau unduh ulang "
        "ekspornya; file ini dibaca lagi setelah berubah.",
        "None of the {detail} rows in file {source} can be counted (see the problems per "
        "row). Fix the file or download the export again; the file is read again once it "
        "changes.",
    ),
    IngestCode.FILE_IDS_AS_NUMBERS: MessageSpec(
        W,
        "Di file {source}, {detail} nomor pesanan/produk "
        "tersimpan sebagai angka, sehingga digit terakhirnya bisa salah (Excel menyimpan paling "
        "banyak 15 digit). Unduh ulang ekspor asli dan jangan menyimpannya ulang di Excel.",
        "In file {source}, {detail} order/product numbers are stored as numbers, so their last "
        "digits may be wrong (Excel keeps at most 15 digits). Download the original export "
        "again and do not save it again in Excel.",
    ),
    IngestCode.ZIP_NO_PARTS: MessageSpec(
        E,
        "File ZIP {source} tidak berisi file ekspor XLSX/CSV. " + _REDOWNLOAD,
        "ZIP file {source} holds no XLSX/CSV export file. " + _REDOWNLOAD_EN,
    ),
    IngestCode.ZIP_MIXED_PARTS: MessageSpec(
        E,
        "File ZIP {source} berisi bagian dengan format berbeda "
        "({detail}). Letakkan setiap ekspor sebagai file terpisah.",
        "ZIP file {source} holds parts of different layouts ({detail}). Put each export in a "
        "file of its own.",
    ),
    IngestCode.ROW_NO_ORDER_ID: MessageSpec(
        E,
        "Baris {row} tidak punya nomor pesanan di kolom '{column}'. "
        "Baris ini dilewati; unduh ulang ekspor asli agar nomor pesanannya lengkap.",
        "Row {row} has no order number in column '{column}'. This row is skipped; download "
        "the original export again so its order numbers are complete.",
    ),
    IngestCode.ROW_ID_AS_NUMBER: MessageSpec(
        E,
        "Nomor pesanan '{value}' di kolom '{column}' baris {row} "
        "sudah diubah Excel menjadi angka ilmiah, sehingga digitnya hilang. Baris ini dilewati; "
        "unduh ulang ekspor asli dan jangan menyimpannya ulang di Excel.",
        "Order number '{value}' in column '{column}' of row {row} was turned into scientific "
        "notation by Excel, so digits are lost. This row is skipped; download the original "
        "export again and do not save it again in Excel.",
    ),
    IngestCode.ROW_BAD_DATE: MessageSpec(
        E,
        "Tanggal '{value}' di kolom '{column}' baris {row} tidak dapat "
        "dibaca. Baris ini dilewati; simpan ulang file dengan format tanggal ekspor asli "
        "(misalnya 2026-08-01 08:00) atau unduh ulang ekspornya.",
        "Date '{value}' in column '{column}' of row {row} cannot be read. This row is "
        "skipped; save the file again with the export's own date format (e.g. 2026-08-01 "
        "08:00) or download the export again.",
    ),
    IngestCode.ROW_BAD_QUANTITY: MessageSpec(
        E,
        "Jumlah '{value}' di kolom '{column}' baris {row} bukan "
        "bilangan bulat. Baris ini dilewati; perbaiki jumlahnya atau unduh ulang ekspornya.",
        "Quantity '{value}' in column '{column}' of row {row} is not a whole number. This row "
        "is skipped; correct the quantity or download the export again.",
    ),
    IngestCode.ROW_NEGATIVE_QUANTITY: MessageSpec(
        E,
        "Jumlah {value} di kolom '{column}' baris {row} "
        "negatif. Baris ini dilewati; jumlah barang harus 0 atau lebih.",
        "Quantity {value} in column '{column}' of row {row} is negative. This row is "
        "skipped; a quantity must be 0 or more.",
    ),
    IngestCode.ROW_BAD_PRICE: MessageSpec(
        E,
        "Harga '{value}' di kolom '{column}' baris {row} tidak dapat "
        "dibaca sebagai rupiah. Baris ini dilewati; tulis harga seperti 37.200 atau 37200.",
        "Price '{value}' in column '{column}' of row {row} cannot be read as rupiah. This row "
        "is skipped; write the price as 37.200 or 37200.",
    ),
    IngestCode.ROW_NO_PRICE: MessageSpec(
        W,
        "Harga di kolom '{column}' baris {row} kosong; baris dihitung "
        "dengan harga Rp 0. Lengkapi harganya atau unduh ulang ekspornya.",
        "The price in column '{column}' of row {row} is empty; the row is counted at Rp 0. "
        "Fill in the price or download the export again.",
    ),
    IngestCode.ROW_NO_PRODUCT_ID: MessageSpec(
        W,
        "Baris {row} tidak punya kode produk di kolom '{column}'. "
        "Baris ini dilewati; unduh ulang daftar produk dari Seller Centre.",
        "Row {row} has no product code in column '{column}'. This row is skipped; download "
        "the product list from the Seller Centre again.",
    ),
    IngestCode.ROW_NOT_A_PRODUCT_ID: MessageSpec(
        W,
        "Baris {row} berisi '{value}' di kolom '{column}', "
        "bukan kode produk (kode produk hanya angka): ini baris judul atau petunjuk template, "
        "bukan produk, dan tidak dihitung. Jika baris ini memang produk, unduh ulang daftar "
        "produk dari Seller Centre tanpa mengubahnya.",
        "Row {row} holds '{value}' in column '{column}', which is not a product code (product "
        "codes are digits only): it is a header or template hint, not a product, and is not "
        "counted. If this row is a product, download the product list from the Seller Centre "
        "again without changing it.",
    ),
    IngestCode.ROWS_MORE: MessageSpec(
        E,
        "Masih ada {rest} baris lain di {source} dengan masalah yang sama ({code}) "
        "di kolom '{column}'. Perbaiki file atau unduh ulang ekspornya.",
        "There are {rest} more rows in {source} with the same problem ({code}) in column "
        "'{column}'. Fix the file or download the export again.",
    ),
    IngestCode.STATUS_UNKNOWN: MessageSpec(
        W,
        "Status pesanan {marketplace} '{status}' belum dikenal sheetsync ({lines} baris). "
        "Baris ini dihitung 'sedang diproses' (bukan penjualan, bukan pembatalan) sampai "
        "status ini ditambahkan ke tabel status. Laporkan teks status ini ke operator.",
        "Order status {marketplace} '{status}' is not known to sheetsync yet ({lines} rows). "
        "These rows count as 'in progress' (neither sales nor cancellations) until the status "
        "is added to the status table. Report this status text to the operator.",
    ),
}

# Codes with a second wording, picked by what is known (`variant_message`).
EXPORT_VARIANTS: dict[tuple[str, str], MessageSpec] = {
    (IngestCode.FILE_UNKNOWN_LAYOUT, "closest"): MessageSpec(
        E,
        "Format file {source} tidak dikenali. Paling mirip: {layout} "
        "(judul kolom di baris {header_row}), tetapi kolom {missing} tidak ditemukan. "
        "Jangan mengubah judul kolom; unduh ulang ekspor asli dari Seller Centre.",
        "The layout of file {source} is not recognised. The closest is {layout} (headers in "
        "row {header_row}), but these columns were not found: {missing}. Do not change the "
        "headers; download the original export from the Seller Centre again.",
    ),
}
