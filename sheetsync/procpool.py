"""Process pools whose workers never outlive the run that started them.

When a run is killed outright (SIGKILL, the OOM killer), a ProcessPoolExecutor's workers
are orphaned and wait forever on a queue whose writer their siblings still hold open.
On Linux each worker asks the kernel for a signal when its parent dies
(prctl PR_SET_PDEATHSIG), so nothing is left running behind a killed run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Pool initializer: end this worker when the process that started it dies."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def process_pool(workers: int, *, start_method: str | None = None) -> ProcessPoolExecutor:
    """A pool of `workers` processes that end when the run that owns them ends."""
    context = multiprocessing.get_context(start_method) if start_method else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=die_with_parent)
