"""Where messages go: a real SMTP server, or .eml files in the outbox folder (the edge).

Every smtplib/socket/ssl failure is turned into one `DeliveryError` that says whether
waiting can help (`transient`: 4xx answers, dropped connections, timeouts) and whether it
concerns the whole connection rather than one recipient (`connection`: cannot connect,
TLS or login refused), so the send loop can retry, move on, or stop trying.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Protocol

from sheetsync.config import MailConfig
from sheetsync.mail.addresses import message_id_domain, parse_sender

SMTP_TIMEOUT_SECONDS = 30.0


class DeliveryError(Exception):
    """One message could not be handed over; `str()` is the server's answer or the cause."""

    def __init__(self, message: str, *, transient: bool, connection: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
        self.connection = connection


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the server is told, independent of the headers (which only display names)."""

    sender: str
    recipient: str
    file_name: str  # stable .eml name, used by the outbox


class Transport(Protocol):
    def deliver(self, message: EmailMessage, envelope: Envelope) -> None: ...

    def close(self) -> None: ...


class OutboxTransport:
    """Writes each message as an exact .eml file: the demo's transport and `--dry-run`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def deliver(self, message: EmailMessage, envelope: Envelope) -> None:
        target = self.folder / envelope.file_name
        try:
            _write_atomically(target, message.as_bytes(policy=SMTP))
        except OSError as exc:
            raise DeliveryError(f"Cannot write {target}: {exc.strerror}", transient=False) from exc
        self.written.append(target)

    def close(self) -> None:
        """Nothing to release; part of the Transport protocol."""


def _write_atomically(target: Path, data: bytes) -> None:
    """A reader (or a crash) never sees half a message: write aside, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".eml")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)  # mkstemp's 0600 would hide the outbox from a mail tool's user
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class SmtpTransport:
    """One SMTP connection reused for the whole batch, reopened after a failure.

    `ssl_context` defaults to the system's trusted CAs; tests pass one that trusts their
    self-signed certificate. The password is resolved only when connecting.
    """

    def __init__(
        self,
        config: MailConfig,
        *,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = SMTP_TIMEOUT_SECONDS,
    ) -> None:
        self.config = config
        self._ssl_context = ssl_context
        self.timeout = timeout
        self._client: smtplib.SMTP | None = None

    @property
    def ssl_context(self) -> ssl.SSLContext:
        """Built on first use: loading the system CA store costs ~0.1 s (not needed for none)."""
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def deliver(self, message: EmailMessage, envelope: Envelope) -> None:
        client = self._client or self._connect()
        try:
            client.sendmail(envelope.sender, [envelope.recipient], message.as_bytes(policy=SMTP))
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            raise self._answer_error(code, answer) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise self._answer_error(exc.smtp_code, exc.smtp_error) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise DeliveryError(f"Koneksi SMTP terputus: {exc}", transient=True) from exc

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (smtplib.SMTPException, OSError):
                pass  # the server went away first; nothing left to close politely
            finally:
                self._drop()

    def _answer_error(self, code: int, answer: bytes | str) -> DeliveryError:
        """4xx: try again later (on a fresh connection, 421 closes it); 5xx: give up."""
        text = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
        if 400 <= code < 500:
            self._drop()
            return DeliveryError(f"{code} {text}", transient=True)
        return DeliveryError(f"{code} {text}", transient=False)

    def _connect(self) -> smtplib.SMTP:
        try:
            client = self._open()
        except (ssl.SSLError, ssl.CertificateError, smtplib.SMTPNotSupportedError) as exc:
            message = f"TLS ke {self.config.host}:{self.config.port} gagal: {exc}"
            raise DeliveryError(message, transient=False, connection=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            message = f"Tidak bisa terhubung ke {self.config.host}:{self.config.port}: {exc}"
            raise DeliveryError(message, transient=True, connection=True) from exc
        self._client = client
        if self.config.username:
            self._login(client)
        return client

    def _login(self, client: smtplib.SMTP) -> None:
        try:
            client.login(self.config.username, self.config.password.resolve())
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            message = f"Server SMTP menolak login {self.config.username!r}: {exc.smtp_code}"
            raise DeliveryError(message, transient=False, connection=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            message = f"Login SMTP ke {self.config.host} gagal: {exc}"
            raise DeliveryError(message, transient=True, connection=True) from exc

    def _open(self) -> smtplib.SMTP:
        """Connect and secure the channel; the socket is closed again if that fails."""
        host, port, name = self.config.host, self.config.port, self._ehlo_name()
        if self.config.security == "ssl":
            return smtplib.SMTP_SSL(
                host, port, local_hostname=name, timeout=self.timeout, context=self.ssl_context
            )
        client = smtplib.SMTP(host, port, local_hostname=name, timeout=self.timeout)
        if self.config.security == "starttls":
            try:
                client.starttls(context=self.ssl_context)
                client.ehlo()
            except BaseException:
                client.close()
                raise
        return client

    def _ehlo_name(self) -> str:
        """The sender's domain: stable, and avoids smtplib's slow getfqdn() lookup."""
        return message_id_domain(parse_sender(self.config.sender))

    def _drop(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            finally:
                self._client = None


def transport_for(config: MailConfig) -> Transport:
    """The configured transport; outbox when no SMTP server is set up."""
    if config.transport == "smtp" and config.host:
        return SmtpTransport(config)
    return OutboxTransport(config.outbox)
