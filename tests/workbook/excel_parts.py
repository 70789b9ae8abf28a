"""Excel features openpyxl cannot model, written into an .xlsx package by hand.

Staff add these in Excel (LibreOffice is not needed): a threaded comment (with the legacy
note Excel writes beside it), a pivot table with its cache definition and records, and a
sparkline group in a sheet's extLst. The XML follows what Excel 365 writes, trimmed to what
the schema requires.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_BASE = NS_REL + "/"
PIVOT_TABLE_PART = "xl/pivotTables/pivotTable1.xml"
PIVOT_CACHE_PART = "xl/pivotCache/pivotCacheDefinition1.xml"
PIVOT_RECORDS_PART = "xl/pivotCache/pivotCacheRecords1.xml"
THREADED_PART = "xl/threadedComments/threadedComment1.xml"
PERSONS_PART = "xl/persons/person.xml"
THREAD_ID = "{6A1B2C3D-0000-4000-8000-000000000001}"
PERSON_ID = "{6A1B2C3D-0000-4000-8000-0000000000AA}"
SPARKLINE_URI = "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}"
FEATURE_PARTS = (
    PIVOT_TABLE_PART,
    PIVOT_CACHE_PART,
    PIVOT_RECORDS_PART,
    THREADED_PART,
    PERSONS_PART,
)

CONTENT_TYPES = {
    PIVOT_TABLE_PART: "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml",
    PIVOT_CACHE_PART: "application/vnd.openxmlformats-officedocument.spreadsheetml."
    "pivotCacheDefinition+xml",
    PIVOT_RECORDS_PART: "application/vnd.openxmlformats-officedocument.spreadsheetml."
    "pivotCacheRecords+xml",
    THREADED_PART: "application/vnd.ms-excel.threadedcomments+xml",
    PERSONS_PART: "application/vnd.ms-excel.person+xml",
}

PERSONS_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" \
xmlns:x="{NS_MAIN}"><person displayName="Rina Staf" id="{PERSON_ID}" userId="rina@example.org" \
providerId="None"/></personList>"""

THREADED_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" \
xmlns:x="{NS_MAIN}"><threadedComment ref="D2" dT="2026-11-03T09:15:00.00" \
personId="{PERSON_ID}" id="{THREAD_ID}"><text>Pemilik baru sejak Oktober, cek KTP</text>\
</threadedComment></ThreadedComments>"""

CACHE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheDefinition xmlns="{NS_MAIN}" xmlns:r="{NS_REL}" r:id="rId1" refreshOnLoad="1" \
recordCount="2"><cacheSource type="worksheet"><worksheetSource ref="A1:C3" sheet="Desa"/>\
</cacheSource><cacheFields count="3"><cacheField name="Kode Desa" numFmtId="0"><sharedItems/>\
</cacheField><cacheField name="Nama Desa" numFmtId="0"><sharedItems/></cacheField>\
<cacheField name="Kecamatan" numFmtId="0"><sharedItems count="2"><s v="Sijuk"/>\
<s v="Tanjungpandan"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>"""

RECORDS_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheRecords xmlns="{NS_MAIN}" xmlns:r="{NS_REL}" count="2"><r><s v="19.02.04.2004"/>\
<s v="Air Seruk"/><x v="0"/></r><r><s v="19.02.01.1001"/><s v="Kota"/><x v="1"/></r>\
</pivotCacheRecords>"""

PIVOT_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotTableDefinition xmlns="{NS_MAIN}" name="PivotDesa" cacheId="7" dataCaption="Nilai" \
applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" applyPatternFormats="0" \
applyAlignmentFormats="0" applyWidthHeightFormats="1" updatedVersion="8" minRefreshableVersion="3" \
createdVersion="8" indent="0" outline="1" outlineData="1"><location ref="A3:B6" firstHeaderRow="1" \
firstDataRow="1" firstDataCol="1"/><pivotFields count="3"><pivotField showAll="0"/>\
<pivotField dataField="1" showAll="0"/><pivotField axis="axisRow" showAll="0"><items count="3">\
<item x="0"/><item x="1"/><item t="default"/></items></pivotField></pivotFields>\
<rowFields count="1"><field x="2"/></rowFields><rowItems count="3"><i><x/></i><i><x v="1"/></i>\
<i t="grand"><x/></i></rowItems><colItems count="1"><i/></colItems><dataFields count="1">\
<dataField name="Jumlah Desa" fld="1" subtotal="count" baseField="0" baseItem="0"/></dataFields>\
</pivotTableDefinition>"""

SPARKLINE_EXT = f"""<extLst><ext uri="{SPARKLINE_URI}" \
xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:sparklineGroups \
xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:sparklineGroup \
displayEmptyCellsAs="gap"><x14:colorSeries rgb="FF376092"/><x14:sparklines><x14:sparkline>\
<xm:f>Target!C2:F2</xm:f><xm:sqref>G2</xm:sqref></x14:sparkline></x14:sparklines>\
</x14:sparklineGroup></x14:sparklineGroups></ext></extLst>"""


