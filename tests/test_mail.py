"""Emailing the monthly reports: routing, message building, and sending over real SMTP.

Every sending test talks to a real aiosmtpd server on 127.0.0.1 (tests/mail_server.py)
and parses what the server received, so encoding, envelopes and retries are checked end
to end. Report files are small generated stand-ins: mail only attaches their bytes.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kpi_sample import fill_months, sample_result
from mail_server import HOST, PASSWORD, USERNAME, MailSink, make_certificate, smtp_server

from sheetsync.config import Config, LedgerConfig, MailConfig, ProgramConfig, SecretRef
from sheetsync.errors import ConfigError, RemoteError
from sheetsync.kpi_schema import KpiResult
from sheetsync.ledger import SendLog
from sheetsync.mail import (
    Delivery,
    SendSummary,
    SmtpTransport,
    alert_sender,
    build_message,
    mail_config_problems,
    plan_deliveries,
    report_summaries,
    routing,
    send_reports,
)
from sheetsync.model import Ambassador, Level, Marketplace, Recipient, Registry, Shop, Village
from sheetsync.months import months_back
from sheetsync.report.paths import report_path
from sheetsync.tabs import SheetTable
from sheetsync.validate import validate_recipients

MONTH = "2026-08"
NOW = dt.datetime(2026, 9, 2, 7, 0)
VILLAGES = (
    Village("19.02.04.2004", "Air Seruk", "Sijuk"),
    Village("19.02.04.2005", "Sungai Padang", "Sijuk"),
    Village("19.02.01.2001", "Pangkal Lalang", "Tanjung Pandan"),
)
AMBASSADORS = (
    Ambassador("DD-001", "Siti Aminah", "19.02.04.2004", "0812", "siti@duta.example.id", True),
    Ambassador("DD-002", "Andi", "19.02.01.2001", "0813", "", True),  # no email: warned
    Ambassador("DD-003", "Rudi", "19.02.04.2005", "0814", "rudi@duta.example.id", False),
)
RECIPIENTS = (
    Recipient("H. Sahani Saleh", "Bupati", "bupati@belitung.example.go.id", Level.KABUPATEN, ""),
    Recipient("Camat Sijuk", "Camat", "camat.sijuk@example.go.id", Level.KECAMATAN, "Sijuk"),
    Recipient(
        "Kades Air Seruk", "Kepala Desa", "kades@airseruk.example.id", Level.DESA, "19.02.04.2004"
    ),
)
EVERYONE = {
    "bupati@belitung.example.go.id",
    "camat.sijuk@example.go.id",
    "kades@airseruk.example.id",
    "siti@duta.example.id",
}


def registry(*recipients: Recipient) -> Registry:
    return Registry(VILLAGES, AMBASSADORS, (), recipients=recipients or RECIPIENTS)


def write_reports(out: Path, version: str = "v1", *, xlsx: bool = True) -> None:
    """Stand-in report files at the names report/paths.py gives them."""
    areas = [("kabupaten", "", "Belitung")]
    areas += [("kecamatan", "", name) for name in ("Sijuk", "Tanjung Pandan")]
    areas += [("desa", v.code, v.name) for v in VILLAGES]
    areas += [("duta", a.ambassador_id, a.name) for a in AMBASSADORS]
    for level, code, name in areas:
        pdf = report_path(out, MONTH, level, code, name, "pdf")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(b"%PDF-1.7\n" + f"{level} {name} {version}".encode() + b"\n%%EOF\n")
        if xlsx:
            pdf.with_suffix(".xlsx").write_bytes(b"PK\x03\x04" + f"{name} {version}".encode())


def config_for(tmp_path: Path, **mail: object) -> Config:
    settings: dict[str, object] = {
        "transport": "smtp",
        "host": HOST,
        "port": 25,
        "security": "none",
        "sender": "laporan@dinas.example.go.id",
        "outbox": tmp_path / "outbox",
    }
    settings.update(mail)
    return Config(
        program=ProgramConfig(name="Duta Digital"),
        ledger=LedgerConfig(path=tmp_path / "ledger.sqlite"),
        mail=MailConfig(**settings),  # type: ignore[arg-type]
    )


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    write_reports(folder)
    return folder


@pytest.fixture
def sendlog(tmp_path: Path) -> Iterator[SendLog]:
    log = SendLog.open(tmp_path / "ledger.sqlite")
    yield log
    log.close()


def plan(out: Path, reg: Registry | None = None, **options: object) -> list[Delivery]:
    deliveries, _ = plan_deliveries(
        reg or registry(),
        MONTH,
        out,
        program_name="Duta Digital",
        **options,  # type: ignore[arg-type]
    )
    return deliveries


@dataclasses.dataclass
class Run:
    """A send's summary plus the backoff waits it asked for (sleep is injected)."""

    summary: SendSummary
    sleeps: list[float]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.summary, name)


