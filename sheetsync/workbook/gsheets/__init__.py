"""The Google Sheets backend of the workbook port (unmodified gspread + google-auth).

Why it is shaped like this:

- **Quota.** A service account is one Google "user": 60 reads and 60 writes a minute. So a
  whole sync costs at most three Sheets API requests, whatever the number of tabs and rows:
  one metadata read (tab ids and sizes, plus the note and fill of staff cells, needed to put
  them back after a feedback mark), one `values:batchGet` for every tab read, and one
  `spreadsheets:batchUpdate` for every write.
- **Text stays text.** Staff tabs are read as FORMATTED_VALUE text, so "007", "0812…" and
  "1.250.000" reach validation exactly as typed (never gspread's numericise). Output cells are
  written through `updateCells` with `userEnteredValue.stringValue`, which Sheets never parses:
  `=IMPORTXML(…)`, `+62…`, `-` and `@x` from marketplace exports cannot become formulas.
- **All or nothing.** Google applies a batchUpdate atomically; everything a sync writes
  (output tabs, leftovers cleared by resizing, feedback marks, the hidden marks tab) goes in
  one, so a failed run leaves the previous results whole. Only a body above the request size
  limit (9 MB, some 10,000 rows of 18 columns) is split, costing extra requests: the parts
  fill hidden staging tabs, and only the last request swaps them in.
- **Bounded retries.** 408, 429, 5xx and HTML error pages are retried with truncated
  exponential backoff and jitter, capped in attempts and in total time (gspread's own
  BackOffHTTPClient retries forever); then `RemoteError`. Errors a person must fix (sheet not
  shared, wrong id, API disabled) say what to do.

The rooms, each one concept:

    client.py        the gspread client: service-account key, endpoint redirect (proxy, emulator)
    retry.py         which failures are retried, SHEETS_RETRY (the rule: sheetsync/retry.py)
    snapshot.py      what one read saw: tabs, sizes, looks of staff cells, the marks memory
    marks.py         feedback marks on staff cells and their memory tab (pure)
    batch_update.py  the batchUpdate bodies that write output tabs, split when too big (pure)
    backend.py       GSheetsWorkbook: the port's read_tabs/write, requests and their errors
    staff_tabs.py    `sheetsync init --backend gsheets`: add the staff tabs a sheet lacks
"""

from sheetsync.workbook.gsheets.backend import GSheetsWorkbook
from sheetsync.workbook.gsheets.client import client_for_credentials, make_client
from sheetsync.workbook.gsheets.staff_tabs import InitResult, init_spreadsheet

__all__ = [
    "GSheetsWorkbook",
    "InitResult",
    "client_for_credentials",
    "init_spreadsheet",
    "make_client",
]
