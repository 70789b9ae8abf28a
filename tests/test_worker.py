"""The worker's schedule under a fake clock: daily syncs, the monthly run, catch-up."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

import pytest
import schedule

from sheetsync.config import config_from_mapping
from sheetsync.errors import RunLockedError
from sheetsync.worker import Jobs, Worker, WorkerState, due_monthly_month, missed_runs

# the fake clock converts through the machine's local time zone (`schedule` does)
pytestmark = pytest.mark.clock

JAKARTA = dt.timezone(dt.timedelta(hours=7))


class FakeClock:
    """Programme time (WIB) for the worker, and the same instant for `schedule`."""

    def __init__(self, start: dt.datetime) -> None:
        self.now_wib = start

    def __call__(self) -> dt.datetime:
        return self.now_wib

    def advance(self, **delta: float) -> None:
        self.now_wib += dt.timedelta(**delta)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        clock = self

        class FakeDatetime(dt.datetime):
            @classmethod
            def now(cls, tz: dt.tzinfo | None = None) -> FakeDatetime:  # type: ignore[override]
                aware = clock.now_wib.replace(tzinfo=JAKARTA)
                moment = aware.astimezone(tz) if tz else aware.astimezone().replace(tzinfo=None)
                return (
                    cls.fromtimestamp(moment.timestamp(), tz)
                    if tz
                    else cls(*moment.timetuple()[:6])
                )

        fake_module = types.SimpleNamespace(
            datetime=FakeDatetime, timedelta=dt.timedelta, time=dt.time, date=dt.date
        )
        monkeypatch.setattr(schedule, "datetime", fake_module)


def make_config(tmp_path: Path):
    return config_from_mapping(
        {"worker": {"sync_times": ["06:00", "18:00"], "monthly_day": 1, "monthly_time": "07:00"}},
        base_dir=tmp_path,
    )


class Calls:
    def __init__(self) -> None:
        self.log: list[str] = []
        self.fail_sync = False

    def jobs(self) -> Jobs:
        def sync(_config: object) -> None:
            if self.fail_sync:
                raise RunLockedError("busy")
            self.log.append("sync")

        def monthly(_config: object, month: str) -> None:
            self.log.append(f"monthly {month}")

        return Jobs(sync=sync, monthly=monthly)


def test_daily_syncs_and_monthly_run_at_their_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(dt.datetime(2026, 10, 31, 19, 0))
    clock.install(monkeypatch)
    calls = Calls()
    state = tmp_path / "state.json"
    WorkerState("2026-10-31T18:00:00", "2026-09").save(state)
    worker = Worker(make_config(tmp_path), calls.jobs(), clock=clock, state_path=state)
    worker.tick()
    assert calls.log == []  # nothing due: 18:00 done, September's monthly done
    clock.advance(hours=11, minutes=1)  # 1 Nov 06:01
    worker.tick()
    assert calls.log == ["sync"]
    clock.advance(hours=1)  # 07:01: the monthly run for October
    worker.tick()
    assert calls.log == ["sync", "monthly 2026-10"]
    clock.advance(hours=1)
    worker.tick()
    assert calls.log == ["sync", "monthly 2026-10"]  # not repeated
    assert WorkerState.load(state).last_monthly_month == "2026-10"


def test_catch_up_after_the_machine_was_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(dt.datetime(2026, 11, 3, 9, 30))  # off from 30 Oct to 3 Nov 09:30
    clock.install(monkeypatch)
    calls = Calls()
    state = tmp_path / "state.json"
    WorkerState("2026-10-30T18:00:00", "2026-09").save(state)
    worker = Worker(make_config(tmp_path), calls.jobs(), clock=clock, state_path=state)
    worker.tick()
    assert calls.log == ["monthly 2026-10", "sync"]
    worker.tick()
    assert calls.log == ["monthly 2026-10", "sync"]


def test_a_locked_run_is_retried_later_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(dt.datetime(2026, 11, 10, 6, 5))
    clock.install(monkeypatch)
    calls = Calls()
    state = tmp_path / "state.json"
    WorkerState("2026-11-09T18:00:00", "2026-10").save(state)
    worker = Worker(make_config(tmp_path), calls.jobs(), clock=clock, state_path=state)
    calls.fail_sync = True
    worker.tick()
    assert calls.log == []
    calls.fail_sync = False
    clock.advance(minutes=1)
    worker.tick()
    assert calls.log == ["sync"]


def test_stop_ends_the_loop_after_the_current_step(tmp_path: Path) -> None:
    calls = Calls()
    clock = FakeClock(dt.datetime(2026, 11, 10, 12, 0))
    worker = Worker(
        make_config(tmp_path), calls.jobs(), clock=clock, state_path=tmp_path / "s.json"
    )
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        worker.stop()

    worker.run_forever(sleep)
    assert worker.stopping and len(sleeps) == 1


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 1, 6, 59), "2026-09"),
        (dt.datetime(2026, 11, 1, 7, 0), "2026-10"),
        (dt.datetime(2026, 11, 22, 12, 0), "2026-10"),
        (dt.datetime(2027, 1, 1, 8, 0), "2026-12"),
    ],
)
def test_due_monthly_month(now: dt.datetime, expected: str) -> None:
    assert due_monthly_month(now, 1, "07:00") == expected


def test_missed_runs_on_a_fresh_install(tmp_path: Path) -> None:
    missed = missed_runs(dt.datetime(2026, 11, 22, 12, 0), WorkerState(), make_config(tmp_path))
    assert missed == [("sync", ""), ("monthly", "2026-10")]
