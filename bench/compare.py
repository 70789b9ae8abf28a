"""Before/after on one machine: the cold month of another commit and of this tree, interleaved.

    .venv/bin/python bench/compare.py HEAD~3              # 4 rounds on the 1M-line month
    .venv/bin/python bench/compare.py main --rounds 6
    .venv/bin/python bench/compare.py HEAD~1 --lines 100000 --files 50   # a quick look

Why: this machine's speed drifts by 10-15 % within an hour (a shared host), more than most
single changes save, so figures of runs made at different times cannot tell a change's
effect. Here the other commit (checked out in a temporary git worktree) and this working
tree run the same cold sync of the same month (bench_ingest.py's sheetsync child: ingest
into a new ledger, then the month's KPIs), one after the other (each goes first in every
other round), round after round; the means and the ratio this/other are printed. Each
side runs its own code (PYTHONPATH) with this .venv's libraries. Nothing here is a test
or a goal: `make bench` guards the goals.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

FIGURES = ("wall_s", "cpu_s", "ingest_s", "kpis_s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the other commit (any git revision)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--overlap", type=float, default=0.2, help="shops re-downloading")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "ingest")
    args = parser.parse_args()
    from gen_orders import generate

    work = args.out / f"{args.lines}-{args.files}-csv"
    inbox = generate(work, args.lines, args.files, 5_000, args.overlap)
    with tempfile.TemporaryDirectory(prefix="sheetsync-compare-") as temp:
        other = Path(temp) / "other"
        _git("worktree", "add", "--detach", str(other), args.rev)
        try:
            runs = _interleaved({args.rev: other, "this tree": ROOT}, inbox, Path(temp), args)
        finally:
            _git("worktree", "remove", "--force", str(other))
    _report(runs, args.rev)


def _git(*arguments: str) -> None:
    subprocess.run(["git", "-C", str(ROOT), *arguments], check=True, capture_output=True)


def _interleaved(
    trees: dict[str, Path], inbox: Path, temp: Path, args: argparse.Namespace
) -> dict[str, list[dict[str, float]]]:
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for round_no in range(1, args.rounds + 1):
        turns = list(trees.items())
        for name, tree in turns if round_no % 2 else turns[::-1]:  # neither always first
            figures = _cold_month(tree, inbox, temp)
            runs[name].append(figures)
            shown = "  ".join(f"{key} {figures[key]:.2f}" for key in FIGURES)
            print(f"round {round_no}  {name:>12}  {shown}", flush=True)
    return runs


def _cold_month(tree: Path, inbox: Path, temp: Path) -> dict[str, float]:
    """One cold sync of the month by the code in `tree` (a new ledger every time)."""
    ledger, result = temp / "ledger.sqlite", temp / "result.json"
    for old in temp.glob("ledger.sqlite*"):
        old.unlink()
    command = [sys.executable, str(tree / "bench" / "bench_ingest.py"), "--child", "sheetsync",
               "--inbox", str(inbox), "--ledger", str(ledger), "--workers", "auto",
               "--result", str(result)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run(command, check=True, cwd=tree, env=env)
    figures = json.loads(result.read_text())
    return {key: float(figures[key]) for key in FIGURES}


def _report(runs: dict[str, list[dict[str, float]]], rev: str) -> None:
    (other, mine) = runs.values()
    print(f"\nmean of {len(mine)} interleaved rounds  {rev:>12}  this tree  this/other")
    for key in FIGURES:
        before = statistics.mean(r[key] for r in other)
        after = statistics.mean(r[key] for r in mine)
        print(f"  {key:30} {before:12.2f} {after:10.2f} {after / before:10.2f}")


if __name__ == "__main__":
    main()
