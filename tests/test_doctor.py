"""`sheetsync doctor`: names missing system packages (the README and CI use the same
list), fails on a broken config, checks a programme's tabs, warns without a regency."""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path

import pytest
from _pytest.config import parse_warning_filter
from test_cli import make_programme, run

from sheetsync.doctor import FAIL, OK, check_system_packages, system_packages
from sheetsync.errors import EXIT_CONFIG

REPO = Path(__file__).resolve().parents[1]


def test_every_package_is_found_here() -> None:
    [check] = check_system_packages(None)  # type: ignore[arg-type]
    assert check.status == OK, check.line()


def test_missing_libraries_and_fonts_are_named_with_the_apt_line() -> None:
    def present(probe: str) -> bool:
        return probe not in ("lib:harfbuzz-subset", "lib:pango-1.0", "font:DejaVu Sans")

    [check] = check_system_packages(None, present)  # type: ignore[arg-type]
    assert check.status == FAIL
    assert "harfbuzz-subset (libharfbuzz-subset0)" in check.detail
    assert "pango-1.0 (libpango-1.0-0)" in check.detail
    assert "DejaVu Sans (fonts-dejavu-core)" in check.detail
    assert check.fix == (
        "sudo apt-get install -y libpango-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
    )


def test_the_readme_install_line_is_the_list() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "sheetsync/system-packages.txt" in readme
    start = readme.index("sudo apt-get install -y ")
    command = readme[start:].split("\n")
    text = "".join(line.rstrip("\\") for line in command[:2])  # one continuation line
    listed = text.removeprefix("sudo apt-get install -y ").split()
    assert listed == [p.name for p in system_packages() if p.role == "run"]


def test_ci_reads_the_same_list() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "sheetsync/system-packages.txt" in ci
    assert "apt-get install -y" in ci and "make test\n" in ci and "make test-clock" in ci


def _configured_filters() -> list[str]:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["tool"]["pytest"]["ini_options"]["filterwarnings"])


@pytest.mark.parametrize(
    ("module", "stops"),
    [
        ("weasyprint.text.ffi", False),  # no libharfbuzz-subset0: PDFs still render
        ("sheetsync.report.pdf", True),  # our own deprecations stay errors
        ("weasyprint.css", True),  # only the one module is filtered
    ],
)
def test_a_missing_optional_library_is_not_a_collection_error(module: str, stops: bool) -> None:
    with warnings.catch_warnings():
        for spec in _configured_filters():  # pytest applies them in this order
            warnings.filterwarnings(*parse_warning_filter(spec, escape=False))
        warn = lambda: warnings.warn_explicit(  # noqa: E731
            "harfbuzz-subset not found", DeprecationWarning, "ffi.py", 531, module=module
        )
        if stops:
            with pytest.raises(DeprecationWarning):
                warn()
        else:
            warn()


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return make_programme(tmp_path / "prog")


def test_doctor_fails_on_a_broken_config(tmp_path: Path) -> None:
    config = tmp_path / "sheetsync.toml"
    config.write_text('[workbook]\nbackend = "excel"\n', encoding="utf-8")
    result = run(config, "doctor")
    assert result.exit_code == EXIT_CONFIG
    assert "[FAIL] config" in result.output and "workbook.backend" in result.output


def test_doctor_on_a_programme(programme: Path) -> None:
    result = run(programme, "doctor")
    assert result.exit_code == 0, result.output
    assert "[OK  ] tab Toko" in result.output


def test_doctor_warns_when_no_regency_is_configured(programme: Path) -> None:
    result = run(programme, "doctor")
    [line] = [line for line in result.output.splitlines() if "regency" in line]
    assert line.startswith("[WARN] regency: [program] regency is not set")
    named = programme.read_text(encoding="utf-8").replace(
        "[program]", '[program]\nregency = "Belitung"', 1
    )
    programme.write_text(named, encoding="utf-8")
    assert "regency" not in run(programme, "doctor").output
