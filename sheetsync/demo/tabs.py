"""The staff tabs as rows (Desa, Duta, Toko, Target, Penerima), with the mistakes staff really
make planted in them and recorded, so a test knows what validation must catch.

The Laporan Duta form responses have their own module (form.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sheetsync.contract import DESA, DUTA, LAPORAN_DUTA, PENERIMA, TARGET, TOKO
from sheetsync.demo import data
from sheetsync.demo.manifest import DemoMistake
from sheetsync.demo.people import DemoAmbassador, DemoShop, unique_people, village_names
from sheetsync.model import Marketplace
from sheetsync.months import month_bounds, month_label


@dataclass(slots=True)
class TabRows:
    """Rows of one staff tab plus the mistakes planted in them (rows as a person sees them)."""

    tab: str
    rows: list[list[object]] = field(default_factory=list)
    mistakes: list[DemoMistake] = field(default_factory=list)

    def plant(self, index: int, column: str, value: object, problem: str, expected: str) -> None:
        """Overwrite one cell of `rows[index]` with a mistake and record it."""
        headers = TAB_HEADERS[self.tab]
        self.rows[index][headers.index(column)] = value
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        self.mistakes.append(DemoMistake(self.tab, index + 2, column, text, problem, expected))


TAB_HEADERS = {
    spec.name: spec.headers for spec in (DESA, DUTA, TOKO, TARGET, LAPORAN_DUTA, PENERIMA)
}


def desa_rows() -> TabRows:
    return TabRows(DESA.name, [[code, name, kec] for code, name, kec in data.VILLAGES])


def duta_rows(ambassadors: Sequence[DemoAmbassador]) -> TabRows:
    tab = TabRows(DUTA.name)
    for a in ambassadors:
        active = "Ya" if a.active else "Tidak"
        tab.rows.append(
            [a.ambassador_id, a.person.name, a.village_code, a.phone, a.person.email, active]
        )
    tab.plant(
        6, "Email", ambassadors[6].person.email.replace("@", "."), "email without @", "warning"
    )
    tab.plant(
        11,
        "No HP",
        phone_without_zero(ambassadors[11].phone),
        "phone typed as a number: Excel dropped the leading 0 (read as 08…)",
        "accepted",
    )
    tab.plant(15, "Aktif", "ya", "lower-case Ya", "accepted")
    return tab


def phone_without_zero(phone: str) -> int:
    """What Excel keeps of 0812… typed into a General cell: the number 812…."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return int(digits.removeprefix("62").lstrip("0"))


def toko_rows(shops: Sequence[DemoShop], today: dt.date) -> TabRows:
    tab = TabRows(TOKO.name)
    marketplace_labels = {
        Marketplace.SHOPEE: "Shopee",
        Marketplace.TOKOPEDIA: "Tokopedia",
        Marketplace.TIKTOK: "TikTok Shop",
        Marketplace.LAZADA: "Lazada",
        Marketplace.BUKALAPAK: "Bukalapak",
    }
    for i, s in enumerate(shops):
        registered: object = s.registered_on
        if i % 9 == 4:
            registered = f"{s.registered_on:%d/%m/%Y}"  # typed as text, as the note says
        elif i % 23 == 7:
            registered = None
        tab.rows.append(
            [
                s.shop_id,
                marketplace_labels[s.marketplace],
                s.name,
                s.owner.name,
                s.village_code,
                s.ambassador_id,
                registered,
            ]
        )
    duplicate = shops[16]
    tab.rows.append(
        [
            duplicate.shop_id,
            "Shopee",
            "Madu Kelulut Pak Hamdan",
            "Hamdan Salim",
            duplicate.village_code,
            duplicate.ambassador_id,
            duplicate.registered_on,
        ]
    )
    tab.mistakes.append(
        DemoMistake(
            TOKO.name,
            len(tab.rows) + 1,
            "ID Toko",
            duplicate.shop_id,
            "the same ID Toko used for a second shop",
            "error",
        )
    )
    tab.plant(20, "ID Duta", "DD-099", "ID Duta that is not in the Duta tab", "error")
    tab.plant(33, "Kode Desa", "Aik Seruk", "village name (misspelt) instead of its code", "error")
    tab.plant(
        47, "Tanggal Daftar", today + dt.timedelta(days=45), "registered in the future", "warning"
    )
    return tab


def target_rows(
    rng: random.Random,
    ambassadors: Sequence[DemoAmbassador],
    months: Sequence[str],
    shops: Sequence[DemoShop] = (),
) -> TabRows:
    """Targets per village with an ambassador, except four villages nobody set targets for.

    Targets follow each village's real activity (its shops' usual orders) times a factor,
    so some villages reach their target, some come near and some stay behind, as in a
    real programme. `rng` is consumed exactly as before so the other tabs stay the same.
    """
    tab = TabRows(TARGET.name)
    codes = [a.village_code for a in ambassadors]
    without = set(codes[3::11])
    for month in months:
        month_end = month_bounds(month)[1].date()
        usual: defaultdict[str, float] = defaultdict(float)
        for shop in shops:
            if shop.registered_on < month_end:
                usual[shop.village_code] += shop.monthly_orders
        for code in codes:
            if code in without:
                continue
            for _ in range(4):  # the draws older demo versions made here
                rng.random()
            tab.rows.append([month, code, *_village_targets(code, month, usual[code])])
    tab.plant(2, "Bulan", month_label(months[0]), "month written as words", "accepted")
    return tab


def _village_targets(code: str, month: str, usual_orders: float) -> list[object]:
    local = random.Random(f"sheetsync-demo/targets/{code}/{month}")
    factor = local.choice((0.55, 0.7, 0.85, 0.95, 1.05, 1.2, 1.4))
    transactions = max(2, round(usual_orders * 0.75 * factor))
    sales = max(1, round(transactions * 140_000 * factor / 50_000)) * 50_000
    sales_cell: object = sales if local.random() < 0.85 else f"Rp {sales:,}".replace(",", ".")
    new_shops = local.choice(("", 1, 1, 2))
    products = local.choice((2, 3, 4, 6))
    return [new_shops, products, transactions, sales_cell]


def penerima_rows(rng: random.Random, ambassadors: Sequence[DemoAmbassador]) -> TabRows:
    """Bupati and Kominfo at regency level, the five camat, and a few kepala desa."""
    tab = TabRows(PENERIMA.name)
    for name, position, email in data.REGENCY_RECIPIENTS:
        tab.rows.append([name, position, email, "kabupaten", ""])
    camat = unique_people(rng, 5 + 4)
    for person, (kecamatan, code) in zip(camat, data.KECAMATAN.items(), strict=False):
        slug = kecamatan.lower().replace(" ", "")
        tab.rows.append(
            [person.name, f"Camat {kecamatan}", f"camat.{slug}@example.org", "kecamatan", code]
        )
    names = village_names()
    for person, a in zip(camat[5:], ambassadors[::11], strict=False):
        village = names[a.village_code]
        slug = village.lower().replace(" ", "")
        tab.rows.append(
            [
                person.name,
                f"Kepala Desa {village}",
                f"kades.{slug}@example.org",
                "desa",
                a.village_code,
            ]
        )
    return tab
