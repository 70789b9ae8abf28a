"""What a person typed on the command line, checked against the programme's own data.

click checks the shape of options (a month, one of the levels); this module checks what
only the data can tell: that a village, shop, ambassador or kecamatan exists, and that a
month lies within the data. A mistake is a `UsageError` (exit 2) whose one line says what
is valid, never the "unexpected failure … report it" of a real defect.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from sheetsync.errors import UsageError
from sheetsync.model import Registry

OPTION = {
    "village": "--village",
    "shop": "--shop",
    "ambassador": "--ambassador",
    "kecamatan": "--kecamatan",
}
EXAMPLES = 3


def resolve_unit(
    registry: Registry, level: str, typed: str, *, extra_shops: Iterable[str] = ()
) -> str:
    """The key of the unit `typed` names (a village may also be named, if unambiguously).

    Matching ignores case and surrounding spaces. Raises UsageError when nothing matches.
    """
    choices = unit_choices(registry, level, extra_shops)
    wanted = typed.strip().casefold()
    exact = [key for key in choices if key.casefold() == wanted]
    named = [key for key, name in choices.items() if name.casefold() == wanted]
    if exact or len(named) == 1:
        return (exact or named)[0]
    raise UsageError(_unknown_unit_message(level, typed, choices, named))


def unit_choices(registry: Registry, level: str, extra_shops: Iterable[str] = ()) -> dict[str, str]:
    """Valid keys of `level` with a name to show beside them."""
    if level == "village":
        return {v.code: v.name for v in registry.villages}
    if level == "ambassador":
        return {a.ambassador_id: a.name for a in registry.ambassadors}
    if level == "shop":
        shops = {s.shop_id: s.name for s in registry.shops}
        return {**{s: s for s in extra_shops}, **shops}
    names = sorted({v.kecamatan for v in registry.villages if v.kecamatan})
    return {name: name for name in names}


def _unknown_unit_message(
    level: str, typed: str, choices: Mapping[str, str], named: list[str]
) -> str:
    """One line: what was typed, the nearest valid keys (or a few examples), how many."""
    option = OPTION.get(level, level)
    if not choices:
        return f"{option} {typed!r}: the staff workbook lists none yet."
    why = "names more than one" if named else "is unknown"
    near = named or _nearest(typed, choices)
    shown = near or list(choices)[:EXAMPLES]
    hint = "did you mean" if near else "e.g."
    listed = ", ".join(_label(key, choices[key]) for key in shown)
    return f"{option} {typed!r} {why}; {hint} {listed} ({len(choices)} valid)."


def _nearest(typed: str, choices: Mapping[str, str]) -> list[str]:
    """Keys whose code or name is close to what was typed (typos, a missing dot)."""
    by_text = {k.casefold(): k for k in choices} | {n.casefold(): k for k, n in choices.items()}
    close = difflib.get_close_matches(typed.strip().casefold(), list(by_text), EXAMPLES, 0.6)
    return list(dict.fromkeys(by_text[c] for c in close))


def _label(key: str, name: str) -> str:
    return key if name == key else f"{key} ({name})"


def check_month(month: str, *, first: str | None, last: str | None, current: str) -> None:
    """A month after the programme's current month or before any data is a usage error."""
    if first is None or last is None:
        if month > current:
            raise UsageError(f"no data for {month}: it is in the future (now {current}).")
        return
    if month > current or month < first:
        raise UsageError(f"no data for {month}; data exists for {first} … {last}.")