def send(deliveries: list[Delivery], config: Config, log: SendLog, **options: Any) -> Run:
    sleeps: list[float] = []
    options.setdefault("sleep", sleeps.append)
    options.setdefault("clock", lambda: NOW)
    return Run(send_reports(deliveries, config=config, sendlog=log, **options), sleeps)


def parts(message: EmailMessage) -> tuple[str, str, dict[str, bytes]]:
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    files = {p.get_filename(): p.get_content() for p in message.iter_attachments()}
    return plain.get_content(), html.get_content(), files  # type: ignore[return-value]


# ---------------------------------------------------------------- routing


def test_each_recipient_gets_the_report_of_their_area(out: Path) -> None:
    deliveries, issues = plan_deliveries(registry(), MONTH, out, program_name="Duta Digital")
    routed = {d.recipient_email: (d.report_key, d.report_stem) for d in deliveries}
    assert routed == {
        "bupati@belitung.example.go.id": ("kabupaten:", "laporan-2026-08-kabupaten-belitung"),
        "camat.sijuk@example.go.id": ("kecamatan:Sijuk", "laporan-2026-08-kecamatan-sijuk"),
        "kades@airseruk.example.id": (
            "desa:19.02.04.2004",
            "laporan-2026-08-desa-1902042004-air-seruk",
        ),
        "siti@duta.example.id": ("duta:DD-001", "laporan-2026-08-duta-dd-001-siti-aminah"),
    }
    # Andi is active without email: warned; Rudi is inactive: nothing
    assert [(i.code, i.value) for i in issues] == [(routing.NO_EMAIL, "DD-002")]


def test_a_kecamatan_recipient_gets_the_report_of_the_kecamatan_validation_named(
    out: Path,
) -> None:
    """Validation gives the kecamatan as the Desa tab writes it, however it was typed
    (tests/validate/test_validate_recipients.py); routing names the report by it."""
    camat = Recipient("Camat", "Camat", "camat@example.go.id", Level.KECAMATAN, "Sijuk")
    [delivery] = [d for d in plan(out, registry(camat)) if d.level is Level.KECAMATAN]
    assert delivery.area_label == "Kecamatan Sijuk"
    assert delivery.subject == "Laporan Bulanan Duta Digital – Agustus 2026 – Kecamatan Sijuk"


def test_an_unvalidated_address_is_refused_not_sent(out: Path) -> None:
    """Addresses are checked once, by validation; a Registry that skipped it is a bug."""
    smuggled = Recipient("X", "", "a@example.org, evil@example.com", Level.KABUPATEN, "", 5)
    with pytest.raises(ValueError, match="Penerima row 5"):
        plan_deliveries(registry(smuggled), MONTH, out, program_name="Duta Digital")


def test_routing_issues_follow_the_programme_language(out: Path) -> None:
    _, issues = plan_deliveries(registry(), MONTH, out, program_name="DD", language="en")
    assert [i.message for i in issues] == [
        "Ambassador Andi (DD-002) has no email yet, so their personal report was not sent. "
        "Fill in the Email column of tab Duta."
    ]


