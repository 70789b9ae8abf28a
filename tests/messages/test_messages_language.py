"""The issues built from the catalogue follow `[program] language`: the same code, place and
value, the sentence in the chosen language (Bahasa Indonesia unless "en")."""

from __future__ import annotations

import datetime as dt
import pickle
import zipfile
from pathlib import Path

import pytest
from test_cli import line, make_programme

from sheetsync.config import load_config
from sheetsync.demo import exports as ex
from sheetsync.ingest import ingest_inbox
from sheetsync.ledger import Ledger
from sheetsync.marketplaces import read_export
from sheetsync.marketplaces.problems import (
    ROW_ISSUES_PER_CODE,
    file_issue,
    row_issues,
    unknown_layout_issue,
)
from sheetsync.messages import THREADED_ONLY_FILLED, IngestCode, message
from sheetsync.pipeline.sync import sync
from sheetsync.workbook.template import fill_staff_workbook
from sheetsync.workbook.xlsx import THREADED_LABEL, kept_features_issue

NOW = dt.datetime(2026, 9, 2, 6, 0)


def test_a_file_issue_is_worded_in_the_chosen_language() -> None:
    english = file_issue(IngestCode.FILE_NO_ROWS, "TK-1/a.xlsx", language="en")
    indonesian = file_issue(IngestCode.FILE_NO_ROWS, "TK-1/a.xlsx")
    assert english.message == (
        "File TK-1/a.xlsx holds no data rows, only the headers. Check the date range when "
        "downloading the export, then download it again."
    )
    assert indonesian.message.startswith("File TK-1/a.xlsx tidak berisi baris data")
    assert (english.code, english.severity, english.source) == (
        indonesian.code, indonesian.severity, indonesian.source,
    )  # fmt: skip


def test_row_issues_and_their_closing_count_follow_the_language() -> None:
    rows = list(range(2, ROW_ISSUES_PER_CODE + 5))
    issues = row_issues(IngestCode.ROW_BAD_DATE, "f.csv", "Tanggal", rows, ["x"] * len(rows),
                        language="en")  # fmt: skip
    assert issues[0].message.startswith("Date 'x' in column 'Tanggal' of row 2 cannot be read.")
    assert issues[-1].code == IngestCode.ROWS_MORE
    assert issues[-1].message == (
        "There are 3 more rows in f.csv with the same problem (row_bad_date) in column "
        "'Tanggal'. Fix the file or download the export again."
    )


def test_an_unknown_layout_is_explained_in_english() -> None:
    issue = unknown_layout_issue("a.xlsx", None, language="en")
    assert issue.message.startswith("The layout of file a.xlsx is not recognised: no header row")


