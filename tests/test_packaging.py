"""The package is whole: a built wheel, installed in a fresh virtualenv, runs from any folder.

`pip install .` once gave a `sheetsync demo` that failed with TemplateNotFound: the report
templates lived outside the package. This builds the wheel with pip, installs it (without
dependencies) into a new virtualenv and runs `sheetsync demo` and `sheetsync report` from
an unrelated folder, so nothing is found through the source tree.

The dependencies are the test environment's own (same versions pip resolved for this
project), made visible to the new virtualenv by a `.pth` line, which keeps this test to
seconds instead of reinstalling pandas, pyarrow and WeasyPrint. The test checks that
`sheetsync` itself is imported from the new virtualenv, not from this checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, REPO], cwd=dist)
    [built] = dist.glob("sheetsync-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed; returns its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", venv], cwd=venv)
    bin_dir = venv / "bin"
    site = Path(
        run([bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            cwd=venv).strip()
    )  # fmt: skip
    (site / "zz-test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run([bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", wheel], cwd=venv)
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
    env = {**os.environ, "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}"}
    env.pop("SHEETSYNC_CONFIG", None)
    origin = run([installed / "python", "-c", "import sheetsync; print(sheetsync.__file__)"],
                 cwd=elsewhere, env=env)  # fmt: skip
    assert Path(origin.strip()).is_relative_to(installed.parent), origin
    assert not Path(origin.strip()).is_relative_to(REPO)

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
