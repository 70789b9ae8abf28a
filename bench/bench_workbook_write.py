"""How long `XlsxWorkbook.write` takes on a province's workbook (goal: 0.4 CPU-s), against the
write before `xlsx.rows` (every value an openpyxl cell: tests/workbook/cell_by_cell.py).

    .venv/bin/python bench/bench_workbook_write.py                  # the benchmark programme
    .venv/bin/python bench/bench_workbook_write.py --workbook X.xlsx --repeat 5

The workbook is copied to a temporary folder (the original is never written). The output
tabs to write are the ones it holds (last run's figures: KPI Toko 1000 rows x 25 and the
other KPI tabs, Ringkasan, Validasi, Log), read back with their number formats. Each way
writes them twice into a copy whose output tabs were emptied first: the first write finds
the output tabs empty, the second finds them full. CPU seconds (process_time, best and
median of the repeats), side by side. Not a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tests_path  # noqa: F401  (tests/workbook on sys.path: the old write)
from cell_by_cell import CellByCellWorkbook

from sheetsync.contract import MARKS_TAB, is_output_tab
from sheetsync.tabs import OutputTab
from sheetsync.workbook.xlsx import XlsxWorkbook
from sheetsync.workbook.xlsx.writing import NUMBER_FORMATS

BENCH_WORKBOOK = (
    Path(__file__).resolve().parents[1]
    / "bench/out/ingest/1000000-500-csv/programme/data/program.xlsx"
)
FORMAT_NAMES = {code: name for name, code in NUMBER_FORMATS.items()}
Writer = Callable[[Path], XlsxWorkbook]
WAYS: dict[str, Writer] = {
    "openpyxl cells (before)": CellByCellWorkbook,
    "XML rows (now)": XlsxWorkbook,
}


def output_tabs_of(path: Path) -> list[OutputTab]:
    """The output tabs the workbook holds, as OutputTabs (values typed, formats named)."""
    book = openpyxl.load_workbook(path)
    tabs = []
    for sheet in book.worksheets:
        if not is_output_tab(sheet.title) or sheet.title == MARKS_TAB:
            continue
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)] or [[]]
        formats = {}
        for column, title in enumerate(header, start=1):
            shown = {sheet.cell(r, column).number_format for r in range(2, sheet.max_row + 1)}
            shown.discard("General")
            if shown:
                code = shown.pop()
                formats[str(title)] = FORMAT_NAMES.get(code, code)
        body = [tuple(r) for r in rows if any(v is not None for v in r)]
        tabs.append(OutputTab(sheet.title, tuple(str(h) for h in header), body, formats))
    return tabs


def emptied_copy(source: Path, folder: Path, tabs: list[OutputTab]) -> Path:
    """A copy of the workbook whose output tabs hold their header alone."""
    path = folder / "program.xlsx"
    shutil.copy(source, path)
    XlsxWorkbook(path).write([OutputTab(t.name, t.header, [], t.formats) for t in tabs], [])
    return path


def timed_writes(way: Writer, empty: Path, tabs: list[OutputTab]) -> tuple[float, float]:
    """CPU seconds of writing the tabs into the emptied workbook, then again."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "program.xlsx"
        shutil.copy(empty, path)
        workbook = way(path)
        seconds = []
        for _ in range(2):
            start = time.process_time()
            workbook.write(tabs, [])
            seconds.append(time.process_time() - start)
        return seconds[0], seconds[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workbook", type=Path, default=BENCH_WORKBOOK)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.workbook.is_file():
        sys.exit(f"{args.workbook} not found: run bench/bench_ingest.py first (or --workbook)")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "source.xlsx"
        shutil.copy(args.workbook, copy)
        tabs = output_tabs_of(copy)
        empty = emptied_copy(copy, Path(folder), tabs)
        cells = sum(len(t.header) * (len(t.rows) + 1) for t in tabs)
        print(f"{args.workbook}: {len(tabs)} output tabs, {cells:,} cells")
        print(f"{'':26}{'empty tabs':>22}{'full tabs':>22}   CPU s, best / median")
        for name, way in WAYS.items():
            runs = [timed_writes(way, empty, tabs) for _ in range(args.repeat)]
            shown = [figures([run[i] for run in runs]) for i in (0, 1)]
            print(f"{name:26}{shown[0]:>22}{shown[1]:>22}")


def figures(seconds: list[float]) -> str:
    return f"{min(seconds):.3f} / {statistics.median(seconds):.3f}"


if __name__ == "__main__":
    main()
