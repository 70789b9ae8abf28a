"""The SQLite ledger (WAL): every imported export, its order lines, runs, sends and KPIs.

One file an operator can copy and back up holds everything sheetsync remembers between
runs; `Ledger.open(path)` opens it, migrating an older one after a backup. The parts:

    database.py     the connection: WAL, explicit transactions, LedgerError wrapping
    schema.py       every table, as the ordered migrations (the only place tables are made)
    stamps.py       how times are written (naive programme-local text or seconds)
    linestore.py    a file's order lines as one Arrow IPC blob (pack, decode)
    files.py        the manifest: one transaction per imported file; FileMeta, FileRecord
    lines.py        order lines: stored as blobs, read back by month with file ranks
    coverage.py     what is held per shop and month (ShopCoverage), without decoding
    listings.py     listing snapshots
    runs.py         the record of every run
    kpis.py         KPI snapshots and the computed-KPI cache
    maintenance.py  backups and integrity checks
    store.py        Ledger: the open file, all of the above on one object
    sendlog.py      SendLog: the exactly-once send log on the ledger's connection
"""

from sheetsync.ledger.coverage import ShopCoverage
from sheetsync.ledger.database import DATA_ERRORS
from sheetsync.ledger.files import FileMeta, FileRecord
from sheetsync.ledger.linestore import PackedLines, pack_order_lines
from sheetsync.ledger.schema import MIGRATIONS, SCHEMA_VERSION
from sheetsync.ledger.sendlog import SendLog, SendRecord, SendResult
from sheetsync.ledger.store import Ledger

__all__ = [
    "DATA_ERRORS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "FileMeta",
    "FileRecord",
    "Ledger",
    "PackedLines",
    "SendLog",
    "SendRecord",
    "SendResult",
    "ShopCoverage",
    "pack_order_lines",
]
