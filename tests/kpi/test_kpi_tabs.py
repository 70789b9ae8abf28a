"""The KPI tabs written back (kpi/tabs.py): headers, formats and words per language."""

from __future__ import annotations

import pandas as pd
import pytest
from kpi_factory import (
    AIR_SAGA,
    AUG,
    kpis,
    line,
    registry,
    target,
)

from sheetsync.kpi import kpi_output_tabs
from sheetsync.kpi.tabs import is_missing


def test_output_tabs_have_indonesian_headers_and_formats() -> None:
    reg = registry(targets=(target(AIR_SAGA, transactions=2),))
    result = kpis(line("A", price=1_250_000), reg=reg)
    tabs = {t.name: t for t in kpi_output_tabs(result, reg)}
    assert list(tabs) == ["Ringkasan", "KPI Toko", "KPI Duta", "KPI Desa", "KPI Kecamatan"]
    desa = tabs["KPI Desa"]
    assert desa.formats["Penjualan (Rp)"] == "rupiah"
    assert desa.formats["Capaian Transaksi"] == "percent"
    assert desa.formats["Perubahan Transaksi"] == "percent"
    rows = [dict(zip(desa.header, row, strict=True)) for row in desa.rows]
    air_saga = next(r for r in rows if r["Kode Desa"] == AIR_SAGA)
    assert air_saga["Bulan"] == AUG and air_saga["Nama Desa"] == "Air Saga"
    assert air_saga["Penjualan (Rp)"] == 1_250_000
    assert air_saga["Capaian Transaksi"] == pytest.approx(0.5)  # a fraction for "percent"
    assert air_saga["Perubahan Transaksi"] == "baru"
    ringkasan = {row[1]: row for row in tabs["Ringkasan"].rows}
    assert ringkasan["Transaksi (pesanan selesai)"][2:4] == [1, 0]
    assert ringkasan["Transaksi (pesanan selesai)"][-1] == "Belum tercapai"
    english = {t.name: t for t in kpi_output_tabs(result, reg, language="en")}
    assert "Sales (Rp)" in english["KPI Desa"].header


def test_every_month_has_the_same_tab_headers_so_months_can_be_stacked() -> None:
    empty, busy = kpis(), kpis(line("A"), month=AUG)
    for a, b in zip(
        kpi_output_tabs(empty, registry()), kpi_output_tabs(busy, registry()), strict=True
    ):
        assert a.header == b.header


def test_english_tabs_translate_statuses_and_new() -> None:
    reg = registry(targets=(target(AIR_SAGA, transactions=1),))
    tabs = {t.name: t for t in kpi_output_tabs(kpis(line("A"), reg=reg), reg, language="en")}
    village = tabs["KPI Desa"]
    rows = [dict(zip(village.header, row, strict=True)) for row in village.rows]
    air_saga = next(r for r in rows if r["Village code"] == AIR_SAGA)
    assert air_saga["Status transactions"] == "On target"
    assert air_saga["Change in transactions"] == "new"
    assert tabs["Ringkasan"].header[:3] == ("Month", "Figure", "This month")


@pytest.mark.parametrize(
    ("value", "missing"),
    [(None, True), (float("nan"), True), (pd.NA, True), (pd.NaT, True), (0, False),
     (0.0, False), ("", False)],
)  # fmt: skip
def test_only_a_true_absence_is_an_empty_cell(value: object, missing: bool) -> None:
    assert is_missing(value) is missing
