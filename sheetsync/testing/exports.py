"""Write marketplace seller-centre exports in their real layouts, for tests and the demo.

The layouts follow ../shared/reference/marketplace-exports.md column for column: every
column in its place, order-level columns repeated on each item line, buyer fields filled
(so privacy tests can grep for them), and the quirks people meet when a file is re-saved
(BOM, `;` or tab separators, Windows-1252, money styles, Excel serial dates, apostrophe
ids). Readers must cope with every file written here; nothing here reads files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

Cell = str | int | float | dt.datetime | None


@dataclass(frozen=True)
class OrderLineSpec:
    """One item line of an order, in marketplace-neutral terms."""

    order_id: str
    status: str  # the marketplace's own status text, e.g. "Selesai", "Dibatalkan Pembeli"
    created_at: dt.datetime  # Shopee creation time; for Tokopedia written as payment time
    product_name: str
    quantity: int
    unit_price_idr: int  # price after product discount
    original_price_idr: int | None = None
    variation: str = ""
    sku: str = ""
    paid_at: dt.datetime | None = None
    return_status: str = ""  # Shopee "Status Pembatalan/ Pengembalian"
    buyer_name: str = "Budi Santoso"
    buyer_username: str = "budi88"
    buyer_phone: str = "6281234567890"
    buyer_address: str = "Jl. Melati No. 3, Tanjung Pandan"
    completed_at: dt.datetime | None = None  # written where the layout has a completion time
    cancel_reason: str = ""
    seller_voucher_idr: int = 0  # the seller's voucher on this item (Lazada paidPrice)


@dataclass(frozen=True)
class ProductSpec:
    """One variation of a listed product (listing exports: one row per variation)."""

    product_id: str
    product_name: str
    variation_id: str = ""
    variation: str = ""
    parent_sku: str = ""
    sku: str = ""
    price_idr: int = 10000
    stock: int = 10


# --------------------------------------------------------------------------- Shopee headers

SHOPEE_HEADERS_2025: tuple[str, ...] = (
    "No. Pesanan",
    "Status Pesanan",
    "Alasan Pembatalan",
    "Status Pembatalan/ Pengembalian",
    "No. Resi",
    "Opsi Pengiriman",
    "Antar ke counter/ pick-up",
    "Pesanan Harus Dikirimkan Sebelum (Menghindari keterlambatan)",
    "Waktu Pengiriman Diatur",
    "Waktu Pesanan Dibuat",
    "Waktu Pembayaran Dilakukan",
    "Metode Pembayaran",
    "SKU Induk",
    "Nama Produk",
    "Nomor Referensi SKU",
    "Nama Variasi",
    "Harga Awal",
    "Harga Setelah Diskon",
    "Jumlah",
    "Returned quantity",
    "Total Harga Produk",
    "Total Diskon",
    "Diskon Dari Penjual",
    "Diskon Dari Shopee",
    "Berat Produk",
    "Jumlah Produk di Pesan",
    "Total Berat",
    "Voucher Ditanggung Penjual",
    "Cashback Koin",
    "Voucher Ditanggung Shopee",
    "Paket Diskon",
    "Paket Diskon (Diskon dari Shopee)",
    "Paket Diskon (Diskon dari Penjual)",
    "Potongan Koin Shopee",
    "Diskon Kartu Kredit",
    "Ongkos Kirim Dibayar oleh Pembeli",
    "Estimasi Potongan Biaya Pengiriman",
    "Ongkos Kirim Pengembalian Barang",
    "Total Pembayaran",
    "Perkiraan Ongkos Kirim",
    "Catatan dari Pembeli",
    "Catatan",
    "Username (Pembeli)",
    "Nama Penerima",
    "No. Telepon",
    "Alamat Pengiriman",
    "Kota/Kabupaten",
    "Provinsi",
    "Waktu Pesanan Selesai",
)
_NOT_IN_2021 = {
    "Metode Pembayaran",
    "Returned quantity",
    "Estimasi Potongan Biaya Pengiriman",
    "Ongkos Kirim Pengembalian Barang",
}
SHOPEE_HEADERS_2021: tuple[str, ...] = tuple(
    h for h in SHOPEE_HEADERS_2025 if h not in _NOT_IN_2021
)
# 2026 (51 columns, the order of a fixture that copies a real export): no
# "Alasan Pembatalan", "Total Harga Produk" renamed "Subtotal Pesanan", three columns added.
SHOPEE_HEADERS_2026: tuple[str, ...] = (
    "No. Pesanan",
    "Status Pesanan",
    "Shipped by Advance Fulfilment",
    "Booking SN",
    "Status Pembatalan/ Pengembalian",
    "No. Resi",
    "Opsi Pengiriman",
    "Antar ke counter/ pick-up",
    "Pesanan Harus Dikirimkan Sebelum (Menghindari keterlambatan)",
    "Waktu Pengiriman Diatur",
    "Waktu Pesanan Dibuat",
    "Waktu Pembayaran Dilakukan",
    "Tipe Pesanan",
    "Metode Pembayaran",
    *SHOPEE_HEADERS_2025[12:20],
    "Subtotal Pesanan",
    *SHOPEE_HEADERS_2025[21:],
)
# The 50-column 2026 export of a real June 2026 file ("Waktu Pesanan Selesai" is column AX).
SHOPEE_HEADERS_2026_50: tuple[str, ...] = tuple(h for h in SHOPEE_HEADERS_2026 if h != "Booking SN")
# 2019-2020 .xls: 44 columns (S12 counts 44 in Order.*.xls). Which column the 45-column
# layout added is not known; "Antar ke counter/ pick-up" is left out here (inferred).
SHOPEE_HEADERS_2019: tuple[str, ...] = tuple(
    h for h in SHOPEE_HEADERS_2021 if h != "Antar ke counter/ pick-up"
)
SHOPEE_LAYOUTS: dict[str, tuple[str, ...]] = {
    "2019": SHOPEE_HEADERS_2019,
    "2021": SHOPEE_HEADERS_2021,
    "2025": SHOPEE_HEADERS_2025,
    "2026": SHOPEE_HEADERS_2026,
    "2026-50": SHOPEE_HEADERS_2026_50,
}

TOKOPEDIA_HEADERS: tuple[str, ...] = (
    "Nomor",
    "Nomor Invoice",
    "Tanggal Pembayaran",
    "Status Terakhir",
    "Tanggal Pesanan Selesai",
    "Waktu Pesanan Selesai",
    "Tanggal Pesanan Dibatalkan",
    "Waktu Pesanan Dibatalkan",
    "Nama Produk",
    "Tipe Produk",
    "Nomor SKU",
    "Catatan Produk Pembeli",
    "Catatan Produk Penjual",
    "Jumlah Produk Dibeli",
    "Harga Awal (IDR)",
    "Harga Satuan Bundling (IDR)",
    "Diskon Produk (IDR)",
    "Harga Jual (IDR)",
    "Jumlah Subsidi Tokopedia (IDR)",
    "Nilai Kupon Toko Terpakai (IDR)",
    "Jenis Kupon Toko Terpakai",
    "Kode Kupon Toko Yang Digunakan",
    "Biaya Pengiriman Tunai (IDR)",
    "Biaya Asuransi Pengiriman (IDR)",
    "Total Biaya Pengiriman (IDR)",
    "Total Penjualan (IDR)",
    "Nama Pembeli",
    "No Telp Pembeli",
    "Nama Penerima",
    "No Telp Penerima",
    "Alamat Pengiriman",
    "Kota",
    "Provinsi",
    "Nama Kurir",
    "Tipe Pengiriman (regular, same day, etc)",
    "No Resi / Kode Booking",
    "Tanggal Pengiriman Barang",
    "Waktu Pengiriman Barang",
    "Gudang Pengiriman",
    "Nama Campaign",
    "Nama Bundling",
    "Tipe Bebas Ongkir (Bebas Ongkir, Bebas Ongkir DT)",
    "COD",
    "Jumlah Produk Yang Dikurangkan",
    "Total Pengurangan (IDR)",
    "Nama Penawaran Terpakai",
    "Tingkatan Promosi Terpakai",
    "Diskon Penawaran Terpakai (IDR)",
)

# --------------------------------------------------------------------------- value styles

MONEY_STYLES = ("dots", "rp", "plain", "en", "decimal", "number")
DATE_STYLES = ("native", "excel", "dmy")


def format_money(amount: int, style: str) -> Cell:
    """Rupiah the way each kind of file shows it ("number" stays a numeric cell)."""
    grouped = f"{amount:,}"
    match style:
        case "dots":
            return grouped.replace(",", ".")
        case "rp":
            return "Rp " + grouped.replace(",", ".")
        case "plain":
            return str(amount)
        case "en":
            return f"{amount:,}.00"
        case "decimal":
            return f"{amount}.00"
        case "number":
            return amount
    raise ValueError(f"unknown money style {style!r}; choose from {MONEY_STYLES}")


EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def excel_serial(moment: dt.datetime) -> float:
    """The number Excel stores for a date-time (days since 1899-12-30)."""
    return round((moment - EXCEL_EPOCH) / dt.timedelta(days=1), 8)


def format_date(moment: dt.datetime | None, native: str, style: str) -> Cell:
    """A date-time in the marketplace's own text form, or as Excel re-saves it."""
    if moment is None:
        return "-" if native.startswith("%Y") else ""
    match style:
        case "native":
            return moment.strftime(native)
        case "excel":
            return moment  # a real date cell in XLSX, a serial number in CSV
        case "dmy":
            return moment.strftime("%d/%m/%Y %H:%M")
    raise ValueError(f"unknown date style {style!r}; choose from {DATE_STYLES}")


