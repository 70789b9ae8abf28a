"""The command line (`python -m sheetsync.testing.sheets_emulator`): serve the emulator until
killed, optionally seeded with the staff tabs of an .xlsx and with a fake service-account key
it trusts, so sheetsync can run its gsheets backend offline.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from sheetsync.testing.sheets_emulator.emulator import SheetsEmulator


def tabs_from_xlsx(path: str) -> dict[str, list[list[object]]]:
    """The staff tabs of an .xlsx as the text the .xlsx backend reads, ready to seed a
    spreadsheet: the same programme on both backends, so their KPI tabs can be compared."""
    import openpyxl

    from sheetsync.contract import is_output_tab
    from sheetsync.workbook.xlsx import XlsxWorkbook

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        names = [n for n in book.sheetnames if not is_output_tab(n)]
    finally:
        book.close()
    tables = XlsxWorkbook(Path(path)).read_tabs(names)
    seeded: dict[str, list[list[object]]] = {}
    for name, table in tables.items():
        rows: list[list[object]] = [list(table.header)]
        rows += [list(row) for row in table.rows]
        seeded[name] = rows
    return seeded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sheetsync.testing.sheets_emulator",
        description="Serve a loopback Google Sheets v4 emulator until killed. Prints only errors.",
        epilog="Example: python -m sheetsync.testing.sheets_emulator --port 8765 "
        "--service-account /tmp/sa.json --seed demo/program.xlsx --spreadsheet-id demo",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--require-auth", action="store_true", help="answer 401 unless a token from /token is sent"
    )
    parser.add_argument(
        "--service-account",
        metavar="FILE",
        help="write a fake service-account key for this emulator to FILE (and trust it)",
    )
    parser.add_argument("--seed", metavar="XLSX", help="start with the staff tabs of this .xlsx")
    parser.add_argument(
        "--quota", type=int, metavar="N", help="answer 429 past N reads or N writes a minute"
    )
    parser.add_argument(
        "--spreadsheet-id", default="sheetsync-demo", help="id of the seeded spreadsheet"
    )
    args = parser.parse_args(argv)
    emulator = SheetsEmulator(
        host=args.host,
        port=args.port,
        require_auth=args.require_auth,
        log_limit=1000,
        quota_per_minute=args.quota,
    )
    emulator.start()
    try:
        prepare(emulator, args)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        emulator.stop()


def prepare(emulator: SheetsEmulator, args: argparse.Namespace) -> None:
    from sheetsync.testing.fake_service_account import make_service_account_info

    tabs = tabs_from_xlsx(args.seed) if args.seed else None
    emulator.create_spreadsheet(tabs, spreadsheet_id=args.spreadsheet_id)
    if args.service_account:  # written last: once the key file exists, all is ready
        info = make_service_account_info(emulator.token_uri)
        emulator.trust_service_account(info)
        write_atomically(Path(args.service_account), json.dumps(info, indent=2))


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o600)
    partial.replace(path)
