"""Process pools and forked calls whose processes never outlive the run that started them.

When a run is killed outright (SIGKILL, the OOM killer), a ProcessPoolExecutor's workers
are orphaned and wait forever on a queue whose writer their siblings still hold open.
On Linux each worker asks the kernel for a signal when its parent dies
(prctl PR_SET_PDEATHSIG), so nothing is left running behind a killed run.

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


def process_pool(workers: int, *, start_method: str | None = None) -> ProcessPoolExecutor:
    """A pool of `workers` processes that end when the run that owns them ends."""
    context = multiprocessing.get_context(start_method) if start_method else None
    return _Pool(max_workers=workers, mp_context=context, initializer=die_with_parent)


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
