"""The fastest plain engines as references: polars (lazy scan) and DuckDB, bench-only.

Both do what the plain pyarrow pipeline of bench_ingest.py does, with every core: read the
needed columns of every CSV as text, parse status, quantity and money, keep the newest
snapshot of each order (a final status is never replaced by a non-final one) and group per
shop. No durability, no validation, no lineage: the floor sheetsync is measured against.
Installed with `pip install -e '.[bench]'`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

MONTH = "2026-08"
SHOPEE_STATUS = {"Selesai": "completed", "Batal": "cancelled", "Belum Bayar": "unpaid"}
FINAL = ("completed", "cancelled", "returned")
NEEDED = (
    "No. Pesanan",
    "Status Pesanan",
    "Status Pembatalan/ Pengembalian",
    "Waktu Pesanan Dibuat",
    "Harga Setelah Diskon",
    "Jumlah",
)
COMPARED = ["orders", "completed_orders", "units_sold", "sales_idr"]
RETURN_APPROVED = "Permintaan Disetujui"


def shop_files(inbox: Path) -> pd.DataFrame:
    """Every export with its shop (the folder) and rank (sorted name: later download last)."""
    paths = sorted(inbox.glob("*/*.csv"))
    return pd.DataFrame(
        {
            "path": [str(p) for p in paths],
            "shop_id": [p.parent.name for p in paths],
            "file_rank": np.arange(1, len(paths) + 1, dtype="int64"),
        }
    )


def run_polars(inbox: Path) -> pd.DataFrame:
    """One lazy polars query over every file."""
    import polars as pl

    files = pl.from_pandas(shop_files(inbox))
    raw = pl.scan_csv(list(files["path"]), infer_schema=False, include_file_paths="path")
    status = pl.col("Status Pesanan").replace_strict(SHOPEE_STATUS, default="in_progress")
    returned = (status == "completed") & (
        pl.col("Status Pembatalan/ Pengembalian") == RETURN_APPROVED
    )
    quantity = pl.col("Jumlah").cast(pl.Int64)
    price = pl.col("Harga Setelah Diskon").str.replace_all(r"[^0-9]", "").cast(pl.Int64)
    lines = (
        raw.select([*NEEDED, "path"])
        .join(files.lazy(), on="path")
        .filter(pl.col("Waktu Pesanan Dibuat").str.slice(0, 7) == MONTH)
        .select(
            "shop_id",
            pl.col("No. Pesanan").str.strip_chars().str.strip_chars_start("'").alias("order_id"),
            pl.when(returned).then(pl.lit("returned")).otherwise(status).alias("status"),
            quantity.alias("quantity"),
            (price * quantity).alias("line_sales_idr"),
            "file_rank",
        )
    )
    key = pl.col("file_rank") + pl.col("status").is_in(FINAL).cast(pl.Int64) * 1_000_000_000
    current = lines.with_columns(key.alias("_key")).filter(
        pl.col("_key") == pl.col("_key").max().over("shop_id", "order_id")
    )
    done = pl.col("status") == "completed"
    kpis = (
        current.group_by("shop_id")
        .agg(
            pl.col("order_id").n_unique().alias("orders"),
            pl.col("order_id").filter(done).n_unique().alias("completed_orders"),
            pl.col("quantity").filter(done).sum().alias("units_sold"),
            pl.col("line_sales_idr").filter(done).sum().alias("sales_idr"),
        )
        .sort("shop_id")
        .collect()
    )
    return kpis.to_pandas().set_index("shop_id")[COMPARED].astype("int64")


_DUCKDB_SQL = """
WITH raw AS (
    SELECT * FROM read_csv($paths, all_varchar = true, filename = 'path')
), lines AS (
    SELECT f.shop_id, f.file_rank,
        ltrim(trim(r."No. Pesanan"), chr(39)) AS order_id,
        CASE
            WHEN r."Status Pesanan" = 'Selesai'
                 AND r."Status Pembatalan/ Pengembalian" = $returned THEN 'returned'
            WHEN r."Status Pesanan" = 'Selesai' THEN 'completed'
            WHEN r."Status Pesanan" = 'Batal' THEN 'cancelled'
            WHEN r."Status Pesanan" = 'Belum Bayar' THEN 'unpaid'
            ELSE 'in_progress' END AS status,
        CAST(r."Jumlah" AS BIGINT) AS quantity,
        CAST(regexp_replace(r."Harga Setelah Diskon", '[^0-9]', '', 'g') AS BIGINT)
            * CAST(r."Jumlah" AS BIGINT) AS line_sales_idr
    FROM raw r JOIN files f ON f.path = r.path
    WHERE substr(r."Waktu Pesanan Dibuat", 1, 7) = $month
), keyed AS (
    SELECT *, file_rank + CASE WHEN status IN ('completed', 'cancelled', 'returned')
                               THEN 1000000000 ELSE 0 END AS k
    FROM lines
), current AS (
    SELECT * FROM keyed QUALIFY k = max(k) OVER (PARTITION BY shop_id, order_id)
)
SELECT shop_id,
    count(DISTINCT order_id) AS orders,
    count(DISTINCT order_id) FILTER (WHERE status = 'completed') AS completed_orders,
    coalesce(sum(quantity) FILTER (WHERE status = 'completed'), 0) AS units_sold,
    coalesce(sum(line_sales_idr) FILTER (WHERE status = 'completed'), 0) AS sales_idr
FROM current GROUP BY shop_id ORDER BY shop_id
"""


def run_duckdb(inbox: Path) -> pd.DataFrame:
    """One DuckDB query over every file."""
    import duckdb

    files = shop_files(inbox)
    con = duckdb.connect()
    try:
        con.register("files", files)
        params = {"paths": list(files["path"]), "month": MONTH, "returned": RETURN_APPROVED}
        frame = con.execute(_DUCKDB_SQL, params).df()
    finally:
        con.close()
    return frame.set_index("shop_id")[COMPARED].astype("int64")
