"""Exactly once: send log, revisions, resend, --only, daily cap, outbox, dry run."""

from __future__ import annotations

import dataclasses
import datetime as dt
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pandas as pd
import pytest
from mail_samples import (
    MONTH,
    NOW,
    RECIPIENTS,
    VILLAGES,
    config_for,
    parts,
    plan,
    registry,
    send,
    write_reports,
)
from mail_server import MailSink, smtp_server

from sheetsync.config import Config
from sheetsync.errors import ConfigError
from sheetsync.kpi_schema import KpiResult
from sheetsync.ledger import SendLog
from sheetsync.mail import (
    build_message,
    mail_config_problems,
)
from sheetsync.model import Level, Village
from sheetsync.report.paths import report_path

# ---------------------------------------------------------------- exactly once, revisions, cap


def test_changed_report_is_listed_then_sent_as_revision(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        send(plan(out), config, sendlog)
        write_reports(out, "v2")  # late data changed every report
        listed = send(plan(out), config, sendlog)
        changes = {
            "kecamatan:Sijuk": ["Penjualan Agustus naik dari Rp 1.000.000 menjadi Rp 1.250.000."]
        }
        revised = send(plan(out), config, sendlog, send_revisions=True, changes=changes)
        again = send(plan(out), config, sendlog, send_revisions=True)
    assert listed.counts == {"changed_not_sent": 4}
    assert revised.counts == {"revision_sent": 4} and again.counts == {"already_sent": 4}
    assert len(sink.received) == 4 + 4
    [_, revision] = sink.to("camat.sijuk@example.go.id")
    assert revision.message["Subject"].startswith("Revisi: Laporan Bulanan")
    plain, _, files = parts(revision.message)
    assert "Rp 1.250.000" in plain
    assert next(iter(files.values())).endswith(b"v2\n%%EOF\n")
    [bupati_revision] = sink.to("bupati@belitung.example.go.id")[1:]
    assert "diperbarui dengan data terbaru" in parts(bupati_revision.message)[0]
    assert max(r.revision for r in sendlog.history(MONTH)) == 1


def kecamatan_kpis(transactions: int, sales: int) -> KpiResult:
    frame = pd.DataFrame(
        {
            "kecamatan": ["Sijuk", "Tanjung Pandan"],
            "completed_orders": [transactions, 1],
            "sales_idr": [sales, 1],
        }
    )
    empty = pd.DataFrame()
    return KpiResult(MONTH, empty, empty, empty, frame, empty)


def test_a_revision_names_the_figures_that_moved_since_the_first_message(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        send(plan(out, kpis=kecamatan_kpis(120, 1_000_000)), config, sendlog)
        write_reports(out, "v2")
        later = plan(out, kpis=kecamatan_kpis(134, 1_000_000))
        send(later, config, sendlog)  # listed only: figures seen at that point are not kept
        send(plan(out, kpis=kecamatan_kpis(134, 1_250_000)), config, sendlog, send_revisions=True)
    [_, revision] = sink.to("camat.sijuk@example.go.id")
    plain, html, _ = parts(revision.message)
    for line in (
        "Transaksi selesai: 120 menjadi 134",
        "Penjualan: Rp 1.000.000 menjadi Rp 1.250.000",
    ):
        assert f"- {line}" in plain and line in html
    [_, desa_revision] = sink.to("kades@airseruk.example.id")  # no figures: a general note
    assert "diperbarui dengan data terbaru" in parts(desa_revision.message)[0]


def test_resend_forces_a_new_copy(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        send(plan(out), config, sendlog)
        forced = send(plan(out), config, sendlog, resend=True, only="Camat.Sijuk@example.go.id")
    assert forced.counts == {"resent": 1}
    first, copy = sink.to("camat.sijuk@example.go.id")
    assert first.message["Subject"] == copy.message["Subject"]
    assert first.message["Message-ID"] != copy.message["Message-ID"]


def test_only_limits_the_run_to_one_mailbox(tmp_path: Path, out: Path, sendlog: SendLog) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        summary = send(
            plan(out), config_for(tmp_path, port=port), sendlog, only="siti@duta.example.id"
        )
    assert summary.counts == {"sent": 1} and [r.rcpt_tos for r in sink.received] == [
        ["siti@duta.example.id"]
    ]


def test_daily_cap_defers_the_rest_to_another_day(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port, daily_cap=3)
        send(plan(out)[:1], config, sendlog)  # one already sent today
        today = send(plan(out), config, sendlog)
        later_today = send(plan(out), config, sendlog, clock=lambda: NOW + dt.timedelta(hours=5))
        tomorrow = send(plan(out), config, sendlog, clock=lambda: NOW + dt.timedelta(days=1))
    assert today.counts == {"already_sent": 1, "sent": 2, "deferred": 1} and not today.has_failures
    assert later_today.counts == {"already_sent": 3, "deferred": 1}
    assert tomorrow.counts == {"already_sent": 3, "sent": 1}
    assert len(sink.received) == 4


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("sender", "laporan at dinas"),
        ("sender", "a@x.id, evil@example.com"),
        ("reply_to", "Kominfo <kominfo@belitung.example.go.id"),
    ],
)
def test_a_bad_configured_address_stops_the_run_before_sending(
    tmp_path: Path, out: Path, sendlog: SendLog, setting: str, value: str
) -> None:
    config = config_for(tmp_path, transport="outbox", host="", **{setting: value})
    with pytest.raises(ConfigError, match=f"mail.{setting}"):
        send(plan(out), config, sendlog)
    assert not (tmp_path / "outbox").exists() and sendlog.history() == []


def test_config_check_lists_every_bad_mail_address() -> None:
    problems = mail_config_problems("laporan@dinas.example.go.id", "a@x.id>, b@y.id", "op@")
    assert [p.split(":")[0] for p in problems] == ["mail.reply_to", "mail.alert_to"]
    assert mail_config_problems("Dinas <laporan@localhost>", "", "") == []


def test_an_area_name_from_the_sheet_cannot_break_the_subject(tmp_path: Path, out: Path) -> None:
    evil_village = Village("19.02.04.2004", "Air Seruk\r\nBcc: evil@example.com", "Sijuk")
    reg = dataclasses.replace(registry(RECIPIENTS[2]), villages=(evil_village, *VILLAGES[1:]))
    write_reports(out)  # unchanged names: the slug drops the line break
    report_path(out, MONTH, "desa", evil_village.code, evil_village.name, "pdf").write_bytes(
        b"%PDF"
    )
    [kades] = [d for d in plan(out, reg) if d.level is Level.DESA]
    parsed = message_from_bytes(build_message(kades, config=Config()).as_bytes(), policy=default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"].endswith("– Desa Air Seruk Bcc: evil@example.com")


# ---------------------------------------------------------------- outbox and dry run


def test_outbox_transport_writes_exact_parseable_eml_files(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    config = config_for(tmp_path, transport="outbox", host="")
    summary = send(plan(out), config, sendlog)
    assert summary.counts == {"sent": 4}
    files = sorted((tmp_path / "outbox" / MONTH).glob("*.eml"))
    assert [f.name for f in files] == sorted(r.eml.name for r in summary.results if r.eml)
    assert "laporan-2026-08-kecamatan-sijuk--camat-sijuk-at-example-go-id.eml" in {
        f.name for f in files
    }
    camat = next(f for f in files if "kecamatan" in f.name)
    parsed = message_from_bytes(camat.read_bytes(), policy=default)
    assert parsed["Subject"] == "Laporan Bulanan Duta Digital – Agustus 2026 – Kecamatan Sijuk"
    assert list(parts(parsed)[2]) == ["laporan-2026-08-kecamatan-sijuk.pdf"]
    assert send(plan(out), config, sendlog).counts == {"already_sent": 4}


def test_dry_run_lists_and_writes_messages_but_sends_and_records_nothing(
    tmp_path: Path, out: Path, sendlog: SendLog
) -> None:
    sink = MailSink()
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        dry = send(plan(out), config, sendlog, dry_run=True)
        real = send(plan(out), config, sendlog)
    assert dry.counts == {"would_send": 4} and dry.dry_run
    dry_folder = tmp_path / "outbox" / "dry-run" / MONTH
    assert len(list(dry_folder.glob("*.eml"))) == 4
    assert any(line.startswith("akan dikirim: camat.sijuk@example.go.id") for line in dry.lines())
    assert real.counts == {"sent": 4} and len(sink.received) == 4
    with smtp_server(sink) as port:
        config = config_for(tmp_path, port=port)
        after = send(plan(out), config, sendlog, dry_run=True)
    assert after.counts == {"already_sent": 4} and list(dry_folder.glob("*.eml")) == []
