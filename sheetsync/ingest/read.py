"""Reading new files, in reader processes when there are many: a crash or a bad frame is an
Issue for that file, never the end of the run."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat as stat_mod
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa

from sheetsync.ingest.store import STORE_DATA_ERRORS, all_storable, drop_unstorable_lines
from sheetsync.ingest.summary import Candidate, Hashed, Reader, ReadFile, Unhashable
from sheetsync.ledger import (
    FileMeta,
    pack_order_lines,
)
from sheetsync.ledger.linestore import PackedLines, pack_order_table, pack_order_tables
from sheetsync.marketplaces import read_export, read_exports_bytes, unreadable
from sheetsync.marketplaces.base import ParsedExport
from sheetsync.marketplaces.cells import DEFAULT_TZ
from sheetsync.marketplaces.orders import order_lines_frame
from sheetsync.procpool import process_pool, usable_cores
from sheetsync.redact import masked_issues

PARALLEL_MIN_FILES = 4  # below this a process pool costs more than it saves

Outcome = ReadFile | Hashed | BaseException  # what reading one file gives the writer


# --------------------------------------------------------------------------- reading


def _read_all(
    new: list[tuple[Candidate, FileMeta]], reader: Reader, workers: int | None, language: str
) -> Iterator[tuple[Candidate, FileMeta, Outcome]]:
    """Read files in order, in reader processes a few files ahead of the writer.

    `workers`: None = automatic, one reader process per usable core (up to four), each
    kept on its core (`procpool._Cores`): the writer only stores each file's packed
    blob, so it needs no core of its own; 1 = read here, one file after the other;
    n >= 2 = n reader processes. `language`: of the screening's issues. A file whose
    meta has no sha256 yet is hashed where it is read (`Hashed`).
    """
    processes = reader_processes(workers)
    if processes == 0 or len(new) < PARALLEL_MIN_FILES:
        for batch in _batches(new, processes or 1):
            yield from _zip_outcomes(batch, _read_batch_safely(reader, _jobs(batch), language))
        return
    with process_pool(processes, own_cores=True) as pool:
        yield from _read_in_pool(pool, new, reader, language, processes)


def _zip_outcomes(
    batch: list[tuple[Candidate, FileMeta]], outcomes: list[Outcome]
) -> Iterator[tuple[Candidate, FileMeta, Outcome]]:
    """Each file of a batch with what reading it gave."""
    for (candidate, meta), outcome in zip(batch, outcomes, strict=True):
        yield candidate, meta, outcome


Job = tuple[Path, str, bool]  # (path, source, hash it first)


def _jobs(batch: list[tuple[Candidate, FileMeta]]) -> list[Job]:
    return [(candidate.path, candidate.source, not meta.sha256) for candidate, meta in batch]


BATCH_FILES = 24  # files read together by one reader task (see read_exports_bytes)
BATCH_BYTES = 48 * 1024**2  # ... unless they are large: a batch's files are in memory at once
TAIL_SHARE = 2  # near the end, a batch is at most 1/(TAIL_SHARE x processes) of what is left


def _batches(
    new: list[tuple[Candidate, FileMeta]], processes: int
) -> Iterator[list[tuple[Candidate, FileMeta]]]:
    """Consecutive files in batches: up to BATCH_FILES, fewer when there are few files (so
    every reader process gets some: at least four batches each) or when they are large.

    Batches shrink towards the end (guided scheduling): with equal batches, the last one
    kept one reader busy while the other core had nothing left to do (a tenth of a
    second at province scale). Files stay in order, whatever the sizes."""
    most = max(1, min(BATCH_FILES, len(new) // (processes * 4)))
    at = 0
    while at < len(new):
        left = len(new) - at
        cap = max(1, min(most, left // (processes * TAIL_SHARE)))
        batch, size = [new[at]], new[at][1].size
        at += 1
        while at < len(new) and len(batch) < cap and size + new[at][1].size <= BATCH_BYTES:
            batch.append(new[at])
            size += new[at][1].size
            at += 1
        yield batch


def reader_processes(workers: int | None) -> int:
    """How many reader processes `workers` means; 0 = read in this process."""
    if workers is None:
        return min(usable_cores(), 4)
    return workers if workers >= 2 else 0


def _read_in_pool(
    pool: ProcessPoolExecutor,
    new: list[tuple[Candidate, FileMeta]],
    reader: Reader,
    language: str,
    processes: int,
) -> Iterator[tuple[Candidate, FileMeta, Outcome]]:
    """A sliding window of batches keeps memory bounded while the writer stores in file
    order: a few batches per process are read ahead of it."""
    ahead = processes * 2 + 1
    pending: list[tuple[list[tuple[Candidate, FileMeta]], Future[list[Outcome]]]] = []
    for batch in _batches(new, processes):
        pending.append((batch, _submit(pool, reader, _jobs(batch), language)))
        if len(pending) >= ahead:
            done, future = pending.pop(0)
            yield from _zip_outcomes(done, _results(future, len(done)))
    for done, future in pending:
        yield from _zip_outcomes(done, _results(future, len(done)))


def _submit(
    pool: ProcessPoolExecutor, reader: Reader, jobs: list[Job], language: str
) -> Future[list[Outcome]]:
    try:
        return pool.submit(_read_batch_safely, reader, jobs, language)
    except BrokenProcessPool as exc:
        failed: Future[list[Outcome]] = Future()
        failed.set_result([exc] * len(jobs))
        return failed


def _results(future: Future[list[Outcome]], count: int) -> list[Outcome]:
    """A worker that died (out of memory, killed) fails its files for this run only."""
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool, or a result that could not be sent back
        return [exc] * count


def _read_batch_safely(reader: Reader, jobs: list[Job], language: str = "id") -> list[Outcome]:
    """Read and screen a batch of files (in a worker). A reader that can read several
    files together (`ArrowReader.read_many`) gets their bytes, read once for the hash and
    the reading; any other reader reads them one by one (`_read_safely`).

    A bug must not stop the run: it comes back as each file's outcome (a failed read)."""
    try:
        return _read_batch(reader, jobs, language)
    except Exception as exc:
        return [exc] * len(jobs)


