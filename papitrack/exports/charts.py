"""Charts for documents, drawn as PNG with matplotlib's Agg backend (no display needed).

Labels are Vietnamese: the serif family tries Liberation Serif (fonts-liberation2, the
metric twin of Times New Roman that the documents name) and falls back on DejaVu, which
matplotlib bundles and which covers every Vietnamese letter.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

FONT_FAMILY = ["Liberation Serif", "DejaVu Serif", "DejaVu Sans"]
DPI = 150
# rc settings are process-wide; a lock keeps two document jobs from mixing them.
_RC_LOCK = threading.Lock()
RC: Any = {
    "font.family": "serif",
    "font.serif": FONT_FAMILY,
    "font.size": 9,
    "axes.titlesize": 10,
    "svg.fonttype": "none",
    "figure.dpi": DPI,
}
COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7f7f7f", "#bf9000")
STACK_COLOURS = ("#548235", "#a9d18e", "#ffd966", "#c00000")


@dataclass(frozen=True)
class Series:
    """One named line of a chart; None values are drawn as gaps (missing, never zero)."""

    name: str
    values: tuple[Decimal | None, ...]


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)  # attaches the Agg canvas: no display, no pyplot state
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _wrap(label: str, width: int = 18) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines)


def radar_chart(
    *, labels: Sequence[str], series: Sequence[Series], maximum: Decimal, title: str
) -> bytes:
    """A radar (spider) chart, one axis per label, one closed line per series."""
    count = len(labels)
    angles = [2 * math.pi * index / count for index in range(count)]
    with _RC_LOCK, mpl.rc_context(RC):
        figure = Figure(figsize=(6.4, 5.6))
        axes = cast(PolarAxes, figure.add_subplot(projection="polar"))
        axes.set_theta_offset(math.pi / 2)
        axes.set_theta_direction(-1)
        axes.set_xticks(angles)
        axes.set_xticklabels([_wrap(label, 22) for label in labels], fontsize=8)
        axes.tick_params(axis="x", pad=8)
        for text, angle in zip(axes.get_xticklabels(), angles, strict=True):
            # Clockwise from the top: labels on the right start at the axis, labels on the
            # left end there, so none runs over the circle.
            side = math.sin(angle)
            text.set_horizontalalignment(
                "center" if abs(side) < 0.01 else "left" if side > 0 else "right"
            )
        axes.set_ylim(0, float(maximum))
        axes.tick_params(axis="y", labelsize=7)
        for position, line in enumerate(series):
            points = [
                (angle, float(value))
                for angle, value in zip(angles, line.values, strict=True)
                if value is not None
            ]
            if not points:
                continue
            closed = [*points, points[0]] if len(points) == count else points
            colour = COLOURS[position % len(COLOURS)]
            axes.plot(
                [angle for angle, _ in closed],
                [value for _, value in closed],
                color=colour,
                linewidth=1.6,
                marker="o",
                markersize=3,
                label=line.name,
            )
            if len(points) == count:
                axes.fill(
                    [angle for angle, _ in closed],
                    [value for _, value in closed],
                    color=colour,
                    alpha=0.08,
                )
        axes.set_title(title, pad=24)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, frameon=False)
        # Fixed margins: tight_layout would draw the figure twice more to measure it.
        figure.subplots_adjust(left=0.22, right=0.78, top=0.83, bottom=0.17)
        return _png(figure)


@dataclass(frozen=True)
class StackedBar:
    """One bar split into parts (e.g. on time, late, in progress, overdue)."""

    label: str
    parts: tuple[int, ...]


def stacked_bar_chart(
    *, bars: Sequence[StackedBar], part_names: Sequence[str], title: str, axis_label: str
) -> bytes:
    """Horizontal bars, each split into coloured parts, shown as shares of the bar's total."""
    height = max(2.4, 0.28 * len(bars) + 1.4)
    with _RC_LOCK, mpl.rc_context(RC):
        figure = Figure(figsize=(6.4, height))
        axes = figure.add_subplot()
        positions = list(range(len(bars)))[::-1]
        lefts = [0.0] * len(bars)
        for part_index, name in enumerate(part_names):
            widths = []
            for bar in bars:
                whole = sum(bar.parts)
                widths.append(100.0 * bar.parts[part_index] / whole if whole else 0.0)
            axes.barh(
                positions,
                widths,
                left=lefts,
                color=STACK_COLOURS[part_index % len(STACK_COLOURS)],
                edgecolor="white",
                linewidth=0.5,
                label=name,
                height=0.7,
            )
            lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
        axes.set_yticks(positions)
        axes.set_yticklabels([bar.label for bar in bars], fontsize=8)
        axes.set_xlim(0, 100)
        axes.set_xlabel(axis_label)
        axes.set_title(title)
        axes.grid(axis="x", linewidth=0.3)
        figure.legend(loc="lower center", ncol=len(part_names), frameon=False, fontsize=8)
        # Fixed margins in inches (labels left, axis title and legend below), whatever the
        # number of bars: tight_layout would draw the figure twice more to measure it.
        figure.subplots_adjust(left=0.27, right=0.97, top=1 - 0.4 / height, bottom=0.95 / height)
        return _png(figure)
