"""The whole inbox as a plan: which shops send exports, their orders and downloads, the
boundary and fresh orders worth testing, and the broken files (breakage.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sheetsync.demo.breakage import break_some_files, orphan_files
from sheetsync.demo.downloads import Download, FilePlan, planned_downloads, shop_file_plans
from sheetsync.demo.orders import Order, make_order, simulate_orders
from sheetsync.demo.people import DemoShop
from sheetsync.model import Marketplace
from sheetsync.months import month_bounds, month_of


def add_boundary_orders(
    rng: random.Random, shop: DemoShop, orders: list[Order], months: Sequence[str]
) -> None:
    """An order in the last minute of a month and one in the first minute of the next."""
    _, end = month_bounds(months[0])
    last_second = 59 if shop.marketplace is Marketplace.TOKOPEDIA else 0
    orders.append(make_order(rng, shop, end - dt.timedelta(seconds=60 - last_second), "completed"))
    orders.append(make_order(rng, shop, end, "completed"))


@dataclass(frozen=True, slots=True)
class InboxPlan:
    files: list[FilePlan]
    orphans: list[FilePlan]
    shops_without_exports: list[str]


def exporting_shops(shops: Sequence[DemoShop]) -> list[DemoShop]:
    """Shopee and Tokopedia shops, except a few whose ambassador has not downloaded anything."""
    kinds = (Marketplace.SHOPEE, Marketplace.TOKOPEDIA)
    return [s for i, s in enumerate(shops) if s.marketplace in kinds and i % 40 != 13]


def plan_inbox(
    rng: random.Random, shops: Sequence[DemoShop], months: Sequence[str], today: dt.date
) -> InboxPlan:
    all_months = [*months, month_of(today)]
    senders = exporting_shops(shops)
    early = [s for s in senders if s.registered_on < month_bounds(months[0])[0].date()]
    boundary = {s.shop_id for s in early if s.marketplace is Marketplace.SHOPEE}
    boundary = set(sorted(boundary)[:2])
    boundary.add(next(s.shop_id for s in early if s.marketplace is Marketplace.TOKOPEDIA))
    files: list[FilePlan] = []
    fresh_added = False
    for shop in senders:
        orders = simulate_orders(rng, shop, months, today)
        if shop.shop_id in boundary:
            add_boundary_orders(rng, shop, orders, months)
        downloads = planned_downloads(rng, months, today, shop.monthly_orders)
        partial = [d for d in downloads if d.first_day == today.replace(day=1)]
        if partial and not fresh_added and shop.marketplace is Marketplace.SHOPEE:
            add_fresh_orders(rng, shop, orders, partial[0])
            fresh_added = True
        files.extend(shop_file_plans(rng, shop, orders, downloads, all_months))
    files = break_some_files(rng, files, shops, months)
    with_files = {p.export.shop_id for p in files}
    return InboxPlan(
        files=files,
        orphans=orphan_files(rng, months, today),
        shops_without_exports=[s.shop_id for s in shops if s.shop_id not in with_files],
    )


def add_fresh_orders(
    rng: random.Random, shop: DemoShop, orders: list[Order], download: Download
) -> None:
    """Orders only hours old when downloaded: still unpaid, cancellation just requested."""
    for fate, age in (
        ("unpaid", dt.timedelta(hours=2, minutes=30)),
        ("cancelled", dt.timedelta(hours=8)),
    ):
        orders.append(replace(make_order(rng, shop, download.at - age, fate), speed=1.0))
