"""The figures a message shows: the area's row, the report module's summary."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
from kpi_sample import fill_months, sample_result
from mail_samples import MONTH, NOW, RECIPIENTS, parts, plan, registry

from sheetsync.config import Config
from sheetsync.kpi_schema import KpiResult
from sheetsync.mail import (
    build_message,
    plan_deliveries,
    report_summaries,
    routing,
)
from sheetsync.model import Level, Marketplace, Shop
from sheetsync.months import months_back
from sheetsync.report.paths import report_path


def test_headline_figures_come_from_the_area_row(out: Path) -> None:
    kecamatan = pd.DataFrame(
        {
            "kecamatan": ["Sijuk", "Tanjung Pandan"],
            "completed_orders": [1234, 5],
            "sales_idr": [1250000, 10],
            "mom_completed_orders": [12.3, None],
            "achievement_transactions_pct": [104.6, None],
            "shops_active": [8, 1],
            "shops_registered": [10, 2],
        }
    )
    empty = pd.DataFrame()
    kpis = KpiResult(MONTH, empty, empty, empty, kecamatan, empty)
    [delivery] = [d for d in plan(out, kpis=kpis) if d.level is Level.KECAMATAN]
    shown = [(f.label, f.value, f.note) for f in delivery.figures]
    assert shown == [
        ("Transaksi selesai", "1.234", "+12 % dibanding Juli; 105 % dari target"),
        ("Penjualan", "Rp 1.250.000", ""),
        ("Toko aktif", "8", "dari 10 toko terdaftar"),
    ]
    plain, html, _ = parts(build_message(delivery, config=Config()))
    assert "- Penjualan: Rp 1.250.000" in plain
    assert "Rp 1.250.000" in html and "<table" in html


def test_the_report_modules_summary_becomes_the_html_body(out: Path) -> None:
    shop = Shop("S1", Marketplace.SHOPEE, "Keripik", "Sri", "19.02.04.2004", "DD-001", None)
    reg = dataclasses.replace(registry(), shops=(shop,))
    months = fill_months(months_back(MONTH, 12), ["S1"])
    months.loc[months["month"] == MONTH, ["completed_orders", "sales_idr"]] = [12, 1_250_000]
    kpis = sample_result(reg, months, MONTH)
    summaries = report_summaries(kpis, reg, issues=[], config=Config(), as_of=NOW)
    deliveries = plan(out, reg, kpis=kpis, summary_html=summaries)
    assert all(d.summary_html for d in deliveries)
    [camat] = [d for d in deliveries if d.level is Level.KECAMATAN]
    plain, html, _ = parts(build_message(camat, config=Config()))
    assert html.count("<body") == 1 and "Yth. Camat Sijuk (Camat)," in html
    assert "Rp 1.250.000" in html and "Rp 1.250.000" in plain


def test_an_area_the_report_module_does_not_know_falls_back_to_own_figures(out: Path) -> None:
    kecamatan = pd.DataFrame({"kecamatan": ["Sijuk"], "completed_orders": [7]})
    empty = pd.DataFrame()
    kpis = KpiResult(MONTH, empty, empty, empty, kecamatan, empty)
    asked: list[tuple[Level, str]] = []

    def no_summary(level: Level, area: str) -> None:
        asked.append((level, area))

    [camat] = [
        d for d in plan(out, kpis=kpis, summary_html=no_summary) if d.level is Level.KECAMATAN
    ]
    assert (Level.KECAMATAN, "Sijuk") in asked and (Level.DESA, "19.02.04.2004") in asked
    _, html, _ = parts(build_message(camat, config=Config()))
    assert "Transaksi selesai" in html and "Kecamatan Sijuk – Agustus 2026" in html


def test_the_kabupaten_report_is_named_by_the_kpi_regency_label(out: Path) -> None:
    report_path(out, MONTH, "kabupaten", "", "Belitung Timur", "pdf").write_bytes(b"%PDF other")
    bupati = (RECIPIENTS[0],)
    deliveries, issues = plan_deliveries(registry(*bupati), MONTH, out, program_name="DD")
    assert routing.REPORT_MISSING in {i.code for i in issues}  # two PDFs: never guess
    assert Level.KABUPATEN not in {d.level for d in deliveries}
    empty = pd.DataFrame()
    kpis = KpiResult(MONTH, empty, empty, empty, empty, pd.DataFrame({"regency": ["Belitung"]}))
    [bupati_delivery] = [
        d for d in plan(out, registry(*bupati), kpis=kpis) if d.level is Level.KABUPATEN
    ]
    assert bupati_delivery.report_stem == "laporan-2026-08-kabupaten-belitung"
    assert bupati_delivery.area_label == "Kabupaten Belitung"
