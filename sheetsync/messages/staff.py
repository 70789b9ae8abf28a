"""Staff-tab messages: every `IssueCode` of the workbook's own tabs, with id and en text.

Staff read these sentences in the `Validasi` tab and in the notes on their own cells, so
each one says what is wrong AND how to fix it, in Bahasa Indonesia (English when the
programme's language is "en"). The staff guide (docs/panduan-staf.md) lists every one of
these codes. Placeholders are `str.format` fields filled by validate/ (and mail/routing.py
for the mail_* codes).
"""

from __future__ import annotations

from enum import StrEnum

from sheetsync.issues import Severity
from sheetsync.messages.spec import MessageSpec, language_of


class IssueCode(StrEnum):
    """Stable machine codes of staff-tab and completeness problems (never renamed)."""

    TAB_MISSING = "tab_missing"
    TAB_OPTIONAL_MISSING = "tab_optional_missing"
    HEADER_MISSING = "header_missing"
    HEADER_OPTIONAL_MISSING = "header_optional_missing"
    HEADER_DUPLICATE = "header_duplicate"
    HEADER_BLANK = "header_blank"
    REQUIRED_EMPTY = "required_empty"
    DATE_INVALID = "date_invalid"
    DATE_IN_FUTURE = "date_in_future"
    TIMESTAMP_INVALID = "timestamp_invalid"
    MONTH_INVALID = "month_invalid"
    NUMBER_INVALID = "number_invalid"
    NUMBER_NEGATIVE = "number_negative"
    RUPIAH_INVALID = "rupiah_invalid"
    PHONE_INVALID = "phone_invalid"
    EMAIL_INVALID = "email_invalid"
    RECIPIENT_EMAIL_INVALID = "recipient_email_invalid"
    ACTIVE_INVALID = "active_invalid"
    MARKETPLACE_INVALID = "marketplace_invalid"
    LEVEL_INVALID = "level_invalid"
    VILLAGE_CODE_FORMAT = "village_code_format"
    KECAMATAN_SPELLING = "kecamatan_spelling"
    DUPLICATE_ID = "duplicate_id"
    SHOP_ID_NOT_FOLDER = "shop_id_not_folder"
    DUPLICATE_SHOP = "duplicate_shop"
    DUPLICATE_TARGET = "duplicate_target"
    UNKNOWN_VILLAGE = "unknown_village"
    UNKNOWN_AMBASSADOR = "unknown_ambassador"
    REFERENCE_HAS_ERRORS = "reference_has_errors"
    AREA_MISSING = "area_missing"
    AREA_UNKNOWN = "area_unknown"
    REPORT_MONTH_NOT_ENDED = "report_month_not_ended"
    REPORT_SUPERSEDED = "report_superseded"
    REPORT_RESUBMITTED = "report_resubmitted"
    INBOX_FOLDER_UNKNOWN = "inbox_folder_unknown"
    REPORT_MISSING = "report_missing"
    EXPORT_MISSING = "export_missing"
    EXPORT_GAP = "export_gap"
    FORMULA_UNCOMPUTED = "formula_uncomputed"
    REGISTRY_SHRANK = "registry_shrank"
    PUBLISHING_BLOCKED = "publishing_blocked"
    WORKBOOK_PARTS_KEPT = "workbook_parts_kept"

    # --- recipients and mail routing (validate/recipients.py, mail/routing.py) ----------
    RECIPIENT_NAME_UNSAFE = "mail_unsafe_name"
    MAIL_REPORT_MISSING = "mail_report_missing"
    MAIL_NO_EMAIL = "mail_no_email"
    MAIL_DUPLICATE_RECIPIENT = "mail_duplicate_recipient"


E, W = Severity.ERROR, Severity.WARNING
# The consequence of an error, said the way it matters for the tab it is in.
LEFT_OUT = {
    ("id", "row"): " Sampai diperbaiki, baris ini tidak dihitung.",
    ("en", "row"): " Until it is fixed, this row is left out.",
    ("id", "recipient"): " Sampai diperbaiki, penerima ini tidak dikirimi laporan.",
    ("en", "recipient"): " Until it is fixed, this recipient gets no report.",
}
_LEFT_OUT = "{left_out}"  # filled by `message` from LEFT_OUT

