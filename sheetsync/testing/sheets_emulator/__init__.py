"""A stateful Google Sheets API v4 emulator on 127.0.0.1, for tests and offline demos.

Why it exists: no public Sheets emulator speaks HTTP with state and `spreadsheets:batchUpdate`,
and mocks inside the client would test our mocks, not gspread. This is a real HTTP server that
unmodified gspread + google-auth talk to (redirected by `workbook.gsheets.make_client`), whose
answers copy what Google was recorded answering (gspread's cassettes, gargle's error bodies):
trimmed value ranges, normalised range echoes, omitted default fields, google.rpc error
envelopes, atomic batch updates, the 50,000-characters-per-cell and 10-million-cell limits.

    python -m sheetsync.testing.sheets_emulator --port 8765   # serves until killed
    python -m sheetsync.testing.sheets_emulator --port 8765 --seed demo/data/program.xlsx \
        --spreadsheet-id demo --service-account /tmp/sa.json      # the demo, over "Google"

With the second form a config of ``backend = "gsheets"``, ``spreadsheet_id = "demo"``,
``credentials = "/tmp/sa.json"`` and ``endpoint = "http://127.0.0.1:8765"`` runs sheetsync
against the emulator, real JWT auth included (the key file appears once all is ready).

In tests: ``with SheetsEmulator() as emu: emu.create_spreadsheet({"Desa": rows})``, then
`emu.url`, `emu.token_uri`, `emu.request_log`, `emu.inject(Fault.rate_limited(times=3))`,
`emu.tab_values(sid, "KPI Toko")`, `emu.cell(sid, "Toko!F3")` (notes, colours).
Every exchange is logged with its discovery method id, so a test can validate each response
against Google's own discovery document (`DiscoverySchema`).

One concept a module, each importable on its own:

    a1.py            A1 notation: title quoting, range text -> `Box`
    masks.py         field masks: parse, select, masked update
    cells.py         one cell's value: typed input, formulas, number/date formats, rendering
    state.py         `Book` / `Sheet` (sparse cells), defaults, range resolution
    responses.py     spreadsheets.get shapes: properties, grid data, masks over grid data
    values.py        the values API: reads, update / append / clear, batch totals
    colours.py       colours as Sheets stores them (float32 channels, ColorStyle twins)
    batch_update.py  spreadsheets.batchUpdate: the request table, atomic application
    errors.py        Google's limits, the google.rpc envelope (`ApiError`), recorded bodies
    faults.py        `Fault` (injected answers) and the per-minute `Quota`
    request_log.py   `Exchange`: one logged request and its answer
    routes.py        HTTP method + raw path -> discovery method id + operation
    oauth.py         the `/token` endpoint: JWT checked against a trusted key
    server.py        the loopback HTTP server and handler
    emulator.py      `SheetsEmulator`: lifecycle, test controls, dispatch, operations
    tab_html.py      a tab as HTML, to look at what a sync left behind
    discovery.py     `DiscoverySchema`: Google's discovery document as strict JSON Schema
    cli.py           the command line (`__main__.py` runs it)
"""

from sheetsync.testing.sheets_emulator.batch_update import BATCH_REQUESTS
from sheetsync.testing.sheets_emulator.cli import tabs_from_xlsx
from sheetsync.testing.sheets_emulator.discovery import DiscoverySchema
from sheetsync.testing.sheets_emulator.emulator import SheetsEmulator
from sheetsync.testing.sheets_emulator.faults import Fault
from sheetsync.testing.sheets_emulator.routes import ROUTES

__all__ = [
    "BATCH_REQUESTS",
    "ROUTES",
    "DiscoverySchema",
    "Fault",
    "SheetsEmulator",
    "tabs_from_xlsx",
]
