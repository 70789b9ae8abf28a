"""DEVELOPERS.md's map of rooms matches the tree: every module named, nothing named that is gone.

The map is how a newcomer finds where a rule lives; a stale map (a module that moved, a new
one missing) sends them to the wrong room, so it is checked like code.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sheetsync"
SKIPPED = {"__init__.py", "__main__.py"}


def the_map() -> str:
    text = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
    rooms = text.split("## One room per module", 1)[1]
    return rooms.split("```", 2)[1]


def rooms_of(the_map: str) -> dict[str, str]:
    """Each room (a line indented by two spaces that starts with a module or folder name)
    with its text, up to the next room."""
    rooms: dict[str, str] = {}
    name = ""
    for line in the_map.splitlines():
        found = re.match(r"^  ([a-z_0-9]+(?:\.py|/))\s", line)
        if found:
            name = found.group(1)
        if name:
            rooms[name] = rooms.get(name, "") + line + "\n"
    return rooms


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name not in SKIPPED)


def test_every_root_module_has_its_room() -> None:
    rooms = the_map()
    missing = [p.name for p in modules() if p.parent == PACKAGE and p.name not in rooms]
    assert not missing, f"DEVELOPERS.md does not name: {missing}"


def test_every_module_inside_a_package_is_named_in_its_packages_room() -> None:
    rooms = rooms_of(the_map())
    missing = []
    for path in modules():
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1:
            continue
        words = set(re.findall(r"[a-z_0-9]+", rooms.get(parts[0] + "/", "")))
        if not {*parts[1:-1], path.stem} <= words:
            missing.append("/".join(parts))
    assert not missing, f"DEVELOPERS.md does not name these in their package's room: {missing}"


def test_every_room_named_after_a_root_module_or_folder_exists() -> None:
    gone = [name for name in rooms_of(the_map()) if not (PACKAGE / name).exists()]
    assert not gone, f"DEVELOPERS.md names rooms that are gone: {gone}"


def test_every_file_and_folder_the_map_names_exists() -> None:
    rooms = the_map()
    files = {p.name for p in PACKAGE.rglob("*.py")}
    folders = {p.name for p in PACKAGE.rglob("*") if p.is_dir()}
    named_files = {n for n in re.findall(r"\b([a-z_0-9]+\.py)\b", rooms) if "test_" not in n}
    named_folders = set(re.findall(r"\b([a-z_]+)/(?=\s)", rooms)) - {"sheetsync"}
    assert named_files <= files, f"gone: {sorted(named_files - files)}"
    assert named_folders <= folders, f"gone: {sorted(named_folders - folders)}"
