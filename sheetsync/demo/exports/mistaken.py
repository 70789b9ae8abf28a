"""Files ambassadors send instead of an order export (wallet statements, fee reports, exports
of a shop in another country), and Excel's "Unicode Text": the readers must turn them away
with a clear message, never read them as orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sheetsync.demo.exports.files import (
    csv_bytes,
    write_table,
)
from sheetsync.demo.exports.shopee import SHOPEE_DATE
from sheetsync.demo.exports.specs import Cell, OrderLineSpec

# --------------------------------------------------------------------------- files sent by mistake

# Files ambassadors send instead of an order export. What they are is known (a wallet
# statement, a fee/income report, an export of a shop in another country); their exact
# headers are INFERRED, so the readers recognise them by telling words, never by position.
MISTAKEN_HEADERS: dict[str, tuple[str, ...]] = {
    "shopee_balance": ("Tanggal", "Jenis Transaksi", "Deskripsi", "No. Pesanan", "Jumlah",
                       "Status", "Saldo Akhir"),
    "tokopedia_balance": ("Tanggal", "Mutasi", "Keterangan", "Nominal (Rp)", "Saldo (Rp)"),
    "shopee_fees": ("No. Pesanan", "Tanggal Dana Dilepaskan", "Harga Asli Produk",
                    "Total Diskon Produk", "Biaya Administrasi", "Biaya Layanan",
                    "Biaya Proses Pesanan", "Total Penghasilan"),
    "shopee_vietnam": ("Mã đơn hàng", "Trạng Thái Đơn Hàng", "Ngày đặt hàng", "Tên sản phẩm",
                       "Số lượng", "Giá ưu đãi"),
    "shopee_taiwan": ("訂單編號", "訂單狀態", "訂單成立日期", "商品名稱", "數量", "商品活動價格"),
}  # fmt: skip
_MISTAKEN_TITLES: dict[str, list[list[Cell]]] = {
    "tokopedia_balance": [["Riwayat Saldo"], ["Toko Contoh"], [""]],
}


def mistaken_rows(kind: str, lines: Sequence[OrderLineSpec]) -> list[list[Cell]]:
    """Title rows (if any), the header and one row per line of a file that is not an
    Indonesian order export (`kind`: a key of MISTAKEN_HEADERS)."""
    rows: list[list[Cell]] = [*_MISTAKEN_TITLES.get(kind, []), list(MISTAKEN_HEADERS[kind])]
    for line in lines:
        amount = line.unit_price_idr * line.quantity
        when = line.created_at.strftime(SHOPEE_DATE)
        values: dict[str, list[Cell]] = {
            "shopee_balance": [when, "Penghasilan dari Pesanan", f"Pesanan {line.order_id}",
                               line.order_id, amount, "Selesai", amount * 3],
            "tokopedia_balance": [when, "Kredit", f"Transaksi {line.order_id}", amount,
                                  amount * 3],
            "shopee_fees": [line.order_id, when, amount, 0, amount // 20, amount // 50, 1250,
                            amount - amount // 20 - amount // 50 - 1250],
            "shopee_vietnam": [line.order_id, "Hoàn thành", when, line.product_name,
                               line.quantity, f"₫{line.unit_price_idr:,}".replace(",", ".")],
            "shopee_taiwan": [line.order_id, "已完成", when, line.product_name, line.quantity,
                              f"NT${line.unit_price_idr // 500}"],
        }  # fmt: skip
        rows.append(values[kind])
    return rows


def write_mistaken_file(
    path: Path,
    kind: str,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    encoding: str = "utf-8",
) -> Path:
    """A file sent by mistake (see MISTAKEN_HEADERS); Shopee Taiwan comes as Big5 CSV."""
    return write_table(path, mistaken_rows(kind, lines), fmt=fmt, encoding=encoding)


def unicode_text_bytes(rows: Sequence[Sequence[Cell]]) -> bytes:
    """What Excel's "Save As > Unicode Text" writes: UTF-16LE with a BOM, tab-separated."""
    return csv_bytes(rows, sep="\t").decode("utf-8").encode("utf-16")
