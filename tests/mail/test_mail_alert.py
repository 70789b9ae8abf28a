"""Operator alerts: over SMTP with retries, to the outbox, bad addresses refused."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from mail_samples import NOW, config_for
from mail_server import MailSink, smtp_server

from sheetsync.errors import ConfigError, RemoteError
from sheetsync.mail import (
    alert_sender,
)

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
