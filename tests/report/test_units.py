"""Which reports exist: one unit per area and level, picked by code, in a stable order."""

import pytest

from sheetsync.report.units import ReportUnit, report_units


def test_one_unit_per_area_in_stable_order(result, registry):
    units = report_units(result, registry)
    assert [u.level for u in units] == ["kabupaten"] + ["kecamatan"] * 2 + ["desa"] * 4 + [
        "duta"
    ] * 3
    assert units[0] == ReportUnit("kabupaten", "Belitung", "Belitung", ("kabupaten",))
    assert [u.name for u in units if u.level == "kecamatan"] == ["Membalong", "Sijuk"]


def test_areas_select_by_code(result, registry):
    picked = report_units(result, registry, areas=["19.02.04.2001", "sijuk", "dd-003"])
    assert [(u.level, u.code) for u in picked] == [
        ("kecamatan", "Sijuk"),
        ("desa", "19.02.04.2001"),
        ("duta", "DD-003"),
    ]
    by_code = report_units(result, registry, ["kecamatan"], areas=["19.02.03"])
    assert [u.name for u in by_code] == ["Membalong"]


def test_unknown_level_is_refused(result, registry):
    with pytest.raises(ValueError, match="unknown report level"):
        report_units(result, registry, ["provinsi"])
