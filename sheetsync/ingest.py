"""Marketplace exports from the inbox into the ledger: new files once, each in one transaction.

The inbox is `inbox/<ID Toko>/<files>`: the first folder below the inbox names the shop,
files may sit at any depth below it. The inbox belongs to the people who fill it, so it is
only ever read: nothing is moved, renamed or deleted; what was done is remembered in the
ledger's manifest instead (by sha256, so the same file under another name is recognised).

- already imported bytes -> skipped; rejected bytes -> skipped until the file changes
  (or a newer sheetsync, whose readers may know the file by now, is running);
- new bytes -> read by `marketplaces.read_export` (in worker processes when there are many)
  -> stored by this process, the single writer, one transaction per file;
- a folder whose name is not an `ID Toko` of the `Toko` tab is still imported (so nothing
  is lost while staff fix the tab) and reported as a warning; when the same file later
  appears under a known shop folder (the folder was renamed), its lines move to that shop.
A reader crash or an unstorable frame is an Issue for that file and is retried next run;
only a failing ledger (disk full, locked) stops the run, as `LedgerError`.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import os
import stat as stat_mod
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sheetsync import __version__
from sheetsync.errors import SourceError
from sheetsync.issues import Issue
from sheetsync.ledger import (
    DATA_ERRORS,
    FileMeta,
    FileRecord,
    Ledger,
    PackedLines,
    pack_order_lines,
)
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.messages import InboxCode, IngestCode, message, severity_of
from sheetsync.model import OrderStatus
from sheetsync.procpool import process_pool
from sheetsync.redact import masked_issues

Reader = Callable[..., ParsedExport]  # read_export(path, display_name=...) -> ParsedExport
Progress = Callable[[str, int, int], None]  # (what, done, total), as pipeline.Progress

# Office lock files and unfinished browser downloads are never exports.
SKIPPED_PREFIXES = (".", "~$")
SKIPPED_SUFFIXES = (".crdownload", ".part", ".partial", ".download", ".tmp")
# What a bad frame raises while stored: that file fails, the run goes on. A failing
# ledger (disk full, locked, corrupt) raises LedgerError from the ledger and stops the run.
STORE_DATA_ERRORS = (*DATA_ERRORS, ValueError, TypeError, KeyError, OverflowError)
PARALLEL_MIN_FILES = 4  # below this a process pool costs more than it saves
DEFAULT_TZ = ZoneInfo("Asia/Jakarta")
_VALID_STATUSES = frozenset(s.value for s in OrderStatus)


@dataclass(slots=True)
class IngestSummary:
    """What one ingest did; the CLI renders it as a table and the run log counts it."""

    files_seen: int = 0
    files_imported: int = 0
    files_skipped: int = 0  # bytes already imported (under any name)
    files_rejected: int = 0  # rejected in this run
    files_still_rejected: int = 0  # rejected before and unchanged: not read again
    files_failed: int = 0  # reader or storage failed; retried next run
    lines: int = 0
    listing_lines: int = 0
    rejected_rows: Counter[str] = field(default_factory=Counter)  # issue code -> rows
    issues: list[Issue] = field(default_factory=list)
    imported: list[FileRecord] = field(default_factory=list)
    months: set[str] = field(default_factory=set)  # months that received new lines
    language: str = "id"  # of the issues' messages ([program] language)

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected_rows.values())

    @property
    def rejected_by_reason(self) -> Counter[str]:
        """Rejected rows per issue code (the CLI's second table)."""
        return self.rejected_rows


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A file read and screened by a reader process. Its order lines travel packed (one
    Arrow blob, `parsed.lines` then empty): the single writer only stores bytes."""

    parsed: ParsedExport
    packed: PackedLines | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file found for import, with the shop it belongs to."""

    path: Path
    source: str  # what staff see: inbox-relative, or the path as given
    shop_id: str
    root: Path | None = None  # the inbox it was found in: symlinks must stay inside it


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


# --------------------------------------------------------------------------- finding files


def scan_inbox(
    inbox: Path, summary: IngestSummary, known_shops: Collection[str] | None
) -> list[Candidate]:
    """Every export file under the shop folders, in a stable order."""
    found: list[Candidate] = []
    for entry in sorted(inbox.iterdir()):
        if _is_ignored(entry.name):
            continue
        if entry.is_symlink() and not _inside(entry, inbox):
            summary.issues.append(_outside_inbox(entry.name, summary.language))
        elif entry.is_file():
            summary.issues.append(_file_outside_shop_folder(entry.name, summary.language))
        elif entry.is_dir():
            shop_id = _shop_for_folder(entry.name, inbox.name, summary, known_shops)
            found.extend(
                Candidate(p, path_text(p.relative_to(inbox).as_posix()), shop_id, inbox)
                for p in _files_under(entry)
            )
    return found


def _inside(path: Path, root: Path) -> bool:
    """Where a path really leads (symlinks resolved) lies within `root`."""
    return path.resolve().is_relative_to(root.resolve())


def _candidates_for_path(
    path: Path, shop_id: str | None, summary: IngestSummary, known_shops: Collection[str] | None
) -> list[Candidate]:
    if not path.exists():
        raise SourceError(f"{path} does not exist.")
    if path.is_dir() and shop_id is None:
        return scan_inbox(path, summary, known_shops)
    if path.is_dir():
        return [Candidate(p, path_text(p), shop_id or "") for p in _files_under(path)]
    shop = shop_id or _shop_for_folder(path.parent.name, path.parent.parent.name, summary,
                                       known_shops)  # fmt: skip
    return [Candidate(path, path_text(path), shop)]


def path_text(path: Path | str) -> str:
    """A path as storable text: names that are not UTF-8 (copied from an old USB stick)
    get U+FFFD instead of failing every insert."""
    return os.fsencode(path).decode("utf-8", "replace")


def _files_under(folder: Path) -> Iterator[Path]:
    """Files at any depth, skipping hidden entries, lock files and unfinished downloads."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_ignored(d))
        for name in sorted(files):
            if not _is_ignored(name):
                yield Path(root) / name


def _is_ignored(name: str) -> bool:
    return name.startswith(SKIPPED_PREFIXES) or name.lower().endswith(SKIPPED_SUFFIXES)


def _shop_for_folder(
    folder: str, parent: str, summary: IngestSummary, known_shops: Collection[str] | None
) -> str:
    """The shop id a folder names: a known id matched ignoring case and spaces, else as is."""
    name = folder.strip()
    if known_shops is None:
        return name
    by_folded = {s.strip().casefold(): s for s in known_shops}
    if name.casefold() in by_folded:
        return by_folded[name.casefold()]
    summary.issues.append(_unknown_shop_folder(f"{parent}/{folder}", name, summary.language))
    return name


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
    language (a partial pickles to reader processes, the language with it)."""
    from sheetsync.marketplaces import read_export

    reader: Reader = functools.partial(read_export, tz=tz.key, language=language)
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


# --------------------------------------------------------------------------- reading


def _read_all(
    new: list[tuple[Candidate, FileMeta]], reader: Reader, workers: int | None, language: str
) -> Iterator[tuple[Candidate, FileMeta, ReadFile | BaseException]]:
    """Read files in order, in reader processes a few files ahead of the writer.

    `workers`: None = automatic, one reader process per core (up to four): the writer
    only stores each file's packed blob, so it needs no core of its own; 1 = read here,
    one file after the other; n >= 2 = n reader processes. `language`: of the screening's
    issues.
    """
    processes = reader_processes(workers)
    if processes == 0 or len(new) < PARALLEL_MIN_FILES:
        for candidate, meta in new:
            read = _read_safely(reader, candidate.path, candidate.source, language)
            yield candidate, meta, read
        return
    with process_pool(processes) as pool:
        yield from _read_in_pool(pool, new, reader, language, ahead=processes * 2 + 1)


def reader_processes(workers: int | None) -> int:
    """How many reader processes `workers` means; 0 = read in this process."""
    if workers is None:
        return min(max(1, os.cpu_count() or 1), 4)
    return workers if workers >= 2 else 0


def _read_in_pool(
    pool: ProcessPoolExecutor,
    new: list[tuple[Candidate, FileMeta]],
    reader: Reader,
    language: str,
    ahead: int,
) -> Iterator[tuple[Candidate, FileMeta, ReadFile | BaseException]]:
    """A sliding window keeps memory bounded while the writer stores in file order."""
    pending: list[tuple[Candidate, FileMeta, Future[ReadFile | BaseException]]] = []
    todo = iter(new)
    for candidate, meta in todo:
        pending.append((candidate, meta, _submit(pool, reader, candidate, language)))
        if len(pending) >= ahead:
            done_candidate, done_meta, future = pending.pop(0)
            yield done_candidate, done_meta, _result(future)
    for candidate, meta, future in pending:
        yield candidate, meta, _result(future)


def _submit(
    pool: ProcessPoolExecutor, reader: Reader, candidate: Candidate, language: str
) -> Future[ReadFile | BaseException]:
    try:
        return pool.submit(_read_safely, reader, candidate.path, candidate.source, language)
    except BrokenProcessPool as exc:
        failed: Future[ReadFile | BaseException] = Future()
        failed.set_result(exc)
        return failed


def _result(future: Future[ReadFile | BaseException]) -> ReadFile | BaseException:
    """A worker that died (out of memory, killed) fails its files for this run only."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return exc


def _read_safely(
    reader: Reader, path: Path, source: str, language: str = "id"
) -> ReadFile | BaseException:
    """Read and screen one file (in a worker, so the single writer has less to do); the
    screening's issues are worded in `language`.

    A reader bug must not stop the run: the exception comes back as a value.
    """
    try:
        parsed = drop_unstorable_lines(reader(path, display_name=source), source, language)
        masked = replace(parsed, issues=masked_issues(parsed.issues))  # buyer data never echoed
        return packed_for_writer(masked)
    except Exception as exc:  # a reader bug is reported as an Issue for this file
        return exc


def packed_for_writer(parsed: ParsedExport) -> ReadFile:
    """Pack the order lines here, in the reader. Lines that cannot be packed travel as
    they are: the writer then fails that one file with the reason (ingest.store_failed)."""
    if parsed.kind != "orders" or parsed.lines is None:
        return ReadFile(parsed)
    try:
        packed = pack_order_lines(parsed.lines)
    except STORE_DATA_ERRORS:
        return ReadFile(parsed)
    return ReadFile(replace(parsed, lines=parsed.lines.iloc[:0]), packed)


# --------------------------------------------------------------------------- storing


def _store_one(
    candidate: Candidate,
    meta: FileMeta,
    read: ReadFile | BaseException,
    ledger: Ledger,
    summary: IngestSummary,
    now: dt.datetime,
) -> None:
    if isinstance(read, BaseException):
        summary.files_failed += 1
        summary.issues.append(_read_failed(candidate.source, read, summary.language))
        return
    try:
        record = ledger.store_export(meta, read.parsed, imported_at=now, packed=read.packed)
    except STORE_DATA_ERRORS as exc:
        summary.files_failed += 1
        summary.issues.append(_store_failed(candidate.source, exc, summary.language))
        return
    _count(summary, record, read)


def _count(summary: IngestSummary, record: FileRecord, read: ReadFile) -> None:
    parsed = read.parsed
    summary.issues.extend(parsed.issues)
    for issue in parsed.issues:
        if issue.is_error and issue.row is not None:
            summary.rejected_rows[issue.code] += 1
    if not record.imported:
        summary.files_rejected += 1
        return
    summary.files_imported += 1
    summary.imported.append(record)
    if parsed.kind == "orders":
        summary.lines += record.lines
        summary.months.update(_months_of(read))
    elif parsed.kind == "listings":
        summary.listing_lines += record.lines


def _months_of(read: ReadFile) -> set[str]:
    """The months the lines fall in, without formatting every date."""
    if read.packed is not None:
        return {f"{m.month // 100:04d}-{m.month % 100:02d}" for m in read.packed.months}
    lines = read.parsed.lines
    if lines.empty:
        return set()
    values = pd.to_datetime(lines["created_at"]).to_numpy(dtype="datetime64[s]")
    return {str(m) for m in np.unique(values.astype("datetime64[M]"))}


def drop_unstorable_lines(parsed: ParsedExport, source: str, language: str = "id") -> ParsedExport:
    """Second line of defence: lines a reader let through that the ledger cannot hold
    (no order number, no date, negative quantity, missing money, unknown status) become
    row issues (worded in `language`) instead of failing the whole file."""
    if parsed.kind != "orders" or parsed.lines is None or parsed.lines.empty:
        return parsed
    lines = parsed.lines
    bad = _unstorable_mask(lines)
    if not bad.any():
        return parsed
    rows = lines.loc[bad, "source_row"].tolist()
    issues = [_unstorable_line(source, row, language) for row in rows]
    return replace(
        parsed, lines=lines.loc[~bad].reset_index(drop=True), issues=[*parsed.issues, *issues]
    )


def _unstorable_mask(lines: pd.DataFrame) -> np.ndarray:
    """True where a line cannot be stored; cheap when the reader's dtypes are already right
    (the usual case: then nothing is converted again)."""
    bad = lines["order_id"].astype("str").str.strip().fillna("").eq("").to_numpy(dtype=bool).copy()
    bad |= pd.isna(_as_datetimes(lines["created_at"])).to_numpy(dtype=bool)
    for name in ("quantity", "unit_price_idr", "line_sales_idr"):
        numbers = _as_numbers(lines[name])
        bad |= np.isnan(numbers)
        if name == "quantity":
            bad |= numbers < 0
    bad |= ~lines["status"].isin(_VALID_STATUSES).to_numpy(dtype=bool)
    return bad


def _as_datetimes(column: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column
    return pd.to_datetime(column, errors="coerce")


def _as_numbers(column: pd.Series) -> np.ndarray:
    if pd.api.types.is_integer_dtype(column.dtype) and not isinstance(
        column.dtype, pd.api.extensions.ExtensionDtype
    ):
        return column.to_numpy(dtype="float64")
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


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
