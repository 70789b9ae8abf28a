"""Process pools and forked calls whose processes never outlive the run that started them.

When a run is killed outright (SIGKILL, the OOM killer), a ProcessPoolExecutor's workers
are orphaned and wait forever on a queue whose writer their siblings still hold open.
On Linux each worker asks the kernel for a signal when its parent dies
(prctl PR_SET_PDEATHSIG), so nothing is left running behind a killed run.

A pool can also keep each worker on a core of its own (`own_cores`), for the ingest's
readers: see `_Cores`.

`forked` runs one call in a child forked from this process: a million lines already in
memory are shared with it page by page instead of being pickled across, so a second core
can work on them. Whatever goes wrong there (no fork on this system, the child killed,
an exception, a hang past its time) the call gives None and the caller does the work
itself: a forked call can make a run faster, never wrong.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

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


def process_pool(
    workers: int, *, start_method: str | None = None, own_cores: bool = False
) -> ProcessPoolExecutor:
    """A pool of `workers` processes that end when the run that owns them ends; with
    `own_cores`, each kept on a core of its own when there are enough (`_Cores`)."""
    context = multiprocessing.get_context(start_method)
    cores = _Cores.for_workers(workers, context) if own_cores else None
    return _Pool(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(cores,)
    )


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than
    the machine has, which is all `os.cpu_count` tells)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(frozen=True)
class _Cores:
    """The cores a pool's workers are kept on, one each, taken in the order they start.

    Why: pyarrow's CSV reader hands each file's bytes to the parser from a short-lived
    readahead thread, and the reader process waits for it. With the processes free to
    run anywhere, that thread was often queued behind the other busy core while the core
    its reader had just left stood idle: at province scale the readers waited 0.3 s each
    (perf sched) and a tenth of both cores went unused. A reader kept on its own core
    runs that thread on the core it waits on. Files are still handed out a batch at a
    time to whichever reader is free, so a core busy with something else only gets fewer.
    """

    cores: tuple[int, ...]
    started: Any  # a multiprocessing Value the workers share: how many have taken a core

    @classmethod
    def for_workers(cls, workers: int, context: Any) -> _Cores | None:
        """One core per worker, or None (every worker free to move) where the system
        cannot keep a process on a core or has fewer usable cores than workers."""
        if not hasattr(os, "sched_setaffinity"):
            return None
        allowed = sorted(os.sched_getaffinity(0))
        if workers > len(allowed):
            return None
        return cls(tuple(allowed[:workers]), context.Value("i", 0))

    def take(self) -> int:
        """The core of the worker starting now."""
        with self.started.get_lock():
            at = int(self.started.value)
            self.started.value = at + 1
        return self.cores[at % len(self.cores)]


def _start_worker(cores: _Cores | None) -> None:
    """Pool initializer: end with the parent; keep to a core of its own when given."""
    die_with_parent()
    if cores is None:
        return
    with contextlib.suppress(OSError):  # refused (a tighter cpuset since): run anywhere
        os.sched_setaffinity(0, {cores.take()})


class _Pool(ProcessPoolExecutor):
    """Workers are forked at the first submit, when the run may have threads by then (the
    ledger's checkpointer, Arrow's): see `_threaded_fork_allowed`."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        with _threaded_fork_allowed():
            return super().submit(fn, *args, **kwargs)


@contextlib.contextmanager
def _threaded_fork_allowed() -> Iterator[None]:
    """Python 3.12+ warns when a process with threads forks: a lock another thread held
    at the fork may deadlock the child. Both callers here fork children that only compute
    (no SQLite, where the ledger's checkpointer sits) and are ended if they hang."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        yield


@dataclass(frozen=True)
class _Failed:
    """What a forked call sends back instead of a result: why it failed."""

    reason: str


@dataclass
class Forked(Generic[T]):
    """A call running in a forked child (`forked`); `result` collects it once."""

    process: Any  # multiprocessing's ForkProcess (its type is not exported)
    receiver: Connection

    def result(self, timeout: float) -> T | None:
        """The call's value; None when it failed, its process died or it took longer than
        `timeout` seconds (the process is then ended). Never raises."""
        try:
            if not self.receiver.poll(timeout):
                log.warning("forked call still running after %.0f s: ended", timeout)
                return None
            value = self.receiver.recv()
        except (EOFError, OSError) as exc:  # the child died (killed, out of memory)
            log.warning("forked call ended without a result: %s", exc)
            return None
        finally:
            self._end()
        if isinstance(value, _Failed):
            log.warning("forked call failed: %s", value.reason)
            return None
        return value

    def _end(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.receiver.close()


def forked(function: Callable[..., T], *args: Any) -> Forked[T] | None:
    """`function(*args)` started in a child forked from this process (its arguments are
    shared, not pickled; only the result comes back pickled). None where this system
    cannot fork or the fork fails: the caller then runs the call itself.

    The child must not touch what belongs to the parent's run (the ledger connection,
    the workbook): give it pure computations on data in memory.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_send_result, args=(sender, function, args), daemon=True)
    try:
        with _threaded_fork_allowed():  # `Forked.result`'s time limit ends a hung child
            process.start()
    except OSError as exc:  # no memory or no process slot for a fork: do it here
        log.warning("could not fork for a parallel call: %s", exc)
        receiver.close()
        sender.close()
        return None
    sender.close()  # the child holds the only writing end: its death is EOF here
    return Forked(process, receiver)


def _send_result(sender: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the child: run the call and send its value, or why it failed, to the parent."""
    die_with_parent()
    try:
        value: Any = function(*args)
        sender.send(value)
    except BaseException as exc:  # the parent decides; the child only reports
        sender.send(_Failed(f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()
