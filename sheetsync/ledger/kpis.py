"""A month's KPIs in the ledger: the snapshot a later run compares with, and the cache.

`kpi_snapshots` keeps each month's last published figures per level, key and metric, so a
later sync can say what changed in a month already reported (and the send log can offer a
revision). `kpi_cache` keeps a month's last computed result with a fingerprint of its
inputs (monthkpi.py), so an unchanged month is not computed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from sheetsync.ledger.database import Database, ledger_errors
from sheetsync.ledger.lines import stored_line_count
from sheetsync.ledger.stamps import parse_stamp, stamp


class KpiStore(Database):
    """The KPI snapshots and the computed-KPI cache of one open ledger."""

    @ledger_errors
    def save_kpi_snapshot(
        self,
        month: str,
        levels: Mapping[str, Any],
        *,
        computed_at: dt.datetime,
    ) -> None:
        """Replace the month's snapshot in one transaction.

        `levels` maps a level name to either {key: {metric: value}} or a sequence of
        records (dicts) holding the level's key column (kpi_schema.LEVEL_KEYS).
        """
        computed = stamp(computed_at)
        rows = [
            (month, level, key, metric, _snapshot_value(value), computed)
            for level, per_key in levels.items()
            for key, metrics in _keyed_records(level, per_key).items()
            for metric, value in metrics.items()
        ]
        with self.transaction() as conn:
            conn.execute("DELETE FROM kpi_snapshots WHERE month = ?", (month,))
            conn.executemany("INSERT INTO kpi_snapshots VALUES (?, ?, ?, ?, ?, ?)", rows)

    @ledger_errors
    def kpi_snapshot(self, month: str) -> dict[str, dict[str, dict[str, Any]]]:
        """The month's last saved snapshot: {level: {key: {metric: value}}}; {} if none."""
        snapshot: dict[str, dict[str, dict[str, Any]]] = {}
        rows = self.connection.execute(
            "SELECT level, key, metric, value FROM kpi_snapshots WHERE month = ?", (month,)
        )
        for level, key, metric, value in rows:
            snapshot.setdefault(level, {}).setdefault(key, {})[metric] = value
        return snapshot

    @ledger_errors
    def kpi_snapshot_time(self, month: str) -> dt.datetime | None:
        row = self.connection.execute(
            "SELECT MAX(computed_at) FROM kpi_snapshots WHERE month = ?", (month,)
        ).fetchone()
        return parse_stamp(row[0])

    @ledger_errors
    def kpi_months(self) -> list[str]:
        """Months whose KPIs a sync computed and kept (oldest first)."""
        rows = self.connection.execute("SELECT DISTINCT month FROM kpi_snapshots ORDER BY month")
        return [str(r[0]) for r in rows]

    # ---- computed figures, reused while their inputs are unchanged (monthkpi.py)

    @ledger_errors
    def data_fingerprint(self) -> str:
        """Changes whenever what KPIs read from the ledger may have changed: every manifest
        row (a file imported, replaced or moved to another shop) and the line count."""
        digest = hashlib.sha256(str(stored_line_count(self.connection)).encode())
        for row in self.connection.execute("SELECT * FROM files ORDER BY id"):
            digest.update(repr(row).encode())
        return digest.hexdigest()

    @ledger_errors
    def cached_result(self, month: str, inputs: str) -> bytes | None:
        row = self.connection.execute(
            "SELECT result FROM kpi_cache WHERE month = ? AND inputs = ?", (month, inputs)
        ).fetchone()
        return None if row is None else bytes(row[0])

    @ledger_errors
    def cache_result(self, month: str, inputs: str, result: bytes) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO kpi_cache (month, inputs, result) VALUES (?, ?, ?)",
                (month, inputs, result),
            )


def _keyed_records(level: str, records: Any) -> dict[str, Mapping[str, Any]]:
    """{key: {metric: value}} from either that shape or a list of row dicts."""
    if isinstance(records, Mapping):
        return {str(k): v for k, v in records.items()}
    from sheetsync.kpi_schema import LEVEL_KEYS

    key_column = LEVEL_KEYS.get(level, "key")
    keyed: dict[str, Mapping[str, Any]] = {}
    for record in records:
        key = str(record.get(key_column, ""))
        keyed[key] = {m: v for m, v in record.items() if m != key_column}
    return keyed


def _snapshot_value(value: Any) -> Any:
    """Numbers stay numbers; NaN/NA become NULL; anything else is kept as text."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, np.integer | np.floating):
        return None if pd.isna(value) else value.item()
    return None if value is pd.NA else str(value)
