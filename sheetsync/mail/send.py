"""Sending a month's deliveries exactly once (the edge: SMTP or outbox, and the send log).

For each delivery the send log decides: never sent -> send; sent with the same content
hash -> nothing (a second run sends nothing new); content changed since -> a "Revisi"
with `send_revisions`, else listed as changed-not-sent; `resend` forces a new copy. A
transient failure is retried with a bounded backoff; a permanent one fails only that
delivery (recorded, so the next run tries it again); a failure of the connection itself
fails what is left without hammering the server. The daily cap counts what the server
accepted today, across runs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import StrEnum
from pathlib import Path

from sheetsync.clock import Clock, clock_for
from sheetsync.config import Config
from sheetsync.errors import ConfigError
from sheetsync.ledger import SendLog, SendRecord, SendResult
from sheetsync.mail.addresses import mail_config_problems, parse_sender
from sheetsync.mail.delivery import Delivery
from sheetsync.mail.figures import describe_changes
from sheetsync.mail.message import build_message
from sheetsync.mail.transport import (
    DeliveryError,
    Envelope,
    OutboxTransport,
    Transport,
    transport_for,
)
from sheetsync.retry import RetryPolicy

DRY_RUN_FOLDER = "dry-run"


class Outcome(StrEnum):
    SENT = "sent"
    REVISION_SENT = "revision_sent"
    RESENT = "resent"
    FAILED = "failed"
    ALREADY_SENT = "already_sent"
    CHANGED_NOT_SENT = "changed_not_sent"
    DEFERRED = "deferred"  # over today's cap: goes out on a later run
    WOULD_SEND = "would_send"  # dry run
    WOULD_REVISE = "would_revise"  # dry run

    @property
    def delivered(self) -> bool:
        return self in (Outcome.SENT, Outcome.REVISION_SENT, Outcome.RESENT)


# Bounded exponential backoff for transient failures (4xx, dropped connections): waits of
# 5, 15, 45 s between 4 attempts.
MAIL_RETRY = RetryPolicy(attempts=4, first_delay=5.0, factor=3.0, max_delay=120.0)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    delivery: Delivery
    outcome: Outcome
    revision: int = 0
    message_id: str = ""
    error: str = ""
    attempts: int = 0
    eml: Path | None = None  # the .eml written (outbox transport, dry run)


@dataclass(slots=True)
class SendSummary:
    """What one `send` did; `has_failures` is what the CLI turns into exit code 4."""

    month: str
    dry_run: bool
    results: list[DeliveryResult] = field(default_factory=list)

    def with_outcome(self, *outcomes: Outcome) -> list[DeliveryResult]:
        return [r for r in self.results if r.outcome in outcomes]

    @property
    def counts(self) -> dict[str, int]:
        return {o.value: len(self.with_outcome(o)) for o in Outcome if self.with_outcome(o)}

    @property
    def delivered(self) -> list[DeliveryResult]:
        return [r for r in self.results if r.outcome.delivered]

    @property
    def failures(self) -> list[DeliveryResult]:
        return self.with_outcome(Outcome.FAILED)

    @property
    def has_failures(self) -> bool:
        return bool(self.failures)

    def as_dict(self) -> dict[str, object]:
        """For `sheetsync send --format json`: counts and one entry per delivery."""
        return {
            "month": self.month,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "failed": self.has_failures,
            "results": [_result_dict(r) for r in self.results],
        }

    def lines(self) -> list[str]:
        """One line per delivery then a total, in Bahasa Indonesia, for the CLI and logs."""
        rows = [_describe(r) for r in self.results]
        totals = ", ".join(f"{_OUTCOME_WORDS[Outcome(k)]}: {n}" for k, n in self.counts.items())
        return [*rows, f"Ringkasan {self.month}: {totals or 'tidak ada laporan untuk dikirim'}"]


_OUTCOME_WORDS = {
    Outcome.SENT: "terkirim",
    Outcome.REVISION_SENT: "revisi terkirim",
    Outcome.RESENT: "dikirim ulang",
    Outcome.FAILED: "gagal",
    Outcome.ALREADY_SENT: "sudah terkirim",
    Outcome.CHANGED_NOT_SENT: "berubah, belum dikirim (pakai --send-revisions)",
    Outcome.DEFERRED: "ditunda (batas harian)",
    Outcome.WOULD_SEND: "akan dikirim",
    Outcome.WOULD_REVISE: "revisi akan dikirim",
}


def _result_dict(result: DeliveryResult) -> dict[str, object]:
    return {
        "recipient": result.delivery.recipient_email,
        "report": result.delivery.report_key,
        "file": result.delivery.report_stem,
        "outcome": result.outcome.value,
        "revision": result.revision,
        "attempts": result.attempts,
        "message_id": result.message_id,
        "error": result.error,
        "eml": str(result.eml) if result.eml else None,
    }


def _describe(result: DeliveryResult) -> str:
    d = result.delivery
    detail = f" — {result.error}" if result.error else ""
    return f"{_OUTCOME_WORDS[result.outcome]}: {d.recipient_email} ← {d.report_stem}{detail}"


@dataclass(frozen=True, slots=True)
class _Plan:
    """What to do with one delivery, decided from the send log before anything is sent."""

    delivery: Delivery
    content_hash: str
    action: Outcome  # SENT / REVISION_SENT / RESENT, or a no-send outcome
    revision: int
    revision_note: list[str] | None = None


def send_reports(
    deliveries: Sequence[Delivery],
    *,
    config: Config,
    sendlog: SendLog,
    dry_run: bool = False,
    only: str | None = None,
    resend: bool = False,
    send_revisions: bool = False,
    changes: Mapping[str, list[str]] | None = None,
    transport: Transport | None = None,
    clock: Clock | None = None,
    sleep: Callable[[float], None] = time.sleep,
    retry: RetryPolicy = MAIL_RETRY,  # frozen: safe as a default
) -> SendSummary:
    """Send what has not been sent yet; see the module docstring for the rules.

    `only` limits the run to one mailbox. `changes` maps a report_key to the lines that
    say what changed, shown in a revision's body. `dry_run` writes every message that
    would go out to <outbox>/dry-run/<month>/ and sends and records nothing. `transport`
    defaults to the configured one; `clock` returns naive programme-local time.
    """
    _check_addresses(config)
    now = clock or clock_for(config)
    month = deliveries[0].month if deliveries else ""
    summary = SendSummary(month, dry_run)
    plans = [
        _plan(d, config, sendlog, resend, send_revisions, changes or {})
        for d in _selected(deliveries, only)
    ]
    channel = _Channel(
        transport=_transport(config, transport, dry_run, month),
        config=config,
        sendlog=None if dry_run else sendlog,
        clock=now,
        sleep=sleep,
        retry=retry,
    )
    budget = max(config.mail.daily_cap - sendlog.sent_count_on(now().date()), 0)
    try:
        for plan in plans:
            result = channel.carry_out(plan, over_cap=budget <= 0)
            budget -= 1 if result.outcome in _USES_BUDGET else 0
            summary.results.append(result)
    finally:
        channel.transport.close()
    return summary


_USES_BUDGET = {
    Outcome.SENT,
    Outcome.REVISION_SENT,
    Outcome.RESENT,
    Outcome.WOULD_SEND,
    Outcome.WOULD_REVISE,
}


def _check_addresses(config: Config) -> None:
    mail = config.mail
    problems = mail_config_problems(mail.sender, mail.reply_to, "")  # alerts check their own
    if problems:
        raise ConfigError("The [mail] addresses in the config are not valid:", problems)


def _selected(deliveries: Iterable[Delivery], only: str | None) -> list[Delivery]:
    if only is None:
        return list(deliveries)
    wanted = only.strip().casefold()
    return [d for d in deliveries if d.recipient_email.casefold() == wanted]


def _plan(
    delivery: Delivery,
    config: Config,
    sendlog: SendLog,
    resend: bool,
    send_revisions: bool,
    changes: Mapping[str, list[str]],
) -> _Plan:
    content_hash = delivery.content_hash(config.mail.attach_xlsx)
    last = sendlog.last_sent(delivery.month, delivery.recipient_email, delivery.report_key)
    if last is None:
        return _Plan(delivery, content_hash, Outcome.SENT, 0)
    changed = last.content_hash != content_hash
    note = _what_changed(delivery, last, changes) if changed else None
    if resend:
        return _Plan(delivery, content_hash, Outcome.RESENT, last.revision + changed, note)
    if not changed:
        return _Plan(delivery, content_hash, Outcome.ALREADY_SENT, last.revision)
    if send_revisions:
        return _Plan(delivery, content_hash, Outcome.REVISION_SENT, last.revision + 1, note)
    return _Plan(delivery, content_hash, Outcome.CHANGED_NOT_SENT, last.revision)


def _what_changed(
    delivery: Delivery, last: SendRecord, changes: Mapping[str, list[str]]
) -> list[str]:
    """The caller's own lines for this report, else the headline figures that moved."""
    if delivery.report_key in changes:
        return list(changes[delivery.report_key])
    now_shown = [(f.label, f.value) for f in delivery.figures]
    return describe_changes(last.figures, now_shown, delivery.language)


