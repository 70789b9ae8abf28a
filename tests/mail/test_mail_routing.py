"""Routing: validated recipients and active ambassadors to their own area's report."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mail_samples import MONTH, RECIPIENTS, plan, registry

from sheetsync.mail import (
    plan_deliveries,
    routing,
)
from sheetsync.model import Level, Recipient
from sheetsync.report.paths import report_path

# ---------------------------------------------------------------- routing


def test_each_recipient_gets_the_report_of_their_area(out: Path) -> None:
    deliveries, issues = plan_deliveries(registry(), MONTH, out, program_name="Duta Digital")
    routed = {d.recipient_email: (d.report_key, d.report_stem) for d in deliveries}
    assert routed == {
        "bupati@belitung.example.go.id": ("kabupaten:", "laporan-2026-08-kabupaten-belitung"),
        "camat.sijuk@example.go.id": ("kecamatan:Sijuk", "laporan-2026-08-kecamatan-sijuk"),
        "kades@airseruk.example.id": (
            "desa:19.02.04.2004",
            "laporan-2026-08-desa-1902042004-air-seruk",
        ),
        "siti@duta.example.id": ("duta:DD-001", "laporan-2026-08-duta-dd-001-siti-aminah"),
    }
    # Andi is active without email: warned; Rudi is inactive: nothing
    assert [(i.code, i.value) for i in issues] == [(routing.NO_EMAIL, "DD-002")]


def test_a_kecamatan_recipient_gets_the_report_of_the_kecamatan_validation_named(
    out: Path,
) -> None:
    """Validation gives the kecamatan as the Desa tab writes it, however it was typed
    (tests/validate/test_validate_recipients.py); routing names the report by it."""
    camat = Recipient("Camat", "Camat", "camat@example.go.id", Level.KECAMATAN, "Sijuk")
    [delivery] = [d for d in plan(out, registry(camat)) if d.level is Level.KECAMATAN]
    assert delivery.area_label == "Kecamatan Sijuk"
    assert delivery.subject == "Laporan Bulanan Duta Digital – Agustus 2026 – Kecamatan Sijuk"


def test_an_unvalidated_address_is_refused_not_sent(out: Path) -> None:
    """Addresses are checked once, by validation; a Registry that skipped it is a bug."""
    smuggled = Recipient("X", "", "a@example.org, evil@example.com", Level.KABUPATEN, "", 5)
    with pytest.raises(ValueError, match="Penerima row 5"):
        plan_deliveries(registry(smuggled), MONTH, out, program_name="Duta Digital")


def test_routing_issues_follow_the_programme_language(out: Path) -> None:
    _, issues = plan_deliveries(registry(), MONTH, out, program_name="DD", language="en")
    assert [i.message for i in issues] == [
        "Ambassador Andi (DD-002) has no email yet, so their personal report was not sent. "
        "Fill in the Email column of tab Duta."
    ]


def test_a_missing_report_file_is_an_issue(out: Path) -> None:
    report_path(out, MONTH, "kecamatan", "", "Sijuk", "pdf").unlink()
    deliveries, issues = plan_deliveries(registry(), MONTH, out, program_name="Duta Digital")
    assert "camat.sijuk@example.go.id" not in {d.recipient_email for d in deliveries}
    [missing] = [i for i in issues if i.code == routing.REPORT_MISSING]
    assert "laporan-2026-08-kecamatan-sijuk.pdf" in missing.message
    assert missing.message == (
        "Laporan laporan-2026-08-kecamatan-sijuk.pdf untuk Camat Sijuk belum ada, jadi email "
        "tidak dikirim. Buat laporannya dulu dengan `sheetsync report --month` lalu jalankan "
        "`sheetsync send` lagi."
    )


def test_a_recipient_listed_twice_gets_one_message(out: Path) -> None:
    twice = (RECIPIENTS[1], dataclasses.replace(RECIPIENTS[1], email="Camat.Sijuk@EXAMPLE.go.id"))
    deliveries, issues = plan_deliveries(registry(*twice), MONTH, out, program_name="Duta Digital")
    assert [d.level for d in deliveries].count(Level.KECAMATAN) == 1
    assert routing.DUPLICATE in {i.code for i in issues}
