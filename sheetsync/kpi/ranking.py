"""Ranking ambassadors, villages and kecamatan: a composite score, ties broken by key.

The composite weighs four things officials asked for equally: transactions (completed
orders), sales, active shops and new products. Each figure is divided by the best value at
that level (so 100 = the leader on that figure) and the four are averaged; the score is
rounded to 2 decimals before ranking, so two units that print the same score are ordered
by their key (ID Duta / Kode Desa / kecamatan name), never by chance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sheetsync.errors import ConfigError
from sheetsync.kpi_schema import UNASSIGNED

COMPOSITE = "composite"
COMPOSITE_FIGURES = ("completed_orders", "sales_idr", "shops_active", "products_new")


def ranking_columns(
    units: Sequence[str], figures: Mapping[str, object], metric: str
) -> dict[str, object]:
    """`score` and `rank` (1 = best) per unit; the UNASSIGNED bucket is not ranked."""
    ranked = np.array([u != UNASSIGNED for u in units], dtype=bool)
    scores = np.round(_scores(figures, metric, len(units), ranked), 2)
    keys = np.array(units, dtype=object)
    candidates = np.flatnonzero(ranked)
    order = candidates[np.lexsort((keys[candidates], -scores[candidates]))]
    rank: list[int | None] = [None] * len(units)
    for position, index in enumerate(order, start=1):
        rank[index] = position
    score: list[float | None] = [
        float(s) if r else None for s, r in zip(scores, ranked, strict=True)
    ]
    return {"score": pd.array(score, dtype="Float64"), "rank": pd.array(rank, dtype="Int64")}


def _scores(
    figures: Mapping[str, object], metric: str, count: int, ranked: np.ndarray
) -> np.ndarray:
    if metric == COMPOSITE:
        parts = [
            _share_of_best(np.asarray(figures[f], dtype=float), ranked) for f in COMPOSITE_FIGURES
        ]
        return np.mean(parts, axis=0) if count else np.zeros(0)
    values = figures.get(metric)
    array = np.asarray(values) if values is not None else None
    if array is None or array.dtype.kind not in "iuf":
        raise ConfigError(
            f"kpi.ranking_metric: {metric!r} is not a figure that can rank units "
            f'(use "{COMPOSITE}" or a whole-number figure such as sales_idr).'
        )
    return array.astype(float)


def _share_of_best(values: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    best = float(values[ranked].max()) if ranked.any() else 0.0
    if best <= 0:
        return np.zeros(len(values))
    return values / best * 100.0
