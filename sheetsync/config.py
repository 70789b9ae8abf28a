"""TOML config -> frozen dataclasses. The only module that reads the environment.

Relative paths resolve against the config file's folder, so `sheetsync --config
/srv/belitung/sheetsync.toml sync` works from any directory (cron). Secrets are never
written in the file, only referenced: ``password = { env = "SHEETSYNC_SMTP_PASSWORD" }``
or ``password = { file = "/etc/sheetsync/smtp-password" }``. The whole file is validated
at load and every problem is reported at once, with its key.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheetsync.errors import ConfigError
from sheetsync.kpi_schema import KpiConfig

DEFAULT_CONFIG_NAME = "sheetsync.toml"
CONFIG_ENV = "SHEETSYNC_CONFIG"


@dataclass(frozen=True, slots=True)
class SecretRef:
    """A reference to a secret; `resolve()` reads it only when it is needed."""

    env: str | None = None
    file: Path | None = None

    def resolve(self) -> str:
        if self.env:
            value = os.environ.get(self.env)
            if value is None:
                raise ConfigError(f"Environment variable {self.env} (a secret) is not set.")
            return value
        if self.file:
            try:
                return self.file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"Cannot read secret file {self.file}: {exc.strerror}") from exc
        return ""

    def masked(self) -> str:
        if self.env:
            return f"env:{self.env} (***)"
        if self.file:
            return f"file:{self.file} (***)"
        return "(none)"


@dataclass(frozen=True, slots=True)
class ProgramConfig:
    name: str = "Duta Digital"
    agency: str = ""
    regency: str = "Kabupaten"  # the regency's name, e.g. "Belitung": titles and file names
    timezone: str = "Asia/Jakarta"
    language: str = "id"  # "id" or "en": messages and reports

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class WorkbookConfig:
    backend: str = "xlsx"  # "xlsx" | "gsheets"
    path: Path = Path("data/program.xlsx")
    spreadsheet_id: str = ""
    credentials: Path | None = None  # service-account JSON; else GOOGLE_APPLICATION_CREDENTIALS
    endpoint: str = "https://sheets.googleapis.com"
    timeout_seconds: float = 60.0
    # Desa, Duta or Toko losing more than this share of its rows since the last good sync
    # blocks publishing (KPI tabs keep the last good figures; report/send refuse)
    registry_shrink_limit_pct: float = 20.0


@dataclass(frozen=True, slots=True)
class InboxConfig:
    path: Path = Path("inbox")


@dataclass(frozen=True, slots=True)
class LedgerConfig:
    path: Path = Path("data/ledger.sqlite")
    backups: Path = Path("data/backups")
    keep_backups: int = 14


@dataclass(frozen=True, slots=True)
class Signatory:
    title: str = ""  # e.g. "Mengetahui, Kepala Dinas Kominfo"
    name: str = ""
    position: str = ""  # e.g. NIP or jabatan line


@dataclass(frozen=True, slots=True)
class ReportsConfig:
    out: Path = Path("reports")
    formats: tuple[str, ...] = ("html", "pdf", "xlsx")
    logo: Path | None = None
    signatures: tuple[Signatory, ...] = ()
    workers: int = 2


@dataclass(frozen=True, slots=True)
class MailConfig:
    transport: str = "outbox"  # "smtp" | "outbox"
    outbox: Path = Path("outbox")
    host: str = ""
    port: int = 587
    security: str = "starttls"  # "starttls" | "ssl" | "none"
    username: str = ""
    password: SecretRef = field(default_factory=SecretRef)
    sender: str = "sheetsync@localhost"
    reply_to: str = ""
    daily_cap: int = 500
    attach_xlsx: bool = False
    alert_to: str = ""


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    sync_times: tuple[str, ...] = ("06:00", "12:00", "18:00")
    monthly_day: int = 1
    monthly_time: str = "07:00"
    stale_export_days: int = 7
    log_dir: Path = Path("logs")


@dataclass(frozen=True, slots=True)
class Config:
    program: ProgramConfig = field(default_factory=ProgramConfig)
    workbook: WorkbookConfig = field(default_factory=WorkbookConfig)
    inbox: InboxConfig = field(default_factory=InboxConfig)
    ledger: LedgerConfig = field(default_factory=LedgerConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    kpi: KpiConfig = field(default_factory=KpiConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    worker: WorkerConfig = field(default_factory=WorkerConfig)
    path: Path | None = None  # the file this was loaded from

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @property
    def lock_path(self) -> Path:
        return self.ledger.path.with_suffix(".lock")


SECTIONS: dict[str, type] = {
    "program": ProgramConfig,
    "workbook": WorkbookConfig,
    "inbox": InboxConfig,
    "ledger": LedgerConfig,
    "reports": ReportsConfig,
    "kpi": KpiConfig,
    "mail": MailConfig,
    "worker": WorkerConfig,
}
CHOICES: dict[str, tuple[str, ...]] = {
    "workbook.backend": ("xlsx", "gsheets"),
    "program.language": ("id", "en"),
    "mail.transport": ("smtp", "outbox"),
    "mail.security": ("starttls", "ssl", "none"),
}


def find_config_path(explicit: str | os.PathLike[str] | None) -> Path:
    """--config, else $SHEETSYNC_CONFIG, else ./sheetsync.toml."""
    if explicit:
        return Path(explicit)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    return Path.cwd() / DEFAULT_CONFIG_NAME


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and validate a TOML config; raise ConfigError listing every problem."""
    path = Path(path).resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(
            f"Config file {path} not found. Create one with `sheetsync init` "
            "or point to it with --config / $SHEETSYNC_CONFIG."
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from exc
    return config_from_mapping(raw, base_dir=path.parent, path=path)


def config_from_mapping(
    raw: Mapping[str, Any], *, base_dir: Path, path: Path | None = None
) -> Config:
    problems: list[str] = []
    for name in raw:
        if name not in SECTIONS:
            problems.append(f"[{name}]: unknown section (known: {', '.join(SECTIONS)})")
    sections = {
        name: _build_section(name, cls, raw.get(name, {}), base_dir, problems)
        for name, cls in SECTIONS.items()
    }
    config = Config(**sections, path=path)
    problems.extend(_cross_checks(config))
    if problems:
        raise ConfigError(f"Config {path or ''} has problems:".replace("  ", " "), problems)
    return config


def _build_section(name: str, cls: type, table: object, base_dir: Path, problems: list[str]) -> Any:
    if not isinstance(table, Mapping):
        problems.append(f"[{name}]: must be a table")
        return cls()
    default = cls()
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(cls)}
    for key, value in table.items():
        if key not in known:
            problems.append(f"{name}.{key}: unknown key (known: {', '.join(known)})")
            continue
        converted = _convert(f"{name}.{key}", getattr(default, key), value, base_dir, problems)
        if converted is not _INVALID:
            values[key] = converted
    for f in fields(cls):  # default relative paths live beside the config file too
        current = getattr(default, f.name)
        if f.name not in values and isinstance(current, Path):
            values[f.name] = _resolve(base_dir, str(current))
    return replace(default, **values)


