"""`sheetsync init --backend gsheets`: add the staff tabs a spreadsheet lacks.

Staff start from an empty or half-made spreadsheet; init adds each missing staff tab with a
bold frozen header (the instruction as a note on A1) and drop-down lists where the contract
has choices, in one metadata read and at most one batchUpdate, and never touches a tab that
exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import gspread

from sheetsync.contract import STAFF_TABS, TabSpec
from sheetsync.retry import RetryPolicy
from sheetsync.workbook.gsheets.backend import GSheetsWorkbook
from sheetsync.workbook.gsheets.batch_update import header_cell, stable_sheet_id
from sheetsync.workbook.gsheets.snapshot import JSON


class InitResult(NamedTuple):
    """What `init_spreadsheet` did; unpacks as ``added, email = init_spreadsheet(...)``."""

    added_tabs: tuple[str, ...]
    service_account_email: str


def staff_tab_requests(spec: TabSpec, sheet_id: int, rows: int = 1000) -> list[JSON]:
    """A new staff tab: bold frozen header row (the instruction as a note on A1) and
    drop-down lists where the contract has choices."""
    columns = max(len(spec.headers), 1)
    header = [header_cell(h) for h in spec.headers]
    header[0]["note"] = spec.note
    requests: list[JSON] = [
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": spec.name,
                    "gridProperties": {
                        "rowCount": rows,
                        "columnCount": columns,
                        "frozenRowCount": 1,
                    },
                }
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [{"values": header}],
                "fields": "userEnteredValue,userEnteredFormat,note",
            }
        },
    ]
    for name, choices in spec.choices:
        if name in spec.headers:
            col = spec.headers.index(name)
            requests.append(drop_down_request(sheet_id, col, rows, choices))
    return requests


def drop_down_request(sheet_id: int, col: int, rows: int, choices: Sequence[str]) -> JSON:
    return {
        "setDataValidation": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": 1,
                "endRowIndex": rows,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            },
            "rule": {
                "condition": {
                    "type": "ONE_OF_LIST",
                    "values": [{"userEnteredValue": c} for c in choices],
                },
                "inputMessage": "Pilih salah satu: " + ", ".join(choices),
                "strict": False,
                "showCustomUi": True,
            },
        }
    }


def init_spreadsheet(
    client: gspread.Client,
    spreadsheet_id: str,
    *,
    specs: Sequence[TabSpec] = STAFF_TABS,
    retry: RetryPolicy | None = None,
) -> InitResult:
    """Add the staff tabs the spreadsheet lacks (existing tabs are never touched), in one
    metadata read and at most one batchUpdate.

    Returns the tabs added and the service-account email the spreadsheet must be shared with
    (print it). A spreadsheet not shared yet fails with the same advice (RemoteError)."""
    workbook = GSheetsWorkbook(client, spreadsheet_id, retry=retry)
    snapshot = workbook.read_metadata()
    missing = [s for s in specs if snapshot.find(s.name) is None]
    taken = {t.sheet_id for t in snapshot.tabs.values()}
    requests: list[JSON] = []
    for spec in missing:
        sheet_id = stable_sheet_id(spec.name, taken)
        taken.add(sheet_id)
        requests += staff_tab_requests(spec, sheet_id)
    if requests:
        workbook.batch_update(requests)
    return InitResult(tuple(s.name for s in missing), workbook.service_account_email)
