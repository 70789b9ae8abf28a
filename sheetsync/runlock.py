"""One run at a time: a file lock around every run.

filelock's `FileLock` uses an OS lock (flock) on Unix, which the kernel releases when the
holding process dies, so the lock of a killed run (SIGKILL, reboot) never blocks the next
one: the file may stay on disk but it is no longer locked. A second run that finds the lock
held exits at once with `RunLockedError` (exit code 75) instead of waiting.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from sheetsync.errors import RunLockedError


@contextmanager
def run_lock(lock_path: Path, *, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the run lock for the duration of the block, or raise RunLockedError."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path), timeout=wait_seconds)
    try:
        lock.acquire()
    except Timeout as exc:
        raise RunLockedError(
            f"Another sheetsync run is in progress (lock {lock_path} is held); "
            "this run did nothing. It will run again at its next scheduled time."
        ) from exc
    try:
        _write_owner(lock_path)
        yield
    finally:
        lock.release()


def _write_owner(lock_path: Path) -> None:
    """Leave the holder's pid beside the lock, for a person looking at a busy server."""
    owner = lock_path.with_suffix(lock_path.suffix + ".pid")
    with contextlib.suppress(OSError):
        owner.write_text(f"{os.getpid()}\n", encoding="ascii")
