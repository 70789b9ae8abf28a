"""A KpiResult built from per-shop monthly figures: for report and mail tests and the bench.

Reports must be tested and measured independently of the real KPI engine, so this module
rolls simple per-shop figures up to every level with the column names of `kpi_schema`. It
is deliberately plain sums (no order de-duplication: that is the job of sheetsync/kpi/, the
product's one KPI engine). It lives in tests/ because the product never uses it; the bench
reaches it through bench/tests_path.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

import pandas as pd

from sheetsync.kpi_schema import ORDER_METRICS, TARGET_FIGURES, KpiResult
from sheetsync.locale_id import mask_phone
from sheetsync.model import Registry
from sheetsync.months import months_back, previous_month

FIGURES = (*ORDER_METRICS, "products_live", "products_new")
LEVEL_COLUMNS = {
    "ambassador": "ambassador_id",
    "village": "village_code",
    "kecamatan": "kecamatan",
    "regency": "regency",
}


def sample_result(
    registry: Registry,
    shop_months: pd.DataFrame,
    month: str,
    *,
    regency: str = "Belitung",
    owner_phones: dict[str, str] | None = None,
    products: pd.DataFrame | None = None,
    near_pct: float = 75.0,
) -> KpiResult:
    """Roll `shop_months` (month, shop_id + FIGURES) up to a KpiResult for `month`."""
    labelled = _label_shops(registry, shop_months, regency, owner_phones or {})
    current = labelled[labelled["month"] == month]
    levels = {"shop": _with_trends(_shop_level(current), labelled, month, "shop_id")}
    for level, key in LEVEL_COLUMNS.items():
        frame = _roll_up(current, key, registry, month)
        frame = _with_trends(frame, _roll_all(labelled, key), month, key)
        if level != "ambassador":
            frame = _with_targets(frame, registry, month, key, near_pct, regency)
        levels[level] = frame
    _add_products_reported(levels["ambassador"], registry, month)
    return KpiResult(
        month=month,
        shops=levels["shop"],
        ambassadors=levels["ambassador"],
        villages=levels["village"],
        kecamatan=levels["kecamatan"],
        regency=levels["regency"],
        trend=_trend(labelled, month),
        top_products=products if products is not None else pd.DataFrame(),
        discipline=_discipline(registry, month),
    )


def _label_shops(
    registry: Registry, shop_months: pd.DataFrame, regency: str, phones: dict[str, str]
) -> pd.DataFrame:
    villages = {v.code: v for v in registry.villages}
    ambassadors = {a.ambassador_id: a for a in registry.ambassadors}
    rows = []
    for shop in registry.shops:
        village = villages[shop.village_code]
        rows.append(
            {
                "shop_id": shop.shop_id,
                "shop_name": shop.name,
                "marketplace": shop.marketplace.value,
                "owner_phone_masked": mask_phone(phones.get(shop.shop_id, "")),
                "ambassador_id": shop.ambassador_id,
                "ambassador_name": ambassadors[shop.ambassador_id].name,
                "village_code": shop.village_code,
                "village_name": village.name,
                "kecamatan": village.kecamatan,
                "regency": regency,
                "registered_on": shop.registered_on,
            }
        )
    return shop_months.merge(pd.DataFrame(rows), on="shop_id", how="inner")


def _shop_level(current: pd.DataFrame) -> pd.DataFrame:
    return current.drop(columns=["month", "registered_on"]).reset_index(drop=True)


def _roll_all(labelled: pd.DataFrame, key: str) -> pd.DataFrame:
    return labelled.groupby(["month", key], as_index=False)[list(FIGURES)].sum()


def _roll_up(current: pd.DataFrame, key: str, registry: Registry, month: str) -> pd.DataFrame:
    keep = {
        "ambassador_id": ["ambassador_name", "village_code", "village_name", "kecamatan"],
        "village_code": ["village_name", "kecamatan"],
    }.get(key, [])
    sums = current.groupby(key, as_index=False)[list(FIGURES)].sum()
    if keep:
        sums = sums.merge(current[[key, *keep]].drop_duplicates(key), on=key)
    shops = _shop_counts(current, key, month)
    return sums.merge(shops, on=key, how="left")


def _shop_counts(current: pd.DataFrame, key: str, month: str) -> pd.DataFrame:
    year, mon = (int(p) for p in month.split("-"))
    end = dt.date(year, mon, calendar.monthrange(year, mon)[1])
    start = dt.date(year, mon, 1)
    reg = current["registered_on"]
    flags = pd.DataFrame(
        {
            key: current[key],
            "shops_registered": reg.map(lambda d: d is None or d <= end).astype(int),
            "shops_new": reg.map(lambda d: d is not None and start <= d <= end).astype(int),
            "shops_active": (current["completed_orders"] > 0).astype(int),
        }
    )
    counts = flags.groupby(key, as_index=False).sum()
    share = counts["shops_active"] / counts["shops_registered"].where(
        counts["shops_registered"] > 0
    )
    counts["share_active"] = (share * 100).round(1).astype(object).where(share.notna(), None)
    return counts


def _with_trends(frame: pd.DataFrame, history: pd.DataFrame, month: str, key: str) -> pd.DataFrame:
    """prev_/mom_/ytd_ columns for every figure, added in one concat (pandas is slow per column)."""
    metrics = list(FIGURES)
    prev = history[history["month"] == previous_month(month)].set_index(key)[metrics]
    in_year = history[(history["month"] >= f"{month[:4]}-01") & (history["month"] <= month)]
    ytd = in_year.groupby(key)[metrics].sum()
    keys = frame[key]
    previous = prev.reindex(keys).fillna(0).astype(int).set_axis(frame.index)
    year_to_date = ytd.reindex(keys).fillna(0).astype(int).set_axis(frame.index)
    changes = {
        f"mom_{m}": [_change(c, p) for c, p in zip(frame[m], previous[m], strict=True)]
        for m in metrics
    }
    extra = pd.concat(
        [
            previous.add_prefix("prev_"),
            pd.DataFrame(changes, index=frame.index),
            year_to_date.add_prefix("ytd_"),
        ],
        axis=1,
    )
    return pd.concat([frame, extra], axis=1)


def _change(current: int, previous: int) -> float | str | None:
    """Percent change; a rise from zero is the text "baru", nothing to nothing is None."""
    if previous == 0:
        return "baru" if current > 0 else None
    return round((current - previous) / previous * 100, 1)


def _with_targets(
    frame: pd.DataFrame, registry: Registry, month: str, key: str, near_pct: float, regency: str
) -> pd.DataFrame:
    villages = {v.code: v for v in registry.villages}
    targets = [t for t in registry.targets if t.month == month]
    for target_name, figure in TARGET_FIGURES.items():
        totals: dict[str, int] = {}
        for t in targets:
            value = getattr(t, target_name)
            if value is None:
                continue
            village = villages[t.village_code]
            unit = {"village_code": village.code, "kecamatan": village.kecamatan}.get(key, regency)
            totals[unit] = totals.get(unit, 0) + value
        frame[f"target_{target_name}"] = frame[key].map(lambda k, s=totals: s.get(k))
        pct = [
            _pct(a, t) for a, t in zip(frame[figure], frame[f"target_{target_name}"], strict=True)
        ]
        frame[f"achievement_{target_name}_pct"] = pct
        frame[f"status_{target_name}"] = [_status(p, near_pct) for p in pct]
    return frame


def _pct(actual: int, target: object) -> float | None:
    if target is None or target != target or not target:
        return None
    return round(actual / float(target) * 100, 1)  # type: ignore[arg-type]


def _status(pct: float | None, near_pct: float) -> str:
    if pct is None:
        return "no_target"
    return "on_target" if pct >= 100 else ("near" if pct >= near_pct else "behind")


def _add_products_reported(frame: pd.DataFrame, registry: Registry, month: str) -> None:
    reported = {
        r.ambassador_id: r.products_uploaded or 0 for r in registry.form_reports if r.month == month
    }
    frame["products_reported"] = frame["ambassador_id"].map(reported).fillna(0).astype(int)


def _trend(labelled: pd.DataFrame, month: str) -> pd.DataFrame:
    window = months_back(month, 12)
    frames = []
    for level, key in {"shop": "shop_id", **LEVEL_COLUMNS}.items():
        rolled = _roll_all(labelled, key).rename(columns={key: "key"})
        rolled.insert(1, "level", level)
        frames.append(rolled)
    trend = pd.concat(frames, ignore_index=True)
    return trend[trend["month"].isin(window)].reset_index(drop=True)


def _discipline(registry: Registry, month: str) -> pd.DataFrame:
    filed = {r.ambassador_id: r for r in registry.form_reports if r.month == month}
    rows = []
    for a in registry.ambassadors:
        report = filed.get(a.ambassador_id)
        rows.append(
            {
                "ambassador_id": a.ambassador_id,
                "active": a.active,
                "filed": report is not None,
                "on_time": report is not None,
                "submitted_at": report.submitted_at if report else None,
            }
        )
    return pd.DataFrame(rows)


def fill_months(months: Sequence[str], shops: Sequence[str], value: int = 0) -> pd.DataFrame:
    """An all-`value` shop_months frame: a starting grid that tests overwrite cell by cell."""
    rows = [
        {"month": m, "shop_id": s, **dict.fromkeys(FIGURES, value)} for m in months for s in shops
    ]
    return pd.DataFrame(rows)