STAFF_TEXTS: dict[IssueCode, MessageSpec] = {
    IssueCode.TAB_MISSING: MessageSpec(
        E,
        'Tab "{tab}" tidak ditemukan. Tambahkan tab bernama "{tab}" dengan judul kolom: {headers}.',
        'Tab "{tab}" was not found. Add a tab named "{tab}" with the headers: {headers}.',
    ),
    IssueCode.TAB_OPTIONAL_MISSING: MessageSpec(
        W,
        'Tab "{tab}" tidak ditemukan, jadi dianggap kosong. Bila diperlukan, tambahkan tab '
        'bernama "{tab}" dengan judul kolom: {headers}.',
        'Tab "{tab}" was not found, so it is read as empty. If you need it, add a tab named '
        '"{tab}" with the headers: {headers}.',
    ),
    IssueCode.HEADER_MISSING: MessageSpec(
        E,
        'Kolom wajib "{column}" tidak ada di baris judul tab {tab}.{similar} Tambahkan judul '
        '"{column}" di baris 1; sampai itu isi tab ini tidak dihitung.',
        'The required column "{column}" is missing from the header row of tab {tab}.{similar} '
        'Add the header "{column}" in row 1; until then this tab is left out.',
    ),
    IssueCode.HEADER_OPTIONAL_MISSING: MessageSpec(
        W,
        'Kolom "{column}" tidak ada di baris judul tab {tab}, jadi dianggap kosong.{similar} '
        'Tambahkan judul "{column}" di baris 1 bila datanya ada.',
        'Column "{column}" is missing from the header row of tab {tab}, so it is read as '
        'empty.{similar} Add the header "{column}" in row 1 if you have its data.',
    ),
    IssueCode.HEADER_DUPLICATE: MessageSpec(
        W,
        'Judul kolom "{column}" muncul lebih dari sekali di tab {tab} (kolom {letter}); '
        "hanya kolom pertama yang dibaca. Hapus kolom ini atau beri judul lain.",
        'The header "{column}" appears more than once in tab {tab} (column {letter}); only '
        "the first is read. Delete this column or give it another header.",
    ),
    IssueCode.HEADER_BLANK: MessageSpec(
        W,
        "Kolom {letter} di tab {tab} berisi data tetapi tidak punya judul, jadi diabaikan. "
        "Beri judul di baris 1 atau pindahkan datanya ke kolom yang benar.",
        "Column {letter} of tab {tab} holds data but has no header, so it is ignored. Give "
        "it a header in row 1 or move its data to the right column.",
    ),
    IssueCode.REQUIRED_EMPTY: MessageSpec(
        E,
        "{column} wajib diisi. Isi kolom {column} di baris ini." + _LEFT_OUT,
        "{column} is required. Fill in {column} on this row." + _LEFT_OUT,
    ),
    IssueCode.DATE_INVALID: MessageSpec(
        W,
        '{column} "{value}" bukan tanggal yang dapat dibaca, jadi dianggap kosong. Tulis '
        "tanggal sebagai hari/bulan/tahun, mis. 02/08/2026 atau 2 Agustus 2026.",
        '{column} "{value}" is not a readable date, so it is read as empty. Write the date '
        "as day/month/year, e.g. 02/08/2026 or 2 Agustus 2026.",
    ),
    IssueCode.DATE_IN_FUTURE: MessageSpec(
        W,
        "{column} {date} ada di masa depan (sinkron {today}). Periksa hari, bulan dan "
        "tahunnya, lalu perbaiki tanggalnya.",
        "{column} {date} is in the future (sync of {today}). Check the day, month and "
        "year, then correct the date.",
    ),
    IssueCode.TIMESTAMP_INVALID: MessageSpec(
        E,
        '{column} "{value}" bukan waktu yang dapat dibaca. Kolom ini diisi Google Form; '
        "kembalikan isinya seperti semula, mis. 02/08/2026 14.03.22." + _LEFT_OUT,
        '{column} "{value}" is not a readable time. Google Forms fills this column; restore '
        "what it wrote, e.g. 02/08/2026 14.03.22." + _LEFT_OUT,
    ),
    IssueCode.MONTH_INVALID: MessageSpec(
        E,
        '{column} "{value}" bukan bulan yang dapat dibaca. Tulis bulan seperti 2026-08 atau '
        "Agustus 2026." + _LEFT_OUT,
        '{column} "{value}" is not a readable month. Write the month as 2026-08 or '
        "Agustus 2026." + _LEFT_OUT,
    ),
    IssueCode.NUMBER_INVALID: MessageSpec(
        E,
        '{column} "{value}" bukan bilangan bulat. Tulis angkanya saja, mis. 12, tanpa huruf '
        "atau koma." + _LEFT_OUT,
        '{column} "{value}" is not a whole number. Write only the number, e.g. 12, without '
        "letters or decimals." + _LEFT_OUT,
    ),
    IssueCode.NUMBER_NEGATIVE: MessageSpec(
        E,
        "{column} {value} negatif, padahal tidak mungkin kurang dari 0. Perbaiki angkanya."
        + _LEFT_OUT,
        "{column} {value} is negative, which is impossible. Correct the number." + _LEFT_OUT,
    ),
    IssueCode.RUPIAH_INVALID: MessageSpec(
        E,
        '{column} "{value}" bukan jumlah rupiah yang dapat dibaca. Tulis angkanya seperti '
        "1.250.000 atau Rp 1.250.000." + _LEFT_OUT,
        '{column} "{value}" is not a readable rupiah amount. Write it as 1.250.000 or '
        "Rp 1.250.000." + _LEFT_OUT,
    ),
    IssueCode.PHONE_INVALID: MessageSpec(
        W,
        '{column} "{value}" bukan nomor telepon Indonesia yang dapat dibaca. Tulis seperti '
        "0812-3456-7890 atau +62 812-3456-7890.",
        '{column} "{value}" is not a readable Indonesian phone number. Write it as '
        "0812-3456-7890 or +62 812-3456-7890.",
    ),
    IssueCode.EMAIL_INVALID: MessageSpec(
        W,
        '{column} "{value}" bukan alamat email yang benar. Tulis satu alamat lengkap tanpa '
        "spasi, mis. nama@desa.id.",
        '{column} "{value}" is not a valid email address. Write one full address without '
        "spaces, e.g. name@village.id.",
    ),
    IssueCode.RECIPIENT_EMAIL_INVALID: MessageSpec(
        E,
        '{column} "{value}" bukan alamat email yang benar, jadi laporan tidak dapat dikirim. '
        "Tulis satu alamat lengkap tanpa spasi, mis. camat@belitung.go.id.",
        '{column} "{value}" is not a valid email address, so no report can be sent. Write '
        "one full address without spaces, e.g. head@district.go.id.",
    ),
    IssueCode.ACTIVE_INVALID: MessageSpec(
        W,
        '{column} "{value}" tidak dikenali, jadi duta ini dianggap aktif. Pilih Ya atau Tidak.',
        '{column} "{value}" is not recognised, so this ambassador counts as active. Choose '
        "Ya or Tidak.",
    ),
    IssueCode.MARKETPLACE_INVALID: MessageSpec(
        E,
        '{column} "{value}" tidak dikenali.{suggestion} Pilih salah satu: {choices}.' + _LEFT_OUT,
        '{column} "{value}" is not recognised.{suggestion} Choose one of: {choices}.' + _LEFT_OUT,
    ),
    IssueCode.LEVEL_INVALID: MessageSpec(
        E,
        '{column} "{value}" tidak dikenali. Pilih kabupaten, kecamatan atau desa.' + _LEFT_OUT,
        '{column} "{value}" is not recognised. Choose kabupaten, kecamatan or desa.' + _LEFT_OUT,
    ),
    IssueCode.VILLAGE_CODE_FORMAT: MessageSpec(
        W,
        '{column} "{value}" tidak berbentuk kode Kemendagri.{suggestion} Tulis kode dengan '
        "titik, mis. 19.02.04.2004.",
        '{column} "{value}" is not shaped like a Kemendagri code.{suggestion} Write the code '
        "with dots, e.g. 19.02.04.2004.",
    ),
    IssueCode.KECAMATAN_SPELLING: MessageSpec(
        W,
        '{column} "{value}" ditulis berbeda dari "{preferred}" di baris lain. Samakan '
        'penulisannya menjadi "{preferred}" agar desanya masuk kecamatan yang sama.',
        '{column} "{value}" is spelt differently from "{preferred}" on other rows. Write it '
        'as "{preferred}" so its villages fall in the same kecamatan.',
    ),
    IssueCode.DUPLICATE_ID: MessageSpec(
        E,
        '{column} "{value}" sudah dipakai di baris {first_row}. Beri {column} lain yang unik, '
        "atau hapus baris ini bila dobel." + _LEFT_OUT,
        '{column} "{value}" is already used on row {first_row}. Give this row another, unique '
        "{column}, or delete it if it is a double." + _LEFT_OUT,
    ),
    IssueCode.SHOP_ID_NOT_FOLDER: MessageSpec(
        W,
        '{column} "{value}" tidak bisa menjadi nama folder di inbox, jadi ekspor toko ini tidak '
        'akan ditemukan. Hindari tanda / \\ : * ? " < > | dan titik di akhir, mis. SHP-001, '
        "lalu beri folder inbox nama yang sama.",
        '{column} "{value}" cannot be an inbox folder name, so this shop\'s exports will not be '
        'found. Avoid / \\ : * ? " < > | and a trailing dot, e.g. SHP-001, and give the inbox '
        "folder the same name.",
    ),
    IssueCode.DUPLICATE_SHOP: MessageSpec(
        W,
        'Toko "{value}" di {marketplace} sudah terdaftar di baris {first_row} (ID Toko '
        "{first_id}). Bila tokonya sama, hapus salah satu baris; bila berbeda, bedakan "
        "Nama Toko-nya.",
        'Shop "{value}" on {marketplace} is already registered on row {first_row} (ID Toko '
        "{first_id}). If it is the same shop, delete one row; if not, tell the names apart.",
    ),
    IssueCode.DUPLICATE_TARGET: MessageSpec(
        E,
        "Target {month} untuk desa {village} sudah ada di baris {first_row}. Hapus salah satu "
        "baris atau gabungkan angkanya di satu baris." + _LEFT_OUT,
        "A target for {month} and village {village} already exists on row {first_row}. Delete "
        "one row or merge the figures into one." + _LEFT_OUT,
    ),
    IssueCode.UNKNOWN_VILLAGE: MessageSpec(
        E,
        '{column} "{value}" tidak ada di tab Desa.{suggestion} Tulis Kode Desa persis seperti '
        "di tab Desa." + _LEFT_OUT,
        '{column} "{value}" is not in tab Desa.{suggestion} Write the Kode Desa exactly as in '
        "tab Desa." + _LEFT_OUT,
    ),
    IssueCode.UNKNOWN_AMBASSADOR: MessageSpec(
        E,
        '{column} "{value}" tidak ada di tab Duta.{suggestion} Tulis ID Duta persis seperti '
        "di tab Duta." + _LEFT_OUT,
        '{column} "{value}" is not in tab Duta.{suggestion} Write the ID Duta exactly as in '
        "tab Duta." + _LEFT_OUT,
    ),
    IssueCode.REFERENCE_HAS_ERRORS: MessageSpec(
        E,
        '{column} "{value}" merujuk ke baris {target_row} di tab {target_tab} yang masih '
        "bermasalah. Perbaiki baris itu dulu (lihat catatannya)." + _LEFT_OUT,
        '{column} "{value}" refers to row {target_row} of tab {target_tab}, which has '
        "errors. Fix that row first (see its notes)." + _LEFT_OUT,
    ),
    IssueCode.AREA_MISSING: MessageSpec(
        E,
        "{column} kosong untuk tingkat {level}. Isi nama atau kode kecamatan (tingkat "
        "kecamatan) atau Kode Desa (tingkat desa)." + _LEFT_OUT,
        "{column} is empty for level {level}. Fill in the kecamatan name or code (level "
        "kecamatan) or the Kode Desa (level desa)." + _LEFT_OUT,
    ),
    IssueCode.AREA_UNKNOWN: MessageSpec(
        E,
        '{column} "{value}" tidak cocok dengan {level} mana pun di tab Desa.{suggestion} '
        "Tulis persis seperti di tab Desa." + _LEFT_OUT,
        '{column} "{value}" matches no {level} in tab Desa.{suggestion} Write it exactly as '
        "in tab Desa." + _LEFT_OUT,
    ),
    IssueCode.REPORT_MONTH_NOT_ENDED: MessageSpec(
        W,
        "Laporan untuk {month} dikirim {submitted}, sebelum bulan itu berakhir. Periksa Bulan "
        "Laporan; bila benar, minta duta mengirim ulang setelah akhir bulan.",
        "The report for {month} was sent on {submitted}, before that month ended. Check "
        "Bulan Laporan; if it is right, ask the ambassador to resend after the month ends.",
    ),
    IssueCode.REPORT_SUPERSEDED: MessageSpec(
        W,
        "Duta {ambassador} mengirim laporan {month} lagi di baris {latest_row}; hanya kiriman "
        "terbaru yang dihitung. Tidak perlu tindakan bila kiriman terbaru benar.",
        "Ambassador {ambassador} sent the {month} report again on row {latest_row}; only the "
        "latest counts. Nothing to do if the latest one is right.",
    ),
    IssueCode.REPORT_RESUBMITTED: MessageSpec(
        W,
        "Kiriman ini menggantikan laporan {month} duta {ambassador} di baris {earlier_row}; "
        "hanya kiriman ini yang dihitung. Periksa bahwa angkanya benar.",
        "This submission replaces the {month} report of ambassador {ambassador} on row "
        "{earlier_row}; only this one counts. Check that its figures are right.",
    ),
    IssueCode.INBOX_FOLDER_UNKNOWN: MessageSpec(
        W,
        'Folder inbox "{value}" tidak cocok dengan ID Toko mana pun di tab Toko.{suggestion} '
        "Ganti nama folder menjadi ID Toko yang benar, atau daftarkan tokonya di tab Toko.",
        'Inbox folder "{value}" matches no ID Toko in tab Toko.{suggestion} Rename the folder '
        "to the right ID Toko, or register the shop in tab Toko.",
    ),
    IssueCode.REPORT_MISSING: MessageSpec(
        W,
        "Duta {value} ({name}) belum punya Laporan Duta yang terhitung untuk {month} (batas "
        "{due}). Ingatkan duta untuk mengisi formulir laporan bulanan; bila laporannya ada "
        "tetapi bertanda Error, perbaiki laporan itu.",
        "Ambassador {value} ({name}) has no counted Laporan Duta for {month} (due {due}). "
        "Remind them to fill in the monthly report form; if their report is there but marked "
        "as an error, fix that report.",
    ),
    IssueCode.EXPORT_MISSING: MessageSpec(
        W,
        "Toko {value} ({name}) belum punya file ekspor pesanan untuk {month}. Unduh ekspor "
        "pesanan dari seller centre dan simpan di folder inbox/{value}.",
        "Shop {value} ({name}) has no order export for {month}. Download the order export "
        "from the seller centre and save it in folder inbox/{value}.",
    ),
    IssueCode.EXPORT_GAP: MessageSpec(
        W,
        "Ekspor toko {value} tidak mencakup {start} s.d. {end}. Unduh ekspor pesanan untuk "
        "tanggal itu dan simpan di folder inbox/{value}.",
        "The exports of shop {value} do not cover {start} to {end}. Download the order "
        "export for those dates and save it in folder inbox/{value}.",
    ),
    IssueCode.FORMULA_UNCOMPUTED: MessageSpec(
        W,
        "Sel {value} di tab {tab} berisi rumus tanpa hasil tersimpan (workbook terakhir "
        "disimpan oleh program yang tidak menghitung rumus), jadi sheetsync membaca teks "
        "rumusnya. Buka workbook ini di Excel atau LibreOffice lalu simpan, agar hasil "
        "rumusnya ikut tersimpan.",
        "Cells {value} in tab {tab} hold formulas without a saved result (the workbook was "
        "last saved by a program that does not calculate), so sheetsync reads their formula "
        "text. Open the workbook in Excel or LibreOffice and save it so the results are "
        "stored.",
    ),
    IssueCode.REGISTRY_SHRANK: MessageSpec(
        E,
        "Tab {tab} kini hanya punya {after} baris yang terbaca, padahal pada sinkronisasi baik "
        "terakhir ada {before} (turun {drop} %, batas {limit} %). Periksa apakah baris "
        "terhapus, tersaring (filter) atau tergeser; kembalikan dari riwayat versi. Bila "
        "memang sengaja dihapus, minta operator menaikkan workbook.registry_shrink_limit_pct "
        "untuk satu kali sinkronisasi.",
        "Tab {tab} now has only {after} readable rows where the last good sync had {before} "
        "(down {drop} %, limit {limit} %). Check whether rows were deleted, filtered or "
        "shifted; restore them from the version history. If they were removed on purpose, "
        "ask the operator to raise workbook.registry_shrink_limit_pct for one sync.",
    ),
    IssueCode.PUBLISHING_BLOCKED: MessageSpec(
        E,
        "Angka KPI dan laporan TIDAK diperbarui karena tab {tab} rusak (lihat Error di atas); "
        "tab KPI tetap berisi angka sinkronisasi baik terakhir, dan laporan tidak dibuat atau "
        "dikirim. Data ekspor tetap diimpor. Perbaiki tab {tab}, lalu sinkronisasi berikutnya "
        "memperbarui semuanya.",
        "KPI figures and reports were NOT updated because tab {tab} is broken (see the errors "
        "above); the KPI tabs keep the figures of the last good sync, and no report is made "
        "or sent. Exports are still imported. Fix tab {tab} and the next sync updates "
        "everything.",
    ),
    IssueCode.WORKBOOK_PARTS_KEPT: MessageSpec(
        W,
        "Buku kerja ini memuat {features} yang tidak dapat ditulis ulang oleh "
        "sheetsync. Agar tidak hilang, sheetsync hanya mengganti tab keluarannya sendiri "
        "di dalam berkas dan membiarkan isi lain persis seperti semula. Sel bermasalah di "
        "tab staf tetap diwarnai dan diberi catatan (note){threaded}. Tidak perlu "
        "tindakan apa pun.",
        "This workbook holds {features} that sheetsync cannot write back. So that they are "
        "not lost, sheetsync only replaces its own output tabs inside the file and leaves "
        "everything else exactly as it was. Cells with problems in the staff tabs are still "
        "coloured and given a note{threaded}. Nothing to do.",
    ),
    # --- recipients and mail routing (validate/recipients.py, mail/routing.py) ----------
    IssueCode.RECIPIENT_NAME_UNSAFE: MessageSpec(
        W,
        "Nama penerima berisi baris baru atau karakter kontrol; email tetap dikirim dengan "
        "nama {name!r}. Hapus baris baru dari sel Nama.",
        "The recipient's name holds a line break or a control character; the email is still "
        "sent, with the name {name!r}. Remove the line break from the Nama cell.",
    ),
    IssueCode.MAIL_REPORT_MISSING: MessageSpec(
        E,
        "Laporan {report} untuk {name} belum ada, jadi email tidak dikirim. Buat laporannya "
        "dulu dengan `sheetsync report --month` lalu jalankan `sheetsync send` lagi.",
        "Report {report} for {name} does not exist yet, so no email was sent. Make the "
        "report first with `sheetsync report --month`, then run `sheetsync send` again.",
    ),
    IssueCode.MAIL_NO_EMAIL: MessageSpec(
        W,
        "Duta {who} belum punya email, jadi laporan pribadinya tidak dikirim. Isi kolom Email "
        "di tab Duta.",
        "Ambassador {who} has no email yet, so their personal report was not sent. Fill in "
        "the Email column of tab Duta.",
    ),
    IssueCode.MAIL_DUPLICATE_RECIPIENT: MessageSpec(
        W,
        "{value} tercantum lebih dari sekali untuk {area}; laporan hanya dikirim sekali. "
        "Hapus baris ganda di tab Penerima.",
        "{value} is listed more than once for {area}; the report is sent only once. Delete "
        "the double row in tab Penerima.",
    ),
}