def test_a_missing_report_file_is_an_issue(out: Path) -> None:
    report_path(out, MONTH, "kecamatan", "", "Sijuk", "pdf").unlink()
    deliveries, issues = plan_deliveries(registry(), MONTH, out, program_name="Duta Digital")
    assert "camat.sijuk@example.go.id" not in {d.recipient_email for d in deliveries}
    [missing] = [i for i in issues if i.code == routing.REPORT_MISSING]
    assert "laporan-2026-08-kecamatan-sijuk.pdf" in missing.message
    assert missing.message == (
        "Laporan laporan-2026-08-kecamatan-sijuk.pdf untuk Camat Sijuk belum ada, jadi email "
        "tidak dikirim. Buat laporannya dulu dengan `sheetsync report --month` lalu jalankan "
        "`sheetsync send` lagi."
    )


def test_a_recipient_listed_twice_gets_one_message(out: Path) -> None:
    twice = (RECIPIENTS[1], dataclasses.replace(RECIPIENTS[1], email="Camat.Sijuk@EXAMPLE.go.id"))
    deliveries, issues = plan_deliveries(registry(*twice), MONTH, out, program_name="Duta Digital")
    assert [d.level for d in deliveries].count(Level.KECAMATAN) == 1
    assert routing.DUPLICATE in {i.code for i in issues}


def test_headline_figures_come_from_the_area_row(out: Path) -> None:
    kecamatan = pd.DataFrame(
        {
            "kecamatan": ["Sijuk", "Tanjung Pandan"],
            "completed_orders": [1234, 5],
            "sales_idr": [1250000, 10],
            "mom_completed_orders": [12.3, None],
            "achievement_transactions_pct": [104.6, None],
            "shops_active": [8, 1],
            "shops_registered": [10, 2],
        }
    )
    empty = pd.DataFrame()
    kpis = KpiResult(MONTH, empty, empty, empty, kecamatan, empty)
    [delivery] = [d for d in plan(out, kpis=kpis) if d.level is Level.KECAMATAN]
    shown = [(f.label, f.value, f.note) for f in delivery.figures]
    assert shown == [
        ("Transaksi selesai", "1.234", "+12 % dibanding Juli; 105 % dari target"),
        ("Penjualan", "Rp 1.250.000", ""),
        ("Toko aktif", "8", "dari 10 toko terdaftar"),
    ]
    plain, html, _ = parts(build_message(delivery, config=Config()))
    assert "- Penjualan: Rp 1.250.000" in plain
    assert "Rp 1.250.000" in html and "<table" in html


def test_the_report_modules_summary_becomes_the_html_body(out: Path) -> None:
    shop = Shop("S1", Marketplace.SHOPEE, "Keripik", "Sri", "19.02.04.2004", "DD-001", None)
    reg = dataclasses.replace(registry(), shops=(shop,))
    months = fill_months(months_back(MONTH, 12), ["S1"])
    months.loc[months["month"] == MONTH, ["completed_orders", "sales_idr"]] = [12, 1_250_000]
    kpis = sample_result(reg, months, MONTH)
    summaries = report_summaries(kpis, reg, issues=[], config=Config(), as_of=NOW)
    deliveries = plan(out, reg, kpis=kpis, summary_html=summaries)
    assert all(d.summary_html for d in deliveries)
    [camat] = [d for d in deliveries if d.level is Level.KECAMATAN]
    plain, html, _ = parts(build_message(camat, config=Config()))
    assert html.count("<body") == 1 and "Yth. Camat Sijuk (Camat)," in html
    assert "Rp 1.250.000" in html and "Rp 1.250.000" in plain


