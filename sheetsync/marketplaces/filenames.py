"""What an export's file name says about when the marketplace made it (pure).

Files reach the server by Drive, WhatsApp or a USB stick, and every copy changes the
file's modification time, so a February-end listing snapshot copied on 2 March would
count as March's if it were dated by its mtime. Seller centres write the export time (or
the period) into the names they give, and a copy keeps the name, so the name decides:

- Shopee `mass_update_sales_info_<shopid>_<YYYYMMDDHHMMSS>.xlsx` and TikTok Shop
  `Products Card List_<YYYYMMDDHHMMSS>.xlsx`: the export time, to the second;
- TikTok Shop / Tokopedia orders `All order-YYYY-MM-DD-HH_MM.csv` (Indonesian seller centre:
  `Semua pesanan-…`): the export time, to the minute;
- TikTok `Tiktoksellercenter_batchedit_<YYYYMMDD>_all_information_template.xlsx`: the day;
- Shopee orders `Order.all.YYYYMMDD_YYYYMMDD.xlsx`: the period it covers (shopee.py).

Times in names are the seller centre's local time, taken as programme time. The mtime is
only a fallback, and which date was used is recorded with the file (`FileDate.source`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_STAMP = re.compile(r"(?<!\d)(20\d{12})(?!\d)")  # YYYYMMDDHHMMSS
_DASHED = re.compile(r"(?<!\d)(20\d\d-\d\d-\d\d-\d\d)[_:.](\d\d)(?!\d)")  # 2026-05-04-14_03
_BATCH_EDIT_DAY = re.compile(r"batchedit_(20\d{6})(?!\d)", re.IGNORECASE)  # batchedit_20260925


class DateSource(StrEnum):
    """Where a file's date comes from, best first."""

    NAME = "name"  # the export time in the file name
    PERIOD = "period"  # the end of the period in the file name
    MTIME = "mtime"  # the file's modification time (the name says nothing)
    IMPORTED = "imported"  # when sheetsync imported it (no mtime known)


DATE_SOURCE_TEXT: dict[str, str] = {
    DateSource.NAME: "waktu ekspor di nama file",
    DateSource.PERIOD: "akhir periode di nama file",
    DateSource.MTIME: "waktu ubah file (nama file tanpa tanggal; berubah bila file disalin)",
    DateSource.IMPORTED: "waktu impor",
}


@dataclass(frozen=True, slots=True)
class FileDate:
    """The moment a file shows (programme time) and where that moment came from."""

    at: dt.datetime
    source: DateSource


def export_time_from_name(name: str) -> dt.datetime | None:
    """The export time a seller centre wrote into a file name, else None.

    The last stamp in the name wins: in `mass_update_sales_info_<shopid>_<stamp>` the shop
    id comes first. A stamp that is not a real date-time is ignored.
    """
    for pattern, fmt in (
        (_STAMP, "%Y%m%d%H%M%S"),
        (_DASHED, "%Y-%m-%d-%H %M"),
        (_BATCH_EDIT_DAY, "%Y%m%d"),
    ):
        for match in reversed(list(pattern.finditer(name))):
            moment = _parse(" ".join(match.groups()), fmt)
            if moment is not None:
                return moment
    return None


def _parse(text: str, fmt: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, fmt)
    except ValueError:
        return None


def file_date(
    exported_at: dt.datetime | None,
    period: tuple[dt.date, dt.date] | None,
    mtime: dt.datetime | None,
    imported_at: dt.datetime,
) -> FileDate:
    """The date a file is filed under: the name's export time, else the end of the period
    the name states (its last second), else the mtime, else the import time."""
    if exported_at is not None:
        return FileDate(exported_at, DateSource.NAME)
    if period is not None:
        return FileDate(dt.datetime.combine(period[1], dt.time(23, 59, 59)), DateSource.PERIOD)
    if mtime is not None:
        return FileDate(mtime, DateSource.MTIME)
    return FileDate(imported_at, DateSource.IMPORTED)
