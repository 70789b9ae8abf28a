"""Output tabs' cells below openpyxl: left out before a load, written in after a save.

An output tab is replaced whole on every write, so what it held need not be parsed, and
its new rows need not become openpyxl cells: for a province's KPI tabs (some 40,000 cells)
openpyxl spends over a second parsing last run's figures, building cell objects and
writing them back one by one. So the xlsx backend loads a copy of the package whose output
tabs are empty worksheets, lets openpyxl write each output tab with its header (styles,
widths, frozen row, filter) and puts the rows, made as worksheet XML in one pass
(`xlsx.rows`), into the saved package here.

Pure functions over bytes: the backend reads and writes the files.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from sheetsync.errors import SinkError
from sheetsync.workbook.package.parts import NS_MAIN, read_parts, sheet_entries, write_parts

EMPTY_WORKSHEET = f'<worksheet xmlns="{NS_MAIN}"><sheetData/></worksheet>'.encode()


@dataclass(frozen=True, slots=True)
class SheetRows:
    """An output tab's rows below its header, as the `<row>` elements of its sheetData,
    and the range its cells use (the worksheet's `<dimension>`)."""

    xml: bytes
    dimension: str


def without_sheet_cells(package: bytes, names: Collection[str]) -> bytes:
    """The package with the named worksheets empty (their parts keep their place and
    relationships); every other part as it was. Uncompressed: it is only read, at once."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        emptied = {e.part for e in sheet_entries(ArchiveParts(archive)) if e.name in names}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
            for info in archive.infolist():
                data = EMPTY_WORKSHEET if info.filename in emptied else archive.read(info)
                copy.writestr(info.filename, data)
    return buffer.getvalue()


class ArchiveParts(Mapping[str, bytes]):
    """The parts of an open package, each read when asked for: finding the worksheets
    reads the workbook and its relationships, not the sheets."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive

    def __getitem__(self, name: str) -> bytes:
        return self._archive.read(name)  # KeyError for a part the package lacks

    def __iter__(self) -> Iterator[str]:
        return iter(self._archive.namelist())

    def __len__(self) -> int:
        return len(self._archive.namelist())


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_SHEET_DATA_END = re.compile(rb"<sheetData\s*/>|</sheetData>")


def with_sheet_rows(package: bytes, rows: Mapping[str, SheetRows]) -> bytes:
    """The package (as openpyxl saved it, each named tab holding its header alone) with
    each tab's rows written after its header and its used range stated."""
    parts = read_parts(package)
    for entry in sheet_entries(parts):
        if entry.name in rows:
            parts[entry.part] = sheet_with_rows(parts[entry.part], rows[entry.name])
    return write_parts(parts, order=list(parts))


def sheet_with_rows(sheet: bytes, rows: SheetRows) -> bytes:
    """One worksheet part with `rows` after the rows it holds."""
    dimension = b'<dimension ref="%s"/>' % rows.dimension.encode("ascii")
    sheet, found = _DIMENSION.subn(dimension, sheet, count=1)
    end = _SHEET_DATA_END.search(sheet)
    if not found or end is None:
        raise SinkError(
            "Tab keluaran tidak dapat ditulis: bentuk lembar dari openpyxl tidak dikenal. "
            "Laporkan ke operator."
        )
    if end.group(0) == b"</sheetData>":
        return sheet[: end.start()] + rows.xml + sheet[end.start() :]
    return sheet[: end.start()] + b"<sheetData>" + rows.xml + b"</sheetData>" + sheet[end.end() :]