def add_excel_features(path: Path) -> None:
    """Give the staff workbook at `path` a threaded comment (Toko!D2), a pivot table on a new
    tab `Pivot Desa` (cache of Desa!A1:C3) and a sparkline (Target!G2)."""
    book = openpyxl.load_workbook(path)
    # Excel writes a legacy note beside each threaded comment, for older programs
    book["Toko"]["D2"].comment = Comment(
        "[Threaded comment]\n\nPemilik baru sejak Oktober, cek KTP", f"tc={THREAD_ID}"
    )
    pivot = book.create_sheet("Pivot Desa")
    pivot["A3"], pivot["B3"] = "Kecamatan", "Jumlah Desa"
    pivot["A4"], pivot["B4"] = "Sijuk", 1
    pivot["A5"], pivot["B5"] = "Tanjungpandan", 1
    pivot["A6"], pivot["B6"] = "Total", 2
    book["Target"]["G1"] = "Tren"
    book.save(path)
    inject_parts(path)


def inject_parts(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheets = sheet_parts(parts)
    toko, pivot, target = sheets["Toko"], sheets["Pivot Desa"], sheets["Target"]
    parts[PERSONS_PART] = PERSONS_XML.encode()
    parts[THREADED_PART] = THREADED_XML.encode()
    parts[PIVOT_CACHE_PART] = CACHE_XML.encode()
    parts[PIVOT_RECORDS_PART] = RECORDS_XML.encode()
    parts[PIVOT_TABLE_PART] = PIVOT_XML.encode()
    parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = rels_xml(
        [("rId1", REL_BASE + "pivotCacheRecords", "pivotCacheRecords1.xml")]
    )
    parts["xl/pivotTables/_rels/pivotTable1.xml.rels"] = rels_xml(
        [("rId1", REL_BASE + "pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml")]
    )
    add_rel(parts, toko, "rIdTc1", "http://schemas.microsoft.com/office/2017/10/relationships/"
            "threadedComment", "../threadedComments/threadedComment1.xml")  # fmt: skip
    add_rel(parts, pivot, "rIdPv1", REL_BASE + "pivotTable", "../pivotTables/pivotTable1.xml")
    add_rel(parts, "xl/workbook.xml", "rIdPc1", REL_BASE + "pivotCacheDefinition",
            "pivotCache/pivotCacheDefinition1.xml")  # fmt: skip
    add_rel(parts, "xl/workbook.xml", "rIdPs1",
            "http://schemas.microsoft.com/office/2017/10/relationships/person",
            "persons/person.xml")  # fmt: skip
    workbook = parts["xl/workbook.xml"].decode()
    caches = '<pivotCaches><pivotCache cacheId="7" r:id="rIdPc1"/></pivotCaches>'
    workbook = re.sub(r"(<calcPr[^>]*/>)", r"\1" + caches, workbook, count=1)
    assert caches in workbook
    parts["xl/workbook.xml"] = workbook.encode()
    sheet = parts[target].decode()
    parts[target] = sheet.replace("</worksheet>", SPARKLINE_EXT + "</worksheet>").encode()
    types = parts["[Content_Types].xml"].decode()
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>'
        for name, kind in CONTENT_TYPES.items()
    )
    parts["[Content_Types].xml"] = types.replace("</Types>", overrides + "</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Tab name -> worksheet part name, from workbook.xml and its relationships."""
    workbook = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    found = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets[rid].lstrip("/")
        found[name] = target if target.startswith("xl/") else "xl/" + target
    return found


def rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    ).encode()


def add_rel(parts: dict[str, bytes], source: str, rid: str, kind: str, target: str) -> None:
    folder, _, name = source.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels"
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
    if rels_name in parts:
        text = parts[rels_name].decode().replace("</Relationships>", rel + "</Relationships>")
        parts[rels_name] = text.encode()
    else:
        parts[rels_name] = rels_xml([(rid, kind, target)])


