"""The file under the workbook: is it there, does a spreadsheet program hold it open (its
lock file), and replacing it atomically (temporary file + os.replace + fsync) only if no
one saved it meanwhile."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from sheetsync.errors import SinkError, SourceError, WorkbookLockedError

# --------------------------------------------------------------------------------------------
# Preconditions: the file exists and no spreadsheet program holds it


def lock_file_candidates(path: Path) -> list[Path]:
    """Lock files of Excel (`~$name`, Word-style `~$me` for long names) and LibreOffice."""
    name = path.name
    candidates = [path.with_name("~$" + name), path.with_name(f".~lock.{name}#")]
    if len(name) > 2:
        candidates.append(path.with_name("~$" + name[2:]))
    return candidates


def ensure_workbook_usable(path: Path) -> None:
    """Raise SourceError when the file is missing or not .xlsx, WorkbookLockedError while it
    is open in a spreadsheet program (so writing it now would fight with the person's save)."""
    ensure_workbook_readable(path)
    ensure_not_open(path)


def ensure_workbook_readable(path: Path) -> None:
    """Raise SourceError when the file is missing or not .xlsx.

    A workbook open in Excel can still be read: what it holds on disk is what staff last
    saved, which is what every run reads anyway.
    """
    if not path.is_file():
        raise SourceError(
            f"Workbook {path} not found. Check [workbook] path in the config, "
            "or create an empty one with `sheetsync init`."
        )
    if path.suffix.lower() != ".xlsx":
        raise SourceError(
            f"Workbook {path} is not an .xlsx file; sheetsync reads and writes .xlsx only "
            "(macros and the old .xls format would be lost). Save it as 'Excel Workbook (.xlsx)'."
        )


def ensure_not_open(path: Path) -> None:
    """Raise WorkbookLockedError while a spreadsheet program's lock file is beside `path`."""
    for lock in lock_file_candidates(path):
        if lock.exists():
            raise WorkbookLockedError(
                f"Buku kerja {path} sedang dibuka di Excel/LibreOffice (ada berkas kunci "
                f"{lock.name}), jadi tidak ditulis sekarang; sheetsync mencoba lagi pada "
                "sinkronisasi berikutnya. Tutup buku kerja itu; bila tidak sedang dibuka di "
                "mana pun, hapus berkas kunci tersebut."
            )


@dataclass(frozen=True, slots=True)
class FileState:
    """Size and modification time: enough to notice that someone saved the file meanwhile."""

    size: int
    mtime_ns: int


def file_state(path: Path) -> FileState:
    stat = path.stat()
    return FileState(stat.st_size, stat.st_mtime_ns)


# --------------------------------------------------------------------------------------------
# Atomic save


def save_via_temp_file(
    book: OpenpyxlWorkbook, path: Path, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Save to a temporary file beside `path`, then rename it over `path`."""
    replace_via_temp_file(path, book.save, before_replace=before_replace)


def replace_via_temp_file(
    path: Path,
    write: Callable[[Path], object],
    *,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write a temporary file beside `path`, then rename it over `path`.

    A crash at any point leaves either the old file or the new one, never half of one.
    """
    remove_stale_temp_files(path.parent)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".xlsx", dir=path.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        flush_to_disk(temp)
        if before_replace is not None:
            before_replace()
        if path.exists():
            shutil.copymode(path, temp)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        raise SinkError(f"Cannot save workbook {path}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


TEMP_PREFIX = ".~sheetsync-"
STALE_TEMP_SECONDS = 3600


def remove_stale_temp_files(folder: Path) -> None:
    """Temporary files a killed run left behind (an hour old: no save takes that long)."""
    now = filesystem_now(folder)
    for temp in folder.glob(TEMP_PREFIX + "*.xlsx"):
        with contextlib.suppress(OSError):
            if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                temp.unlink()


def filesystem_now(folder: Path) -> float:
    """The time the file system stamps on a new file in `folder`.

    A file's age is measured on the clock that wrote its mtime (the kernel's, or a network
    share's), not the process clock, which a clock change or a frozen test clock can move.
    """
    with tempfile.TemporaryFile(dir=folder) as probe:
        return os.fstat(probe.fileno()).st_mtime


def flush_to_disk(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def ensure_unchanged_since_load(path: Path, loaded: FileState) -> None:
    ensure_workbook_usable(path)
    if file_state(path) != loaded:
        raise WorkbookLockedError(
            f"Buku kerja {path} disimpan orang lain ketika sheetsync sedang menulisnya; "
            "simpanan mereka tidak ditimpa dan sheetsync mencoba lagi pada sinkronisasi "
            "berikutnya."
        )
