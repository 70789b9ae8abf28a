"""The two entry points (the inbox, paths given on the command line) and one run: hash
what is new, read it (on both cores when there are many), store each file alone."""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import os
import stat as stat_mod
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from sheetsync import __version__
from sheetsync.errors import SourceError
from sheetsync.ingest.issues import (
    _empty_file,
    _outside_inbox,
    _same_file_other_shop,
    _special_file,
    _unreadable_file,
)
from sheetsync.ingest.read import _read_all
from sheetsync.ingest.scan import _candidates_for_path, _inside, path_text, scan_inbox
from sheetsync.ingest.store import _store_one
from sheetsync.ingest.summary import DEFAULT_TZ, Candidate, IngestSummary, Progress, Reader
from sheetsync.ledger import (
    FileMeta,
    FileRecord,
    Ledger,
)

# --------------------------------------------------------------------------- entry points


def ingest_inbox(
    inbox: Path,
    ledger: Ledger,
    *,
    known_shops: Collection[str] | None = None,
    reader: Reader | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    now: dt.datetime,
    tz: ZoneInfo = DEFAULT_TZ,
    language: str = "id",
) -> IngestSummary:
    """Import every new export under `inbox/<ID Toko>/`; see the module docstring."""
    summary = IngestSummary(language=language)
    if not inbox.exists():
        return summary
    if not inbox.is_dir():
        raise SourceError(f"The inbox {inbox} is not a folder; check [inbox] path in the config.")
    candidates = scan_inbox(inbox, summary, known_shops)
    return _ingest(candidates, ledger, summary, known_shops, reader, progress, workers, now, tz)


def ingest_paths(
    paths: Sequence[Path],
    ledger: Ledger,
    *,
    shop_id: str | None = None,
    known_shops: Collection[str] | None = None,
    reader: Reader | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    now: dt.datetime,
    tz: ZoneInfo = DEFAULT_TZ,
    language: str = "id",
) -> IngestSummary:
    """Import files or folders outside the inbox (`sheetsync ingest PATH… [--shop ID]`).

    With `shop_id` every file found belongs to that shop. Without it a folder is read as
    an inbox (its sub-folders are shops) and a lone file belongs to the shop its parent
    folder is named after, exactly as in the inbox.
    """
    summary = IngestSummary(language=language)
    candidates: list[Candidate] = []
    for path in paths:
        candidates.extend(_candidates_for_path(Path(path), shop_id, summary, known_shops))
    return _ingest(candidates, ledger, summary, known_shops, reader, progress, workers, now, tz)


# --------------------------------------------------------------------------- the run


def _ingest(
    candidates: list[Candidate],
    ledger: Ledger,
    summary: IngestSummary,
    known_shops: Collection[str] | None,
    reader: Reader | None,
    progress: Progress | None,
    workers: int | None,
    now: dt.datetime,
    tz: ZoneInfo,
) -> IngestSummary:
    """Hash, sort out what is new, read it (maybe in parallel), store each file alone."""
    summary.files_seen = len(candidates)
    metas = _hash_all(candidates, ledger, summary, tz)
    new = _new_files(metas, ledger, summary, known_shops)
    reader = reader or _default_reader(tz, summary.language)
    total = len(new)
    read = _read_all(new, reader, workers, summary.language)
    for done, (candidate, meta, parsed) in enumerate(read, start=1):
        _store_one(candidate, meta, parsed, ledger, summary, now)
        if progress:
            progress(candidate.source, done, total)
    return summary


def _default_reader(tz: ZoneInfo, language: str = "id") -> Reader:
    """read_export in the programme's time zone, its issues worded in the programme's
    language (a partial pickles to reader processes, the language with it); order lines
    stay in Arrow up to the blob."""
    from sheetsync.marketplaces import read_export

    reader: Reader = functools.partial(read_export, tz=tz.key, language=language, arrow=True)
    return reader


