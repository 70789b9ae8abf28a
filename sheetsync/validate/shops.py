"""The Toko tab: the marketplace shops, each with its village and ambassador.

ID Toko is also the name of the shop's folder in the inbox, so it must work as a folder
name, and every inbox folder should be an ID Toko. One shop registered under two IDs would
split its sales, so the later registration is flagged.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection

from sheetsync.contract import DESA, DUTA, TOKO, normalise_header
from sheetsync.messages import IssueCode
from sheetsync.model import MARKETPLACE_CHOICES, MARKETPLACE_LABELS, Marketplace, Shop
from sheetsync.validate.context import Context
from sheetsync.validate.fields import date, required
from sheetsync.validate.lookup import (
    Entry,
    Index,
    check_reference,
    check_unique,
    compact,
    mark_sound_rows,
)
from sheetsync.validate.reading import Row

# Names that work as a folder on Windows, macOS and Linux and in a synced drive.
FOLDER_SAFE = re.compile(r"^\w(?:[\w .()&+,'-]*[\w)])?$")


def validate_shops(ctx: Context, rows: list[Row], villages: Index, ambassadors: Index) -> Index:
    index = Index()
    seen_names: dict[tuple[Marketplace, str], tuple[int, str]] = {}
    for row in rows:
        shop_id, _, name, village, ambassador = (required(ctx, row, h) for h in TOKO.required)
        marketplace = _marketplace(ctx, row)
        unique = bool(shop_id) and check_unique(ctx, row, "ID Toko", index)
        _check_folder_name(ctx, row)
        check_reference(ctx, row, "Kode Desa", villages, DESA, IssueCode.UNKNOWN_VILLAGE)
        check_reference(ctx, row, "ID Duta", ambassadors, DUTA, IssueCode.UNKNOWN_AMBASSADOR)
        registered = date(ctx, row, "Tanggal Daftar")
        if marketplace and name and unique:
            _check_same_shop(ctx, row, (marketplace, compact(name)), seen_names)
        record = Shop(
            shop_id or "",
            marketplace or Marketplace.SHOPEE,
            name or "",
            row.text("Pemilik"),
            village or "",
            ambassador or "",
            registered,
        )
        if shop_id and unique:
            index.register(Entry(shop_id, name or "", row.number, False, record))
    mark_sound_rows(ctx, rows, index)
    return index


def check_inbox_folders(ctx: Context, folders: Collection[str], shops: Index) -> None:
    """Each inbox folder should be an ID Toko (unless the Toko tab itself could not be read:
    its own issue says so, and flagging every folder would bury it)."""
    if ctx.unreadable(TOKO.name):
        return
    for folder in sorted(folders):
        if folder.startswith(".") or folder in shops.entries:
            continue
        ctx.add(
            IssueCode.INBOX_FOLDER_UNKNOWN,
            f"inbox/{folder}",
            None,
            None,
            folder,
            suggestion=ctx.suggestion(shops.suggest(folder)),
        )


def _check_folder_name(ctx: Context, row: Row) -> None:
    """ID Toko is the name of the shop's inbox folder; some text can never be one."""
    shop_id = row.text("ID Toko")
    if shop_id and not FOLDER_SAFE.match(shop_id):
        ctx.flag(IssueCode.SHOP_ID_NOT_FOLDER, row, "ID Toko")


def _marketplace(ctx: Context, row: Row) -> Marketplace | None:
    text = row.text("Marketplace")
    if not text:
        return None
    found = MARKETPLACE_LABELS.get(normalise_header(text))
    if found is None:
        close = difflib.get_close_matches(
            text.casefold(), [c.casefold() for c in MARKETPLACE_CHOICES], n=1, cutoff=0.6
        )
        names = [c for c in MARKETPLACE_CHOICES if c.casefold() in close]
        ctx.flag(
            IssueCode.MARKETPLACE_INVALID,
            row,
            "Marketplace",
            suggestion=ctx.suggestion(names),
            choices=", ".join(MARKETPLACE_CHOICES),
        )
    return found


def _check_same_shop(
    ctx: Context,
    row: Row,
    key: tuple[Marketplace, str],
    seen: dict[tuple[Marketplace, str], tuple[int, str]],
) -> None:
    """One shop under two IDs would split its sales: flag the later registration."""
    if key in seen:
        first_row, first_id = seen[key]
        label = MARKETPLACE_CHOICES[list(Marketplace).index(key[0])]
        ctx.flag(
            IssueCode.DUPLICATE_SHOP,
            row,
            "Nama Toko",
            marketplace=label,
            first_row=first_row,
            first_id=first_id,
        )
    else:
        seen[key] = (row.number, row.text("ID Toko"))
