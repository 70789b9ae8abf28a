"""`sheetsync init` (scaffold.py): a programme folder, never overwriting staff work."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sheetsync.cli import cli
from sheetsync.config import load_config
from sheetsync.scaffold import init_programme, write_new_file


def test_init_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "prog"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    config = root / "sheetsync.toml"
    config.write_text(config.read_text() + "\n# edited by staff\n")
    again = CliRunner().invoke(cli, ["init", str(root)])
    assert again.exit_code == 0
    assert "kept existing" in again.output
    assert "# edited by staff" in config.read_text()


def test_init_writes_a_config_that_loads_a_workbook_and_an_inbox(tmp_path: Path) -> None:
    lines = init_programme(tmp_path / "prog", name="Duta Digital Uji")
    config = load_config(tmp_path / "prog" / "sheetsync.toml")
    assert config.program.name == "Duta Digital Uji"
    assert config.workbook.path.is_file() and config.inbox.path.is_dir()
    assert lines[0] == f"created {tmp_path / 'prog' / 'sheetsync.toml'}"
    again = init_programme(tmp_path / "prog")
    assert again[0].startswith("kept existing") and again[1].startswith("kept existing")


def test_write_new_file_leaves_an_existing_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b.txt"
    assert write_new_file(path, "first") and not write_new_file(path, "second")
    assert path.read_text(encoding="utf-8") == "first"
