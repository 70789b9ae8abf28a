"""Charts drawn as small inline SVG text, so reports need no image files or chart library.

WeasyPrint draws SVG natively and browsers show it inline, so one string serves the PDF and
the self-contained HTML. Pure: numbers in, markup out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from sheetsync.locale_id import number, rupiah

BAR_COLOUR = "#2f6f9f"
LINE_COLOUR = "#d9822b"
GRID_COLOUR = "#d9dee3"
TEXT_COLOUR = "#3a3f44"
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    label: str  # e.g. "Okt 26"
    transactions: int
    sales_idr: int


@dataclass(frozen=True, slots=True)
class _Frame:
    width: int = 680
    height: int = 230
    left: int = 46
    right: int = 78
    top: int = 26
    bottom: int = 34

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    def y(self, value: float, top_value: float) -> float:
        return self.top + self.plot_height * (1 - value / top_value)


def nice_ceiling(value: float) -> float:
    """Round an axis maximum up to 1, 2, 2.5 or 5 × 10^n so gridlines read as round numbers."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def whole_ceiling(value: float) -> float:
    """An axis maximum whose quarter gridlines are whole numbers: counts never read "1,25"."""
    top = nice_ceiling(value)
    return top if top % 4 == 0 else float(max(4, math.ceil(value / 4) * 4))


def trend_chart(
    points: Sequence[TrendPoint], *, bar_label: str, line_label: str, language: str = "id"
) -> Markup:
    """Bars of transactions (left axis) with a line of sales (right axis), oldest first."""
    frame = _Frame()
    top_tx = whole_ceiling(max((p.transactions for p in points), default=0))
    top_sales = nice_ceiling(max((p.sales_idr for p in points), default=0))
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {frame.width} {frame.height}' "
        f"width='100%' role='img' aria-label='{escape(bar_label)} / {escape(line_label)}'>",
        *_grid(frame, top_tx, top_sales, language),
        *_bars(frame, points, top_tx),
        *_line(frame, points, top_sales),
        *_legend(frame, bar_label, line_label),
        "</svg>",
    ]
    return Markup("".join(parts))


def _grid(frame: _Frame, top_tx: float, top_sales: float, language: str) -> list[str]:
    lines = []
    for step in range(5):
        share = step / 4
        y = frame.top + frame.plot_height * (1 - share)
        lines.append(
            f"<line x1='{frame.left}' y1='{y:.1f}' x2='{frame.width - frame.right}' "
            f"y2='{y:.1f}' stroke='{GRID_COLOUR}' stroke-width='1'/>"
        )
        lines.append(_text(frame.left - 6, y + 4, number(top_tx * share, language), "end"))
        sales = rupiah(top_sales * share, language).replace("Rp ", "")
        lines.append(_text(frame.width - frame.right + 6, y + 4, sales, "start"))
    return lines


def _bars(frame: _Frame, points: Sequence[TrendPoint], top_tx: float) -> list[str]:
    if not points:
        return []
    slot = frame.plot_width / len(points)
    shapes = []
    for i, point in enumerate(points):
        x = frame.left + slot * i + slot * 0.18
        y = frame.y(point.transactions, top_tx)
        height = frame.top + frame.plot_height - y
        shapes.append(
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{slot * 0.64:.1f}' height='{height:.1f}' "
            f"fill='{BAR_COLOUR}'/>"
        )
        label_y = frame.height - frame.bottom + 16
        shapes.append(_text(frame.left + slot * (i + 0.5), label_y, point.label, "middle"))
    return shapes


def _line(frame: _Frame, points: Sequence[TrendPoint], top_sales: float) -> list[str]:
    if not points:
        return []
    slot = frame.plot_width / len(points)
    coords = [
        (frame.left + slot * (i + 0.5), frame.y(p.sales_idr, top_sales))
        for i, p in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = [f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{LINE_COLOUR}'/>" for x, y in coords]
    polyline = f"<polyline points='{path}' fill='none' stroke='{LINE_COLOUR}' stroke-width='2.5'/>"
    return [polyline, *dots]


def _legend(frame: _Frame, bar_label: str, line_label: str) -> list[str]:
    y = 12
    return [
        f"<rect x='{frame.left}' y='{y - 9}' width='12' height='10' fill='{BAR_COLOUR}'/>",
        _text(frame.left + 17, y, bar_label, "start"),
        f"<rect x='{frame.left + 170}' y='{y - 6}' width='14' height='3' fill='{LINE_COLOUR}'/>",
        _text(frame.left + 189, y, f"{line_label} (Rp)", "start"),
    ]


def _text(x: float, y: float, content: str, anchor: str) -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}' font-size='10' {FONT} "
        f"fill='{TEXT_COLOUR}'>{escape(content)}</text>"
    )
