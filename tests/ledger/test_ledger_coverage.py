"""What the ledger holds per shop and month, read without decoding a line."""

from __future__ import annotations

import datetime as dt

from ledger_samples import AUG, IMPORTED_AT, lines_frame, meta, orders_export

from sheetsync.ledger.store import Ledger


def test_export_coverage_per_shop(ledger: Ledger) -> None:
    period = (dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    frame = lines_frame([("A1", "completed", AUG), ("A2", "completed", dt.datetime(2026, 8, 20))])
    ledger.store_export(meta("a"), orders_export(frame, period=period), imported_at=IMPORTED_AT)
    coverage = ledger.export_coverage("2026-08")
    shop = coverage["TK-001"]
    assert (shop.files, shop.lines, shop.marketplaces) == (1, 2, ("shopee",))
    assert (shop.first_order_at, shop.last_order_at) == (AUG, dt.datetime(2026, 8, 20))
    assert shop.periods == (period,)
    # dated by the period its name states, not by the mtime (2026-09-01 08:00)
    assert shop.latest_export_at == dt.datetime(2026, 8, 31, 23, 59, 59)
    assert ledger.export_coverage("2026-07")["TK-001"].files == 0
