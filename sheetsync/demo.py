"""The embedded demo programme: Duta Digital Kabupaten Belitung, generated from a seed.

`write_demo` writes what a real programme folder holds after three months of work: the staff
workbook (`data/program.xlsx`: the 49 official villages, 42 ambassadors, about 150 shops,
targets, form responses, report recipients) with the mistakes staff really make, and an inbox
of Shopee and Tokopedia exports as ambassadors download them (overlapping downloads, re-saved
CSVs, both Shopee layouts, every status, a few broken rows). It does not write the config or
run the sync: `sheetsync demo` does that.

Everything is a function of `seed` and `today`, so the `DemoManifest` it returns (every row,
every mistake, every order line per file) lets a test compute the KPIs independently.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sheetsync import demo_data as data
from sheetsync.contract import DESA, DUTA, LAPORAN_DUTA, PENERIMA, TARGET, TOKO
from sheetsync.errors import SinkError
from sheetsync.kpi_schema import ORDER_METRICS
from sheetsync.model import Marketplace
from sheetsync.months import (
    month_bounds,
    month_label,
    month_of,
    months_back,
    next_month,
    previous_month,
)
from sheetsync.testing import exports
from sheetsync.testing.exports import OrderLineSpec
from sheetsync.workbook.template import create_staff_workbook, fill_staff_workbook
from sheetsync.workbook.xlsx import ensure_workbook_usable

WORKBOOK_PATH = Path("data/program.xlsx")
INBOX_PATH = Path("inbox")
RECORD_NAME = ".sheetsync-demo.json"  # which files the demo wrote, so a re-run replaces only them
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
AMBASSADOR_COUNT = 42
SHOP_COUNT = 150  # rows in the Toko tab, the duplicated ID included
ORPHAN_FOLDER = "kopi-aik-seruk-lama"


# ------------------------------------------------------------------------------------ manifest


@dataclass(frozen=True, slots=True)
class DemoMistake:
    """A deliberate mistake (or accepted variation) staff made, and what should catch it."""

    tab: str  # workbook tab, or "inbox"
    row: int | None  # sheet row as a person sees it (header = 1)
    column: str | None
    value: str
    problem: str  # what is wrong, for developers reading test failures
    expected: str  # "error" | "warning" | "accepted" (a variation validation must accept)


@dataclass(frozen=True, slots=True)
class BrokenRow:
    """An export row written broken on purpose; it must be rejected, never counted."""

    source_row: int  # spreadsheet row of the file as a person sees it
    problem: str  # "missing order number" | "unparseable date" | "negative quantity"
    line: OrderLineSpec


@dataclass(frozen=True, slots=True)
class DemoExport:
    """One export file in the inbox and the order lines it holds (broken rows apart)."""

    shop_id: str
    marketplace: Marketplace
    path: Path
    layout: str  # "shopee-2025" | "shopee-2026" | "tokopedia"
    fmt: str  # "xlsx" | "csv"
    period: tuple[dt.date, dt.date]  # creation (Tokopedia: payment) dates the file covers
    downloaded_at: dt.datetime  # also the file's modification time
    lines: tuple[OrderLineSpec, ...]
    broken: tuple[BrokenRow, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoManifest:
    """What `write_demo` wrote; enough to check every figure the sync computes."""

    root: Path
    workbook: Path
    inbox: Path
    today: dt.date
    months: tuple[str, ...]  # the three full months, oldest first
    current_month: str  # partly covered by a few downloads
    tables: Mapping[str, tuple[tuple[object, ...], ...]]  # rows written per staff tab
    mistakes: tuple[DemoMistake, ...]
    exports: tuple[DemoExport, ...]  # files in folders named after a shop of the Toko tab
    orphan_exports: tuple[DemoExport, ...]  # files in a folder no shop is registered for
    shops_without_exports: tuple[str, ...]
    files: tuple[Path, ...] = field(default=())  # every file written, relative to root
    # product-listing snapshots: (shop_id, path, snapshot day, product ids listed)
    listings: tuple[tuple[str, Path, dt.date, tuple[str, ...]], ...] = ()

    @property
    def orphan_folders(self) -> tuple[str, ...]:
        return tuple(sorted({e.shop_id for e in self.orphan_exports}))

    def exports_of(self, shop_id: str) -> list[DemoExport]:
        return [e for e in self.exports if e.shop_id == shop_id]

    def latest_lines(self) -> dict[tuple[str, str], tuple[OrderLineSpec, ...]]:
        """(shop, order) -> the order's lines in the newest file holding it.

        Newest = the latest period end, then the latest download, which is the KPI rule's
        order; statuses in the demo only move forward, so this is each order's final state.
        """
        newest: dict[tuple[str, str], tuple[tuple[dt.date, dt.datetime], list[OrderLineSpec]]]
        newest = {}
        for export in self.exports:
            rank = (export.period[1], export.downloaded_at)
            for order_id, lines in group_by_order(export.lines).items():
                key = (export.shop_id, order_id)
                if key not in newest or newest[key][0] <= rank:
                    newest[key] = (rank, lines)
        return {key: tuple(lines) for key, (_, lines) in newest.items()}


def group_by_order(lines: Sequence[OrderLineSpec]) -> dict[str, list[OrderLineSpec]]:
    grouped: dict[str, list[OrderLineSpec]] = {}
    for line in lines:
        grouped.setdefault(line.order_id, []).append(line)
    return grouped


# ------------------------------------------------------------------------------------ people


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


# ------------------------------------------------------------------------------------ shops


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


# ------------------------------------------------------------------------------------ the tabs


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


FORM_NOTES = (
    "",
    "Pelatihan foto produk di balai desa.",
    "Pendampingan pendaftaran toko baru.",
    "Sinyal internet lemah, kegiatan dipindah ke kantor desa.",
    "Workshop deskripsi produk bersama ibu-ibu PKK.",
    "",
)


def form_timestamp(moment: dt.datetime, us_locale: bool) -> str:
    """Google Forms timestamps as a sheet in Indonesian or US locale writes them."""
    if us_locale:
        return f"{moment.month}/{moment.day}/{moment.year} {moment:%H:%M:%S}"
    return f"{moment:%d/%m/%Y %H.%M.%S}"


def uploads_by_ambassador(
    shops: Sequence[DemoShop], months: Sequence[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """(ambassador, month) -> (shops registered, products first listed): what really happened,
    so the form figures ambassadors report are close to what the exports show."""
    truth: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for shop in shops:
        listed_before = 0
        for step, month in enumerate(months):
            start, end = month_bounds(month)
            if start.date() <= shop.registered_on < end.date():
                truth[(shop.ambassador_id, month)][0] += 1
            if (end - dt.timedelta(hours=3)).date() < shop.registered_on:
                continue
            size = len(shop.trade.products)
            live = max(1, -(-size * (step + 1) // len(months)))
            truth[(shop.ambassador_id, month)][1] += live - listed_before
            listed_before = live
    return {key: (value[0], value[1]) for key, value in truth.items()}


def laporan_rows(
    rng: random.Random,
    ambassadors: Sequence[DemoAmbassador],
    months: Sequence[str],
    today: dt.date,
    shops: Sequence[DemoShop] = (),
) -> tuple[TabRows, list[DemoMistake]]:
    """Form responses: most file on time, a few late, a few never, one twice, one too early.

    Nothing is filed after the demo's `today` (its programme day): a response that would
    come later has not been sent yet, so the only timestamps Validasi questions are the
    planted ones. Returns the tab and the reports that are missing (no row to point at),
    including those not sent by their due day.
    """
    truth = uploads_by_ambassador(shops, months)
    filings: list[tuple[dt.datetime, str, str, list[object]]] = []
    missing: list[DemoMistake] = []
    for m_index, month in enumerate(months):
        _, end = month_bounds(month)
        for a_index, a in enumerate(ambassadors):
            if not a.active or (a_index + m_index * 5) % 14 == 9:
                if a.active:
                    missing.append(
                        DemoMistake(
                            LAPORAN_DUTA.name,
                            None,
                            "ID Duta",
                            a.ambassador_id,
                            f"no report for {month}",
                            "warning",
                        )
                    )
                continue
            late = (a_index + m_index) % 13 == 4
            day = rng.randrange(6, 13) if late else rng.randrange(0, 4)
            moment = end + dt.timedelta(days=day, minutes=rng.randrange(7 * 60, 22 * 60))
            moment += dt.timedelta(seconds=rng.randrange(60))
            answers = report_row(rng, a.ambassador_id, month, truth.get((a.ambassador_id, month)))
            filings.append((moment, a.ambassador_id, month, answers))
    cutoff = dt.datetime.combine(today, dt.time())  # the demo's today: nothing filed after
    twice, again_after = ambassadors[1].ambassador_id, dt.timedelta(days=2, hours=3, seconds=17)
    twice_month, superseded = resubmitted_filing(filings, twice, months, cutoff - again_after)
    again = superseded + again_after
    filings.append(
        (
            again,
            twice,
            twice_month,
            report_row(rng, twice, twice_month, truth.get((twice, twice_month))),
        )
    )
    early_id, current = ambassadors[2].ambassador_id, month_of(today)
    early = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(16, 20, 5))
    filings.append((early, early_id, current, report_row(rng, early_id, current)))
    missing.extend(not_yet_filed(filings, cutoff, ambassadors, today))
    filings = sorted((f for f in filings if f[0] < cutoff), key=lambda filing: filing[0])
    tab = TabRows(LAPORAN_DUTA.name)
    for index, (moment, _, _, row) in enumerate(filings):
        tab.rows.append([form_timestamp(moment, us_locale=index % 7 == 3), *row])
        if moment == superseded:
            problem = "report filed again later for the same month (this one no longer counts)"
            tab.mistakes.append(
                DemoMistake(tab.tab, index + 2, "Bulan Laporan", str(row[1]), problem, "warning")
            )
        if moment == early:
            tab.mistakes.append(
                DemoMistake(
                    tab.tab,
                    index + 2,
                    "Bulan Laporan",
                    str(row[1]),
                    "report for a month not yet ended",
                    "warning",
                )
            )
    negative = next(i for i, f in enumerate(filings) if f[1] not in (twice, early_id))
    tab.plant(negative, "Jumlah Peserta", -12, "negative count", "error")
    return tab, missing


def resubmitted_filing(
    filings: Sequence[tuple[dt.datetime, str, str, list[object]]],
    ambassador_id: str,
    months: Sequence[str],
    latest: dt.datetime,
) -> tuple[str, dt.datetime]:
    """The month and time of the report `ambassador_id` files again: the newest month whose
    first filing leaves room for the second before `latest`."""
    for month in reversed(months):
        times = [f[0] for f in filings if f[1] == ambassador_id and f[2] == month]
        if times and max(times) < latest:
            return month, max(times)
    raise ValueError(f"no report of {ambassador_id} can be filed again before {latest}")


def not_yet_filed(
    filings: Sequence[tuple[dt.datetime, str, str, list[object]]],
    cutoff: dt.datetime,
    ambassadors: Sequence[DemoAmbassador],
    today: dt.date,
) -> list[DemoMistake]:
    """Reports that come after `cutoff` are not sent yet; past their due day they are missing."""
    active = {a.ambassador_id for a in ambassadors if a.active}
    return [
        DemoMistake(LAPORAN_DUTA.name, None, "ID Duta", who, f"no report for {month}", "warning")
        for moment, who, month, _ in filings
        if moment >= cutoff and who in active and today > report_due(month)
    ]


def report_due(month: str, due_day: int = 5) -> dt.date:
    """The last day a month's report is on time (config kpi.report_due_day, default 5)."""
    return month_bounds(month)[1].date().replace(day=due_day)


