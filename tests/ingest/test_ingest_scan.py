"""Odd entries in the inbox: a FIFO, device or socket never hangs a run; a symlink never
leads out of the inbox (its target is neither read nor stored)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from programme_samples import init_programme

from sheetsync.demo.exports import OrderLineSpec, write_shopee_orders
from sheetsync.ingest import ingest_inbox, ingest_paths
from sheetsync.ledger import Ledger

NOW = dt.datetime(2026, 9, 2, 6, 0)


def build_programme(root: Path) -> Path:
    """One village, one ambassador, one shop with one real Shopee export."""
    init_programme(root)
    write_export(root / "inbox" / "TK-001" / "Order.all.20260801_20260831.xlsx", "2608GOOD")
    return root


def write_export(path: Path, prefix: str) -> None:
    lines = [
        OrderLineSpec(f"{prefix}{n:04d}", "Selesai", dt.datetime(2026, 8, 3, 10, n), "Kopi", 1,
                      10000)
        for n in range(3)
    ]  # fmt: skip
    write_shopee_orders(path, lines, fmt="xlsx")


def run_sync(root: Path) -> subprocess.CompletedProcess[str]:
    """The real `sheetsync sync` in a subprocess: a blocked run fails the test by timeout."""
    command = [sys.executable, "-m", "sheetsync.cli", "--config", str(root / "sheetsync.toml"),
               "sync", "--month", "2026-08"]  # fmt: skip
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("sync blocked on an entry of the inbox")


def validasi_text(root: Path) -> str:
    book = openpyxl.load_workbook(root / "data" / "program.xlsx", read_only=True)
    try:
        rows = book["Validasi"].iter_rows(values_only=True)
        return "\n".join(" ".join(str(c) for c in row if c is not None) for row in rows)
    finally:
        book.close()


def test_a_fifo_in_the_inbox_does_not_hang_sync(tmp_path: Path) -> None:
    root = build_programme(tmp_path / "prog")
    os.mkfifo(root / "inbox" / "TK-001" / "Order.all.20260901_20260930.xlsx")
    done = run_sync(root)
    assert done.returncode == 0, done.stderr
    assert "1 file(s) imported" in done.stdout
    assert "bukan file biasa (named pipe" in validasi_text(root)


def test_a_symlink_out_of_the_inbox_is_not_read_and_its_target_not_stored(
    tmp_path: Path,
) -> None:
    root = build_programme(tmp_path / "prog")
    outside = tmp_path / "elsewhere" / "secret-orders.xlsx"
    outside.parent.mkdir()
    write_export(outside, "2608SECRET")
    (root / "inbox" / "TK-001" / "x.xlsx").symlink_to(outside)
    (root / "inbox" / "TK-002").symlink_to(outside.parent, target_is_directory=True)
    done = run_sync(root)
    assert done.returncode == 0, done.stderr
    assert "1 file(s) imported" in done.stdout
    with contextlib.closing(sqlite3.connect(root / "data" / "ledger.sqlite")) as db, db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        files = db.execute("SELECT source, path FROM files").fetchall()
    assert [source for source, _ in files] == ["TK-001/Order.all.20260801_20260831.xlsx"]
    stored = b"".join(p.read_bytes() for p in (root / "data").glob("ledger.sqlite*"))
    assert b"elsewhere" not in stored and b"SECRET" not in stored
    assert "pintasan (symlink) ke luar folder inbox" in validasi_text(root)


@pytest.mark.parametrize("kind", ["fifo", "socket"])
def test_special_files_are_skipped_with_a_message(tmp_path: Path, kind: str) -> None:
    inbox = tmp_path / "inbox"
    write_export(inbox / "TK-001" / "good.xlsx", "2608GOOD")
    odd = inbox / "TK-001" / "odd.csv"
    server = socket.socket(socket.AF_UNIX)
    if kind == "fifo":
        os.mkfifo(odd)
    else:
        server.bind(str(odd))
    with server, Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        summary = ingest_inbox(inbox, ledger, workers=1, now=NOW)
        again = ingest_paths([odd], ledger, shop_id="TK-001", workers=1, now=NOW)
    assert summary.files_imported == 1
    found = [(i.code, i.source) for i in summary.issues]
    assert found == [("ingest.special_file", "TK-001/odd.csv")]
    assert [i.code for i in again.issues] == ["ingest.special_file"]


def test_a_symlink_inside_the_inbox_is_followed_once(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_export(inbox / "TK-001" / "good.xlsx", "2608GOOD")
    (inbox / "TK-001" / "link.xlsx").symlink_to(inbox / "TK-001" / "good.xlsx")
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        summary = ingest_inbox(inbox, ledger, workers=1, now=NOW)
    assert (summary.files_imported, summary.files_skipped, summary.issues) == (1, 1, [])
