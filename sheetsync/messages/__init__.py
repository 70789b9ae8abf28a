"""The message catalogue: every issue code with its severity and its text in id and en.

Whatever finds a problem (validate.py for the staff tabs, the marketplace readers and the
ingest for export files, the KPI discipline check) names a code and fills in fields; the
sentence itself lives here, once, in both languages, so every message follows the
programme's `[program] language` and tests can pin the exact wording. One module per
family: staff.py (staff tabs and completeness), exports.py (export files and rows),
ingest.py (the inbox), discipline.py (KPI discipline). Pure: no I/O.
"""

from __future__ import annotations

from sheetsync.issues import Severity
from sheetsync.messages.discipline import DISCIPLINE_TEXTS, GAP_OBSERVED_FROM, GAP_WHO, KpiCode
from sheetsync.messages.exports import EXPORT_TEXTS, EXPORT_VARIANTS, ORDER_EXPORT_MENUS, IngestCode
from sheetsync.messages.ingest import INBOX_TEXTS, InboxCode
from sheetsync.messages.spec import LANGUAGES, MessageSpec, language_of
from sheetsync.messages.staff import (
    LEFT_OUT,
    SEVERITY_LABELS,
    STAFF_TEXTS,
    THREADED_ONLY_FILLED,
    VALIDASI_HEADERS,
    IssueCode,
    left_out_text,
    similar_header_text,
    suggestion_text,
)

__all__ = [
    "CATALOGUE",
    "FAMILIES",
    "GAP_OBSERVED_FROM",
    "GAP_WHO",
    "LANGUAGES",
    "LEFT_OUT",
    "ORDER_EXPORT_MENUS",
    "SEVERITY_LABELS",
    "THREADED_ONLY_FILLED",
    "VALIDASI_HEADERS",
    "VARIANTS",
    "InboxCode",
    "IngestCode",
    "IssueCode",
    "KpiCode",
    "MessageSpec",
    "language_of",
    "left_out_text",
    "message",
    "severity_of",
    "similar_header_text",
    "suggestion_text",
    "variant_message",
]

# Every code of every family: codes are unique across families (checked by the tests).
FAMILIES = (STAFF_TEXTS, EXPORT_TEXTS, INBOX_TEXTS, DISCIPLINE_TEXTS)
CATALOGUE: dict[str, MessageSpec] = {
    code: spec for family in FAMILIES for code, spec in family.items()
}
# (code, variant) -> a second wording of a code, for when other facts are known.
VARIANTS: dict[tuple[str, str], MessageSpec] = {**EXPORT_VARIANTS}


def message(code: str, language: str = "id", /, **fields: object) -> str:
    """The sentence for `code` in `language` ("id" unless "en"), fields filled in (a field
    may itself be called `code`: the parameters are positional only)."""
    return _render(CATALOGUE[code], language, fields)


def variant_message(code: str, variant: str, language: str = "id", /, **fields: object) -> str:
    """The `variant` wording of `code` (see VARIANTS), as `message`."""
    return _render(VARIANTS[(code, variant)], language, fields)


def _render(spec: MessageSpec, language: str, fields: dict[str, object]) -> str:
    language = language_of(language)
    fields.setdefault("left_out", LEFT_OUT[(language, "row")])
    fields.setdefault("similar", "")
    return spec.template(language).format(**fields)


def severity_of(code: str) -> Severity:
    return CATALOGUE[code].severity
