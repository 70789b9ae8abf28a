"""A one-shop programme made with `sheetsync init`, for tests that run the real commands."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sheetsync.cli import cli
from sheetsync.workbook.template import fill_staff_workbook

VILLAGE = ("19.02.04.2004", "Air Seruk", "Sijuk")
AMBASSADOR = ("DD-001", "Siti", "19.02.04.2004", "0812345678", "s@example.org", "Ya")


def shop_row(shop_id: str = "TK-001") -> tuple[str, ...]:
    return (shop_id, "Shopee", f"Toko {shop_id}", "Pemilik", VILLAGE[0], AMBASSADOR[0],
            "01/07/2026")  # fmt: skip


def init_programme(root: Path, shops: list[tuple[str, ...]] | None = None) -> Path:
    """`sheetsync init` plus one village, one ambassador and the shops; returns the config."""
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    fill_staff_workbook(
        root / "data" / "program.xlsx",
        {"Desa": [VILLAGE], "Duta": [AMBASSADOR], "Toko": shops or [shop_row()]},
    )
    return root / "sheetsync.toml"
