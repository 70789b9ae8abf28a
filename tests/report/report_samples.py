"""A small programme for report tests: 2 kecamatan, 4 villages, 3 ambassadors, 6 shops.

Figures for Oktober 2026 (the report month) and September are chosen so every rule shows:
    shop  village     amb     Okt tx / sales        Sep tx / sales
    S1    Air Seruk   DD-001  12 / 1.250.000        10 / 1.000.000
    S2    Air Seruk   DD-001   3 /   450.000         5 /   700.000
    S3    Sijuk       DD-002   8 / 2.000.000         8 / 1.800.000
    S4    Sijuk       DD-002   2 /   150.000         0 (new shop: "baru")
    S5    Membalong   DD-003   5 /   600.000         2 /   200.000
    S6    Lassar      DD-003   0 (no export at all)
Regency: 30 transactions (Sep 25: +20 %), Rp 4.450.000. Transaction targets: Air Seruk 15
(on target), Sijuk 12 (near, 83 %), Membalong 10 (behind, 50 %), Lassar none.
DD-003 filed no monthly report. Earlier months hold small, known figures for the trend.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from kpi_sample import FIGURES, sample_result

from sheetsync.config import Config, ProgramConfig, ReportsConfig, Signatory
from sheetsync.issues import Issue, Severity
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import (
    Ambassador,
    FormReport,
    Marketplace,
    Registry,
    Shop,
    Target,
    Village,
)
from sheetsync.months import months_back

MONTH = "2026-10"
AS_OF = dt.datetime(2026, 11, 1, 7, 0)
SHOP_IDS = ("S1", "S2", "S3", "S4", "S5", "S6")
OCTOBER = {  # shop: (orders, completed, cancelled, unpaid, units, sales, products_live)
    "S1": (14, 12, 1, 1, 20, 1_250_000, 9),
    "S2": (3, 3, 0, 0, 4, 450_000, 5),
    "S3": (9, 8, 1, 0, 10, 2_000_000, 4),
    "S4": (2, 2, 0, 0, 2, 150_000, 2),
    "S5": (6, 5, 0, 1, 7, 600_000, 3),
}
SEPTEMBER = {"S1": (10, 1_000_000), "S2": (5, 700_000), "S3": (8, 1_800_000), "S5": (2, 200_000)}
OWNER_PHONES = {"S1": "0812-3456-7890", "S2": "081298765432", "S3": "+6281311112222"}


def small_registry() -> Registry:
    villages = (
        Village("19.02.04.2001", "Air Seruk", "Sijuk"),
        Village("19.02.04.2002", "Sijuk", "Sijuk"),
        Village("19.02.03.2001", "Membalong", "Membalong"),
        Village("19.02.03.2002", "Lassar", "Membalong"),
    )
    ambassadors = (
        Ambassador("DD-001", "Siti Aminah", "19.02.04.2001", "081200000001", "siti@x.id", True),
        Ambassador("DD-002", "Budi Santoso", "19.02.04.2002", "081200000002", "budi@x.id", True),
        Ambassador("DD-003", "Rina Wati", "19.02.03.2001", "081200000003", "rina@x.id", True),
    )
    shops = (
        _shop("S1", "Keripik Bu Sri", "19.02.04.2001", "DD-001", dt.date(2026, 1, 10)),
        _shop("S2", "Batik Seruk", "19.02.04.2001", "DD-001", dt.date(2026, 2, 3)),
        _shop("S3", "Kopi Sijuk", "19.02.04.2002", "DD-002", dt.date(2026, 3, 1)),
        _shop("S4", "Madu Hutan", "19.02.04.2002", "DD-002", dt.date(2026, 10, 2)),
        _shop("S5", "Kerupuk Ikan", "19.02.03.2001", "DD-003", dt.date(2026, 4, 5)),
        _shop("S6", "Anyaman Lassar", "19.02.03.2002", "DD-003", dt.date(2026, 5, 6)),
    )
    targets = (
        Target(MONTH, "19.02.04.2001", 1, 5, 15, 1_500_000),
        Target(MONTH, "19.02.04.2002", 1, 5, 12, 3_000_000),
        Target(MONTH, "19.02.03.2001", None, None, 10, 500_000),
    )
    reports = (
        FormReport(dt.datetime(2026, 11, 2, 9), "DD-001", MONTH, 3, 40, 0, 12, "", 2),
        FormReport(dt.datetime(2026, 11, 3, 9), "DD-002", MONTH, 2, 25, 1, 6, "", 3),
    )
    return Registry(villages, ambassadors, shops, targets, reports)


def _shop(shop_id: str, name: str, village: str, amb: str, registered: dt.date) -> Shop:
    return Shop(shop_id, Marketplace.SHOPEE, name, "Pemilik " + name, village, amb, registered)


def shop_months() -> pd.DataFrame:
    """Twelve months ending in Oktober 2026: October/September as above, 1 tx per earlier
    month for S1 and S3 (Rp 100.000 each)."""
    months = months_back(MONTH, 12)
    cells = {(m, s): dict.fromkeys(FIGURES, 0) for m in months for s in SHOP_IDS}
    for month in months[:-2]:
        for shop in ("S1", "S3"):
            cells[month, shop].update(orders=1, completed_orders=1, units_sold=1, sales_idr=100_000)
    for shop, (orders, done, cancelled, unpaid, units, sales, live) in OCTOBER.items():
        cells[MONTH, shop].update(
            orders=orders,
            completed_orders=done,
            cancelled_orders=cancelled,
            unpaid_orders=unpaid,
            units_sold=units,
            sales_idr=sales,
            products_live=live,
            products_new=1,
        )
    for shop, (done, sales) in SEPTEMBER.items():
        cells["2026-09", shop].update(
            orders=done, completed_orders=done, units_sold=done, sales_idr=sales
        )
    cells["2026-09", "S4"]["products_live"] = 1  # listed before its first sale
    return pd.DataFrame([{"month": m, "shop_id": s, **v} for (m, s), v in cells.items()])


def top_products() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("S3", "19.02.04.2002", "Kopi Robusta Sijuk 200 g", 8, 2_000_000),
            ("S1", "19.02.04.2001", "Keripik Pisang 250 g", 15, 900_000),
            ("S5", "19.02.03.2001", "Kerupuk Ikan Tenggiri", 7, 600_000),
            ("S1", "19.02.04.2001", "Keripik Singkong Pedas", 5, 350_000),
        ],
        columns=["shop_id", "village_code", "product_name", "units_sold", "sales_idr"],
    )


def small_result() -> KpiResult:
    return sample_result(
        small_registry(), shop_months(), MONTH, owner_phones=OWNER_PHONES, products=top_products()
    )


def small_issues() -> list[Issue]:
    return [
        Issue(
            "bad_date",
            Severity.ERROR,
            "S3/Order.all.20261001_20261031.xlsx",
            7,
            "Waktu Pesanan Dibuat",
            "31/13/2026",
            "Tanggal tidak dapat dibaca; perbaiki ekspor atau unduh ulang.",
        ),
        Issue(
            "unknown_village",
            Severity.WARNING,
            "Toko",
            8,
            "Kode Desa",
            "19.02.03.2002",
            "Toko S6 belum punya ekspor; periksa ID Toko dan folder inbox.",
        ),
        Issue(
            "bad_email",
            Severity.ERROR,
            "Penerima",
            4,
            "Email",
            "camat@",
            "Email tidak valid; tulis alamat lengkap seperti nama@contoh.go.id.",
        ),
    ]


def small_config(tmp_path: Path, **reports: object) -> Config:
    return Config(
        program=ProgramConfig(
            name="Duta Digital Kabupaten Belitung", agency="Dinas Komunikasi dan Informatika"
        ),
        reports=ReportsConfig(
            out=tmp_path / "reports",
            signatures=(
                Signatory("Mengetahui, Kepala Dinas Kominfo", "Drs. H. Ahmad Yani", "NIP 1970"),
                Signatory("Dibuat oleh, Koordinator Program", "Dewi Lestari", "Koordinator"),
            ),
            **reports,  # type: ignore[arg-type]
        ),
    )
