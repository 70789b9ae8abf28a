"""How results look on a terminal (rich tables) and in pipes (plain text, CSV, JSON)."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sheetsync.issues import ValidationReport


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def print_records(records: Sequence[dict[str, Any]], fmt: str, *, title: str = "") -> None:
    """KPI rows as a rich table (terminal) or CSV."""
    if not records:
        print("(no rows)")
        return
    columns = list(records[0])
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
        return
    table = Table(title=title or None)
    for column in columns:
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(*(_cell(record.get(c)) for c in columns))
    console().print(table)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def print_issues(report: ValidationReport, fmt: str) -> None:
    """Validation issues as JSON (for scripts) or a table with a one-line total."""
    if fmt == "json":
        data = [
            {
                "code": i.code,
                "severity": str(i.severity),
                "source": i.source,
                "row": i.row,
                "column": i.column,
                "value": i.value,
                "message": i.message,
            }
            for i in report
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title="Validasi")
    for column in ("Tingkat", "Tab/File", "Baris", "Kolom", "Nilai", "Pesan"):
        table.add_column(column, overflow="fold")
    for i in report:
        level = "Error" if i.is_error else "Peringatan"
        table.add_row(level, i.source, _cell(i.row), i.column or "", i.value or "", i.message)
    out = console()
    out.print(table)
    out.print(f"{len(report.errors)} error, {len(report.warnings)} peringatan.")


def print_ingest_summary(summary: Any) -> None:
    """Files imported / skipped / rejected, lines, and rejected rows by reason."""
    out = console()
    table = Table(title="Impor ekspor marketplace")
    table.add_column("")
    table.add_column("Jumlah", justify="right")
    for label, attr in (
        ("File diimpor", "files_imported"),
        ("File dilewati (sudah pernah)", "files_skipped"),
        ("File ditolak", "files_rejected"),
        ("Baris pesanan", "lines"),
        ("Baris ditolak", "rows_rejected"),
    ):
        table.add_row(label, str(getattr(summary, attr, 0)))
    out.print(table)
    reasons: Counter[str] = Counter(getattr(summary, "rejected_by_reason", {}) or {})
    if reasons:
        why = Table(title="Baris ditolak menurut alasan")
        why.add_column("Kode")
        why.add_column("Jumlah", justify="right")
        for code, count in reasons.most_common():
            why.add_row(code, str(count))
        out.print(why)
    for issue in getattr(summary, "issues", [])[:50]:
        out.print(f"- {issue.source}: {issue.message}")


def print_send_run(run: Any) -> None:
    """One line per delivery and a total; then the recipient rows that were skipped."""
    for line in run.summary.lines():
        print(line)
    for issue in run.issues:
        where = f"{issue.source} baris {issue.row}" if issue.row else issue.source
        print(f"- dilewati: {where}: {issue.message}")


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[..., None] | None]:
    """A rich progress bar on a terminal; None (no bar, no noise) under cron and in pipes.

    The callback accepts (done, total) or (what, done, total), the two shapes the
    pipeline's steps report progress in.
    """
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(*args: Any) -> None:
            done, total = args[-2], args[-1]
            description = f"{label}: {args[0]}" if len(args) == 3 else label
            bar.update(task, completed=done, total=total, description=description[:60])

        yield update
