"""The routing table: which HTTP method and raw path is which Google API method (its
discovery id) and which `SheetsEmulator` operation answers it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_ID = r"([^/:?]+)"
_V4 = r"^/v4/spreadsheets"
# (HTTP method, raw-path pattern, discovery method id, handler). Matched on the RAW path, so
# a '/' or ':' inside a tab name (sent as %2F / %3A) never splits the route.
ROUTES: list[tuple[str, re.Pattern[str], str, str]] = [
    ("POST", re.compile(r"^/token$"), "oauth2.token", "_op_token"),
    (
        "GET",
        re.compile(r"^/v1/projects/-/serviceAccounts/([^/]+)/allowedLocations$"),
        "iamcredentials.serviceAccounts.allowedLocations",
        "_op_allowed_locations",
    ),
    ("POST", re.compile(_V4 + "$"), "sheets.spreadsheets.create", "_op_create"),
    ("GET", re.compile(_V4 + f"/{_ID}$"), "sheets.spreadsheets.get", "_op_get"),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}:batchUpdate$"),
        "sheets.spreadsheets.batchUpdate",
        "_op_batch_update",
    ),
    (
        "GET",
        re.compile(_V4 + f"/{_ID}/values:batchGet$"),
        "sheets.spreadsheets.values.batchGet",
        "_op_values_batch_get",
    ),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}/values:batchUpdate$"),
        "sheets.spreadsheets.values.batchUpdate",
        "_op_values_batch_update",
    ),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}/values:batchClear$"),
        "sheets.spreadsheets.values.batchClear",
        "_op_values_batch_clear",
    ),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}/values/(.+):append$"),
        "sheets.spreadsheets.values.append",
        "_op_values_append",
    ),
    (
        "POST",
        re.compile(_V4 + f"/{_ID}/values/(.+):clear$"),
        "sheets.spreadsheets.values.clear",
        "_op_values_clear",
    ),
    (
        "GET",
        re.compile(_V4 + f"/{_ID}/values/(.+)$"),
        "sheets.spreadsheets.values.get",
        "_op_values_get",
    ),
    (
        "PUT",
        re.compile(_V4 + f"/{_ID}/values/(.+)$"),
        "sheets.spreadsheets.values.update",
        "_op_values_update",
    ),
]


def first_params(query: Mapping[str, list[str]]) -> dict[str, str]:
    return {k: v[0] for k, v in query.items() if v}


def is_true(text: str | None) -> bool:
    return (text or "").lower() == "true"
