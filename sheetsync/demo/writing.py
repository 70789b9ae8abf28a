"""`write_demo`: lays out the demo around a programme day and writes the workbook, the exports
and the listings under the target folder, then returns the manifest.

Safe to run again: files an earlier run wrote (recorded in `.sheetsync-demo.json`) are
replaced, an unchanged export is kept byte for byte (the ledger knows files by sha256), and
any other file in the way stops the run before anything is written.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sheetsync.demo import exports
from sheetsync.demo.breakage import ORPHAN_FOLDER
from sheetsync.demo.downloads import FilePlan
from sheetsync.demo.form import laporan_rows
from sheetsync.demo.inbox import plan_inbox
from sheetsync.demo.listings import ListingPlan, listing_plans
from sheetsync.demo.manifest import INBOX_PATH, WORKBOOK_PATH, DemoExport, DemoManifest, DemoMistake
from sheetsync.demo.people import make_ambassadors, make_shops
from sheetsync.demo.tabs import TabRows, desa_rows, duta_rows, penerima_rows, target_rows, toko_rows
from sheetsync.errors import SinkError
from sheetsync.model import Marketplace
from sheetsync.months import month_of, months_back, previous_month
from sheetsync.workbook.template import create_staff_workbook, fill_staff_workbook
from sheetsync.workbook.xlsx import ensure_workbook_usable

RECORD_NAME = ".sheetsync-demo.json"  # which files the demo wrote, so a re-run replaces only them
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def demo_months(today: dt.date) -> tuple[str, ...]:
    """The three calendar months ending with the month before `today`."""
    return tuple(months_back(previous_month(month_of(today)), 3))


def write_demo(target: Path, *, today: dt.date, seed: int = 2026) -> DemoManifest:
    """Write the demo workbook and inbox under `target`; the same seed and day give the same data.

    Safe to run again: files an earlier run wrote are replaced; any other file in the way
    stops the run (SinkError) before anything is written.
    """
    root = Path(target)
    previous = previous_demo_files(root)
    refuse_foreign_files(root, [WORKBOOK_PATH] if WORKBOOK_PATH not in previous else [])
    months = demo_months(today)
    people_rng = random.Random(f"sheetsync-demo/{seed}/people")
    ambassadors = make_ambassadors(people_rng)
    shops = make_shops(people_rng, ambassadors, months[0], today)
    laporan, missing_reports = laporan_rows(people_rng, ambassadors, months, today, shops)
    tabs = [
        desa_rows(),
        duta_rows(ambassadors),
        toko_rows(shops, today),
        target_rows(people_rng, ambassadors, months, shops),
        laporan,
        penerima_rows(people_rng, ambassadors),
    ]
    inbox = plan_inbox(random.Random(f"sheetsync-demo/{seed}/orders/{today}"), shops, months, today)
    plans = [*inbox.files, *inbox.orphans]
    listings = listing_plans(shops, months, today, {p.export.shop_id for p in inbox.files})
    files = (WORKBOOK_PATH, *(p.export.path for p in plans), *(lp.path for lp in listings))
    refuse_foreign_files(root, [f for f in files if f not in previous])
    remove_previous_demo(root, previous, keep=set(files) - {WORKBOOK_PATH})
    write_workbook(root / WORKBOOK_PATH, tabs)
    for plan in plans:
        write_export(root, plan)
    for listing in listings:
        write_listing(root, listing)
    record_demo_files(root, files)
    mistakes = [m for tab in tabs for m in tab.mistakes] + missing_reports
    mistakes.append(DemoMistake("inbox", None, None, ORPHAN_FOLDER, "folder of no shop", "warning"))
    return DemoManifest(
        root=root,
        workbook=root / WORKBOOK_PATH,
        inbox=root / INBOX_PATH,
        today=today,
        months=months,
        current_month=month_of(today),
        tables={tab.tab: tuple(tuple(row) for row in tab.rows) for tab in tabs},
        mistakes=tuple(mistakes),
        exports=tuple(absolute(root, p.export) for p in inbox.files),
        orphan_exports=tuple(absolute(root, p.export) for p in inbox.orphans),
        shops_without_exports=tuple(inbox.shops_without_exports),
        files=files,
        listings=tuple(
            (lp.shop_id, root / lp.path, lp.taken_at.date(), tuple(dict.fromkeys(lp.product_ids)))
            for lp in listings
        ),
    )


def write_listing(root: Path, plan: ListingPlan) -> None:
    if plan.marketplace is Marketplace.SHOPEE:
        rows = exports.shopee_mass_update_rows(plan.products)
    else:
        rows = exports.tiktok_products_rows(plan.products)
    path = root / plan.path
    data = exports.xlsx_bytes(rows)
    if not (path.is_file() and path.read_bytes() == data):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    stamp = plan.taken_at.replace(tzinfo=WIB).timestamp()
    os.utime(path, (stamp, stamp))


def absolute(root: Path, export: DemoExport) -> DemoExport:
    return replace(export, path=root / export.path)


def write_workbook(path: Path, tabs: Sequence[TabRows]) -> None:
    create_staff_workbook(path)
    fill_staff_workbook(path, {tab.tab: tab.rows for tab in tabs})


def write_export(root: Path, plan: FilePlan) -> None:
    """Write the file and date it to its download time, as a browser download would be.

    A file an earlier run wrote with the same content is kept byte for byte, so the ledger
    (which knows files by their sha256) sees nothing new when the demo is written again.
    """
    path = root / plan.export.path
    data = export_bytes(plan)
    if not (path.is_file() and same_content(path.read_bytes(), data)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    stamp = plan.export.downloaded_at.replace(tzinfo=WIB).timestamp()
    os.utime(path, (stamp, stamp))


def export_bytes(plan: FilePlan) -> bytes:
    if plan.export.fmt == "xlsx":
        return exports.xlsx_bytes(plan.rows, sheet=plan.sheet)
    return exports.csv_bytes(plan.rows, sep=plan.sep, bom=plan.bom)


def same_content(old: bytes, new: bytes) -> bool:
    """Equal bytes, or the same .xlsx apart from the creation time stamped into it."""
    if old == new:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
            names = [n for n in a.namelist() if n != "docProps/core.xml"]
            return names == [n for n in b.namelist() if n != "docProps/core.xml"] and all(
                a.read(n) == b.read(n) for n in names
            )
    except zipfile.BadZipFile:
        return False


def previous_demo_files(root: Path) -> set[Path]:
    """The files an earlier run recorded as its own."""
    record = root / RECORD_NAME
    if not record.is_file():
        return set()
    return {Path(f) for f in json.loads(record.read_text(encoding="utf-8")).get("files", [])}


def remove_previous_demo(root: Path, previous: set[Path], keep: set[Path]) -> None:
    """Delete what an earlier run wrote (but not what this run may keep), never anything else."""
    workbook = root / WORKBOOK_PATH
    if WORKBOOK_PATH in previous and workbook.exists():
        ensure_workbook_usable(workbook)  # not while it is open in Excel or LibreOffice
    for relative in previous - keep:
        path = root / relative
        if path.is_file() and root.resolve() in path.resolve().parents:
            path.unlink()
    for folder in sorted((root / INBOX_PATH).glob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def refuse_foreign_files(root: Path, paths: Sequence[Path]) -> None:
    in_the_way = [str(p) for p in paths if (root / p).exists()]
    if in_the_way:
        raise SinkError(
            f"{root} already holds files the demo did not write ({', '.join(in_the_way[:3])}"
            f"{' …' if len(in_the_way) > 3 else ''}); choose an empty folder for the demo."
        )


def record_demo_files(root: Path, files: Sequence[Path]) -> None:
    record = {"written_by": "sheetsync demo", "files": [str(f) for f in files]}
    (root / RECORD_NAME).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