# --------------------------------------------------------------------------- file writers


def write_table(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    fmt: str,
    sheet: str = "Sheet1",
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """Write rows (title rows and header included) as XLSX, old XLS or CSV."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path.write_bytes(xlsx_bytes(rows, sheet=sheet))
    elif fmt == "xls":
        path.write_bytes(xls_bytes(rows, sheet=sheet))
    elif fmt == "csv":
        path.write_bytes(csv_bytes(rows, sep=sep, bom=bom, encoding=encoding))
    else:
        raise ValueError(f"unknown format {fmt!r}; choose xlsx, xls or csv")
    return path


def xlsx_bytes(rows: Sequence[Sequence[Cell]], *, sheet: str = "Sheet1") -> bytes:
    """An .xlsx with one sheet; text stays text (never a formula, number or link)."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}
    with xlsxwriter.Workbook(buffer, options) as book:
        # a fixed creation stamp: the same rows give the same bytes (and the same sha256)
        book.set_properties({"created": dt.datetime(2026, 1, 1)})
        worksheet = book.add_worksheet(sheet)
        date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write_cell(worksheet, r, c, value, date_format)
    return buffer.getvalue()


def xls_bytes(rows: Sequence[Sequence[Cell]], *, sheet: str = "Sheet1") -> bytes:
    """A real Excel 97-2003 .xls (BIFF8, an OLE2 file), as Shopee exported until about
    2020. Needs xlwt (a test-only dependency: the project itself only reads .xls)."""
    import xlwt  # type: ignore[import-untyped,unused-ignore]

    book = xlwt.Workbook(encoding="utf-8")
    worksheet = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                worksheet.write(r, c, value, date_style)
            elif value is not None and value != "":
                worksheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_cell(worksheet: Worksheet, r: int, c: int, value: Cell, date_format: Format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.datetime):
        worksheet.write_datetime(r, c, value, date_format)
    elif isinstance(value, int | float):
        worksheet.write_number(r, c, value)
    else:
        worksheet.write_string(r, c, value)


def csv_bytes(
    rows: Sequence[Sequence[Cell]], *, sep: str = ",", bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    """CSV as a person's spreadsheet program re-saves it (BOM, separator, encoding)."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=sep, lineterminator="\r\n")
    writer.writerows([[_csv_text(v) for v in row] for row in rows])
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return repr(excel_serial(value))
    return str(value)


def _stable_number(text: str, digits: int) -> str:
    """Digits derived from `text`, the same in every run (files must be reproducible)."""
    return f"{zlib.crc32(text.encode()) % 10**digits:0{digits}d}"


def _orders(lines: Iterable[OrderLineSpec]) -> dict[str, list[OrderLineSpec]]:
    """Lines grouped by order, in the order orders first appear."""
    grouped: dict[str, list[OrderLineSpec]] = {}
    for line in lines:
        grouped.setdefault(line.order_id, []).append(line)
    return grouped


# --------------------------------------------------------------------------- Shopee orders

SHOPEE_DATE = "%Y-%m-%d %H:%M"
_PAY_DELAY = dt.timedelta(minutes=5)


def shopee_rows(
    lines: Sequence[OrderLineSpec],
    *,
    layout: str = "2025",
    money: str = "dots",
    dates: str = "native",
    apostrophe_ids: bool = False,
    continuation: bool = False,
) -> list[list[Cell]]:
    """Header + one row per item line of a Shopee "Pesanan Saya" export. `continuation`:
    as the older .xls exports, an order's later item rows carry the product columns only."""
    headers = SHOPEE_LAYOUTS[layout]
    rows: list[list[Cell]] = [list(headers)]
    for order in _orders(lines).values():
        for position, line in enumerate(order):
            values = _shopee_values(line, order, money=money, dates=dates)
            if apostrophe_ids:
                values["No. Pesanan"] = "'" + line.order_id
            if continuation and position:
                values = {k: v for k, v in values.items() if k in _SHOPEE_ITEM_COLUMNS}
            rows.append([values.get(h, "") for h in headers])
    return rows


# What an older export still writes on an order's second and later item rows.
_SHOPEE_ITEM_COLUMNS = frozenset({
    "SKU Induk", "Nama Produk", "Nomor Referensi SKU", "Nama Variasi", "Harga Awal",
    "Harga Setelah Diskon", "Jumlah", "Total Harga Produk", "Total Diskon",
    "Diskon Dari Penjual", "Diskon Dari Shopee", "Berat Produk",
})  # fmt: skip


def _shopee_values(
    line: OrderLineSpec, order: Sequence[OrderLineSpec], *, money: str, dates: str
) -> dict[str, Cell]:
    """Every column of one Shopee item line; order-level columns repeat the order's totals."""
    m: Callable[[int], Cell] = lambda amount: format_money(amount, money)  # noqa: E731
    d: Callable[[dt.datetime | None], Cell] = lambda t: format_date(t, SHOPEE_DATE, dates)  # noqa: E731
    original = line.original_price_idr or line.unit_price_idr
    line_total = line.unit_price_idr * line.quantity
    order_total = sum(x.unit_price_idr * x.quantity for x in order)
    paid = None if line.status == "Belum Bayar" else (line.paid_at or line.created_at + _PAY_DELAY)
    values: dict[str, Cell] = {
        "No. Pesanan": line.order_id,
        "Status Pesanan": line.status,
        "Alasan Pembatalan": line.cancel_reason,
        "Status Pembatalan/ Pengembalian": line.return_status,
        "Shipped by Advance Fulfilment": "N",
        "No. Resi": f"SPXID0{_stable_number(line.order_id, 11)}",
        "Opsi Pengiriman": "Reguler (Cashless)-SPX Standard",
        "Antar ke counter/ pick-up": "Antar ke Counter",
        "Pesanan Harus Dikirimkan Sebelum (Menghindari keterlambatan)": d(
            line.created_at + dt.timedelta(days=2)
        ),
        "Waktu Pengiriman Diatur": d(line.created_at + dt.timedelta(hours=20)),
        "Waktu Pesanan Dibuat": d(line.created_at),
        "Waktu Pembayaran Dilakukan": d(paid),
        "Tipe Pesanan": "Pesanan Reguler",
        "Metode Pembayaran": "ShopeePay",
        "SKU Induk": line.sku.split("-")[0] if line.sku else "",
        "Nama Produk": line.product_name,
        "Nomor Referensi SKU": line.sku,
        "Nama Variasi": line.variation,
        "Harga Awal": m(original),
        "Harga Setelah Diskon": m(line.unit_price_idr),
        "Jumlah": line.quantity,
        "Returned quantity": line.quantity if line.return_status == "Permintaan Disetujui" else 0,
        "Total Harga Produk": m(line_total),
        "Subtotal Pesanan": m(line_total),
        "Total Diskon": m((original - line.unit_price_idr) * line.quantity),
        "Diskon Dari Penjual": m((original - line.unit_price_idr) * line.quantity),
        "Diskon Dari Shopee": m(0),
        "Berat Produk": "250 gr",
        "Jumlah Produk di Pesan": sum(x.quantity for x in order),
        "Total Berat": f"{250 * sum(x.quantity for x in order)} gr",
        "Ongkos Kirim Dibayar oleh Pembeli": m(10000),
        "Estimasi Potongan Biaya Pengiriman": m(10000),
        "Total Pembayaran": m(order_total + 10000),
        "Perkiraan Ongkos Kirim": m(20000),
        "Catatan dari Pembeli": "Tolong dibungkus rapi,\nterima kasih",
        "Username (Pembeli)": line.buyer_username,
        "Nama Penerima": line.buyer_name,
        "No. Telepon": line.buyer_phone,
        "Alamat Pengiriman": line.buyer_address,
        "Kota/Kabupaten": "KAB. BELITUNG",
        "Provinsi": "KEPULAUAN BANGKA BELITUNG",
        "Waktu Pesanan Selesai": d(line.completed_at) if line.status == "Selesai" else "",
    }
    for money_column in _SHOPEE_ZERO_MONEY:
        values.setdefault(money_column, m(0))
    return values


_SHOPEE_ZERO_MONEY = (
    "Voucher Ditanggung Penjual",
    "Cashback Koin",
    "Voucher Ditanggung Shopee",
    "Paket Diskon",
    "Paket Diskon (Diskon dari Shopee)",
    "Paket Diskon (Diskon dari Penjual)",
    "Potongan Koin Shopee",
    "Diskon Kartu Kredit",
    "Ongkos Kirim Pengembalian Barang",
)


def write_shopee_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    layout: str = "2025",  # "2019" (44, .xls) | "2021" (45) | "2025" (49) | "2026" (51) | …
    fmt: str = "xlsx",  # "xlsx" | "xls" (needs xlwt) | "csv"
    money: str = "dots",  # "dots" 37.200 | "rp" Rp 37.200 | "plain" | "en" 37,200.00 | ...
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
    dates: str = "native",  # "native" 2026-08-01 08:00 | "excel" date cells | "dmy"
    apostrophe_ids: bool = False,
    continuation: bool = False,  # later item rows carry product columns only (2019-2020)
) -> Path:
    """A Shopee order export (sheet `orders`, header on row 1), XLSX, XLS or re-saved CSV."""
    rows = shopee_rows(
        lines,
        layout=layout,
        money=money,
        dates=dates,
        apostrophe_ids=apostrophe_ids,
        continuation=continuation,
    )
    return write_table(path, rows, fmt=fmt, sheet="orders", sep=sep, bom=bom, encoding=encoding)


def write_shopee_zip(
    path: Path, lines: Sequence[OrderLineSpec], *, parts: int = 2, **kw: object
) -> Path:
    """A large Shopee export split into `parts` files inside one ZIP (orders kept whole)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = str(kw.get("fmt", "xlsx"))
    orders = list(_orders(lines).values())
    size = max(1, -(-len(orders) // parts))
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(path, "w") as archive:
        for index in range(parts):
            chunk = [line for order in orders[index * size : (index + 1) * size] for line in order]
            name = f"{path.stem}.part{index + 1}.{fmt}"  # parts never appear beside the ZIP
            write_shopee_orders(Path(folder) / name, chunk, **kw)  # type: ignore[arg-type]
            archive.write(Path(folder) / name, name, zipfile.ZIP_DEFLATED)
    return path


# --------------------------------------------------------------------------- Tokopedia orders

TOKOPEDIA_DATETIME = "%d-%m-%Y %H:%M:%S"


def tokopedia_rows(
    lines: Sequence[OrderLineSpec],
    *,
    title_rows: bool = True,
    money: str = "number",
    dates: str = "native",
    shop_name: str = "Toko Contoh",
) -> list[list[Cell]]:
    """Title rows (header on row 5) + header + one row per product line of each invoice."""
    rows: list[list[Cell]] = _tokopedia_title_rows(lines, shop_name) if title_rows else []
    rows.append(list(TOKOPEDIA_HEADERS))
    for number, order in enumerate(_orders(lines).values(), start=1):
        for position, line in enumerate(order):
            values = _tokopedia_values(line, order, money=money, dates=dates)
            values["Nomor"] = number if position == 0 else ""
            rows.append([values.get(h, "") for h in TOKOPEDIA_HEADERS])
    return rows


def _tokopedia_title_rows(lines: Sequence[OrderLineSpec], shop_name: str) -> list[list[Cell]]:
    """Four title rows above the header (their text is inferred, the row count is not)."""
    times = [line.paid_at or line.created_at for line in lines] or [dt.datetime(2026, 1, 1)]
    period = f"{min(times):%d-%m-%Y} - {max(times):%d-%m-%Y}"
    return [
        ["Laporan Penjualan"],
        [f"Nama Toko: {shop_name}"],
        [f"Periode: {period}"],
        [""],
    ]


def _tokopedia_values(
    line: OrderLineSpec, order: Sequence[OrderLineSpec], *, money: str, dates: str
) -> dict[str, Cell]:
    """Every column of one Tokopedia product line (payment time = `created_at` unless set)."""
    m: Callable[[int], Cell] = lambda amount: format_money(amount, money)  # noqa: E731
    paid = line.paid_at or line.created_at
    original = line.original_price_idr or line.unit_price_idr
    done = line.completed_at or (paid + dt.timedelta(days=3))
    finished = line.status.startswith("Pesanan Selesai")
    cancelled = line.status.startswith("Dibatalkan")
    status = line.status + (f" -\n{line.cancel_reason}" if line.cancel_reason else "")
    return {
        "Nomor Invoice": line.order_id,
        "Tanggal Pembayaran": format_date(paid, TOKOPEDIA_DATETIME, dates),
        "Status Terakhir": status,
        "Tanggal Pesanan Selesai": f"{done:%d-%m-%Y}" if finished else "",
        "Waktu Pesanan Selesai": f"{done:%H:%M:%S}" if finished else "",
        "Tanggal Pesanan Dibatalkan": f"{paid:%d-%m-%Y}" if cancelled else "",
        "Waktu Pesanan Dibatalkan": f"{paid:%H:%M:%S}" if cancelled else "",
        "Nama Produk": line.product_name + (f" - {line.variation}" if line.variation else ""),
        "Tipe Produk": "Produk Utama",
        "Nomor SKU": line.sku,
        "Jumlah Produk Dibeli": line.quantity,
        "Harga Awal (IDR)": m(original),
        "Diskon Produk (IDR)": m(original - line.unit_price_idr),
        "Harga Jual (IDR)": m(line.unit_price_idr),
        "Jumlah Subsidi Tokopedia (IDR)": m(0),
        "Nilai Kupon Toko Terpakai (IDR)": m(0),
        "Biaya Pengiriman Tunai (IDR)": m(9000),
        "Biaya Asuransi Pengiriman (IDR)": m(0),
        "Total Biaya Pengiriman (IDR)": m(9000),
        "Total Penjualan (IDR)": m(sum(x.unit_price_idr * x.quantity for x in order) + 9000),
        "Nama Pembeli": line.buyer_name,
        "No Telp Pembeli": line.buyer_phone,
        "Nama Penerima": line.buyer_name,
        "No Telp Penerima": line.buyer_phone,
        "Alamat Pengiriman": line.buyer_address,
        "Kota": "Kab. Belitung",
        "Provinsi": "Bangka Belitung",
        "Nama Kurir": "JNE(Reguler)",
        "Tipe Pengiriman (regular, same day, etc)": "Regular",
        "No Resi / Kode Booking": f"JNE{_stable_number(line.order_id, 10)}",
        "Tipe Bebas Ongkir (Bebas Ongkir, Bebas Ongkir DT)": "Bebas Ongkir",
        "COD": "Tidak",
        "Jumlah Produk Yang Dikurangkan": 0,
        "Total Pengurangan (IDR)": m(0),
    }


def write_tokopedia_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    title_rows: bool = True,
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
    money: str = "number",
    dates: str = "native",
    shop_name: str = "Toko Contoh",
) -> Path:
    """A legacy Tokopedia "Laporan Penjualan" (title rows, header on row 5), XLSX or CSV."""
    rows = tokopedia_rows(
        lines, title_rows=title_rows, money=money, dates=dates, shop_name=shop_name
    )
    return write_table(
        path, rows, fmt=fmt, sheet="Laporan Penjualan", sep=sep, bom=bom, encoding=encoding
    )


TOKOPEDIA_EN_HEADERS: tuple[str, ...] = (
    "Count",
    "Order ID",
    "Invoice",
    "Payment Date",
    "Order Status",
    "Product ID",
    "Product Name",
    "Quantity",
    "Stock Keeping Unit (SKU)",
    "Notes",
    "Price (Rp.)",
    "Discount Amount (Rp.)",
    "Subsidi Amount (Rp.)",
    "Customer Name",
    "Customer Phone",
    "Recipient",
    "Recipient Number",
    "Recipient Address",
    "Courier",
    "Shipping Price + fee (Rp.)",
    "Insurance (Rp.)",
    "Total Shipping Fee (Rp.)",
    "Total Amount (Rp.)",
    "AWB",
    "Jenis Layanan",
    "Bebas Ongkir",
    "Warehouse Origin",
    "Campaign Name",
)  # fmt: skip (the exact sequence of S1)
# What the older English export still writes on an invoice's later item rows.
_TOKOPEDIA_EN_ITEM_COLUMNS = frozenset({
    "Product ID", "Product Name", "Quantity", "Stock Keeping Unit (SKU)", "Notes",
    "Price (Rp.)", "Discount Amount (Rp.)", "Subsidi Amount (Rp.)",
})  # fmt: skip


def tokopedia_en_rows(
    lines: Sequence[OrderLineSpec], *, title_rows: bool = True, continuation: bool = True
) -> list[list[Cell]]:
    """The older English Tokopedia export (about 2018-2020): title rows (their text is
    inferred), the header, then one row per product; an invoice's later rows carry the
    product columns only (`continuation`), prices as text "Rp 25.000"."""
    rows: list[list[Cell]] = []
    if title_rows:
        rows += [["Order List"], ["Shop: Toko Contoh"], [""]]
    rows.append(list(TOKOPEDIA_EN_HEADERS))
    for number, order in enumerate(_orders(lines).values(), start=1):
        for position, line in enumerate(order):
            values = _tokopedia_en_values(line, order, number)
            if continuation and position:
                values = {k: v for k, v in values.items() if k in _TOKOPEDIA_EN_ITEM_COLUMNS}
            rows.append([values.get(h, "") for h in TOKOPEDIA_EN_HEADERS])
    return rows


def _tokopedia_en_values(
    line: OrderLineSpec, order: Sequence[OrderLineSpec], number: int
) -> dict[str, Cell]:
    original = line.original_price_idr or line.unit_price_idr
    total = sum(x.unit_price_idr * x.quantity for x in order) + 9000
    return {
        "Count": number,
        "Order ID": _stable_number(line.order_id, 8),
        "Invoice": line.order_id,
        "Payment Date": (line.paid_at or line.created_at).strftime(TOKOPEDIA_DATETIME),
        "Order Status": line.status,
        "Product ID": _stable_number(line.product_name, 9),
        "Product Name": line.product_name,
        "Quantity": line.quantity,
        "Stock Keeping Unit (SKU)": line.sku,
        "Price (Rp.)": format_money(line.unit_price_idr, "rp"),
        "Discount Amount (Rp.)": format_money(original - line.unit_price_idr, "rp"),
        "Subsidi Amount (Rp.)": "Rp 0",
        "Customer Name": line.buyer_name,
        "Customer Phone": line.buyer_phone,
        "Recipient": line.buyer_name,
        "Recipient Number": line.buyer_phone,
        "Recipient Address": line.buyer_address,
        "Courier": "JNE(Reguler)",
        "Shipping Price + fee (Rp.)": "Rp 9.000",
        "Insurance (Rp.)": "Rp 0",
        "Total Shipping Fee (Rp.)": "Rp 9.000",
        "Total Amount (Rp.)": format_money(total, "rp"),
        "AWB": f"JNE{_stable_number(line.order_id, 10)}",
        "Jenis Layanan": "Reguler",
        "Bebas Ongkir": "Tidak",
    }


def write_tokopedia_en_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    title_rows: bool = True,
    continuation: bool = True,
) -> Path:
    """The older English Tokopedia order export, XLSX, XLS or CSV."""
    rows = tokopedia_en_rows(lines, title_rows=title_rows, continuation=continuation)
    return write_table(path, rows, fmt=fmt, sheet="Order List")


# --------------------------------------------------------------------------- TikTok Shop orders

TIKTOK_HEADERS: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "Shipping Fee After Discount", "Original Shipping Fee",
    "Shipping Fee Seller Discount", "Shipping Fee Platform Discount",
    "Payment platform discount", "Taxes", "Order Amount", "Order Refund Amount",
    "Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time",
    "Cancelled Time", "Cancel By", "Cancel Reason", "Fulfillment Type", "Warehouse Name",
    "Tracking ID", "Delivery Option", "Shipping Provider Name", "Buyer Message",
    "Buyer Username", "Recipient", "Phone #", "Zipcode", "Country", "Province",
    "Regency and City", "Districts", "Villages", "Detail Address",
    "Additional address information", "Payment Method", "Product Category", "Package ID",
    "Seller Note", "Checked Status", "Checked Marked by", "SKU ID", "Seller SKU",
    "Product Name", "Variation", "Quantity", "Sku Quantity of return",
    "SKU Unit Original Price", "SKU Subtotal Before Discount", "SKU Platform Discount",
    "SKU Seller Discount", "SKU Subtotal After Discount", "Buyer Service Fee",
    "Weight(kg)", "Dynamic Commission",
)  # fmt: skip
_TIKTOK_DESCRIPTIONS = {
    "Order ID": "Platform unique order ID.",
    "Order Status": "Current order status.",
    "Created Time": "The time the order was placed.",
    "Quantity": "SKU sold quantity in this order.",
}
TIKTOK_DATE_ID = "%d/%m/%Y %H:%M:%S"
TIKTOK_DATE_US = "%m/%d/%Y %I:%M:%S %p"


def tiktok_rows(
    lines: Sequence[OrderLineSpec],
    *,
    description_row: bool = True,
    us_dates: bool = False,
    tab_ids: bool = False,
) -> list[list[Cell]]:
    """Header, the description row under it, then one row per SKU line."""
    rows: list[list[Cell]] = [list(TIKTOK_HEADERS)]
    if description_row:
        rows.append([_TIKTOK_DESCRIPTIONS.get(h, f"{h}.") for h in TIKTOK_HEADERS])
    date_format = TIKTOK_DATE_US if us_dates else TIKTOK_DATE_ID
    for order in _orders(lines).values():
        for line in order:
            values = _tiktok_values(line, order, date_format)
            if tab_ids:
                values["Order ID"] = f"{line.order_id}\t"
            rows.append([values.get(h, "") for h in TIKTOK_HEADERS])
    return rows


def _tiktok_values(
    line: OrderLineSpec, order: Sequence[OrderLineSpec], date_format: str
) -> dict[str, Cell]:
    original = line.original_price_idr or line.unit_price_idr
    unpaid = line.status in ("Belum dibayar", "Unpaid")
    paid = None if unpaid else (line.paid_at or line.created_at + _PAY_DELAY)
    return {
        "Order ID": line.order_id,
        "Order Status": line.status,
        "Cancelation/Return Type": _tiktok_return_type(line),
        "Normal or Pre-order": "Normal",
        "Order Amount": sum(x.unit_price_idr * x.quantity for x in order) + 10000,
        "Shipping Fee After Discount": 10000,
        "Created Time": line.created_at.strftime(date_format),
        "Paid Time": paid.strftime(date_format) if paid else "",
        "Cancel Reason": line.cancel_reason,
        "Fulfillment Type": "Fulfillment by seller",
        "Delivery Option": "Standard shipping",
        "Shipping Provider Name": "J&T Express",
        "Buyer Username": line.buyer_username,
        "Recipient": line.buyer_name,
        "Phone #": line.buyer_phone,
        "Country": "Indonesia",
        "Province": "Kepulauan Bangka Belitung",
        "Regency and City": "Kab. Belitung",
        "Detail Address": line.buyer_address,
        "Payment Method": "GoPay",
        "SKU ID": f"17{_stable_number(line.order_id + line.product_name, 17)}",
        "Seller SKU": line.sku,
        "Product Name": line.product_name,
        "Variation": line.variation,
        "Quantity": line.quantity,
        "Sku Quantity of return": 0,
        "SKU Unit Original Price": original,
        "SKU Subtotal Before Discount": original * line.quantity,
        "SKU Seller Discount": (original - line.unit_price_idr) * line.quantity,
        "SKU Platform Discount": 0,
        "SKU Subtotal After Discount": line.unit_price_idr * line.quantity,
        "Weight(kg)": "0.25",
    }


def _tiktok_return_type(line: OrderLineSpec) -> str:
    """ "Return/Refund" for a return after delivery, "Cancel" for another cancellation."""
    if line.return_status:
        return "Return/Refund"
    return "Cancel" if line.status in ("Dibatalkan", "Cancelled") else ""


def write_tiktok_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    description_row: bool = True,
    us_dates: bool = False,
    tab_ids: bool | None = None,  # default: on for CSV, as TikTok writes them
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """A TikTok Shop (and Tokopedia Seller Center) order export; ids are 18-19 digit text."""
    tabs = (fmt == "csv") if tab_ids is None else tab_ids
    rows = tiktok_rows(lines, description_row=description_row, us_dates=us_dates, tab_ids=tabs)
    return write_table(
        path, rows, fmt=fmt, sheet="OrderSKUList", sep=sep, bom=bom, encoding=encoding
    )


# --------------------------------------------------------------------------- Lazada orders

LAZADA_HEADERS: tuple[str, ...] = (
    "orderItemId", "orderType", "Guarantee", "deliveryType", "lazadaId", "sellerSku",
    "lazadaSku", "wareHouse", "createTime", "updateTime", "rtsSla", "ttsSla", "orderNumber",
    "invoiceRequired", "invoiceNumber", "deliveredDate", "customerName", "customerEmail",
    "nationalRegistrationNumber", "shippingName", "shippingAddress", "shippingAddress2",
    "shippingAddress3", "shippingAddress4", "shippingAddress5", "shippingPhone",
    "shippingPhone2", "shippingCity", "shippingPostCode", "shippingCountry", "shippingRegion",
    "billingName", "billingAddr", "billingAddr2", "billingAddr3", "billingAddr4",
    "billingAddr5", "billingPhone", "billingPhone2", "billingCity", "billingPostCode",
    "billingCountry", "taxCode", "branchNumber", "taxInvoiceRequested", "payMethod",
    "paidPrice", "unitPrice", "QTY", "sellerDiscountTotal", "shippingFee", "walletCredit",
    "PRODUCT NAME", "itemName", "variation", "cdShippingProvider", "shippingProvider",
    "shipmentTypeName", "shippingProviderType", "cdTrackingCode", "trackingCode",
    "trackingUrl", "shippingProviderFM", "trackingCodeFM", "trackingUrlFM",
    "promisedShippingTime", "premium", "status", "buyerFailedDeliveryReturnInitiator",
    "buyerFailedDeliveryReason", "buyerFailedDeliveryDetail", "buyerFailedDeliveryUserName",
    "bundleId", "semiManaged", "flexibleDeliveryTime", "bundleDiscount", "refundAmount",
    "sellerNote",
)  # fmt: skip
LAZADA_DATE = "%d %b %Y %H:%M"


def lazada_rows(lines: Sequence[OrderLineSpec]) -> list[list[Cell]]:
    """Header + one row per order ITEM: a line of quantity 3 becomes three rows."""
    rows: list[list[Cell]] = [list(LAZADA_HEADERS)]
    item = 0
    for line in lines:
        for _ in range(line.quantity):
            item += 1
            values = _lazada_values(line, item)
            rows.append([values.get(h, "") for h in LAZADA_HEADERS])
    return rows


def _lazada_values(line: OrderLineSpec, item: int) -> dict[str, Cell]:
    return {
        "orderItemId": f"{line.order_id}{item:03d}",
        "orderType": "Normal",
        "deliveryType": "dropship",
        "sellerSku": line.sku,
        "lazadaSku": f"{_stable_number(line.product_name, 10)}_ID",
        "createTime": line.created_at.strftime(LAZADA_DATE),
        "updateTime": (line.completed_at or line.created_at).strftime(LAZADA_DATE),
        "orderNumber": line.order_id,
        "customerName": line.buyer_name,
        "customerEmail": f"{line.buyer_username}@example.com",
        "shippingName": line.buyer_name,
        "shippingAddress": line.buyer_address,
        "shippingPhone": line.buyer_phone,
        "shippingCity": "Kab. Belitung",
        "shippingCountry": "Indonesia",
        "billingName": line.buyer_name,
        "billingAddr": line.buyer_address,
        "billingPhone": line.buyer_phone,
        "payMethod": "COD",
        # unitPrice: after the seller's product discount; paidPrice also deducts the
        # seller's voucher (sellerDiscountTotal, negative), so it is below unitPrice
        "paidPrice": line.unit_price_idr - line.seller_voucher_idr,
        "unitPrice": line.unit_price_idr,
        "QTY": 1,
        "sellerDiscountTotal": -line.seller_voucher_idr,
        "shippingFee": 0,
        "PRODUCT NAME": line.product_name,
        "itemName": line.product_name,
        "variation": line.variation,
        "shippingProvider": "LEX ID",
        "status": line.status,
    }


def write_lazada_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    fmt: str = "xlsx",
    sep: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """A Lazada Seller Center order export (header on row 1, one row per item)."""
    return write_table(
        path, lazada_rows(lines), fmt=fmt, sheet="sheet1", sep=sep, bom=bom, encoding=encoding
    )


# --------------------------------------------------------------------------- Bukalapak orders

# The real transaction layouts (2018-2023). Their column names, in this order, are those
# of the issue that observed the real files: `Tanggal`, `ID Transaksi` first, then the buyer
# columns (their exact names and count are inferred), then the product and money columns.
# The 26-column layout adds "Berat Per SKU".
BUKALAPAK_HEADERS_25: tuple[str, ...] = (
    "Tanggal", "ID Transaksi", "Nama Pembeli", "No. HP Pembeli", "Alamat Pengiriman",
    "Kota", "Provinsi", "Kode Pos", "Nama Produk", "Harga Produk", "Biaya Pengiriman",
    "Biaya Asuransi", "Total Terbayar", "Jumlah Produk", "SKU", "Varian", "Kurir",
    "Kode Tracking", "Status", "Catatan Pembeli", "Dropshipper", "Nama Dropshipper",
    "No. HP Dropshipper", "Tanggal Dikirim", "Tanggal Diterima",
)  # fmt: skip
BUKALAPAK_HEADERS_26: tuple[str, ...] = (
    *BUKALAPAK_HEADERS_25[:15], "Berat Per SKU", *BUKALAPAK_HEADERS_25[15:],
)  # fmt: skip
# The layout sheetsync guessed before real files were seen ("ID Transaksi" first, a unit
# price in "Harga Barang"); still read, never observed.
BUKALAPAK_HEADERS: tuple[str, ...] = (
    "ID Transaksi", "Tanggal", "Status", "Pembeli", "No HP Pembeli", "Alamat Pengiriman",
    "Kota", "Provinsi", "Nama Barang", "ID Barang", "SKU", "Jumlah Barang", "Harga Barang",
    "Diskon", "Total Harga Barang", "Biaya Pengiriman", "Biaya Asuransi", "Kurir",
    "No Resi", "Metode Pembayaran", "Total Pembayaran", "Catatan Pembeli", "Dropshipper",
    "Tanggal Dikirim", "Tanggal Selesai",
)  # fmt: skip
BUKALAPAK_LAYOUTS: dict[str, tuple[str, ...]] = {
    "25": BUKALAPAK_HEADERS_25,
    "26": BUKALAPAK_HEADERS_26,
    "guessed": BUKALAPAK_HEADERS,
}
BUKALAPAK_DATE = "%Y-%m-%d %H:%M:%S +0700"  # WIB, with its offset as the real files write it


def bukalapak_rows(lines: Sequence[OrderLineSpec], *, layout: str = "25") -> list[list[Cell]]:
    """Header + one row per product line of each transaction."""
    headers = BUKALAPAK_LAYOUTS[layout]
    rows: list[list[Cell]] = [list(headers)]
    for order in _orders(lines).values():
        total = sum(x.unit_price_idr * x.quantity for x in order)
        for line in order:
            values = _bukalapak_values(line, total)
            if layout == "guessed":
                values["Tanggal"] = line.created_at.strftime("%Y-%m-%d %H:%M:%S")
            rows.append([values.get(h, "") for h in headers])
    return rows


def _bukalapak_values(line: OrderLineSpec, order_total: int) -> dict[str, Cell]:
    line_total = line.unit_price_idr * line.quantity
    return {
        "Tanggal": line.created_at.strftime(BUKALAPAK_DATE),
        "ID Transaksi": line.order_id,
        "Status": line.status,
        "Nama Pembeli": line.buyer_name,
        "Pembeli": line.buyer_name,
        "No. HP Pembeli": line.buyer_phone,
        "No HP Pembeli": line.buyer_phone,
        "Alamat Pengiriman": line.buyer_address,
        "Kota": "Kab. Belitung",
        "Provinsi": "Kepulauan Bangka Belitung",
        "Nama Produk": line.product_name,
        "Nama Barang": line.product_name,
        "Harga Produk": line_total,  # the LINE total, not a unit price
        "Biaya Pengiriman": 9000,
        "Biaya Asuransi": 0,
        "Total Terbayar": line_total + 9000,
        "Jumlah Produk": line.quantity,
        "Jumlah Barang": line.quantity,
        "Harga Barang": line.unit_price_idr,
        "Total Harga Barang": line_total,
        "Total Pembayaran": order_total + 9000,
        "SKU": line.sku,
        "Berat Per SKU": 250,
        "Varian": line.variation,
        "Kurir": "JNE REG",
        "Kode Tracking": f"JNE{_stable_number(line.order_id, 10)}",
    }


def write_bukalapak_orders(
    path: Path,
    lines: Sequence[OrderLineSpec],
    *,
    layout: str = "25",  # "25" | "26" (2018-2023, real) | "guessed"
    fmt: str = "xlsx",
    sep: str = ",",
) -> Path:
    """A historical Bukalapak `transaction*.xlsx`."""
    rows = bukalapak_rows(lines, layout=layout)
    return write_table(path, rows, fmt=fmt, sheet="Transaksi", sep=sep)


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


# --------------------------------------------------------------------------- listings

SHOPEE_MASS_UPDATE_KEYS: tuple[str, ...] = (
    "et_title_product_id", "et_title_product_name", "et_title_variation_id",
    "et_title_variation_name", "et_title_parent_sku", "et_title_variation_sku",
    "et_title_variation_price", "ps_gtin_code", "et_title_variation_stock",
)  # fmt: skip
_SHOPEE_MASS_UPDATE_LABELS = (
    "Kode Produk", "Nama Produk", "Kode Variasi", "Nama Variasi", "SKU Induk", "SKU",
    "Harga", "GTIN", "Stok",
)  # fmt: skip


def shopee_mass_update_rows(products: Sequence[ProductSpec]) -> list[list[Cell]]:
    """Keys (row 1), meta rows 2-6, one row per variation from row 7; parent SKU only on
    a product's first row."""
    width = len(SHOPEE_MASS_UPDATE_KEYS)
    rows: list[list[Cell]] = [
        list(SHOPEE_MASS_UPDATE_KEYS),
        ["sales_info", "3c1f0e9a7b", *[""] * (width - 2)],
        list(_SHOPEE_MASS_UPDATE_LABELS),
        ["Wajib", "Wajib", "", "", "", "", "Wajib", "", "Wajib"],
        ["Jangan ubah kolom ini", *[""] * (width - 1)],
        ["Isi harga dalam Rupiah tanpa titik", *[""] * (width - 1)],
    ]
    seen: set[str] = set()
    for p in products:
        parent = "" if p.product_id in seen else p.parent_sku
        seen.add(p.product_id)
        row: list[Cell] = [p.product_id, p.product_name, p.variation_id, p.variation]
        rows.append([*row, parent, p.sku, p.price_idr, "", p.stock])
    return rows


def write_shopee_mass_update(path: Path, products: Sequence[ProductSpec]) -> Path:
    """A Shopee `mass_update_sales_info_<shop>_<time>.xlsx` listing export."""
    return write_table(path, shopee_mass_update_rows(products), fmt="xlsx", sheet="Sheet1")


TIKTOK_PRODUCT_HEADERS: tuple[str, ...] = (
    "ID Produk", "Nama Produk", "Status", "GMV (Rp)", "Pesanan SKU", "Klik", "Klik Unik",
    "Pengguna yang Menambahkan Produk ke Keranjang",
)  # fmt: skip


def tiktok_products_rows(products: Sequence[ProductSpec]) -> list[list[Cell]]:
    """Two title rows, the header on row 3, one row per product (ids as 19-digit text)."""
    rows: list[list[Cell]] = [
        ["Products Card List"],
        ["Periode: 2026-05-01 ~ 2026-05-31\n"],
        list(TIKTOK_PRODUCT_HEADERS),
    ]
    for p in {p.product_id: p for p in products}.values():
        rows.append([p.product_id, p.product_name, "Aktif", "0", "0", "0", "0", "0"])
    return rows


def write_tiktok_products(path: Path, products: Sequence[ProductSpec]) -> Path:
    """A TikTok Shop `Products Card List_<time>.xlsx` listing export."""
    return write_table(path, tiktok_products_rows(products), fmt="xlsx", sheet="Sheet1")


TIKTOK_BATCH_EDIT_KEYS: tuple[str, ...] = (
    "product_id", "category", "product_name", "product_status", "sku_id", "variation_value",
    "product_description", "brand", "price", "quantity", "seller_sku", "parcel_weight",
    "parcel_length", "parcel_width", "parcel_height", "main_image",
)  # fmt: skip
_TIKTOK_BATCH_EDIT_LABELS = (
    "Product ID", "Category", "Product Name", "Product Status", "SKU ID", "Variation Value",
    "Product Description", "Brand", "Retail Price (Local Currency)", "Quantity", "Seller SKU",
    "Parcel Weight (g)", "Parcel Length (cm)", "Parcel Width (cm)", "Parcel Height (cm)",
    "Main Product Image",
)  # fmt: skip
_TIKTOK_BATCH_EDIT_MANDATORY = frozenset({"product_id", "product_name", "sku_id", "price",
                                          "quantity", "category", "main_image"})  # fmt: skip
_TIKTOK_BATCH_EDIT_FIXED = frozenset({"product_id", "sku_id", "category", "product_status"})


def tiktok_batch_edit_rows(
    products: Sequence[ProductSpec], *, with_quantity: bool = True
) -> list[list[Cell]]:
    """Machine keys (row 1), the version row, then label, "Mandatory" and "Uneditable"
    rows, then one row per SKU from row 6 (ids as 19-digit text). TikTok may leave out the
    `quantity` column (`with_quantity=False`)."""
    keys = [k for k in TIKTOK_BATCH_EDIT_KEYS if with_quantity or k != "quantity"]
    labels = dict(zip(TIKTOK_BATCH_EDIT_KEYS, _TIKTOK_BATCH_EDIT_LABELS, strict=True))
    rows: list[list[Cell]] = [
        list(keys),
        ["V4", "All_Information", "metric", *[""] * (len(keys) - 3)],
        [labels[k] for k in keys],
        ["Mandatory" if k in _TIKTOK_BATCH_EDIT_MANDATORY else "Optional" for k in keys],
        ["Uneditable" if k in _TIKTOK_BATCH_EDIT_FIXED else "Editable" for k in keys],
    ]
    for p in products:
        values = _tiktok_batch_edit_values(p)
        rows.append([values[k] for k in keys])
    return rows


def _tiktok_batch_edit_values(p: ProductSpec) -> dict[str, Cell]:
    return {
        "product_id": p.product_id,
        "category": "Makanan & Minuman (600001)",
        "product_name": p.product_name,
        "product_status": "Aktif(1)",
        "sku_id": p.variation_id,
        "variation_value": p.variation,
        "product_description": f"<p>{p.product_name}</p>",
        "brand": "",
        "price": str(p.price_idr),
        "quantity": str(p.stock),
        "seller_sku": p.sku,
        "parcel_weight": "250",
        "parcel_length": "",
        "parcel_width": "",
        "parcel_height": "",
        "main_image": f"https://p16-oec-sg.ibyteimg.com/tos/{p.product_id}.jpeg",
    }


def write_tiktok_batch_edit(
    path: Path, products: Sequence[ProductSpec], *, with_quantity: bool = True
) -> Path:
    """A TikTok Shop `Tiktoksellercenter_batchedit_<day>_all_information_template.xlsx`."""
    rows = tiktok_batch_edit_rows(products, with_quantity=with_quantity)
    return write_table(path, rows, fmt="xlsx", sheet="Template")
