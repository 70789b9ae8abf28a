"""One shop's whole download history, written in every real layout, and what the readers
make of it: the archive-style check of issue 13.

`write_archive(folder)` writes Shopee 2019-2026 (old .xls with continuation rows, then the
2021, 2025 and 2026 layouts), Tokopedia 2018-2023 (the older English export with title and
continuation rows, then "Laporan Penjualan"), Tokopedia through the shared TikTok Seller
Center and TikTok Shop 2024-2026, Lazada 2022-2024 and Bukalapak 2018-2023 (25 and 26
columns): one file per period, each period with its own orders, some of them empty months.
`check_archive(files)` reads every file with `read_export` and counts, per marketplace,
files read / files with data, lines expected and read, and lines lost to missing order ids
(the goal is 0). Used by tests/marketplaces/test_archive_check.py and bench/bench_archive.py
(through bench/tests_path.py); not part of the product.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sheetsync.demo import exports as ex
from sheetsync.marketplaces import read_export
from sheetsync.messages import IngestCode

Writer = Callable[[Path, Sequence[ex.OrderLineSpec]], Path]


@dataclass(frozen=True)
class Family:
    """One export family over the years it was downloaded in this form."""

    marketplace: str
    first: int
    last: int
    suffix: str
    statuses: tuple[str, ...]
    write: Writer
    id_of: Callable[[dt.datetime, int], str]
    row_per_unit: bool = False  # Lazada: one row per order item, so per unit


@dataclass(frozen=True)
class ArchiveFile:
    path: Path
    marketplace: str
    expected_lines: int


@dataclass
class Tally:
    """What the readers made of one marketplace's files."""

    files: int = 0
    files_with_data: int = 0
    files_rejected: int = 0
    expected_lines: int = 0
    lines: int = 0
    lost_to_missing_ids: int = 0
    other_rejected_rows: int = 0
    layouts: set[str] = field(default_factory=set)


SHOPEE_STATUSES = ("Selesai", "Selesai", "Batal", "Sedang Dikirim", "Perlu Dikirim")
SHOPEE_2025 = (*SHOPEE_STATUSES, "Pesanan diterima, namun Pembeli masih dapat mengajukan "
               "pengembalian hingga 2025-12-06.")  # fmt: skip
TOKOPEDIA_EN = ("Transaksi selesai..\nDana akan diteruskan ke penjual.", "Transaksi dibatalkan.",
                "Pemesanan sedang diproses oleh penjual.")  # fmt: skip
TOKOPEDIA_ID = ("Pesanan Selesai", "Pesanan Selesai", "Dibatalkan Pembeli", "Menunggu Pick Up",
                "Pesanan Dikomplain")  # fmt: skip
TIKTOK = ("Selesai", "Selesai", "Dibatalkan", "Dikirim", "Perlu dikirim")
LAZADA = ("delivered", "confirmed", "canceled", "shipped", "returned")
BUKALAPAK = ("Diterima & Selesai", "Diterima & Selesai", "Dikembalikan", "Dibatalkan", "Dikirim")


def _shopee_id(day: dt.datetime, n: int) -> str:
    return f"{day:%y%m%d}{n:08X}"


def _tokopedia_id(day: dt.datetime, n: int) -> str:
    return f"INV/{day:%Y%m%d}/MPL/{n:08d}"


def _digits(day: dt.datetime, n: int) -> str:
    return f"57{day:%y%m%d}{n:011d}"


def _shopee(layout: str, fmt: str, continuation: bool = False) -> Writer:
    return lambda p, lines: ex.write_shopee_orders(
        p, lines, layout=layout, fmt=fmt, continuation=continuation
    )


