"""The registry as frames: who each shop, ambassador and village rolls up to.

The registry holds no history, so every month (and every month of a trend) rolls up by the
Toko/Duta/Desa rows as they are now. Anything the registry does not know (a shop folder
with no Toko row, a shop whose Kode Desa or ID Duta is not in Desa/Duta) goes to the
`UNASSIGNED` bucket of that level instead of vanishing, so totals still add up.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from sheetsync.kpi_schema import UNASSIGNED
from sheetsync.model import Registry

SHOP_LABELS = ("shop_name", "marketplace", "owner", "registered_on")


def shop_frame(registry: Registry, extra_shop_ids: Iterable[str] = ()) -> pd.DataFrame:
    """One row per shop: the registry's shops plus unknown ids seen in exports.

    Columns: shop_id, shop_name, marketplace, owner, registered_on, in_registry,
    village_code, ambassador_id, kecamatan (bucketed where the registry has no answer).
    """
    known = pd.DataFrame(
        [
            (
                s.shop_id,
                s.name,
                str(s.marketplace),
                s.owner,
                s.registered_on,
                s.village_code,
                s.ambassador_id,
            )
            for s in registry.shops
        ],
        columns=["shop_id", *SHOP_LABELS, "village_code", "ambassador_id"],
    ).drop_duplicates("shop_id", keep="last")
    known["in_registry"] = True
    unknown_ids = sorted(set(extra_shop_ids) - set(known["shop_id"]))
    unknown = pd.DataFrame({"shop_id": unknown_ids, "in_registry": False})
    shops = pd.concat([known, unknown], ignore_index=True) if unknown_ids else known
    return _assign_units(shops, registry)


def _assign_units(shops: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    villages = village_frame(registry)
    ambassador_ids = {a.ambassador_id for a in registry.ambassadors}
    shops = shops.copy()
    for text in ("shop_name", "marketplace", "owner"):
        shops[text] = shops[text].fillna("").astype(str)
    known_village = shops["village_code"].isin(villages["village_code"])
    shops["village_code"] = shops["village_code"].where(known_village, UNASSIGNED)
    known_ambassador = shops["ambassador_id"].isin(ambassador_ids)
    shops["ambassador_id"] = shops["ambassador_id"].where(known_ambassador, UNASSIGNED)
    kecamatan = dict(zip(villages["village_code"], villages["kecamatan"], strict=True))
    shops["kecamatan"] = _kecamatan_of(shops["village_code"], kecamatan)
    shops["village_code"] = shops["village_code"].astype(str)
    shops["ambassador_id"] = shops["ambassador_id"].astype(str)
    return shops.sort_values("shop_id", kind="stable").reset_index(drop=True)


def _kecamatan_of(village_codes: pd.Series, kecamatan: dict[str, str]) -> pd.Series:
    """Each village's kecamatan, the bucket where unknown. Mapped as objects so a registry
    without villages (an empty map, all NaN) is filled with text, not into a float column."""
    return village_codes.map(kecamatan).astype(object).fillna(UNASSIGNED).astype(str)


def village_frame(registry: Registry) -> pd.DataFrame:
    """village_code, village_name, kecamatan (the last row wins for a repeated code).

    Kecamatan names typed with different case or spacing ("Tanjung  pandan",
    "tanjungpandan") are one kecamatan, shown with the first spelling met.
    """
    spelling: dict[str, str] = {}
    rows = []
    for village in registry.villages:
        name = " ".join(village.kecamatan.split())
        rows.append((village.code, village.name, spelling.setdefault(name.casefold(), name)))
    frame = pd.DataFrame(rows, columns=["village_code", "village_name", "kecamatan"])
    return frame.drop_duplicates("village_code", keep="last").reset_index(drop=True)


def ambassador_frame(registry: Registry) -> pd.DataFrame:
    """ambassador_id, ambassador_name, village_code (bucketed if unknown), kecamatan, active."""
    frame = pd.DataFrame(
        [(a.ambassador_id, a.name, a.village_code, a.active) for a in registry.ambassadors],
        columns=["ambassador_id", "ambassador_name", "village_code", "active"],
    ).drop_duplicates("ambassador_id", keep="last")
    villages = village_frame(registry)
    known = frame["village_code"].isin(villages["village_code"])
    frame["village_code"] = frame["village_code"].where(known, UNASSIGNED).astype(str)
    kecamatan = dict(zip(villages["village_code"], villages["kecamatan"], strict=True))
    frame["kecamatan"] = _kecamatan_of(frame["village_code"], kecamatan)
    frame["active"] = frame["active"].astype(bool)
    return frame.sort_values("ambassador_id", kind="stable").reset_index(drop=True)


def unit_order(units: Iterable[str]) -> list[str]:
    """Units sorted by key, the bucket last: a stable row order for tabs and tests."""
    return sorted(set(units), key=lambda unit: (unit == UNASSIGNED, unit))
