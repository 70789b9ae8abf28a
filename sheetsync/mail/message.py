"""Building one email from one delivery (pure: no clock, files or network).

The HTML part is written for mail clients, not browsers: one centred 600px table, inline
styles only, no external images or CSS, so Gmail, Outlook and phone clients show the
same thing. The plain-text part says the same for clients that do not show HTML. Every
header value goes through `email.headerregistry`, which encodes non-ASCII names
(RFC 2047) and refuses line breaks, so a sheet value can never add a header or recipient.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from sheetsync.config import Config
from sheetsync.mail.addresses import mailbox, message_id_domain, parse_sender
from sheetsync.mail.delivery import Attachment, Delivery
from sheetsync.months import month_label
from sheetsync.values import clean_display_name

_TEXTS = {
    "id": {
        "revision_prefix": "Revisi: ",
        "greeting": "Yth. {name},",
        "intro": (
            "Berikut laporan bulanan {program} untuk {area}, periode {month}. "
            "Laporan lengkap terlampir dalam format {formats}."
        ),
        "revision_title": "Revisi laporan",
        "revision_intro": (
            "Laporan ini menggantikan laporan {month} yang sudah kami kirim sebelumnya, "
            "karena ada data yang masuk terlambat. Yang berubah:"
        ),
        "revision_generic": "Angka laporan diperbarui dengan data terbaru.",
        "and": "dan",
        "figures_title": "Angka utama",
        "no_figures": "Angka lengkap ada di laporan terlampir.",
        "closing": "Terima kasih atas perhatian Bapak/Ibu.",
        "footer": (
            "Email ini dikirim otomatis oleh sistem pelaporan {program}. "
            "Untuk pertanyaan, balas email ini."
        ),
    },
    "en": {
        "revision_prefix": "Revision: ",
        "greeting": "Dear {name},",
        "intro": (
            "Here is the monthly {program} report for {area}, {month}. "
            "The full report is attached as {formats}."
        ),
        "revision_title": "Revised report",
        "revision_intro": (
            "This report replaces the {month} report we sent earlier, because some data "
            "arrived late. What changed:"
        ),
        "revision_generic": "The figures were updated with the latest data.",
        "and": "and",
        "figures_title": "Headline figures",
        "no_figures": "The full figures are in the attached report.",
        "closing": "Thank you for your attention.",
        "footer": (
            "This email was sent automatically by the {program} reporting system. "
            "Reply to this email with any questions."
        ),
    },
}

_HTML = """\
<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ subject }}</title></head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" \
style="background-color:#f3f4f6;"><tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" \
style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e5e7eb;\
font-family:Arial,Helvetica,sans-serif;color:#111827;font-size:15px;line-height:1.5;">
{%- if not summary %}
<tr><td style="background-color:#0f4c81;color:#ffffff;padding:16px 24px;">
<div style="font-size:13px;">{{ program }}</div>
<div style="font-size:20px;font-weight:bold;">{{ area }} – {{ month }}</div></td></tr>
{%- endif %}
{%- if revision %}
<tr><td style="padding:16px 24px 0 24px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" \
style="background-color:#fff7ed;border-left:4px solid #ea580c;"><tr>\
<td style="padding:12px 16px;">
<div style="font-weight:bold;color:#9a3412;">{{ t.revision_title }}</div>
<div>{{ revision_intro }}</div>
<ul style="margin:8px 0 0 0;padding-left:20px;">
{%- for line in revision %}<li>{{ line }}</li>{% endfor %}</ul>
</td></tr></table></td></tr>
{%- endif %}
<tr><td style="padding:16px 24px 0 24px;">
<p style="margin:0 0 12px 0;">{{ greeting }}</p>
<p style="margin:0 0 12px 0;">{{ intro }}</p></td></tr>
<tr><td style="padding:0 24px;">
{%- if summary %}
{{ summary }}
{%- elif figures %}
<div style="font-weight:bold;margin:8px 0;">{{ t.figures_title }}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" \
style="width:100%;border-collapse:collapse;">
{%- for f in figures %}
<tr><td style="padding:8px 0;border-top:1px solid #e5e7eb;color:#374151;">{{ f.label }}</td>
<td align="right" style="padding:8px 0;border-top:1px solid #e5e7eb;font-weight:bold;\
font-size:17px;text-align:right;white-space:nowrap;">{{ f.value }}</td></tr>
{%- if f.note %}<tr><td colspan="2" align="right" \
style="padding:0 0 8px 0;color:#6b7280;font-size:13px;text-align:right;">{{ f.note }}</td></tr>\
{% endif %}
{%- endfor %}
</table>
{%- else %}
<p style="margin:0 0 12px 0;">{{ t.no_figures }}</p>
{%- endif %}
</td></tr>
<tr><td style="padding:16px 24px;"><p style="margin:0;">{{ t.closing }}</p></td></tr>
<tr><td style="padding:12px 24px;background-color:#f9fafb;color:#6b7280;font-size:12px;">\
{{ footer }}</td></tr>
</table></td></tr></table></body></html>
"""

_TEXT = """\
{% if revision %}{{ t.revision_title | upper }}
{{ revision_intro }}
{% for line in revision %}- {{ line }}
{% endfor %}
{% endif %}{{ greeting }}