_INVALID = object()


def _convert(key: str, default: object, value: object, base: Path, problems: list[str]) -> Any:
    """Coerce one TOML value to the type of its default, collecting problems."""
    if key in CHOICES and value not in CHOICES[key]:
        problems.append(f"{key}: {value!r} is not one of {', '.join(CHOICES[key])}")
        return _INVALID
    if isinstance(default, SecretRef) or key.endswith("password"):
        return _secret(key, value, base, problems)
    if key == "reports.signatures":
        return _signatures(key, value, problems)
    if isinstance(default, Path) or key in {"workbook.credentials", "reports.logo"}:
        return _path(key, value, base, problems)
    return _scalar(key, default, value, problems)


def _path(key: str, value: object, base: Path, problems: list[str]) -> Any:
    if not isinstance(value, str) or not value:
        problems.append(f"{key}: must be a path (text)")
        return _INVALID
    return _resolve(base, value)


def _scalar(key: str, default: object, value: object, problems: list[str]) -> Any:
    """Lists of text, booleans, numbers and text, each checked against its default's type."""
    if isinstance(default, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        expected = "a list of text values"
    elif isinstance(default, bool):
        ok, expected = isinstance(value, bool), "true or false"
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        expected = "a number"
    else:
        ok, expected = isinstance(value, str), "text"
    if not ok:
        problems.append(f"{key}: must be {expected}")
        return _INVALID
    if isinstance(default, tuple) and isinstance(value, list):
        return tuple(value)
    if isinstance(default, float) and isinstance(value, int | float):
        return float(value)
    if isinstance(default, int) and isinstance(value, int | float):
        return int(value)
    return value


def _resolve(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else (base / p)


def _secret(key: str, value: object, base: Path, problems: list[str]) -> SecretRef | object:
    if isinstance(value, Mapping) and set(value) <= {"env", "file"} and len(value) == 1:
        if "env" in value:
            return SecretRef(env=str(value["env"]))
        return SecretRef(file=_resolve(base, str(value["file"])))
    problems.append(
        f'{key}: secrets are given by reference only: {{ env = "NAME" }} or {{ file = "PATH" }}'
    )
    return _INVALID


def _signatures(key: str, value: object, problems: list[str]) -> tuple[Signatory, ...] | object:
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        problems.append(f"{key}: must be a list of tables with title, name, position")
        return _INVALID
    try:
        return tuple(Signatory(**{k: str(v) for k, v in item.items()}) for item in value)
    except TypeError:
        problems.append(f"{key}: each signature has only title, name and position")
        return _INVALID


def _cross_checks(config: Config) -> list[str]:
    """Every value a later step would refuse, caught at load (so `config check` sees it)."""
    problems = []
    try:
        ZoneInfo(config.program.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"program.timezone: unknown time zone {config.program.timezone!r}")
    if config.workbook.backend == "gsheets" and not config.workbook.spreadsheet_id:
        problems.append('workbook.spreadsheet_id: required when backend = "gsheets"')
    if config.mail.transport == "smtp" and not config.mail.host:
        problems.append('mail.host: required when transport = "smtp"')
    for check in (_number_checks, _worker_checks, _report_checks, _mail_checks):
        problems.extend(check(config))
    return problems


# (key, value, lowest, highest): numbers the program cannot work with outside these bounds
def _bounds(config: Config) -> list[tuple[str, float, float, float]]:
    kpi, worker = config.kpi, config.worker
    return [
        ("kpi.report_due_day", kpi.report_due_day, 1, 28),
        ("worker.monthly_day", worker.monthly_day, 1, 28),
        ("worker.stale_export_days", worker.stale_export_days, 1, 366),
        ("reports.workers", config.reports.workers, 1, 64),
        ("ledger.keep_backups", config.ledger.keep_backups, 1, 10_000),
        ("workbook.timeout_seconds", config.workbook.timeout_seconds, 1, 3600),
        ("workbook.registry_shrink_limit_pct", config.workbook.registry_shrink_limit_pct, 0, 100),
        ("mail.port", config.mail.port, 1, 65535),
        ("mail.daily_cap", config.mail.daily_cap, 0, 1_000_000),
        ("kpi.on_target_pct", kpi.on_target_pct, 1, 1000),
        ("kpi.near_target_pct", kpi.near_target_pct, 0, kpi.on_target_pct),
        ("kpi.two_source_tolerance", kpi.two_source_tolerance, 0, 1_000_000),
    ]


def _number_checks(config: Config) -> list[str]:
    return [
        f"{key}: must be between {low:g} and {high:g} (is {value:g})"
        for key, value, low, high in _bounds(config)
        if not low <= value <= high
    ]


_HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _worker_checks(config: Config) -> list[str]:
    """Times the scheduler can use: 24-hour HH:MM (the worker would crash on "25:00")."""
    worker = config.worker
    problems = [
        f"worker.sync_times: {t!r} is not a time of day; write it as HH:MM, e.g. 06:00"
        for t in worker.sync_times
        if not _HHMM.fullmatch(t)
    ]
    if not _HHMM.fullmatch(worker.monthly_time):
        problems.append(
            f"worker.monthly_time: {worker.monthly_time!r} is not a time of day; "
            "write it as HH:MM, e.g. 07:00"
        )
    return problems


REPORT_FORMATS = ("html", "pdf", "xlsx")


def _report_checks(config: Config) -> list[str]:
    from sheetsync.kpi_schema import ORDER_METRICS, PRODUCT_METRICS, SHOP_METRICS

    problems = []
    formats = config.reports.formats
    if not formats or not set(formats) <= set(REPORT_FORMATS):
        problems.append(f"reports.formats: use one or more of {', '.join(REPORT_FORMATS)}")
    rankable = ("composite", *ORDER_METRICS, *SHOP_METRICS, *PRODUCT_METRICS)
    if config.kpi.ranking_metric not in rankable:
        problems.append(
            f"kpi.ranking_metric: {config.kpi.ranking_metric!r} cannot rank units; "
            f"use one of {', '.join(rankable)}"
        )
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", config.workbook.endpoint):
        problems.append(f"workbook.endpoint: {config.workbook.endpoint!r} is not an http(s) URL")
    return problems


def _mail_checks(config: Config) -> list[str]:
    """The addresses `send` and alerts would refuse (same rules, same messages)."""
    from sheetsync.mail.addresses import mail_config_problems

    mail = config.mail
    return mail_config_problems(mail.sender, mail.reply_to, mail.alert_to)


def google_credentials_path(config: Config) -> Path | None:
    """The service-account file: [workbook] credentials, else GOOGLE_APPLICATION_CREDENTIALS."""
    if config.workbook.credentials:
        return config.workbook.credentials
    env = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    return Path(env) if env else None


def masked_view(config: Config) -> dict[str, dict[str, str]]:
    """Every setting as text, secrets masked: what `sheetsync config check` prints."""
    view: dict[str, dict[str, str]] = {}
    for name in SECTIONS:
        section = getattr(config, name)
        view[name] = {f.name: _show(getattr(section, f.name)) for f in fields(section)}
    return view


def _show(value: object) -> str:
    if isinstance(value, SecretRef):
        return value.masked()
    if isinstance(value, tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, Signatory):
        return f"{value.title} / {value.name} / {value.position}"
    return "" if value is None else str(value)
