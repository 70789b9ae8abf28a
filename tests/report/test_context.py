"""The view dicts: figures, statuses, scoping, to-do and privacy, before any rendering."""

from xml.etree import ElementTree

import pandas as pd
import pytest
from report_samples import AS_OF, small_config

from sheetsync.report.context import build_view, build_views
from sheetsync.report.scope import ReportData
from sheetsync.report.units import report_units


@pytest.fixture
def data(result, registry, issues, tmp_path):
    return ReportData(result, registry, issues, small_config(tmp_path), AS_OF, ["Workbook"])


def view_of(data, level, code):
    unit = next(u for u in report_units(data.result, data.registry, [level]) if u.code == code)
    return build_view(unit, data)


def headline(view, metric):
    return next(h for h in view["headline"] if h["metric"] == metric)


def table(view, key):
    return next(t for t in view["tables"] if t["key"] == key)


def test_kabupaten_headline_against_last_month_and_target(data):
    view = view_of(data, "kabupaten", "Belitung")
    tx = headline(view, "completed_orders")
    assert (tx["value"], tx["previous"], tx["target"]) == (30, 25, 37)
    assert tx["change_text"] == "+20 %"
    assert tx["achievement_text"] == "81 %"
    assert (tx["status"], tx["status_label"]) == ("near", "Hampir")
    sales = headline(view, "sales_idr")
    assert sales["value_text"] == "Rp 4.450.000"
    assert sales["previous_text"] == "Rp 3.700.000"
    assert headline(view, "orders")["status_label"] == "–"  # never has a target
    assert view["month_label"] == "Oktober 2026"
    assert view["title"] == "Laporan Bulanan Kabupaten Belitung"


def test_summary_by_fixed_rules(data):
    view = view_of(data, "kabupaten", "Belitung")
    assert view["summary"].startswith("Transaksi naik 20 % dibanding September; ")
    assert "2 desa belum mencapai target transaksi (dari 3 desa bertarget)" in view["summary"]
    assert "1 duta belum mengirim laporan bulanan" in view["summary"]


def test_new_shop_reads_baru(data):
    view = view_of(data, "desa", "19.02.04.2002")
    shop_rows = {r[0]: r for r in table(view, "shop_table")["rows"]}
    cells = {row[0]["text"]: row for row in table(view, "shop_table")["cells"]}
    assert shop_rows["S4"][5] == "baru"
    assert cells["S4"][5]["text"] == "baru"


def test_achievement_bars_coloured_by_status(data):
    bars = view_of(data, "kabupaten", "Belitung")["achievement"]["bars"]
    by_name = {b["label"]: (b["status"], b["pct_text"]) for b in bars}
    assert by_name == {
        "Air Seruk": ("on_target", "100 %"),
        "Sijuk": ("near", "83 %"),
        "Membalong": ("behind", "50 %"),
        "Lassar": ("no_target", "Tanpa target"),
    }


def test_kecamatan_report_holds_only_its_villages(data):
    view = view_of(data, "kecamatan", "Membalong")
    names = [r[1] for r in table(view, "village_table")["rows"]]
    assert names == ["Membalong", "Lassar"] or sorted(names) == ["Lassar", "Membalong"]
    assert headline(view, "completed_orders")["value"] == 5
    issues = view["quality"]["issues"]
    assert [i["source"] for i in issues] == ["Toko"]  # S6 is in Lassar


def test_trend_has_twelve_months_oldest_first(data):
    trend = view_of(data, "kabupaten", "Belitung")["trend"]
    assert trend[0]["month"] == "2025-11"
    assert [p["transactions"] for p in trend][-3:] == [2, 25, 30]
    assert trend[-1]["sales_idr"] == 4_450_000
    svg = str(view_of(data, "desa", "19.02.04.2001")["trend_svg"])
    ElementTree.fromstring(svg)  # well-formed SVG


def test_ambassador_scorecard_lists_their_own_to_do(data):
    rina = view_of(data, "duta", "DD-003")
    assert rina["title"] == "Rapor Duta Digital Rina Wati"
    todo = " | ".join(rina["todo"])
    assert "Kirim laporan bulanan Oktober 2026" in todo
    assert "Toko baris 8" in todo  # the warning on her shop S6's row
    assert "Anyaman Lassar (S6)" in todo  # a shop without exports
    budi = view_of(data, "duta", "DD-002")
    assert any("S3/Order.all" in item for item in budi["todo"])  # his shop's broken export
    assert not any("Kirim laporan" in item for item in budi["todo"])
    siti = view_of(data, "duta", "DD-001")
    assert siti["todo"] == []


