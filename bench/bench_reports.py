"""Render the full Belitung-sized report set and show what it costs.

    .venv/bin/python bench/bench_reports.py [--workers 2] [--serial] [--formats html,pdf,xlsx]

Builds a synthetic programme the size of Kabupaten Belitung (5 kecamatan, 49 villages,
42 ambassadors, 150 shops, 12 months), times one report of each level alone (the
per-report cost), then renders all 1 + 5 + 49 + 42 reports × formats with the pool and
prints wall time, peak memory and the speed-up against the serial estimate (or against
a real serial run with --serial).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import tests_path  # noqa: F401 - puts tests/ on sys.path for kpi_sample (test-only code)
from kpi_sample import FIGURES, sample_result

from sheetsync.config import Config, ProgramConfig, ReportsConfig, Signatory
from sheetsync.issues import Issue, Severity
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Ambassador, FormReport, Marketplace, Registry, Shop, Target, Village
from sheetsync.months import months_back
from sheetsync.report.context import ReportData, report_units
from sheetsync.report.render import render_one, render_reports

MONTH = "2026-10"
AS_OF = dt.datetime(2026, 11, 1, 7, 0)
KECAMATAN = {"Tanjungpandan": 16, "Badau": 7, "Sijuk": 10, "Membalong": 11, "Selat Nasik": 5}


def belitung_like(seed: int = 7) -> tuple[Registry, KpiResult, list[Issue]]:
    """A synthetic programme of Belitung's shape (names are made up)."""
    rng = random.Random(seed)
    villages = [
        Village(f"19.02.{k:02d}.{2000 + i}", f"Desa {name[:4]} {i + 1:02d}", name)
        for k, (name, count) in enumerate(KECAMATAN.items(), start=1)
        for i in range(count)
    ]
    ambassadors = [
        Ambassador(f"DD-{i + 1:03d}", f"Duta {i + 1:03d}", villages[i].code, "", "", True)
        for i in range(42)
    ]
    shops = [_shop(i, villages, ambassadors, rng) for i in range(150)]
    targets = [Target(MONTH, v.code, 1, 10, rng.randint(10, 60), 2_000_000) for v in villages]
    reports = [
        FormReport(dt.datetime(2026, 11, 3), a.ambassador_id, MONTH, 2, 20, 1, 5, "", i + 2)
        for i, a in enumerate(ambassadors)
        if i % 6
    ]
    registry = Registry(
        tuple(villages), tuple(ambassadors), tuple(shops), tuple(targets), tuple(reports)
    )
    result = sample_result(registry, _shop_months(shops, rng), MONTH, products=_products(shops))
    issues = [
        Issue(
            "bad_date",
            Severity.ERROR,
            f"{s.shop_id}/Order.all.xlsx",
            5 + i,
            "Waktu",
            "x",
            "Tanggal tidak dapat dibaca; unduh ulang ekspor.",
        )
        for i, s in enumerate(shops[::9])
    ]
    return registry, result, issues


def _shop(
    i: int, villages: list[Village], ambassadors: list[Ambassador], rng: random.Random
) -> Shop:
    amb = ambassadors[i % len(ambassadors)]
    return Shop(
        f"T{i + 1:03d}",
        rng.choice(list(Marketplace)),
        f"Toko UMKM {i + 1:03d}",
        f"Pemilik {i + 1}",
        amb.village_code,
        amb.ambassador_id,
        dt.date(2026, rng.randint(1, 10), rng.randint(1, 28)),
    )


def _shop_months(shops: list[Shop], rng: random.Random) -> pd.DataFrame:
    rows = []
    for month in months_back(MONTH, 12):
        for shop in shops:
            done = rng.randint(0, 30)
            row = dict.fromkeys(FIGURES, 0)
            row.update(
                orders=done + rng.randint(0, 4),
                completed_orders=done,
                units_sold=done * 2,
                sales_idr=done * rng.randint(20, 200) * 1000,
                products_live=rng.randint(0, 20),
                products_new=rng.randint(0, 3),
            )
            rows.append({"month": month, "shop_id": shop.shop_id, **row})
    return pd.DataFrame(rows)


def _products(shops: list[Shop]) -> pd.DataFrame:
    rows = [
        (s.shop_id, s.village_code, f"Produk {j} {s.name}", 10 - j, (10 - j) * 50_000)
        for s in shops
        for j in range(3)
    ]
    return pd.DataFrame(
        rows, columns=["shop_id", "village_code", "product_name", "units_sold", "sales_idr"]
    )


def config_for(out: Path, workers: int) -> Config:
    return Config(
        program=ProgramConfig(name="Duta Digital Kabupaten Belitung", agency="Dinas Kominfo"),
        reports=ReportsConfig(
            out=out,
            workers=workers,
            signatures=(
                Signatory("Mengetahui, Kepala Dinas", "Nama Kepala", "NIP 1"),
                Signatory("Dibuat oleh, Koordinator", "Nama Koordinator", "Koordinator"),
            ),
        ),
    )


