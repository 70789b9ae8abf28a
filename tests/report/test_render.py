"""Rendered files, read back the way a person's tools read them: pypdf, openpyxl, an HTML parser."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from kpi_sample import fill_months, sample_result
from pypdf import PdfReader
from report_samples import AS_OF, small_config, small_issues, small_registry, small_result

from sheetsync.errors import SinkError
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Marketplace, Registry, Shop, Target, Village
from sheetsync.report.render import render_html_summary, render_reports

SOURCES = ["Workbook data/program.xlsx", "Inbox: 14 berkas ekspor"]
PICK = ["Belitung", "Sijuk", "19.02.04.2001", "DD-003"]  # one report of every level


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """One report per level in every format, rendered once for the whole module."""
    out = tmp_path_factory.mktemp("render")
    config = small_config(out, workers=1)
    paths = render_reports(
        small_result(),
        small_registry(),
        issues=small_issues(),
        config=config,
        as_of=AS_OF,
        areas=PICK,
        sources=SOURCES,
    )
    return {(p.parent.name, p.suffix[1:]): p for p in paths}


def pdf_text(path: Path) -> tuple[int, list[str]]:
    reader = PdfReader(path)
    return len(reader.pages), [page.extract_text() for page in reader.pages]


def test_file_names_follow_paths_module(rendered):
    names = sorted(p.name for p in rendered.values())
    assert "laporan-2026-10-kabupaten-belitung.pdf" in names
    assert "laporan-2026-10-desa-1902042001-air-seruk.xlsx" in names
    assert "laporan-2026-10-duta-dd-003-rina-wati.html" in names
    assert len(rendered) == 12
    assert all("/2026-10/" in p.as_posix() for p in rendered.values())


def test_kabupaten_pdf_has_the_figures_pages_and_signatures(rendered):
    pages, texts = pdf_text(rendered["kabupaten", "pdf"])
    text = " ".join(texts)
    assert pages >= 2
    assert "Laporan Bulanan Kabupaten Belitung" in texts[0]
    assert "Oktober 2026" in texts[0]
    assert "Rp 4.450.000" in texts[0]  # regency sales
    assert "Transaksi naik 20 % dibanding September" in re.sub(r"\s+", " ", texts[0])
    assert f"Halaman 1 dari {pages}" in texts[0]
    assert f"Halaman {pages} dari {pages}" in texts[-1]
    for words in (
        "Mengetahui, Kepala Dinas Kominfo",
        "Drs. H. Ahmad Yani",
        "Dibuat oleh, Koordinator Program",
        "Dewi Lestari",
    ):
        assert words in text
    assert "Data per 1 November 2026 pukul 07.00" in re.sub(r"\s+", " ", text)
    assert "Inbox: 14 berkas ekspor" in text


def test_village_pdf_is_about_its_village(rendered):
    _, texts = pdf_text(rendered["desa", "pdf"])
    text = re.sub(r"\s+", " ", " ".join(texts))
    assert "Laporan Bulanan Desa Air Seruk" in text
    assert "Rp 1.700.000" in text  # 1.250.000 + 450.000
    assert "Keripik Bu Sri" in text and "Kopi Sijuk" not in text
    assert "0812****7890" in text


def test_xlsx_summary_and_detail_sheets(rendered):
    book = openpyxl.load_workbook(rendered["kabupaten", "xlsx"])
    assert book.sheetnames[0] == "Ringkasan"
    assert {"Rincian per desa", "Rincian per kecamatan", "Kualitas data"} <= set(book.sheetnames)
    summary = book["Ringkasan"]
    rows = {r[0]: r for r in summary.iter_rows(min_row=7, values_only=True) if r[0]}
    assert rows["Penjualan"][1:4] == (4_450_000, 3_700_000, 5_000_000)
    assert rows["Transaksi"][1] == 30
    assert summary["B8"].number_format == '"Rp" #,##0'
    assert summary.freeze_panes == "A7"
    villages = book["Rincian per desa"]
    assert villages.freeze_panes == "A2"
    assert villages.auto_filter.ref == "A1:J5"
    header = [c.value for c in villages[1]]
    sales_col = header.index("Penjualan") + 1
    by_code = {row[0].value: row for row in villages.iter_rows(min_row=2)}
    assert by_code["19.02.04.2001"][sales_col - 1].value == 1_700_000
    assert by_code["19.02.04.2001"][sales_col - 1].number_format == '"Rp" #,##0'
    assert by_code["19.02.04.2001"][0].data_type == "s"  # codes stay text


def test_html_is_self_contained(rendered):
    for level in ("kabupaten", "kecamatan", "desa", "duta"):
        html = rendered[level, "html"].read_text(encoding="utf-8")
        links = _external_links(html)
        assert links == [], f"{level}: {links}"
        assert "<svg" in html and "<style>" in html


def test_html_reads_indonesian(rendered):
    html = rendered["kabupaten", "html"].read_text(encoding="utf-8")
    assert "Rp 4.450.000" in html and "Oktober 2026" in html and 'lang="id"' in html


def test_duta_scorecard_pdf_shows_the_to_do(rendered):
    _, texts = pdf_text(rendered["duta", "pdf"])
    text = re.sub(r"\s+", " ", " ".join(texts))
    assert "Rapor Duta Digital Rina Wati" in text
    assert "Yang perlu dikerjakan" in text
    assert "Kirim laporan bulanan Oktober 2026 lewat Google Form." in text


def test_files_are_readable_by_others(rendered):
    assert all(p.stat().st_mode & 0o044 == 0o044 for p in rendered.values())


def test_escaping_keeps_markup_from_staff_as_text(tmp_path):
    registry = small_registry()
    shops = tuple(
        Shop(
            s.shop_id,
            s.marketplace,
            '<b>Toko</b> & "Co"' if s.shop_id == "S1" else s.name,
            s.owner,
            s.village_code,
            s.ambassador_id,
            s.registered_on,
        )
        for s in registry.shops
    )
    registry = Registry(
        registry.villages, registry.ambassadors, shops, registry.targets, registry.form_reports
    )
    from report_samples import shop_months

    result = sample_result(registry, shop_months(), "2026-10")
    config = small_config(tmp_path, workers=1)
    [path] = render_reports(
        result,
        registry,
        issues=[],
        config=config,
        as_of=AS_OF,
        levels=["desa"],
        areas=["19.02.04.2001"],
        formats=["html"],
    )
    html = path.read_text(encoding="utf-8")
    assert "<b>Toko</b>" not in html
    assert "&lt;b&gt;Toko&lt;/b&gt; &amp; &#34;Co&#34;" in html


def test_html_summary_for_email_uses_inline_styles_only(result, registry, issues, tmp_path):
    html = render_html_summary(
        result,
        registry,
        issues=issues,
        config=small_config(tmp_path),
        as_of=AS_OF,
        level="desa",
        area="19.02.04.2001",
    )
    assert "<style" not in html and "<svg" not in html and "<link" not in html
    assert "Rp 1.700.000" in html and "Laporan Bulanan Desa Air Seruk" in html
    assert _external_links(html) == []
    with pytest.raises(ValueError, match="no desa report area"):
        render_html_summary(
            result,
            registry,
            issues=issues,
            config=small_config(tmp_path),
            as_of=AS_OF,
            level="desa",
            area="99.99",
        )


def test_unknown_format_is_refused(result, registry, tmp_path):
    with pytest.raises(ValueError, match="unknown report format"):
        render_reports(
            result,
            registry,
            issues=[],
            config=small_config(tmp_path),
            as_of=AS_OF,
            formats=["docx"],
        )


def test_two_workers_render_the_same_files_with_progress(result, registry, tmp_path):
    config = small_config(tmp_path, workers=2)
    seen: list[tuple[int, int]] = []
    paths = render_reports(
        result,
        registry,
        issues=[],
        config=config,
        as_of=AS_OF,
        levels=["desa"],
        formats=["html", "xlsx"],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(paths) == 8 and all(p.is_file() for p in paths)
    assert [p.suffix for p in paths[:2]] == [".html", ".xlsx"]
    assert "air-seruk" in paths[4].name  # job order, whatever order workers finished in
    assert seen[-1] == (4, 4) and len(seen) == 4


def test_logo_is_embedded_when_configured(result, registry, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>")
    config = small_config(tmp_path, workers=1, logo=logo)
    [path] = render_reports(
        result,
        registry,
        issues=[],
        config=config,
        as_of=AS_OF,
        levels=["kabupaten"],
        formats=["html"],
    )
    assert 'src="data:image/svg+xml;base64,' in path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- long tables


def long_programme(villages: int = 40) -> tuple[KpiResult, Registry]:
    """One kecamatan with many villages, so the village table needs more than one page."""
    vills = tuple(
        Village(f"19.02.09.{2000 + i}", f"Desa Panjang {i:02d}", "Panjang") for i in range(villages)
    )
    base = small_registry()
    amb = base.ambassadors[0]
    shops = tuple(
        Shop(
            f"P{i}",
            Marketplace.SHOPEE,
            f"Toko {i}",
            "",
            v.code,
            amb.ambassador_id,
            dt.date(2026, 1, 1),
        )
        for i, v in enumerate(vills)
    )
    registry = Registry(
        vills,
        (amb.__class__(amb.ambassador_id, amb.name, vills[0].code, "", "", True),),
        shops,
        tuple(Target("2026-10", v.code, None, None, 10, None) for v in vills),
    )
    frame = fill_months(["2026-09", "2026-10"], [s.shop_id for s in shops], 3)
    return sample_result(registry, frame, "2026-10"), registry


def test_long_village_table_spans_pages_with_repeated_headers(tmp_path):
    result, registry = long_programme()
    config = small_config(tmp_path, workers=1)
    [pdf] = render_reports(
        result,
        registry,
        issues=[],
        config=config,
        as_of=AS_OF,
        levels=["kabupaten"],
        formats=["pdf"],
    )
    pages, texts = pdf_text(pdf)
    table_pages = [i for i, t in enumerate(texts) if "19.02.09.20" in t and "Kode Desa" in t]
    assert len(table_pages) >= 2, "the village table should continue on a second page"
    for i in table_pages:  # every page of the table starts with its header row
        first_code = texts[i].index("19.02.09.20")
        assert texts[i].rfind("Kode Desa", 0, first_code) >= 0
    assert pages >= 3


# --------------------------------------------------------------------------- privacy


BUYER = {
    "buyer_name": "Nyonya Buyer Rahasia",
    "buyer_phone": "089912345678",
    "buyer_address": "Jl. Rahasia No. 99",
}


def test_no_buyer_data_in_any_output_even_if_a_frame_carried_it(tmp_path):
    """The KPI contract has no buyer columns; should one slip in, reports still never show it."""
    clean = small_result()
    leaky = KpiResult(
        month=clean.month,
        shops=clean.shops.assign(**BUYER),
        ambassadors=clean.ambassadors,
        villages=clean.villages,
        kecamatan=clean.kecamatan,
        regency=clean.regency,
        trend=clean.trend,
        top_products=clean.top_products.assign(**BUYER),
        discipline=clean.discipline,
    )
    config = small_config(tmp_path, workers=1)
    paths = render_reports(
        leaky,
        small_registry(),
        issues=small_issues(),
        config=config,
        as_of=AS_OF,
        areas=["19.02.04.2001"],  # the village report has the shop table and top products
    )
    for path in paths:
        text = _all_text(path)
        for secret in (*BUYER.values(), "081234567890", "3456-7890", "34567890"):
            assert secret not in text, f"{secret!r} found in {path.name}"


def _all_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return " ".join(pdf_text(path)[1])
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return " ".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row)
    return path.read_text(encoding="utf-8")


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (
                name in ("src", "href")
                and value
                and not value.startswith(("data:", "mailto:", "#"))
            ):
                self.links.append(value)


def _external_links(html: str) -> list[str]:
    parser = _LinkCollector()
    parser.feed(html)
    found = parser.links + re.findall(r"url\((?!['\"]?data:)[^)]*\)", html)
    found += re.findall(r"@import", html)
    return found


def test_pandas_na_in_figures_reads_as_dash(tmp_path):
    clean = small_result()
    villages = clean.villages.copy()
    villages["sales_idr"] = villages["sales_idr"].astype("Int64")
    villages.loc[0, "sales_idr"] = pd.NA
    result = KpiResult(
        clean.month,
        clean.shops,
        clean.ambassadors,
        villages,
        clean.kecamatan,
        clean.regency,
        clean.trend,
        clean.top_products,
        clean.discipline,
    )
    config = small_config(tmp_path, workers=1)
    [path] = render_reports(
        result,
        small_registry(),
        issues=[],
        config=config,
        as_of=AS_OF,
        levels=["kabupaten"],
        formats=["xlsx"],
    )
    sheet = openpyxl.load_workbook(path)["Rincian per desa"]
    assert any(row[5] is None for row in sheet.iter_rows(min_row=2, values_only=True))


def test_unwritable_output_is_a_sink_error(result, registry, tmp_path):
    blocker = tmp_path / "reports"
    blocker.write_text("a file where the reports folder should be")
    config = small_config(tmp_path, workers=1)
    with pytest.raises(SinkError, match="Cannot write report"):
        render_reports(
            result,
            registry,
            issues=[],
            config=config,
            as_of=AS_OF,
            levels=["kabupaten"],
            formats=["html"],
        )


def test_renderer_failure_names_the_file(result, registry, tmp_path, monkeypatch):
    def broken(html: str, language: str = "id") -> bytes:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr("sheetsync.report.render.html_to_pdf", broken)
    config = small_config(tmp_path, workers=1)
    with pytest.raises(
        SinkError, match=r"laporan-2026-10-kabupaten-belitung\.pdf.*layout exploded"
    ):
        render_reports(
            result,
            registry,
            issues=[],
            config=config,
            as_of=AS_OF,
            levels=["kabupaten"],
            formats=["pdf"],
        )
    assert not list((tmp_path / "reports").rglob("*.pdf"))  # nothing half-written


def test_xlsx_summary_carries_the_trend_as_a_native_chart(rendered):
    with zipfile.ZipFile(rendered["kabupaten", "xlsx"]) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = archive.read(charts[0]).decode("utf-8")
    assert len(charts) == 1
    assert "'Bulan (12)'!$B$2:$B$13" in xml and "'Bulan (12)'!$C$2:$C$13" in xml


def test_a_programme_without_any_figures_still_gets_its_reports(registry, tmp_path):
    """The first month of a programme: registry filled in, no export ingested yet."""
    empty = pd.DataFrame()
    result = KpiResult("2026-10", empty, empty, empty, empty, empty)
    config = small_config(tmp_path, workers=1)
    paths = render_reports(
        result,
        registry,
        issues=[],
        config=config,
        as_of=AS_OF,
        areas=["Kabupaten", "19.02.03.2002", "DD-001"],
    )
    assert len(paths) == 9
    _, texts = pdf_text(next(p for p in paths if p.suffix == ".pdf"))
    assert "Laporan Bulanan Kabupaten Belitung" in texts[0]  # named after the programme
    assert "Transaksi" in texts[0] and "Tidak ada data." in " ".join(texts)
