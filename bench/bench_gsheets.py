"""One sync (read staff tabs, write output tabs + feedback marks) against the Sheets emulator:
sheetsync's GSheetsWorkbook versus a straightforward gspread approach, side by side.

    .venv/bin/python bench/bench_gsheets.py            # demo size (one kabupaten)
    .venv/bin/python bench/bench_gsheets.py --scale 10 # ten times the rows

Both contestants use unmodified gspread over HTTP to the same loopback emulator, so the wall
time is mostly client + HTTP work and the request count is exactly what Google's quota
(60 reads + 60 writes a minute for one service account) would count.

- sheetsync:     `read_tabs` (metadata + one values:batchGet) and `write` (one batchUpdate).
- sheetsync, same: the same sync again with nothing changed: the read shows that the
                 spreadsheet holds the last write (`shows_last_write`), no batchUpdate.
- plain gspread: `open_by_key`, then per staff tab `worksheet()` + `get_all_records()`, per
                 output tab `worksheet()`/`add_worksheet()` + `clear()` + `update()`, and per
                 feedback mark `format()` + `update_note()` (gspread's documented calls).

It also counts the cells gspread's `get_all_records` silently changed ("007" -> 7).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import gspread
from google.oauth2.credentials import Credentials

from sheetsync.contract import STAFF_TABS
from sheetsync.tabs import CellMark, OutputTab
from sheetsync.testing.sheets_emulator import Fault, SheetsEmulator
from sheetsync.workbook.gsheets import GSheetsWorkbook, client_for_credentials

DEMO_ROWS = {
    "Desa": 40,
    "Duta": 60,
    "Toko": 300,
    "Target": 480,
    "Laporan Duta": 700,
    "Penerima": 30,
}
OUTPUT_ROWS = {
    "Ringkasan": 20,
    "KPI Toko": 300,
    "KPI Duta": 60,
    "KPI Desa": 40,
    "KPI Kecamatan": 6,
    "Validasi": 60,
    "Log": 12,
}
MARKS = 30


def staff_value(tab: str, header: str, i: int, rng: random.Random) -> str:
    """Text as staff type it: leading zeros, phone numbers, Rupiah with dots, dates."""
    if "ID" in header or "Kode" in header:
        return f"{i:03d}"
    if "HP" in header:
        return f"0812{rng.randrange(10**7, 10**8)}"
    if "Rp" in header or header in {"Produk", "Transaksi", "Toko Baru"}:
        return f"{rng.randrange(1, 900):,}".replace(",", ".") + ".000"
    if header in {"Bulan", "Bulan Laporan"}:
        return "2026-08"
    if "Tanggal" in header or header == "Timestamp":
        return f"0{rng.randrange(1, 9)}/08/2026"
    return f"{tab} {header} {i}"


def staff_tabs(scale: int, rng: random.Random) -> dict[str, list[list[object]]]:
    return {
        spec.name: [list(spec.headers)]
        + [
            [staff_value(spec.name, h, i, rng) for h in spec.headers]
            for i in range(DEMO_ROWS[spec.name] * scale)
        ]
        for spec in STAFF_TABS
    }


def output_tabs(scale: int, rng: random.Random) -> list[OutputTab]:
    header = ("Kode", "Nama", *(f"Angka {k}" for k in range(1, 15)), "Penjualan (Rp)", "Capaian")
    return [
        OutputTab(
            name,
            header,
            [
                [
                    f"{i:03d}",
                    f'=IMPORTXML("http://x","//a") {i}',
                    *(rng.randrange(100) for _ in range(14)),
                    rng.randrange(10**7),
                    rng.random(),
                ]
                for i in range(rows * scale)
            ],
            formats={"Penjualan (Rp)": "rupiah", "Capaian": "percent"},
        )
        for name, rows in OUTPUT_ROWS.items()
    ]


def marks(scale: int) -> list[CellMark]:
    return [
        CellMark("Toko", 2 + i * 3, "ID Duta", "error", f"ID Duta baris {i} tidak ada.")
        for i in range(MARKS * scale)
    ]


@dataclass
class Result:
    name: str
    seconds: float
    changed_cells: int  # staff cells whose text did not come back as typed
    reads: int = 0
    writes: int = 0
    failure: str = ""


def changed_cells(typed: list[list[object]], read: list[dict[str, object]]) -> int:
    header = [str(h) for h in typed[0]]
    return sum(
        str(record.get(h, "")) != str(value)
        for row, record in zip(typed[1:], read, strict=True)
        for h, value in zip(header, row, strict=False)
    )


def run_sheetsync(emu: SheetsEmulator, sid: str, typed, outputs, cell_marks) -> Result:
    client = client_for_credentials(Credentials(token="bench"), endpoint=emu.url, timeout=60)
    book = GSheetsWorkbook(client, sid)
    started = time.perf_counter()
    tables = book.read_tabs([s.name for s in STAFF_TABS])
    book.write(outputs, cell_marks)
    seconds = time.perf_counter() - started
    changed = sum(
        changed_cells(typed[name], [dict(zip(t.header, row, strict=True)) for row in t.rows])
        for name, t in tables.items()
    )
    return Result("sheetsync", seconds, changed)


def run_sheetsync_unchanged(emu: SheetsEmulator, sid: str, typed, outputs, cell_marks) -> Result:
    """The same sync once more with nothing changed: the read shows the spreadsheet already
    holds the last write (`shows_last_write`), so no batchUpdate is sent. Only the second
    sync is timed and counted."""
    client = client_for_credentials(Credentials(token="bench"), endpoint=emu.url, timeout=60)
    first = GSheetsWorkbook(client, sid)
    first.read_tabs([s.name for s in STAFF_TABS])
    first.write(outputs, cell_marks)
    token = first.last_write_token() or ""
    emu.clear_log()
    book = GSheetsWorkbook(client, sid)
    started = time.perf_counter()
    tables = book.read_tabs([s.name for s in STAFF_TABS])
    if not book.shows_last_write(token, [t.name for t in outputs], cell_marks):
        book.write(outputs, cell_marks)
    seconds = time.perf_counter() - started
    changed = sum(
        changed_cells(typed[name], [dict(zip(t.header, row, strict=True)) for row in t.rows])
        for name, t in tables.items()
    )
    return Result("sheetsync, same", seconds, changed)


def run_plain_gspread(emu: SheetsEmulator, sid: str, typed, outputs, cell_marks) -> Result:
    client = client_for_credentials(Credentials(token="bench"), endpoint=emu.url, timeout=60)
    started = time.perf_counter()
    sheet = client.open_by_key(sid)
    records = {spec.name: sheet.worksheet(spec.name).get_all_records() for spec in STAFF_TABS}
    for tab in outputs:
        try:
            ws = sheet.worksheet(tab.name)
        except gspread.WorksheetNotFound:
            ws = sheet.add_worksheet(tab.name, rows=len(tab.rows) + 1, cols=len(tab.header))
        ws.clear()
        ws.update([list(tab.header), *map(list, tab.rows)], "A1")
    toko = sheet.worksheet("Toko")
    for mark in cell_marks:
        a1 = f"F{mark.row}"
        toko.format(a1, {"backgroundColor": {"red": 1, "green": 0.78, "blue": 0.81}})
        toko.update_note(a1, mark.message)
    seconds = time.perf_counter() - started
    changed = sum(changed_cells(typed[name], rows) for name, rows in records.items())
    return Result("plain gspread", seconds, changed)


def measure(runner: Callable[..., Result], scale: int, latency: float, quota: int | None) -> Result:
    rng = random.Random(7)
    with SheetsEmulator(quota_per_minute=quota) as emu:
        typed = staff_tabs(scale, rng)
        sid = emu.create_spreadsheet(typed)
        outputs, cell_marks = output_tabs(scale, rng), marks(scale)
        if latency:
            emu.inject(Fault.slow(latency, times=None))
        emu.clear_log()
        started = time.perf_counter()
        try:
            result = runner(emu, sid, typed, outputs, cell_marks)
        except gspread.exceptions.APIError as exc:  # plain gspread does not retry a 429
            seconds = time.perf_counter() - started
            result = Result(runner.__name__.removeprefix("run_").replace("_", " "), seconds, -1)
            result.failure = f"failed: HTTP {exc.response.status_code}"
        api = emu.api_requests()
        result.reads = sum(e.method == "GET" for e in api)
        result.writes = len(api) - result.reads
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply every row count")
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        help="seconds added to every Sheets request (Google answers in ~0.1-0.5 s)",
    )
    parser.add_argument(
        "--quota",
        type=int,
        default=None,
        help="enforce Google's per-user quota (60) of reads and of writes a minute",
    )
    args = parser.parse_args()
    staff_rows = sum(DEMO_ROWS.values()) * args.scale
    out_rows = sum(OUTPUT_ROWS.values()) * args.scale
    print(
        f"one sync: {staff_rows:,} staff rows read, {out_rows:,} output rows x 18 columns "
        f"and {MARKS * args.scale} feedback marks written; {args.latency:.2f} s added per request"
        + (f"; quota {args.quota} a minute" if args.quota else "")
    )
    results = [
        measure(run_sheetsync, args.scale, args.latency, args.quota),
        measure(run_sheetsync_unchanged, args.scale, args.latency, args.quota),
        measure(run_plain_gspread, args.scale, args.latency, args.quota),
    ]
    print(
        f"{'':16}{'requests':>9}{'reads':>7}{'writes':>8}{'wall time':>11}"
        f"{'quota minutes':>15}{'staff cells changed':>21}"
    )
    for r in results:
        minutes = max(r.reads, r.writes) / 60  # 60 reads and 60 writes a minute per account
        print(
            f"{r.name:16}{r.reads + r.writes:>9}{r.reads:>7}{r.writes:>8}{r.seconds:>10.2f}s"
            f"{minutes:>15.2f}{r.changed_cells if r.changed_cells >= 0 else 'n/a':>21}"
            f"  {r.failure}"
        )


if __name__ == "__main__":
    main()