def test_data_quality_section(data):
    quality = view_of(data, "kabupaten", "Belitung")["quality"]
    assert quality["issues_total"] == 3
    assert quality["issues"][0]["severity"] == "error"
    assert [m["id"] for m in quality["missing_reports"]] == ["DD-003"]
    assert [s["id"] for s in quality["shops_without_exports"]] == ["S6"]


def test_owner_phones_are_masked_even_if_upstream_did_not(data):
    data.rows["shops"] = [{**r, "owner_phone_masked": "081234567890"} for r in data.rows["shops"]]
    view = view_of(data, "desa", "19.02.04.2001")
    phones = {r[3] for r in table(view, "shop_table")["rows"]}
    assert phones == {"0812****7890"}


def test_top_products_of_the_area_only(data):
    products = table(view_of(data, "desa", "19.02.04.2001"), "top_products")["rows"]
    assert [p[1] for p in products] == ["Keripik Pisang 250 g", "Keripik Singkong Pedas"]


def test_english_by_config(result, registry, issues, tmp_path):
    config = small_config(tmp_path)
    config = type(config)(
        program=type(config.program)(name="X", language="en"), reports=config.reports
    )
    views = build_views(
        result, registry, issues=issues, config=config, as_of=AS_OF, levels=["kabupaten"]
    )
    view = views[0][1]
    assert view["month_label"] == "October 2026"
    assert headline(view, "sales_idr")["value_text"] == "Rp 4,450,000"
    assert view["summary"].startswith("Transactions rose 20 % against September")


def test_missing_columns_do_not_break_a_view(data):
    data.rows["villages"] = [
        {"village_code": r["village_code"], "village_name": r["village_name"]}
        for r in data.rows["villages"]
    ]
    data.rows["discipline"] = []
    view = view_of(data, "kabupaten", "Belitung")
    assert {b["status"] for b in view["achievement"]["bars"]} == {"no_target"}


def with_unassigned_bucket(result):
    """The KPI engine's bucket rows for figures the registry cannot place."""
    from sheetsync.kpi_schema import UNASSIGNED, KpiResult

    def bucket(frame, key, **labels):
        row = {**dict.fromkeys(frame.columns, 0), key: UNASSIGNED, "assigned": False, **labels}
        return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)

    return KpiResult(
        month=result.month,
        shops=result.shops,
        ambassadors=bucket(result.ambassadors, "ambassador_id", ambassador_name=""),
        villages=bucket(result.villages, "village_code", village_name="", kecamatan=""),
        kecamatan=bucket(result.kecamatan, "kecamatan"),
        regency=result.regency,
        trend=result.trend,
        top_products=result.top_products,
        discipline=result.discipline,
    )


def test_unassigned_bucket_gets_no_report_but_a_readable_row(result, registry, tmp_path):
    bucketed = with_unassigned_bucket(result)
    units = report_units(bucketed, registry)
    assert not [u for u in units if "unassigned" in u.code.casefold()]
    data = ReportData(bucketed, registry, [], small_config(tmp_path), AS_OF)
    view = view_of(data, "kabupaten", "Belitung")
    names = [r[1] for r in table(view, "village_table")["rows"]]
    assert "(belum terdaftar)" in names
    assert "unassigned" not in str(view["tables"])
    assert "(belum terdaftar)" not in [b["label"] for b in view["achievement"]["bars"]]


def test_inbox_folder_issue_belongs_to_the_shops_ambassador(result, registry, tmp_path):
    from sheetsync.issues import Issue, Severity

    stale = Issue(
        "stale_export",
        Severity.WARNING,
        "inbox/S5",
        None,
        None,
        None,
        "Belum ada file ekspor pesanan untuk Oktober 2026.",
    )
    data = ReportData(result, registry, [stale], small_config(tmp_path), AS_OF)
    assert any("inbox/S5" in item for item in view_of(data, "duta", "DD-003")["todo"])
    assert view_of(data, "duta", "DD-001")["todo"] == []
    assert view_of(data, "desa", "19.02.03.2001")["quality"]["issues_total"] == 1
    assert view_of(data, "desa", "19.02.03.2002")["quality"]["issues_total"] == 0


def test_marketplace_reads_as_its_brand(data):
    rows = table(view_of(data, "desa", "19.02.04.2001"), "shop_table")["rows"]
    assert {r[2] for r in rows} == {"Shopee"}
