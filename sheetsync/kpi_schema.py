"""The shape of computed KPIs, shared by kpi.py (producer), report/, mail and pipeline.

Every level is a pandas DataFrame with one row per unit for the month, keyed by
`shop_id` / `ambassador_id` / `village_code` / `kecamatan` (and one row for the regency).
Columns named here are the contract; kpi.py may add more. Definitions: docs/kpi.md.
Money is whole rupiah; counts are ints; percentages are floats or None (never inf/NaN
where a person reads them: a rise from zero is reported as the text "baru").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

LEVEL_KEYS = {
    "shop": "shop_id",
    "ambassador": "ambassador_id",
    "village": "village_code",
    "kecamatan": "kecamatan",
    "regency": "regency",
}

# Order figures (issue 2): every level has them. "Transaksi" in reports = completed_orders.
ORDER_METRICS = (
    "orders",
    "completed_orders",
    "cancelled_orders",
    "returned_orders",
    "unpaid_orders",
    "in_progress_orders",
    "units_sold",
    "sales_idr",
)
# Shop figures: ambassador, village, kecamatan, regency levels.
SHOP_METRICS = ("shops_registered", "shops_new", "shops_active")  # + share_active (float|None)
# Product figures: from listing snapshots; products_reported = ambassadors' own figure.
PRODUCT_METRICS = ("products_live", "products_new", "products_reported")
# Targets (village, kecamatan, regency): target_<t>, achievement_<t>_pct, status_<t>
# with status in TARGET_STATUSES.
TARGET_FIGURES = {
    "new_shops": "shops_new",
    "products": "products_new",
    "transactions": "completed_orders",
    "sales_idr": "sales_idr",
}
TARGET_STATUSES = ("on_target", "near", "behind", "no_target")
# Trends for each metric m: prev_<m> (last month), mom_<m> (float pct | "baru" | None), ytd_<m>.

# The bucket key (at village, kecamatan and ambassador level) for figures the registry cannot
# place: a shop folder with no Toko row, a Kode Desa or ID Duta missing from Desa/Duta. The
# bucket row appears only when something falls in it; its `assigned` column is False.
UNASSIGNED = "unassigned"

# More columns kpi.py adds (definitions in docs/kpi.md):
# - every level: assigned (False for the UNASSIGNED bucket / a shop with no Toko row),
#   share_active (float pct | None), ytd_shops_active (distinct shops active this year);
# - ambassador and above: ambassadors_active, reports_filed, reports_on_time,
#   share_reports_filed, share_reports_on_time (float pct | None);
# - ambassador: report_filed, report_on_time (bool), report_submitted_at;
# - ambassador, village, kecamatan: score (Float64, composite 0–100), rank (Int64, 1 = best;
#   <NA> for the bucket);
# - shop: shop_name, marketplace, owner, registered_on, in_registry + the unit labels.
# target_<t> is Int64 (<NA> = no target); achievement_<t>_pct is float | None.

# Label columns carried for readers: shop_name, marketplace, owner_phone_masked,
# ambassador_name, village_name, kecamatan, village_code, ambassador_id.


@dataclass(frozen=True)
class KpiResult:
    """All KPI tables of one month, as computed from the ledger and the registry."""

    month: str
    shops: pd.DataFrame
    ambassadors: pd.DataFrame
    villages: pd.DataFrame
    kecamatan: pd.DataFrame
    regency: pd.DataFrame  # exactly one row
    # 12 months ending with `month`: columns month, level, key + ORDER_METRICS (+ products_live)
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    # best sellers: shop_id, village_code, product_name, units_sold, sales_idr (completed only)
    top_products: pd.DataFrame = field(default_factory=pd.DataFrame)
    # reporting discipline per ambassador: ambassador_id, active, filed, on_time, submitted_at
    discipline: pd.DataFrame = field(default_factory=pd.DataFrame)
    # two-source check rows: level, key, figure, reported, observed, gap
    # (+ name, flagged = |gap| > tolerance, report_row = Laporan Duta row for ambassadors)
    two_source: pd.DataFrame = field(default_factory=pd.DataFrame)

    def level(self, name: str) -> pd.DataFrame:
        return {
            "shop": self.shops,
            "ambassador": self.ambassadors,
            "village": self.villages,
            "kecamatan": self.kecamatan,
            "regency": self.regency,
        }[name]


# The words for a target status, wherever a person reads one (KPI tabs, reports, terminal).
STATUS_TEXT = {
    "id": {"on_target": "Tercapai", "near": "Hampir", "behind": "Belum tercapai",
           "no_target": "Tanpa target"},
    "en": {"on_target": "On target", "near": "Near", "behind": "Behind",
           "no_target": "No target"},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class KpiConfig:
    """The `[kpi]` settings: thresholds and choices the KPI rules take (config.py reads them)."""

    near_target_pct: float = 75.0  # >= this and < 100: "near"
    on_target_pct: float = 100.0
    report_due_day: int = 5  # Laporan Duta for month M is on time by this day of M+1
    two_source_tolerance: int = 2  # absolute gap between reported and observed before a warning
    ranking_metric: str = "composite"
