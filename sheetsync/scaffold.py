"""Starting a programme folder: `sheetsync init` and the config of `sheetsync demo`.

Never overwrites an existing file: a programme's config and workbook hold staff work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sheetsync.clock import Clock
from sheetsync.errors import SinkError

if TYPE_CHECKING:
    from sheetsync.config import Config

CONFIG_TEMPLATE = """\
# sheetsync configuration. Every key is documented in config/sheetsync.example.toml
# of the sheetsync source; relative paths resolve against this file's folder.

[program]
name = "{name}"
agency = "{agency}"
timezone = "Asia/Jakarta"
language = "id"

[workbook]
backend = "{backend}"
{workbook_lines}

[inbox]
path = "inbox"              # one folder per shop: inbox/<ID Toko>/<export files>

[ledger]
path = "data/ledger.sqlite"

[reports]
out = "reports"

[mail]
transport = "outbox"        # writes .eml files to ./outbox until an SMTP server is configured
outbox = "outbox"
sender = "{name} <laporan@example.org>"

[worker]
log_dir = "logs"
"""


def config_text(
    *,
    name: str = "Duta Digital",
    agency: str = "",
    backend: str = "xlsx",
    spreadsheet_id: str = "",
    credentials: str = "",
    endpoint: str = "",
) -> str:
    if backend == "gsheets":
        lines = [f'spreadsheet_id = "{spreadsheet_id}"']
        if credentials:
            lines.append(f'credentials = "{credentials}"')
        if endpoint:
            lines.append(f'endpoint = "{endpoint}"')
    else:
        lines = ['path = "data/program.xlsx"']
    return CONFIG_TEMPLATE.format(
        name=name, agency=agency, backend=backend, workbook_lines="\n".join(lines)
    )


def write_new_file(path: Path, text: str) -> bool:
    """Write `text` to `path` only if nothing is there; return whether it was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    except OSError as exc:
        raise SinkError(f"Cannot write {path}: {exc.strerror}") from exc
    return True


def init_programme(
    directory: Path,
    *,
    backend: str = "xlsx",
    name: str = "Duta Digital",
    spreadsheet_id: str = "",
    credentials: str = "",
    endpoint: str = "",
) -> list[str]:
    """Create config, staff workbook (xlsx) or staff tabs (gsheets), and the inbox.

    Returns the lines to show the person: what was created, what was left alone, and
    what to do next.
    """
    lines: list[str] = []
    config_path = directory / "sheetsync.toml"
    text = config_text(
        name=name,
        backend=backend,
        spreadsheet_id=spreadsheet_id,
        credentials=credentials,
        endpoint=endpoint,
    )
    lines.append(_created_or_kept(config_path, write_new_file(config_path, text)))
    if backend == "xlsx":
        lines.append(_init_workbook(directory / "data" / "program.xlsx"))
    else:
        lines.extend(_init_spreadsheet(config_path))
    inbox = directory / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    lines.append(f"inbox: {inbox} (one folder per shop: inbox/<ID Toko>/)")
    lines.append(f"Next: fill the staff tabs, then run: sheetsync --config {config_path} sync")
    return lines


def _created_or_kept(path: Path, created: bool) -> str:
    return f"created {path}" if created else f"kept existing {path} (not overwritten)"


def _init_workbook(path: Path) -> str:
    from sheetsync.workbook.template import create_staff_workbook

    if path.exists():
        return _created_or_kept(path, False)
    path.parent.mkdir(parents=True, exist_ok=True)
    create_staff_workbook(path)
    return _created_or_kept(path, True)


def _init_spreadsheet(config_path: Path) -> list[str]:
    from sheetsync.config import google_credentials_path, load_config
    from sheetsync.workbook import gsheets

    config = load_config(config_path)
    client = gsheets.make_client(
        google_credentials_path(config),
        endpoint=config.workbook.endpoint,
        timeout=config.workbook.timeout_seconds,
    )
    added, email = gsheets.init_spreadsheet(client, config.workbook.spreadsheet_id)
    lines = [f"added staff tab {tab!r}" for tab in added] or ["all staff tabs already present"]
    lines.append(f"Share the spreadsheet (Editor) with the service account: {email}")
    return lines


DEMO_EXTRA = """
[[reports.signatures]]
title = "Mengetahui,"
name = "Drs. Hendra Wijaya, M.Si."
position = "Kepala Dinas Komunikasi dan Informatika"

[[reports.signatures]]
title = "Dibuat oleh,"
name = "Rina Marlina, S.Kom."
position = "Operator Program Duta Digital"
"""


def demo_config_text() -> str:
    text = config_text(
        name="Duta Digital Kabupaten Belitung",
        agency="Dinas Komunikasi dan Informatika Kabupaten Belitung",
    )
    text = text.replace(
        'timezone = "Asia/Jakarta"', 'regency = "Belitung"\ntimezone = "Asia/Jakarta"'
    )
    return text.replace('out = "reports"\n', 'out = "reports"\n' + DEMO_EXTRA)


def run_demo(
    directory: Path, *, clock: Clock | None = None, progress: bool = False
) -> Iterator[str]:
    """Write the Belitung demo programme and run the whole job on it: sync, report, send.

    The demo's months are laid out from the programme's today (its time zone, not the
    server's), read once from `clock` and used by every step, so the data, the sync and
    the reports agree on which day it is. Offline and deterministic for a given day; safe
    to run again (files already imported are recognised by their hash, reports and
    outbox messages are rewritten/not re-sent).
    """
    from sheetsync import pipeline
    from sheetsync.config import load_config
    from sheetsync.demo import write_demo
    from sheetsync.months import month_label

    config_path = directory / "sheetsync.toml"
    write_new_file(config_path, demo_config_text())
    config = load_config(config_path)
    now = pipeline.now_local(config, clock)
    manifest = write_demo(directory, today=now.date())
    files = len(manifest.exports) + len(manifest.orphan_exports)
    yield (
        f"Demo programme written to {directory}/ (workbook; inbox with {files} order exports "
        f"and {len(manifest.listings)} product lists)"
    )
    synced = pipeline.sync(config, months=[*manifest.months, manifest.current_month], now=now)
    record = synced.record
    yield (
        f"sync: {record.files_imported} file(s) imported, {record.rows_rejected} row(s) rejected, "
        f"{record.validation_errors} validation error(s), {record.validation_warnings} warning(s)"
    )
    month = manifest.months[-1]
    paths = pipeline.report(config, month, formats=config.reports.formats, now=now)
    where = config.reports.out / month
    yield f"report: {len(paths)} file(s) for {month_label(month)} under {where}/"
    sent = pipeline.send(config, month, now=now)
    yield f"send: {_send_counts(sent.summary)} (outbox: {config.mail.outbox})"
    yield from _where_to_look(config, month)


def _send_counts(summary: object) -> str:
    counts = getattr(summary, "counts", {})
    return ", ".join(f"{count} {name}" for name, count in counts.items()) or "nothing to send"


def _where_to_look(config: Config, month: str) -> Iterator[str]:
    yield "Where to look:"
    yield f"  staff workbook with KPI tabs, Validasi and highlighted cells: {config.workbook.path}"
    yield f"  reports: {config.reports.out / month}"
    yield f"  emails that would be sent: {config.mail.outbox}"
    yield f"  run log: {config.worker.log_dir}"
    yield f"  try: sheetsync --config {config.path} kpi --month {month} --by village"
