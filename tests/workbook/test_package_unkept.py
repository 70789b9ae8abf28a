"""What a save through openpyxl would lose is found, and what it would not is no loss."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from package_samples import parts_of, rewrite
from test_xlsx import kpi_tab, make_workbook

from sheetsync.workbook.package.unkept import unkept_features
from sheetsync.workbook.xlsx import XlsxWorkbook


def test_a_workbook_openpyxl_fully_models_has_nothing_to_keep(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Desa"], min_col=1, min_row=1, max_row=3))
    book["Catatan Staf"].add_chart(chart, "C3")  # a chart made with openpyxl survives
    book.save(path)
    assert unkept_features(path.read_bytes()) == []
    XlsxWorkbook(path).write([kpi_tab([("TK-001", "Kopi", 2, 0.5)])], [])
    assert unkept_features(path.read_bytes()) == []
    assert len(openpyxl.load_workbook(path)["Catatan Staf"]._charts) == 1


def test_threaded_comments_and_sparklines_are_found_before_saving(featured: Path) -> None:
    found = unkept_features(featured.read_bytes())
    assert "komentar berutas (threaded comment)" in found
    assert "sparkline" in found
    assert "tabel pivot" not in found  # openpyxl models pivot tables; the splice keeps them too


def test_form_controls_in_a_vml_part_are_found(featured: Path) -> None:
    parts = parts_of(featured)
    vml = next(name for name in parts if name.endswith(".vml"))
    parts[vml] = parts[vml].replace(b'ObjectType="Note"', b'ObjectType="Checkbox"', 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert "kontrol formulir (form control)" in unkept_features(buffer.getvalue())


def workbook_with_a_staff_chart(tmp_path: Path) -> Path:
    """A staff workbook with a bar chart staff drew on their own tab."""
    path = make_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Desa"], min_col=1, min_row=1, max_row=3))
    book["Catatan Staf"].add_chart(chart, "C3")
    book.save(path)
    return path


def test_chart_features_openpyxl_would_drop_are_found_by_comparing_its_copy(
    tmp_path: Path,
) -> None:
    path = workbook_with_a_staff_chart(tmp_path)
    parts = parts_of(path)
    name = next(n for n in parts if n.startswith("xl/charts/chart"))
    extension = (  # a newer chart option Excel writes as an extension (series name filter)
        b'<extLst><ext uri="{02D57815-91ED-43cb-92C2-25804820EDAC}" '
        b'xmlns:c15="http://schemas.microsoft.com/office/drawing/2012/chart">'
        b"<c15:filteredSeriesTitle/></ext></extLst>"
    )
    assert parts[name].endswith(b"</chartSpace>")
    parts[name] = parts[name].replace(b"</chartSpace>", extension + b"</chartSpace>")
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    saved = io.BytesIO()
    openpyxl.load_workbook(path).save(saved)
    assert "fitur diagram (chart)" not in unkept_features(path.read_bytes())
    assert "fitur diagram (chart)" in unkept_features(path.read_bytes(), saved.getvalue())


def test_taking_sheetsync_notes_back_is_not_a_loss(tmp_path: Path) -> None:
    noted, bare = tmp_path / "noted.xlsx", tmp_path / "bare.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "Kode Desa"
    book.save(bare)
    book.active["A2"].comment = Comment("sheetsync:\nKode Desa kosong.", "sheetsync")
    book.save(noted)
    assert unkept_features(noted.read_bytes(), bare.read_bytes()) == []


def test_excel_bookkeeping_in_drawings_is_not_a_loss(tmp_path: Path) -> None:
    path = workbook_with_a_staff_chart(tmp_path)
    parts = parts_of(path)
    drawing = next(n for n in parts if n.startswith("xl/drawings/drawing"))
    creation_id = (
        b'<a:extLst><a:ext uri="{FF2B5EF4-FFF2-40B4-BE49-F238E27FC236}">'
        b'<a16:creationId xmlns:a16="http://schemas.microsoft.com/office/drawing/2014/main" '
        b'id="{00000000-0008-0000-0000-000002000000}"/></a:ext></a:extLst>'
    )
    assert b"<cNvPr " in parts[drawing]  # openpyxl writes the drawing without prefixes
    parts[drawing] = re.sub(
        rb"(<cNvPr [^>]*?)\s*/>", rb"\1>" + creation_id + b"</cNvPr>", parts[drawing], count=1
    )
    assert creation_id in parts[drawing]
    rewrite(path, parts)
    saved = io.BytesIO()
    openpyxl.load_workbook(path).save(saved)
    assert unkept_features(path.read_bytes(), saved.getvalue()) == []
