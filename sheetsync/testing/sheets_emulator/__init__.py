"""The loopback Google Sheets v4 emulator (see emulator.py), about to be opened up into one
module per concept."""

from sheetsync.testing.sheets_emulator.emulator import (
    BATCH_REQUESTS,
    HTML_503,
    RATE_LIMIT_BODY,
    ROUTES,
    Box,
    DiscoverySchema,
    Fault,
    SheetsEmulator,
    column_index,
    column_letters,
    parse_a1,
    parse_mask,
    quote_title,
    split_range,
    tabs_from_xlsx,
)

__all__ = [
    "BATCH_REQUESTS",
    "HTML_503",
    "RATE_LIMIT_BODY",
    "ROUTES",
    "Box",
    "DiscoverySchema",
    "Fault",
    "SheetsEmulator",
    "column_index",
    "column_letters",
    "parse_a1",
    "parse_mask",
    "quote_title",
    "split_range",
    "tabs_from_xlsx",
]
