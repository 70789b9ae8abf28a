"""Stable, readable report file names: reports/YYYY-MM/<level>/<name>.<ext>.

One place decides names so reports, mail and the worker agree:
    2026-10/kabupaten/laporan-2026-10-kabupaten-belitung.pdf
    2026-10/kecamatan/laporan-2026-10-kecamatan-sijuk.pdf
    2026-10/desa/laporan-2026-10-desa-1902042004-air-seruk.pdf
    2026-10/duta/laporan-2026-10-duta-dd-001-siti-aminah.pdf
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

LEVELS = ("kabupaten", "kecamatan", "desa", "duta")


def slugify(text: str) -> str:
    """'Air Seruk' -> 'air-seruk'; accents folded, anything else becomes '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-") or "x"


def regency_proper_name(label: str) -> str:
    """'Kabupaten Belitung' -> 'Belitung'; a bare 'Kabupaten' (the config default when no
    regency is configured) is no name at all, so titles never say "Kabupaten Kabupaten"."""
    return re.sub(r"^(kabupaten|kab\.)(\s+|$)", "", label.strip(), flags=re.IGNORECASE).strip()


def report_stem(month: str, level: str, area_code: str, area_name: str) -> str:
    """File name without extension; the code keeps names unique, the name keeps them readable."""
    if level not in LEVELS:
        raise ValueError(f"unknown report level {level!r}")
    parts = ["laporan", month, level]
    code = re.sub(r"[^0-9A-Za-z-]", "", area_code)
    if level in ("desa", "duta") and code:
        parts.append(code)
    parts.append(area_name)
    return slugify("-".join(parts))


def report_path(
    out: Path, month: str, level: str, area_code: str, area_name: str, fmt: str
) -> Path:
    return out / month / level / f"{report_stem(month, level, area_code, area_name)}.{fmt}"