# workbook_parts_kept's {threaded}: a cell with a threaded comment cannot hold a note too.
THREADED_ONLY_FILLED = {
    "id": "; sel yang memuat komentar berutas hanya diwarnai, pesannya ada di tab Validasi ini",
    "en": "; cells holding a threaded comment are only coloured, their messages are in this "
    "Validasi tab",
}


def left_out_text(kind: str, language: str = "id") -> str:
    """' Sampai diperbaiki, …': what an error costs; kind is "row" or "recipient"."""
    return LEFT_OUT[(language_of(language), kind)]


def suggestion_text(candidates: list[str], language: str = "id") -> str:
    """' Maksud Anda Air Seruk (19.02.04.2004)?' — a leading space, or '' for none."""
    if not candidates:
        return ""
    joiner, prefix = (" or ", " Did you mean ") if language == "en" else (" atau ", " Maksud Anda ")
    return prefix + joiner.join(candidates) + "?"


def similar_header_text(found: str, letter: str, column: str, language: str = "id") -> str:
    """' Judul "Kode Dsa" (kolom E) mirip; …' — a header that is probably the missing one."""
    if language == "en":
        return (
            f' The header "{found}" (column {letter}) looks similar; if it is this one, '
            f'rename it "{column}".'
        )
    return f' Judul "{found}" (kolom {letter}) mirip; bila itu maksudnya, ganti menjadi "{column}".'


SEVERITY_LABELS = {
    "id": {Severity.ERROR: "Error", Severity.WARNING: "Peringatan"},
    "en": {Severity.ERROR: "Error", Severity.WARNING: "Warning"},
}

VALIDASI_HEADERS = {
    "id": ("Tingkat", "Kode", "Tab/File", "Baris", "Kolom", "Nilai", "Pesan", "Waktu Sinkron"),
    "en": ("Severity", "Code", "Tab/File", "Row", "Column", "Value", "Message", "Sync time"),
}
