"""PURE: the staff tabs as text -> (Registry of rows without errors, ValidationReport).

One module per concept: `registry` (validate_workbook, the tabs in dependency order),
`reading` (headers matched to the contract, rows), `context` (collecting issues),
`fields` (cell readers), `lookup` (codes and IDs, "Maksud Anda …?"), one module of rules
per staff tab (`villages`, `ambassadors`, `shops`, `targets`, `form_reports`,
`recipients`), `coverage` (completeness warnings), `blocking` (publish or not) and
`feedback` (the Validasi tab and cell marks). This package re-exports what the rest of
sheetsync uses.
"""

from sheetsync.messages import IssueCode
from sheetsync.validate.blocking import STRUCTURAL_CODES, publishing_blockers, registry_counts
from sheetsync.validate.coverage import Span, completeness_issues
from sheetsync.validate.feedback import VALIDATION_TAB, cell_marks, validation_tab
from sheetsync.validate.lookup import suggest_ambassadors, suggest_villages
from sheetsync.validate.reading import uncomputed_formula_issues
from sheetsync.validate.recipients import validate_recipients
from sheetsync.validate.registry import validate_workbook

__all__ = [
    "STRUCTURAL_CODES",
    "VALIDATION_TAB",
    "IssueCode",
    "Span",
    "cell_marks",
    "completeness_issues",
    "publishing_blockers",
    "registry_counts",
    "suggest_ambassadors",
    "suggest_villages",
    "uncomputed_formula_issues",
    "validate_recipients",
    "validate_workbook",
    "validation_tab",
]
