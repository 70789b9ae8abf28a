"""One run at a time; a killed run's lock never blocks the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sheetsync.errors import EXIT_LOCKED, RunLockedError
from sheetsync.runlock import run_lock

HOLD_LOCK = """
import sys, time
from pathlib import Path
from sheetsync.runlock import run_lock
with run_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def start_holder(lock: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def stop(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    if proc.stdout:
        proc.stdout.close()


def test_second_run_exits_at_once_with_its_own_code(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    holder = start_holder(lock)
    try:
        started = time.monotonic()
        with pytest.raises(RunLockedError) as err, run_lock(lock):
            pass
        assert time.monotonic() - started < 2
        assert err.value.exit_code == EXIT_LOCKED
        assert "in progress" in str(err.value)
    finally:
        stop(holder)


def test_lock_of_a_killed_run_does_not_block(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    holder = start_holder(lock)
    os.kill(holder.pid, signal.SIGKILL)
    stop(holder)
    assert lock.exists()  # the file may stay behind ...
    with run_lock(lock):  # ... but it is not locked any more
        pass


def test_lock_is_released_after_the_block(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    with run_lock(lock):
        pass
    with run_lock(lock):
        pass
