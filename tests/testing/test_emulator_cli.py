"""The command line serves a workbook seeded from an .xlsx, with real JWT auth, quietly
until killed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment_on_this_clock() -> dict[str, str]:
    """Under libfaketime ("@instant") the child's clock does not follow ours (it restarts or
    follows faketime's shared-memory ticks), so it sees the JWT we sign as issued in its
    future. Start the child's own clock where ours is now (real machines share one clock)."""
    env = dict(os.environ)
    if env.get("FAKETIME", "").startswith("@"):
        # FAKETIME takes whole seconds: round up, so the child is never behind us.
        env["FAKETIME"] = time.strftime("@%Y-%m-%d %H:%M:%S", time.localtime(time.time() + 1))
        env.pop("FAKETIME_SHARED", None)
    return env


def test_command_line_serves_a_seeded_workbook_quietly_until_killed(tmp_path):
    import openpyxl

    from sheetsync.workbook.gsheets import GSheetsWorkbook, make_client

    xlsx = tmp_path / "program.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Toko"
    book.active.append(["ID Toko", "Nama Toko"])
    book.active.append(["007", "Kopi"])
    book.create_sheet("KPI Toko").append(["not", "seeded"])
    book.save(xlsx)
    key, port = tmp_path / "sa.json", free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sheetsync.testing.sheets_emulator",
            "--port",
            str(port),
            "--service-account",
            str(key),
            "--seed",
            str(xlsx),
            "--spreadsheet-id",
            "demo",
            "--require-auth",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment_on_this_clock(),
    )
    try:
        wait_for(key.exists)
        client = make_client(key, endpoint=f"http://127.0.0.1:{port}", timeout=5)
        tables = GSheetsWorkbook(client, "demo").read_tabs(["Toko", "KPI Toko"])
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert tables["Toko"].rows == (("007", "Kopi"),)
    assert "KPI Toko" not in tables  # only staff tabs are seeded
    assert out == b"" and err == b""


def wait_for(ready) -> None:
    for _ in range(200):
        try:
            if ready():
                return
        except (requests.ConnectionError, ValueError):
            pass
        time.sleep(0.05)
    raise AssertionError("emulator did not start")
