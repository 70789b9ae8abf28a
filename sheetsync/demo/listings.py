"""Product-listing snapshots (Shopee mass update, TikTok Shop product list) that shops download
at each month's end; they feed the products KPIs and change no order figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sheetsync.demo import exports
from sheetsync.demo.inbox import exporting_shops
from sheetsync.demo.manifest import INBOX_PATH
from sheetsync.demo.people import DemoShop
from sheetsync.model import Marketplace
from sheetsync.months import month_bounds


@dataclass(frozen=True, slots=True)
class ListingPlan:
    """One product-listing export a shop downloaded at a month's end."""

    shop_id: str
    path: Path  # relative to the demo root
    taken_at: dt.datetime
    marketplace: Marketplace
    products: tuple[exports.ProductSpec, ...]

    @property
    def product_ids(self) -> list[str]:
        return [p.product_id for p in self.products]


def listing_plans(
    shops: Sequence[DemoShop], months: Sequence[str], today: dt.date, with_orders: set[str]
) -> list[ListingPlan]:
    """Month-end listing snapshots for two shops in three; the catalogue grows each month.

    Shopee shops download the mass-update export, Tokopedia shops the TikTok Shop product
    list (Tokopedia's seller centre is TikTok's now). Separate from the order data, so
    adding listings changes no order figure.
    """
    plans = []
    for index, shop in enumerate(exporting_shops(shops)):
        if index % 3 == 2 or shop.shop_id not in with_orders:
            continue
        for step, month in enumerate(months):
            taken = month_bounds(month)[1] - dt.timedelta(hours=3)
            if taken.date() >= today or taken.date() < shop.registered_on:
                continue
            plans.append(listing_plan(shop, taken, step, len(months)))
    return plans


def listing_plan(shop: DemoShop, taken: dt.datetime, step: int, steps: int) -> ListingPlan:
    catalogue = shop.trade.products
    live = catalogue[: max(1, -(-len(catalogue) * (step + 1) // steps))]
    number = int(shop.shop_id.split("-")[-1])
    stamp = taken.strftime("%Y%m%d%H%M%S")
    specs = []
    for p_index, product in enumerate(live):
        for v_index, variation in enumerate(product.variations or ("",)):
            if shop.marketplace is Marketplace.SHOPEE:
                product_id = f"2{number:04d}{p_index:05d}"
            else:
                product_id = f"17{number:06d}{p_index:011d}"
            specs.append(
                exports.ProductSpec(
                    product_id=product_id,
                    product_name=product.name,
                    variation_id=f"{product_id}{v_index:02d}",
                    variation=variation,
                    parent_sku=f"{shop.shop_id.replace('-', '')}{p_index:02d}",
                    sku=f"{shop.shop_id.replace('-', '')}{p_index:02d}-{v_index}",
                    price_idr=product.price_idr,
                    stock=10 + 5 * v_index,
                )
            )
    if shop.marketplace is Marketplace.SHOPEE:
        name = f"mass_update_sales_info_{number}_{stamp}.xlsx"
    else:
        name = f"Products Card List_{stamp}.xlsx"
    path = INBOX_PATH / shop.shop_id / name
    return ListingPlan(shop.shop_id, path, taken, shop.marketplace, tuple(specs))
