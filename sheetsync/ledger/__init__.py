"""The SQLite ledger (WAL): every imported export, its order lines, runs, sends and KPIs.

One file an operator can copy and back up holds everything sheetsync remembers between
runs; `Ledger.open(path)` opens it, migrating an older one after a backup. store.py is the
ledger itself, linestore.py a file's order lines as one Arrow IPC blob, sendlog.py the
exactly-once send log on the ledger's connection.
"""

from sheetsync.ledger.linestore import PackedLines, pack_order_lines
from sheetsync.ledger.sendlog import SendLog, SendRecord, SendResult
from sheetsync.ledger.store import (
    DATA_ERRORS,
    MIGRATIONS,
    SCHEMA_VERSION,
    FileMeta,
    FileRecord,
    Ledger,
    ShopCoverage,
)

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