def report_row(
    rng: random.Random,
    ambassador_id: str,
    month: str,
    truth: tuple[int, int] | None = None,
) -> list[object]:
    """The answers of one form response (the Timestamp is put in front by the caller).

    With `truth` (shops registered, products listed) the reported figures are close to it:
    mostly exact, sometimes one off, now and then a clear over-report worth a follow-up.
    """
    label = month_label(month) if rng.random() < 0.8 else month
    activities, participants = rng.randrange(1, 7), rng.randrange(5, 61)
    shops_draw, products_draw = rng.randrange(0, 4), rng.randrange(0, 26)
    new_shops, products = shops_draw, products_draw % 7
    if truth is not None:
        new_shops = truth[0] + (1 if shops_draw == 3 else 0)
        products = max(0, truth[1] + (products_draw % 5 - 2 if products_draw % 4 == 0 else 0))
        products += 5 if products_draw == 25 else 0
    return [ambassador_id, label, activities, participants, new_shops, products,
            rng.choice(FORM_NOTES)]  # fmt: skip


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


# ------------------------------------------------------------------------------------ orders


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


# ------------------------------------------------------------------------------------ downloads


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


# ------------------------------------------------------------------------------------ files


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
BROKEN_DATE = "2026-09-31 25:61"


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


def add_boundary_orders(
    rng: random.Random, shop: DemoShop, orders: list[Order], months: Sequence[str]
) -> None:
    """An order in the last minute of a month and one in the first minute of the next."""
    _, end = month_bounds(months[0])
    last_second = 59 if shop.marketplace is Marketplace.TOKOPEDIA else 0
    orders.append(make_order(rng, shop, end - dt.timedelta(seconds=60 - last_second), "completed"))
    orders.append(make_order(rng, shop, end, "completed"))


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


