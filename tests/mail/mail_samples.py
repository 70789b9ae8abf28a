"""What the mail tests share: a small programme, stand-in report files, a config on the
loopback SMTP server, and helpers to plan and send (sleep and clock injected)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from mail_server import HOST

from sheetsync.config import Config, LedgerConfig, MailConfig, ProgramConfig
from sheetsync.ledger import SendLog
from sheetsync.mail import (
    Delivery,
    SendSummary,
    plan_deliveries,
    send_reports,
)
from sheetsync.model import Ambassador, Level, Recipient, Registry, Village
from sheetsync.report.paths import report_path

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
