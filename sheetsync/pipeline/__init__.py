"""Where the pure core meets the adapters: sync, ingest, validate, kpi, explain, report,
send, monthly.

The CLI and the worker call these functions and nothing else, so a cron run and a
scheduled run do exactly the same thing. Commands that change something (sync, ingest,
send) hold the run lock; the ones that only look (validate, kpi, explain) write nothing.
Each run reads the programme clock once and passes that instant down. The modules:
runs (instant, adapters, run record), staff (staff tabs), queries (validate/kpi/explain),
sync (sync/ingest), outputs (the tabs a sync writes), publish (report/send/monthly).
"""

from sheetsync.pipeline.outputs import unwritten_workbook_since
from sheetsync.pipeline.publish import (
    MonthlyResult,
    SendRun,
    monthly,
    report,
    send,
)
from sheetsync.pipeline.queries import explain, kpi_for_month, validate
from sheetsync.pipeline.runs import Progress, now_local, open_ledger, open_workbook
from sheetsync.pipeline.staff import StaffData, read_staff_data
from sheetsync.pipeline.sync import SyncResult, ingest, sync

__all__ = [
    "MonthlyResult",
    "Progress",
    "SendRun",
    "StaffData",
    "SyncResult",
    "explain",
    "ingest",
    "kpi_for_month",
    "monthly",
    "now_local",
    "open_ledger",
    "open_workbook",
    "read_staff_data",
    "report",
    "send",
    "sync",
    "unwritten_workbook_since",
    "validate",
]
