"""Alerts to the operator (`mail.alert_to`): a failed run, stale exports, a damaged ledger.

Each condition has a stable key. An alert goes out when a condition becomes active and is
not repeated while it stays active (state in `alerts-state.json` beside the ledger); when
the condition clears it is forgotten, so a later recurrence alerts again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

SendAlert = Callable[[str, str], None]  # (subject, body)


@dataclass(frozen=True, slots=True)
class Condition:
    key: str  # stable: "run-failed:sync", "stale-exports", "ledger-integrity"
    subject: str
    body: str  # what happened and what to do


def run_failed(command: str, error: str, *, retryable: bool) -> Condition:
    advice = (
        "The next scheduled run will try again; act only if this repeats."
        if retryable
        else "This will not fix itself: read the message, correct the cause, then run "
        f"`sheetsync {command}` by hand to check."
    )
    return Condition(
        f"run-failed:{command.split()[0]}",
        f"{command} gagal / failed",
        f"The run `sheetsync {command}` failed:\n\n  {error}\n\n{advice}\n",
    )


def stale_exports(last_import: dt.datetime | None, now: dt.datetime, days: int) -> Condition | None:
    """No new export for `days` days: ambassadors may have stopped uploading."""
    if last_import is not None and now - last_import < dt.timedelta(days=days):
        return None
    since = last_import.strftime("%Y-%m-%d %H:%M") if last_import else "never"
    return Condition(
        "stale-exports",
        f"Tidak ada ekspor baru selama {days} hari",
        f"No new marketplace export has been imported since {since} ({days}+ days).\n"
        "Ask the ambassadors to download their shops' exports into the inbox folders, and "
        "check that the inbox path in the config is the folder they upload to.\n",
    )


def registry_broken(detail: str) -> Condition:
    """The last sync found the staff tabs structurally broken and published nothing."""
    return Condition(
        "registry-broken",
        "[sheetsync] Tab staf rusak: angka dan laporan tidak diperbarui",
        f"The last sync found the staff tabs broken, so it published nothing:\n\n  {detail}\n\n"
        "Exports are still imported and the KPI tabs keep the last good figures; `report`, "
        "`send` and `monthly` refuse until staff fix the tab (the Validasi tab says how). "
        "You get this once; the next good sync clears it.\n",
    )


def ledger_damaged(detail: str) -> Condition:
    return Condition(
        "ledger-integrity",
        "Ledger gagal pemeriksaan integritas",
        f"The SQLite ledger failed its integrity check: {detail}\n"
        "Stop the worker, copy the newest file from the ledger backups folder over the "
        "ledger, then run `sheetsync doctor` and `sheetsync sync`.\n",
    )


def workbook_unwritten(
    since: dt.datetime | None, now: dt.datetime, workbook: str
) -> Condition | None:
    """The staff workbook stayed open in Excel for a day: the output tabs are getting stale.

    Each sync still imports and computes; only the workbook write waits for the file to be
    closed, so one open evening is no news but a whole day is.
    """
    if since is None or now - since < dt.timedelta(days=1):
        return None
    return Condition(
        "workbook-unwritten",
        f"[sheetsync] Buku kerja tidak dapat ditulis sejak {since:%Y-%m-%d %H:%M}",
        f"Sejak {since:%Y-%m-%d %H:%M}, setiap sinkronisasi mengimpor ekspor dan menghitung "
        f"KPI, tetapi tab keluaran di {workbook} tidak ditulis karena buku kerja itu sedang "
        "dibuka di Excel/LibreOffice (ada berkas kunci ~$… atau .~lock…# di foldernya).\n"
        "Minta staf menutup buku kerja itu. Bila tidak dibuka di mana pun, hapus berkas "
        "kuncinya. Sinkronisasi berikutnya menulis semua tab keluaran.\n",
    )


def deliver_alerts(
    conditions: Iterable[Condition], *, state_path: Path, send: SendAlert, now: dt.datetime
) -> list[str]:
    """Send alerts for newly active conditions; return the keys sent."""
    active = {c.key: c for c in conditions}
    known = _load(state_path)
    sent = []
    for key, condition in active.items():
        if key not in known:
            send(condition.subject, condition.body)
            known[key] = now.isoformat(timespec="seconds")
            sent.append(key)
    _save(state_path, {k: v for k, v in known.items() if k in active})
    return sent


def clear_condition(state_path: Path, key: str) -> None:
    """A condition that is over (e.g. a run succeeded again): the next occurrence alerts."""
    known = _load(state_path)
    if known.pop(key, None) is not None:
        _save(state_path, known)


def _load(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save(path: Path, data: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".alerts.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(tmp, path)
