"""PURE: staff tabs as text -> (Registry of rows without errors, ValidationReport).

Every rule of the workbook contract is checked lazily: all problems of all tabs are
collected as `Issue`s, nothing is raised, and the input tables are only read. A row with an
error is left out of the Registry (so KPIs never roll up by a broken row); a row with only
warnings is kept. Names typed where a code belongs get a suggestion ("Maksud Anda Air Seruk
(19.02.04.2004)?") but are never rewritten: staff stay the owners of their data.

Tabs are validated in dependency order (Desa, Duta, Toko, Target, Laporan Duta, Penerima)
so a reference can tell "no such code" from "that row has errors of its own"; each tab's
rules live in a module of its own beside this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from sheetsync.contract import DESA, DUTA, LAPORAN_DUTA, PENERIMA, TARGET, TOKO
from sheetsync.issues import ValidationReport
from sheetsync.model import Ambassador, Registry, Shop, Village
from sheetsync.tabs import SheetTable
from sheetsync.validate.ambassadors import validate_ambassadors
from sheetsync.validate.context import Context
from sheetsync.validate.form_reports import validate_form_reports
from sheetsync.validate.reading import read_tab
from sheetsync.validate.recipients import validate_recipient_rows
from sheetsync.validate.shops import check_inbox_folders, validate_shops
from sheetsync.validate.targets import validate_targets
from sheetsync.validate.villages import validate_villages


def validate_workbook(
    tables: Mapping[str, SheetTable],
    *,
    as_of: dt.datetime,
    language: str = "id",
    inbox_folders: Collection[str] = (),
) -> tuple[Registry, ValidationReport]:
    """Validate every staff tab; return the rows without errors and every issue found.

    `as_of` is the sync time (naive, programme local time): dates after it are in the
    future. `inbox_folders` are the names of the folders under the inbox, each of which
    should be an ID Toko. Never raises on any cell text and never changes `tables`.
    """
    ctx = Context(as_of=as_of, language=language)
    villages = validate_villages(ctx, read_tab(ctx, DESA, tables))
    ambassadors = validate_ambassadors(ctx, read_tab(ctx, DUTA, tables), villages)
    shops = validate_shops(ctx, read_tab(ctx, TOKO, tables), villages, ambassadors)
    targets = validate_targets(ctx, read_tab(ctx, TARGET, tables), villages)
    reports = validate_form_reports(ctx, read_tab(ctx, LAPORAN_DUTA, tables), ambassadors)
    recipients = validate_recipient_rows(
        ctx, read_tab(ctx, PENERIMA, tables), villages, ambassadors
    )
    check_inbox_folders(ctx, inbox_folders, shops)
    registry = Registry(
        villages=villages.records(Village),
        ambassadors=ambassadors.records(Ambassador),
        shops=shops.records(Shop),
        targets=targets,
        form_reports=reports,
        recipients=recipients,
    )
    return registry, ctx.report
