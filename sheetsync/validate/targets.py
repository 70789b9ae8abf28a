"""The Target tab: what each village aims for in a month (one row per month and village).

Targets are compared with the month's figures, so a second row for the same month and
village is an error: which of the two counts would be a guess.
"""

from __future__ import annotations

from sheetsync.contract import DESA
from sheetsync.messages import IssueCode
from sheetsync.model import Target
from sheetsync.validate.context import Context
from sheetsync.validate.fields import count, month, required, rupiah
from sheetsync.validate.lookup import Index, check_reference
from sheetsync.validate.reading import Row


def validate_targets(ctx: Context, rows: list[Row], villages: Index) -> tuple[Target, ...]:
    targets: list[tuple[Row, Target]] = []
    first_rows: dict[tuple[str, str], int] = {}
    for row in rows:
        target_month = month(ctx, row, "Bulan")
        village = required(ctx, row, "Kode Desa")
        check_reference(ctx, row, "Kode Desa", villages, DESA, IssueCode.UNKNOWN_VILLAGE)
        shops, products, orders = (count(ctx, row, h) for h in ("Toko Baru", "Produk", "Transaksi"))
        sales = rupiah(ctx, row, "Penjualan (Rp)")
        if target_month and village:
            _check_target_once(ctx, row, (target_month, village), first_rows)
        target = Target(target_month or "", village or "", shops, products, orders, sales)
        targets.append((row, target))
    return tuple(t for row, t in targets if not ctx.has_errors(row))


def _check_target_once(
    ctx: Context, row: Row, key: tuple[str, str], first_rows: dict[tuple[str, str], int]
) -> None:
    if key in first_rows:
        ctx.flag(
            IssueCode.DUPLICATE_TARGET,
            row,
            "Kode Desa",
            month=ctx.month_text(key[0]),
            village=key[1],
            first_row=first_rows[key],
        )
    else:
        first_rows[key] = row.number