# ------------------------------------------------------------------------------------ writing


def demo_months(today: dt.date) -> tuple[str, ...]:
    """The three calendar months ending with the month before `today`."""
    return tuple(months_back(previous_month(month_of(today)), 3))


def write_demo(target: Path, *, today: dt.date, seed: int = 2026) -> DemoManifest:
    """Write the demo workbook and inbox under `target`; the same seed and day give the same data.

    Safe to run again: files an earlier run wrote are replaced; any other file in the way
    stops the run (SinkError) before anything is written.
    """
    root = Path(target)
    previous = previous_demo_files(root)
    refuse_foreign_files(root, [WORKBOOK_PATH] if WORKBOOK_PATH not in previous else [])
    months = demo_months(today)
    people_rng = random.Random(f"sheetsync-demo/{seed}/people")
    ambassadors = make_ambassadors(people_rng)
    shops = make_shops(people_rng, ambassadors, months[0], today)
    laporan, missing_reports = laporan_rows(people_rng, ambassadors, months, today, shops)
    tabs = [
        desa_rows(),
        duta_rows(ambassadors),
        toko_rows(shops, today),
        target_rows(people_rng, ambassadors, months, shops),
        laporan,
        penerima_rows(people_rng, ambassadors),
    ]
    inbox = plan_inbox(random.Random(f"sheetsync-demo/{seed}/orders/{today}"), shops, months, today)
    plans = [*inbox.files, *inbox.orphans]
    listings = listing_plans(shops, months, today, {p.export.shop_id for p in inbox.files})
    files = (WORKBOOK_PATH, *(p.export.path for p in plans), *(lp.path for lp in listings))
    refuse_foreign_files(root, [f for f in files if f not in previous])
    remove_previous_demo(root, previous, keep=set(files) - {WORKBOOK_PATH})
    write_workbook(root / WORKBOOK_PATH, tabs)
    for plan in plans:
        write_export(root, plan)
    for listing in listings:
        write_listing(root, listing)
    record_demo_files(root, files)
    mistakes = [m for tab in tabs for m in tab.mistakes] + missing_reports
    mistakes.append(DemoMistake("inbox", None, None, ORPHAN_FOLDER, "folder of no shop", "warning"))
    return DemoManifest(
        root=root,
        workbook=root / WORKBOOK_PATH,
        inbox=root / INBOX_PATH,
        today=today,
        months=months,
        current_month=month_of(today),
        tables={tab.tab: tuple(tuple(row) for row in tab.rows) for tab in tabs},
        mistakes=tuple(mistakes),
        exports=tuple(absolute(root, p.export) for p in inbox.files),
        orphan_exports=tuple(absolute(root, p.export) for p in inbox.orphans),
        shops_without_exports=tuple(inbox.shops_without_exports),
        files=files,
        listings=tuple(
            (lp.shop_id, root / lp.path, lp.taken_at.date(), tuple(dict.fromkeys(lp.product_ids)))
            for lp in listings
        ),
    )


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


