"""The tables the demo programme (Kabupaten Belitung) is generated from.

The 49 villages are the official desa/kelurahan of Kabupaten Belitung (19.02) with their
Kemendagri codes (Kepmendagri No. 300.2.2-2138 Tahun 2025; 42 desa, 7 kelurahan in five
kecamatan). Everything else here is invented but plausible: names of people and UMKM shops,
products and prices of the kind sold by village businesses on Belitung. E-mail addresses use
the reserved example.org / example.com domains only.
"""

from __future__ import annotations

from dataclasses import dataclass

REGENCY_CODE = "19.02"
REGENCY_NAME = "Kabupaten Belitung"

# (Kode Desa, Nama Desa, Kecamatan) — 1xxx kelurahan, 2xxx desa
VILLAGES: tuple[tuple[str, str, str], ...] = (
    ("19.02.01.1001", "Kota", "Tanjungpandan"),
    ("19.02.01.1002", "Parit", "Tanjungpandan"),
    ("19.02.01.1005", "Lesung Batang", "Tanjungpandan"),
    ("19.02.01.1006", "Pangkallalang", "Tanjungpandan"),
    ("19.02.01.1009", "Tanjungpendam", "Tanjungpandan"),
    ("19.02.01.1011", "Paal Satu", "Tanjungpandan"),
    ("19.02.01.1016", "Kampong Damai", "Tanjungpandan"),
    ("19.02.01.2003", "Buluh Tumbang", "Tanjungpandan"),
    ("19.02.01.2004", "Perawas", "Tanjungpandan"),
    ("19.02.01.2007", "Dukong", "Tanjungpandan"),
    ("19.02.01.2008", "Juru Seberang", "Tanjungpandan"),
    ("19.02.01.2010", "Air Saga", "Tanjungpandan"),
    ("19.02.01.2012", "Air Merbau", "Tanjungpandan"),
    ("19.02.01.2013", "Aik Pelempang Jaya", "Tanjungpandan"),
    ("19.02.01.2014", "Aik Ketekok", "Tanjungpandan"),
    ("19.02.01.2015", "Aik Rayak", "Tanjungpandan"),
    ("19.02.02.2001", "Membalong", "Membalong"),
    ("19.02.02.2002", "Perpat", "Membalong"),
    ("19.02.02.2003", "Lassar", "Membalong"),
    ("19.02.02.2004", "Simpang Rusa", "Membalong"),
    ("19.02.02.2005", "Kembiri", "Membalong"),
    ("19.02.02.2006", "Bantan", "Membalong"),
    ("19.02.02.2007", "Tanjungrusa", "Membalong"),
    ("19.02.02.2008", "Mentigi", "Membalong"),
    ("19.02.02.2009", "Pulau Seliu", "Membalong"),
    ("19.02.02.2010", "Pulau Sumedang", "Membalong"),
    ("19.02.02.2011", "Gunung Riting", "Membalong"),
    ("19.02.02.2012", "Padang Kandis", "Membalong"),
    ("19.02.03.2001", "Selat Nasik", "Selat Nasik"),
    ("19.02.03.2002", "Petaling", "Selat Nasik"),
    ("19.02.03.2003", "Suak Gual", "Selat Nasik"),
    ("19.02.03.2004", "Pulau Gersik", "Selat Nasik"),
    ("19.02.04.2001", "Sijuk", "Sijuk"),
    ("19.02.04.2002", "Batu Itam", "Sijuk"),
    ("19.02.04.2003", "Terong", "Sijuk"),
    ("19.02.04.2004", "Air Seruk", "Sijuk"),
    ("19.02.04.2005", "Tanjung Binga", "Sijuk"),
    ("19.02.04.2006", "Air Selumar", "Sijuk"),
    ("19.02.04.2007", "Sungai Padang", "Sijuk"),
    ("19.02.04.2008", "Keciput", "Sijuk"),
    ("19.02.04.2009", "Pelepak Pute", "Sijuk"),
    ("19.02.04.2010", "Tanjong Tinggi", "Sijuk"),
    ("19.02.05.2001", "Badau", "Badau"),
    ("19.02.05.2002", "Air Batu Buding", "Badau"),
    ("19.02.05.2003", "Sungai Samak", "Badau"),
    ("19.02.05.2004", "Kacang Butor", "Badau"),
    ("19.02.05.2005", "Cerucuk", "Badau"),
    ("19.02.05.2006", "Pegantungan", "Badau"),
    ("19.02.05.2007", "Ibul", "Badau"),
)

# Kecamatan name -> code, in the order of the codes.
KECAMATAN: dict[str, str] = {
    "Tanjungpandan": "19.02.01",
    "Membalong": "19.02.02",
    "Selat Nasik": "19.02.03",
    "Sijuk": "19.02.04",
    "Badau": "19.02.05",
}

