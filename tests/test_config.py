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
