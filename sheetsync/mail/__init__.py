"""Emailing the monthly reports: routing, message building (pure) and sending (edge).

    plan_deliveries(registry, month, out, ...)  -> (deliveries, issues)   routing.py
    report_summaries(kpis, registry, ...)       -> summary_html source    summaries.py
    build_message(delivery, config=...)         -> EmailMessage           message.py (pure)
    send_reports(deliveries, config=..., sendlog=...) -> SendSummary      send.py
    alert_sender(config)                        -> (subject, body) -> None alert.py
The send log (exactly-once) is sheetsync.ledger.sendlog; transports are in transport.py.

How `sheetsync send --month M` wires it (inside the run lock, on the ledger's connection,
so the ledger's migrations have run and one file holds orders and sends):

    with Ledger.open(config.ledger.path) as ledger:
        deliveries, issues = plan_deliveries(
            registry, month, config.reports.out,
            program_name=config.program.name, language=config.program.language, kpis=kpis,
            summary_html=report_summaries(kpis, registry, issues=report_issues,
                                          config=config, as_of=now),
        )
        summary = send_reports(deliveries, config=config, sendlog=SendLog(ledger.connection),
                               dry_run=dry_run, only=only, resend=resend,
                               send_revisions=send_revisions)
    exit code: errors.EXIT_SEND_FAILED when summary.has_failures; print summary.lines()
    (or summary.as_dict() for --format json) and the routing issues.
"""

from sheetsync.mail.addresses import mail_config_problems
from sheetsync.mail.alert import alert_message, alert_sender
from sheetsync.mail.delivery import Attachment, Delivery, Figure, report_key
from sheetsync.mail.figures import describe_changes, headline_figures
from sheetsync.mail.message import build_message, subject_of
from sheetsync.mail.routing import SummarySource, plan_deliveries
from sheetsync.mail.send import (
    DeliveryResult,
    Outcome,
    SendSummary,
    eml_name,
    send_reports,
)
from sheetsync.mail.summaries import report_summaries
from sheetsync.mail.transport import (
    DeliveryError,
    Envelope,
    OutboxTransport,
    SmtpTransport,
    Transport,
    transport_for,
)

__all__ = [
    "Attachment",
    "Delivery",
    "DeliveryError",
    "DeliveryResult",
    "Envelope",
    "Figure",
    "OutboxTransport",
    "Outcome",
    "SendSummary",
    "SmtpTransport",
    "SummarySource",
    "Transport",
    "alert_message",
    "alert_sender",
    "build_message",
    "describe_changes",
    "eml_name",
    "headline_figures",
    "mail_config_problems",
    "plan_deliveries",
    "report_key",
    "report_summaries",
    "send_reports",
    "subject_of",
    "transport_for",
]
