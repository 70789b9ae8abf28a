"""Operator alerts (`mail.alert_to`) over the same transport as the reports (the edge).

alerts.py decides *when* to alert (`SendAlert = (subject, body) -> None`); this module
makes the callable that actually delivers: a short plain-text message to the operator,
through SMTP or into `<outbox>/alerts/`, retried like a report and never recorded in the
send log (alerts are not reports and have no exactly-once promise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import replace
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from sheetsync.clock import Clock, clock_for
from sheetsync.config import Config
from sheetsync.errors import ConfigError, RemoteError
from sheetsync.mail.addresses import mailbox, message_id_domain, parse_sender
from sheetsync.mail.send import MAIL_RETRY
from sheetsync.mail.transport import (
    DeliveryError,
    Envelope,
    Transport,
    transport_for,
)
from sheetsync.retry import RetryPolicy
from sheetsync.values import clean_display_name, clean_email

SUBJECT_PREFIX = "[sheetsync] "
ALERT_RETRY = replace(MAIL_RETRY, attempts=3)  # waits of 5 and 15 s


def alert_sender(
    config: Config,
    *,
    transport: Transport | None = None,
    clock: Clock | None = None,
    sleep: Callable[[float], None] = time.sleep,
    retry: RetryPolicy = ALERT_RETRY,
) -> Callable[[str, str], None]:
    """A SendAlert for alerts.deliver_alerts; raises RemoteError when it cannot deliver."""
    operator = clean_email(config.mail.alert_to)
    if operator is None:
        raise ConfigError(f"mail.alert_to {config.mail.alert_to!r} is not one email address.")
    now = clock or clock_for(config)

    def send(subject: str, body: str) -> None:
        message = alert_message(config, operator, subject, body, date=now())
        envelope = Envelope(
            parse_sender(config.mail.sender).addr_spec,
            operator,
            _file_name(now(), subject, str(message["Message-ID"])),
        )
        channel = transport or transport_for(config.mail)
        try:
            _deliver(channel, message, envelope, retry, sleep)
        finally:
            if transport is None:
                channel.close()

    return send


def alert_message(
    config: Config, operator: str, subject: str, body: str, *, date: dt.datetime
) -> EmailMessage:
    """Plain text only: the operator reads it in a terminal or on a phone."""
    sender = parse_sender(config.mail.sender)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = SUBJECT_PREFIX + clean_display_name(subject)
    message["From"] = sender
    message["To"] = mailbox("", operator)
    message["Date"] = format_datetime(
        date if date.tzinfo else date.replace(tzinfo=config.program.tz)
    )
    message["Message-ID"] = make_msgid("sheetsync-alert", message_id_domain(sender))
    message.set_content(body, charset="utf-8")
    return message


def _deliver(
    transport: Transport,
    message: EmailMessage,
    envelope: Envelope,
    retry: RetryPolicy,
    sleep: Callable[[float], None],
) -> None:
    waits = retry.delays()
    for attempt in range(retry.attempts):
        try:
            transport.deliver(message, envelope)
            return
        except DeliveryError as exc:
            if not exc.transient or attempt >= len(waits):
                raise RemoteError(
                    f"Alert email to {envelope.recipient} failed: {exc}", retryable=exc.transient
                ) from exc
            sleep(waits[attempt])


def _file_name(moment: dt.datetime, subject: str, message_id: str) -> str:
    """Readable and unique: two alerts in the same second never overwrite each other."""
    slug = re.sub(r"[^a-z0-9]+", "-", subject.casefold()).strip("-")[:60] or "alert"
    tag = hashlib.sha1(message_id.encode()).hexdigest()[:8]
    return f"alerts/{moment:%Y%m%d-%H%M%S}-{slug}-{tag}.eml"
