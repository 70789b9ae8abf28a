"""A forked call gives its value, or None whatever goes wrong in the child, never hangs
the run and never leaves its process behind."""

from __future__ import annotations

import os
import signal
import time

import pytest

from sheetsync.procpool import forked

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
