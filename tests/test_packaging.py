"""The package is whole: a built wheel, installed in a clean virtualenv, runs from any folder.

`pip install .` once gave a `sheetsync demo` that failed with TemplateNotFound: the report
templates lived outside the package. This builds the wheel, installs it into a new
virtualenv and runs `sheetsync demo` and `sheetsync report` from an unrelated folder, so
nothing is found through the source tree.

The new virtualenv gets only what the wheel declares: pip installs it from the wheelhouse
`make` fills (`.venv/wheelhouse`: wheels of pyproject.toml's runtime dependencies and build
backend) with `--no-index` and no pip configuration, so no network is used and a dependency
missing from pyproject.toml is missing there too. Nothing of the test environment is
visible in it (no `.pth`, no system site-packages): a test-only library cannot be imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED = (
    "sheetsync/report/templates/report.html.j2",
    "sheetsync/report/templates/summary_email.html.j2",
    "sheetsync/report/templates/report.css",
    "sheetsync/report/templates/print.css",
    "sheetsync/system-packages.txt",
)

pytestmark = pytest.mark.slow


def run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


WHEELHOUSE = Path(sys.prefix) / "wheelhouse"  # filled by `make` (target .venv/wheelhouse)


def offline_pip_env() -> dict[str, str]:
    """The environment without Python's search paths and pip's configuration of this machine
    (indexes, find-links): pip sees the wheelhouse only, Python the clean virtualenv only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    return env | {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def offline(wheelhouse: Path) -> list[str | Path]:
    return ["--no-index", "--find-links", wheelhouse, "--no-cache-dir", "-q"]


# Byte-compiling every installed module takes most of the install's time (pandas, pyarrow);
# Python compiles the few the demo imports as it imports them.
NO_COMPILE = "--no-compile"


@pytest.fixture(scope="module")
def wheelhouse() -> Path:
    if not (WHEELHOUSE / ".complete").is_file():
        pytest.fail(f"no wheelhouse at {WHEELHOUSE}: run `make {WHEELHOUSE}/.complete`")
    return WHEELHOUSE


@pytest.fixture(scope="module")
def wheel(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built in an isolated build environment set up from the wheelhouse."""
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", *offline(wheelhouse), "-w", dist,
         REPO], cwd=dist, env=offline_pip_env())  # fmt: skip
    [built] = dist.glob("sheetsync-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean virtualenv with the wheel and what it declares; returns its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", venv], cwd=venv)
    bin_dir = venv / "bin"
    run([bin_dir / "python", "-m", "pip", "install", NO_COMPILE, *offline(wheelhouse), wheel],
        cwd=venv, env=offline_pip_env())  # fmt: skip
    return bin_dir


def test_the_wheel_carries_templates_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in SHIPPED if name not in names]
    assert not missing, missing


def test_the_installed_wheel_runs_demo_and_report_from_any_folder(
    installed: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = offline_pip_env() | {"PATH": f"{installed}{os.pathsep}{os.environ['PATH']}"}
    env.pop("SHEETSYNC_CONFIG", None)
    origin = run([installed / "python", "-c", "import sheetsync; print(sheetsync.__file__)"],
                 cwd=elsewhere, env=env)  # fmt: skip
    assert Path(origin.strip()).is_relative_to(installed.parent), origin
    assert not Path(origin.strip()).is_relative_to(REPO)
    borrowed = "import importlib.util as u; print(u.find_spec('pytest') is None)"
    assert run([installed / "python", "-c", borrowed], cwd=elsewhere, env=env).strip() == "True"

    demo = run([installed / "sheetsync", "demo", "demo"], cwd=elsewhere, env=env)
    assert "Where to look" in demo
    month = demo.split("try: sheetsync --config ", 1)[1].split("--month ", 1)[1].split()[0]
    config = elsewhere / "demo" / "sheetsync.toml"
    args = ["--config", config, "report", "--month", month, "--level", "kabupaten"]
    run([installed / "sheetsync", *args, "--format", "html,pdf"], cwd=elsewhere, env=env)
    reports = elsewhere / "demo" / "reports" / month / "kabupaten"
    pdfs = list(reports.glob("*.pdf"))
    assert pdfs and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    html = next(reports.glob("*.html")).read_text(encoding="utf-8")
    assert "Belitung" in html and "<table" in html


def test_every_module_of_the_installed_wheel_finds_what_it_imports(
    installed: Path, tmp_path: Path
) -> None:
    """What demo and report do not reach (the Google Sheets backend, mail, the emulator …)
    imports too, from what the wheel declares alone."""
    code = (
        "import importlib, pkgutil, sheetsync\n"
        "for module in pkgutil.walk_packages(sheetsync.__path__, 'sheetsync.'):\n"
        "    if not module.name.endswith('__main__'):\n"
        "        importlib.import_module(module.name)\n"
        "print('imported')\n"
    )
    out = run([installed / "python", "-c", code], cwd=tmp_path, env=offline_pip_env())
    assert out.strip() == "imported"
