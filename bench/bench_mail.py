"""Sending the full Belitung set over real SMTP on 127.0.0.1, and re-running it.

    .venv/bin/python bench/bench_mail.py              # 1 + 5 + 49 + 42 reports, ~150 messages
    .venv/bin/python bench/bench_mail.py --pdf-kb 400  # heavier PDFs

Reports are stand-in files of realistic size (PDF ~150 KB, XLSX ~20 KB); recipients are the
regency head, 5 camat, 49 village heads and 42 ambassadors, plus 3 more kabupaten readers.
Prints the time to plan (read and hash every report), to send everything once through
aiosmtpd (one connection, STARTTLS off), to re-run (nothing is sent: the goal is well under
a second), and to write the same messages to the outbox instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mail_server import HOST, MailSink, smtp_server

from sheetsync.config import Config, LedgerConfig, MailConfig
from sheetsync.ledger import SendLog
from sheetsync.mail import plan_deliveries, send_reports
from sheetsync.model import Ambassador, Level, Recipient, Registry, Village
from sheetsync.report.paths import report_path

MONTH = "2026-08"
T = TypeVar("T")
KECAMATAN = ("Tanjung Pandan", "Badau", "Sijuk", "Membalong", "Selat Nasik")


def belitung() -> Registry:
    villages = tuple(
        Village(f"19.02.0{k + 1}.20{v:02d}", f"Desa {k}-{v}", name)
        for k, name in enumerate(KECAMATAN)
        for v in range(1, 11 if k < 4 else 10)
    )
    ambassadors = tuple(
        Ambassador(f"DD-{n:03d}", f"Duta {n}", villages[n].code, "", f"duta{n}@example.id", True)
        for n in range(42)
    )
    officials = [Recipient(f"Pejabat {n}", "", f"kab{n}@example.go.id", Level.KABUPATEN, "")
                 for n in range(4)]  # fmt: skip
    officials += [Recipient(f"Camat {k}", "Camat", f"camat{n}@example.go.id", Level.KECAMATAN, k)
                  for n, k in enumerate(KECAMATAN)]  # fmt: skip
    officials += [Recipient(f"Kades {v.name}", "", f"kades{n}@example.id", Level.DESA, v.code)
                  for n, v in enumerate(villages)]  # fmt: skip
    return Registry(villages, ambassadors, (), recipients=tuple(officials))


def write_reports(out: Path, registry: Registry, pdf_kb: int) -> int:
    areas = [("kabupaten", "", "Belitung")] + [("kecamatan", "", k) for k in KECAMATAN]
    areas += [("desa", v.code, v.name) for v in registry.villages]
    areas += [("duta", a.ambassador_id, a.name) for a in registry.ambassadors]
    for level, code, name in areas:
        pdf = report_path(out, MONTH, level, code, name, "pdf")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(pdf_kb * 1024))
        pdf.with_suffix(".xlsx").write_bytes(b"PK\x03\x04" + os.urandom(20 * 1024))
    return len(areas)


def timed(label: str, action: Callable[[], T], count: int = 0) -> T:
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    each = f"  ({1000 * seconds / count:.0f} ms per message)" if count else ""
    print(f"{label:<30} {seconds:7.2f} s{each}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf-kb", type=int, default=150)
    args = parser.parse_args()
    registry = belitung()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        reports = write_reports(root / "reports", registry, args.pdf_kb)
        deliveries, issues = timed(
            "plan (read + hash reports)",
            lambda: plan_deliveries(registry, MONTH, root / "reports", program_name="Duta Digital"),
        )
        print(f"{reports} reports, {len(deliveries)} messages, {len(issues)} routing issues")
        sink = MailSink()
        with smtp_server(sink, data_size_limit=0) as port, SendLog.open(root / "l.sqlite") as log:
            config = Config(
                ledger=LedgerConfig(path=root / "l.sqlite"),
                mail=MailConfig(transport="smtp", host=HOST, port=port, security="none",
                                sender="laporan@dinas.example.go.id", daily_cap=1000),
            )  # fmt: skip
            first = timed(
                "send all over SMTP",
                lambda: send_reports(deliveries, config=config, sendlog=log),
                len(deliveries),
            )
            again = timed(
                "re-run (nothing to send)",
                lambda: send_reports(deliveries, config=config, sendlog=log),
            )
        print(f"first run {first.counts}, re-run {again.counts}, server got {len(sink.received)}")
        outbox = Config(mail=MailConfig(outbox=root / "outbox"))
        with SendLog.open(root / "o.sqlite") as log:
            timed(
                "write all to the outbox",
                lambda: send_reports(deliveries, config=outbox, sendlog=log),
                len(deliveries),
            )
        size = sum(p.stat().st_size for p in (root / "outbox").rglob("*.eml"))
        print(f"outbox: {size / 1e6:.1f} MB of .eml")


if __name__ == "__main__":
    main()
