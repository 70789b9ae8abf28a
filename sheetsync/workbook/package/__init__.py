"""The .xlsx package below openpyxl: what its save would drop, and a write that drops nothing.

Staff own the workbook and add things in Excel that openpyxl cannot model (threaded comments,
slicers, form controls, sparklines and other sheet extensions, chart features beyond its
model). Saving through openpyxl would silently delete them. So the xlsx backend first asks
`unkept_features` what a save would lose, comparing the package's parts, content types and
sheet/workbook extensions with what openpyxl models, and the openpyxl save itself with the
original. If anything would be lost it does not save the openpyxl copy; `splice_output_tabs`
builds the file from the original package instead:

- every part is copied byte for byte, except
- the output tabs (and the hidden marks tab) whose sheet parts come from the openpyxl copy,
  with their texts made inline so they need no shared-strings table;
- `styles.xml` comes from the openpyxl copy, which keeps every original cell format at its
  index and only appends (checked: `ensure_styles_compatible`), so staff cells keep their
  look and the output tabs' formats exist;
- staff cells whose format sheetsync changed (feedback marks added or taken back) get only
  their `s` attribute rewritten in the original sheet XML;
- a mark's note that came or went is written into the staff sheet's own notes part and VML
  drawing as Excel writes it (`legacy_notes`), beside the staff's notes, the legacy notes of
  threaded comments and form controls, which stay byte for byte; a cell holding a threaded
  comment keeps it (Excel allows a comment or a note there, not both): its mark is the fill;
- workbook.xml, its relationships and [Content_Types].xml gain entries for new output tabs.

Either way the output tabs' cells are not openpyxl's: `sheet_data` gives openpyxl the
package without the cells of the tabs being replaced, and writes the new rows (made as XML
by `xlsx.rows`) into the package openpyxl saved, before the check and the splice.

Pure functions over bytes: the backend reads and writes the files.
"""

from __future__ import annotations

from sheetsync.workbook.package.splice import splice_output_tabs
from sheetsync.workbook.package.unkept import TYPE_LABELS, unkept_features

__all__ = ["TYPE_LABELS", "splice_output_tabs", "unkept_features"]