FIRST_NAMES = (
    "Rizky", "Siti", "Ahmad", "Dewi", "Hendra", "Yanti", "Aldi", "Nurul", "Fitri", "Agus",
    "Rahmat", "Sri", "Budi", "Lina", "Ferry", "Meiliana", "Suryadi", "Erwin", "Novi", "Wulan",
    "Yusuf", "Ratna", "Andi", "Maya", "Fajar", "Indah", "Dimas", "Putri", "Hasan", "Rina",
    "Bayu", "Ayu", "Teguh", "Lestari", "Johan", "Mei", "Arif", "Citra", "Irwan", "Desi",
    "Hamdan", "Evi", "Rudi", "Nadia", "Sandi", "Yuli", "Kevin", "Aisyah", "Doni", "Vivi",
)  # fmt: skip
FAMILY_NAMES = (
    "Pratama", "Lestari", "Saputra", "Handayani", "Wijaya", "Susanti", "Hidayat", "Rahmawati",
    "Gunawan", "Kurniawan", "Salim", "Tan", "Lim", "Fadillah", "Hidayah", "Permana", "Anggraini",
    "Setiawan", "Marlina", "Syahputra", "Yusuf", "Halim", "Ramadhan", "Puspita", "Nugroho",
    "Sari", "Firmansyah", "Wahyuni", "Chandra", "Maulana",
)  # fmt: skip
# How people address shop owners in shop names ("Kerupuk Ikan Bu Yanti").
HONORIFICS = ("Bu", "Pak", "Mak", "Kak", "Cek")


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    price_idr: int
    variations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Trade:
    """A kind of village business: how shops of that kind are named and what they sell."""

    stems: tuple[str, ...]  # shop name beginnings: "Kopi", "Kerupuk Ikan"
    products: tuple[Product, ...]


TRADES: tuple[Trade, ...] = (
    Trade(
        ("Kopi", "Kedai Kopi", "Kopi Bubuk"),
        (
            Product("Kopi Robusta Belitung Bubuk 250 gr", 45_000, ("Halus", "Kasar")),
            Product("Kopi Susu Botol 250 ml", 18_000),
            Product("Kopi Biji Sangrai 500 gr", 85_000),
            Product("Paket Hemat Kopi 3 Sachet", 25_000),
        ),
    ),
    Trade(
        ("Kerupuk Ikan", "Kemplang", "Kerupuk Tenggiri"),
        (
            Product("Kerupuk Ikan Tenggiri 250 gr", 35_000, ("Mentah", "Siap Saji")),
            Product("Kemplang Panggang 200 gr", 28_000),
            Product("Getas Ikan 250 gr", 30_000, ("Original", "Pedas")),
        ),
    ),
    Trade(
        ("Batik", "Kain Cual", "Batik Simpor"),
        (
            Product("Kain Batik Simpor Motif Daun 2 m", 225_000, ("Biru", "Merah", "Hijau")),
            Product("Kemeja Batik Belitung", 185_000, ("M", "L", "XL")),
            Product("Selendang Cual Tenun", 350_000),
        ),
    ),
    Trade(
        ("Madu Kelulut", "Madu Hutan", "Madu Pelawan"),
        (
            Product("Madu Kelulut Asli 250 ml", 95_000),
            Product("Madu Pelawan Pahit 500 ml", 175_000),
            Product("-Diskon- Madu Kelulut 100 ml", 42_000),
        ),
    ),
    Trade(
        ("Terasi", "Belacan", "Terasi Udang"),
        (
            Product("Terasi Udang Rebon 250 gr", 22_000),
            Product("Belacan Bakar Siap Pakai 100 gr", 15_000),
            Product("Sambal Terasi Botol 150 gr", 27_000, ("Sedang", "Pedas")),
        ),
    ),
    Trade(
        ("Kerajinan Pandan", "Anyaman Resam", "Kerajinan"),
        (
            Product("Tas Anyaman Pandan", 120_000, ("Kecil", "Besar")),
            Product("Tikar Pandan 1x2 m", 150_000),
            Product("Gelang Resam", 35_000),
            Product("Gantungan Kunci Batu Satam", 25_000),
        ),
    ),
    Trade(
        ("Keripik", "Camilan", "Dapur"),
        (
            Product("Keripik Singkong Balado 200 gr", 18_000, ("Original", "Balado")),
            Product("Dodol Cempedak 250 gr", 32_000),
            Product("Rusip Ikan Bilis 200 ml", 25_000),
            Product("Sirup Jeruk Kunci 600 ml", 38_000),
        ),
    ),
    Trade(
        ("Ikan Asin", "Hasil Laut", "Olahan Ikan"),
        (
            Product("Ikan Asin Teri Jengki 250 gr", 40_000),
            Product("Abon Ikan Tenggiri 100 gr", 35_000, ("Original", "Pedas")),
            Product("Cumi Kering 250 gr", 95_000),
        ),
    ),
)

# Fixed recipients of reports at regency level: (Nama, Jabatan, Email)
REGENCY_RECIPIENTS: tuple[tuple[str, str, str], ...] = (
    ("H. Syamsul Anwar", "Bupati Belitung", "bupati@belitung.example.org"),
    ("Ir. Ratna Halim", "Kepala Dinas Kominfo", "kominfo@belitung.example.org"),
)
