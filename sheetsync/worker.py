"""`sheetsync worker`: the long-running scheduler around the same pipeline functions.

Daily syncs at `worker.sync_times` and, on `worker.monthly_day` at `worker.monthly_time`,
the monthly run (final sync of the previous month, reports, send) — all in the
programme's time zone (schedule's pytz support). A run missed while the machine was off
is caught up at start and on every tick (state in `worker-state.json` beside the
ledger). SIGTERM/SIGINT stop the loop after the step in progress; nothing is cut in half.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType

import schedule

from sheetsync.clock import Clock
from sheetsync.config import Config
from sheetsync.errors import RunLockedError, SheetsyncError
from sheetsync.months import month_of, previous_month

log = logging.getLogger("sheetsync.worker")


@dataclass(slots=True)
class WorkerState:
    """What the worker last completed; survives restarts so missed runs are caught up."""

    last_sync_at: str | None = None  # ISO, programme-local
    last_monthly_month: str | None = None  # the month whose monthly run completed

    @classmethod
    def load(cls, path: Path) -> WorkerState:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data.get("last_sync_at"), data.get("last_monthly_month"))
        except (OSError, ValueError, AttributeError):
            return cls()

    def save(self, path: Path) -> None:
        """Atomic: a temporary file renamed over the old one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".worker-state.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(self), handle)
        os.replace(tmp, path)


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(p) for p in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute))


def latest_sync_slot(now: dt.datetime, sync_times: tuple[str, ...]) -> dt.datetime | None:
    """The most recent scheduled sync time at or before `now` (today or yesterday)."""
    slots = [
        _at(day, t) for day in (now.date() - dt.timedelta(days=1), now.date()) for t in sync_times
    ]
    past = [s for s in slots if s <= now]
    return max(past) if past else None


def due_monthly_month(now: dt.datetime, monthly_day: int, monthly_time: str) -> str:
    """The month whose monthly run should have happened by `now`."""
    this_month_run = _at(now.date().replace(day=monthly_day), monthly_time)
    reference = month_of(now) if now >= this_month_run else previous_month(month_of(now))
    return previous_month(reference)


def missed_runs(now: dt.datetime, state: WorkerState, config: Config) -> list[tuple[str, str]]:
    """Runs that should have happened but did not: [("sync", ""), ("monthly", "2026-10")]."""
    missed: list[tuple[str, str]] = []
    slot = latest_sync_slot(now, config.worker.sync_times)
    if slot and (
        state.last_sync_at is None or dt.datetime.fromisoformat(state.last_sync_at) < slot
    ):
        missed.append(("sync", ""))
    month = due_monthly_month(now, config.worker.monthly_day, config.worker.monthly_time)
    if state.last_monthly_month is None or state.last_monthly_month < month:
        missed.append(("monthly", month))
    return missed


@dataclass(slots=True)
class Jobs:
    """The pipeline functions the worker calls (injectable for tests)."""

    sync: Callable[[Config], object]
    monthly: Callable[[Config, str], object]
    on_failure: Callable[[Config, str, SheetsyncError | Exception], None] | None = None


class Worker:
    def __init__(self, config: Config, jobs: Jobs, *, clock: Clock, state_path: Path) -> None:
        self.config = config
        self.jobs = jobs
        self.clock = clock
        self.state_path = state_path
        self.state = WorkerState.load(state_path)
        self.stopping = False
        self.scheduler = schedule.Scheduler()
        self._schedule_jobs()

    def _schedule_jobs(self) -> None:
        tz = self.config.program.timezone
        for hhmm in self.config.worker.sync_times:
            self.scheduler.every().day.at(hhmm, tz).do(self.run_sync).tag("sync")
        self.scheduler.every().day.at(self.config.worker.monthly_time, tz).do(
            self.run_monthly_if_due
        ).tag("monthly")

    # -- the steps ------------------------------------------------------------------
    def run_sync(self) -> None:
        if self._run("sync", lambda: self.jobs.sync(self.config)):
            self.state.last_sync_at = self.clock().isoformat(timespec="seconds")
            self.state.save(self.state_path)

    def run_monthly_if_due(self) -> None:
        month = due_monthly_month(
            self.clock(), self.config.worker.monthly_day, self.config.worker.monthly_time
        )
        if self.state.last_monthly_month and self.state.last_monthly_month >= month:
            return
        if self._run(f"monthly {month}", lambda: self.jobs.monthly(self.config, month)):
            self.state.last_monthly_month = month
            self.state.save(self.state_path)

    def catch_up(self) -> None:
        """Run what was missed while the machine was off (monthly before a plain sync)."""
        missed = missed_runs(self.clock(), self.state, self.config)
        kinds = [kind for kind, _ in missed]
        if "monthly" in kinds:
            self.run_monthly_if_due()
        if "sync" in kinds and not self.stopping:
            self.run_sync()

    def _run(self, name: str, step: Callable[[], object]) -> bool:
        """One step; failures are logged and alerted, never crash the worker."""
        log.info("worker: %s starts", name)
        try:
            step()
        except RunLockedError as exc:
            log.warning("worker: %s skipped: %s", name, exc)
            return False
        except Exception as exc:  # the worker must outlive any one failed run
            log.error("worker: %s failed: %s", name, exc)
            if self.jobs.on_failure:
                self.jobs.on_failure(self.config, name, exc)
            return False
        log.info("worker: %s done", name)
        return True

    # -- the loop -------------------------------------------------------------------
    def tick(self) -> None:
        """One pass: scheduled jobs that are due, then catch-up of anything missed."""
        self.scheduler.run_pending()
        if not self.stopping:
            self.catch_up()

    def stop(self, signum: int | None = None, _frame: FrameType | None = None) -> None:
        log.info("worker: stopping after the step in progress (signal %s)", signum)
        self.stopping = True

    def run_forever(self, sleep: Callable[[float], None], *, max_idle: float = 30.0) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        log.info("worker: started; next run at %s", self.scheduler.next_run)
        while not self.stopping:
            self.tick()
            idle = self.scheduler.idle_seconds
            sleep(max(1.0, min(max_idle, idle if idle is not None else max_idle)))
        log.info("worker: stopped")
