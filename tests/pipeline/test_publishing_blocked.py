"""Publishing is blocked while a staff tab is structurally broken; orders keep importing.

A Toko tab without its header row (or with "ID Duta" renamed, or gone, or most rows lost)
would place no shop, so every village would show 0 and the reports "Capaian 0 %". Instead
the KPI tabs keep the last good figures, `report`/`send` refuse with exit 1, Validasi says
what to fix in Bahasa Indonesia, and a restored tab publishes again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from programme_samples import init_programme, shop_row

from sheetsync.cli import cli
from sheetsync.config import load_config
from sheetsync.demo.exports import OrderLineSpec, write_shopee_orders
from sheetsync.errors import EXIT_FAILED
from sheetsync.operations import scheduled_sync

SHOPS = [shop_row(f"TK-{i:03d}") for i in range(1, 6)]
KPI_TABS = ("Ringkasan", "KPI Toko", "KPI Duta", "KPI Desa", "KPI Kecamatan")


def make_programme(root: Path) -> Path:
    config = init_programme(root, SHOPS)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('outbox = "outbox"', 'outbox = "outbox"\nalert_to = "operator@example.org"'),
        encoding="utf-8",
    )
    for shop, *_ in SHOPS:
        add_export(root, shop, "Order.all.20260801_20260815.xlsx", day=3)
    return config


def add_export(root: Path, shop: str, name: str, *, day: int) -> None:
    lines = [
        OrderLineSpec(f"2608{shop[-3:]}{day:02d}{n:04d}", "Selesai",
                      dt.datetime(2026, 8, day, 10, n), "Kopi", 1, 10000)
        for n in range(2)
    ]  # fmt: skip
    write_shopee_orders(root / "inbox" / shop / name, lines, fmt="xlsx")


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def tabs(config: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(config.parent / "data" / "program.xlsx")
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}
    finally:
        book.close()


def edit_toko(config: Path, change: str) -> tuple[object, ...]:
    """Break the Toko tab the way staff do; returns the header row, to restore it."""
    path = config.parent / "data" / "program.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Toko"]
    header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))
    if change == "delete header row":
        sheet.delete_rows(1)
    elif change == "rename ID Duta":
        sheet.cell(row=1, column=header.index("ID Duta") + 1, value="Duta")
    elif change == "delete most rows":
        sheet.delete_rows(3, 4)
    elif change == "delete tab":
        del book["Toko"]
    book.save(path)
    return header


def restore_toko(config: Path, header: tuple[object, ...]) -> None:
    """What staff do from the version history: the tab as it was."""
    path = config.parent / "data" / "program.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Toko"] if "Toko" in book.sheetnames else book.create_sheet("Toko")
    sheet.delete_rows(1, sheet.max_row)
    for row in (header, *SHOPS):
        sheet.append(list(row))
    book.save(path)


def stored_files(config: Path) -> int:
    with contextlib.closing(sqlite3.connect(config.parent / "data" / "ledger.sqlite")) as db, db:
        return int(db.execute("SELECT COUNT(*) FROM files WHERE status = 'imported'").fetchone()[0])


@pytest.mark.parametrize(
    "change", ["delete header row", "rename ID Duta", "delete most rows", "delete tab"]
)
def test_a_broken_toko_tab_blocks_publishing_while_orders_keep_importing(
    tmp_path: Path, change: str
) -> None:
    config = make_programme(tmp_path / "prog")
    first = run(config, "sync", "--month", "2026-08")
    assert first.exit_code == 0, first.output
    good = tabs(config)
    header = edit_toko(config, change)
    add_export(tmp_path / "prog", "TK-001", "Order.all.20260816_20260831.xlsx", day=20)

    blocked = run(config, "sync", "--month", "2026-08")
    assert blocked.exit_code == 0, blocked.output
    assert "NOT published" in blocked.output
    assert stored_files(config) == len(SHOPS) + 1  # the new export is in the ledger
    after = tabs(config)
    for name in KPI_TABS:
        assert after[name] == good[name], f"{name} must keep the last good figures"
    validasi = "\n".join(" ".join(str(c) for c in row if c) for row in after["Validasi"])
    assert "publishing_blocked" in validasi
    assert "Angka KPI dan laporan TIDAK diperbarui karena tab Toko rusak" in validasi
    assert after["Log"][1][3] == "blocked"

    for command in (["report", "--month", "2026-08", "--format", "html"],
                    ["send", "--month", "2026-08"], ["monthly", "--month", "2026-08"]):  # fmt: skip
        refused = run(config, *command)
        assert refused.exit_code == EXIT_FAILED, refused.output
        assert "Laporan tidak dibuat dan tidak dikirim karena tab staf rusak" in refused.output
    assert not list((tmp_path / "prog" / "reports").rglob("*.html"))
    assert not list((tmp_path / "prog" / "outbox").rglob("*.eml")) or all(
        "rusak" in p.read_text(errors="ignore")
        for p in (tmp_path / "prog" / "outbox").rglob("*.eml")
    )  # only alerts to the operator, no report email

    restore_toko(config, header)
    fixed = run(config, "sync", "--month", "2026-08")
    assert fixed.exit_code == 0 and "NOT published" not in fixed.output, fixed.output
    shops = {row[1]: row for row in tabs(config)["KPI Toko"][1:]}
    assert tabs(config)["KPI Toko"] != good["KPI Toko"] and "TK-001" in shops
    report = run(config, "report", "--month", "2026-08", "--format", "html")
    assert report.exit_code == 0, report.output


def test_a_broken_tab_alerts_the_operator_once(tmp_path: Path) -> None:
    config_path = make_programme(tmp_path / "prog")
    config = load_config(config_path)
    scheduled_sync(config)
    edit_toko(config_path, "delete header row")
    scheduled_sync(config)
    scheduled_sync(config)
    alerts = [
        p for p in (tmp_path / "prog" / "outbox").rglob("*.eml")
        if "Tab staf rusak" in str(email.message_from_bytes(p.read_bytes(),
                                                            policy=email.policy.default)["Subject"])
    ]  # fmt: skip
    assert len(alerts) == 1
