"""What the Google Sheets backend tests share: a small programme as staff type it, an output
tab full of untrusted text, and a workbook whose retries wait on a fake clock."""

from __future__ import annotations

from sheetsync.contract import DESA, DUTA, TOKO
from sheetsync.tabs import OutputTab
from sheetsync.workbook.gsheets.backend import GSheetsWorkbook

UNTRUSTED = ['=IMPORTXML("http://x","//a")', "+6281234567890", "-", "@x", "007", "1.250.000"]


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def staff_tabs() -> dict[str, list[list[object]]]:
    """A small programme as staff type it (text exactly as typed)."""
    return {
        DESA.name: [list(DESA.headers), ["19.02.04.2004", "Air Seruk", "Sijuk"]],
        DUTA.name: [
            list(DUTA.headers),
            ["DD-001", "Sari", "19.02.04.2004", "081234567890", "sari@example.id", "Ya"],
            ["DD-002", "Budi", "19.02.04.2099", "+6281298765432", "budi@", "ya"],
        ],
        TOKO.name: [
            list(TOKO.headers),
            ["007", "Shopee", "Kopi Sijuk", "Pak Amin", "19.02.04.2004", "DD-001", "02/08/2026"],
            ["T-2", "Lazada", "=HYPERLINK(1)", "", "19.02.04.2004", "DD-009", "2 Agustus 2026"],
        ],
    }


def kpi_tab(rows: int = 3) -> OutputTab:
    return OutputTab(
        "KPI Toko",
        ("ID Toko", "Nama Toko", "Penjualan (Rp)", "Capaian"),
        [[f"T-{i}", UNTRUSTED[i % len(UNTRUSTED)], 1_250_000 * i, i / 10] for i in range(rows)],
        formats={"Penjualan (Rp)": "rupiah", "Capaian": "percent"},
    )


def workbook(client, sid: str, fake: FakeTime | None = None, **kwargs) -> GSheetsWorkbook:
    fake = fake or FakeTime()
    return GSheetsWorkbook(
        client, sid, clock=fake.clock, sleep=fake.sleep, rand=lambda: 0.5, **kwargs
    )
