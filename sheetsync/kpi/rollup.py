"""Roll-ups: every level is the plain sum of the finest grain, so totals add up exactly.

Two trees share the regency at the top:
- shop figures: shop -> village -> kecamatan -> regency, and shop -> ambassador;
- ambassador figures (their own Laporan Duta numbers): ambassador -> the ambassador's
  village -> kecamatan -> regency.
A level is a `Cube`: one integer matrix (unit × month) per figure over the whole window,
so quiet units show zeros and trends are column arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheetsync.kpi.measures import (
    grid_sum,
    shop_flag_cube,
    shop_order_cube,
    shop_product_cube,
)
from sheetsync.kpi.resolve import MONTH
from sheetsync.kpi_schema import UNASSIGNED


@dataclass(frozen=True)
class Cube:
    """One level's figures as matrices: values[metric][unit_index, month_index]."""

    key: str
    units: list[str]
    months: list[str]
    values: dict[str, np.ndarray]

    def column(self, metric: str, month: str) -> np.ndarray:
        """The metric of every unit in `month` (zeros when the month is outside the cube)."""
        if month not in self.months:
            return np.zeros(len(self.units), dtype=np.int64)
        return self.values[metric][:, self.months.index(month)]

    def sum_over(self, metric: str, months: Sequence[str]) -> np.ndarray:
        picked = [self.months.index(m) for m in months if m in self.months]
        return self.values[metric][:, picked].sum(axis=1).astype(np.int64)

    def long_frame(self, months: Sequence[str]) -> pd.DataFrame:
        """(key, month, metrics…) rows for the given months, unit by unit."""
        picked = [self.months.index(m) for m in months if m in self.months]
        units = np.repeat(np.array(self.units, dtype=object), len(picked))
        chosen = np.tile(np.array([self.months[i] for i in picked], dtype=object), len(self.units))
        columns = {m: v[:, picked].reshape(-1) for m, v in self.values.items()}
        return pd.DataFrame({self.key: units, MONTH: chosen, **columns})


def shop_cube(
    orders: pd.DataFrame, shops: pd.DataFrame, listings: pd.DataFrame | None, months: list[str]
) -> Cube:
    """Every shop-grain figure for every (shop, month) of the window, zeros included."""
    shop_ids = shops["shop_id"].tolist()
    values = shop_order_cube(orders, shop_ids, months)
    values |= shop_product_cube(listings, shop_ids, months)
    values |= shop_flag_cube(shops, months, values["completed_orders"])
    return Cube("shop_id", shop_ids, months, values)


def child_cube(
    key: str, units: list[str], months: list[str], frame: pd.DataFrame, metrics: Sequence[str]
) -> Cube:
    """A cube from rows of (key, month, metrics…) — e.g. ambassadors' own report figures."""
    position = {unit: i for i, unit in enumerate(units)}
    month_position = {m: i for i, m in enumerate(months)}
    rows = np.array([position.get(u, -1) for u in frame[key]], dtype=np.int64)
    cols = np.array([month_position.get(m, -1) for m in frame[MONTH]], dtype=np.int64)
    shape = (len(units), len(months))
    values = {m: grid_sum(rows, cols, shape, frame[m].to_numpy()) for m in metrics}
    return Cube(key, units, months, values)


def parent_codes(
    children: Sequence[str], parent_of: Mapping[str, str], units: list[str]
) -> np.ndarray:
    """Index into `units` of each child's parent; unknown children go to the bucket."""
    position = {unit: i for i, unit in enumerate(units)}
    return np.array([position[parent_of.get(c, UNASSIGNED)] for c in children], dtype=np.int64)


def roll_up(cube: Cube, parent_of: Mapping[str, str], key: str, units: list[str]) -> Cube:
    """Sum a child cube into parent units (`units` must hold every parent met)."""
    codes = parent_codes(cube.units, parent_of, units)
    values = {}
    for metric, matrix in cube.values.items():
        summed = np.zeros((len(units), len(cube.months)), dtype=np.int64)
        np.add.at(summed, codes, matrix)
        values[metric] = summed
    return Cube(key, units, cube.months, values)


def sum_by_parent(
    children: Sequence[str], values: np.ndarray, parent_of: Mapping[str, str], units: list[str]
) -> np.ndarray:
    """One figure per child (a vector) summed into parent units."""
    summed = np.zeros(len(units), dtype=np.int64)
    np.add.at(summed, parent_codes(children, parent_of, units), np.asarray(values, dtype=np.int64))
    return summed