def _read_batch(reader: Reader, jobs: list[Job], language: str) -> list[Outcome]:
    read_many = getattr(reader, "read_many", None)
    if read_many is None:
        return [_read_safely(reader, path, source, language, hash_first=first)
                for path, source, first in jobs]  # fmt: skip
    loaded = [_loaded(path, source, first, language) for path, source, first in jobs]
    readable = [(data, source, path.name)
                for (path, source, _), data in zip(jobs, loaded, strict=True)
                if isinstance(data, bytes)]  # fmt: skip
    try:
        parsed: list[ParsedExport | Exception] = list(read_many(readable))
    except Exception as exc:  # a reader bug: each of these files is reported, none stored
        parsed = [exc] * len(readable)
    screened = iter(_screened_together(parsed, [source for _, source, _ in readable], language))
    return [_outcome(data, next(screened) if isinstance(data, bytes) else data, first)
            for (_, _, first), data in zip(jobs, loaded, strict=True)]  # fmt: skip


def _loaded(path: Path, source: str, hash_first: bool, language: str) -> bytes | Outcome:
    """A file's bytes; when they cannot be read, what that gives: `Unhashable` for a file
    to be hashed here, else the rejected export read_export gives."""
    try:
        return file_bytes(path)
    except OSError as exc:
        if hash_first:
            return Unhashable(exc)
        return _screened(unreadable(source, exc, language), source, language)


def _outcome(data: bytes | Outcome, read: ReadFile | Exception | Outcome, hash_first: bool
             ) -> Outcome:  # fmt: skip
    if not isinstance(data, bytes):
        return data
    assert not isinstance(read, Hashed)
    return Hashed(hashlib.sha256(data).hexdigest(), read) if hash_first else read