def _transport(config: Config, given: Transport | None, dry_run: bool, month: str) -> Transport:
    if dry_run:
        folder = config.mail.outbox / DRY_RUN_FOLDER
        _forget_earlier_dry_run(folder / month)
        return OutboxTransport(folder)
    return given or transport_for(config.mail)


def _forget_earlier_dry_run(folder: Path) -> None:
    """The dry-run folder shows exactly the latest dry run, not messages from older ones."""
    for old in folder.glob("*.eml") if folder.is_dir() else ():
        old.unlink(missing_ok=True)


def eml_name(delivery: Delivery, revision: int) -> str:
    """'2026-08/laporan-2026-08-kecamatan-sijuk--camat-sijuk-at-example-go-id.eml'."""
    mailbox = re.sub(r"[^a-z0-9]+", "-", delivery.recipient_email.casefold().replace("@", "-at-"))
    suffix = f"--revisi-{revision}" if revision else ""
    return f"{delivery.month}/{delivery.report_stem}--{mailbox.strip('-')}{suffix}.eml"


@dataclass(slots=True)
class _Channel:
    """Carries out plans over one transport, recording each attempt in the send log."""

    transport: Transport
    config: Config
    sendlog: SendLog | None  # None in a dry run: nothing is recorded
    clock: Clock
    sleep: Callable[[float], None]
    retry: RetryPolicy
    unreachable: str = ""  # set once the server cannot be reached: the rest fail fast

    def carry_out(self, plan: _Plan, *, over_cap: bool) -> DeliveryResult:
        if plan.action not in _USES_BUDGET:
            return DeliveryResult(plan.delivery, plan.action, plan.revision)
        if over_cap:
            return DeliveryResult(plan.delivery, Outcome.DEFERRED, plan.revision)
        if self.unreachable:
            return self._failed(plan, self.unreachable, attempts=0, message_id="")
        return self._send(plan)

    def _send(self, plan: _Plan) -> DeliveryResult:
        """Build, hand over (retrying transient failures) and record one message."""
        message = build_message(
            plan.delivery, config=self.config, revision_note=plan.revision_note, date=self.clock()
        )
        envelope = Envelope(
            sender=parse_sender(self.config.mail.sender).addr_spec,
            recipient=plan.delivery.recipient_email,
            file_name=eml_name(plan.delivery, plan.revision),
        )
        message_id = str(message["Message-ID"])
        attempts, error = self._deliver_with_retry(message, envelope)
        if error is not None:
            return self._failed(plan, str(error), attempts=attempts, message_id=message_id)
        return self._succeeded(plan, envelope, attempts=attempts, message_id=message_id)

    def _deliver_with_retry(
        self, message: EmailMessage, envelope: Envelope
    ) -> tuple[int, DeliveryError | None]:
        waits = self.retry.delays()
        for attempt in range(1, self.retry.attempts + 1):
            try:
                self.transport.deliver(message, envelope)
                return attempt, None
            except DeliveryError as exc:
                if not exc.transient or attempt > len(waits):
                    if exc.connection:
                        self.unreachable = str(exc)
                    return attempt, exc
                self.sleep(waits[attempt - 1])
        raise AssertionError("unreachable: the loop returns on the last attempt")

    def _succeeded(
        self, plan: _Plan, envelope: Envelope, *, attempts: int, message_id: str
    ) -> DeliveryResult:
        outcome = plan.action
        eml = None
        if isinstance(self.transport, OutboxTransport):
            eml = self.transport.folder / envelope.file_name
        if self.sendlog is None:
            outcome = Outcome.WOULD_REVISE if plan.revision_note is not None else Outcome.WOULD_SEND
        else:
            self._record(plan, SendResult.SENT, message_id=message_id, error="")
        return DeliveryResult(plan.delivery, outcome, plan.revision, message_id, "", attempts, eml)

    def _failed(self, plan: _Plan, error: str, *, attempts: int, message_id: str) -> DeliveryResult:
        if self.sendlog is not None:
            self._record(plan, SendResult.FAILED, message_id=message_id, error=error)
        return DeliveryResult(
            plan.delivery, Outcome.FAILED, plan.revision, message_id, error, attempts
        )

    def _record(self, plan: _Plan, result: SendResult, *, message_id: str, error: str) -> None:
        assert self.sendlog is not None
        self.sendlog.record(
            SendRecord(
                month=plan.delivery.month,
                recipient=plan.delivery.recipient_email,
                report_key=plan.delivery.report_key,
                content_hash=plan.content_hash,
                sent_at=self.clock(),
                result=result,
                message_id=message_id,
                error=error,
                revision=plan.revision,
                figures=tuple((f.label, f.value) for f in plan.delivery.figures),
            )
        )
