"""The two entry points (the inbox, paths given on the command line) and one run: hash
what is new, read it (on both cores when there are many), store each file alone."""

from __future__ import annotations

import datetime as dt
import stat as stat_mod
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from sheetsync import __version__
from sheetsync.clock import local_from_timestamp
from sheetsync.errors import SourceError
from sheetsync.ingest.issues import (
    _empty_file,
    _outside_inbox,
    _same_file_other_shop,
    _special_file,
    _unreadable_file,
)
from sheetsync.ingest.read import (
    PARALLEL_MIN_FILES,
    ArrowReader,
    Outcome,
    _read_all,
    file_sha256,
    reader_processes,
)
from sheetsync.ingest.scan import _candidates_for_path, path_text, scan_inbox
from sheetsync.ingest.store import _store_one
from sheetsync.ingest.summary import (
    DEFAULT_TZ,
    Candidate,
    Hashed,
    IngestSummary,
    Progress,
    Reader,
    ReadFile,
    Unhashable,
)
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
    asked = _Asked(known_shops, reader, progress, workers, now, tz)
    return _ingest(candidates, ledger, summary, asked)


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
    asked = _Asked(known_shops, reader, progress, workers, now, tz)
    return _ingest(candidates, ledger, summary, asked)


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True, slots=True)
class _Asked:
    """What the caller asked of one run (both entry points take the same keywords)."""

    known_shops: Collection[str] | None
    reader: Reader | None
    progress: Progress | None
    workers: int | None
    now: dt.datetime
    tz: ZoneInfo


def _ingest(
    candidates: list[Candidate], ledger: Ledger, summary: IngestSummary, asked: _Asked
) -> IngestSummary:
    """Hash, sort out what is new, read it (maybe in parallel), store each file alone.

    With reader processes, a file the stat cache does not know is hashed by the process
    that reads it (its bytes are read once, on every core) and sorted out when it comes
    back, before anything of it is stored.
    """
    known_shops, progress, workers = asked.known_shops, asked.progress, asked.workers
    summary.files_seen = len(candidates)
    defer = reader_processes(workers) > 0 and len(candidates) >= PARALLEL_MIN_FILES
    metas, unhashed = _hash_all(candidates, ledger, summary, asked.tz, defer=defer)
    seen_now: dict[str, FileRecord | None] = {}
    new = _new_files(metas, ledger, summary, known_shops, seen_now)
    reader = asked.reader or _default_reader(asked.tz, summary.language)
    total = len(new)
    hashed: list[tuple[str, int, int, str]] = []
    read = _read_all(new, reader, workers, summary.language)
    for done, (candidate, meta, outcome) in enumerate(read, start=1):
        stored: Outcome | None = outcome
        if not meta.sha256:
            meta, stored = _sorted_out(candidate, meta, outcome, ledger, summary, known_shops,
                                       seen_now)  # fmt: skip
            if meta.sha256:
                hashed.append((meta.path, *unhashed[meta.path], meta.sha256))
        if isinstance(stored, ReadFile | BaseException):
            _store_one(candidate, meta, stored, ledger, summary, asked.now)
        if progress:
            progress(candidate.source, done, total)
    if hashed:
        ledger.remember_paths(hashed)
    return summary


def _sorted_out(
    candidate: Candidate,
    meta: FileMeta,
    outcome: Outcome,
    ledger: Ledger,
    summary: IngestSummary,
    known_shops: Collection[str] | None,
    seen_now: dict[str, FileRecord | None],
) -> tuple[FileMeta, Outcome | None]:
    """A file hashed where it was read: what to store (None: nothing, it was counted)."""
    if isinstance(outcome, Unhashable):
        summary.files_failed += 1
        summary.issues.append(_unreadable_file(candidate.source, outcome.error, summary.language))
        return meta, None
    if not isinstance(outcome, Hashed):  # its reader process died: failed for this run
        return meta, outcome
    meta = replace(meta, sha256=outcome.sha256)
    if _is_new(meta, ledger, summary, known_shops, seen_now):
        return meta, outcome.read
    return meta, None


def _default_reader(tz: ZoneInfo, language: str = "id") -> Reader:
    """read_export in the programme's time zone, its issues worded in the programme's
    language (it pickles to reader processes, the language with it); order lines stay in
    Arrow up to the blob, and a batch of files is read together (`ArrowReader`)."""
    return ArrowReader(tz.key, language)


