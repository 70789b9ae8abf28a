"""The request log: every exchange the emulator answered, with its discovery method id, so
a test can count calls and check each one against Google's discovery document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qs

from sheetsync.testing.sheets_emulator.errors import JSON


@dataclass
class Exchange:
    """One logged request and the answer the emulator gave."""

    method: str
    path: str
    query: dict[str, list[str]]
    operation: str  # discovery method id, e.g. "sheets.spreadsheets.values.batchGet"
    status: int
    request_body: JSON
    response_body: JSON
    seconds: float
    injected: bool = False  # the answer came from a Fault, not from the emulator

    @property
    def is_sheets_api(self) -> bool:
        return self.path.startswith("/v4/")


def json_or_text(data: bytes, content_type: str) -> JSON:
    if not data:
        return None
    text = data.decode("utf-8", errors="replace")
    if "x-www-form-urlencoded" in content_type:
        return {k: v[0] for k, v in parse_qs(text).items()}
    try:
        return json.loads(text)
    except ValueError:
        return text
