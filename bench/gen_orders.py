"""Generate a province-sized month of Shopee order exports, fast (vectorised, no row objects).

    .venv/bin/python bench/gen_orders.py OUT_DIR --lines 1000000 --files 500 --shops 5000

Writes `OUT_DIR/inbox/<ID Toko>/Order.all.20260801_20260831.csv` in Shopee's real 49-column
layout (sheetsync.demo.exports.shopee.SHOPEE_HEADERS_2025): one row per item line, order-level
columns repeated, money as "37.200", dates "2026-08-03 10:15", buyer fields filled. File i
belongs to shop i % shops, so with 5,000 registered shops and 500 files, 500 shops have an
export (the others sold nothing), as in a real province month. `--overlap` adds re-downloads:
a later export of the same shop and period where some orders moved on to Selesai.
A `params.json` next to the inbox lets a second call with the same flags reuse the files.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from sheetsync.demo.exports import SHOPEE_HEADERS_2025

STATUSES = np.array(
    ["Selesai", "Batal", "Belum Bayar", "Sedang Dikirim", "Perlu Dikirim", "Telah Dikirim"]
)
STATUS_WEIGHTS = np.array([0.70, 0.10, 0.03, 0.10, 0.05, 0.02])
PERIOD_NAME = "Order.all.20260801_20260831.csv"
RE_DOWNLOAD_NAME = "Order.all.20260801_20260905.csv"
BUYER = {
    "Username (Pembeli)": "budi_santoso88",
    "Nama Penerima": "Budi Santoso",
    "No. Telepon": "6281234567890",
    "Alamat Pengiriman": "Jl. Melati No. 3, Tanjung Pandan",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--shops", type=int, default=5_000)
    parser.add_argument("--overlap", type=float, default=0.0, help="share of files re-downloaded")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    inbox = generate(
        args.out, args.lines, args.files, args.shops, args.overlap, args.seed, args.format
    )
    print(inbox)


def generate(
    out: Path,
    lines: int,
    files: int,
    shops: int,
    overlap: float = 0.0,
    seed: int = 2026,
    fmt: str = "csv",
) -> Path:
    """The inbox folder; reused when it was generated with the same parameters."""
    params = {"lines": lines, "files": files, "shops": shops, "overlap": overlap, "seed": seed,
              "format": fmt, "version": 3}  # fmt: skip
    marker, inbox = out / "params.json", out / "inbox"
    if marker.exists() and json.loads(marker.read_text()) == params and inbox.is_dir():
        return inbox
    shutil.rmtree(inbox, ignore_errors=True)
    rng = np.random.default_rng(seed)
    per_file = np.full(files, lines // files)
    per_file[: lines % files] += 1
    for index, count in enumerate(per_file):
        shop = f"TK-{index % shops:05d}"
        frame = shop_month(rng, index, int(count))
        write = write_xlsx if fmt == "xlsx" else write_csv
        write(frame, (inbox / shop / PERIOD_NAME).with_suffix(f".{fmt}"))
        if rng.random() < overlap:
            write(moved_on(frame, rng), (inbox / shop / RE_DOWNLOAD_NAME).with_suffix(f".{fmt}"))
    marker.write_text(json.dumps(params))
    return inbox


def shop_month(rng: np.random.Generator, shop_index: int, count: int) -> pd.DataFrame:
    """`count` item lines of one shop's month: ~2.5 lines per order, real column texts."""
    order_of_line = np.sort(rng.integers(0, max(1, int(count / 2.5)), count))
    orders, first_line = np.unique(order_of_line, return_index=True)
    day = rng.integers(1, 32, len(orders))
    minute = rng.integers(0, 24 * 60, len(orders))
    status = rng.choice(STATUSES, len(orders), p=STATUS_WEIGHTS)
    per_line = np.searchsorted(orders, order_of_line)
    created = pd.to_datetime("2026-08-01") + pd.to_timedelta(day[per_line] - 1, unit="D")
    created += pd.to_timedelta(minute[per_line], unit="min")
    order_ids = [f"2608{d:02d}{shop_index:04d}{o:06d}" for d, o in zip(day, orders, strict=True)]
    price = rng.integers(5, 500, count) * 100
    quantity = rng.integers(1, 4, count)
    # the return status is the order's (Shopee repeats it on every item line)
    returned = ((status == "Selesai") & (rng.random(len(orders)) < 0.02))[per_line]
    line_no = np.arange(count) - first_line[per_line]
    return pd.DataFrame(
        {
            "No. Pesanan": np.array(order_ids)[per_line],
            "Status Pesanan": status[per_line],
            "Status Pembatalan/ Pengembalian": np.where(returned, "Permintaan Disetujui", ""),
            "Waktu Pesanan Dibuat": created.strftime("%Y-%m-%d %H:%M"),
            "Nama Produk": [f"Produk UMKM {shop_index}-{p % 40}" for p in price],
            "Nama Variasi": np.where(line_no % 2 == 0, "", "Besar"),
            "Harga Setelah Diskon": dots(price),
            "Harga Awal": dots(price + 1000),
            "Jumlah": quantity,
            "Total Harga Produk": dots(price * quantity),
        }
    )


def moved_on(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A later download: half of the orders still in progress are now Selesai."""
    later = frame.copy()
    shipping = later["Status Pesanan"].isin(["Sedang Dikirim", "Telah Dikirim"])
    orders = later["No. Pesanan"].unique()
    arrived = orders[rng.random(len(orders)) < 0.5]  # a whole order moves on, never a line
    moving = shipping & later["No. Pesanan"].isin(arrived)
    later.loc[moving, "Status Pesanan"] = "Selesai"
    return later


def dots(amounts: np.ndarray) -> list[str]:
    return [f"{a:,}".replace(",", ".") for a in amounts.tolist()]


def full_layout(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column of the 49-column layout; the ones not generated hold realistic constants."""
    full = pd.DataFrame(index=frame.index)
    for header in SHOPEE_HEADERS_2025:
        if header in frame.columns:
            full[header] = frame[header]
        else:
            full[header] = BUYER.get(header, _constant(header))
    return full


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    full_layout(frame).to_csv(path, index=False)


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """Sheet `orders`, everything as text cells except Jumlah, as Shopee writes it."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    full = full_layout(frame)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("orders")
    sheet.write_row(0, 0, list(full.columns))
    for r, row in enumerate(full.itertuples(index=False, name=None), start=1):
        sheet.write_row(r, 0, [v if isinstance(v, int | np.integer) else str(v) for v in row])
    book.close()


def _constant(header: str) -> str:
    if header.startswith("Waktu") or header.startswith("Pesanan Harus"):
        return "2026-08-20 10:00"
    if "Berat" in header:
        return "250 gr"
    return {
        "Opsi Pengiriman": "Reguler (Cashless)-SPX Standard",
        "Metode Pembayaran": "ShopeePay",
    }.get(header, "0")


if __name__ == "__main__":
    main()
