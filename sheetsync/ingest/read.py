"""Reading new files, in reader processes when there are many: a crash or a bad frame is an
Issue for that file, never the end of the run."""

from __future__ import annotations

import errno
import hashlib
import os
import stat as stat_mod
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

import pyarrow as pa

from sheetsync.ingest.store import STORE_DATA_ERRORS, drop_unstorable_lines
from sheetsync.ingest.summary import Candidate, Hashed, Reader, ReadFile, Unhashable
from sheetsync.ledger import (
    FileMeta,
    pack_order_lines,
)
from sheetsync.ledger.linestore import pack_order_table
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.marketplaces.cells import DEFAULT_TZ
from sheetsync.marketplaces.orders import order_lines_frame
from sheetsync.procpool import process_pool
from sheetsync.redact import masked_issues

PARALLEL_MIN_FILES = 4  # below this a process pool costs more than it saves

Outcome = ReadFile | Hashed | BaseException  # what reading one file gives the writer


# --------------------------------------------------------------------------- reading


def _read_all(
    new: list[tuple[Candidate, FileMeta]], reader: Reader, workers: int | None, language: str
) -> Iterator[tuple[Candidate, FileMeta, Outcome]]:
    """Read files in order, in reader processes a few files ahead of the writer.

    `workers`: None = automatic, one reader process per core (up to four): the writer
    only stores each file's packed blob, so it needs no core of its own; 1 = read here,
    one file after the other; n >= 2 = n reader processes. `language`: of the screening's
    issues. A file whose meta has no sha256 yet is hashed where it is read (`Hashed`).
    """
    processes = reader_processes(workers)
    if processes == 0 or len(new) < PARALLEL_MIN_FILES:
        for candidate, meta in new:
            read = _read_safely(reader, candidate.path, candidate.source, language,
                                hash_first=not meta.sha256)  # fmt: skip
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
) -> Iterator[tuple[Candidate, FileMeta, Outcome]]:
    """A sliding window keeps memory bounded while the writer stores in file order."""
    pending: list[tuple[Candidate, FileMeta, Future[Outcome]]] = []
    todo = iter(new)
    for candidate, meta in todo:
        future = _submit(pool, reader, candidate, language, hash_first=not meta.sha256)
        pending.append((candidate, meta, future))
        if len(pending) >= ahead:
            done_candidate, done_meta, future = pending.pop(0)
            yield done_candidate, done_meta, _result(future)
    for candidate, meta, future in pending:
        yield candidate, meta, _result(future)


def _submit(
    pool: ProcessPoolExecutor, reader: Reader, candidate: Candidate, language: str,
    *, hash_first: bool,
) -> Future[Outcome]:  # fmt: skip
    try:
        return pool.submit(_read_safely, reader, candidate.path, candidate.source, language,
                           hash_first=hash_first)  # fmt: skip
    except BrokenProcessPool as exc:
        failed: Future[Outcome] = Future()
        failed.set_result(exc)
        return failed


def _result(future: Future[Outcome]) -> Outcome:
    """A worker that died (out of memory, killed) fails its files for this run only."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return exc


def _read_safely(
    reader: Reader, path: Path, source: str, language: str = "id", *, hash_first: bool = False
) -> Outcome:
    """Read and screen one file (in a worker, so the single writer has less to do); the
    screening's issues are worded in `language`. `hash_first`: hash the file here too
    (`Hashed`; `Unhashable` when it cannot be opened), so the writer never reads it.

    A reader bug must not stop the run: the exception comes back as a value.
    """
    if not hash_first:
        return _read_screened(reader, path, source, language)
    try:
        sha = file_sha256(path)
    except OSError as exc:
        return Unhashable(exc)
    return Hashed(sha, _read_screened(reader, path, source, language))


def read_arrow_lines(
    path: Path, *, display_name: str | None = None, tz: str = DEFAULT_TZ, language: str = "id"
) -> ParsedExport:
    """`marketplaces.read_export` as ingest's default reader: order lines stay in Arrow
    (`ParsedExport.table`) up to the blob, with no round trip through pandas."""
    from sheetsync.marketplaces import read_export

    return read_export(path, display_name=display_name, tz=tz, language=language, arrow=True)


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


def _read_screened(reader: Reader, path: Path, source: str, language: str) -> ReadFile | Exception:
    try:
        parsed = drop_unstorable_lines(reader(path, display_name=source), source, language)
        masked = replace(parsed, issues=masked_issues(parsed.issues))  # buyer data never echoed
        return packed_for_writer(masked)
    except Exception as exc:  # a reader bug is reported as an Issue for this file
        return exc


def packed_for_writer(parsed: ParsedExport) -> ReadFile:
    """Pack the order lines here, in the reader. Lines that cannot be packed travel as
    they are: the writer then fails that one file with the reason (ingest.store_failed)."""
    if parsed.kind == "orders" and parsed.table is not None:
        return _packed_table(parsed, parsed.table)
    if parsed.kind != "orders" or parsed.lines is None:
        return ReadFile(parsed)
    try:
        packed = pack_order_lines(parsed.lines)
    except STORE_DATA_ERRORS:
        return ReadFile(parsed)
    return ReadFile(replace(parsed, lines=parsed.lines.iloc[:0]), packed)


def _packed_table(parsed: ParsedExport, table: pa.Table) -> ReadFile:
    """Lines kept in Arrow by the reader, packed as they are; only the blob travels."""
    try:
        packed = pack_order_table(table)
    except STORE_DATA_ERRORS:  # the writer fails this file with the reason, as for a frame
        return ReadFile(replace(parsed, lines=order_lines_frame(table), table=None))
    return ReadFile(replace(parsed, table=None), packed)
