"""The demo's orders: each shop's orders simulated over the demo months, and an order's item
lines as an export downloaded at a given moment shows them (its status follows its age).
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from sheetsync.demo import data
from sheetsync.demo.exports.specs import OrderLineSpec
from sheetsync.demo.people import DemoShop, Person
from sheetsync.model import Marketplace
from sheetsync.months import month_bounds, month_of


@dataclass(frozen=True, slots=True)
class Item:
    product: data.Product
    variation: str
    quantity: int
    unit_price_idr: int
    sku: str


@dataclass(frozen=True, slots=True)
class Order:
    """One order's whole life: its status at any moment follows from its age and fate."""

    order_id: str
    created_at: dt.datetime
    fate: str  # "completed" | "cancelled" | "returned" | "unpaid"
    items: tuple[Item, ...]
    speed: float  # how fast this order moves through the statuses (1 = typical)
    buyer: Person


FATES = (("completed", 0.80), ("cancelled", 0.09), ("returned", 0.04), ("unpaid", 0.07))
SHOPEE_ID_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
STREETS = ("Jl. Sriwijaya", "Jl. Melati", "Jl. Depati Gegedek", "Jl. Pattimura", "Jl. Air Raya")
CITIES = ("Tanjung Pandan", "Jakarta Selatan", "Palembang", "Pangkalpinang", "Bandung", "Medan")


