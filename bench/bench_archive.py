"""The archive-style check of issue 13, at full size: one shop's monthly downloads,
2018-2026, in every real layout, read back; the figures per marketplace.

    .venv/bin/python bench/bench_archive.py            # monthly files (about 330)
    .venv/bin/python bench/bench_archive.py --every 3  # quarterly

Prints files read / files with data, lines expected and read, and lines lost to missing
order ids (the goal is 0), per marketplace.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import tests_path  # noqa: F401 - puts tests/marketplaces on sys.path for archive_samples
from archive_samples import archive_table, check_archive, write_archive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="one file per N months")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        files = write_archive(Path(folder), every=args.every)
        written = time.perf_counter()
        tallies = check_archive(files)
        done = time.perf_counter()
    print(archive_table(tallies))
    print(
        f"{len(files)} files written in {written - started:.1f} s, read in {done - written:.1f} s"
    )


if __name__ == "__main__":
    main()
