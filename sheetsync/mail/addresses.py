"""Turning what staff typed into safe mail addresses (pure).

Every name and address in a message comes from a spreadsheet, so it is treated as hostile:
a line break in a name could start a new header ("Budi\\r\\nBcc: evil@…"), a comma or angle
bracket in an address could add a recipient. Addresses are accepted only when they are one
plain ASCII mailbox and names are reduced to one line of printable text (both rules live in
`sheetsync.values`, shared with validation), then quoted or encoded by
`email.headerregistry.Address`, never pasted into a header by hand.
"""

from __future__ import annotations

import re
from email.headerregistry import Address

from sheetsync.values import clean_display_name, clean_email

_SENDER = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+")


def mailbox(display_name: str, email: str) -> Address:
    """A header-safe Address; `email` must already have passed `clean_email`."""
    return Address(display_name=clean_display_name(display_name), addr_spec=email)


def parse_sender(text: str) -> Address:
    """The configured From: 'sheetsync@dinas.go.id' or 'Dinas Kominfo <sheetsync@dinas.go.id>'.

    Unlike recipients, a single-label domain (sheetsync@localhost) is allowed: it is the
    default for the outbox transport, where nothing leaves the machine.
    """
    bracketed = re.fullmatch(r"(.*)<([^<>]*)>", text.strip())
    name, addr = (bracketed.group(1), bracketed.group(2)) if bracketed else ("", text)
    if not _SENDER.fullmatch(addr.strip()):
        raise ValueError(f"mail.sender {text!r} is not one valid address")
    local, _, domain = addr.strip().rpartition("@")
    display = clean_display_name(name.strip().strip('"'))
    return Address(display_name=display, addr_spec=f"{local}@{domain.lower()}")


def message_id_domain(sender: Address) -> str:
    """A stable right-hand side for Message-IDs: the sender's domain, not the host's FQDN."""
    return sender.domain if "." in sender.domain else "sheetsync.invalid"


def mail_config_problems(sender: str, reply_to: str, alert_to: str) -> list[str]:
    """What is wrong with the configured addresses, as ConfigError lines (key: problem).

    Checked before anything is sent, so a typo in the config stops the run with exit 2
    instead of failing every message."""
    problems = []
    for key, value, required in (("mail.sender", sender, True), ("mail.reply_to", reply_to, False)):
        if not value.strip() and not required:
            continue
        try:
            parse_sender(value)
        except ValueError:
            problems.append(f"{key}: {value!r} is not one email address (name@domain)")
    if alert_to.strip() and clean_email(alert_to) is None:
        problems.append(f"mail.alert_to: {alert_to!r} is not one email address (name@domain)")
    return problems
