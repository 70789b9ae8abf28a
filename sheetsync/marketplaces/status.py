"""Every marketplace status, mapped to one of the five KPI classes, in ONE table.

Officials read KPIs built on this mapping, so it lives in one place that docs/kpi.md and
docs/marketplaces.md print verbatim (`status_table_markdown`). Rows are matched on the
first line of the status cell (Tokopedia writes "Dibatalkan Pembeli -\\nreason"), case-
and space-insensitively, exactly or by prefix; the first matching row wins, anything
unmatched is "in progress" (the safe class: never counted as a sale, never as a loss).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from sheetsync.issues import Issue, Severity
from sheetsync.messages import IngestCode, message
from sheetsync.model import Marketplace, OrderStatus

C, X, R, U, P = (
    OrderStatus.COMPLETED,
    OrderStatus.CANCELLED,
    OrderStatus.RETURNED,
    OrderStatus.UNPAID,
    OrderStatus.IN_PROGRESS,
)
SHOPEE, TOKOPEDIA, TIKTOK, LAZADA, BUKALAPAK = (
    Marketplace.SHOPEE,
    Marketplace.TOKOPEDIA,
    Marketplace.TIKTOK,
    Marketplace.LAZADA,
    Marketplace.BUKALAPAK,
)


@dataclass(frozen=True, slots=True)
class StatusRule:
    """One row of the table: `status` matches the whole cell, or its start if `prefix`.

    `return_status` (when set) must also match the return-status cell, so a rule such as
    Shopee "Selesai" + "Permintaan Disetujui" -> returned sits above plain "Selesai".
    """

    marketplace: Marketplace
    status: str
    kpi_class: OrderStatus
    note: str
    prefix: bool = False
    return_status: str | None = None


STATUS_TABLE: tuple[StatusRule, ...] = (
    # Shopee: "Status Pesanan" (+ "Status Pembatalan/ Pengembalian"); confirmed by real files.
    StatusRule(
        SHOPEE,
        "Selesai",
        R,
        "selesai, tetapi pengembalian disetujui",
        False,
        "Permintaan Disetujui",
    ),
    StatusRule(SHOPEE, "Selesai", C, "dana diteruskan ke penjual"),
    StatusRule(SHOPEE, "Batal", X, "dibatalkan pembeli, penjual atau sistem"),
    StatusRule(SHOPEE, "Belum Bayar", U, "pembeli belum membayar"),
    StatusRule(SHOPEE, "Perlu Dikirim", P, "sudah dibayar, menunggu dikirim"),
    StatusRule(SHOPEE, "Sedang Dikirim", P, "di kurir"),
    StatusRule(SHOPEE, "Telah Dikirim", P, "sampai, menunggu konfirmasi pembeli"),
    StatusRule(SHOPEE, "Pesanan Diterima", P, "arti belum dikonfirmasi"),
    StatusRule(
        SHOPEE,
        "Pesanan diterima, namun Pembeli masih dapat mengajukan pengembalian",
        P,
        "diterima, masa pengembalian masih berjalan (kalimat berisi tanggal)",
        True,
    ),
    StatusRule(SHOPEE, "Pembatalan diajukan", P, "bisa berubah menjadi Batal"),
    # Tokopedia (legacy seller centre): "Status Terakhir", cut at the first newline / " -".
    StatusRule(TOKOPEDIA, "Pesanan Selesai", C, "confirmed"),
    StatusRule(TOKOPEDIA, "Dibatalkan", X, "Dibatalkan Pembeli/Penjual/Sistem", True),
    StatusRule(TOKOPEDIA, "Transaksi selesai", C, "ekspor lama (kalimat)", True),
    StatusRule(TOKOPEDIA, "Transaksi dibatalkan", X, "ekspor lama (kalimat)", True),
    StatusRule(TOKOPEDIA, "Pesanan Diproses", P, "confirmed"),
    StatusRule(TOKOPEDIA, "Menunggu Pickup", P, "confirmed"),
    StatusRule(TOKOPEDIA, "Menunggu Pick Up", P, "ejaan di file asli"),
    StatusRule(TOKOPEDIA, "Pesanan Dikomplain", P, "komplain pembeli, masih terbuka"),
    StatusRule(TOKOPEDIA, "Pesanan Dikirim", P, "confirmed"),
    StatusRule(TOKOPEDIA, "Pesanan Tiba", P, "confirmed"),
    # TikTok Shop / Tokopedia integrated seller centre: "Order Status" (+ return type).
    StatusRule(TIKTOK, "Selesai", R, "retur/refund (belum dikonfirmasi)", False, "Return/Refund"),
    StatusRule(TIKTOK, "Completed", R, "retur/refund (belum dikonfirmasi)", False, "Return/Refund"),
    StatusRule(TIKTOK, "Selesai", C, "confirmed (ID)"),
    StatusRule(TIKTOK, "Completed", C, "confirmed (EN)"),
    StatusRule(TIKTOK, "Dibatalkan", R, "retur/refund setelah diterima", False, "Return/Refund"),
    StatusRule(TIKTOK, "Cancelled", R, "retur/refund setelah diterima", False, "Return/Refund"),
    StatusRule(TIKTOK, "Dibatalkan", X, "dibatalkan sebelum dikirim", False, "Cancel"),
    StatusRule(TIKTOK, "Dibatalkan", X, "confirmed (ID)"),
    StatusRule(TIKTOK, "Cancelled", X, "confirmed (EN)"),
    StatusRule(TIKTOK, "Canceled", X, "ejaan AS"),
    StatusRule(TIKTOK, "Belum dibayar", U, "confirmed (ID)"),
    StatusRule(TIKTOK, "Unpaid", U, "confirmed (EN)"),
    StatusRule(TIKTOK, "Perlu dikirim", P, "confirmed (ID)"),
    StatusRule(TIKTOK, "Dikirim", P, "confirmed (ID)"),
    StatusRule(TIKTOK, "Awaiting Shipment", P, "confirmed (EN)"),
    StatusRule(TIKTOK, "Awaiting Collection", P, "confirmed (EN)"),
    StatusRule(TIKTOK, "In Transit", P, "confirmed (EN)"),
    StatusRule(TIKTOK, "Delivered", P, "sampai, belum selesai (EN)"),
    # Lazada: machine codes in "status"; which one means "sold" is NOT confirmed.
    StatusRule(LAZADA, "confirmed", C, "pembeli mengonfirmasi (belum dikonfirmasi)"),
    StatusRule(LAZADA, "delivered", C, "terkirim (belum dikonfirmasi)"),
    StatusRule(LAZADA, "canceled", X, "confirmed"),
    StatusRule(LAZADA, "cancelled", X, "ejaan lain"),
    StatusRule(LAZADA, "returned", R, "confirmed"),
    StatusRule(LAZADA, "Package Returned", R, "confirmed"),
    StatusRule(LAZADA, "In Transit: Returning to seller", R, "kembali ke penjual"),
    StatusRule(LAZADA, "Lost by 3PL", X, "hilang di kurir: bukan penjualan"),
    StatusRule(LAZADA, "Damaged by 3PL", X, "rusak di kurir: bukan penjualan"),
    StatusRule(LAZADA, "Package scrapped", X, "dimusnahkan: bukan penjualan"),
    StatusRule(LAZADA, "unpaid", U, "belum dikonfirmasi"),
    StatusRule(LAZADA, "pending", P, "belum dikonfirmasi"),
    StatusRule(LAZADA, "ready_to_ship", P, "confirmed"),
    StatusRule(LAZADA, "shipped", P, "confirmed"),
    # Bukalapak (historical only; marketplace closed Feb 2025): "Status".
    StatusRule(BUKALAPAK, "Diterima & Selesai", C, "confirmed"),
    StatusRule(BUKALAPAK, "Selesai", C, "belum dikonfirmasi", True),
    StatusRule(BUKALAPAK, "Dikembalikan", R, "retur/refund, confirmed"),
    StatusRule(BUKALAPAK, "Dibatalkan", X, "belum dikonfirmasi", True),
    StatusRule(BUKALAPAK, "Menunggu Pembayaran", U, "belum dikonfirmasi"),
    StatusRule(BUKALAPAK, "Diproses Pelapak", P, "confirmed"),
    StatusRule(BUKALAPAK, "Dikirim", P, "confirmed"),
)

_SPACES = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def status_first_line(status_raw: str) -> str:
    """The status part of a cell: first line, cut before " -" (Tokopedia adds the reason)."""
    first = status_raw.replace("\r", "\n").split("\n", 1)[0]
    return first.split(" -", 1)[0].strip()


def _status_matches(rule: StatusRule, status: str) -> bool:
    wanted = _key(rule.status)
    return status.startswith(wanted) if rule.prefix else status == wanted


def _rule_matches(rule: StatusRule, status: str, return_status: str) -> bool:
    hit = _status_matches(rule, status)
    if rule.return_status is not None:
        hit = hit and return_status == _key(rule.return_status)
    return hit


def classify_status(
    marketplace: Marketplace | str, status_raw: str, return_status_raw: str = ""
) -> OrderStatus:
    """The KPI class of one status; unknown statuses are in progress (never a sale)."""
    market = Marketplace(marketplace)
    status = _key(status_first_line(status_raw or ""))
    return_status = _key(return_status_raw or "")
    for rule in STATUS_TABLE:
        if rule.marketplace is market and _rule_matches(rule, status, return_status):
            return rule.kpi_class
    return OrderStatus.IN_PROGRESS


def is_known_status(marketplace: Marketplace | str, status_raw: str) -> bool:
    """Whether a row of the table names this status (whatever the return status): an
    unknown one is counted as in progress by the catch-all, and must be seen."""
    market = Marketplace(marketplace)
    status = _key(status_first_line(status_raw or ""))
    return any(r.marketplace is market and _status_matches(r, status) for r in STATUS_TABLE)


def classify_statuses(
    marketplace: Marketplace, status_raw: pa.Array, return_status_raw: pa.Array
) -> pa.Array:
    """Vectorised `classify_status`: each distinct (status, return status) pair once."""
    statuses, returns = status_raw.dictionary_encode(), return_status_raw.dictionary_encode()
    return classify_encoded(
        marketplace, statuses.indices, statuses.dictionary, returns.indices, returns.dictionary
    )


def classify_encoded(
    marketplace: Marketplace,
    status_codes: pa.Array,
    status_names: pa.Array,
    return_codes: pa.Array,
    return_names: pa.Array,
) -> pa.Array:
    """`classify_statuses` of columns given as codes into their names (a name may stand
    twice: each pair is classified by its text).

    With few distinct values (the usual file) every combination is classified and each
    line looks its pair up; otherwise only the pairs that occur are (no table of all)."""
    width = max(len(return_names), 1)
    pairs = status_codes.to_numpy().astype("int64") * width + return_codes.to_numpy()
    names = status_names.to_pylist(), return_names.to_pylist()
    combinations = len(names[0]) * width
    if combinations <= max(len(pairs), 1):
        table = [_class_text(marketplace, names[0][c // width], names[1][c % width])
                 for c in range(combinations)]  # fmt: skip
        return pa.array(table, pa.string()).take(pa.array(pairs))
    uniques, back = np.unique(pairs, return_inverse=True)
    classes = [_class_text(marketplace, names[0][c // width], names[1][c % width])
               for c in uniques]  # fmt: skip
    return pa.array(classes, pa.string()).take(pa.array(back.reshape(-1)))


@functools.lru_cache(maxsize=4096)
def _class_text(marketplace: Marketplace, status_raw: str, return_status_raw: str) -> str:
    """`classify_status` as text, remembered: every file of a shop holds the same few
    statuses, and going down the table is most of what classifying costs."""
    return str(classify_status(marketplace, status_raw, return_status_raw))


UNKNOWN_STATUS = str(IngestCode.STATUS_UNKNOWN)


def unknown_status_issues(
    counts: Iterable[tuple[str, str, int]], language: str = "id"
) -> list[Issue]:
    """One warning per (marketplace, status text) the table does not know, with how many
    lines carry it: those lines are counted as in progress until the table learns it.
    `language`: the one the message is worded in ([program] language)."""
    issues = []
    for marketplace, status, lines in counts:
        if not status or is_known_status(marketplace, status):
            continue
        text = message(
            UNKNOWN_STATUS, language, marketplace=marketplace, status=status, lines=lines
        )
        issues.append(Issue(UNKNOWN_STATUS, Severity.WARNING, f"ekspor {marketplace}", None,
                            "status", status, text))  # fmt: skip
    return issues


def status_table_markdown() -> str:
    """The table as Markdown, for docs/kpi.md and docs/marketplaces.md."""
    lines = [
        "| marketplace | status (first line of cell) | match | return status | KPI class | note |",
        "|---|---|---|---|---|---|",
    ]
    for rule in STATUS_TABLE:
        match = "starts with" if rule.prefix else "equals"
        lines.append(
            f"| {rule.marketplace} | `{rule.status}` | {match} | {rule.return_status or ''} "
            f"| {rule.kpi_class} | {rule.note} |"
        )
    lines.append("| any | anything else | | | in_progress | never a sale, never a loss |")
    return "\n".join(lines) + "\n"