def _hash_all(
    candidates: list[Candidate],
    ledger: Ledger,
    summary: IngestSummary,
    tz: ZoneInfo,
    *,
    defer: bool = False,
) -> tuple[list[tuple[Candidate, FileMeta]], dict[str, tuple[int, int]]]:
    """sha256 of every file; unchanged paths (same size and mtime) reuse the stored hash.

    `defer`: a file the stat cache does not know keeps an empty sha256, to be hashed by
    the reader process that reads it; its (size, mtime_ns) are returned by path.
    A file that vanishes or cannot be opened meanwhile (moved by its owner, no permission)
    is an issue for this run only; the next run looks again.
    """
    metas: list[tuple[Candidate, FileMeta]] = []
    fresh: list[tuple[str, int, int, str]] = []
    unhashed: dict[str, tuple[int, int]] = {}
    roots: dict[Path, Path] = {}  # each inbox resolved once, not once per file
    for candidate in candidates:
        resolved = candidate.path.resolve()
        if candidate.root is not None and not resolved.is_relative_to(
            _resolved(candidate.root, roots)
        ):
            summary.issues.append(_outside_inbox(candidate.source, summary.language))
            continue  # never opened, and where it leads is never stored
        candidate = replace(candidate, path=resolved)
        try:
            stat = candidate.path.stat()
            if not stat_mod.S_ISREG(stat.st_mode):
                summary.issues.append(_special_file(candidate.source, summary.language))
                continue
            absolute = path_text(candidate.path)
            sha = ledger.cached_hash(absolute, stat.st_size, stat.st_mtime_ns)
            if sha is None and defer and stat.st_size:
                sha = ""
                unhashed[absolute] = (stat.st_size, stat.st_mtime_ns)
            elif sha is None:
                sha = file_sha256(candidate.path)
                fresh.append((absolute, stat.st_size, stat.st_mtime_ns, sha))
        except OSError as exc:
            summary.files_failed += 1
            summary.issues.append(_unreadable_file(candidate.source, exc, summary.language))
            continue
        downloaded = local_from_timestamp(stat.st_mtime, tz)
        meta = FileMeta(sha, absolute, candidate.source, stat.st_size, stat.st_mtime,
                        candidate.shop_id, downloaded)  # fmt: skip
        metas.append((candidate, meta))
    if fresh:
        ledger.remember_paths(fresh)
    return metas, unhashed


def _resolved(root: Path, known: dict[Path, Path]) -> Path:
    if root not in known:
        known[root] = root.resolve()
    return known[root]


def _new_files(
    metas: list[tuple[Candidate, FileMeta]],
    ledger: Ledger,
    summary: IngestSummary,
    known_shops: Collection[str] | None,
    seen_now: dict[str, FileRecord | None],
) -> list[tuple[Candidate, FileMeta]]:
    """Files whose bytes the ledger has not seen; the rest are counted and explained. A
    file not hashed yet (empty sha256) is new until its reader process says otherwise."""
    new: list[tuple[Candidate, FileMeta]] = []
    for candidate, meta in metas:
        if meta.size == 0:  # all empty files share one hash: each gets its own message
            summary.files_rejected += 1
            summary.issues.append(_empty_file(candidate.source, summary.language))
            continue
        if not meta.sha256 or _is_new(meta, ledger, summary, known_shops, seen_now):
            new.append((candidate, meta))
    return new


def _is_new(
    meta: FileMeta,
    ledger: Ledger,
    summary: IngestSummary,
    known_shops: Collection[str] | None,
    seen_now: dict[str, FileRecord | None],
) -> bool:
    """Whether the bytes are to be imported now; if not, counted and explained.
    `seen_now`: the bytes this run already took, with the record they had before it (so a
    second copy is judged as it was before the first one was stored)."""
    if meta.sha256 in seen_now:
        record = seen_now[meta.sha256]
    else:
        record = ledger.file_by_hash(meta.sha256)
        if record is None or _worth_retrying(record):
            seen_now[meta.sha256] = record
            return True
    if record is not None and not record.imported:
        summary.files_still_rejected += 1
    else:
        summary.files_skipped += 1
        if record is not None:
            _check_same_shop(record, meta, ledger, summary, known_shops)
    return False


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
