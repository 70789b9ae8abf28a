"""The send ledger: what makes sending exactly-once survive restarts and shared files.

Its tables are the ledger's (made by the ledger's migrations only): a send log works on
a ledger opened by Ledger.open, and refuses a connection the ledger has not migrated.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.errors import LedgerError
from sheetsync.ledger.schema import MIGRATIONS
from sheetsync.ledger.sendlog import SendLog, SendRecord, SendResult
from sheetsync.ledger.store import Ledger

T0 = dt.datetime(2026, 9, 2, 7, 0)


def record(**changes: object) -> SendRecord:
    values: dict[str, object] = {
        "month": "2026-08",
        "recipient": "camat.sijuk@example.go.id",
        "report_key": "kecamatan:Sijuk",
        "content_hash": "a" * 64,
        "sent_at": T0,
        "result": SendResult.SENT,
        "message_id": "<1@dinas.example.go.id>",
    }
    values.update(changes)
    return SendRecord(**values)  # type: ignore[arg-type]


@pytest.fixture
def log(tmp_path: Path) -> Iterator[SendLog]:
    opened = SendLog.open(tmp_path / "data" / "ledger.sqlite")
    yield opened
    opened.close()


def test_a_record_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with SendLog.open(path) as first:
        first.record(record())
    with SendLog.open(path) as again:
        assert (
            again.last_sent("2026-08", "camat.sijuk@example.go.id", "kecamatan:Sijuk") == record()
        )


def test_last_sent_ignores_failures_and_takes_the_latest_revision(log: SendLog) -> None:
    log.record(record(result=SendResult.FAILED, error="550 no such user"))
    assert log.last_sent("2026-08", "camat.sijuk@example.go.id", "kecamatan:Sijuk") is None
    log.record(record())
    log.record(record(content_hash="b" * 64, revision=1, sent_at=T0 + dt.timedelta(days=3)))
    log.record(record(content_hash="c" * 64, revision=1, result=SendResult.FAILED))
    latest = log.last_sent("2026-08", "Camat.Sijuk@Example.go.id", "kecamatan:Sijuk")
    assert latest is not None and (latest.revision, latest.content_hash) == (1, "b" * 64)


@pytest.mark.parametrize(
    ("month", "recipient", "key"),
    [
        ("2026-07", "camat.sijuk@example.go.id", "kecamatan:Sijuk"),
        ("2026-08", "kades@example.go.id", "kecamatan:Sijuk"),
        ("2026-08", "camat.sijuk@example.go.id", "kabupaten:"),
    ],
)
def test_a_send_counts_only_for_its_own_month_person_and_report(
    log: SendLog, month: str, recipient: str, key: str
) -> None:
    log.record(record())
    assert log.last_sent(month, recipient, key) is None


def test_the_figures_a_message_showed_are_kept_with_it(log: SendLog) -> None:
    shown = (("Transaksi selesai", "120"), ("Penjualan", "Rp 1.000.000"))
    log.record(record(figures=shown))
    log.record(record(figures=(), result=SendResult.FAILED))
    latest = log.last_sent("2026-08", "camat.sijuk@example.go.id", "kecamatan:Sijuk")
    assert latest is not None and latest.figures == shown
    assert [r.figures for r in log.history()] == [shown, ()]


def test_sent_count_on_counts_only_successes_of_that_local_day(log: SendLog) -> None:
    day = T0.date()
    log.record(record(sent_at=dt.datetime.combine(day, dt.time(0, 0))))
    log.record(record(sent_at=dt.datetime.combine(day, dt.time(23, 59, 59))))
    log.record(record(sent_at=T0, result=SendResult.FAILED))
    log.record(record(sent_at=dt.datetime.combine(day, dt.time()) - dt.timedelta(seconds=1)))
    log.record(record(sent_at=dt.datetime.combine(day + dt.timedelta(days=1), dt.time())))
    assert log.sent_count_on(day) == 2


def test_a_v1_sends_table_gains_revision_through_the_migrations(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    v1 = MIGRATIONS[0]
    assert isinstance(v1, str) and "revision" not in v1  # the first release's sends table
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(v1 + "\nPRAGMA user_version = 1;")
        db.execute(
            "INSERT INTO sends (month, recipient, report_key, content_hash, sent_at, result)"
            " VALUES ('2026-08', 'x@example.go.id', 'kabupaten:', 'h',"
            " '2026-09-01 08:00:00', 'sent')"
        )
    with Ledger.open(path, backups=tmp_path / "backups") as ledger:
        log = SendLog(ledger.connection)
        earlier = log.last_sent("2026-08", "X@example.go.id", "kabupaten:")
        assert earlier is not None and (earlier.revision, earlier.error) == (0, "")
        log.record(record(revision=2))
        assert [r.revision for r in log.history("2026-08")] == [0, 2]


def test_sends_survive_in_the_ledger_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with SendLog.open(path) as log:  # through ledger.py: its migrations run first
        log.record(record())
    with Ledger.open(path) as ledger:
        log = SendLog(ledger.connection)
        [mine] = log.history("2026-08")
        assert (mine.recipient, mine.sent_at, mine.result) == (
            "camat.sijuk@example.go.id",
            T0,
            "sent",
        )
        log.record(
            record(recipient="kades@example.go.id", report_key="desa:19.02.04.2004",
                   message_id="<2@x.example>")
        )  # fmt: skip
        theirs = log.last_sent("2026-08", "kades@example.go.id", "desa:19.02.04.2004")
        assert theirs is not None and (theirs.sent_at, theirs.revision) == (T0, 0)
        assert log.sent_count_on(T0.date()) == 2


def test_it_works_on_the_ledgers_own_connection(ledger: Ledger) -> None:
    connection = ledger.connection
    schema = connection.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
    log = SendLog(connection)
    log.record(record())
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"files", "sends"} <= tables
    # the ledger's migrations made every table: the send log adds none and alters none
    assert connection.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall() == schema


def test_a_connection_the_ledger_has_not_migrated_is_refused(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "ledger.sqlite")) as connection:
        connection.execute("CREATE TABLE files (sha256 TEXT PRIMARY KEY)")
        with pytest.raises(LedgerError, match="migrated ledger"):
            SendLog(connection)
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert [t[0] for t in tables] == ["files"]  # nothing made behind the migrations' back


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a@example.go.id", "B@example.go.id", "b@example.go.id"]),
            st.sampled_from(["kabupaten:", "desa:19.02.04.2004"]),
            st.sampled_from(list(SendResult)),
            st.integers(0, 3),
        ),
        max_size=20,
    )
)
def test_last_sent_is_the_highest_revision_success_of_that_pair(
    tmp_path_factory: pytest.TempPathFactory, attempts: list[tuple[str, str, SendResult, int]]
) -> None:
    with SendLog.open(tmp_path_factory.mktemp("sends") / "ledger.sqlite") as log:
        for n, (who, key, result, revision) in enumerate(attempts):
            log.record(
                record(
                    recipient=who,
                    report_key=key,
                    result=result,
                    revision=revision,
                    content_hash=str(n),
                )
            )
        for who in ("a@example.go.id", "b@example.go.id"):
            for key in ("kabupaten:", "desa:19.02.04.2004"):
                successes = [
                    (rev, n)
                    for n, (w, k, r, rev) in enumerate(attempts)
                    if w.casefold() == who and k == key and r is SendResult.SENT
                ]
                found = log.last_sent("2026-08", who, key)
                expected = str(max(successes)[1]) if successes else None
                assert (found.content_hash if found else None) == expected


def test_sends_live_in_the_ledger_file(ledger: Ledger) -> None:
    key = ("2026-08", "camat@example.go.id", "kecamatan/sijuk")
    sends = SendLog(ledger.connection)
    assert sends.last_sent(*key) is None
    sends.record(SendRecord(*key, "h1", dt.datetime(2026, 9, 1, 7), SendResult.FAILED,
                            error="451 try later"))  # fmt: skip
    sends.record(SendRecord(*key, "h1", dt.datetime(2026, 9, 1, 8), SendResult.SENT,
                            message_id="<m1@x>"))  # fmt: skip
    last = sends.last_sent(*key)
    assert last is not None
    assert (last.result, last.message_id, last.sent_at) == (
        "sent",
        "<m1@x>",
        dt.datetime(2026, 9, 1, 8),
    )
    assert [s.result for s in sends.history("2026-08")] == ["failed", "sent"]
