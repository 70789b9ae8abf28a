"""Failures that stop a run.

Data problems are never exceptions: they are `Issue` records (see `issues.py`). What is
raised here means the run cannot go on. Every class says whether trying again later can
help (`retryable`) and which exit code the CLI uses, so cron wrappers and the worker can
decide without parsing messages.

    SheetsyncError                 base; exit code 1
    ├── ConfigError                the config file is missing or wrong (exit 2)
    ├── UsageError                 a command-line value the data does not know (exit 2)
    ├── SourceError                an input cannot be read (workbook, inbox)
    │   ├── WorkbookLockedError    the .xlsx is open in Excel/LibreOffice (retryable)
    │   └── PublishingBlockedError the staff tabs are broken: no report or email (exit 1)
    ├── SinkError                  an output cannot be written (tabs, reports)
    ├── RemoteError                Google Sheets / SMTP answered with a failure
    ├── LedgerError                the SQLite ledger is unusable
    └── RunLockedError             another sheetsync run holds the lock (exit 75)

Exit codes: 0 ok · 1 run failed · 2 usage or config error · 3 validation found errors
(`sheetsync validate`) · 4 some emails failed · 75 another run in progress (EX_TEMPFAIL).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_VALIDATION_ERRORS = 3
EXIT_SEND_FAILED = 4
EXIT_LOCKED = 75


class SheetsyncError(Exception):
    """Base of every run-stopping failure; `str(err)` is one line a person can act on."""

    retryable: bool = False
    exit_code: int = EXIT_FAILED

    def __init__(self, message: str, *, retryable: bool | None = None) -> None:
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable


class ConfigError(SheetsyncError):
    """The configuration is missing or invalid; a person must edit it."""

    exit_code = EXIT_CONFIG

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        detail = "".join(f"\n  - {p}" for p in self.problems)
        super().__init__(message + detail)


class UsageError(SheetsyncError):
    """A value typed on the command line that the programme's data does not know (an
    unknown village, a month without data); the message says what is valid."""

    exit_code = EXIT_CONFIG


class SourceError(SheetsyncError):
    """An input (workbook, inbox folder) cannot be read at all."""


class WorkbookLockedError(SourceError):
    """The workbook is open in a spreadsheet program; retrying after it is closed helps."""

    retryable = True


class PublishingBlockedError(SourceError):
    """A staff tab is structurally broken (gone, a key column renamed, most rows lost):
    figures would be wrong, so nothing is reported or sent until staff fix the tab."""


class SinkError(SheetsyncError):
    """An output (tabs, report files) cannot be written."""


class RemoteError(SheetsyncError):
    """A remote service (Google Sheets, SMTP) failed; `retryable` says if waiting helps."""


class LedgerError(SheetsyncError):
    """The SQLite ledger cannot be opened, migrated or trusted."""


class RunLockedError(SheetsyncError):
    """Another sheetsync run is in progress; this one exits without doing anything."""

    retryable = True
    exit_code = EXIT_LOCKED
