"""The local .xlsx backend (openpyxl) of the workbook port.

Staff keep the programme in one .xlsx file that they also open in Excel or LibreOffice, so
this backend is careful in four ways:

- It reads the *text staff see* (reading.py): "007" stays "007", 7.0 reads "7", a date cell
  reads as ISO text ("2026-08-02", "2026-08-02 14:03:22") that the validation parser accepts.
- It never changes a value in a staff tab. It replaces its own output tabs whole
  (rows.py: openpyxl makes each sheet and its styles, the cells are written as XML in one
  pass, and openpyxl loads the workbook without the old cells of the tabs it replaces) and
  adds feedback marks (fill + note authored ``sheetsync``, marks.py) to staff cells; the
  fill and note staff had there before are remembered in the hidden tab
  `contract.MARKS_TAB` and restored once the problem is fixed.
- It writes atomically (files.py: temporary file in the same folder + `os.replace`), never
  while a spreadsheet program holds the file open (its lock file is present: reading goes on,
  the write waits for the next run), and refuses to replace a file that someone saved while
  sheetsync was working on it.
- It drops nothing staff made. openpyxl keeps charts, images, validations, conditional
  formats, defined names and pivot tables it can read, but not threaded comments, slicers,
  form controls, sheet extensions (sparklines …) or chart features beyond its model. Before
  saving, `workbook.package.unkept_features` compares the package with what openpyxl models
  and with openpyxl's copy; if anything would be lost, only the output tabs are written into
  the original package and every other part stays byte for byte (`package/splice.py` says
  how feedback marks are kept in that mode: the fill, and the note beside the staff's notes,
  threaded comments and form controls, except on a cell holding a threaded comment).

Formulas in staff tabs keep their cached value in that mode; after an openpyxl save they
lose it until the file is next saved by a spreadsheet program (the workbook is flagged to
recalculate on open). Warnings openpyxl gives while loading are kept in
`XlsxWorkbook.load_warnings` instead of being printed. backend.py is the class the
pipeline talks to.
"""

from sheetsync.workbook.xlsx.backend import THREADED_LABEL, XlsxWorkbook, kept_features_issue
from sheetsync.workbook.xlsx.files import ensure_workbook_usable

__all__ = ["THREADED_LABEL", "XlsxWorkbook", "ensure_workbook_usable", "kept_features_issue"]
