"""Orders used across the reader tests: every status, multi-item orders, buyer data."""

from __future__ import annotations

import datetime as dt

from sheetsync.demo.exports import OrderLineSpec

T = dt.datetime(2026, 8, 31, 23, 59)
BUYER = {
    "buyer_name": "Siti Rahmawati Unik",
    "buyer_username": "sitirahma_unik77",
    "buyer_phone": "6281399887766",
    "buyer_address": "Jl. Kenanga Unik No. 99, Membalong",
}


def shopee_lines() -> list[OrderLineSpec]:
    """Six orders, eight lines: completed (2 lines), returned, cancelled, unpaid, shipping."""
    spec = dict(created_at=T, **BUYER)
    return [
        OrderLineSpec("260831AAAA0001", "Selesai", product_name="Kopi Luwak", quantity=2,
                      unit_price_idr=37200, original_price_idr=40000, variation="M",
                      sku="KOP-M", **spec),
        OrderLineSpec("260831AAAA0001", "Selesai", product_name="Kopi Luwak", quantity=1,
                      unit_price_idr=9500, variation="L", sku="KOP-L", **spec),
        OrderLineSpec("260831AAAA0002", "Selesai", product_name="=HYPERLINK(\"x\") Teh",
                      quantity=1, unit_price_idr=1250000, return_status="Permintaan Disetujui",
                      **spec),
        OrderLineSpec("260831AAAA0003", "Batal", product_name="Keripik", quantity=3,
                      unit_price_idr=15000, cancel_reason="Perlu mengubah alamat", **spec),
        OrderLineSpec("260831AAAA0004", "Belum Bayar", product_name="Madu", quantity=1,
                      unit_price_idr=85000, **spec),
        OrderLineSpec("260901AAAA0005", "Sedang Dikirim", product_name="Sambal Lingkong",
                      quantity=4, unit_price_idr=22500, created_at=dt.datetime(2026, 9, 1),
                      **BUYER),
        OrderLineSpec("260831AAAA0006", "Selesai", product_name="Kerupuk", quantity=1,
                      unit_price_idr=500, **spec),
    ]  # fmt: skip


def tokopedia_lines() -> list[OrderLineSpec]:
    spec = dict(created_at=T, **BUYER)
    return [
        OrderLineSpec("INV/20260831/MPL/00000001", "Pesanan Selesai", product_name="Kopi",
                      quantity=2, unit_price_idr=37200, **spec),
        OrderLineSpec("INV/20260831/MPL/00000001", "Pesanan Selesai", product_name="Gula",
                      quantity=1, unit_price_idr=18000, **spec),
        OrderLineSpec("INV/20260831/MPL/00000002", "Dibatalkan Penjual", product_name="Teh",
                      quantity=1, unit_price_idr=9500, cancel_reason="Stok habis", **spec),
        OrderLineSpec("INV/20260831/MPL/00000003", "Pesanan Dikirim", product_name="Madu",
                      quantity=1, unit_price_idr=85000, **spec),
    ]  # fmt: skip


def tiktok_lines() -> list[OrderLineSpec]:
    spec = dict(created_at=dt.datetime(2026, 8, 1, 9, 5, 7), **BUYER)
    return [
        OrderLineSpec("5770123456789012345", "Selesai", product_name="Kopi", quantity=2,
                      unit_price_idr=37200, variation="200g", **spec),
        OrderLineSpec("5770123456789012345", "Selesai", product_name="Gula", quantity=1,
                      unit_price_idr=18000, **spec),
        OrderLineSpec("577012345678901299", "Dibatalkan", product_name="Teh", quantity=1,
                      unit_price_idr=9500, **spec),
        OrderLineSpec("5770123456789012399", "Belum dibayar", product_name="Madu",
                      quantity=1, unit_price_idr=85000, **spec),
    ]  # fmt: skip