def test_an_area_the_report_module_does_not_know_falls_back_to_own_figures(out: Path) -> None:
    kecamatan = pd.DataFrame({"kecamatan": ["Sijuk"], "completed_orders": [7]})
    empty = pd.DataFrame()
    kpis = KpiResult(MONTH, empty, empty, empty, kecamatan, empty)
    asked: list[tuple[Level, str]] = []

    def no_summary(level: Level, area: str) -> None:
        asked.append((level, area))

    [camat] = [
        d for d in plan(out, kpis=kpis, summary_html=no_summary) if d.level is Level.KECAMATAN
    ]
    assert (Level.KECAMATAN, "Sijuk") in asked and (Level.DESA, "19.02.04.2004") in asked
    _, html, _ = parts(build_message(camat, config=Config()))
    assert "Transaksi selesai" in html and "Kecamatan Sijuk – Agustus 2026" in html


def test_the_kabupaten_report_is_named_by_the_kpi_regency_label(out: Path) -> None:
    report_path(out, MONTH, "kabupaten", "", "Belitung Timur", "pdf").write_bytes(b"%PDF other")
    bupati = (RECIPIENTS[0],)
    deliveries, issues = plan_deliveries(registry(*bupati), MONTH, out, program_name="DD")
    assert routing.REPORT_MISSING in {i.code for i in issues}  # two PDFs: never guess
    assert Level.KABUPATEN not in {d.level for d in deliveries}
    empty = pd.DataFrame()
    kpis = KpiResult(MONTH, empty, empty, empty, empty, pd.DataFrame({"regency": ["Belitung"]}))
    [bupati_delivery] = [
        d for d in plan(out, registry(*bupati), kpis=kpis) if d.level is Level.KABUPATEN
    ]
    assert bupati_delivery.report_stem == "laporan-2026-08-kabupaten-belitung"
    assert bupati_delivery.area_label == "Kabupaten Belitung"


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


def test_building_is_pure_and_stable(out: Path) -> None:
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


# ---------------------------------------------------------------- sending over SMTP


