"""Writing the demo again: deterministic, replacing only what an earlier run wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from demo_samples import TODAY

from sheetsync.demo import DemoManifest, write_demo
from sheetsync.demo.writing import remove_previous_demo
from sheetsync.errors import SinkError
from sheetsync.workbook.xlsx import XlsxWorkbook


def test_rerun_is_deterministic_and_replaces_only_demo_files(
    manifest: DemoManifest, tmp_path: Path
) -> None:
    again_root = tmp_path / "lagi"
    shutil.copytree(manifest.root, again_root)
    own_note = again_root / "inbox" / manifest.exports[0].shop_id / "catatan.txt"
    own_note.write_text("milik staf", encoding="utf-8")

    again = write_demo(again_root, today=TODAY)

    assert again.files == manifest.files
    assert again.mistakes == manifest.mistakes
    assert again.tables == manifest.tables
    assert [(e.path.relative_to(again_root), e.lines) for e in again.exports] == [
        (e.path.relative_to(manifest.root), e.lines) for e in manifest.exports
    ]
    for export in again.exports:  # byte for byte: the ledger's sha256 sees nothing new
        original = manifest.root / export.path.relative_to(again_root)
        assert export.path.read_bytes() == original.read_bytes()
    assert XlsxWorkbook(again.workbook).read_tabs(["Toko"]) == XlsxWorkbook(
        manifest.workbook
    ).read_tabs(["Toko"])
    assert own_note.read_text(encoding="utf-8") == "milik staf"


def test_files_of_an_earlier_run_that_are_no_longer_planned_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / "inbox" / "TK-999" / "Order.all.20200101_20200131.xlsx"
    foreign = tmp_path / "inbox" / "TK-998" / "punya-staf.xlsx"
    for path in (stale, foreign):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"x")
    previous = {Path("inbox/TK-999/Order.all.20200101_20200131.xlsx"), Path("inbox/TK-1/a.csv")}

    remove_previous_demo(tmp_path, previous, keep={Path("inbox/TK-1/a.csv")})

    assert not stale.parent.exists()
    assert foreign.read_bytes() == b"x"


def test_refuses_to_overwrite_files_it_did_not_write(tmp_path: Path) -> None:
    workbook = tmp_path / "data" / "program.xlsx"
    workbook.parent.mkdir()
    workbook.write_bytes(b"workbook of a real programme")
    with pytest.raises(SinkError, match="files the demo did not write"):
        write_demo(tmp_path, today=TODAY)
    assert workbook.read_bytes() == b"workbook of a real programme"
    assert not (tmp_path / "inbox").exists()
