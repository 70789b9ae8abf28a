"""The Duta tab: the digital ambassadors, each in a village, with their contacts.

An ambassador's row is kept with only warnings (a phone or email that cannot be read is
left empty, an unreadable Aktif reads as active): their shops and reports still count.
"""

from __future__ import annotations

from sheetsync.contract import DESA, DUTA
from sheetsync.messages import IssueCode
from sheetsync.model import Ambassador
from sheetsync.validate.context import Context
from sheetsync.validate.fields import email, phone, required, yes_no
from sheetsync.validate.lookup import Entry, Index, check_reference, check_unique, mark_sound_rows
from sheetsync.validate.reading import Row
from sheetsync.validate.recipients import check_mail_name


def validate_ambassadors(ctx: Context, rows: list[Row], villages: Index) -> Index:
    index = Index()
    for row in rows:
        ambassador_id, name, village = (required(ctx, row, h) for h in DUTA.required)
        unique = bool(ambassador_id) and check_unique(ctx, row, "ID Duta", index)
        check_reference(ctx, row, "Kode Desa", villages, DESA, IssueCode.UNKNOWN_VILLAGE)
        record = Ambassador(
            ambassador_id or "",
            name or "",
            village or "",
            phone(ctx, row),
            email(ctx, row),
            yes_no(ctx, row, "Aktif", IssueCode.ACTIVE_INVALID, default=True),
            row.number,
        )
        if record.active and record.email:  # gets their own report by mail
            check_mail_name(ctx, row)
        if ambassador_id and unique:
            index.register(Entry(ambassador_id, name or "", row.number, False, record))
    mark_sound_rows(ctx, rows, index)
    return index
