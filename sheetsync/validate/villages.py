"""The Desa tab: the official villages, by Kemendagri code, with their kecamatan.

Every other tab points at a village by its code, so this tab is read first and becomes the
`Index` the others look codes up in. Two spellings of one kecamatan would split it in two
in every figure, so the rarer spelling is flagged with the commoner one.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

from sheetsync.contract import DESA
from sheetsync.messages import IssueCode
from sheetsync.model import Village
from sheetsync.validate.context import Context
from sheetsync.validate.fields import required
from sheetsync.validate.lookup import Entry, Index, check_unique, compact, mark_sound_rows
from sheetsync.validate.reading import Row

VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


def validate_villages(ctx: Context, rows: list[Row]) -> Index:
    index = Index()
    for row in rows:
        code, name, kecamatan = (required(ctx, row, h) for h in DESA.required)
        _check_village_code_format(ctx, row)
        unique = bool(code) and check_unique(ctx, row, "Kode Desa", index)
        if code and unique:
            record = Village(code, name or "", kecamatan or "")
            index.register(Entry(code, name or "", row.number, False, record))
    _check_kecamatan_spelling(ctx, rows)
    mark_sound_rows(ctx, rows, index)
    return index


def _check_village_code_format(ctx: Context, row: Row) -> None:
    code = row.text("Kode Desa")
    if not code or VILLAGE_CODE.match(code):
        return
    digits = re.sub(r"\D", "", code)
    dotted = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}" if len(digits) == 10 else ""
    ctx.flag(
        IssueCode.VILLAGE_CODE_FORMAT,
        row,
        "Kode Desa",
        suggestion=ctx.suggestion([dotted] if dotted else []),
    )


def _check_kecamatan_spelling(ctx: Context, rows: list[Row]) -> None:
    """'Tanjung Pandan' beside 'Tanjungpandan' splits one kecamatan in two: flag the rarer."""
    counts = Counter(row.text("Kecamatan") for row in rows if row.text("Kecamatan"))
    preferred = _preferred_spellings(counts)
    for row in rows:
        better = preferred.get(row.text("Kecamatan"))
        if better:
            ctx.flag(IssueCode.KECAMATAN_SPELLING, row, "Kecamatan", preferred=better)


def _preferred_spellings(counts: Counter[str]) -> dict[str, str]:
    """Spelling -> the commoner spelling it is a variant of (same letters apart from spaces
    and case, or a one-letter slip of a name used more often)."""
    ranked = [name for name, _ in counts.most_common()]
    preferred: dict[str, str] = {}
    for i, name in enumerate(ranked):
        for better in ranked[:i]:
            same = compact(name) == compact(better)
            slip = counts[better] > counts[name] and _is_slip(name, better)
            if same or slip:
                preferred[name] = preferred.get(better, better)
                break
    return preferred


def _is_slip(name: str, other: str) -> bool:
    """'Membalng' for 'Membalong': nearly the same letters (and not two short words)."""
    a, b = compact(name), compact(other)
    return min(len(a), len(b)) >= 6 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.88
