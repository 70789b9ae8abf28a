"""A whole `sheetsync sync` on the province-sized month, cold then warm, phase by phase.

    .venv/bin/python bench/bench_sync.py                             # 1,000,000 lines, 500 shops
    .venv/bin/python bench/bench_sync.py --lines 200000 --files 100  # a quick look

bench_ingest.py times what a sync does with the data (ingest + the month's KPIs); this one
times the command staff's server runs: a programme made by `sheetsync init` whose staff
tabs register every shop of the generated inbox, synced once (cold: every file imported)
and again with nothing new (warm: issue 17 asks < 2 s). Each sync runs in its own process
(wall, CPU seconds, peak memory of that process and its readers), its phases timed as it
runs (each phase's function wrapped; nothing profiled); then each again under cProfile
(the cold one on a new ledger), whose cumulative seconds per phase of `pipeline.sync` are
printed beside them (the profiler adds its own overhead and sees only the main process,
not the readers). Last, the cold sync split in two: ingest, and the rest of the command
in polars' units (what the command does beyond reading the month).
It also says whether the warm sync left the workbook file untouched.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import importlib
import json
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCH_NOW = dt.datetime(2026, 9, 2, 7, 0)  # the sync after the benchmark month (no clock)
# phase -> (module file, function name) of the function whose cumulative time it is in the
# profile, and where `sync` looks that function up ("module:attribute" under sheetsync., the
# attribute left out when it is the function's name), so that the unprofiled runs time it
# too (None: a context manager, in the profile only)
SYNC = "pipeline.sync:"
PHASES = {
    "open ledger (+ migrations)": ("ledger/store.py", "open", None),
    "run record, stale runs": ("pipeline/runs.py", "recorded", None),
    "read staff tabs (xlsx)": ("workbook/xlsx/backend.py", "read_tabs",
                               "workbook.xlsx.backend:XlsxWorkbook.read_tabs"),
    "validate staff tabs": ("validate/registry.py", "validate_workbook",
                            "validate:validate_workbook"),
    "publishing blockers": ("pipeline/staff.py", "publishing_blockers", SYNC),
    "ingest (inbox scan)": ("pipeline/sync.py", "ingest_into", SYNC),
    "file issues, statuses": ("pipeline/sync.py", "open_file_issues", SYNC),
    "month KPIs (cache)": ("pipeline/queries.py", "compute_months", SYNC),
    "completeness": ("pipeline/staff.py", "completeness", SYNC),
    "KPI snapshots + diff": ("pipeline/sync.py", "changes_since_stored_snapshots", SYNC),
    "store KPI snapshots": ("pipeline/sync.py", "store_kpi_snapshots", SYNC),
    "build output tabs": ("pipeline/outputs.py", "output_tabs", SYNC),
    "write workbook": ("pipeline/outputs.py", "write_workbook", SYNC),
    "finish run (ledger + jsonl)": ("pipeline/runs.py", "finish_run", SYNC),
    "daily backup": ("ledger/maintenance.py", "backup_daily",
                     "ledger.maintenance:Maintenance.backup_daily"),
}  # fmt: skip


def make_programme(root: Path, inbox: Path) -> Path:
    """`sheetsync init`, the inbox pointed at the generated one, staff tabs for every shop."""
    from sheetsync.workbook.template import fill_staff_workbook

    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(
        [str(Path(sys.executable).with_name("sheetsync")), "init", str(root), "--name", "Bench"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    config = root / "sheetsync.toml"
    text = config.read_text("utf-8").replace('path = "inbox"', f'path = "{inbox.resolve()}"', 1)
    config.write_text(text, "utf-8")
    shops = sorted(p.name for p in inbox.iterdir() if p.is_dir())
    villages = [(f"19.02.{1 + i % 12:02d}.{2001 + i}", f"Desa {i}", f"Kec {i % 12}")
                for i in range(49)]  # fmt: skip
    ambassadors = [
        (f"DD-{i:03d}", f"Duta {i}", villages[i % 49][0], f"0812{i:08d}", f"d{i}@example.org", "Ya")
        for i in range(42)
    ]
    toko = [
        (s, "Shopee", f"Toko {s}", f"Pemilik {i}", villages[i % 49][0], ambassadors[i % 42][0],
         f"01/{1 + i % 12:02d}/2025")
        for i, s in enumerate(shops)
    ]  # fmt: skip
    fill_staff_workbook(
        root / "data" / "program.xlsx", {"Desa": villages, "Duta": ambassadors, "Toko": toko}
    )
    return config


def child(config_path: Path, out: Path, profile: Path | None) -> None:
    """One sync in this process; its figures as JSON (imports done before the clock)."""
    import sheetsync.ingest
    import sheetsync.kpi
    import sheetsync.validate
    import sheetsync.workbook.xlsx  # noqa: F401
    from sheetsync.config import load_config
    from sheetsync.pipeline import sync

    config = load_config(config_path)
    book = config.workbook.path
    before = book.stat().st_mtime_ns, book.read_bytes()
    profiler = cProfile.Profile() if profile else None
    seconds = {} if profile else timed_phases()
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = sync(config, now=BENCH_NOW)
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    pool = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "wall_s": round(wall, 2),
        "cpu_s": round(time.process_time() - cpu + pool.ru_utime + pool.ru_stime, 2),
        "peak_rss_mb": round(own.ru_maxrss / 1024),
        "workers_peak_rss_mb": round(pool.ru_maxrss / 1024),
        "status": result.status,
        "files_imported": result.record.files_imported,
        "workbook_untouched": (book.stat().st_mtime_ns, book.read_bytes()) == before,
        "phases_s": {label: round(s, 3) for label, s in seconds.items()},
    }
    out.write_text(json.dumps(figures))


def timed_phases() -> dict[str, float]:
    """Wall seconds of each phase of the sync about to run in this process, filled in as
    it runs: each phase's function is wrapped where `sync` looks it up. Unlike cProfile,
    this adds nothing measurable, so these are the phases' own figures."""
    seconds: dict[str, float] = {}
    for label, (_, function, where) in PHASES.items():
        if where is None:
            continue
        module_name, path = where.split(":")
        *owners, name = (path or function).split(".")
        owner = functools.reduce(
            getattr, owners, importlib.import_module("sheetsync." + module_name)
        )
        setattr(owner, name, _timer(getattr(owner, name), label, seconds))
    return seconds