@pytest.mark.parametrize(
    ("language", "start"),
    [("en", "File Order.all.csv lies directly in the inbox folder"),
     ("id", "File Order.all.csv ada langsung di folder inbox")],
)  # fmt: skip
def test_inbox_issues_follow_the_language(tmp_path: Path, language: str, start: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Order.all.csv").write_text("x\n", encoding="utf-8")
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        summary = ingest_inbox(inbox, ledger, now=NOW, workers=1, language=language)
    [issue] = summary.issues
    assert issue.code == "ingest.outside_shop_folder"
    assert issue.message.startswith(start)


def test_the_reader_run_in_worker_processes_carries_the_language() -> None:
    """The default reader is pickled to the reader processes: the language goes with it."""
    from zoneinfo import ZoneInfo

    from sheetsync.ingest.run import _default_reader

    reader = pickle.loads(pickle.dumps(_default_reader(ZoneInfo("Asia/Jakarta"), "en")))
    assert (reader.tz, reader.language) == ("Asia/Jakarta", "en")  # type: ignore[attr-defined]


def test_the_workbook_parts_kept_notice_follows_the_language() -> None:
    features = [THREADED_LABEL, "sparkline"]
    english = kept_features_issue("program.xlsx", features, "en")
    indonesian = kept_features_issue("program.xlsx", features)
    assert english.message.startswith("This workbook holds ")
    assert english.message.endswith(THREADED_ONLY_FILLED["en"] + ". Nothing to do.")
    assert indonesian.message.startswith("Buku kerja ini memuat ")
    assert indonesian.message.endswith(
        THREADED_ONLY_FILLED["id"] + ". Tidak perlu tindakan apa pun."
    )


# --------------------------------------------------------------------------- a whole sync

# What every message of each code says in a sync of the programme below, per language: the
# readers (run in reader processes), the inbox scan, the status table and the two-source
# check (ambassador and village), their issues stored in the ledger and read back for Validasi.
SYNC_MESSAGES = {
    "en": {
        "row_bad_date": "Date '31/02/2026 99:99' in column 'Waktu Pesanan Dibuat' of row 3 "
        "cannot be read.",
        "file_unknown_layout": "The layout of file TK-001/catatan.xlsx is not recognised",
        "file_balance_report": "File TK-002/saldo.xlsx looks like a balance report",
        "ingest.outside_shop_folder": "File Order.all.csv lies directly in the inbox folder",
        "status_unknown": "Order status shopee 'Menunggu Keajaiban' is not known to sheetsync",
        "two_source_gap": "Toko Baru 20 for August 2026, but according to tab Toko (Tanggal "
        "Daftar) it is 1 (a gap of 19).",
    },
    "id": {
        "row_bad_date": "Tanggal '31/02/2026 99:99' di kolom 'Waktu Pesanan Dibuat' baris 3 "
        "tidak dapat dibaca.",
        "file_unknown_layout": "Format file TK-001/catatan.xlsx tidak dikenali",
        "file_balance_report": "File TK-002/saldo.xlsx tampaknya laporan saldo",
        "ingest.outside_shop_folder": "File Order.all.csv ada langsung di folder inbox",
        "status_unknown": "Status pesanan shopee 'Menunggu Keajaiban' belum dikenal sheetsync",
        "two_source_gap": "Toko Baru 20 untuk Agustus 2026, tetapi tab Toko (Tanggal Daftar) "
        "menunjukkan 1 (selisih 19).",
    },
}


def english_or_indonesian_programme(root: Path, language: str) -> Path:
    """The CLI tests' programme, `[program] language` set, with one of each problem."""
    config = make_programme(root)
    text = config.read_text(encoding="utf-8")
    assert 'language = "id"' in text
    config.write_text(text.replace('language = "id"', f'language = "{language}"'), "utf-8")
    fill_staff_workbook(  # DD-001 registered one new shop in August, not twenty
        root / "data" / "program.xlsx",
        {"Laporan Duta": [("02/09/2026 14.03.22", "DD-001", "2026-08", 4, 35, 20, 0, "")]},
    )
    inbox = root / "inbox"
    aug = dt.datetime(2026, 8, 20, 10, 0)
    rows = ex.shopee_rows(
        [
            line("260820DDDD0004", "Selesai", aug, 1, 20000),
            line("260820EEEE0005", "Selesai", aug, 1, 20000),  # its date is broken below
            line("260820FFFF0006", "Menunggu Keajaiban", aug, 1, 20000),
        ]
    )
    rows[2][rows[0].index("Waktu Pesanan Dibuat")] = "31/02/2026 99:99"
    ex.write_table(inbox / "TK-001" / "Order.all.20260820.csv", rows, fmt="csv")
    ex.write_table(
        inbox / "TK-001" / "catatan.xlsx", [["Catatan", "Jumlah"], ["kopi", 3]], fmt="xlsx"
    )
    paid_out = line("260820GGGG0007", "Selesai", aug, 1, 20000)
    ex.write_mistaken_file(inbox / "TK-002" / "saldo.xlsx", "shopee_balance", [paid_out])
    (inbox / "Order.all.csv").write_text("x\n", encoding="utf-8")
    return config


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_sync_words_every_message_in_the_programmes_language(
    tmp_path: Path, language: str
) -> None:
    config = load_config(english_or_indonesian_programme(tmp_path / "prog", language))
    result = sync(config, months=["2026-08"], now=dt.datetime(2026, 9, 10, 8, 0))
    assert result.ingest_summary is not None and result.ingest_summary.files_imported >= 4
    issues = result.report.issues
    for code, words in SYNC_MESSAGES[language].items():
        found = [i.message for i in issues if i.code == code]
        assert found, (code, [i.code for i in issues])
        assert all(words in text for text in found), (code, found)


@pytest.mark.parametrize("language", ["en", "id"])
def test_read_export_words_zip_parts_and_listing_rows_in_the_language(
    tmp_path: Path, language: str
) -> None:
    archive = tmp_path / "Order.all.zip"
    with zipfile.ZipFile(archive, "w") as parts:
        parts.writestr("Order.all.part1.csv", b"")
    [issue] = read_export(archive, display_name="TK-1/Order.all.zip", language=language).issues
    source = "TK-1/Order.all.zip/Order.all.part1.csv"
    assert issue.message == message(IngestCode.FILE_EMPTY, language, source=source, detail="")

    products = [ex.ProductSpec("1730001", "Kopi"), ex.ProductSpec("Wajib", "Nama Produk")]
    listing = ex.write_tiktok_products(tmp_path / "Products Card List.xlsx", products)
    parsed = read_export(listing, language=language)
    [row] = [i for i in parsed.issues if i.code == IngestCode.ROW_NOT_A_PRODUCT_ID]
    fields = {"row": row.row, "column": row.column, "value": "Wajib"}
    assert row.message == message(IngestCode.ROW_NOT_A_PRODUCT_ID, language, **fields)
    assert row.message.startswith("Row " if language == "en" else "Baris ")
