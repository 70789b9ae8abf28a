"""The marketplace readers alone, side by side with the plainest pyarrow read of the same files.

    .venv/bin/python bench/bench_readers.py                      # 200,000 lines in 100 CSVs
    .venv/bin/python bench/bench_readers.py --lines 1000000 --files 500
    .venv/bin/python bench/bench_readers.py --xlsx 100000        # one 100,000-line XLSX

Both contestants run in this process one after the other, on the same files, so the ratio
holds even on a busy machine (CPU time is reported next to wall time):
- floor:     pyarrow reads the needed columns as text, parses money and quantity, counts the
             completed lines' sales (no dates, no validation, no issues);
- readers:   `read_export` on each file (header detection, every value parsed and checked,
             issues, canonical frame).
For --xlsx, the floor is python-calamine reading the sheet raw (`to_python`).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_orders import generate

from sheetsync.marketplaces import read_export

NEEDED = ["No. Pesanan", "Status Pesanan", "Waktu Pesanan Dibuat", "Harga Setelah Diskon", "Jumlah"]


def timed(label: str, run: Callable[[], int]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<10} wall {wall:7.2f} s   cpu {cpu:7.2f} s   ({result:,} lines)")
    return wall, cpu


def plain_csv(files: list[Path]) -> int:
    lines = 0
    for path in files:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=NEEDED, column_types={c: pa.string() for c in NEEDED}
            ),
        )
        price = pc.cast(pc.replace_substring(table["Harga Setelah Diskon"], ".", ""), pa.int64())
        quantity = pc.cast(table["Jumlah"], pa.int64())
        done = pc.equal(table["Status Pesanan"], "Selesai")
        pc.sum(pc.multiply(price, quantity).filter(done))
        lines += table.num_rows
    return lines


def readers(files: list[Path]) -> int:
    return sum(len(read_export(path).lines) for path in files)


def bench_csv(lines: int, files: int, out: Path) -> None:
    inbox = generate(out, lines, files, max(files * 2, 10))
    paths = sorted(inbox.rglob("*.csv"))
    print(f"{len(paths)} CSV files, {sum(p.stat().st_size for p in paths) / 1e6:.0f} MB")
    floor = timed("floor", lambda: plain_csv(paths))
    ours = timed("readers", lambda: readers(paths))
    print(f"ratio      wall {ours[0] / floor[0]:.1f}x   cpu {ours[1] / floor[1]:.1f}x")


def bench_xlsx(lines: int, out: Path) -> dict[str, float]:
    """Readers against calamine's raw read of one XLSX of `lines` order lines: the wall
    and CPU ratios (both single-threaded in this process, so on a quiet machine they are
    the same; on a shared one CPU seconds are the fair measure)."""
    inbox = generate(out, lines, 1, 1)
    csv_path = next(inbox.rglob("*.csv"))
    xlsx = out / "Order.all.20260801_20260831.xlsx"
    if not xlsx.exists():
        from sheetsync.demo.exports import write_table
        from sheetsync.marketplaces.cells import strings

        table = pacsv.read_csv(csv_path, parse_options=pacsv.ParseOptions(newlines_in_values=True),
                               convert_options=pacsv.ConvertOptions(strings_can_be_null=False,
                               column_types={c: pa.string() for c in NEEDED}))  # fmt: skip
        columns = [strings(table.column(i)).to_pylist() for i in range(table.num_columns)]
        write_table(xlsx, [table.column_names, *map(list, zip(*columns, strict=True))], fmt="xlsx")
    print(f"XLSX {xlsx.stat().st_size / 1e6:.0f} MB")
    floor = timed("calamine", lambda: len(CalamineWorkbook.from_path(str(xlsx))
                                         .get_sheet_by_index(0).to_python()))  # fmt: skip
    ours = timed("readers", lambda: readers([xlsx]))
    print(f"ratio      wall {ours[0] / floor[0]:.2f}x   cpu {ours[1] / floor[1]:.2f}x")
    return {"wall": ours[0] / floor[0], "cpu": ours[1] / floor[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--xlsx", type=int, default=0, help="lines of one XLSX instead")
    parser.add_argument("--out", type=Path, default=Path("/tmp/sheetsync-bench-readers"))
    args = parser.parse_args()
    if args.xlsx:
        bench_xlsx(args.xlsx, args.out / f"xlsx-{args.xlsx}")
    else:
        bench_csv(args.lines, args.files, args.out / f"csv-{args.lines}-{args.files}")


if __name__ == "__main__":
    main()
