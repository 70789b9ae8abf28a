"""Messages without loose ends: Duta rows, regency names."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from test_cli import make_programme, run

from sheetsync.workbook.template import fill_staff_workbook


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    config = make_programme(tmp_path / "prog")
    fill_staff_workbook(
        config.parent / "data" / "program.xlsx",
        {
            # row 4 of Duta: an active ambassador without an email address
            "Duta": [("DD-003", "Hendra Hidayat", "19.02.04.2001", "081200000003", "", "Ya")],
            "Penerima": [("Bupati", "Bupati", "bupati@example.org", "kabupaten", "")],
        },
    )
    return config


def test_send_names_the_duta_row_of_an_ambassador_without_email(programme: Path) -> None:
    result = run(programme, "send", "--month", "2026-08", "--dry-run")
    skipped = [line for line in result.output.splitlines() if "Hendra Hidayat" in line]
    assert skipped == [
        "- dilewati: Duta baris 4: Duta Hendra Hidayat (DD-003) belum punya email, jadi laporan "
        "pribadinya tidak dikirim. Isi kolom Email di tab Duta."
    ]
    assert "None" not in result.output


def test_without_a_regency_name_titles_and_subjects_use_the_programme_name(
    programme: Path,
) -> None:
    assert "regency" not in programme.read_text(encoding="utf-8")  # init writes no regency
    made = run(
        programme, "report", "--month", "2026-08", "--level", "kabupaten", "--format", "pdf,html"
    )
    assert made.exit_code == 0, made.output
    [html] = (programme.parent / "reports" / "2026-08" / "kabupaten").glob("*.html")
    assert html.name == "laporan-2026-08-kabupaten-duta-digital-uji.html"
    text = html.read_text(encoding="utf-8")
    assert "Kabupaten Kabupaten" not in text and "Duta Digital Uji" in text

    sent = run(programme, "send", "--month", "2026-08", "--dry-run")
    assert "bupati@example.org ← laporan-2026-08-kabupaten-duta-digital-uji" in sent.output
    [eml] = [p for p in (programme.parent / "outbox").rglob("*.eml") if "bupati" in p.read_text()]
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert "Kabupaten Kabupaten" not in str(message["Subject"])
    assert str(message["Subject"]).endswith("Kabupaten Duta Digital Uji")
