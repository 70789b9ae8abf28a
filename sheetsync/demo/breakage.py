"""The mistakes planted in the inbox: broken rows a reader must reject (no order number, a bad
date, a negative quantity) and a folder named after no registered shop.

Each is recorded in the manifest, so tests can check it is rejected or reported, never counted.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace

from sheetsync.demo import data, exports
from sheetsync.demo.downloads import Download, FilePlan, shop_file_plans
from sheetsync.demo.exports.specs import OrderLineSpec
from sheetsync.demo.manifest import BrokenRow
from sheetsync.demo.orders import order_id_for, random_moment, simulate_orders
from sheetsync.demo.people import DemoShop, Person
from sheetsync.model import Marketplace
from sheetsync.months import month_bounds

ORPHAN_FOLDER = "kopi-aik-seruk-lama"
BROKEN_DATE = "2026-09-31 25:61"


def break_rows(rng: random.Random, plan: FilePlan, shop: DemoShop) -> FilePlan:
    """Add three rows a reader must reject: no order number, a bad date, a negative quantity."""
    start = dt.datetime.combine(plan.export.period[0], dt.time())
    moments = sorted(random_moment(rng, start, start + dt.timedelta(days=10)) for _ in range(3))
    product = shop.trade.products[0]
    specs = {
        "missing order number": OrderLineSpec(
            "BROKEN-NO-ID", "Selesai", moments[0], product.name, 1, product.price_idr
        ),
        "unparseable date": OrderLineSpec(
            order_id_for(rng, shop.marketplace, moments[1]),
            "Selesai",
            moments[1],
            product.name,
            1,
            product.price_idr,
        ),
        "negative quantity": OrderLineSpec(
            order_id_for(rng, shop.marketplace, moments[2]),
            "Selesai",
            moments[2],
            product.name,
            -1,
            product.price_idr,
        ),
    }
    layout = plan.export.layout.removeprefix("shopee-")
    rows = exports.shopee_rows(
        [*plan.export.lines, *specs.values()], layout=layout, money=plan.money, dates=plan.dates
    )
    header = rows[0]
    broken = []
    for problem, spec in specs.items():
        index = next(i for i, row in enumerate(rows) if row[0] == spec.order_id)
        if problem == "missing order number":
            rows[index][0] = ""
        if problem == "unparseable date":
            rows[index][header.index("Waktu Pesanan Dibuat")] = BROKEN_DATE
        broken.append(BrokenRow(index + 1, problem, spec))
    return replace(plan, rows=rows, export=replace(plan.export, broken=tuple(broken)))


def break_some_files(
    rng: random.Random, files: list[FilePlan], shops: Sequence[DemoShop], months: Sequence[str]
) -> list[FilePlan]:
    """Broken rows go into three Shopee XLSX month files of the middle month."""
    by_id = {s.shop_id: s for s in shops}
    middle = month_bounds(months[1])[0].date()
    candidates = [
        i
        for i, p in enumerate(files)
        if p.export.layout.startswith("shopee")
        and p.export.fmt == "xlsx"
        and p.export.period[0] == middle
        and p.export.period[1].month == middle.month
        and p.export.period[1].day > 20
    ][:3]
    for i in candidates:
        files[i] = break_rows(rng, files[i], by_id[files[i].export.shop_id])
    return files


def orphan_files(rng: random.Random, months: Sequence[str], today: dt.date) -> list[FilePlan]:
    """An inbox folder named after a shop that is not (or no longer) in the Toko tab."""
    ghost = DemoShop(
        ORPHAN_FOLDER,
        Marketplace.SHOPEE,
        "Kopi Aik Seruk Lama",
        Person("Yanti", "Lim"),
        "19.02.04.2004",
        "DD-001",
        dt.date(2025, 1, 1),
        data.TRADES[0],
        6.0,
    )
    orders = simulate_orders(rng, ghost, months[1:2], today)
    start, end = (m.date() for m in month_bounds(months[1]))
    download = Download(start, end - dt.timedelta(days=1), dt.datetime.combine(end, dt.time(9)))
    return shop_file_plans(rng, ghost, orders, [download], [months[1]])