def write_listing(root: Path, plan: ListingPlan) -> None:
    if plan.marketplace is Marketplace.SHOPEE:
        rows = exports.shopee_mass_update_rows(plan.products)
    else:
        rows = exports.tiktok_products_rows(plan.products)
    path = root / plan.path
    data = exports.xlsx_bytes(rows)
    if not (path.is_file() and path.read_bytes() == data):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    stamp = plan.taken_at.replace(tzinfo=WIB).timestamp()
    os.utime(path, (stamp, stamp))


def absolute(root: Path, export: DemoExport) -> DemoExport:
    return replace(export, path=root / export.path)


def write_workbook(path: Path, tabs: Sequence[TabRows]) -> None:
    create_staff_workbook(path)
    fill_staff_workbook(path, {tab.tab: tab.rows for tab in tabs})


def write_export(root: Path, plan: FilePlan) -> None:
    """Write the file and date it to its download time, as a browser download would be.

    A file an earlier run wrote with the same content is kept byte for byte, so the ledger
    (which knows files by their sha256) sees nothing new when the demo is written again.
    """
    path = root / plan.export.path
    data = export_bytes(plan)
    if not (path.is_file() and same_content(path.read_bytes(), data)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    stamp = plan.export.downloaded_at.replace(tzinfo=WIB).timestamp()
    os.utime(path, (stamp, stamp))


def export_bytes(plan: FilePlan) -> bytes:
    if plan.export.fmt == "xlsx":
        return exports.xlsx_bytes(plan.rows, sheet=plan.sheet)
    return exports.csv_bytes(plan.rows, sep=plan.sep, bom=plan.bom)


def same_content(old: bytes, new: bytes) -> bool:
    """Equal bytes, or the same .xlsx apart from the creation time stamped into it."""
    if old == new:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
            names = [n for n in a.namelist() if n != "docProps/core.xml"]
            return names == [n for n in b.namelist() if n != "docProps/core.xml"] and all(
                a.read(n) == b.read(n) for n in names
            )
    except zipfile.BadZipFile:
        return False


def previous_demo_files(root: Path) -> set[Path]:
    """The files an earlier run recorded as its own."""
    record = root / RECORD_NAME
    if not record.is_file():
        return set()
    return {Path(f) for f in json.loads(record.read_text(encoding="utf-8")).get("files", [])}


def remove_previous_demo(root: Path, previous: set[Path], keep: set[Path]) -> None:
    """Delete what an earlier run wrote (but not what this run may keep), never anything else."""
    workbook = root / WORKBOOK_PATH
    if WORKBOOK_PATH in previous and workbook.exists():
        ensure_workbook_usable(workbook)  # not while it is open in Excel or LibreOffice
    for relative in previous - keep:
        path = root / relative
        if path.is_file() and root.resolve() in path.resolve().parents:
            path.unlink()
    for folder in sorted((root / INBOX_PATH).glob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def refuse_foreign_files(root: Path, paths: Sequence[Path]) -> None:
    in_the_way = [str(p) for p in paths if (root / p).exists()]
    if in_the_way:
        raise SinkError(
            f"{root} already holds files the demo did not write ({', '.join(in_the_way[:3])}"
            f"{' …' if len(in_the_way) > 3 else ''}); choose an empty folder for the demo."
        )


def record_demo_files(root: Path, files: Sequence[Path]) -> None:
    record = {"written_by": "sheetsync demo", "files": [str(f) for f in files]}
    (root / RECORD_NAME).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------------ checking


def registered_shop_villages(manifest: DemoManifest) -> dict[str, str]:
    """ID Toko -> Kode Desa of the Toko rows validation keeps (rows with an error are left out;
    of a duplicated ID the first row counts)."""
    toko = manifest.tables[TOKO.name]
    error_rows = {m.row for m in manifest.mistakes if m.tab == TOKO.name and m.expected == "error"}
    shop_at, village_at = TOKO.headers.index("ID Toko"), TOKO.headers.index("Kode Desa")
    villages: dict[str, str] = {}
    for index, row in enumerate(toko):
        if index + 2 not in error_rows:
            villages.setdefault(str(row[shop_at]), str(row[village_at]))
    return villages


def order_class(line: OrderLineSpec) -> str:
    """The KPI class of a Shopee/Tokopedia status, written out here apart from the readers."""
    if line.status == "Selesai":
        return "returned" if line.return_status == "Permintaan Disetujui" else "completed"
    if line.status == "Pesanan Selesai":
        return "completed"
    if line.status == "Batal" or line.status.startswith("Dibatalkan"):
        return "cancelled"
    return "unpaid" if line.status == "Belum Bayar" else "in_progress"


def village_figures(manifest: DemoManifest, month: str) -> dict[str, dict[str, int]]:
    """Per village, the month's order figures computed straight from the generated orders.

    Independent of the readers, the ledger and kpi.py, so a test can hold `sheetsync kpi
    --by village` against it: orders by creation month, each order once in its newest
    snapshot, sales = unit price after discount × quantity over completed orders.
    """
    villages = registered_shop_villages(manifest)
    figures: dict[str, dict[str, int]] = {}
    for (shop_id, _), lines in sorted(manifest.latest_lines().items()):
        if shop_id not in villages or month_of(lines[0].created_at) != month:
            continue
        row = figures.setdefault(villages[shop_id], dict.fromkeys(ORDER_METRICS, 0))
        kind = order_class(lines[0])
        row["orders"] += 1
        row[f"{kind}_orders"] += 1
        if kind == "completed":
            row["units_sold"] += sum(line.quantity for line in lines)
            row["sales_idr"] += sum(line.quantity * line.unit_price_idr for line in lines)
    return figures
