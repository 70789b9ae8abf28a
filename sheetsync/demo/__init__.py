"""The embedded demo programme: Duta Digital Kabupaten Belitung, generated from a seed.

`write_demo` writes what a real programme folder holds after three months of work: the staff
workbook (`data/program.xlsx`: the 49 official villages, 42 ambassadors, about 150 shops,
targets, form responses, report recipients) with the mistakes staff really make, and an inbox
of Shopee and Tokopedia exports as ambassadors download them (overlapping downloads, re-saved
CSVs, both Shopee layouts, every status, a few broken rows). It does not write the config or
run the sync: `sheetsync demo` does that.

Everything is a function of `seed` and `today`, so the `DemoManifest` it returns (every row,
every mistake, every order line per file) lets a test compute the KPIs independently.

The package follows the demo's seams: data.py (villages, names, trades), people.py
(ambassadors and shops), tabs.py and form.py (the staff tabs), orders.py, downloads.py and
inbox.py (the exports as ambassadors download them), breakage.py (the planted inbox
mistakes), listings.py, writing.py (`write_demo`), manifest.py; exports/ writes real-layout
marketplace files (the tests use it too).
"""

from sheetsync.demo.manifest import BrokenRow, DemoExport, DemoManifest, DemoMistake
from sheetsync.demo.writing import demo_months, write_demo

__all__ = ["BrokenRow", "DemoExport", "DemoManifest", "DemoMistake", "demo_months", "write_demo"]
