"""Charts drawn on the server as SVG (geometry here, markup in reports/_chart.html, escaped like any template):
no script, no external file, so they work offline, print, and pass the strict Content-Security-Policy. The
numbers are in the table under each chart for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 900, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 10, 10, 60
# Okabe–Ito colours: told apart by readers with any common colour-vision deficiency.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
MAX_LABELS = 24


@dataclass
class Drawing:
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    grid: list[dict] = field(default_factory=list)
    bars: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)


def as_number(value) -> float:
    return float(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else 0.0


def nice_top(highest: float) -> float:
    """A round upper bound for the scale: 1, 2 or 5 times a power of ten."""
    if highest <= 0:
        return 1.0
    step = 10 ** (len(str(int(highest))) - 1)
    for factor in (1, 2, 5, 10):
        if highest <= factor * step:
            return float(factor * step)
    return float(10 * step)


def axis_text(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1_000:
        return f"{value / 1_000:g}k"
    return f"{value:g}"


def drawing(*, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence]], style: str = "bar"
            ) -> Drawing:
    """A bar chart (grouped when several series) or a line chart of `series` [(name, values)] over `labels`."""
    values = [[as_number(value) for value in points] for _name, points in series]
    top = nice_top(max((max(points, default=0) for points in values), default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(1, len(labels))
    chart = Drawing(title=title, height=HEIGHT + 24 * len(series))

    def y_of(value: float) -> float:
        return round(TOP + plot_height - plot_height * max(value, 0) / top, 1)

    for step in range(5):
        y = y_of(top * step / 4)
        chart.grid.append({"y": y, "text_y": round(y + 4, 1), "x2": LEFT + plot_width,
                           "text": axis_text(top * step / 4)})
    for index, points in enumerate(values):
        colour = COLOURS[index % len(COLOURS)]
        if style == "line":
            chart.lines.append({"colour": colour, "points": " ".join(
                f"{LEFT + slot * (i + 0.5):.1f},{y_of(value)}" for i, value in enumerate(points))})
            continue
        width = slot * 0.8 / len(values)
        for i, value in enumerate(points):
            chart.bars.append({"x": round(LEFT + slot * (i + 0.1) + width * index, 1), "y": y_of(value),
                               "width": round(max(width, 0.5), 1), "height": round(TOP + plot_height - y_of(value), 1),
                               "colour": colour})
    every = max(1, -(-len(labels) // MAX_LABELS))
    for i, label in enumerate(labels):
        if i % every == 0:
            chart.labels.append({"x": round(LEFT + slot * (i + 0.5), 1), "y": TOP + plot_height + 14, "text": label})
    for index, (name, _points) in enumerate(series):
        y = HEIGHT + 24 * index + 8
        chart.legend.append({"x": LEFT, "y": y, "text_x": LEFT + 18, "text_y": y + 11,
                             "colour": COLOURS[index % len(COLOURS)], "text": name})
    return chart
