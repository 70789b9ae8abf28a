"""Building a message: subject, bodies, attachments, encoding, no header injection."""

from __future__ import annotations

import ast
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mail_samples import MONTH, NOW, config_for, parts, plan, registry

from sheetsync.config import Config
from sheetsync.mail import (
    build_message,
    plan_deliveries,
)
from sheetsync.model import Level, Recipient, Registry, Village
from sheetsync.report.paths import report_path

# ---------------------------------------------------------------- the message


def test_message_has_subject_both_bodies_and_the_pdf(out: Path) -> None:
    [delivery] = [d for d in plan(out) if d.level is Level.KECAMATAN]
    config = config_for(out.parent, reply_to="Dinas Kominfo <kominfo@belitung.example.go.id>")
    message = build_message(delivery, config=config, date=NOW, message_id="<a@b.example>")
    parsed = message_from_bytes(message.as_bytes(), policy=default)
    assert parsed["Subject"] == "Laporan Bulanan Duta Digital – Agustus 2026 – Kecamatan Sijuk"
    assert parsed["To"].addresses[0].addr_spec == "camat.sijuk@example.go.id"
    assert str(parsed["From"]) == "Duta Digital <laporan@dinas.example.go.id>"
    assert parsed["Reply-To"].addresses[0].addr_spec == "kominfo@belitung.example.go.id"
    assert parsed["Date"].datetime == NOW.replace(tzinfo=config.program.tz)
    assert parsed["Message-ID"] == "<a@b.example>"
    assert parsed["Auto-Submitted"] == "auto-generated" and parsed["Content-Language"] == "id"
    plain, html, files = parts(parsed)
    assert "Yth. Camat Sijuk (Camat)," in plain
    assert "terlampir dalam format PDF." in plain
    assert "Kecamatan Sijuk" in html and 'style="' in html and "<link" not in html
    assert list(files) == ["laporan-2026-08-kecamatan-sijuk.pdf"]
    assert files["laporan-2026-08-kecamatan-sijuk.pdf"].startswith(b"%PDF")
    # the subject in the raw bytes is RFC 2047 encoded (the en dash is not ASCII)
    assert b"=?utf-8?" in message.as_bytes().split(b"\r\n\r\n")[0]


def test_building_a_message_twice_gives_identical_bytes(out: Path) -> None:
    [delivery] = [d for d in plan(out) if d.level is Level.DESA]
    config = config_for(out.parent)
    build = lambda: build_message(delivery, config=config, date=NOW, message_id="<x@y.example>")  # noqa: E731
    assert build().as_bytes() == build().as_bytes()


def test_xlsx_is_attached_only_when_configured(out: Path) -> None:
    [delivery] = [d for d in plan(out) if d.level is Level.KABUPATEN]
    _, _, files = parts(build_message(delivery, config=config_for(out.parent, attach_xlsx=True)))
    assert sorted(files) == [
        "laporan-2026-08-kabupaten-belitung.pdf",
        "laporan-2026-08-kabupaten-belitung.xlsx",
    ]
    assert delivery.content_hash(True) != delivery.content_hash(False)
    plain, _, _ = parts(build_message(delivery, config=config_for(out.parent, attach_xlsx=True)))
    assert "terlampir dalam format PDF dan XLSX." in plain


def test_non_ascii_names_are_encoded_and_read_back(out: Path) -> None:
    kades = Recipient(
        "Ni Made Ayu Wulandarí, S.Kom.",
        "Kepala Desa",
        "kades@airseruk.example.id",
        Level.DESA,
        "19.02.04.2004",
    )
    [delivery] = [d for d in plan(out, registry(kades)) if d.level is Level.DESA]
    raw = build_message(delivery, config=config_for(out.parent)).as_bytes()
    assert raw.isascii()
    parsed = message_from_bytes(raw, policy=default)
    [to] = parsed["To"].addresses
    assert (to.display_name, to.addr_spec) == (
        "Ni Made Ayu Wulandarí, S.Kom.",
        "kades@airseruk.example.id",
    )


def test_a_name_cannot_inject_headers_or_recipients(out: Path) -> None:
    evil = Recipient(
        "Budi\r\nBcc: evil@example.com",
        "Camat\nX-Evil: 1",
        "camat@example.go.id",
        Level.KECAMATAN,
        "Sijuk",
    )
    deliveries, _ = plan_deliveries(
        registry(evil), MONTH, out, program_name="Duta\r\nBcc: evil@example.com"
    )
    [delivery] = [d for d in deliveries if d.level is Level.KECAMATAN]
    raw = build_message(delivery, config=config_for(out.parent)).as_bytes()
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["camat@example.go.id"]
    assert parsed["To"].addresses[0].display_name == "Budi Bcc: evil@example.com"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(max_size=60), position=st.text(max_size=30), area=st.text(max_size=30))
def test_no_sheet_text_ever_adds_a_header_or_recipient(
    out: Path, name: str, position: str, area: str
) -> None:
    village = Village("19.02.04.2004", area or "x", "Sijuk")
    kades = Recipient(name, position, "kades@airseruk.example.id", Level.DESA, village.code)
    reg = Registry((village,), (), (), recipients=(kades,))
    report_path(out, MONTH, "desa", village.code, village.name, "pdf").write_bytes(b"%PDF")
    [delivery] = plan(out, reg)
    raw = build_message(delivery, config=Config(), message_id="<m@x.example>").as_bytes()
    parsed = message_from_bytes(raw, policy=default)
    assert sorted(key.lower() for key in parsed) == [
        "auto-submitted",
        "content-language",
        "content-type",
        "from",
        "message-id",
        "mime-version",
        "subject",
        "to",
    ]
    assert [a.addr_spec for a in parsed["To"].addresses] == ["kades@airseruk.example.id"]


def test_a_revision_says_so_in_subject_and_body(out: Path) -> None:
    [delivery] = [d for d in plan(out) if d.level is Level.KECAMATAN]
    note = ["Transaksi Agustus naik dari 120 menjadi 134 (ekspor Shopee masuk terlambat)."]
    message = build_message(delivery, config=Config(), revision_note=note)
    assert message["Subject"].startswith("Revisi: Laporan Bulanan Duta Digital – Agustus 2026")
    plain, html, _ = parts(message)
    assert "REVISI LAPORAN" in plain and note[0] in plain
    assert "menggantikan laporan Agustus 2026" in html and note[0] in html


def test_english_messages_by_config(out: Path) -> None:
    [delivery] = [d for d in plan(out, language="en") if d.level is Level.KECAMATAN]
    assert delivery.subject == "Monthly Report Duta Digital – August 2026 – District Sijuk"
    plain, _, _ = parts(build_message(delivery, config=Config()))
    assert plain.startswith("Dear Camat Sijuk (Camat),")


@pytest.mark.parametrize("module", ["addresses", "delivery", "figures", "message"])
def test_message_building_modules_do_no_io(module: str) -> None:
    """Building a message is pure (house style); sending is transport.py and send.py."""
    source = Path(__file__).parents[2] / "sheetsync" / "mail" / f"{module}.py"
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    io = {"os", "socket", "smtplib", "ssl", "sqlite3", "time", "pathlib", "tempfile", "shutil"}
    assert not imported & io
