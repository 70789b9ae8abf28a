"""Export layouts and recognising them by their header row.

A `Layout` names the canonical fields it feeds and the header texts each may carry
(layouts drift: "Total Harga Produk" became "Subtotal Pesanan"). The header row is found
by trying the first rows of a file against every layout; a file is never recognised by
its name. Only the columns a layout lists are ever read, so buyer columns (names,
usernames, phones, addresses) never leave the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sheetsync.model import Marketplace

# Order-level fields an older export leaves blank on an order's second and later item rows
# (orders.fill_continuation_rows).
ORDER_FILL_DOWN = ("order_id", "status_raw", "return_status_raw", "created_at")
HEADER_SEARCH_ROWS = 12  # title rows above the header: Tokopedia 4, TikTok product list 2
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_header(text: object) -> str:
    """Case, spacing and punctuation do not matter: 'Status Pembatalan/ Pengembalian'
    matches 'status pembatalan/pengembalian'."""
    return _NON_WORD.sub(" ", str(text or "").casefold()).strip()


@dataclass(frozen=True)
class Layout:
    """One export layout.

    `columns`: canonical field -> header texts it may have (first found wins).
    `required`: fields that identify the layout and without which it cannot be read.
    `lead_rows`: (field, regex, max rows): right under the header, up to `max` rows whose
    `field` does not match `regex` are not data (TikTok's description row, the Shopee mass
    update's label/"Wajib"/instruction rows).
    `price`: "unit" (price after discount x quantity) or "line" (the column is the line's
    subtotal after discount, as TikTok's "SKU Subtotal After Discount").
    `fill_down`: listings: fields filled down within a product; orders: the order-level
    fields a continuation row takes from its order's first row (ORDER_FILL_DOWN).
    """

    name: str
    marketplace: Marketplace
    kind: str  # "orders" | "listings"
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    date_formats: tuple[str, ...] = ()
    lead_rows: tuple[str, str, int] | None = None
    price: str = "unit"
    variant: Callable[[frozenset[str]], str] | None = None
    fill_down: tuple[str, ...] = ()
    description: str = ""
    _normalised: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        normalised = {f: tuple(normalise_header(h) for h in hs) for f, hs in self.columns.items()}
        object.__setattr__(self, "_normalised", normalised)

    def positions(self, index: Mapping[str, int]) -> dict[str, int]:
        """Column of each field found in a header, given as {normalised text: column}."""
        found: dict[str, int] = {}
        for name, aliases in self._normalised.items():
            hit = next((index[a] for a in aliases if a in index), None)
            if hit is not None:
                found[name] = hit
        return found

    def missing(self, found: Mapping[str, int]) -> list[str]:
        """Required header texts (as the marketplace prints them) absent from a header."""
        return [self.columns[f][0] for f in self.required if f not in found]

    def layout_name(self, header: Sequence[str]) -> str:
        return self.variant(frozenset(header)) if self.variant else self.name


@dataclass(frozen=True)
class HeaderMatch:
    """Where a layout's header was found (0-based row) and its field positions."""

    layout: Layout
    row: int
    positions: dict[str, int]
    header: tuple[str, ...]  # normalised texts of the header row
    missing: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    def title(self, name: str) -> str:
        """The header text of a field as the marketplace prints it (for messages)."""
        aliases = self.layout.columns.get(name, (name,))
        position = self.positions.get(name)
        if position is not None:
            for alias in aliases:
                if normalise_header(alias) == self.header[position]:
                    return alias
        return aliases[0]

    @property
    def score(self) -> float:
        required = len(self.layout.required)
        return (required - len(self.missing)) / required if required else 0.0


def find_header(rows: Sequence[Sequence[object]], layouts: Sequence[Layout]) -> HeaderMatch | None:
    """The first row that completely matches a layout (the best layout on that row), else
    the closest match (most required columns present, for the "closest known layout"
    message), or None when no row shares a single column with any layout."""
    best: HeaderMatch | None = None
    for row_index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        match = _best_on_row(row, layouts)
        if match is not None and (best is None or better_match(match, best)):
            best = replace(match, row=row_index) if row_index else match
        if best is not None and best.complete:
            return best
    return best


_ROW_MATCHES: dict[tuple[int, tuple[object, ...]], tuple[Sequence[Layout], HeaderMatch | None]]
_ROW_MATCHES = {}
_ROW_MATCHES_KEPT = 256  # rows: a reader meets a handful of distinct headers


def _best_on_row(row: Sequence[object], layouts: Sequence[Layout]) -> HeaderMatch | None:
    """The best layout match of one row (as row 0), remembered: a province's hundreds of
    exports repeat a few header rows, whose matching is most of finding a header."""
    try:
        key = (id(layouts), tuple(row))
        known = _ROW_MATCHES.get(key)
    except TypeError:  # a cell that cannot be a key: match it every time
        return _match_row(row, layouts)
    if known is not None and known[0] is layouts:
        return known[1]
    match = _match_row(row, layouts)
    if len(_ROW_MATCHES) >= _ROW_MATCHES_KEPT:
        _ROW_MATCHES.clear()
    _ROW_MATCHES[key] = (layouts, match)
    return match


def _match_row(row: Sequence[object], layouts: Sequence[Layout]) -> HeaderMatch | None:
    """The first best layout on one row (a tie keeps the earlier layout), or None."""
    header = tuple(normalise_header(cell) for cell in row)
    index: dict[str, int] = {}
    for position, text in enumerate(header):
        if text:
            index.setdefault(text, position)
    if not index:
        return None
    best: HeaderMatch | None = None
    for layout in layouts:
        found = layout.positions(index)
        if not found:
            continue
        match = HeaderMatch(layout, 0, found, header, tuple(layout.missing(found)))
        if best is None or better_match(match, best):
            best = match
    return best


def better_match(candidate: HeaderMatch, incumbent: HeaderMatch) -> bool:
    """Complete beats incomplete; then the share of required columns present; then the
    number of required columns (a 6-column layout beats a 2-column one); then all columns."""
    return _rank(candidate) > _rank(incumbent)


def _rank(match: HeaderMatch) -> tuple[bool, float, int, int]:
    required = len(match.layout.required) - len(match.missing)
    return (match.complete, match.score, required, len(match.positions))
