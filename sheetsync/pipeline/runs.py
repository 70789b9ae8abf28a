"""What every run opens and closes: its instant, the workbook, the ledger, its record.

A run reads the programme clock once, here, and passes that instant to every step, so the
sync, the reports and the emails of one run agree on which day it is. The adapters are
built in one place so that cron, the worker and the tests open the same ones, and a run's
record is stored before it does anything, so a killed run still leaves a trace.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sheetsync.clock import Clock, clock_for
from sheetsync.config import Config, google_credentials_path
from sheetsync.runlog import INTERRUPTED_MESSAGE, RunRecord, append_json_line
from sheetsync.workbook.base import Workbook

if TYPE_CHECKING:
    from sheetsync.ledger import Ledger

Progress = Callable[[str, int, int], None]  # (what, done, total)
log = logging.getLogger("sheetsync.pipeline")  # plain timestamped lines on stderr (cli.py)


def now_local(config: Config, clock: Clock | None = None) -> dt.datetime:
    """The programme's wall-clock time (naive), from `clock` or the configured programme's.

    Each run reads it once and passes the instant down (sheetsync/clock.py says why).
    """
    return (clock or clock_for(config))()


def open_workbook(config: Config) -> Workbook:
    """The configured backend, built in one place so cron, worker and tests agree."""
    if config.workbook.backend == "gsheets":
        from sheetsync.workbook import gsheets

        client = gsheets.make_client(
            google_credentials_path(config),
            endpoint=config.workbook.endpoint,
            timeout=config.workbook.timeout_seconds,
        )
        return gsheets.GSheetsWorkbook(client, config.workbook.spreadsheet_id)
    from sheetsync.workbook.xlsx import XlsxWorkbook

    return XlsxWorkbook(config.workbook.path)


@contextmanager
def open_ledger(config: Config) -> Iterator[Ledger]:
    from sheetsync.ledger import Ledger

    with Ledger.open(config.ledger.path, backups=config.ledger.backups) as ledger:
        yield ledger


def inbox_folders(config: Config) -> list[str]:
    """Shop folders in the inbox (each folder name is a shop's ID Toko)."""
    inbox = config.inbox.path
    if not inbox.is_dir():
        return []
    return sorted(p.name for p in inbox.iterdir() if p.is_dir() and not p.name.startswith("."))


@contextmanager
def recorded(
    config: Config, ledger: Ledger, record: RunRecord, *, store: bool = True
) -> Iterator[None]:
    """Store the run as "running" before it does anything (a killed run leaves its record;
    the next run marks it "interrupted"); a run that raises is closed as failed."""
    if not store:
        yield
        return
    for stale in ledger.interrupt_stale_runs(INTERRUPTED_MESSAGE):
        append_json_line(config.worker.log_dir, stale)
    ledger.record_run(record)
    try:
        yield
    except BaseException as exc:
        record.message = str(exc) or type(exc).__name__
        finish_run(
            config, ledger, record, "failed" if isinstance(exc, Exception) else "interrupted"
        )
        raise


def finish_run(config: Config, ledger: Ledger, record: RunRecord, status: str) -> None:
    """Close the run's record: in the ledger (for the Log tab) and the JSON-lines log."""
    record.status = status
    record.mark_ended()
    ledger.record_run(record)
    append_json_line(config.worker.log_dir, record)


def add_message(record: RunRecord, *texts: str) -> None:
    """Append to the run's message (the Log tab's Keterangan), "; " between parts."""
    record.message = "; ".join(filter(None, [record.message, *texts]))
