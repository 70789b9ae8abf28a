"""Tables a person can read at 80 columns, and CSV/TSV a spreadsheet cannot be tricked by.

A table is a list of records (plain dicts) and a list of `Col`umns in the order a person
asks for them. `fit` picks the columns that fit the width (the first ones first), shrinks
the one flexible text column, and truncates long texts with "…" instead of wrapping them.
On a terminal the result is drawn with rich; in a pipe it is plain aligned text (no box
drawing, one line per record) so `grep`, `less -S` and redirects work.

CSV and TSV keep every column under its machine name. Text cells that a spreadsheet would
run as a formula (starting with = + - @ tab or CR) get a leading apostrophe, the OWASP
advice; numbers stay numbers.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table

GAP = 2  # spaces between columns
ELLIPSIS = "…"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Formatter = Callable[[Any], str]


@dataclass(frozen=True, slots=True)
class Col:
    """One column: the record key, its label, how to show a value, how it may shrink."""

    key: str
    label: str
    show: Formatter = str
    numeric: bool = False  # right-aligned
    flex: bool = False  # the column that shrinks (names, messages)
    min_width: int = 0  # a flexible column never gets narrower than this
    max_width: int = 0  # ... nor wider than this while another one could use the space
    middle: bool = False  # truncate in the middle (file paths keep their end)
    wrap: bool = False  # on a terminal, wrap this column's words instead of truncating


@dataclass(frozen=True, slots=True)
class Layout:
    columns: list[Col]
    widths: list[int]
    rows: list[list[str]]  # cells already formatted (not yet truncated)

    @property
    def width(self) -> int:
        return sum(self.widths) + GAP * max(len(self.widths) - 1, 0)


def screen_width() -> int:
    """$COLUMNS if set, else the terminal's width; in a pipe 80."""
    return max(shutil.get_terminal_size(fallback=(80, 24)).columns, 20)


def fit(records: Sequence[Mapping[str, Any]], columns: Sequence[Col], width: int) -> Layout:
    """The columns (in order) that fit `width`; the flexible ones shrink, others are dropped.

    Columns no record has are skipped. A column is kept when it fits beside the ones before
    it with every flexible column at its minimum; the space left then goes to the flexible
    columns, up to their natural width.
    """
    present = {k for r in records for k in r}
    columns = [c for c in columns if c.key in present]
    cells = {c.key: [_shown(c, r.get(c.key)) for r in records] for c in columns}
    natural = {c.key: max([len(c.label), *map(len, cells[c.key])]) for c in columns}
    floor = {c.key: min(natural[c.key], max(c.min_width, len(c.label))) for c in columns}
    kept: list[Col] = []
    for column in columns:
        need = sum(_floor_or_natural(c, floor, natural) for c in [*kept, column])
        if not kept or need + GAP * len(kept) <= width:
            kept.append(column)
    widths = [_floor_or_natural(c, floor, natural) for c in kept]
    _grow(kept, widths, natural, width - sum(widths) - GAP * (len(kept) - 1))
    rows = [[cells[c.key][i] for c in kept] for i in range(len(records))]
    return Layout(kept, widths, rows)


def _grow(kept: Sequence[Col], widths: list[int], natural: Mapping[str, int], spare: int) -> None:
    """Share the spare width among the flexible columns: first up to their caps, then all."""
    for capped in (True, False):
        for i, column in enumerate(kept):
            limit = natural[column.key]
            if capped and column.max_width:
                limit = min(limit, column.max_width)
            grow = min(max(spare, 0), max(limit - widths[i], 0)) if column.flex else 0
            widths[i] += grow
            spare -= grow


def _floor_or_natural(column: Col, floor: Mapping[str, int], natural: Mapping[str, int]) -> int:
    return floor[column.key] if column.flex else natural[column.key]


def _shown(column: Col, value: Any) -> str:
    text = column.show(value)
    return " ".join(text.split()) if "\n" in text or "\t" in text else text


def shorten(text: str, width: int, *, middle: bool = False) -> str:
    """'Kopi Aik Seruk Sijuk' -> 'Kopi Aik Se…' at 12; `middle` keeps both ends."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    if middle:
        head = (width - 1) // 2
        return text[:head] + ELLIPSIS + text[len(text) - (width - 1 - head) :]
    return text[: width - 1] + ELLIPSIS


def plain_lines(layout: Layout) -> list[str]:
    """Aligned text without box drawing: a header, a dashed rule, one line per record."""
    header = _line(layout, [c.label for c in layout.columns])
    rule = (" " * GAP).join("-" * w for w in layout.widths)
    return [header, rule, *(_line(layout, row) for row in layout.rows)]


def _line(layout: Layout, cells: Sequence[str]) -> str:
    parts = []
    for column, width, text in zip(layout.columns, layout.widths, cells, strict=True):
        cut = shorten(text, width, middle=column.middle)
        parts.append(cut.rjust(width) if column.numeric else cut.ljust(width))
    return (" " * GAP).join(parts).rstrip()


def rich_table(layout: Layout, *, title: str = "") -> Table:
    """The same layout drawn by rich: bold header, a rule under it, no outer box."""
    table = Table(
        title=title or None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, GAP - 1, 0, 0),
        title_justify="left",
    )
    for column, width in zip(layout.columns, layout.widths, strict=True):
        table.add_column(
            column.label,
            width=width,
            justify="right" if column.numeric else "left",
            no_wrap=not column.wrap,
            overflow="fold" if column.wrap else "ellipsis",
        )
    for row in layout.rows:
        table.add_row(
            *(_cell(c, w, t) for c, w, t in zip(layout.columns, layout.widths, row, strict=True))
        )
    return table


def _cell(column: Col, width: int, text: str) -> str:
    return text if column.wrap else shorten(text, width, middle=column.middle)


def print_table(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[Col],
    *,
    is_terminal: bool,
    title: str = "",
    out: IO[str] | None = None,
) -> None:
    """Fit and print: rich on a terminal, plain aligned text in a pipe."""
    width = screen_width()
    layout = fit(records, columns, width)
    if is_terminal:
        Console(file=out, width=width, highlight=False).print(rich_table(layout, title=title))
        return
    text = "\n".join(([shorten(title, width)] if title else []) + plain_lines(layout))
    print(text, file=out)


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading ' (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_delimited(
    records: Iterable[Mapping[str, Any]],
    keys: Sequence[str],
    out: IO[str],
    *,
    tsv: bool = False,
) -> None:
    """Every record under its machine names, formula-like texts neutralised."""
    writer = csv.writer(out, delimiter="\t" if tsv else ",", lineterminator="\n")
    writer.writerow([neutralise(k) for k in keys])
    for record in records:
        writer.writerow([_delimited_cell(record.get(k)) for k in keys])


def _delimited_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)