def _hash_all(
    candidates: list[Candidate], ledger: Ledger, summary: IngestSummary, tz: ZoneInfo
) -> list[tuple[Candidate, FileMeta]]:
    """sha256 of every file; unchanged paths (same size and mtime) reuse the stored hash.

    A file that vanishes or cannot be opened meanwhile (moved by its owner, no permission)
    is an issue for this run only; the next run looks again.
    """
    metas: list[tuple[Candidate, FileMeta]] = []
    fresh: list[tuple[str, int, int, str]] = []
    for candidate in candidates:
        if candidate.root is not None and not _inside(candidate.path, candidate.root):
            summary.issues.append(_outside_inbox(candidate.source, summary.language))
            continue  # never opened, and where it leads is never stored
        candidate = replace(candidate, path=candidate.path.resolve())
        try:
            stat = candidate.path.stat()
            if not stat_mod.S_ISREG(stat.st_mode):
                summary.issues.append(_special_file(candidate.source, summary.language))
                continue
            absolute = path_text(candidate.path)
            sha = ledger.cached_hash(absolute, stat.st_size, stat.st_mtime_ns)
            if sha is None:
                sha = file_sha256(candidate.path)
                fresh.append((absolute, stat.st_size, stat.st_mtime_ns, sha))
        except OSError as exc:
            summary.files_failed += 1
            summary.issues.append(_unreadable_file(candidate.source, exc, summary.language))
            continue
        downloaded = dt.datetime.fromtimestamp(stat.st_mtime, tz).replace(tzinfo=None)
        meta = FileMeta(sha, absolute, candidate.source, stat.st_size, stat.st_mtime,
                        candidate.shop_id, downloaded)  # fmt: skip
        metas.append((candidate, meta))
    if fresh:
        ledger.remember_paths(fresh)
    return metas


def file_sha256(path: Path) -> str:
    """Read-only, streamed: the inbox file is opened for reading and nothing else.

    O_NONBLOCK and a second look at what was opened: a FIFO put in the file's place after
    the first `stat` would otherwise block the run (and its lock) forever.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat_mod.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "bukan file biasa")
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _new_files(
    metas: list[tuple[Candidate, FileMeta]],
    ledger: Ledger,
    summary: IngestSummary,
    known_shops: Collection[str] | None,
) -> list[tuple[Candidate, FileMeta]]:
    """Files whose bytes the ledger has not seen; the rest are counted and explained."""
    new: list[tuple[Candidate, FileMeta]] = []
    seen_now: set[str] = set()
    for candidate, meta in metas:
        if meta.size == 0:  # all empty files share one hash: each gets its own message
            summary.files_rejected += 1
            summary.issues.append(_empty_file(candidate.source, summary.language))
            continue
        record = ledger.file_by_hash(meta.sha256)
        if (record is None or _worth_retrying(record)) and meta.sha256 not in seen_now:
            seen_now.add(meta.sha256)
            new.append((candidate, meta))
        elif record is not None and not record.imported:
            summary.files_still_rejected += 1
        else:
            summary.files_skipped += 1
            if record is not None:
                _check_same_shop(record, meta, ledger, summary, known_shops)
    return new


def _worth_retrying(record: FileRecord) -> bool:
    """A file rejected by an older sheetsync is read again: the readers may know it now."""
    return not record.imported and record.reader_version != __version__


def _check_same_shop(
    record: FileRecord,
    meta: FileMeta,
    ledger: Ledger,
    summary: IngestSummary,
    known_shops: Collection[str] | None,
) -> None:
    """A known file in another shop folder: follow a rename, else warn that it counts once."""
    if record.shop_id == meta.shop_id:
        return
    known = set(known_shops or ())
    if known and record.shop_id not in known and meta.shop_id in known:
        ledger.reassign_file(record.id, meta.shop_id)
        return
    summary.issues.append(_same_file_other_shop(meta, record, summary.language))