{{ intro }}

{% if figures %}{{ t.figures_title }}:
{% for f in figures %}- {{ f.label }}: {{ f.value }}{% if f.note %} ({{ f.note }}){% endif %}
{% endfor %}{% else %}{{ t.no_figures }}
{% endif %}
{{ t.closing }}

--
{{ footer }}
"""

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_ENV = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
_HTML_TEMPLATE = _ENV.from_string(_HTML)
_TEXT_TEMPLATE = Environment(
    autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True
).from_string(_TEXT)


def build_message(
    delivery: Delivery,
    *,
    config: Config,
    revision_note: list[str] | None = None,
    date: dt.datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """The complete message for one delivery.

    `revision_note` marks it as a revision: the subject gets a "Revisi: " prefix and the
    body lists what changed (an empty list says "figures updated"). `date` (aware, or naive
    programme time) and `message_id` make the output byte-stable; when omitted, no Date is
    set and a fresh Message-ID is made with the sender's domain.
    """
    sender = parse_sender(config.mail.sender)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject_of(delivery, revised=revision_note is not None)
    message["From"] = sender if sender.display_name else _named_sender(sender, delivery)
    message["To"] = mailbox(delivery.recipient_name, delivery.recipient_email)
    if config.mail.reply_to:
        message["Reply-To"] = parse_sender(config.mail.reply_to)
    if date is not None:
        message["Date"] = format_datetime(_aware(date, config))
    message["Message-ID"] = message_id or make_msgid("sheetsync", message_id_domain(sender))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    attachments = delivery.attachments_for(config.mail.attach_xlsx)
    _add_body(message, delivery, revision_note, _format_names(attachments, delivery.language))
    for attachment in attachments:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    # after the parts exist: making a multipart moves Content-* headers into its first part
    message["Content-Language"] = delivery.language
    _set_stable_boundaries(message, str(message["Message-ID"]))
    return message


def _set_stable_boundaries(message: EmailMessage, seed: str) -> None:
    """Boundaries derived from the Message-ID instead of random ones: same input, same bytes.

    "=_" cannot occur in base64 or quoted-printable text, so no part can contain it.
    """
    token = hashlib.sha256(seed.encode()).hexdigest()[:24]
    for depth, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_sheetsync_{depth}_{token}")


def subject_of(delivery: Delivery, *, revised: bool) -> str:
    prefix = _texts(delivery.language)["revision_prefix"] if revised else ""
    return prefix + delivery.subject


def _named_sender(sender: Address, delivery: Delivery) -> Address:
    """A bare configured address is shown with the programme's name, e.g. 'Duta Digital'."""
    return Address(display_name=delivery.program_name, addr_spec=sender.addr_spec)


def _format_names(attachments: tuple[Attachment, ...], language: str) -> str:
    """'PDF' or 'PDF dan XLSX': what the intro sentence promises is attached."""
    names = [a.filename.rpartition(".")[2].upper() for a in attachments]
    return f" {_texts(language)['and']} ".join(names)


def _add_body(
    message: EmailMessage, delivery: Delivery, revision_note: list[str] | None, formats: str
) -> None:
    values = _template_values(delivery, revision_note, formats)
    message.set_content(_TEXT_TEMPLATE.render(values), subtype="plain", charset="utf-8")
    message.add_alternative(_HTML_TEMPLATE.render(values), subtype="html", charset="utf-8")


def _template_values(
    delivery: Delivery, revision_note: list[str] | None, formats: str
) -> dict[str, object]:
    texts = _texts(delivery.language)
    month = month_label(delivery.month, delivery.language)
    revision = None
    if revision_note is not None:
        cleaned = [clean_display_name(line) for line in revision_note if line.strip()]
        revision = cleaned or [texts["revision_generic"]]
    return {
        "t": texts,
        "lang": delivery.language,
        "subject": subject_of(delivery, revised=revision is not None),
        "program": delivery.program_name,
        "area": delivery.area_label,
        "month": month,
        "figures": delivery.figures,
        "summary": _document_body(delivery.summary_html),
        "revision": revision,
        "revision_intro": texts["revision_intro"].format(month=month),
        "greeting": texts["greeting"].format(name=_addressed_name(delivery)),
        "intro": texts["intro"].format(
            program=delivery.program_name, area=delivery.area_label, month=month, formats=formats
        ),
        "footer": texts["footer"].format(program=delivery.program_name),
    }


def _document_body(document: str) -> Markup | None:
    """The inside of <body> of the report's summary email: it sits in our frame, between
    the greeting and the footer. It is trusted markup (an autoescaped report template)."""
    if not document.strip():
        return None
    match = _BODY.search(document)
    return Markup(match.group(1) if match else document)


def _addressed_name(delivery: Delivery) -> str:
    if delivery.recipient_position:
        return f"{delivery.recipient_name} ({delivery.recipient_position})"
    return delivery.recipient_name


def _texts(language: str) -> dict[str, str]:
    return _TEXTS.get(language, _TEXTS["id"])


def _aware(moment: dt.datetime, config: Config) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=config.program.tz)
