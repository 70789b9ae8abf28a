"""When ambassadors download a shop's exports, and each download as a file plan: the rows
of a Shopee or Tokopedia export in its real layout, ready to write.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sheetsync.demo import exports
from sheetsync.demo.exports.specs import OrderLineSpec
from sheetsync.demo.manifest import INBOX_PATH, DemoExport
from sheetsync.demo.orders import Order, lines_at
from sheetsync.demo.people import DemoShop
from sheetsync.model import Marketplace
from sheetsync.months import month_bounds, month_of, next_month


@dataclass(frozen=True, slots=True)
class Download:
    first_day: dt.date
    last_day: dt.date
    at: dt.datetime


def planned_downloads(
    rng: random.Random, months: Sequence[str], today: dt.date, rate: float
) -> list[Download]:
    """When an ambassador downloads a shop's exports.

    For a small shop, once for the three months. Otherwise every full month a few days after
    it ends; sometimes also mid-month (the full-month file then repeats those orders with
    newer statuses) or across the last month end; for busy shops the current month so far.
    """
    if rate < 3:
        return [quarter_download(rng, months, today)]
    downloads = []
    for month in months:
        downloads.append(month_end_download(rng, month, today))
        if rng.random() < 0.12:
            downloads.append(mid_month_download(month))
    if rng.random() < 0.25:
        downloads.extend(cross_month_download(months[-1], today))
    if rate > 6 and today.day >= 2:
        downloads.append(current_month_download(today))
    return downloads


def download_time(rng: random.Random, after: dt.date, today: dt.date) -> dt.datetime:
    """Office hours 0–3 days after `after`, but always before `today`."""
    day = after + dt.timedelta(days=rng.randrange(0, 4))
    at = dt.datetime.combine(day, dt.time(rng.randrange(8, 18), rng.randrange(60)))
    return min(at, dt.datetime.combine(today - dt.timedelta(days=1), dt.time(20, 45)))


def month_end_download(rng: random.Random, month: str, today: dt.date) -> Download:
    start, end = (moment.date() for moment in month_bounds(month))
    return Download(start, end - dt.timedelta(days=1), download_time(rng, end, today))


def quarter_download(rng: random.Random, months: Sequence[str], today: dt.date) -> Download:
    start = month_bounds(months[0])[0].date()
    end = month_bounds(months[-1])[1].date()
    return Download(start, end - dt.timedelta(days=1), download_time(rng, end, today))


def mid_month_download(month: str) -> Download:
    start = month_bounds(month)[0].date()
    mid = start + dt.timedelta(days=14)
    return Download(start, mid, dt.datetime.combine(mid + dt.timedelta(days=1), dt.time(10, 5)))


def cross_month_download(month: str, today: dt.date) -> list[Download]:
    """The 15th of `month` to the 15th of the next, if that is over by `today`."""
    first = month_bounds(month)[0].date() + dt.timedelta(days=14)
    last = month_bounds(next_month(month))[0].date() + dt.timedelta(days=14)
    if last >= today - dt.timedelta(days=1):
        return []
    return [
        Download(first, last, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(11, 30)))
    ]


def current_month_download(today: dt.date) -> Download:
    evening = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(21, 0))
    return Download(today.replace(day=1), today - dt.timedelta(days=1), evening)


@dataclass(frozen=True, slots=True)
class FilePlan:
    """One export file, ready to write: its rows as the marketplace lays them out."""

    export: DemoExport
    rows: list[list[exports.Cell]]
    sheet: str
    sep: str = ","
    bom: bool = False
    money: str = "number"
    dates: str = "native"


SHOPEE_CSV_STYLES = (  # (separator, BOM, money) of files people re-saved from Excel
    (";", False, "dots"),
    (",", True, "dots"),
    (";", True, "rp"),
)


def shopee_plan(
    rng: random.Random,
    shop: DemoShop,
    download: Download,
    lines: Sequence[OrderLineSpec],
    layout: str,
) -> FilePlan:
    """A Shopee export as downloaded (text money "37.200"), or as a person re-saved it: CSV
    from Excel (BOM, ';', "Rp 37.200"), or XLSX from Excel (numbers and real date cells)."""
    style = rng.random()
    fmt, (sep, bom, money) = "xlsx", (",", False, "dots" if style < 0.93 else "number")
    if style < 0.15:
        fmt, (sep, bom, money) = "csv", SHOPEE_CSV_STYLES[int(style / 0.05)]
    dates = "excel" if money == "number" else "native"
    name = f"Order.all.{download.first_day:%Y%m%d}_{download.last_day:%Y%m%d}.{fmt}"
    rows = exports.shopee_rows(lines, layout=layout, money=money, dates=dates)
    export = DemoExport(
        shop.shop_id,
        shop.marketplace,
        INBOX_PATH / shop.shop_id / name,
        f"shopee-{layout}",
        fmt,
        (download.first_day, download.last_day),
        download.at,
        tuple(lines),
    )
    return FilePlan(export, rows, "orders", sep, bom, money, dates)


def tokopedia_plan(shop: DemoShop, download: Download, lines: Sequence[OrderLineSpec]) -> FilePlan:
    """A legacy Tokopedia sales report; its name and title rows state the chosen period."""
    first, last = download.first_day, download.last_day
    name = f"Laporan_Penjualan_{first:%Y%m%d}_{last:%Y%m%d}.xlsx"
    rows = exports.tokopedia_rows(lines, shop_name=shop.name)
    for row in rows[:4]:
        if row and str(row[0]).startswith("Periode"):
            row[0] = f"Periode: {first:%d-%m-%Y} - {last:%d-%m-%Y}"
    export = DemoExport(
        shop.shop_id,
        shop.marketplace,
        INBOX_PATH / shop.shop_id / name,
        "tokopedia",
        "xlsx",
        (download.first_day, download.last_day),
        download.at,
        tuple(lines),
    )
    return FilePlan(export, rows, "Laporan Penjualan")


def shop_file_plans(
    rng: random.Random,
    shop: DemoShop,
    orders: Sequence[Order],
    downloads: Sequence[Download],
    all_months: Sequence[str],
) -> list[FilePlan]:
    """Each download holds the orders created in its window, with their status at that time."""
    switch = rng.choice((0, 1, 2, 4, 4))  # from which month the shop's exports use Shopee 2026
    plans = []
    for download in downloads:
        held = sorted(
            (
                o
                for o in orders
                if download.first_day <= o.created_at.date() <= download.last_day
                and o.created_at <= download.at
            ),
            key=lambda o: o.created_at,
        )
        if not held:
            continue
        lines = [line for o in held for line in lines_at(o, shop.marketplace, download.at)]
        if shop.marketplace is Marketplace.TOKOPEDIA:
            plans.append(tokopedia_plan(shop, download, lines))
        else:
            month_index = all_months.index(month_of(download.first_day))
            layout = "2026" if month_index >= switch else "2025"
            plans.append(shopee_plan(rng, shop, download, lines, layout))
    return plans
