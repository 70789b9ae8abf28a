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
    two_source: pd.DataFrame = field(default_factory=pd.DataFrame)

    def level(self, name: str) -> pd.DataFrame:
        return {
            "shop": self.shops,
            "ambassador": self.ambassadors,
            "village": self.villages,
            "kecamatan": self.kecamatan,
            "regency": self.regency,
        }[name]
