"""The `sheetsync` command on a small programme: exit codes, messages, re-runs, lock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sheetsync.cli import cli
from sheetsync.demo.exports import OrderLineSpec, write_shopee_orders, write_tokopedia_orders
from sheetsync.errors import EXIT_CONFIG, EXIT_LOCKED, EXIT_VALIDATION_ERRORS
from sheetsync.runlock import run_lock
from sheetsync.workbook.template import fill_staff_workbook

VILLAGES = [
    ("19.02.04.2004", "Air Seruk", "Sijuk"),
    ("19.02.04.2001", "Sijuk", "Sijuk"),
    ("19.02.05.2001", "Badau", "Badau"),
]
AMBASSADORS = [
    ("DD-001", "Siti Aminah", "19.02.04.2004", "081234567890", "siti@example.org", "Ya"),
    ("DD-002", "Rudi Hartono", "19.02.05.2001", "+6281298765432", "rudi@example.org", "Ya"),
]
SHOPS = [
    ("TK-001", "Shopee", "Kopi Aik Seruk", "Pak Amin", "19.02.04.2004", "DD-001", "02/08/2026"),
    ("TK-002", "Tokopedia", "Madu Kelulut Badau", "Bu Yanti", "19.02.05.2001", "DD-002",
     "05/08/2026"),
]  # fmt: skip


def line(
    order: str, status: str, when: dt.datetime, qty: int, price: int, **kw: str
) -> OrderLineSpec:
    return OrderLineSpec(order, status, when, "Kopi Robusta 250 gr", qty, price, **kw)  # type: ignore[arg-type]


def make_programme(root: Path, *, shops: list[tuple[str, ...]] = SHOPS) -> Path:
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(root), "--name", "Duta Digital Uji"])
    assert result.exit_code == 0, result.output
    fill_staff_workbook(
        root / "data" / "program.xlsx",
        {"Desa": VILLAGES, "Duta": AMBASSADORS, "Toko": shops},
    )
    aug = dt.datetime(2026, 8, 10, 9, 30)
    first = [
        line("260810AAAA0001", "Perlu Dikirim", aug, 2, 37200),
        line("260810AAAA0001", "Perlu Dikirim", aug, 1, 15000, variation="L"),
        line("260831BBBB0002", "Selesai", dt.datetime(2026, 8, 31, 23, 59), 1, 50000),
        line("260901CCCC0003", "Selesai", dt.datetime(2026, 9, 1, 0, 0), 3, 10000),
    ]
    later = [
        line("260810AAAA0001", "Selesai", aug, 2, 37200),
        line("260810AAAA0001", "Selesai", aug, 1, 15000, variation="L"),
    ]
    inbox = root / "inbox"
    write_shopee_orders(inbox / "TK-001" / "Order.all.20260801_20260831.xlsx", first)
    write_shopee_orders(inbox / "TK-001" / "Order.all.20260801_20260915.xlsx", later, layout="2026")
    write_tokopedia_orders(
        inbox / "TK-002" / "laporan-agustus.xlsx",
        [
            line(
                "INV/20260812/MPL/0001",
                "Pesanan Selesai",
                dt.datetime(2026, 8, 12, 10, 0),
                4,
                25000,
            )
        ],
    )
    return root / "sheetsync.toml"


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return make_programme(tmp_path / "prog")


def test_sync_then_kpi_json_has_integer_figures(programme: Path) -> None:
    synced = run(programme, "sync", "--month", "2026-08")
    assert synced.exit_code == 0, synced.output
    assert "3 file(s) imported" in synced.output
    out = run(programme, "kpi", "--month", "2026-08", "--by", "village", "--format", "json")
    assert out.exit_code == 0, out.output
    villages = {r["village_code"]: r for r in json.loads(out.output)}
    air_seruk = villages["19.02.04.2004"]
    # the Perlu Dikirim order was superseded by the later export's Selesai; the 1 Sept order
    # belongs to September
    assert air_seruk["orders"] == 2
    assert air_seruk["completed_orders"] == 2
    assert air_seruk["units_sold"] == 2 + 1 + 1
    assert air_seruk["sales_idr"] == 2 * 37200 + 15000 + 50000
    assert villages["19.02.05.2001"]["sales_idr"] == 100000
    assert all(isinstance(air_seruk[k], int) for k in ("orders", "units_sold", "sales_idr"))


def test_validate_exits_3_on_errors_and_prints_json(tmp_path: Path) -> None:
    bad_shop = ("TK-003", "Shopee", "Kerupuk", "Bu Ani", "19.02.04.2004", "DD-999", "02/08/2026")
    config = make_programme(tmp_path / "prog", shops=[*SHOPS, bad_shop])
    result = run(config, "validate", "--format", "json")
    assert result.exit_code == EXIT_VALIDATION_ERRORS, result.output
    issues = json.loads(result.output)
    unknown = [i for i in issues if i["value"] == "DD-999"]
    assert unknown and unknown[0]["source"] == "Toko" and unknown[0]["row"] == 4


def test_validate_exits_0_without_errors(programme: Path) -> None:
    assert run(programme, "validate").exit_code == 0


def test_missing_config_is_one_clear_line(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.toml", "sync")
    assert result.exit_code == EXIT_CONFIG
    assert result.output.startswith("Error: Config file")
    assert "Traceback" not in result.output


def test_bad_month_is_a_usage_error(programme: Path) -> None:
    result = run(programme, "kpi", "--month", "Agustusan", "--by", "village")
    assert result.exit_code == 2
    assert "write it as 2026-08" in result.output


def test_a_second_run_while_one_holds_the_lock_exits_75(programme: Path) -> None:
    lock = programme.parent / "data" / "ledger.lock"
    with run_lock(lock):
        result = run(programme, "sync")
    assert result.exit_code == EXIT_LOCKED
    assert "in progress" in result.output


def test_config_check_masks_secrets(tmp_path: Path) -> None:
    config = tmp_path / "sheetsync.toml"
    config.write_text('[mail]\npassword = { env = "SMTP_PW" }\n', encoding="utf-8")
    result = CliRunner(env={"SMTP_PW": "hunter2"}).invoke(
        cli, ["--config", str(config), "config", "check"]
    )
    assert result.exit_code == 0, result.output
    assert "env:SMTP_PW (***)" in result.output and "hunter2" not in result.output
