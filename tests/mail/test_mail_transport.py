"""Sending over a real SMTP server on 127.0.0.1: TLS, auth, retries, refusals.

The server is a real aiosmtpd on 127.0.0.1 (tests/mail_server.py); what it received is
parsed back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mail_samples import (
    AMBASSADORS,
    EVERYONE,
    MONTH,
    VILLAGES,
    config_for,
    parts,
    plan,
    registry,
    send,
)
from mail_server import PASSWORD, USERNAME, MailSink, make_certificate, smtp_server

from sheetsync.config import SecretRef
from sheetsync.ledger import SendLog
from sheetsync.mail import (
    SmtpTransport,
)
from sheetsync.tabs import SheetTable
from sheetsync.validate import validate_recipients

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
