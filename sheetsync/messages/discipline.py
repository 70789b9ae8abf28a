"""KPI discipline messages: what ambassadors report against what the data shows.

A gap between an ambassador's own figure (Laporan Duta) and the registry or the listing
exports is a question to ask, not proof that either side is wrong; the sentence says
where each figure came from and what to check. The `who` and `observed_from` parts are
phrases of their own because the same sentence serves an ambassador and a village.
"""

from __future__ import annotations

from enum import StrEnum

from sheetsync.issues import Severity
from sheetsync.messages.spec import MessageSpec


class KpiCode(StrEnum):
    """Stable machine codes of KPI discipline problems (never renamed)."""

    TWO_SOURCE_GAP = "two_source_gap"


DISCIPLINE_TEXTS: dict[KpiCode, MessageSpec] = {
    KpiCode.TWO_SOURCE_GAP: MessageSpec(
        Severity.WARNING,
        "{who} {column} {reported} untuk {month}, tetapi {observed_from} menunjukkan "
        "{observed} (selisih {gap}). Periksa kembali laporan duta, atau lengkapi tab Toko / "
        "ekspor produk toko tersebut.",
        "{who} {column} {reported} for {month}, but according to {observed_from} it is "
        "{observed} (a gap of {gap}). Check the ambassador's report again, or complete tab "
        "Toko / the product exports of that shop.",
    ),
}

# (language, level): who reported the figure; fields name, key.
GAP_WHO = {
    ("id", "ambassador"): "Duta {name} ({key}) melaporkan",
    ("en", "ambassador"): "Ambassador {name} ({key}) reported",
    ("id", "village"): "Para duta Desa {name} melaporkan total",
    ("en", "village"): "The ambassadors of village {name} reported a total",
}
# (language, figure): where the observed figure comes from.
GAP_OBSERVED_FROM = {
    ("id", "new_shops"): "tab Toko (Tanggal Daftar)",
    ("en", "new_shops"): "tab Toko (Tanggal Daftar)",
    ("id", "products_uploaded"): "ekspor daftar produk marketplace",
    ("en", "products_uploaded"): "the marketplace product list exports",
}
