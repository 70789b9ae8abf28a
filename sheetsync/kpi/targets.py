"""Targets from the `Target` tab: achievement % and a status per figure.

A village without a target for a figure shows "no_target" ("tanpa target"), never 0 %:
zero would read as failure. Above the village, a target is the sum of the targets the
villages set, and it is compared with what THOSE villages achieved, so a kecamatan where
only some villages set targets is not flattered by the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sheetsync.kpi.discipline import object_array
from sheetsync.kpi_schema import TARGET_FIGURES, KpiConfig
from sheetsync.model import Registry, Target

NO_TARGET = "no_target"


def village_targets(registry: Registry, month: str) -> dict[str, Target]:
    """The month's Target row per village code (a repeated row: the last one wins)."""
    return {t.village_code: t for t in registry.targets if t.month == month}


def target_columns(
    villages: Sequence[str],
    figures: Mapping[str, np.ndarray],
    targets: Mapping[str, Target],
    parents: np.ndarray,
    unit_count: int,
    config: KpiConfig,
) -> dict[str, object]:
    """target_<t>, achievement_<t>_pct, status_<t> for the units villages roll up to.

    `figures[f]` holds each village's figure f; `parents[i]` is the unit of village i
    (for the village level itself, parents = 0..n-1).
    """
    columns: dict[str, object] = {}
    for name, figure in TARGET_FIGURES.items():
        set_values = [
            getattr(targets.get(code), name, None) if code in targets else None for code in villages
        ]
        has = np.array([v is not None for v in set_values], dtype=bool)
        wanted = np.array([v or 0 for v in set_values], dtype=np.int64)
        target = _sum_into(parents, wanted, unit_count)
        count = _sum_into(parents, has.astype(np.int64), unit_count)
        actual = _sum_into(parents, np.where(has, figures[figure], 0), unit_count)
        shown = [int(t) if c > 0 else None for t, c in zip(target, count, strict=True)]
        pct = [_achievement(a, t) for a, t in zip(actual, shown, strict=True)]
        columns[f"target_{name}"] = pd.array(shown, dtype="Int64")
        columns[f"achievement_{name}_pct"] = object_array(pct)
        columns[f"status_{name}"] = [
            target_status(p, t, config) for p, t in zip(pct, shown, strict=True)
        ]
    return columns


def _sum_into(parents: np.ndarray, values: np.ndarray, unit_count: int) -> np.ndarray:
    summed = np.zeros(unit_count, dtype=np.int64)
    np.add.at(summed, parents, np.asarray(values, dtype=np.int64))
    return summed


def _achievement(actual: int, target: int | None) -> float | None:
    if target is None or target == 0:
        return None
    return float(actual) / float(target) * 100.0


def target_status(pct: float | None, target: int | None, config: KpiConfig) -> str:
    """on_target (≥ on_target_pct), near (≥ near_target_pct), behind, or no_target.

    A target of 0 asks for nothing, so it is met whatever happened.
    """
    if target is None:
        return NO_TARGET
    if pct is None or pct >= config.on_target_pct:
        return "on_target"
    return "near" if pct >= config.near_target_pct else "behind"
