"""Finding files: `inbox/<ID Toko>/…`, regular files only, inside the inbox, never a lock
file or an unfinished download; the first folder names the shop."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from pathlib import Path

from sheetsync.errors import SourceError
from sheetsync.ingest.issues import _file_outside_shop_folder, _outside_inbox, _unknown_shop_folder
from sheetsync.ingest.summary import Candidate, IngestSummary

# Office lock files and unfinished browser downloads are never exports.
SKIPPED_PREFIXES = (".", "~$")
SKIPPED_SUFFIXES = (".crdownload", ".part", ".partial", ".download", ".tmp")


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
