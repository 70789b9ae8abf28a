"""The demo programme's people and shops: ambassadors with their villages, and the shops
they registered (owner, village, trade, how busy), all drawn from the seed.

The staff tabs (tabs.py, form.py) and the orders (orders.py) are written from these.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sheetsync.demo import data
from sheetsync.model import Marketplace
from sheetsync.months import month_bounds

AMBASSADOR_COUNT = 42
SHOP_COUNT = 150  # rows in the Toko tab, the duplicated ID included


@dataclass(frozen=True, slots=True)
class Person:
    first: str
    family: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.family}"

    @property
    def email(self) -> str:
        return f"{self.first}.{self.family}@example.com".lower().replace(" ", "")


@dataclass(frozen=True, slots=True)
class DemoAmbassador:
    ambassador_id: str
    person: Person
    village_code: str
    phone: str
    active: bool


@dataclass(frozen=True, slots=True)
class DemoShop:
    shop_id: str
    marketplace: Marketplace
    name: str
    owner: Person
    village_code: str
    ambassador_id: str
    registered_on: dt.date
    trade: data.Trade
    monthly_orders: float  # average orders per month


def unique_people(rng: random.Random, count: int) -> list[Person]:
    pairs = [(f, s) for f in data.FIRST_NAMES for s in data.FAMILY_NAMES if f != s]
    return [Person(f, s) for f, s in rng.sample(pairs, count)]


def phone_number(rng: random.Random) -> str:
    """Indonesian mobile numbers as people write them: 0812…, +62 812…, 0812-3456-7890."""
    prefix = rng.choice(("812", "813", "821", "822", "852", "853", "877", "878", "895"))
    rest = f"{rng.randrange(10**7, 10**8)}"
    style = rng.random()
    if style < 0.6:
        return f"0{prefix}{rest}"
    if style < 0.8:
        return f"+62{prefix}{rest}"
    return f"0{prefix}-{rest[:4]}-{rest[4:]}"


def village_codes_with_ambassadors(rng: random.Random) -> list[str]:
    """One ambassador per desa mostly: two desa have none, two kelurahan have one."""
    desa = [code for code, _, _ in data.VILLAGES if code.split(".")[3].startswith("2")]
    kelurahan = [code for code, _, _ in data.VILLAGES if code.split(".")[3].startswith("1")]
    without = set(rng.sample(desa, 2))
    return [c for c in desa if c not in without] + kelurahan[:2]


def make_ambassadors(rng: random.Random) -> list[DemoAmbassador]:
    codes = village_codes_with_ambassadors(rng)
    people = unique_people(rng, AMBASSADOR_COUNT)
    inactive = set(rng.sample(range(AMBASSADOR_COUNT), 3))
    return [
        DemoAmbassador(f"DD-{i + 1:03d}", person, code, phone_number(rng), i not in inactive)
        for i, (person, code) in enumerate(zip(people, codes, strict=True))
    ]


def village_names() -> dict[str, str]:
    return {code: name for code, name, _ in data.VILLAGES}


def local_name(village: str) -> str:
    """Belitung Malay says 'Aik' for 'Air' (Aik Seruk = Air Seruk)."""
    return village.replace("Air ", "Aik ")


def shop_name(rng: random.Random, trade: data.Trade, owner: Person, village: str) -> str:
    stem = rng.choice(trade.stems)
    if rng.random() < 0.5:
        return f"{stem} {rng.choice(data.HONORIFICS)} {owner.first}"
    return f"{stem} {local_name(village)}"


def marketplace_for(index: int, rng: random.Random) -> Marketplace:
    """Shopee and Tokopedia mostly; a few TikTok Shop and Lazada shops (no exports yet)."""
    if index % 37 == 5:
        return Marketplace.TIKTOK
    if index % 71 == 11:
        return Marketplace.LAZADA
    return Marketplace.SHOPEE if rng.random() < 0.66 else Marketplace.TOKOPEDIA


def registration_date(rng: random.Random, first_month: str, today: dt.date) -> dt.date:
    """Most shops joined before the demo months; some joined during them (new shops)."""
    start, _ = month_bounds(first_month)
    if rng.random() < 0.75:
        return start.date() - dt.timedelta(days=rng.randrange(20, 400))
    return start.date() + dt.timedelta(days=rng.randrange(0, (today - start.date()).days - 7))


def monthly_order_rate(rng: random.Random) -> float:
    size = rng.random()
    if size < 0.45:
        return rng.uniform(1.0, 3)
    if size < 0.85:
        return rng.uniform(3, 9)
    return rng.uniform(9, 22)


def make_shops(
    rng: random.Random, ambassadors: Sequence[DemoAmbassador], first_month: str, today: dt.date
) -> list[DemoShop]:
    names = village_names()
    by_village = {a.village_code: a for a in ambassadors}
    owners = unique_people(rng, SHOP_COUNT)
    taken: set[str] = set()
    shops = []
    for i in range(SHOP_COUNT - 1):  # the last row of the tab is the duplicated ID
        ambassador = rng.choice(ambassadors)
        village = ambassador.village_code if rng.random() < 0.85 else rng.choice(list(names))
        ambassador = by_village.get(village, ambassador)
        trade = rng.choice(data.TRADES)
        name = shop_name(rng, trade, owners[i], names[village])
        while name.casefold() in taken:
            name = shop_name(rng, trade, owners[i], names[village])
        taken.add(name.casefold())
        shops.append(
            DemoShop(
                shop_id=f"TK-{i + 1:03d}",
                marketplace=marketplace_for(i, rng),
                name=name,
                owner=owners[i],
                village_code=village,
                ambassador_id=ambassador.ambassador_id,
                registered_on=registration_date(rng, first_month, today),
                trade=trade,
                monthly_orders=monthly_order_rate(rng),
            )
        )
    return shops
