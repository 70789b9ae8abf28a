"""The .xlsx package below openpyxl (being opened up into one module per concept)."""

from __future__ import annotations

from sheetsync.workbook.package.splice import (
    TYPE_LABELS,
    content_types,
    insert_cell,
    patch_cell_styles,
    relationships,
    rels_name,
    splice_output_tabs,
    unkept_features,
    with_style,
)

__all__ = [
    "TYPE_LABELS",
    "content_types",
    "insert_cell",
    "patch_cell_styles",
    "relationships",
    "rels_name",
    "splice_output_tabs",
    "unkept_features",
    "with_style",
]
