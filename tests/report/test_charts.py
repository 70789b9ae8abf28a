import re
from xml.etree import ElementTree

import pytest

from sheetsync.report.charts import TrendPoint, nice_ceiling, trend_chart, whole_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def chart(values, **kwargs):
    points = [TrendPoint(f"M{i}", tx, sales) for i, (tx, sales) in enumerate(values)]
    return ElementTree.fromstring(
        str(trend_chart(points, bar_label="Transaksi", line_label="Penjualan", **kwargs))
    )


@pytest.mark.parametrize(("value", "top"), [(0, 1), (7, 10), (25, 25), (26, 50), (4_450_000, 5e6)])
def test_nice_ceiling(value, top):
    assert nice_ceiling(value) == top


@pytest.mark.parametrize("value", [1, 3, 5, 7, 12, 25, 97, 518])
def test_count_axis_has_whole_gridlines(value):
    top = whole_ceiling(value)
    assert top >= value and (top / 4).is_integer()


def test_one_bar_per_month_and_a_sales_line():
    svg = chart([(0, 0)] * 10 + [(25, 3_700_000), (30, 4_450_000)])
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("height") and r.get("fill") == "#2f6f9f"]
    assert len(bars) == 12 + 1  # twelve bars and the legend swatch
    heights = [float(r.get("height")) for r in bars[:12]]
    assert heights[-1] > heights[-2] > 0 == heights[0]
    assert len(svg.find(f"{SVG}polyline").get("points").split()) == 12


def test_labels_are_escaped_and_axis_reads_indonesian():
    points = [TrendPoint("<Okt>", 5, 1_250_000)]
    text = str(trend_chart(points, bar_label="A & B", line_label="Penjualan"))
    ElementTree.fromstring(text)
    assert "&lt;Okt&gt;" in text and "A &amp; B" in text
    assert re.search(r">2\.000\.000<", text)  # sales axis top, Indonesian grouping


def test_empty_trend_still_draws():
    assert chart([]).tag == f"{SVG}svg"