# A form control (check box) as Excel writes it: its properties part, a `<controls>` entry in
# the sheet (inside mc:AlternateContent) and a shape in the sheet's VML drawing, which Excel
# shares with the sheet's notes.
CONTROL_PART = "xl/ctrlProps/ctrlProp1.xml"
CONTROL_TYPE = "application/vnd.ms-excel.controlproperties+xml"
CONTROL_XML = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" \
objectType="CheckBox" fmlaLink="$H$2" lockText="1" noThreeD="1"/>"""
CHECKBOX_SHAPE_ID = 1100
VML_URIS = {
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "x": "urn:schemas-microsoft-com:office:excel",
}
CHECKBOX_VML = """<{v}:shapetype id="_x0000_t201" coordsize="21600,21600" {o}:spt="201" \
path="m,l,21600r21600,l21600,xe"><{v}:stroke joinstyle="miter"/><{v}:path shadowok="f" \
{o}:extrusionok="f" strokeok="f" fillok="f" {o}:connecttype="rect"/><{o}:lock {v}:ext="edit" \
shapetype="t"/></{v}:shapetype><{v}:shape id="Check_x0020_Box_x0020_1" \
{o}:spid="_x0000_s1100" type="#_x0000_t201" style='position:absolute;margin-left:144pt;\
margin-top:15pt;width:96pt;height:18pt;z-index:1;mso-wrap-style:tight' filled="f" \
fillcolor="window [65]" stroked="f" strokecolor="windowText [64]" {o}:insetmode="auto">\
<{v}:path shadowok="t" strokeok="t" fillok="t"/><{o}:lock {v}:ext="edit" rotation="t"/>\
<{v}:textbox style='mso-direction-alt:auto' {o}:singleclick="f"><div style='text-align:left'>\
<font face="Segoe UI" size="160" color="#000000">Sudah dicek</font></div></{v}:textbox>\
<{x}:ClientData ObjectType="Checkbox"><{x}:Anchor>3, 0, 1, 0, 5, 0, 2, 0</{x}:Anchor>\
<{x}:AutoFill>False</{x}:AutoFill><{x}:AutoLine>False</{x}:AutoLine>\
<{x}:TextVAlign>Center</{x}:TextVAlign><{x}:FmlaLink>$H$2</{x}:FmlaLink><{x}:NoThreeD/>\
</{x}:ClientData></{v}:shape>"""
CONTROLS_XML = f"""<mc:AlternateContent \
xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice \
Requires="x14"><controls><mc:AlternateContent \
xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice \
Requires="x14"><control xmlns:r="{NS_REL}" shapeId="1100" r:id="rIdCtl1" name="Check Box 1">\
<controlPr defaultSize="0" autoFill="0" autoLine="0" autoPict="0"><anchor moveWithCells="1">\
<from><xdr:col xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">3\
</xdr:col><xdr:colOff xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/\
spreadsheetDrawing">0</xdr:colOff><xdr:row xmlns:xdr="http://schemas.openxmlformats.org/\
drawingml/2006/spreadsheetDrawing">1</xdr:row><xdr:rowOff xmlns:xdr="http://schemas.\
openxmlformats.org/drawingml/2006/spreadsheetDrawing">0</xdr:rowOff></from><to><xdr:col \
xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">5</xdr:col>\
<xdr:colOff xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">0\
</xdr:colOff><xdr:row xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/\
spreadsheetDrawing">2</xdr:row><xdr:rowOff xmlns:xdr="http://schemas.openxmlformats.org/\
drawingml/2006/spreadsheetDrawing">0</xdr:rowOff></to></anchor></controlPr></control>\
</mc:Choice></mc:AlternateContent></controls></mc:Choice></mc:AlternateContent>"""
NEW_VML_PART = "xl/drawings/vmlDrawing9.vml"


def add_form_control(path: Path, tab: str) -> bytes:
    """Give `tab` of the workbook at `path` a check box; returns the check box's VML shape.

    On a tab with notes the check box joins their VML drawing (as in Excel); on a tab
    without, it gets a drawing of its own, tied to the sheet by `<legacyDrawing>`.
    """
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = sheet_parts(parts)[tab]
    xml = parts[sheet].decode()
    drawing = re.search(r'<legacyDrawing [^>]*r:id="([^"]+)"', xml)
    if drawing is None:
        vml = "<xml {}><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"1\"/>" \
              "</o:shapelayout></xml>".format(" ".join(f'xmlns:{p}="{u}"' for p, u in
                                                      VML_URIS.items()))  # fmt: skip
        vml_part, prefixes = NEW_VML_PART, dict(zip("vox", "vox", strict=True))
        add_rel(parts, sheet, "rIdVml9", REL_BASE + "vmlDrawing", "../drawings/vmlDrawing9.vml")
        xml = xml.replace("</worksheet>", f'<legacyDrawing xmlns:r="{NS_REL}" r:id="rIdVml9"/>'
                          "</worksheet>")  # fmt: skip
    else:
        rels = parts[rels_path(sheet)].decode()
        target = re.search(rf'Target="([^"]+)"[^>]*Id="{drawing.group(1)}"', rels)
        assert target is not None
        vml_part = target.group(1).lstrip("/")
        vml = parts[vml_part].decode()
        prefixes = {
            name: re.search(rf'xmlns:(\w+)="{uri}"', vml).group(1)  # type: ignore[union-attr]
            for name, uri in VML_URIS.items()
        }
    shape = CHECKBOX_VML.format(**prefixes)
    parts[vml_part] = vml.replace("</xml>", shape + "</xml>").encode()
    assert xml.endswith("</legacyDrawing></worksheet>") or xml.endswith("/></worksheet>")
    parts[sheet] = xml.replace("</worksheet>", CONTROLS_XML + "</worksheet>").encode()
    parts[CONTROL_PART] = CONTROL_XML
    add_rel(parts, sheet, "rIdCtl1", REL_BASE + "ctrlProp", "../ctrlProps/ctrlProp1.xml")
    override = f'<Override PartName="/{CONTROL_PART}" ContentType="{CONTROL_TYPE}"/>'
    types = parts["[Content_Types].xml"].decode().replace("</Types>", override + "</Types>")
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return shape.encode()


def rels_path(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"