def _timer(
    function: Callable[..., Any], label: str, seconds: dict[str, float]
) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[label] = seconds.get(label, 0.0) + time.perf_counter() - started

    return timed


def measure(config: Path, work: Path, name: str, profile: bool = False) -> dict[str, object]:
    out = work / f"sync-{name}.json"
    command = [sys.executable, __file__, "--child", str(config), "--result", str(out)]
    if profile:
        command += ["--profile", str(work / f"sync-{name}.prof")]
    subprocess.run(command, check=True)
    figures: dict[str, object] = json.loads(out.read_text())
    return figures


def phases(profile: Path) -> dict[str, float]:
    """Cumulative seconds of each phase's function in the profile."""
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    found: dict[str, float] = {}
    for label, (file, function, _) in PHASES.items():
        for (path, _, name), (_, _, _, cumulative, _) in stats.items():
            if name == function and path.replace("\\", "/").endswith("sheetsync/" + file):
                found[label] = found.get(label, 0.0) + cumulative
    return found


def bench(args: argparse.Namespace) -> dict[str, dict]:
    """The whole command cold (`--rounds` times, each in a new programme, the fastest kept,
    interleaved with polars on the same month so that their ratio is of one period:
    `runs["polars"]`), then warm, then both under cProfile."""
    from bench_ingest import best_of
    from bench_ingest import measure as measure_engine
    from gen_orders import generate

    work = args.out / f"{args.lines}-{args.files}-csv"
    inbox = generate(work, args.lines, args.files, args.shops, args.overlap)
    colds, engine = [], []
    for number in range(max(1, args.rounds)):
        config = make_programme(work / "programme", inbox)
        if number % 2:
            colds.append(measure(config, work, "cold"))
        engine.append(measure_engine("polars", inbox, work / "unused.sqlite", None, work))
        if not number % 2:
            colds.append(measure(config, work, "cold"))
    runs = {
        "cold": best_of(colds),
        "warm": measure(config, work, "warm"),  # on the last cold's ledger
        "warm, profiled": measure(config, work, "warm-profiled", profile=True),
    }
    config = make_programme(work / "programme", inbox)  # a new ledger: cold again
    runs["cold, profiled"] = measure(config, work, "cold-profiled", profile=True)
    print(f"{'sheetsync sync':24} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'workers MB':>10}"
          "  detail")  # fmt: skip
    for name, fig in runs.items():
        detail = {k: v for k, v in fig.items() if not k.endswith(("_s", "_mb"))}
        print(f"{name:24} {fig['wall_s']:>7} {fig['cpu_s']:>7} {fig['peak_rss_mb']:>8} "
              f"{fig['workers_peak_rss_mb']:>10}  {detail}")  # fmt: skip
    print(f"cold, each of {len(colds)} round(s), beside polars in that round: "
          + "; ".join(f"{c['wall_s']} s / {e['wall_s']} s"
                      for c, e in zip(colds, engine, strict=True)))  # fmt: skip
    runs["polars"] = best_of(engine)  # the reference, not a sheetsync run
    print_phases(runs, work)
    return runs


def print_phases(runs: dict[str, dict], work: Path) -> None:
    """Each phase's seconds: timed in the unprofiled runs (the cold one is the fastest
    round), and cumulative under cProfile (which inflates, and sees only this process)."""
    timed = {name: runs[name].get("phases_s", {}) for name in ("cold", "warm")}
    profiled = {"cold": phases(work / "sync-cold-profiled.prof"),
                "warm": phases(work / "sync-warm-profiled.prof")}  # fmt: skip
    print(f"sync by phase, s {'':20} {'cold':>6} {'warm':>6}   cProfile: {'cold':>6} {'warm':>6}")
    for label in PHASES:
        shown = [f"{timed[n][label]:6.2f}" if label in timed[n] else f"{'-':>6}" for n in timed]
        under = [f"{profiled[n].get(label, 0.0):6.2f}" for n in profiled]
        print(f"  {label:34} {' '.join(shown)}   {'':9} {' '.join(under)}")
    ingest = timed["cold"].get("ingest (inbox scan)")
    if ingest is not None:
        rest, polars = float(runs["cold"]["wall_s"]) - ingest, float(runs["polars"]["wall_s"])
        print(
            f"cold sync = ingest {ingest:.2f} s + the rest {rest:.2f} s; polars does its "
            f"whole month in {polars:.2f} s: the rest alone is {rest / polars:.2f}x it"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--shops", type=int, default=5_000)
    parser.add_argument("--overlap", type=float, default=0.2, help="shops re-downloading")
    parser.add_argument("--rounds", type=int, default=3, help="cold syncs, the best kept")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "ingest")
    parser.add_argument("--child", type=Path, help="(internal) config of the sync to run")
    parser.add_argument("--result", type=Path)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.result, args.profile)
        return
    bench(args)


if __name__ == "__main__":
    main()