FAMILIES: tuple[Family, ...] = (
    Family("shopee", 2019, 2020, "xls", SHOPEE_STATUSES,
           _shopee("2019", "xls", continuation=True), _shopee_id),
    Family("shopee", 2021, 2022, "xlsx", SHOPEE_STATUSES, _shopee("2021", "xlsx"), _shopee_id),
    Family("shopee", 2023, 2025, "xlsx", SHOPEE_2025, _shopee("2025", "xlsx"), _shopee_id),
    Family("shopee", 2026, 2026, "xlsx", SHOPEE_2025, _shopee("2026", "xlsx"), _shopee_id),
    Family("tokopedia", 2018, 2020, "xlsx", TOKOPEDIA_EN,
           lambda p, lines: ex.write_tokopedia_en_orders(p, lines), _tokopedia_id),
    Family("tokopedia", 2021, 2023, "xlsx", TOKOPEDIA_ID,
           lambda p, lines: ex.write_tokopedia_orders(p, lines), _tokopedia_id),
    Family("tiktok", 2024, 2026, "csv", TIKTOK,
           lambda p, lines: ex.write_tiktok_orders(p, lines, fmt="csv"), _digits),
    Family("lazada", 2022, 2024, "xlsx", LAZADA,
           lambda p, lines: ex.write_lazada_orders(p, lines), _digits, row_per_unit=True),
    Family("bukalapak", 2018, 2020, "xlsx", BUKALAPAK,
           lambda p, lines: ex.write_bukalapak_orders(p, lines, layout="25"), _digits),
    Family("bukalapak", 2021, 2023, "xlsx", BUKALAPAK,
           lambda p, lines: ex.write_bukalapak_orders(p, lines, layout="26"), _digits),
)  # fmt: skip
PRODUCTS = (("Kopi Robusta", 37200), ("Gula Aren", 18000), ("Teh Melati", 9500),
            ("Madu Kelulut", 85000), ("Keripik Singkong", 15000))  # fmt: skip


def write_archive(folder: Path, *, every: int = 1, seed: int = 13) -> list[ArchiveFile]:
    """Every family's files, one per `every` months (1 = monthly), into `folder`."""
    rng = random.Random(seed)
    files: list[ArchiveFile] = []
    for index, family in enumerate(FAMILIES):
        for year in range(family.first, family.last + 1):
            for month in range(1, 13, every):
                lines = _month_lines(rng, family, dt.datetime(year, month, 1), index)
                name = f"{family.marketplace}/{index:02d}.{year}{month:02d}01_{year}{month:02d}28"
                path = family.write(folder / f"{name}.{family.suffix}", lines)
                rows = sum(x.quantity for x in lines) if family.row_per_unit else len(lines)
                files.append(ArchiveFile(path, family.marketplace, rows))
    return files


def _month_lines(
    rng: random.Random, family: Family, start: dt.datetime, index: int
) -> list[ex.OrderLineSpec]:
    """0-4 orders of 1-3 items; a quiet month (no order) about one month in eight."""
    orders = 0 if rng.random() < 0.125 else rng.randint(1, 4)
    lines = []
    for number in range(orders):
        when = start + dt.timedelta(days=rng.randint(0, 27), minutes=rng.randint(0, 1439))
        order_id = family.id_of(when, index * 1000 + number)
        status = rng.choice(family.statuses)
        for name, price in rng.sample(PRODUCTS, rng.randint(1, 3)):
            lines.append(ex.OrderLineSpec(order_id, status, when, name, rng.randint(1, 10),
                                          price))  # fmt: skip
    return lines


def check_archive(files: Sequence[ArchiveFile]) -> dict[str, Tally]:
    """Read every file; what came out, per marketplace."""
    tallies: dict[str, Tally] = {}
    for item in files:
        tally = tallies.setdefault(item.marketplace, Tally())
        parsed = read_export(item.path)
        tally.files += 1
        tally.expected_lines += item.expected_lines
        tally.lines += len(parsed.lines)
        tally.files_with_data += int(len(parsed.lines) > 0)
        tally.files_rejected += int(parsed.rejected)
        tally.layouts.add(parsed.layout)
        for issue in parsed.issues:
            if issue.row is None:
                continue
            if issue.code == IngestCode.ROW_NO_ORDER_ID:
                tally.lost_to_missing_ids += 1
            elif issue.is_error:
                tally.other_rejected_rows += 1
    return tallies


def archive_table(tallies: dict[str, Tally]) -> str:
    """The figures as a plain table (the closing note quotes it)."""
    head = (f"{'marketplace':<11} {'files':>5} {'with data':>9} {'rejected':>8} "
            f"{'lines expected':>14} {'lines read':>10} {'lost (no id)':>12}  layouts")  # fmt: skip
    rows = [head]
    for name, t in sorted(tallies.items()):
        rows.append(
            f"{name:<11} {t.files:>5} {t.files_with_data:>9} {t.files_rejected:>8} "
            f"{t.expected_lines:>14} {t.lines:>10} {t.lost_to_missing_ids:>12}  "
            + ", ".join(sorted(t.layouts))
        )
    return "\n".join(rows)
