"""The demo's oracle (tests/demo_oracle.py) agrees with what the readers make of the files."""

from __future__ import annotations

from collections import Counter, defaultdict

from demo_oracle import village_figures, workbook_rows, workbook_shop_villages

from sheetsync.demo import DemoExport, DemoManifest
from sheetsync.kpi_schema import UNASSIGNED
from sheetsync.marketplaces import read_export


def placed_shops(manifest: DemoManifest) -> dict[str, str]:
    """ID Toko -> Kode Desa, from the staff tabs of the workbook the demo wrote."""
    return workbook_shop_villages(workbook_rows(manifest.workbook), manifest.mistakes)


def test_village_figures_agree_with_what_the_readers_make_of_the_files(
    manifest: DemoManifest,
) -> None:
    month = manifest.months[-1]
    villages = placed_shops(manifest)
    files_of: dict[str, list[DemoExport]] = defaultdict(list)
    for export in manifest.exports:
        if export.shop_id in villages:
            files_of[villages[export.shop_id]].append(export)
    village = min((v for v in files_of if len(files_of[v]) >= 3), key=lambda v: len(files_of[v]))

    newest: dict[tuple[str, str], tuple[tuple[object, ...], list[dict[str, object]]]] = {}
    for export in files_of[village]:
        parsed = read_export(export.path)
        assert parsed.period is not None
        rank = (parsed.period[1], export.path.stat().st_mtime)
        for order_id, lines in parsed.lines.groupby("order_id"):
            key = (export.shop_id, str(order_id))
            if key not in newest or newest[key][0] <= rank:
                newest[key] = (rank, lines.to_dict("records"))
    read = Counter()
    for _, lines in newest.values():
        if f"{lines[0]['created_at']:%Y-%m}" != month:
            continue
        read["orders"] += 1
        read[f"{lines[0]['status']}_orders"] += 1
        if lines[0]["status"] == "completed":
            read["units_sold"] += sum(int(line["quantity"]) for line in lines)
            read["sales_idr"] += sum(int(line["line_sales_idr"]) for line in lines)

    expected = village_figures(manifest, month, villages)[village]
    assert {k: v for k, v in expected.items() if v} == dict(read)


def test_village_figures_add_up(manifest: DemoManifest) -> None:
    registered = placed_shops(manifest)
    figures = village_figures(manifest, manifest.months[-1], registered)
    placed = {village: row for village, row in figures.items() if village != UNASSIGNED}
    assert 30 <= len(placed) <= 49
    for row in figures.values():
        classes = [v for k, v in row.items() if k.endswith("_orders")]
        assert sum(classes) == row["orders"]
    assert sum(row["sales_idr"] for row in placed.values()) > 10_000_000
    toko = manifest.tables["Toko"]
    error_rows = [m.row for m in manifest.mistakes if m.tab == "Toko" and m.expected == "error"]
    ids = [str(toko[row - 2][0]) for row in error_rows if row is not None]
    duplicated = Counter(str(row[0]) for row in toko)
    assert len(ids) == 3
    for shop_id in ids:
        if duplicated[shop_id] > 1:  # the first row of a duplicated ID still counts
            first = next(row for row in toko if row[0] == shop_id)
            assert registered[shop_id] == first[4]
        else:
            assert shop_id not in registered
    assert "Aik Seruk" not in registered.values()
