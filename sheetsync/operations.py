"""Running unattended: the worker's jobs, and alerts around every scheduled run.

`guarded_run` wraps a cron or worker run: a failure alerts the operator (once per
condition), a success clears that condition, and after each run the slower conditions
(no new export for N days, ledger integrity) are checked.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sheetsync import alerts, pipeline
from sheetsync.clock import clock_for
from sheetsync.config import Config
from sheetsync.errors import RunLockedError, SheetsyncError
from sheetsync.worker import Jobs, Worker

log = logging.getLogger("sheetsync.operations")


def alerts_state_path(config: Config) -> Path:
    return config.ledger.path.parent / "alerts-state.json"


def worker_state_path(config: Config) -> Path:
    return config.ledger.path.parent / "worker-state.json"


def _sender(config: Config) -> alerts.SendAlert | None:
    if not config.mail.alert_to:
        return None
    from sheetsync.mail import alert_sender

    return alert_sender(config)


def raise_alerts(config: Config, conditions: list[alerts.Condition], now: dt.datetime) -> list[str]:
    """Deliver alerts for new conditions; an alert that cannot be sent is only logged."""
    send = _sender(config)
    if send is None:
        for condition in conditions:
            log.warning("alert (no mail.alert_to configured): %s", condition.subject)
        return []
    try:
        return alerts.deliver_alerts(
            conditions,
            state_path=alerts_state_path(config),
            send=send,
            now=now,
        )
    except SheetsyncError as exc:
        log.error("could not send the alert: %s", exc)
        return []


def health_conditions(config: Config, now: dt.datetime) -> list[alerts.Condition]:
    """Conditions checked after every run: stale exports, ledger integrity (daily), broken
    staff tabs (the last sync published nothing)."""
    found: list[alerts.Condition] = []
    with pipeline.open_ledger(config) as ledger:
        if not ledger.integrity_ok_today(now.date()):
            found.append(alerts.ledger_damaged("PRAGMA quick_check did not answer ok"))
        newest = max((r.imported_at for r in ledger.files(status="imported")), default=None)
        last_sync = ledger.last_sync()
    if last_sync is not None and last_sync.status == "blocked":
        found.append(alerts.registry_broken(last_sync.message))
    last = dt.datetime.fromisoformat(newest) if newest else None
    stale = alerts.stale_exports(last, now, config.worker.stale_export_days)
    unwritten = alerts.workbook_unwritten(
        pipeline.unwritten_workbook_since(config), now, str(config.workbook.path)
    )
    return found + [c for c in (stale, unwritten) if c is not None]


@contextmanager
def guarded_run(
    config: Config, command: str, now: dt.datetime | None = None
) -> Iterator[dt.datetime]:
    """Alert on failure (once per condition); on success clear it and check health.

    Yields the run's instant (the programme clock read once, or `now`): the run, its
    alerts and the health check after it all use that one instant.
    """
    now = now or pipeline.now_local(config)
    key = f"run-failed:{command.split()[0]}"
    try:
        yield now
    except RunLockedError:
        raise
    except SheetsyncError as exc:
        failed = alerts.run_failed(command, str(exc), retryable=exc.retryable)
        raise_alerts(config, [failed], now)
        raise
    alerts.clear_condition(alerts_state_path(config), key)
    raise_alerts(config, health_conditions(config, now), now)


def scheduled_sync(config: Config) -> None:
    with guarded_run(config, "sync") as now:
        pipeline.sync(config, now=now)


def scheduled_monthly(config: Config, month: str) -> None:
    with guarded_run(config, f"monthly --month {month}") as now:
        result = pipeline.monthly(config, month, now=now)
    if result.send.summary.has_failures:
        log.warning("monthly %s: some emails failed; they are retried on the next run", month)


def run_worker(config: Config, *, sleep: Callable[[float], None] = time.sleep) -> None:
    """The long-running worker with the real pipeline jobs."""
    jobs = Jobs(sync=scheduled_sync, monthly=scheduled_monthly)
    worker = Worker(
        config,
        jobs,
        clock=clock_for(config),
        state_path=worker_state_path(config),
    )
    worker.run_forever(sleep)
