"""What one email carries: a `Delivery` is one report for one person, ready to build.

Attachments are loaded when the plan is made, so building a message is pure and the
content hash (what decides "already sent" versus "revised") is computed from exactly the
bytes that go out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sheetsync.model import Level


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str

    @property
    def is_xlsx(self) -> bool:
        return self.filename.endswith(".xlsx")


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline figure as a reader sees it: 'Penjualan', 'Rp 1.250.000', '+12 % …'."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One report (PDF, XLSX optional) for one recipient in one month."""

    month: str
    report_key: str  # level:area, see report_key(); stable across runs
    level: Level
    area_label: str  # "Kecamatan Sijuk", "Desa Air Seruk", "Duta Siti Aminah"
    recipient_name: str  # already one clean line
    recipient_position: str
    recipient_email: str  # one validated mailbox
    subject: str  # without any "Revisi" prefix
    program_name: str
    language: str
    report_stem: str  # laporan-2026-08-kecamatan-sijuk: names .eml files
    attachments: tuple[Attachment, ...]
    figures: tuple[Figure, ...] = ()
    # the report module's email summary (a whole HTML document), shown instead of `figures`
    summary_html: str = ""

    def attachments_for(self, attach_xlsx: bool) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if attach_xlsx or not a.is_xlsx)

    def content_hash(self, attach_xlsx: bool) -> str:
        """sha256 of what the recipient reads: the attached files and the subject."""
        digest = hashlib.sha256()
        for attachment in self.attachments_for(attach_xlsx):
            digest.update(attachment.filename.encode())
            digest.update(hashlib.sha256(attachment.content).digest())
        digest.update(self.subject.encode())
        return digest.hexdigest()


def report_key(level: Level | str, area: str) -> str:
    """'kecamatan:Sijuk', 'desa:19.02.04.2004', 'duta:DD-001', 'kabupaten:' — ledger key."""
    return f"{Level(level).value}:{area}"
