"""A forked call gives its value, or None whatever goes wrong in the child, never hangs
the run and never leaves its process behind; a pool keeps its workers on cores of their
own when asked and able."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from sheetsync.procpool import forked, process_pool, usable_cores

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="this system cannot fork")


def total(values: list[int]) -> int:
    return sum(values)


def fails() -> int:
    raise ValueError("a bug in the computation")


def dies() -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


def hangs() -> int:
    time.sleep(60)
    return 0


def unpicklable() -> object:
    return lambda: None


def test_the_child_shares_the_arguments_and_sends_the_value_back() -> None:
    data = list(range(100_000))  # shared by fork, never pickled
    call = forked(total, data)
    assert call is not None
    assert call.result(timeout=30) == sum(data)
    assert not call.process.is_alive()


@pytest.mark.parametrize("function", [fails, dies, unpicklable], ids=lambda f: f.__name__)
def test_whatever_goes_wrong_in_the_child_gives_none(function) -> None:  # type: ignore[no-untyped-def]
    call = forked(function)
    assert call is not None
    assert call.result(timeout=30) is None
    assert not call.process.is_alive()


def test_a_child_past_its_time_is_ended_and_gives_none() -> None:
    call = forked(hangs)
    assert call is not None
    started = time.monotonic()
    assert call.result(timeout=0.5) is None
    assert time.monotonic() - started < 10
    assert not call.process.is_alive()


def test_no_fork_on_this_system_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert forked(total, [1, 2]) is None


# --------------------------------------------------------------------------- pools

needs_affinity = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity"), reason="this system cannot keep a process on a core"
)


def cores_of_this_worker() -> tuple[int, frozenset[int]]:
    time.sleep(0.2)  # held long enough that every worker of the pool takes a task
    return os.getpid(), frozenset(os.sched_getaffinity(0))


def cores_of_each_worker(pool: ProcessPoolExecutor, workers: int) -> dict[int, frozenset[int]]:
    """Each worker's pid -> the cores it may run on (asked until every worker answered)."""
    seen: dict[int, frozenset[int]] = {}
    for _ in range(20):
        futures = [pool.submit(cores_of_this_worker) for _ in range(workers * 2)]
        seen.update(future.result(timeout=30) for future in futures)
        if len(seen) == workers:
            break
    assert len(seen) == workers
    return seen


@needs_affinity
def test_a_pool_of_own_cores_keeps_each_worker_on_a_different_allowed_core() -> None:
    allowed = frozenset(os.sched_getaffinity(0))
    if len(allowed) < 2:
        pytest.skip("one usable core: nothing to place")
    with process_pool(2, own_cores=True) as pool:
        placed = cores_of_each_worker(pool, 2)
    cores = list(placed.values())
    assert all(len(each) == 1 and each <= allowed for each in cores)
    assert cores[0] != cores[1]
    assert frozenset(os.sched_getaffinity(0)) == allowed  # the parent stays free


@needs_affinity
def test_without_own_cores_or_with_more_workers_than_cores_workers_run_anywhere() -> None:
    allowed = frozenset(os.sched_getaffinity(0))
    with process_pool(2) as pool:
        assert set(cores_of_each_worker(pool, 2).values()) == {allowed}
    crowded = len(allowed) + 1
    with process_pool(crowded, own_cores=True) as pool:
        assert set(cores_of_each_worker(pool, crowded).values()) == {allowed}


@needs_affinity
def test_a_refused_placement_leaves_the_worker_working(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(pid: int, cores: object) -> None:
        raise PermissionError("not allowed here")

    monkeypatch.setattr(os, "sched_setaffinity", refuse)  # inherited by the forked workers
    with process_pool(1, own_cores=True, start_method="fork") as pool:
        assert pool.submit(total, [1, 2, 3]).result(timeout=30) == 6
        assert pool.submit(cores_of_this_worker).result(timeout=30)[1] == frozenset(
            os.sched_getaffinity(0)
        )


def test_usable_cores_counts_what_this_process_may_run_on() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    assert usable_cores() == (expected or os.cpu_count() or 1)
