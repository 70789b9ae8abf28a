"""Inbox messages: files the ingest cannot take in as they lie in the inbox.

These problems are about where a file is or what happened to it (outside a shop folder, a
shortcut out of the inbox, a reader or the ledger failing on it), not about its contents
(see exports.py). Fields: `source` (the file or folder as staff see it), `reason` (the
system's short cause), `row`, `other_source`/`other_shop` (the copy already imported).
"""

from __future__ import annotations

from enum import StrEnum

from sheetsync.issues import Severity
from sheetsync.messages.spec import MessageSpec


class InboxCode(StrEnum):
    """Stable machine codes of inbox problems (never renamed)."""

    OUTSIDE_SHOP_FOLDER = "ingest.outside_shop_folder"  # directly in the inbox, no shop folder
    UNKNOWN_SHOP_FOLDER = "ingest.unknown_shop_folder"  # folder name not an ID Toko of Toko
    SAME_FILE_OTHER_SHOP = "ingest.same_file_other_shop"  # same bytes imported for another shop
    UNREADABLE_FILE = "ingest.unreadable_file"  # vanished or cannot be opened (retried)
    SPECIAL_FILE = "ingest.special_file"  # a named pipe, device or socket: never opened
    OUTSIDE_INBOX = "ingest.outside_inbox"  # a symlink leading out of the inbox: not followed
    READ_FAILED = "ingest.read_failed"  # the reader failed on the file (retried)
    STORE_FAILED = "ingest.store_failed"  # the file could not be stored (retried)
    UNSTORABLE_LINE = "ingest.unstorable_line"  # no order number, date, quantity or price


E, W = Severity.ERROR, Severity.WARNING

INBOX_TEXTS: dict[InboxCode, MessageSpec] = {
    InboxCode.OUTSIDE_SHOP_FOLDER: MessageSpec(
        W,
        "File {source} ada langsung di folder inbox, tidak di dalam folder toko. Pindahkan "
        "ke inbox/<ID Toko>/ agar ikut diimpor.",
        "File {source} lies directly in the inbox folder, not in a shop folder. Move it to "
        "inbox/<ID Toko>/ so that it is imported.",
    ),
    InboxCode.UNKNOWN_SHOP_FOLDER: MessageSpec(
        W,
        "Folder {source} tidak cocok dengan ID Toko mana pun di tab Toko. Filenya tetap "
        "diimpor atas nama toko {shop}, tetapi belum masuk KPI desa dan duta. Tambahkan "
        "toko {shop} ke tab Toko, atau ganti nama folder menjadi ID Toko yang benar.",
        "Folder {source} matches no ID Toko in tab Toko. Its files are still imported for "
        "shop {shop}, but they do not count for any village or ambassador yet. Add shop "
        "{shop} to tab Toko, or rename the folder to the right ID Toko.",
    ),
    InboxCode.SAME_FILE_OTHER_SHOP: MessageSpec(
        W,
        "File {source} sama persis dengan {other_source} yang sudah diimpor untuk "
        "toko {other_shop}; isinya dihitung sekali saja. Hapus salinan yang salah "
        "folder.",
        "File {source} is identical to {other_source}, already imported for shop "
        "{other_shop}; its contents count once only. Delete the copy in the wrong folder.",
    ),
    InboxCode.UNREADABLE_FILE: MessageSpec(
        W,
        "File {source} tidak dapat dibuka ({reason}). Periksa "
        "apakah file masih ada dan boleh dibaca; file dicoba lagi pada sinkronisasi berikutnya.",
        "File {source} cannot be opened ({reason}). Check that the file is still there and "
        "may be read; it is tried again on the next sync.",
    ),
    InboxCode.SPECIAL_FILE: MessageSpec(
        W,
        "{source} bukan file biasa (named pipe, perangkat atau socket) dan tidak dibaca. "
        "Hapus dari inbox dan simpan ekspor seller centre sebagai file biasa.",
        "{source} is not a regular file (a named pipe, device or socket) and is not read. "
        "Remove it from the inbox and save the seller centre export as a regular file.",
    ),
    InboxCode.OUTSIDE_INBOX: MessageSpec(
        W,
        "{source} adalah pintasan (symlink) ke luar folder inbox dan tidak dibaca. Hapus "
        "pintasan itu dan salin file ekspornya sendiri ke inbox/<ID Toko>/.",
        "{source} is a shortcut (symlink) leading out of the inbox folder and is not read. "
        "Delete the shortcut and copy the export file itself to inbox/<ID Toko>/.",
    ),
    InboxCode.READ_FAILED: MessageSpec(
        E,
        "File {source} gagal dibaca ({reason}). File dibiarkan di tempatnya dan "
        "dicoba lagi pada sinkronisasi berikutnya; bila terus gagal, kirim file ini ke "
        "operator.",
        "Reading file {source} failed ({reason}). The file is left where it is and tried "
        "again on the next sync; if it keeps failing, send this file to the operator.",
    ),
    InboxCode.STORE_FAILED: MessageSpec(
        E,
        "File {source} tidak dapat disimpan ke ledger ({reason}); tidak "
        "ada baris dari file ini yang disimpan. File dicoba lagi pada sinkronisasi "
        "berikutnya; bila terus gagal, kirim file ini ke operator.",
        "File {source} could not be stored in the ledger ({reason}); none of its rows were "
        "stored. The file is tried again on the next sync; if it keeps failing, send this "
        "file to the operator.",
    ),
    InboxCode.UNSTORABLE_LINE: MessageSpec(
        E,
        "Baris {row} di {source} tidak lengkap (nomor pesanan, tanggal, jumlah, harga atau "
        "status kosong/tidak sah) dan tidak dihitung. Unduh ulang export dari seller centre.",
        "Row {row} of {source} is incomplete (order number, date, quantity, price or status "
        "empty or invalid) and is not counted. Download the export from the seller centre "
        "again.",
    ),
}
