"""The KPI layer, pure: order lines + the registry -> KPI tables, tabs and records.

Public API (stable for the pipeline and the reports):
- `resolve_orders(lines)`: one snapshot per order (newest; a final status never replaced).
- `compute_kpis(lines, registry, month, *, listings, kpi_config, history_months)`.
- `kpi_output_tabs(result, registry, language)`: Ringkasan, KPI Toko/Duta/Desa/Kecamatan.
- `kpi_records(result, by)`: JSON-ready dicts for `sheetsync kpi --format json`.
- `diff_kpis(old, new, month=…, language=…)`: "Mei 2026: transaksi Desa Air Saga 120 → 118".
- `two_source_issues(two_source, month, language="id")`: flagged reported-vs-observed gaps
  as warnings, worded in `language`.
- `order_lines_behind(lines, registry, month, level=, key=, metric=)` and
  `listing_rows_behind(listings, …)`: the file rows behind a figure (lineage for
  `sheetsync explain`), chosen by the functions that compute it, so they add up to it.
Rules in plain language: docs/kpi.md.
"""

from sheetsync.kpi.compute import compute_kpis
from sheetsync.kpi.discipline import two_source_issues
from sheetsync.kpi.explain import listing_rows_behind, order_lines_behind
from sheetsync.kpi.records import diff_kpis, kpi_records
from sheetsync.kpi.resolve import resolve_orders
from sheetsync.kpi.tabs import kpi_output_tabs

__all__ = [
    "compute_kpis",
    "diff_kpis",
    "kpi_output_tabs",
    "kpi_records",
    "listing_rows_behind",
    "order_lines_behind",
    "resolve_orders",
    "two_source_issues",
]
