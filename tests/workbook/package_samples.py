"""Reading .xlsx packages in the package tests: parts, notes parts, cell values, output tabs."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
from test_xlsx import kpi_tab

from sheetsync.workbook.package.parts import content_types, relationships


def load(path: Path) -> openpyxl.Workbook:
    """The workbook as openpyxl sees it (it warns that it would drop the sparkline)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Sparkline Group extension", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def output_tabs(sales: int) -> list:
    return [kpi_tab([("TK-001", "Kopi Aik Seruk", 3, 0.75), ("TK-002", "Madu", sales, 0.5)])]


def read_values(sheet: bytes) -> list[tuple[str, str]]:
    """(reference, XML of the cell's content) of cells that hold something: formats aside,
    the cells as stored."""
    cells = re.findall(rb'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)', sheet)
    return [(ref, content) for ref, content in cells if content]


def note_parts(parts: dict[str, bytes], sheet: str) -> tuple[str, str]:
    """The sheet's notes part and VML drawing, found the way Excel finds them."""
    notes = [r.target for r in relationships(parts, sheet) if r.kind.endswith("/comments")]
    rid = re.search(rb'<legacyDrawing [^>]*?r:id="([^"]+)"', parts[sheet])
    assert len(notes) == 1 and rid is not None
    [drawing] = [r.target for r in relationships(parts, sheet) if r.rid == rid.group(1).decode()]
    assert content_types(parts)[notes[0]].endswith("spreadsheetml.comments+xml")
    assert (
        content_types(parts)[drawing] == "application/vnd.openxmlformats-officedocument.vmlDrawing"
    )
    return notes[0], drawing
