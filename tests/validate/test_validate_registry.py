"""validate_workbook as a whole: the Registry holds sound rows only, and nothing raises."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from validate_samples import AS_OF, CLEAN, LEFT_OUT, E, W, make_tables, validate, workbook_with

from sheetsync.contract import STAFF_TABS
from sheetsync.messages import IssueCode
from sheetsync.model import Level, Marketplace, Registry
from sheetsync.tabs import SheetTable
from sheetsync.validate.feedback import cell_marks, validation_tab
from sheetsync.validate.registry import validate_workbook


def test_the_clean_workbook_has_no_issues_and_fills_the_registry() -> None:
    registry, report = validate(make_tables(CLEAN))
    assert report.issues == []
    assert [v.code for v in registry.villages] == [
        "19.02.04.2004", "19.02.04.2001", "19.02.01.2003", "19.02.01.2004"
    ]  # fmt: skip
    assert registry.ambassadors[0].phone == "+6281234567890"
    assert registry.ambassadors[1].active is False
    assert registry.shops[1].marketplace is Marketplace.TOKOPEDIA
    assert registry.shops[0].registered_on == dt.date(2026, 8, 2)
    assert registry.targets[0].sales_idr == 1_250_000
    assert registry.targets[1].month == "2026-08"
    assert registry.form_reports[1].submitted_at == dt.datetime(2026, 9, 3, 9, 15)
    assert [r.level for r in registry.recipients] == [Level.KABUPATEN, Level.KECAMATAN, Level.DESA]


def test_a_reference_to_a_row_with_errors_is_an_error_too() -> None:
    tables = workbook_with("Duta", 2, "Kode Desa", "Aik Seruk")
    registry, report = validate(tables)
    codes = [(i.code, i.source, i.row) for i in report]
    assert codes == [
        (IssueCode.UNKNOWN_VILLAGE, "Duta", 2),
        (IssueCode.REFERENCE_HAS_ERRORS, "Toko", 2),
        (IssueCode.REFERENCE_HAS_ERRORS, "Laporan Duta", 2),
    ]
    assert report.issues[1].message == (
        'ID Duta "DD-001" merujuk ke baris 2 di tab Duta yang masih bermasalah. Perbaiki baris '
        "itu dulu (lihat catatannya)." + LEFT_OUT
    )
    assert [a.ambassador_id for a in registry.ambassadors] == ["DD-002"]
    assert [s.shop_id for s in registry.shops] == ["TKP-001"]
    assert [r.ambassador_id for r in registry.form_reports] == ["DD-002"]


def test_registry_leaves_out_error_rows_and_keeps_warning_rows() -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Duta"][1][3] = "12345"  # warning: phone
    spec["Toko"][2][1] = "Tokped"  # error: marketplace
    registry, report = validate(make_tables(spec))
    assert {(i.source, i.row, i.severity) for i in report} == {("Duta", 2, W), ("Toko", 3, E)}
    assert [a.ambassador_id for a in registry.ambassadors] == ["DD-001", "DD-002"]
    assert registry.ambassadors[0].phone == ""
    assert [s.shop_id for s in registry.shops] == ["SHP-001"]


cell_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "19.02.04.2004", "DD-001", "Shopee", "2026-08", "-1", "Ya",
                     "02/08/2026", "=1+1", "Rp 1.250.000", "kecamatan", "1e9", "０８１"]),
)  # fmt: skip


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, SheetTable]:
    """Contract tabs with arbitrary cells, sometimes odd headers, sometimes a tab missing."""
    tables = {}
    for spec in STAFF_TABS:
        if draw(st.integers(0, 9)) == 0:
            continue
        header = list(spec.headers)
        if draw(st.booleans()):
            header = [*header, draw(cell_text)]
        rows = draw(
            st.lists(st.lists(cell_text, min_size=len(header), max_size=len(header)), max_size=5)
        )
        tables[spec.name] = SheetTable(spec.name, tuple(header), tuple(tuple(r) for r in rows))
    return tables


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=workbooks(), folders=st.lists(st.text(max_size=8), max_size=3))
def test_validation_never_raises_and_never_alters_the_input(
    tables: dict[str, SheetTable], folders: list[str]
) -> None:
    before = copy.deepcopy(tables)
    registry, report = validate_workbook(tables, as_of=AS_OF, inbox_folders=folders)
    assert tables == before
    for issue in report:
        assert issue.message and issue.code in set(IssueCode)
    error_rows = {(i.source, i.row) for i in report.errors}
    assert all(("Laporan Duta", r.row) not in error_rows for r in registry.form_reports)
    assert_registry_is_consistent(registry)
    cell_marks(report)
    validation_tab(report, run_at=AS_OF)


def assert_registry_is_consistent(registry: Registry) -> None:
    """Every reference inside the registry resolves: KPIs can roll up without checks."""
    villages = {v.code for v in registry.villages}
    ambassadors = {a.ambassador_id for a in registry.ambassadors}
    assert len(villages) == len(registry.villages)
    assert len(ambassadors) == len(registry.ambassadors)
    assert len({s.shop_id.casefold() for s in registry.shops}) == len(registry.shops)
    assert all(a.village_code in villages for a in registry.ambassadors)
    assert all(s.village_code in villages and s.ambassador_id in ambassadors
               for s in registry.shops)  # fmt: skip
    assert all(t.village_code in villages for t in registry.targets)
    assert all(r.ambassador_id in ambassadors for r in registry.form_reports)
    assert len({(r.ambassador_id, r.month) for r in registry.form_reports}) == len(
        registry.form_reports
    )


pool_cells = st.sampled_from(
    ["", "19.02.04.2004", "19.02.04.2001", "DD-001", "DD-002", "Shopee", "2026-08", "Ya",
     "01/09/2026 10.00.00", "02/09/2026 10:00:00", "kecamatan", "desa", "Sijuk", "3", "x@y.id"]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_registry_only_holds_rows_whose_references_resolve(data: st.DataObject) -> None:
    tables = {}
    for spec in STAFF_TABS:
        width = len(spec.headers)
        rows = data.draw(st.lists(st.lists(pool_cells, min_size=width, max_size=width),
                                  max_size=6))  # fmt: skip
        tables[spec.name] = SheetTable(spec.name, spec.headers, tuple(tuple(r) for r in rows))
    registry, report = validate_workbook(tables, as_of=AS_OF)
    assert_registry_is_consistent(registry)
    kept = len(registry.villages) + len(registry.ambassadors) + len(registry.shops)
    rows_with_errors = {(i.source, i.row) for i in report.errors if i.row}
    assert kept + len(rows_with_errors) <= sum(len(t.rows) for t in tables.values())


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(cell_text, min_size=3, max_size=3))
def test_single_cell_garbage_in_the_clean_workbook_is_reported_not_raised(
    cells: list[str],
) -> None:
    spec = copy.deepcopy(CLEAN)
    spec["Toko"][1][1:4] = cells
    registry, report = validate(make_tables(spec))
    shop_ids = [s.shop_id for s in registry.shops]
    assert ("SHP-001" in shop_ids) == (2 not in report.rows_with_errors("Toko"))
