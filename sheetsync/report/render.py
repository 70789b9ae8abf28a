"""Write the month's reports (HTML, PDF, XLSX per level and area) using every core.

Views are built once in the parent (pandas work, cheap); whole reports are then rendered in
worker processes, because WeasyPrint layout is the cost and it is single-threaded. Each
worker keeps its Jinja environment and font configuration between reports. Files are
written atomically (temporary file + rename), so a mail run never attaches half a PDF.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheetsync.config import Config
from sheetsync.errors import SheetsyncError, SinkError
from sheetsync.issues import Issue
from sheetsync.kpi_schema import KpiResult
from sheetsync.model import Registry
from sheetsync.procpool import process_pool
from sheetsync.report.context import LEVELS, ReportData, ReportUnit, build_view, build_views
from sheetsync.report.html import logo_data_uri, render_html, render_summary_html
from sheetsync.report.paths import report_path
from sheetsync.report.pdf import html_to_pdf
from sheetsync.report.xlsx import workbook_bytes

FORMATS = ("html", "pdf", "xlsx")
ProgressCallback = Callable[[int, int], None]  # (reports done, reports in total)


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One report, all its formats: what a worker process receives."""

    unit: ReportUnit
    view: dict[str, Any]
    targets: tuple[tuple[str, Path], ...]  # (format, file path)
    logo_uri: str


def render_reports(
    result: KpiResult,
    registry: Registry,
    *,
    issues: Sequence[Issue],
    config: Config,
    as_of: dt.datetime,
    levels: Iterable[str] = LEVELS,
    areas: Collection[str] | None = None,
    formats: Iterable[str] = FORMATS,
    progress: ProgressCallback | None = None,
    sources: Sequence[str] = (),
) -> list[Path]:
    """Render every selected report in every format; return the written files in order.

    `areas` keeps only units whose code or name is listed (kecamatan name, village code,
    ambassador id, regency name). `progress(done, total)` is called after each report.
    """
    wanted = _checked_formats(formats)
    views = build_views(
        result,
        registry,
        issues=issues,
        config=config,
        as_of=as_of,
        sources=sources,
        levels=levels,
        areas=areas,
    )
    logo = _logo(config)
    jobs = [
        _job(unit, view, wanted, config.reports.out, result.month, logo) for unit, view in views
    ]
    written = _run(jobs, config.reports.workers, progress)
    return [path for paths in written for path in paths]


def render_html_summary(
    result: KpiResult,
    registry: Registry,
    *,
    issues: Sequence[Issue],
    config: Config,
    as_of: dt.datetime,
    level: str = "kabupaten",
    area: str | None = None,
    sources: Sequence[str] = (),
) -> str:
    """A short HTML email body (inline styles only) with one area's headline figures.

    `area` is the unit's code or name (kecamatan name, village code, ambassador id); it may
    be None for the kabupaten. Raises ValueError when no such area exists.
    """
    views = build_views(
        result,
        registry,
        issues=issues,
        config=config,
        as_of=as_of,
        sources=sources,
        levels=[level],
        areas=None if area is None else [area],
    )
    if not views:
        raise ValueError(f"no {level} report area matches {area!r}")
    return render_summary_html(views[0][1])


def render_one(unit: ReportUnit, data: ReportData, formats: Iterable[str], out: Path) -> list[Path]:
    """One report in this process (no pool): for previews and the single-report benchmark."""
    job = _job(
        unit,
        build_view(unit, data),
        _checked_formats(formats),
        out,
        data.result.month,
        _logo(data.config),
    )
    return render_job(job)


def render_job(job: RenderJob) -> list[Path]:
    """Render and write one report in every requested format (runs in a worker process)."""
    written = []
    for fmt, path in job.targets:
        _write_atomically(path, _rendered(fmt, job, path))
        written.append(path)
    return written


def _rendered(fmt: str, job: RenderJob, path: Path) -> bytes:
    """One format's bytes; a renderer's own exception becomes one SinkError naming the file."""
    try:
        return _render_format(fmt, job)
    except SheetsyncError:
        raise
    except Exception as exc:
        raise SinkError(f"Cannot render report {path.name}: {type(exc).__name__}: {exc}") from exc


def _render_format(fmt: str, job: RenderJob) -> bytes:
    if fmt == "html":
        return render_html(job.view, medium="html", logo_uri=job.logo_uri).encode("utf-8")
    if fmt == "pdf":
        html = render_html(job.view, medium="pdf", logo_uri=job.logo_uri)
        return html_to_pdf(html, job.view["language"])
    return workbook_bytes(job.view)


def _checked_formats(formats: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)}; known: html, pdf, xlsx")
    return wanted


def _job(
    unit: ReportUnit,
    view: dict[str, Any],
    formats: tuple[str, ...],
    out: Path,
    month: str,
    logo: str,
) -> RenderJob:
    targets = tuple(
        (fmt, report_path(out, month, unit.level, unit.code, unit.name, fmt)) for fmt in formats
    )
    return RenderJob(unit, view, targets, logo)


def _logo(config: Config) -> str:
    """The configured logo inline; a logo path that does not exist is left out, not fatal."""
    logo = config.reports.logo
    return logo_data_uri(logo) if logo is not None and logo.is_file() else ""


def _run(
    jobs: list[RenderJob], workers: int, progress: ProgressCallback | None
) -> list[list[Path]]:
    if workers <= 1 or len(jobs) <= 1:
        return _run_here(jobs, progress)
    pool = _pool(min(workers, len(jobs)))
    try:
        futures = {pool.submit(render_job, job): i for i, job in enumerate(jobs)}
        return _collect(futures, len(jobs), progress)
    except BrokenProcessPool as exc:
        raise SinkError(
            f"A report worker process died ({exc}); try again with workers = 1."
        ) from exc
    finally:  # on failure, reports not yet started are dropped instead of awaited
        pool.shutdown(wait=True, cancel_futures=True)


def _run_here(jobs: list[RenderJob], progress: ProgressCallback | None) -> list[list[Path]]:
    results = []
    for done, job in enumerate(jobs, start=1):
        results.append(render_job(job))
        if progress:
            progress(done, len(jobs))
    return results


def _collect(
    futures: dict[Future[list[Path]], int], total: int, progress: ProgressCallback | None
) -> list[list[Path]]:
    results: list[list[Path]] = [[] for _ in range(total)]
    for done, future in enumerate(as_completed(futures), start=1):
        results[futures[future]] = future.result()
        if progress:
            progress(done, total)
    return results


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes from a fork server that has already imported the renderers."""
    multiprocessing.get_context("forkserver").set_forkserver_preload(["sheetsync.report.render"])
    return process_pool(workers, start_method="forkserver")


def _write_atomically(path: Path, payload: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.chmod(temp, 0o644)  # mkstemp makes 0600; reports are read by mail and people
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SinkError(f"Cannot write report {path}: {exc.strerror or exc}.") from exc