def peak_mib() -> float:
    """This process's peak resident memory in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class DescendantMemory(threading.Thread):
    """Samples /proc for every process below this one (fork server, workers).

    RUSAGE_CHILDREN cannot see the workers: they are the fork server's children and are
    reaped by it, not by us. Tracks the largest single peak (VmHWM) and the largest total
    resident size of all descendants at one moment.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.largest_mib = 0.0
        self.total_mib = 0.0
        self.cpu_seconds: dict[int, float] = {}  # last seen user+system time per process
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.2):
            pids = _descendants(os.getpid())
            sizes = [_status_kib(pid) for pid in pids]
            for pid in pids:
                self.cpu_seconds[pid] = max(self.cpu_seconds.get(pid, 0.0), _cpu_seconds(pid))
            self.largest_mib = max([self.largest_mib, *(hwm / 1024 for hwm, _ in sizes)])
            self.total_mib = max(self.total_mib, sum(rss for _, rss in sizes) / 1024)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_kib(pid: int) -> tuple[int, int]:
    """(VmHWM, VmRSS) of a process in KiB; zeros when it has gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0, 0
    values = {
        k: int(v.split()[0])
        for k, _, v in (ln.partition(":") for ln in lines)
        if k in ("VmHWM", "VmRSS")
    }
    return values.get("VmHWM", 0), values.get("VmRSS", 0)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    formats = args.formats.split(",")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    t0 = time.perf_counter()
    registry, result, issues = belitung_like()
    print(f"synthetic KpiResult: {time.perf_counter() - t0:.2f} s")
    units = report_units(result, registry)
    counts = {
        lvl: sum(u.level == lvl for u in units)
        for lvl in ("kabupaten", "kecamatan", "desa", "duta")
    }
    print(f"reports: {counts} = {len(units)} × {len(formats)} formats")
    with tempfile.TemporaryDirectory() as tmp:
        single, cpu = _time_single_reports(registry, result, issues, Path(tmp), formats, units)
        estimate = sum(single[u.level] for u in units)
        cpu_total = sum(cpu[u.level] for u in units)
        print(
            f"serial estimate (sum of per-level costs): {estimate:.1f} s wall, "
            f"{cpu_total:.1f} s CPU (ideal on {args.workers} idle cores: "
            f"{cpu_total / args.workers:.1f} s)"
        )
        sampler = DescendantMemory()
        sampler.start()
        wall = _time_full_set(registry, result, issues, Path(tmp) / "pool", formats, args.workers)
        sampler.stop()
        worker_cpu = sum(sampler.cpu_seconds.values())
        print(
            f"  worker processes used {worker_cpu:.1f} s CPU in {wall:.1f} s: "
            f"{worker_cpu / wall:.2f} cores busy on average (others' sessions share the machine)"
        )
        print(
            f"full set, {args.workers} workers: {wall:.1f} s wall "
            f"({wall / len(units):.2f} s per report); speed-up vs estimate ×{estimate / wall:.2f}"
        )
        if args.serial:
            serial = _time_full_set(registry, result, issues, Path(tmp) / "serial", formats, 1)
            print(f"full set, serial: {serial:.1f} s wall; measured speed-up ×{serial / wall:.2f}")
    print(f"load average at end: {os.getloadavg()[0]:.1f} (others' work slows the pool)")
    _print_memory(sampler)
    return 0


def _print_memory(sampler: DescendantMemory) -> None:
    print(
        f"peak memory: parent {peak_mib():.0f} MiB, largest worker {sampler.largest_mib:.0f} MiB,"
        f" all worker processes together {sampler.total_mib:.0f} MiB"
    )


def _time_single_reports(
    registry: Registry,
    result: KpiResult,
    issues: list[Issue],
    out: Path,
    formats: list[str],
    units: list,
) -> tuple[dict[str, float], dict[str, float]]:
    """One report of each level alone, in this process, after one warm-up render."""
    data = ReportData(result, registry, issues, config_for(out, 1), AS_OF, ["bench"])
    render_one(units[-1], data, ["html"], out / "warm")  # imports, fonts, templates
    costs, cpus = {}, {}
    for level in ("kabupaten", "kecamatan", "desa", "duta"):
        unit = next(u for u in units if u.level == level)
        start, cpu = time.perf_counter(), time.process_time()
        render_one(unit, data, formats, out / "single")
        costs[level] = time.perf_counter() - start
        cpu = cpus[level] = time.process_time() - cpu
        print(
            f"one {level:9s} report alone ({'+'.join(formats)}): {costs[level]:.2f} s wall, "
            f"{cpu:.2f} s CPU"
        )
    return costs, cpus


def _time_full_set(
    registry: Registry,
    result: KpiResult,
    issues: list[Issue],
    out: Path,
    formats: list[str],
    workers: int,
) -> float:
    start = time.perf_counter()
    paths = render_reports(
        result,
        registry,
        issues=issues,
        config=config_for(out, workers),
        as_of=AS_OF,
        formats=formats,
        sources=["bench"],
    )
    wall = time.perf_counter() - start
    size = sum(p.stat().st_size for p in paths) / 2**20
    print(f"  wrote {len(paths)} files, {size:.1f} MiB")
    return wall


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--serial", action="store_true", help="also render the set serially")
    parser.add_argument("--formats", default="html,pdf,xlsx")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