def test_plain_smtp_delivers_each_report_once(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        first = send(plan(out), config, sendlog)
        second = send(plan(out), config, sendlog)
    assert first.counts == {"sent": 4} and not first.has_failures
    assert {r.rcpt_tos[0] for r in sink.received} == EVERYONE
    assert all(
        len(r.rcpt_tos) == 1 and r.mail_from == "laporan@dinas.example.go.id" for r in sink.received
    )
    [camat] = sink.to("camat.sijuk@example.go.id")
    message = camat.message
    assert message["Subject"] == "Laporan Bulanan Duta Digital – Agustus 2026 – Kecamatan Sijuk"
    plain, html, files = parts(message)
    assert "Kecamatan Sijuk" in plain and "Kecamatan Sijuk" in html
    assert list(files) == ["laporan-2026-08-kecamatan-sijuk.pdf"]
    assert second.counts == {"already_sent": 4} and len(sink.received) == 4
    sent = [r for r in sendlog.history(MONTH) if r.result == "sent"]
    assert {r.message_id for r in sent} == {r.message["Message-ID"].strip() for r in sink.received}


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_starttls_with_auth(
    tmp_path: Path, out: Path, sendlog: SendLog, monkeypatch: pytest.MonkeyPatch, mechanism: str
) -> None:
    from mail_server import authenticate

    cert = make_certificate(tmp_path)
    other = {"PLAIN": "LOGIN", "LOGIN": "PLAIN"}[mechanism]
    sink = MailSink()
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    with smtp_server(
        sink,
        tls_context=cert.server_context(),
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_exclude_mechanism=[other],
    ) as port:
        config = config_for(
            tmp_path,
            port=port,
            security="starttls",
            username=USERNAME,
            password=SecretRef(env="TEST_SMTP_PASSWORD"),
        )
        transport = SmtpTransport(config.mail, ssl_context=cert.client_context(), timeout=5)
        summary = send(plan(out), config, sendlog, transport=transport)
    assert summary.counts == {"sent": 4}
    assert {r.rcpt_tos[0] for r in sink.received} == EVERYONE


def test_wrong_password_fails_every_delivery_without_retrying(
    tmp_path: Path, out: Path, sendlog: SendLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mail_server import authenticate

    cert = make_certificate(tmp_path)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "salah")
    sink = MailSink()
    with smtp_server(
        sink,
        tls_context=cert.server_context(),
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
    ) as port:
        config = config_for(
            tmp_path,
            port=port,
            security="starttls",
            username=USERNAME,
            password=SecretRef(env="TEST_SMTP_PASSWORD"),
        )
        summary = send(
            plan(out),
            config,
            sendlog,
            transport=SmtpTransport(config.mail, ssl_context=cert.client_context(), timeout=5),
        )
    assert summary.counts == {"failed": 4} and summary.has_failures
    assert summary.sleeps == [] and sink.received == []
    assert "menolak login" in summary.failures[0].error


def test_an_untrusted_certificate_is_refused(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    cert = make_certificate(tmp_path)
    sink = MailSink()
    with smtp_server(sink, tls_context=cert.server_context(), require_starttls=True) as port:
        config = config_for(tmp_path, port=port, security="starttls")
        summary = send(plan(out), config, sendlog, transport=SmtpTransport(config.mail, timeout=5))
    assert summary.counts == {"failed": 4} and sink.received == []
    assert "TLS" in summary.failures[0].error


def test_implicit_ssl(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    cert = make_certificate(tmp_path)
    sink = MailSink()
    with smtp_server(sink, ssl_context=cert.server_context()) as port:
        config = config_for(tmp_path, port=port, security="ssl")
        summary = send(
            plan(out),
            config,
            sendlog,
            transport=SmtpTransport(config.mail, ssl_context=cert.client_context(), timeout=5),
        )
    assert summary.counts == {"sent": 4}
    assert len(sink.received) == 4


def test_451_is_retried_after_a_backoff(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    sink = MailSink(defer_data=1)
    with smtp_server(sink) as port:
        summary = send(plan(out), config_for(tmp_path, port=port), sendlog)
    assert summary.counts == {"sent": 4}
    assert summary.sleeps == [5.0]
    assert summary.results[0].attempts == 2 and len(sink.received) == 4


def test_a_dropped_connection_is_reopened(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    sink = MailSink(drop_data=1)
    with smtp_server(sink) as port:
        summary = send(plan(out), config_for(tmp_path, port=port), sendlog)
    assert summary.counts == {"sent": 4} and len(sink.received) == 4


def test_a_server_that_keeps_deferring_fails_after_bounded_retries(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink(defer_data=4)
    with smtp_server(sink) as port:
        summary = send(plan(out)[:1], config_for(tmp_path, port=port), sendlog)
    assert summary.counts == {"failed": 1}
    assert summary.sleeps == [5.0, 15.0, 45.0]
    assert summary.failures[0].error.startswith("451")


def test_550_for_one_recipient_does_not_stop_the_others_and_is_retried_next_run(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink(reject={"camat.sijuk@example.go.id"})
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        first = send(plan(out), config, sendlog)
        sink.reject.clear()
        second = send(plan(out), config, sendlog)
    assert first.counts == {"sent": 3, "failed": 1} and first.has_failures
    assert first.sleeps == []  # permanent: no retry
    [failure] = first.failures
    assert failure.delivery.recipient_email == "camat.sijuk@example.go.id"
    assert failure.error.startswith("550")
    assert second.counts == {"sent": 1, "already_sent": 3} and not second.has_failures
    assert [r.rcpt_tos for r in sink.received].count(["camat.sijuk@example.go.id"]) == 1
    assert len(sink.received) == 4
    assert any("gagal: camat.sijuk@example.go.id" in line for line in first.lines())
    as_json = json.loads(json.dumps(first.as_dict()))
    assert as_json["failed"] is True and as_json["counts"] == {"sent": 3, "failed": 1}
    [failed] = [r for r in as_json["results"] if r["outcome"] == "failed"]
    assert (failed["recipient"], failed["report"]) == (
        "camat.sijuk@example.go.id",
        "kecamatan:Sijuk",
    )


def test_an_unreachable_server_fails_fast_after_bounded_retries(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    from mail_server import free_port

    config = config_for(tmp_path, port=free_port())  # nothing listens there
    summary = send(plan(out), config, sendlog, transport=SmtpTransport(config.mail, timeout=2))
    assert summary.counts == {"failed": 4}
    assert summary.sleeps == [5.0, 15.0, 45.0]  # only once
    assert "Tidak bisa terhubung" in summary.failures[-1].error


def test_a_sheet_value_cannot_add_recipients_over_smtp(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    """From the Penerima tab as typed, through validation (the one check), to the wire."""
    typed = SheetTable(
        "Penerima",
        ("Nama", "Jabatan", "Email", "Tingkat", "Kode Wilayah"),
        (
            ("Budi\r\nBcc: evil@example.com", "", "camat@example.go.id", "kecamatan", "Sijuk"),
            ("Ani", "", "a@example.org, evil@example.com", "kabupaten", ""),
            ("Ani", "", "a@example.org>\r\nRCPT TO:<evil@example.com", "kabupaten", ""),
        ),
    )
    evil, _ = validate_recipients(typed, VILLAGES, ambassadors=AMBASSADORS)
    sink = MailSink()
    with smtp_server(sink) as port:
        summary = send(plan(out, registry(*evil)), config_for(tmp_path, port=port), sendlog)
    assert summary.counts == {"sent": 2}
    assert sorted(r.rcpt_tos[0] for r in sink.received) == [
        "camat@example.go.id",
        "siti@duta.example.id",
    ]
    assert not any("evil" in c for c in sink.commands if c.startswith("RCPT"))
    [camat] = sink.to("camat@example.go.id")
    assert camat.message["Bcc"] is None
    assert [a.addr_spec for a in camat.message["To"].addresses] == ["camat@example.go.id"]


# ---------------------------------------------------------------- exactly once, revisions, cap


def test_changed_report_is_listed_then_sent_as_revision(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        send(plan(out), config, sendlog)
        write_reports(out, "v2")  # late data changed every report
        listed = send(plan(out), config, sendlog)
        changes = {
            "kecamatan:Sijuk": ["Penjualan Agustus naik dari Rp 1.000.000 menjadi Rp 1.250.000."]
        }
        revised = send(plan(out), config, sendlog, send_revisions=True, changes=changes)
        again = send(plan(out), config, sendlog, send_revisions=True)
    assert listed.counts == {"changed_not_sent": 4}
    assert revised.counts == {"revision_sent": 4} and again.counts == {"already_sent": 4}
    assert len(sink.received) == 4 + 4
    [_, revision] = sink.to("camat.sijuk@example.go.id")
    assert revision.message["Subject"].startswith("Revisi: Laporan Bulanan")
    plain, _, files = parts(revision.message)
    assert "Rp 1.250.000" in plain
    assert next(iter(files.values())).endswith(b"v2\n%%EOF\n")
    [bupati_revision] = sink.to("bupati@belitung.example.go.id")[1:]
    assert "diperbarui dengan data terbaru" in parts(bupati_revision.message)[0]
    assert max(r.revision for r in sendlog.history(MONTH)) == 1


def kecamatan_kpis(transactions: int, sales: int) -> KpiResult:
    frame = pd.DataFrame(
        {
            "kecamatan": ["Sijuk", "Tanjung Pandan"],
            "completed_orders": [transactions, 1],
            "sales_idr": [sales, 1],
        }
    )
    empty = pd.DataFrame()
    return KpiResult(MONTH, empty, empty, empty, frame, empty)


def test_a_revision_names_the_figures_that_moved_since_the_first_message(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        send(plan(out, kpis=kecamatan_kpis(120, 1_000_000)), config, sendlog)
        write_reports(out, "v2")
        later = plan(out, kpis=kecamatan_kpis(134, 1_000_000))
        send(later, config, sendlog)  # listed only: figures seen at that point are not kept
        send(plan(out, kpis=kecamatan_kpis(134, 1_250_000)), config, sendlog, send_revisions=True)
    [_, revision] = sink.to("camat.sijuk@example.go.id")
    plain, html, _ = parts(revision.message)
    for line in (
        "Transaksi selesai: 120 menjadi 134",
        "Penjualan: Rp 1.000.000 menjadi Rp 1.250.000",
    ):
        assert f"- {line}" in plain and line in html
    [_, desa_revision] = sink.to("kades@airseruk.example.id")  # no figures: a general note
    assert "diperbarui dengan data terbaru" in parts(desa_revision.message)[0]


def test_resend_forces_a_new_copy(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        send(plan(out), config, sendlog)
        forced = send(plan(out), config, sendlog, resend=True, only="Camat.Sijuk@example.go.id")
    assert forced.counts == {"resent": 1}
    first, copy = sink.to("camat.sijuk@example.go.id")
    assert first.message["Subject"] == copy.message["Subject"]
    assert first.message["Message-ID"] != copy.message["Message-ID"]


def test_only_limits_the_run_to_one_mailbox(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        summary = send(
            plan(out), config_for(tmp_path, port=port), sendlog, only="siti@duta.example.id"
        )
    assert summary.counts == {"sent": 1} and [r.rcpt_tos for r in sink.received] == [
        ["siti@duta.example.id"]
    ]


def test_daily_cap_defers_the_rest_to_another_day(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port, daily_cap=3)
        send(plan(out)[:1], config, sendlog)  # one already sent today
        today = send(plan(out), config, sendlog)
        later_today = send(plan(out), config, sendlog, clock=lambda: NOW + dt.timedelta(hours=5))
        tomorrow = send(plan(out), config, sendlog, clock=lambda: NOW + dt.timedelta(days=1))
    assert today.counts == {"already_sent": 1, "sent": 2, "deferred": 1} and not today.has_failures
    assert later_today.counts == {"already_sent": 3, "deferred": 1}
    assert tomorrow.counts == {"already_sent": 3, "sent": 1}
    assert len(sink.received) == 4


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("sender", "laporan at dinas"),
        ("sender", "a@x.id, evil@example.com"),
        ("reply_to", "Kominfo <kominfo@belitung.example.go.id"),
    ],
)
def test_a_bad_configured_address_stops_the_run_before_sending(
    tmp_path: Path, out: Path, sendlog: SendLog, setting: str, value: str
) -> None:
    config = config_for(tmp_path, transport="outbox", host="", **{setting: value})
    with pytest.raises(ConfigError, match=f"mail.{setting}"):
        send(plan(out), config, sendlog)
    assert not (tmp_path / "outbox").exists() and sendlog.history() == []


def test_config_check_lists_every_bad_mail_address() -> None:
    problems = mail_config_problems("laporan@dinas.example.go.id", "a@x.id>, b@y.id", "op@")
    assert [p.split(":")[0] for p in problems] == ["mail.reply_to", "mail.alert_to"]
    assert mail_config_problems("Dinas <laporan@localhost>", "", "") == []


def test_an_area_name_from_the_sheet_cannot_break_the_subject(tmp_path: Path, out: Path) -> None:
    evil_village = Village("19.02.04.2004", "Air Seruk\r\nBcc: evil@example.com", "Sijuk")
    reg = dataclasses.replace(registry(RECIPIENTS[2]), villages=(evil_village, *VILLAGES[1:]))
    write_reports(out)  # unchanged names: the slug drops the line break
    report_path(out, MONTH, "desa", evil_village.code, evil_village.name, "pdf").write_bytes(
        b"%PDF"
    )
    [kades] = [d for d in plan(out, reg) if d.level is Level.DESA]
    parsed = message_from_bytes(build_message(kades, config=Config()).as_bytes(), policy=default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"].endswith("– Desa Air Seruk Bcc: evil@example.com")


# ---------------------------------------------------------------- outbox and dry run


def test_outbox_transport_writes_exact_parseable_eml_files(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    config = config_for(tmp_path, transport="outbox", host="")
    summary = send(plan(out), config, sendlog)
    assert summary.counts == {"sent": 4}
    files = sorted((tmp_path / "outbox" / MONTH).glob("*.eml"))
    assert [f.name for f in files] == sorted(r.eml.name for r in summary.results if r.eml)
    assert "laporan-2026-08-kecamatan-sijuk--camat-sijuk-at-example-go-id.eml" in {
        f.name for f in files
    }
    camat = next(f for f in files if "kecamatan" in f.name)
    parsed = message_from_bytes(camat.read_bytes(), policy=default)
    assert parsed["Subject"] == "Laporan Bulanan Duta Digital – Agustus 2026 – Kecamatan Sijuk"
    assert list(parts(parsed)[2]) == ["laporan-2026-08-kecamatan-sijuk.pdf"]
    assert send(plan(out), config, sendlog).counts == {"already_sent": 4}


def test_dry_run_lists_and_writes_messages_but_sends_and_records_nothing(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        dry = send(plan(out), config, sendlog, dry_run=True)
        real = send(plan(out), config, sendlog)
    assert dry.counts == {"would_send": 4} and dry.dry_run
    dry_folder = tmp_path / "outbox" / "dry-run" / MONTH
    assert len(list(dry_folder.glob("*.eml"))) == 4
    assert any(line.startswith("akan dikirim: camat.sijuk@example.go.id") for line in dry.lines())
    assert real.counts == {"sent": 4} and len(sink.received) == 4
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        after = send(plan(out), config, sendlog, dry_run=True)
    assert after.counts == {"already_sent": 4} and list(dry_folder.glob("*.eml")) == []


# ---------------------------------------------------------------- operator alerts


def test_an_alert_reaches_the_operator_over_smtp_after_a_451(tmp_path: Path) -> None:
    sink = MailSink(defer_data=1)
    sleeps: list[float] = []
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port, alert_to="operator@dinas.example.go.id")
        send_alert = alert_sender(config, clock=lambda: NOW, sleep=sleeps.append)
        send_alert("Sync failed\r\nBcc: evil@example.com", "The ledger is locked.\nTry again.")
    [received] = sink.received
    assert received.rcpt_tos == ["operator@dinas.example.go.id"] and sleeps == [5.0]
    message = received.message
    assert message["Subject"] == "[sheetsync] Sync failed Bcc: evil@example.com"
    assert message["Bcc"] is None and not message.is_multipart()
    assert message.get_content().splitlines() == ["The ledger is locked.", "Try again."]


def test_an_alert_that_cannot_be_delivered_raises_remote_error(tmp_path: Path) -> None:
    sink = MailSink(reject={"operator@dinas.example.go.id"})
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port, alert_to="operator@dinas.example.go.id")
        with pytest.raises(RemoteError, match="550"):
            alert_sender(config, sleep=lambda _: None)("Sync failed", "body")


def test_alerts_go_to_the_outbox_without_smtp(tmp_path: Path) -> None:
    config = config_for(tmp_path, transport="outbox", host="", alert_to="op@example.go.id")
    alert_sender(config, clock=lambda: NOW)("Stale exports", "No export since 2026-08-20.")
    [written] = (tmp_path / "outbox" / "alerts").glob("*.eml")
    assert re.fullmatch(r"20260902-070000-stale-exports-[0-9a-f]{8}\.eml", written.name)
    parsed = message_from_bytes(written.read_bytes(), policy=default)
    assert parsed["To"].addresses[0].addr_spec == "op@example.go.id"


def test_a_bad_alert_address_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="alert_to"):
        alert_sender(config_for(tmp_path, alert_to="op@example.go.id, evil@example.com"))


@pytest.mark.parametrize("module", ["addresses", "delivery", "figures", "message"])
def test_message_building_modules_do_no_io(module: str) -> None:
    """Building a message is pure (house style); sending is transport.py and send.py."""
    source = Path(__file__).parents[1] / "sheetsync" / "mail" / f"{module}.py"
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    io = {"os", "socket", "smtplib", "ssl", "sqlite3", "time", "pathlib", "tempfile", "shutil"}
    assert not imported & io
