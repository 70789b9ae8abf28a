from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetsync.alerts import (
    clear_condition,
    deliver_alerts,
    ledger_damaged,
    run_failed,
    stale_exports,
)

NOW = dt.datetime(2026, 11, 22, 7, 0)


def test_an_alert_is_sent_once_while_its_condition_lasts(tmp_path: Path) -> None:
    state = tmp_path / "alerts.json"
    sent: list[str] = []

    def send(subject: str, _body: str) -> None:
        sent.append(subject)

    failure = run_failed("sync", "Spreadsheet not shared", retryable=False)
    assert deliver_alerts([failure], state_path=state, send=send, now=NOW) == [failure.key]
    assert deliver_alerts([failure], state_path=state, send=send, now=NOW) == []
    assert len(sent) == 1
    # the condition clears (no longer active) and comes back: alert again
    deliver_alerts([], state_path=state, send=send, now=NOW)
    deliver_alerts([failure], state_path=state, send=send, now=NOW)
    assert len(sent) == 2


def test_clear_condition_after_a_good_run(tmp_path: Path) -> None:
    state = tmp_path / "alerts.json"
    sent: list[str] = []
    damaged = ledger_damaged("page 12 corrupt")
    deliver_alerts([damaged], state_path=state, send=lambda s, b: sent.append(s), now=NOW)
    clear_condition(state, damaged.key)
    deliver_alerts([damaged], state_path=state, send=lambda s, b: sent.append(s), now=NOW)
    assert len(sent) == 2


def test_stale_exports_condition() -> None:
    assert stale_exports(NOW - dt.timedelta(days=2), NOW, 7) is None
    stale = stale_exports(NOW - dt.timedelta(days=8), NOW, 7)
    assert stale is not None and "2026-11-14" in stale.body
    never = stale_exports(None, NOW, 7)
    assert never is not None and "never" in never.body


def test_failure_advice_depends_on_retryable() -> None:
    assert "try again" in run_failed("sync", "429", retryable=True).body
    assert "will not fix itself" in run_failed("sync", "403", retryable=False).body