def random_moment(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A time in [start, end) with the daily rhythm of online shopping (few orders at night)."""
    days = max(1, (end - start).days)
    day = start + dt.timedelta(days=rng.randrange(days))
    hour = rng.choices(
        range(24),
        weights=[1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 8, 9, 8, 7, 7, 7, 8, 9, 10, 11, 10, 7, 3],
    )[0]
    return day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))


def order_id_for(rng: random.Random, marketplace: Marketplace, created: dt.datetime) -> str:
    if marketplace is Marketplace.TOKOPEDIA:
        return f"INV/{created:%Y%m%d}/MPL/{rng.randrange(10**9, 10**10)}"
    return f"{created:%y%m%d}" + "".join(rng.choice(SHOPEE_ID_CHARS) for _ in range(8))


def pick_items(rng: random.Random, shop: DemoShop) -> tuple[Item, ...]:
    """1–3 distinct product/variation lines; the same product may come in two variations."""
    count = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
    choices = [
        (p_index, p, v_index, variation)
        for p_index, p in enumerate(shop.trade.products)
        for v_index, variation in enumerate(p.variations or ("",))
    ]
    items = []
    for p_index, product, v_index, variation in rng.sample(choices, min(count, len(choices))):
        quantity = rng.choices((1, 2, 3, 5), weights=(65, 25, 7, 3))[0]
        discount = rng.choice((0, 0, 0, 5, 10))
        unit = product.price_idr * (100 - discount) // 100 // 500 * 500
        sku = f"{shop.shop_id.replace('-', '')}{p_index:02d}-{v_index}"
        items.append(Item(product, variation, quantity, unit, sku))
    return tuple(items)


def buyer(rng: random.Random) -> Person:
    return Person(rng.choice(data.FIRST_NAMES), rng.choice(data.FAMILY_NAMES))


def make_order(
    rng: random.Random, shop: DemoShop, created: dt.datetime, fate: str | None = None
) -> Order:
    if fate is None:
        fate = rng.choices([f for f, _ in FATES], weights=[w for _, w in FATES])[0]
    if shop.marketplace is Marketplace.TOKOPEDIA and fate == "unpaid":
        fate = "completed"  # Tokopedia lists an invoice only once it is paid
    return Order(
        order_id=order_id_for(rng, shop.marketplace, created),
        created_at=created,
        fate=fate,
        items=pick_items(rng, shop),
        speed=rng.uniform(0.7, 1.6),
        buyer=buyer(rng),
    )


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; the means here are small."""
    limit, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def simulate_orders(
    rng: random.Random, shop: DemoShop, months: Sequence[str], today: dt.date
) -> list[Order]:
    """The shop's orders from its registration (or the first month) up to yesterday."""
    orders = []
    today_start = dt.datetime.combine(today, dt.time())
    registered = dt.datetime.combine(shop.registered_on, dt.time())
    for month in [*months, month_of(today)]:
        start, end = month_bounds(month)
        start, end = max(start, registered), min(end, today_start)
        if end <= start:
            continue
        share = (end - start) / (month_bounds(month)[1] - month_bounds(month)[0])
        for _ in range(poisson(rng, shop.monthly_orders * share)):
            orders.append(make_order(rng, shop, random_moment(rng, start, end)))
    return orders


def shopee_status(order: Order, moment: dt.datetime) -> tuple[str, str, str]:
    """(status, return status, cancel reason) of a Shopee order at `moment`."""
    hours = (moment - order.created_at).total_seconds() / 3600 / order.speed
    if order.fate == "unpaid":
        if hours < 24:
            return "Belum Bayar", "", ""
        return "Batal", "", "Dibatalkan otomatis oleh sistem. Pembeli tidak melakukan pembayaran"
    if order.fate == "cancelled":
        if hours < 12:
            return ("Perlu Dikirim" if hours < 6 else "Pembatalan diajukan"), "", ""
        return "Batal", "", "Perlu mengubah pesanan"
    for limit, status in ((24, "Perlu Dikirim"), (72, "Sedang Dikirim"), (120, "Telah Dikirim")):
        if hours < limit:
            return status, "", ""
    if order.fate == "returned":
        return "Selesai", ("Pengembalian Diproses" if hours < 216 else "Permintaan Disetujui"), ""
    return "Selesai", "", ""


TOKOPEDIA_CANCELS = (
    ("Dibatalkan Pembeli", "Ingin mengubah pesanan"),
    ("Dibatalkan Penjual", "Stok habis"),
    ("Dibatalkan Sistem", "Penjual tidak merespons"),
)


def tokopedia_status(order: Order, moment: dt.datetime) -> tuple[str, str, str]:
    """(status, '', cancel reason) of a Tokopedia invoice at `moment` (no return statuses)."""
    hours = (moment - order.created_at).total_seconds() / 3600 / order.speed
    if order.fate == "cancelled" and hours >= 12:
        status, reason = TOKOPEDIA_CANCELS[sum(map(ord, order.order_id)) % 3]
        return status, "", reason
    steps = (
        (24, "Pesanan Diproses"),
        (48, "Menunggu Pickup"),
        (96, "Pesanan Dikirim"),
        (144, "Pesanan Tiba"),
    )
    for limit, status in steps:
        if hours < limit or order.fate == "cancelled":
            return status, "", ""
    return "Pesanan Selesai", "", ""


def lines_at(order: Order, marketplace: Marketplace, moment: dt.datetime) -> list[OrderLineSpec]:
    """The order's item lines as an export downloaded at `moment` shows them."""
    status_of = tokopedia_status if marketplace is Marketplace.TOKOPEDIA else shopee_status
    status, return_status, reason = status_of(order, moment)
    done = status in ("Selesai", "Pesanan Selesai")
    completed_at = order.created_at + dt.timedelta(hours=120 * order.speed) if done else None
    b = order.buyer
    return [
        OrderLineSpec(
            order_id=order.order_id,
            status=status,
            created_at=order.created_at,
            product_name=item.product.name,
            quantity=item.quantity,
            unit_price_idr=item.unit_price_idr,
            original_price_idr=item.product.price_idr,
            variation=item.variation,
            sku=item.sku,
            return_status=return_status,
            buyer_name=b.name,
            buyer_username=f"{b.first.lower()}{len(order.order_id) * 7 % 100:02d}",
            buyer_phone=f"628{zlib.crc32(order.order_id.encode()) % 10**10:010d}",
            buyer_address=f"{STREETS[item.quantity % len(STREETS)]} No. {item.quantity + 2}, "
            f"{CITIES[len(b.family) % len(CITIES)]}",
            completed_at=completed_at,
            cancel_reason=reason,
        )
        for item in order.items
    ]
