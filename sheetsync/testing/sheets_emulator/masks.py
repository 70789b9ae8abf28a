"""Field masks (`fields=sheets(properties(title))`): parsed into trees, then used to select
the parts of an answer a client asked for and to decide which fields an update writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sheetsync.testing.sheets_emulator.errors import JSON, invalid


def parse_mask(mask: str) -> dict[str, Any]:
    """'a.b(c,d),e' -> {'a': {'b': {'c': {}, 'd': {}}}, 'e': {}} ('/' works like '.')."""
    tree: dict[str, Any] = {}
    pos = _parse_mask_list(mask.replace("/", ".").replace(" ", ""), 0, tree)
    if pos != len(mask.replace(" ", "")):
        raise invalid(f"Invalid field mask: {mask}")
    return tree


def _parse_mask_list(text: str, pos: int, tree: dict[str, Any]) -> int:
    while pos < len(text):
        pos = _parse_mask_path(text, pos, tree)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return pos


def _parse_mask_path(text: str, pos: int, tree: dict[str, Any]) -> int:
    match = re.compile(r"[A-Za-z0-9_@*]+(\.[A-Za-z0-9_@*]+)*").match(text, pos)
    if not match:
        raise invalid(f"Invalid field mask: {text}")
    node = tree
    for name in match.group(0).split("."):
        node = node.setdefault(name, {})
    pos = match.end()
    if pos < len(text) and text[pos] == "(":
        pos = _parse_mask_list(text, pos + 1, node)
        if pos >= len(text) or text[pos] != ")":
            raise invalid(f"Invalid field mask: {text}")
        pos += 1
    return pos


def select_fields(value: JSON, tree: Mapping[str, Any]) -> JSON:
    """Keep only the masked fields of a response (lists are masked element-wise)."""
    if not tree or "*" in tree:
        return value
    if isinstance(value, list):
        return [select_fields(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {k: select_fields(value[k], sub) for k, sub in tree.items() if k in value}


def update_fields(
    target: dict[str, Any], source: Mapping[str, Any], tree: Mapping[str, Any]
) -> None:
    """Copy the masked fields of `source` into `target`; masked fields absent are cleared."""
    if "*" in tree:
        target.clear()
        target.update(drop_nulls(dict(source)))
        return
    for key, sub in tree.items():
        if not sub:
            if source.get(key) is not None:
                target[key] = drop_nulls(source[key])  # builds new containers: no sharing
            else:
                target.pop(key, None)
            continue
        child = dict(target.get(key) or {})
        update_fields(child, source.get(key) or {}, sub)
        if child:
            target[key] = child
        else:
            target.pop(key, None)


def drop_nulls(value: JSON) -> JSON:
    """Google treats JSON null as "not set"; so does the emulator."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def mask_at(tree: Mapping[str, Any], path: Sequence[str]) -> Mapping[str, Any] | bool:
    """The sub-mask at `path`: True = everything there is wanted, False = nothing is."""
    node = tree
    for key in path:
        if not node or "*" in node:
            return True
        if key not in node:
            return False
        node = node[key]
    return node or True
