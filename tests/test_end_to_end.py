"""The demo end to end, through the real `sheetsync demo` command.

Checks what a newcomer and an official rely on: the command succeeds and says where to look;
`sheetsync kpi --by village --format json` agrees with figures computed independently
(tests/demo_oracle.py) from the orders the demo generated and the Toko tab of the workbook
it wrote (not from the ledger or sheetsync's output); staff tabs are untouched; running it
again changes nothing and sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from demo_oracle import village_figures, workbook_rows, workbook_shop_villages

from sheetsync.cli import cli
from sheetsync.clock import fixed_clock, programme_clock
from sheetsync.contract import OUTPUT_TABS, STAFF_TABS
from sheetsync.demo import DemoManifest, write_demo

pytestmark = pytest.mark.clock  # see `make test-clock`

PROGRAMME_TZ = ZoneInfo("Asia/Jakarta")  # the demo config's [program] timezone


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
    workbook_after_first = workbook_rows(root / "data" / "program.xlsx")
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
    # shops placed by the Toko tab of the workbook the demo wrote, not by `kpi --by shop`
    shop_villages = workbook_shop_villages(demo["workbook_after_first"], manifest.mistakes)
    expected = village_figures(manifest, month, shop_villages)
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
    after = workbook_rows(demo["root"] / "data" / "program.xlsx")
    before = demo["workbook_after_first"]
    for name in ("Ringkasan", "KPI Toko", "KPI Duta", "KPI Desa", "KPI Kecamatan"):
        assert after[name] == before[name], name
    for spec in STAFF_TABS:
        assert after[spec.name] == before[spec.name], spec.name
    outbox = sorted(p.name for p in (demo["root"] / "outbox").rglob("*.eml"))
    assert outbox == demo["outbox_after_first"]


def test_log_tab_records_runs_and_emails_sent(demo: dict[str, Any]) -> None:
    log = workbook_rows(demo["root"] / "data" / "program.xlsx")["Log"]
    header, rows = log[0], log[1:]
    command, status, sent = (header.index(h) for h in ("Perintah", "Status", "Email Terkirim"))
    sends = [r for r in rows if str(r[command]).startswith("send")]
    assert sends and sends[-1][status] == "ok"
    assert sends[-1][sent] == len(demo["outbox_after_first"])
    assert sum(1 for r in rows if r[command] == "sync") >= 2