def _screened_together(
    parsed: list[ParsedExport | Exception], sources: list[str], language: str
) -> list[ReadFile | Exception]:
    """`_screened` of each file read, what its own screening gives; the Arrow lines of
    them all are checked at once and packed together (`pack_order_tables`) when they can
    be, else file by file."""
    tables = [p.table for p in parsed if isinstance(p, ParsedExport) and _in_arrow(p)
              and p.table is not None]  # fmt: skip
    if len(tables) < 2 or not all_storable(tables):
        return [_screened_or_failed(p, source, language)
                for p, source in zip(parsed, sources, strict=True)]  # fmt: skip
    together = pack_order_tables(tables)
    packs = iter(list[PackedLines | None](together) if together else [None] * len(tables))
    return [_packed_with(p, next(packs), source, language) if _in_arrow(p)
            else _screened_or_failed(p, source, language)
            for p, source in zip(parsed, sources, strict=True)]  # fmt: skip


def _in_arrow(parsed: ParsedExport | Exception) -> bool:
    return isinstance(parsed, ParsedExport) and parsed.kind == "orders" and (
        parsed.table is not None)  # fmt: skip


def _screened_or_failed(parsed: ParsedExport | Exception, source: str, language: str
                        ) -> ReadFile | Exception:  # fmt: skip
    return parsed if isinstance(parsed, Exception) else _screened(parsed, source, language)


def _masked(parsed: ParsedExport) -> ParsedExport:
    return replace(parsed, issues=masked_issues(parsed.issues))  # buyer data never echoed


def _packed_with(
    parsed: ParsedExport | Exception, packed: PackedLines | None, source: str, language: str
) -> ReadFile | Exception:
    """A file whose Arrow lines were found storable with the batch's: packed with them, or
    screened alone (None) when the batch could not be packed together."""
    assert isinstance(parsed, ParsedExport)
    if packed is None:
        return _screened(parsed, source, language)
    return ReadFile(replace(_masked(parsed), table=None), packed)


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


@dataclass(frozen=True)
class ArrowReader:
    """Ingest's default reader: `marketplaces.read_export` in the programme's time zone,
    the issues worded in its language, order lines kept in Arrow (`ParsedExport.table`)
    up to the blob; `read_many` reads a batch of files together. A plain dataclass, so it
    pickles to the reader processes."""

    tz: str = DEFAULT_TZ
    language: str = "id"

    def __call__(self, path: Path, *, display_name: str | None = None) -> ParsedExport:
        return read_export(path, display_name=display_name, tz=self.tz, language=self.language,
                           arrow=True)  # fmt: skip

    def read_many(self, files: Sequence[tuple[bytes, str, str]]) -> list[ParsedExport]:
        """Files as (bytes, source, file name), read together (`read_exports_bytes`)."""
        return read_exports_bytes(files, tz=self.tz, language=self.language)


def file_sha256(path: Path) -> str:
    """Read-only, streamed: the inbox file is opened for reading and nothing else.

    O_NONBLOCK and a second look at what was opened: a FIFO put in the file's place after
    the first `stat` would otherwise block the run (and its lock) forever.
    """
    with _regular_file(path) as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def file_bytes(path: Path) -> bytes:
    """A file's bytes, opened as `file_sha256` opens it (read-only, never a FIFO)."""
    with _regular_file(path) as handle:
        return handle.read()


def _regular_file(path: Path) -> io.BufferedReader:
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    handle = os.fdopen(descriptor, "rb")
    if not stat_mod.S_ISREG(os.fstat(descriptor).st_mode):
        handle.close()
        raise OSError(errno.EINVAL, "bukan file biasa")
    return handle


def _read_screened(reader: Reader, path: Path, source: str, language: str) -> ReadFile | Exception:
    try:
        parsed = reader(path, display_name=source)
    except Exception as exc:  # a reader bug is reported as an Issue for this file
        return exc
    return _screened(parsed, source, language)


def _screened(parsed: ParsedExport, source: str, language: str) -> ReadFile | Exception:
    """What the writer gets of a file read: lines the ledger cannot hold dropped (as
    issues), buyer data masked in the issues, order lines packed."""
    try:
        return packed_for_writer(_masked(drop_unstorable_lines(parsed, source, language)))
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
