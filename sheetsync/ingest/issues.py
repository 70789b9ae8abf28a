"""The inbox's own issues (files outside a shop folder, unreadable, special, failed to read
or store), worded by the message catalogue."""

from __future__ import annotations

from sheetsync.issues import Issue
from sheetsync.ledger import (
    FileMeta,
    FileRecord,
)
from sheetsync.messages import InboxCode, IngestCode, message, severity_of

# --------------------------------------------------------------------------- issues


def _inbox_issue(code: InboxCode, source: str, language: str, **fields: object) -> Issue:
    """A whole-file (or whole-folder) inbox issue, worded by the catalogue."""
    text = message(code, language, source=source, **fields)
    return Issue(str(code), severity_of(code), source, None, None, None, text)


def _file_outside_shop_folder(name: str, language: str = "id") -> Issue:
    return _inbox_issue(InboxCode.OUTSIDE_SHOP_FOLDER, name, language)


def _unknown_shop_folder(folder: str, shop_id: str, language: str = "id") -> Issue:
    code = InboxCode.UNKNOWN_SHOP_FOLDER
    text = message(code, language, source=folder, shop=shop_id)
    return Issue(str(code), severity_of(code), folder, None, "ID Toko", shop_id, text)


def _same_file_other_shop(meta: FileMeta, record: FileRecord, language: str = "id") -> Issue:
    return _inbox_issue(
        InboxCode.SAME_FILE_OTHER_SHOP, meta.source, language,
        other_source=record.source, other_shop=record.shop_id,
    )  # fmt: skip


def _unreadable_file(source: str, exc: OSError, language: str = "id") -> Issue:
    reason = exc.strerror or type(exc).__name__
    return _inbox_issue(InboxCode.UNREADABLE_FILE, source, language, reason=reason)


def _empty_file(source: str, language: str = "id") -> Issue:
    from sheetsync.marketplaces.problems import file_issue

    return file_issue(IngestCode.FILE_EMPTY, source, language=language)


def _special_file(source: str, language: str = "id") -> Issue:
    return _inbox_issue(InboxCode.SPECIAL_FILE, source, language)


def _outside_inbox(source: str, language: str = "id") -> Issue:
    return _inbox_issue(InboxCode.OUTSIDE_INBOX, source, language)


def _read_failed(source: str, exc: BaseException, language: str = "id") -> Issue:
    return _inbox_issue(InboxCode.READ_FAILED, source, language, reason=type(exc).__name__)


def _store_failed(source: str, exc: BaseException, language: str = "id") -> Issue:
    reason = f"{type(exc).__name__}: {exc}"
    return _inbox_issue(InboxCode.STORE_FAILED, source, language, reason=reason)


def _unstorable_line(source: str, row: object, language: str = "id") -> Issue:
    code = InboxCode.UNSTORABLE_LINE
    text = message(code, language, source=source, row=row)
    return Issue(str(code), severity_of(code), source, _row_number(row), None, None, text)


def _row_number(row: object) -> int | None:
    try:
        return int(row)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
