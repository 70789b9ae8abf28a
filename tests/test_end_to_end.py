"""The demo end to end, through the real `sheetsync demo` command.

Checks what a newcomer and an official rely on: the command succeeds and says where to look;
`sheetsync kpi --by village --format json` agrees with figures computed here independently
from the orders the demo generated (not from the ledger); staff tabs are untouched; running
it again changes nothing and sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from click.testing import CliRunner

from sheetsync.cli import cli
from sheetsync.clock import fixed_clock, programme_clock
from sheetsync.contract import DESA, DUTA, OUTPUT_TABS, STAFF_TABS, TOKO
from sheetsync.demo import DemoExport, DemoManifest, write_demo
from sheetsync.kpi_schema import UNASSIGNED

pytestmark = pytest.mark.clock  # see `make test-clock`

PROGRAMME_TZ = ZoneInfo("Asia/Jakarta")  # the demo config's [program] timezone
FINAL = {"completed", "cancelled", "returned"}


def kpi_status(marketplace: str, status: str, return_status: str) -> str:
    """The KPI rules of docs/kpi.md, written again here on purpose (an independent oracle)."""
    status = status.split("\n")[0].strip()
    if marketplace == "shopee":
        if status == "Selesai":
            return "returned" if return_status == "Permintaan Disetujui" else "completed"
        return {"Batal": "cancelled", "Belum Bayar": "unpaid"}.get(status, "in_progress")
    if status == "Pesanan Selesai":
        return "completed"
    return "cancelled" if status.startswith("Dibatalkan") else "in_progress"


def export_rank(export: DemoExport) -> tuple[dt.date, dt.datetime]:
    return (export.period[1], export.downloaded_at)


def workbook_shop_villages(manifest: DemoManifest) -> dict[str, str]:
    """ID Toko -> Kode Desa from the staff tabs the demo wrote (not from sheetsync's output).

    By docs/kpi.md §7: a shop is placed by its Toko row when that row is not one of the
    mistakes the demo planted as an error and its Kode Desa and ID Duta name good rows of
    Desa and Duta; any other shop's figures go to the "unassigned" bucket.
    """
    errors = {(m.tab, m.row) for m in manifest.mistakes if m.expected == "error"}

    def good_rows(spec: Any) -> list[dict[str, Any]]:
        rows = manifest.tables[spec.name]
        return [
            dict(zip(spec.headers, row, strict=False))
            for number, row in enumerate(rows, start=2)
            if (spec.name, number) not in errors
        ]

    villages = {str(r["Kode Desa"]) for r in good_rows(DESA)}
    ambassadors = {str(r["ID Duta"]) for r in good_rows(DUTA)}
    placed: dict[str, str] = {}
    for row in good_rows(TOKO):
        village, ambassador = str(row["Kode Desa"]), str(row["ID Duta"])
        if village in villages and ambassador in ambassadors:
            placed.setdefault(str(row["ID Toko"]), village)
    return placed


def independent_village_figures(
    manifest: DemoManifest, shop_village: dict[str, str], month: str
) -> dict[str, dict[str, int]]:
    """orders / completed / units / sales per village, from the generated order lines."""
    snapshots: dict[tuple[str, str], list[tuple[Any, str, list[Any]]]] = defaultdict(list)
    every_export = [*manifest.exports, *manifest.orphan_exports]
    for export in sorted(every_export, key=export_rank):
        by_order: dict[str, list[Any]] = defaultdict(list)
        for line in export.lines:
            by_order[line.order_id].append(line)
        for order_id, lines in by_order.items():
            first = lines[0]
            status = kpi_status(str(export.marketplace), first.status, first.return_status)
            snapshots[(export.shop_id, order_id)].append((export_rank(export), status, lines))
    figures: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (shop_id, _order), snaps in snapshots.items():
        finals = [s for s in snaps if s[1] in FINAL]
        _rank, status, lines = (finals or snaps)[-1]
        village = shop_village.get(shop_id, UNASSIGNED)
        if lines[0].created_at.strftime("%Y-%m") != month:  # creation time, programme-local
            continue
        fig = figures[village]
        fig["orders"] += 1
        if status == "completed":
            fig["completed_orders"] += 1
            fig["units_sold"] += sum(line.quantity for line in lines)
            fig["sales_idr"] += sum(line.quantity * line.unit_price_idr for line in lines)
    return figures


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo run twice at one programme instant, and the oracle's copy of its data.

    The instant is the real programme time, read once (so `make test-clock` moves it
    through the awkward hours) and handed to the command as its clock: the demo and the
    oracle are laid out around the same programme day, whatever the machine's time zone.
    """
    now = programme_clock(PROGRAMME_TZ)()
    root = tmp_path_factory.mktemp("e2e") / "demo"
    runner = CliRunner()
    args, obj = ["demo", str(root)], {"clock": fixed_clock(now)}
    first = runner.invoke(cli, args, obj=obj, catch_exceptions=False)
    workbook_after_first = snapshot_workbook(root / "data" / "program.xlsx")
    outbox_after_first = sorted(p.name for p in (root / "outbox").rglob("*.eml"))
    second = runner.invoke(cli, args, obj=obj, catch_exceptions=False)
    reference = write_demo(tmp_path_factory.mktemp("reference"), today=now.date())
    return {
        "root": root,
        "first": first,
        "second": second,
        "workbook_after_first": workbook_after_first,
        "outbox_after_first": outbox_after_first,
        "reference": reference,
    }


def snapshot_workbook(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    finally:
        book.close()


def test_demo_succeeds_and_says_where_to_look(demo: dict[str, Any]) -> None:
    result = demo["first"]
    assert result.exit_code == 0, result.output
    for expected in ("sync:", "report:", "send:", "Where to look"):
        assert expected in result.output
    root = demo["root"]
    assert list((root / "reports").rglob("*kabupaten*.pdf"))
    assert list((root / "outbox").rglob("*.eml"))


def test_kpi_json_agrees_with_an_independent_computation(demo: dict[str, Any]) -> None:
    root: Path = demo["root"]
    manifest: DemoManifest = demo["reference"]
    month = manifest.months[-1]
    runner = CliRunner()
    config = str(root / "sheetsync.toml")
    out = runner.invoke(
        cli, ["--config", config, "kpi", "--month", month, "--by", "village", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    records = {r["village_code"]: r for r in json.loads(out.output)}
    expected = independent_village_figures(manifest, workbook_shop_villages(manifest), month)
    assert expected, "the demo should have orders in its last month"
    for village, figures in expected.items():
        got = records[village]
        for metric in ("orders", "completed_orders", "units_sold", "sales_idr"):
            assert got[metric] == figures[metric], (village, metric)
            assert isinstance(got[metric], int)
    quiet = [v for v in records if v not in expected]
    assert all(records[v]["orders"] == 0 for v in quiet)


def test_staff_tabs_are_untouched(demo: dict[str, Any]) -> None:
    written = demo["reference"].tables
    synced = demo["workbook_after_first"]
    for spec in STAFF_TABS:
        rows = synced[spec.name]
        data_rows = [r for r in rows[1:] if any(c not in (None, "") for c in r)]
        expected = [tuple(r) for r in written[spec.name]]
        assert len(data_rows) == len(expected), spec.name
        for got, want in zip(data_rows, expected, strict=True):
            assert [_text(c) for c in got[: len(want)]] == [_text(c) for c in want], spec.name


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M:%S")
            if value.time() != dt.time(0)
            else value.date().isoformat()
        )
    return str(value)


def test_output_tabs_are_written(demo: dict[str, Any]) -> None:
    tabs = demo["workbook_after_first"]
    for name in OUTPUT_TABS:
        assert name in tabs, name
        assert len(tabs[name]) > 1, name


def test_running_again_changes_nothing_and_sends_nothing(demo: dict[str, Any]) -> None:
    second = demo["second"]
    assert second.exit_code == 0, second.output
    assert "sync: 0 file(s) imported" in second.output
    after = snapshot_workbook(demo["root"] / "data" / "program.xlsx")
    before = demo["workbook_after_first"]
    for name in ("Ringkasan", "KPI Toko", "KPI Duta", "KPI Desa", "KPI Kecamatan"):
        assert after[name] == before[name], name
    for spec in STAFF_TABS:
        assert after[spec.name] == before[spec.name], spec.name
    outbox = sorted(p.name for p in (demo["root"] / "outbox").rglob("*.eml"))
    assert outbox == demo["outbox_after_first"]


def test_log_tab_records_runs_and_emails_sent(demo: dict[str, Any]) -> None:
    log = snapshot_workbook(demo["root"] / "data" / "program.xlsx")["Log"]
    header, rows = log[0], log[1:]
    command, status, sent = (header.index(h) for h in ("Perintah", "Status", "Email Terkirim"))
    sends = [r for r in rows if str(r[command]).startswith("send")]
    assert sends and sends[-1][status] == "ok"
    assert sends[-1][sent] == len(demo["outbox_after_first"])
    assert sum(1 for r in rows if r[command] == "sync") >= 2
