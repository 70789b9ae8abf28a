"""Config loading: defaults, relative paths, secrets by reference, all problems at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetsync.config import find_config_path, load_config, masked_view
from sheetsync.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "sheetsync.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sheetsync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads_and_resolves_paths_against_its_folder() -> None:
    config = load_config(EXAMPLE)
    assert config.program.name == "Duta Digital Kabupaten Belitung"
    assert config.workbook.backend == "xlsx"
    assert config.workbook.path == EXAMPLE.parent / "data" / "program.xlsx"
    assert config.inbox.path == EXAMPLE.parent / "inbox"


def test_empty_config_gives_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.program.timezone == "Asia/Jakarta"
    assert config.ledger.path == tmp_path / "data" / "ledger.sqlite"
    assert config.mail.transport == "outbox"


def test_every_problem_is_reported_with_its_key(tmp_path: Path) -> None:
    text = """
[program]
timezone = "Mars/Olympus"
colour = "red"
[workbook]
backend = "excel"
[mail]
transport = "smtp"
password = "hunter2"
[kpi]
report_due_day = "five"
"""
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    message = str(err.value)
    for key in (
        "program.colour",
        "workbook.backend",
        "mail.password",
        "kpi.report_due_day",
        "program.timezone",
        "mail.host",
    ):
        assert key in message
    assert "hunter2" not in message


def test_secret_by_env_is_masked_and_resolved_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(write(tmp_path, '[mail]\npassword = { env = "SS_TEST_PW" }\n'))
    assert masked_view(config)["mail"]["password"] == "env:SS_TEST_PW (***)"
    with pytest.raises(ConfigError, match="SS_TEST_PW"):
        config.mail.password.resolve()
    monkeypatch.setenv("SS_TEST_PW", "rahasia")
    assert config.mail.password.resolve() == "rahasia"
    assert "rahasia" not in str(masked_view(config))


def test_secret_by_file(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("s3cret\n", encoding="utf-8")
    config = load_config(write(tmp_path, '[mail]\npassword = { file = "pw" }\n'))
    assert config.mail.password.resolve() == "s3cret"


def test_missing_config_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="sheetsync init"):
        load_config(tmp_path / "nope.toml")


def test_config_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHEETSYNC_CONFIG", raising=False)
    assert find_config_path(None) == tmp_path / "sheetsync.toml"
    monkeypatch.setenv("SHEETSYNC_CONFIG", "/etc/x.toml")
    assert find_config_path(None) == Path("/etc/x.toml")
    assert find_config_path("given.toml") == Path("given.toml")


@pytest.mark.parametrize(
    ("section", "line", "key"),
    [
        ("worker", 'sync_times = ["25:00"]', "worker.sync_times"),
        ("worker", 'sync_times = ["6 pagi"]', "worker.sync_times"),
        ("worker", 'monthly_time = "07:60"', "worker.monthly_time"),
        ("worker", "stale_export_days = 0", "worker.stale_export_days"),
        ("reports", "workers = -3", "reports.workers"),
        ("reports", 'formats = ["html", "docx"]', "reports.formats"),
        ("mail", 'sender = "not an email"', "mail.sender"),
        ("mail", 'reply_to = "nobody"', "mail.reply_to"),
        ("mail", 'alert_to = "ops@"', "mail.alert_to"),
        ("mail", "port = 70000", "mail.port"),
        ("mail", "daily_cap = -1", "mail.daily_cap"),
        ("ledger", "keep_backups = 0", "ledger.keep_backups"),
        ("workbook", "timeout_seconds = 0", "workbook.timeout_seconds"),
        ("workbook", 'endpoint = "sheets.googleapis.com"', "workbook.endpoint"),
        ("kpi", "near_target_pct = 120.0", "kpi.near_target_pct"),
        ("kpi", "two_source_tolerance = -2", "kpi.two_source_tolerance"),
        ("kpi", 'ranking_metric = "happiness"', "kpi.ranking_metric"),
    ],
)
def test_config_check_refuses_what_a_later_step_would_refuse(
    tmp_path: Path, section: str, line: str, key: str
) -> None:
    from click.testing import CliRunner

    from sheetsync.cli import cli
    from sheetsync.errors import EXIT_CONFIG

    path = write(tmp_path, f"[{section}]\n{line}\n")
    result = CliRunner().invoke(cli, ["--config", str(path), "config", "check"])
    assert result.exit_code == EXIT_CONFIG, result.output
    assert key in result.output


def test_every_time_the_config_accepts_the_worker_can_schedule(tmp_path: Path) -> None:
    import datetime as dt

    from sheetsync.worker import Jobs, Worker

    config = load_config(write(tmp_path, '[worker]\nsync_times = ["00:00", "23:59"]\n'))
    jobs = Jobs(sync=lambda _c: None, monthly=lambda _c, _m: None)
    clock = lambda: dt.datetime(2026, 9, 2, 6, 0)  # noqa: E731
    worker = Worker(config, jobs, clock=clock, state_path=tmp_path / "state.json")
    assert len(worker.scheduler.jobs) == 3
