"""Killed runs (SIGKILL) and concurrent runs never lose, corrupt or double count anything.

Each test runs the real `sheetsync sync` in a subprocess on a programme of many export
files, kills it at a chosen moment, runs it again, and compares the results with those
of a programme that was never interrupted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheetsync.cli import cli
from sheetsync.demo.exports import OrderLineSpec, write_shopee_orders
from sheetsync.errors import EXIT_LOCKED
from sheetsync.workbook.template import fill_staff_workbook

SHOPS = 12
FILES_PER_SHOP = 3
LINES_PER_FILE = 600
MONTH = "2026-08"


def build_programme(root: Path) -> Path:
    """A programme whose inbox takes a few seconds to import (many files, many lines)."""
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    villages = [("19.02.04.2004", "Air Seruk", "Sijuk"), ("19.02.05.2001", "Badau", "Badau")]
    ambassadors = [("DD-001", "Siti", "19.02.04.2004", "0812345678", "s@example.org", "Ya")]
    shops = [
        (
            f"TK-{i:03d}",
            "Shopee",
            f"Toko {i}",
            "Pemilik",
            villages[i % 2][0],
            "DD-001",
            "01/07/2026",
        )
        for i in range(SHOPS)
    ]
    fill_staff_workbook(
        root / "data" / "program.xlsx", {"Desa": villages, "Duta": ambassadors, "Toko": shops}
    )
    for i in range(SHOPS):
        for f in range(FILES_PER_SHOP):
            lines = [
                OrderLineSpec(
                    f"2608{i:02d}{f}{n:07d}",
                    "Selesai" if n % 3 else "Perlu Dikirim",
                    dt.datetime(2026, 8, 1 + n % 28, 10, n % 60),
                    f"Produk {n % 17}",
                    1 + n % 3,
                    10000 + 500 * (n % 11),
                )
                for n in range(f * 200, f * 200 + LINES_PER_FILE)  # files overlap: re-downloads
            ]
            name = f"Order.all.2026080{f + 1}_20260831.xlsx"
            write_shopee_orders(root / "inbox" / f"TK-{i:03d}" / name, lines, fmt="xlsx")
    return root / "sheetsync.toml"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_programme(tmp_path_factory.mktemp("template") / "prog").parent


@pytest.fixture(scope="module")
def uninterrupted(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = copy_programme(template, tmp_path_factory.mktemp("clean"))
    assert sync(root).returncode == 0
    return results(root)


def copy_programme(template: Path, where: Path) -> Path:
    root = where / "prog"
    shutil.copytree(template, root)
    return root


def sheetsync_command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "sheetsync.cli", "--config", str(root / "sheetsync.toml"), *args]


def sync(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        sheetsync_command(root, "sync", "--month", MONTH),
        capture_output=True,
        text=True,
        timeout=300,
    )


def results(root: Path) -> dict[str, object]:
    """What a run leaves: KPI figures, the ledger's lines, and the KPI tabs."""
    out = subprocess.run(
        sheetsync_command(root, "kpi", "--month", MONTH, "--by", "shop", "--format", "json"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    with contextlib.closing(sqlite3.connect(root / "data" / "ledger.sqlite")) as db, db:
        lines = db.execute("SELECT SUM(lines), COUNT(DISTINCT file_id) FROM order_blobs").fetchone()
        files = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    book = openpyxl.load_workbook(root / "data" / "program.xlsx")
    tabs = {n: list(book[n].iter_rows(values_only=True)) for n in ("KPI Toko", "KPI Desa")}
    book.close()
    return {"kpi": json.loads(out.stdout), "lines": lines, "files": files, "tabs": tabs}


def kill_when(
    proc: subprocess.Popen[str], condition: Callable[[], bool], limit: float = 120
) -> bool:
    """SIGKILL the process as soon as `condition` holds; False if it ended first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if condition():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.01)
    proc.wait()
    return False


def lingering_processes(root: Path, grace: float = 10.0) -> list[int]:
    """Processes still running for this programme (orphaned pool workers) after `grace` s."""
    deadline = time.monotonic() + grace
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    cmdline = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if str(root).encode() in cmdline:
                    found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def imported_files(root: Path) -> int:
    try:
        read_only = f"file:{root / 'data' / 'ledger.sqlite'}?mode=ro"
        with contextlib.closing(sqlite3.connect(read_only, uri=True)) as db, db:
            return int(db.execute("SELECT COUNT(*) FROM files").fetchone()[0])
    except sqlite3.Error:
        return 0


def start_sync(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        sheetsync_command(root, "sync", "--month", MONTH),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_killed_during_import_then_rerun_gives_identical_results(
    template: Path, uninterrupted: dict[str, object], tmp_path: Path
) -> None:
    root = copy_programme(template, tmp_path)
    proc = start_sync(root)
    total = SHOPS * FILES_PER_SHOP
    killed = kill_when(proc, lambda: 0 < imported_files(root) < total)
    assert killed, "the import finished before it could be interrupted"
    partial = imported_files(root)
    assert 0 < partial < total
    assert lingering_processes(root) == [], "pool workers outlived the killed run"
    assert run_statuses(root) == ["running"]  # the start was recorded before the kill
    rerun = sync(root)
    assert rerun.returncode == 0, rerun.stderr
    assert results(root) == uninterrupted
    assert run_statuses(root) == ["interrupted", "ok"]
    log_rows = tab_rows(root, "Log")
    assert [row[3] for row in log_rows[1:]] == ["ok", "interrupted"]  # newest first
    assert "berhenti sebelum selesai" in str(log_rows[2][10])
    logged = (root / "logs" / "sheetsync-runs.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["status"] for line in logged] == ["interrupted", "ok"]


def run_statuses(root: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(root / "data" / "ledger.sqlite")) as db, db:
        return [row[0] for row in db.execute("SELECT status FROM runs ORDER BY id")]


def tab_rows(root: Path, name: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(root / "data" / "program.xlsx", read_only=True)
    try:
        return list(book[name].iter_rows(values_only=True))
    finally:
        book.close()


def test_killed_while_writing_the_workbook_then_rerun_gives_identical_results(
    template: Path, uninterrupted: dict[str, object], tmp_path: Path
) -> None:
    root = copy_programme(template, tmp_path)
    data = root / "data"
    proc = start_sync(root)
    killed = kill_when(proc, lambda: any(p.name.startswith(".~sheetsync") for p in data.iterdir()))
    assert killed, "the workbook write was not caught in progress"
    book = openpyxl.load_workbook(data / "program.xlsx")  # the old workbook is whole
    assert "Toko" in book.sheetnames
    book.close()
    rerun = sync(root)
    assert rerun.returncode == 0, rerun.stderr
    assert results(root) == uninterrupted


def test_two_concurrent_runs_one_waits_out(
    template: Path, uninterrupted: dict[str, object], tmp_path: Path
) -> None:
    root = copy_programme(template, tmp_path)
    first = start_sync(root)
    owner = root / "data" / "ledger.lock.pid"
    try:
        deadline = time.monotonic() + 60
        while not owner.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        # the first run is held (stopped, not ended) while the second starts: on a busy
        # machine the second's start-up took longer than the first's import
        os.kill(first.pid, signal.SIGSTOP)
        second = sync(root)
        assert second.returncode == EXIT_LOCKED
        assert "in progress" in second.stderr
    finally:
        os.kill(first.pid, signal.SIGCONT)
        assert first.wait(timeout=300) == 0
    assert results(root) == uninterrupted
