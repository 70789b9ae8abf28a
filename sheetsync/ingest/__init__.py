"""Marketplace exports from the inbox into the ledger: new files once, each in one transaction.

The inbox is `inbox/<ID Toko>/<files>`: the first folder below the inbox names the shop,
files may sit at any depth below it. The inbox belongs to the people who fill it, so it is
only ever read: nothing is moved, renamed or deleted; what was done is remembered in the
ledger's manifest instead (by sha256, so the same file under another name is recognised).

- already imported bytes -> skipped; rejected bytes -> skipped until the file changes
  (or a newer sheetsync, whose readers may know the file by now, is running);
- new bytes -> read by `marketplaces.read_export` (in worker processes when there are many)
  -> stored by this process, the single writer, one transaction per file;
- a folder whose name is not an `ID Toko` of the `Toko` tab is still imported (so nothing
  is lost while staff fix the tab) and reported as a warning; when the same file later
  appears under a known shop folder (the folder was renamed), its lines move to that shop.
A reader crash or an unstorable frame is an Issue for that file and is retried next run;
only a failing ledger (disk full, locked) stops the run, as `LedgerError`.

One step a module: scan (finding files), run (the entry points and one run: hash, read,
store), read (reader processes), store (one transaction per file), issues (the inbox's own
issues), summary (what a run found and did).
"""

from sheetsync.ingest.read import file_sha256, packed_for_writer, reader_processes
from sheetsync.ingest.run import ingest_inbox, ingest_paths
from sheetsync.ingest.scan import path_text, scan_inbox
from sheetsync.ingest.store import drop_unstorable_lines
from sheetsync.ingest.summary import IngestSummary, Progress, Reader

__all__ = [
    "IngestSummary",
    "Progress",
    "Reader",
    "drop_unstorable_lines",
    "file_sha256",
    "ingest_inbox",
    "ingest_paths",
    "packed_for_writer",
    "path_text",
    "reader_processes",
    "scan_inbox",
]
