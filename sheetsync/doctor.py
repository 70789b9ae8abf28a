"""`sheetsync doctor`: one line per check of what a run needs, with what to do on failure.

Run by the operator after installing, after changing the config, or when an alert says
something is wrong. Exits non-zero when any check fails (warnings do not fail).
"""

from __future__ import annotations

import ctypes.util
import json
import shutil
import smtplib
import ssl
import stat
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sheetsync.config import Config, google_credentials_path
from sheetsync.contract import STAFF_TABS, normalise_header
from sheetsync.errors import SheetsyncError

OK, WARN, FAIL = "ok", "warn", "fail"
MIN_FREE_BYTES = 500 * 1024 * 1024
LOW_FREE_BYTES = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = {OK: "OK  ", WARN: "WARN", FAIL: "FAIL"}[self.status]
        text = f"[{mark}] {self.name}: {self.detail}"
        return f"{text} -> {self.fix}" if self.fix and self.status != OK else text


def run_checks(config: Config) -> list[Check]:
    """Every check, in the order a person would fix them; each one isolated."""
    checks: list[Check] = [Check("config", OK, f"{config.path} is valid")]
    for step in (
        check_regency,
        check_credentials,
        check_workbook,
        check_inbox,
        check_ledger,
        check_disk,
        check_system_packages,
        check_pdf_rendering,
        check_smtp,
    ):
        checks.extend(_guarded(step, config))
    return checks


def _guarded(step: Callable[[Config], Iterator[Check]], config: Config) -> list[Check]:
    name = step.__name__.removeprefix("check_")
    try:
        return list(step(config))
    except SheetsyncError as exc:
        return [Check(name, FAIL, str(exc), "fix the cause above, then run doctor again")]
    except Exception as exc:  # a check must never stop the others
        return [Check(name, FAIL, f"{type(exc).__name__}: {exc}", "see the message")]


def check_regency(config: Config) -> Iterator[Check]:
    """Without a regency name, reports and subjects fall back to the programme's name."""
    from sheetsync.report.paths import regency_proper_name

    if regency_proper_name(config.program.regency):
        return
    yield Check(
        "regency",
        WARN,
        f"[program] regency is not set: kabupaten reports are titled {config.program.name!r}",
        'set [program] regency = "<the regency\'s name>", e.g. "Belitung"',
    )


def check_credentials(config: Config) -> Iterator[Check]:
    if config.workbook.backend != "gsheets":
        return
    path = google_credentials_path(config)
    if path is None or not path.is_file():
        yield Check(
            "credentials",
            FAIL,
            f"service-account file {path or '(not set)'} not found",
            "set [workbook] credentials or GOOGLE_APPLICATION_CREDENTIALS to the JSON key file",
        )
        return
    email = json.loads(path.read_text(encoding="utf-8")).get("client_email", "?")
    mode = path.stat().st_mode
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        yield Check("credentials", WARN, f"{path} can be read by other users", f"chmod 600 {path}")
    else:
        yield Check("credentials", OK, f"{path} ({email})")


def check_workbook(config: Config) -> Iterator[Check]:
    from sheetsync.pipeline import open_workbook

    workbook = open_workbook(config)
    tables = workbook.read_tabs([spec.name for spec in STAFF_TABS])
    where = config.workbook.spreadsheet_id or str(config.workbook.path)
    yield Check("workbook", OK, f"{config.workbook.backend} {where} readable")
    for spec in STAFF_TABS:
        yield _tab_check(spec.name, spec.headers, tables.get(spec.name))


def _tab_check(name: str, headers: tuple[str, ...], table: object) -> Check:
    if table is None:
        return Check(
            f"tab {name}", FAIL, "missing", f"add the tab {name!r} (sheetsync init adds it)"
        )
    present = {normalise_header(h) for h in getattr(table, "header", ())}
    missing = [h for h in headers if normalise_header(h) not in present]
    if missing:
        return Check(
            f"tab {name}", FAIL, f"missing columns: {', '.join(missing)}", "add these header cells"
        )
    return Check(f"tab {name}", OK, f"{len(getattr(table, 'rows', ()))} rows")


def check_inbox(config: Config) -> Iterator[Check]:
    inbox = config.inbox.path
    if not inbox.is_dir():
        yield Check("inbox", FAIL, f"{inbox} does not exist", f"mkdir -p {inbox}")
        return
    shops = [p for p in inbox.iterdir() if p.is_dir()]
    yield Check("inbox", OK, f"{inbox}: {len(shops)} shop folder(s)")


def check_ledger(config: Config) -> Iterator[Check]:
    from sheetsync.ledger import Ledger

    path = config.ledger.path
    if not path.exists():
        yield Check("ledger", OK, f"{path} will be created by the first sync")
        return
    with Ledger.open(path, backups=config.ledger.backups) as ledger:
        healthy = ledger.integrity_ok()
    if healthy:
        yield Check("ledger", OK, f"{path} passes the integrity check")
    else:
        yield Check(
            "ledger",
            FAIL,
            f"{path} fails the integrity check",
            f"restore the newest backup from {config.ledger.backups}",
        )


