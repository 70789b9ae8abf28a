"""The one status table: issue 2's rules and the extensions per marketplace."""

from __future__ import annotations

import pyarrow as pa
import pytest

from sheetsync.marketplaces.status import (
    STATUS_TABLE,
    classify_status,
    classify_statuses,
    status_table_markdown,
)
from sheetsync.model import Marketplace, OrderStatus

S, T, K, L, B = (Marketplace.SHOPEE, Marketplace.TOKOPEDIA, Marketplace.TIKTOK,
                 Marketplace.LAZADA, Marketplace.BUKALAPAK)  # fmt: skip


@pytest.mark.parametrize(
    ("market", "status", "return_status", "expected"),
    [
        (S, "Selesai", "", "completed"),
        (S, "Selesai", "Permintaan Disetujui", "returned"),
        (S, "Selesai", "Permintaan Dibatalkan", "completed"),
        (S, "Selesai", "Pengembalian Diproses", "completed"),
        (S, "Batal", "", "cancelled"),
        (S, "Belum Bayar", "", "unpaid"),
        (S, "Perlu Dikirim", "", "in_progress"),
        (S, "Telah Dikirim", "", "in_progress"),
        (S, "Pembatalan diajukan", "", "in_progress"),
        (S, "  selesai ", "", "completed"),
        (S, "Status Baru Shopee", "", "in_progress"),
        (T, "Pesanan Selesai", "", "completed"),
        (T, "Dibatalkan Pembeli", "", "cancelled"),
        (T, "Dibatalkan Sistem -\nTidak dibayar", "", "cancelled"),
        (T, "Dibatalkan Penjual\nStok habis", "", "cancelled"),
        (T, "Pesanan Tiba", "", "in_progress"),
        (T, "Selesai", "", "in_progress"),  # Shopee's word is not Tokopedia's
        (K, "Selesai", "", "completed"),
        (K, "Completed", "Return/Refund", "returned"),
        (K, "Dibatalkan", "Cancel", "cancelled"),
        (K, "Belum dibayar", "", "unpaid"),
        (K, "Delivered", "", "in_progress"),
        (L, "delivered", "", "completed"),
        (L, "canceled", "", "cancelled"),
        (L, "Package Returned", "", "returned"),
        (L, "ready_to_ship", "", "in_progress"),
        (B, "Diterima & Selesai", "", "completed"),
        (B, "Dikembalikan", "", "returned"),
        (B, "Dikirim", "", "in_progress"),
    ],
)
def test_classify_status(
    market: Marketplace, status: str, return_status: str, expected: str
) -> None:
    assert classify_status(market, status, return_status) == OrderStatus(expected)


def test_vectorised_classification_agrees_with_the_scalar_one() -> None:
    statuses = ["Selesai", "Selesai", "Batal", "Belum Bayar", "Selesai", "x"]
    returns = ["", "Permintaan Disetujui", "", "", "", ""]
    got = classify_statuses(S, pa.array(statuses), pa.array(returns)).to_pylist()
    assert got == [classify_status(S, s, r) for s, r in zip(statuses, returns, strict=True)]


def test_every_marketplace_has_each_final_class_and_the_table_is_documented() -> None:
    for market in Marketplace:
        classes = {r.kpi_class for r in STATUS_TABLE if r.marketplace is market}
        assert {OrderStatus.COMPLETED, OrderStatus.CANCELLED} <= classes
    text = status_table_markdown()
    assert text.count("\n") == len(STATUS_TABLE) + 3
    assert "| shopee | `Selesai` | equals | Permintaan Disetujui | returned |" in text
