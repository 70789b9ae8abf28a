"""Tables a person can read: 80 columns on a terminal and in a pipe; CSV a spreadsheet trusts."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from synced_demo import MONTH, synced_demo
from test_cli import make_programme, run

from sheetsync import cli as cli_module
from sheetsync.cli import cli
from sheetsync.locale_id import rupiah
from sheetsync.tabular import neutralise
from sheetsync.workbook.template import fill_staff_workbook

BOX = set("─│┃━┏┓┗┛┼")
LEVELS = ("shop", "ambassador", "village", "kecamatan", "regency")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synced_demo(tmp_path_factory)


@pytest.fixture(params=[True, False], ids=["terminal", "pipe"])
def screen(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    """80 columns, on a terminal (rich) or in a pipe (plain text)."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(cli_module, "is_terminal", lambda: request.param)
    yield request.param


def lines_of(result: Result) -> list[str]:
    assert result.exit_code in (0, 3), result.output
    return result.stdout.splitlines()


def assert_fits(lines: list[str], terminal: bool, width: int = 80) -> None:
    too_wide = [line for line in lines if len(line) > width]
    assert not too_wide, too_wide
    if not terminal:
        assert not BOX & set("".join(lines)), "no box drawing in a pipe"


@functools.cache
def kpi_json(config: Path, by: str, month: str = MONTH) -> list[dict[str, Any]]:
    result = run(config, "kpi", "--month", month, "--by", by, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("by", LEVELS)
def test_kpi_table_fits_80_columns_with_the_headline_figures(
    demo: Path, screen: bool, by: str
) -> None:
    lines = lines_of(run(demo, "kpi", "--month", MONTH, "--by", by))
    assert_fits(lines, screen)
    header = next(line for line in lines if "Pesanan" in line)
    for label in ("Pesanan", "Transaksi", "Penjualan", "Perubahan"):
        assert label in header
    if by in ("village", "kecamatan", "regency"):
        assert "Capaian" in header and "Status" in header
    best = max(kpi_json(demo, by), key=lambda r: r["sales_idr"])
    row = next(line for line in lines if rupiah(best["sales_idr"]) in line)
    assert f" {best['orders']} " in row and f" {best['completed_orders']} " in row
    assert len(lines) >= len(kpi_json(demo, by)) + 2  # title/header + one line per unit


def test_wider_terminals_show_more_columns(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    lines = lines_of(run(demo, "kpi", "--month", MONTH, "--by", "village"))
    assert_fits(lines, False, width=140)
    assert "Kode Desa" in lines[1] and "Kecamatan" in lines[1]


def test_long_names_are_truncated_not_wrapped(demo: Path, screen: bool) -> None:
    records = kpi_json(demo, "shop")
    lines = lines_of(run(demo, "kpi", "--month", MONTH, "--by", "shop"))
    assert len(lines) <= len(records) + 4  # one line per shop: nothing wrapped
    assert any("…" in line for line in lines)


def test_explain_table_fits_and_its_rows_add_up(demo: Path, screen: bool) -> None:
    village = max(kpi_json(demo, "village"), key=lambda r: r["completed_orders"])
    args = ["explain", "--month", MONTH, "--village", village["village_code"]]
    lines = lines_of(run(demo, *args, "--metric", "completed_orders"))
    assert_fits(lines, screen)
    assert "File" in lines[1] and "Baris" in lines[1]
    assert lines[-1].startswith(f"Jumlah: {village['completed_orders']} (")


def test_validate_table_fits(demo: Path, screen: bool) -> None:
    result = run(demo, "validate")
    assert result.exit_code == 3
    lines = lines_of(result)
    assert_fits(lines, screen)
    assert any("Tingkat" in line and "Pesan" in line for line in lines)
    assert any(line.startswith("Error ") for line in lines)
    assert any(line.endswith("peringatan.") for line in lines)


def test_sync_and_ingest_summaries_fit(tmp_path: Path, screen: bool) -> None:
    config = make_programme(tmp_path / "prog")
    ingested = lines_of(run(config, "ingest"))
    assert_fits(ingested, screen)
    assert any("File diimpor" in line and line.rstrip().endswith("3") for line in ingested)
    synced = lines_of(run(config, "sync", "--month", "2026-08"))
    assert_fits(synced, screen)
    assert synced[0] == "Sync Agustus 2026:"


@pytest.mark.parametrize("by", LEVELS)
def test_csv_tsv_and_json_keep_every_column_under_machine_names(demo: Path, by: str) -> None:
    records = kpi_json(demo, by)
    keys = list(records[0])
    assert {"orders", "completed_orders", "sales_idr", "mom_completed_orders"} <= set(keys)
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        out = run(demo, "kpi", "--month", MONTH, "--by", by, "--format", fmt).stdout
        rows = list(csv.reader(io.StringIO(out), delimiter=delimiter))
        assert rows[0] == keys
        assert len(rows) == len(records) + 1


def test_columns_picks_columns_and_refuses_unknown_ones(demo: Path) -> None:
    picked = run(demo, "kpi", "--month", MONTH, "--columns", "village_code,sales_idr")
    assert picked.exit_code == 0, picked.output
    assert picked.stdout.splitlines()[1].split() == ["Kode", "Desa", "Penjualan"]
    as_csv = run(
        demo, "kpi", "--month", MONTH, "--columns", "village_code,sales_idr", "--format", "csv"
    )
    assert as_csv.stdout.splitlines()[0] == "village_code,sales_idr"
    wrong = run(demo, "kpi", "--month", MONTH, "--columns", "village_code,salez")
    assert wrong.exit_code == 2
    assert "unknown column salez; one of: month, village_code" in wrong.output


# ---------------------------------------------------------------- formula injection

DANGEROUS = ('=HYPERLINK("http://x","klik")', "+62 Kopi", "-Madu", "@Keripik", "\tTab")


def test_neutralise_prefixes_formula_text_and_leaves_numbers() -> None:
    assert [neutralise(t) for t in DANGEROUS] == ["'" + t for t in DANGEROUS]
    assert neutralise(-5) == -5 and neutralise(12.5) == 12.5 and neutralise("Kopi") == "Kopi"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A programme whose shop names start like formulas, as someone could type them."""
    shops = [
        ("TK-001", "Shopee", DANGEROUS[0], "Pak Amin", "19.02.04.2004", "DD-001", "02/08/2026"),
        ("TK-002", "Tokopedia", DANGEROUS[2], "Bu Yanti", "19.02.05.2001", "DD-002", "05/08/2026"),
    ]
    config = make_programme(tmp_path / "prog", shops=shops)
    fill_staff_workbook(
        config.parent / "data" / "program.xlsx",
        {"Duta": [("@DD-9", "+Eve", "19.02.04.2001", "0812", "=1+1", "Ya")]},
    )
    assert run(config, "sync", "--month", "2026-08").exit_code == 0
    return config


def spreadsheet_cells(text: str, delimiter: str) -> list[list[Any]]:
    """Read the file the way a spreadsheet does: numbers become numbers, the rest text."""
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return [[_as_spreadsheet_value(cell) for cell in row] for row in rows]


def _as_spreadsheet_value(cell: str) -> Any:
    try:
        return int(cell)
    except ValueError:
        try:
            return float(cell)
        except ValueError:
            return cell


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
@pytest.mark.parametrize(
    "command",
    [
        ("kpi", "--month", "2026-08", "--by", "shop"),
        ("validate",),
        ("explain", "--month", "2026-08", "--shop", "TK-001", "--metric", "orders"),
    ],
    ids=["kpi", "validate", "explain"],
)
def test_no_cell_of_a_written_csv_runs_as_a_formula(
    hostile: Path, command: tuple[str, ...], fmt: str, delimiter: str
) -> None:
    out = run(hostile, *command, "--format", fmt)
    assert out.exit_code in (0, 3), out.output
    cells = spreadsheet_cells(out.stdout, delimiter)
    texts = [c for row in cells for c in row if isinstance(c, str)]
    assert texts and not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]
    if command[0] == "kpi":
        assert "'" + DANGEROUS[0] in texts and "'" + DANGEROUS[2] in texts
        header = cells[0]
        orders = [row[header.index("orders")] for row in cells[1:]]
        assert all(isinstance(n, int) for n in orders), "numbers stay numbers"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in cells:
        sheet.append(row)
    saved = io.BytesIO()
    book.save(saved)
    reopened = openpyxl.load_workbook(io.BytesIO(saved.getvalue()))
    kinds = {c.data_type for row in reopened.active.iter_rows() for c in row}  # type: ignore[union-attr]
    assert "f" not in kinds and "s" in kinds


def test_help_lists_the_formats() -> None:
    result = CliRunner().invoke(cli, ["kpi", "--help"])
    assert "table|csv|tsv|json" in result.output