def check_disk(config: Config) -> Iterator[Check]:
    folder = _existing_parent(config.ledger.path)
    free = shutil.disk_usage(folder).free
    detail = f"{free / 1024**3:.1f} GiB free at {folder}"
    if free < MIN_FREE_BYTES:
        yield Check("disk", FAIL, detail, "free space: old reports, logs or backups")
    elif free < LOW_FREE_BYTES:
        yield Check("disk", WARN, detail, "free some space soon")
    else:
        yield Check("disk", OK, detail)


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@dataclass(frozen=True, slots=True)
class SystemPackage:
    """One line of sheetsync/system-packages.txt (the README's list)."""

    name: str
    role: str  # run | test | optional
    probe: str  # lib:NAME | font:FAMILY | cmd:NAME | -


def system_packages() -> list[SystemPackage]:
    """The one list of system packages, shipped in the package so doctor finds it anywhere."""
    text = resources.files("sheetsync").joinpath("system-packages.txt").read_text("utf-8")
    return parse_system_packages(text)


def parse_system_packages(text: str) -> list[SystemPackage]:
    rows = [line.split(None, 2) for line in text.splitlines()]
    return [SystemPackage(*row) for row in rows if len(row) == 3 and not row[0].startswith("#")]


def probe_present(probe: str) -> bool:
    """Whether what a package provides is here: a library, a font family or a program."""
    kind, _, what = probe.partition(":")
    if kind == "lib":
        return ctypes.util.find_library(what) is not None
    if kind == "cmd":
        return shutil.which(what) is not None
    if kind == "font":
        return what in font_families()
    return True


def font_families() -> set[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    listed = subprocess.run(
        [fc_list, ":", "family"], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    return {family.strip() for line in listed.splitlines() for family in line.split(",")}


def check_system_packages(
    _config: Config, present: Callable[[str], bool] = probe_present
) -> Iterator[Check]:
    """Libraries and fonts PDFs need (pango, harfbuzz-subset, DejaVu), with the apt line."""
    needed = [p for p in system_packages() if p.role == "run" and p.probe != "-"]
    missing = [p for p in needed if not present(p.probe)]
    if missing:
        what = ", ".join(f"{p.probe.partition(':')[2]} ({p.name})" for p in missing)
        line = "sudo apt-get install -y " + " ".join(p.name for p in missing)
        yield Check("system", FAIL, f"missing: {what}", line)
    else:
        yield Check("system", OK, f"{len(needed)} libraries, fonts and programs found")


def check_pdf_rendering(_config: Config) -> Iterator[Check]:
    import weasyprint

    pdf = weasyprint.HTML(string="<p>Rp 1.250.000 — Agustus 2026</p>").write_pdf()
    fonts = shutil.which("fc-list")
    if not pdf or not pdf.startswith(b"%PDF"):
        yield Check(
            "pdf", FAIL, "WeasyPrint produced no PDF", "install libpango-1.0-0 libpangoft2-1.0-0"
        )
    elif fonts is None:
        yield Check(
            "pdf",
            WARN,
            f"WeasyPrint {weasyprint.__version__} ok; fontconfig tools missing",
            "apt-get install fontconfig fonts-dejavu-core",
        )
    else:
        yield Check("pdf", OK, f"WeasyPrint {weasyprint.__version__} renders PDFs")


def check_smtp(config: Config) -> Iterator[Check]:
    mail = config.mail
    if mail.transport != "smtp":
        yield Check("mail", OK, f"outbox transport: messages are written to {mail.outbox}")
        return
    try:
        with _smtp_connection(config) as server:
            if mail.username:
                server.login(mail.username, mail.password.resolve())
    except smtplib.SMTPAuthenticationError as exc:
        yield Check(
            "smtp", FAIL, f"login refused ({exc.smtp_code})", "check mail.username/password"
        )
        return
    except (OSError, smtplib.SMTPException) as exc:
        yield Check(
            "smtp",
            FAIL,
            f"{mail.host}:{mail.port} unreachable: {exc}",
            "check host, port and security",
        )
        return
    yield Check("smtp", OK, f"{mail.host}:{mail.port} ({mail.security}) accepts us")


def _smtp_connection(config: Config) -> smtplib.SMTP:
    mail = config.mail
    if mail.security == "ssl":
        return smtplib.SMTP_SSL(
            mail.host, mail.port, timeout=15, context=ssl.create_default_context()
        )
    server = smtplib.SMTP(mail.host, mail.port, timeout=15)
    if mail.security == "starttls":
        server.starttls(context=ssl.create_default_context())
    return server
