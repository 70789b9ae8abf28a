"""Plain HTTP calls to a running emulator, shared by the emulator's tests: what a client
sends on the wire, without gspread in between.
"""

from __future__ import annotations

import requests

from sheetsync.testing.sheets_emulator.emulator import SheetsEmulator


def call(emu: SheetsEmulator, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, emu.url + path, timeout=5, **kwargs)


def values_path(sid: str, rng: str) -> str:
    return f"/v4/spreadsheets/{sid}/values/" + requests.utils.quote(rng, safe="")


def batch(emu, sid, *requests_):
    return call(
        emu, "POST", f"/v4/spreadsheets/{sid}:batchUpdate", json={"requests": list(requests_)}
    )
