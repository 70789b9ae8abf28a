"""The Laporan Duta tab: ambassadors' monthly Google Forms responses, as staff receive them.

Most file on time, a few late, a few never, one twice, one too early; both spreadsheet
locales' timestamps; reported figures close to what the shops really did.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence

from sheetsync.contract import LAPORAN_DUTA
from sheetsync.demo.manifest import DemoMistake
from sheetsync.demo.people import DemoAmbassador, DemoShop
from sheetsync.demo.tabs import TabRows
from sheetsync.months import month_bounds, month_label, month_of

FORM_NOTES = (
    "",
    "Pelatihan foto produk di balai desa.",
    "Pendampingan pendaftaran toko baru.",
    "Sinyal internet lemah, kegiatan dipindah ke kantor desa.",
    "Workshop deskripsi produk bersama ibu-ibu PKK.",
    "",
)


def form_timestamp(moment: dt.datetime, us_locale: bool) -> str:
    """Google Forms timestamps as a sheet in Indonesian or US locale writes them."""
    if us_locale:
        return f"{moment.month}/{moment.day}/{moment.year} {moment:%H:%M:%S}"
    return f"{moment:%d/%m/%Y %H.%M.%S}"


def uploads_by_ambassador(
    shops: Sequence[DemoShop], months: Sequence[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """(ambassador, month) -> (shops registered, products first listed): what really happened,
    so the form figures ambassadors report are close to what the exports show."""
    truth: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for shop in shops:
        listed_before = 0
        for step, month in enumerate(months):
            start, end = month_bounds(month)
            if start.date() <= shop.registered_on < end.date():
                truth[(shop.ambassador_id, month)][0] += 1
            if (end - dt.timedelta(hours=3)).date() < shop.registered_on:
                continue
            size = len(shop.trade.products)
            live = max(1, -(-size * (step + 1) // len(months)))
            truth[(shop.ambassador_id, month)][1] += live - listed_before
            listed_before = live
    return {key: (value[0], value[1]) for key, value in truth.items()}


def laporan_rows(
    rng: random.Random,
    ambassadors: Sequence[DemoAmbassador],
    months: Sequence[str],
    today: dt.date,
    shops: Sequence[DemoShop] = (),
) -> tuple[TabRows, list[DemoMistake]]:
    """Form responses: most file on time, a few late, a few never, one twice, one too early.

    Nothing is filed after the demo's `today` (its programme day): a response that would
    come later has not been sent yet, so the only timestamps Validasi questions are the
    planted ones. Returns the tab and the reports that are missing (no row to point at),
    including those not sent by their due day.
    """
    truth = uploads_by_ambassador(shops, months)
    filings: list[tuple[dt.datetime, str, str, list[object]]] = []
    missing: list[DemoMistake] = []
    for m_index, month in enumerate(months):
        _, end = month_bounds(month)
        for a_index, a in enumerate(ambassadors):
            if not a.active or (a_index + m_index * 5) % 14 == 9:
                if a.active:
                    missing.append(
                        DemoMistake(
                            LAPORAN_DUTA.name,
                            None,
                            "ID Duta",
                            a.ambassador_id,
                            f"no report for {month}",
                            "warning",
                        )
                    )
                continue
            late = (a_index + m_index) % 13 == 4
            day = rng.randrange(6, 13) if late else rng.randrange(0, 4)
            moment = end + dt.timedelta(days=day, minutes=rng.randrange(7 * 60, 22 * 60))
            moment += dt.timedelta(seconds=rng.randrange(60))
            answers = report_row(rng, a.ambassador_id, month, truth.get((a.ambassador_id, month)))
            filings.append((moment, a.ambassador_id, month, answers))
    cutoff = dt.datetime.combine(today, dt.time())  # the demo's today: nothing filed after
    twice, again_after = ambassadors[1].ambassador_id, dt.timedelta(days=2, hours=3, seconds=17)
    twice_month, superseded = resubmitted_filing(filings, twice, months, cutoff - again_after)
    again = superseded + again_after
    filings.append(
        (
            again,
            twice,
            twice_month,
            report_row(rng, twice, twice_month, truth.get((twice, twice_month))),
        )
    )
    early_id, current = ambassadors[2].ambassador_id, month_of(today)
    early = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(16, 20, 5))
    filings.append((early, early_id, current, report_row(rng, early_id, current)))
    missing.extend(not_yet_filed(filings, cutoff, ambassadors, today))
    filings = sorted((f for f in filings if f[0] < cutoff), key=lambda filing: filing[0])
    tab = TabRows(LAPORAN_DUTA.name)
    for index, (moment, _, _, row) in enumerate(filings):
        tab.rows.append([form_timestamp(moment, us_locale=index % 7 == 3), *row])
        if moment == superseded:
            problem = "report filed again later for the same month (this one no longer counts)"
            tab.mistakes.append(
                DemoMistake(tab.tab, index + 2, "Bulan Laporan", str(row[1]), problem, "warning")
            )
        if moment == early:
            tab.mistakes.append(
                DemoMistake(
                    tab.tab,
                    index + 2,
                    "Bulan Laporan",
                    str(row[1]),
                    "report for a month not yet ended",
                    "warning",
                )
            )
    negative = next(i for i, f in enumerate(filings) if f[1] not in (twice, early_id))
    tab.plant(negative, "Jumlah Peserta", -12, "negative count", "error")
    return tab, missing


def resubmitted_filing(
    filings: Sequence[tuple[dt.datetime, str, str, list[object]]],
    ambassador_id: str,
    months: Sequence[str],
    latest: dt.datetime,
) -> tuple[str, dt.datetime]:
    """The month and time of the report `ambassador_id` files again: the newest month whose
    first filing leaves room for the second before `latest`."""
    for month in reversed(months):
        times = [f[0] for f in filings if f[1] == ambassador_id and f[2] == month]
        if times and max(times) < latest:
            return month, max(times)
    raise ValueError(f"no report of {ambassador_id} can be filed again before {latest}")


def not_yet_filed(
    filings: Sequence[tuple[dt.datetime, str, str, list[object]]],
    cutoff: dt.datetime,
    ambassadors: Sequence[DemoAmbassador],
    today: dt.date,
) -> list[DemoMistake]:
    """Reports that come after `cutoff` are not sent yet; past their due day they are missing."""
    active = {a.ambassador_id for a in ambassadors if a.active}
    return [
        DemoMistake(LAPORAN_DUTA.name, None, "ID Duta", who, f"no report for {month}", "warning")
        for moment, who, month, _ in filings
        if moment >= cutoff and who in active and today > report_due(month)
    ]


def report_due(month: str, due_day: int = 5) -> dt.date:
    """The last day a month's report is on time (config kpi.report_due_day, default 5)."""
    return month_bounds(month)[1].date().replace(day=due_day)


def report_row(
    rng: random.Random,
    ambassador_id: str,
    month: str,
    truth: tuple[int, int] | None = None,
) -> list[object]:
    """The answers of one form response (the Timestamp is put in front by the caller).

    With `truth` (shops registered, products listed) the reported figures are close to it:
    mostly exact, sometimes one off, now and then a clear over-report worth a follow-up.
    """
    label = month_label(month) if rng.random() < 0.8 else month
    activities, participants = rng.randrange(1, 7), rng.randrange(5, 61)
    shops_draw, products_draw = rng.randrange(0, 4), rng.randrange(0, 26)
    new_shops, products = shops_draw, products_draw % 7
    if truth is not None:
        new_shops = truth[0] + (1 if shops_draw == 3 else 0)
        products = max(0, truth[1] + (products_draw % 5 - 2 if products_draw % 4 == 0 else 0))
        products += 5 if products_draw == 25 else 0
    return [ambassador_id, label, activities, participants, new_shops, products,
            rng.choice(FORM_NOTES)]  # fmt: skip
