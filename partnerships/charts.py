"""Small line charts of an indicator's measurements, drawn on the server as SVG.

Pure functions over plain data: they compute coordinates, the template draws
them. No JavaScript and no inline styles are needed, so the charts work on a
slow phone and under the strict content security policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 320
HEIGHT = 160
# Room for the value labels on the left and the dates underneath.
MARGIN_LEFT = 44
MARGIN_RIGHT = 12
MARGIN_TOP = 12
MARGIN_BOTTOM = 24


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    day: date
    value: Decimal


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[ChartPoint, ...]
    target_y: float
    baseline_y: float | None
    y_min: Decimal
    y_max: Decimal

    @property
    def is_empty(self) -> bool:
        return not self.points

    @property
    def polyline(self) -> str:
        """The ``points`` attribute of an SVG ``<polyline>``."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def first_day(self) -> date | None:
        return self.points[0].day if self.points else None

    @property
    def last_day(self) -> date | None:
        return self.points[-1].day if self.points else None

    @property
    def label_x(self) -> float:
        """Where value labels end, just left of the plot."""
        return self.left - 4

    @property
    def date_label_y(self) -> float:
        return self.height - 6


def _value_range(values: Iterable[Decimal]) -> tuple[Decimal, Decimal]:
    values = list(values)
    low, high = min(values), max(values)
    if low == high:
        # A flat series still needs a visible band around it.
        pad = abs(low) / 10 or Decimal(1)
        return low - pad, high + pad
    pad = (high - low) / 20
    return low - pad, high + pad


def line_chart(
    measurements: Iterable[tuple[date, Decimal]],
    *,
    target: Decimal,
    baseline: Decimal | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> LineChart:
    """Coordinates for measurements (date, value) drawn against a horizontal target line.

    The value axis always includes the target (and the baseline when given), so
    the distance to the goal is visible even before the first measurement.
    """
    series = sorted(measurements, key=lambda m: m[0])
    left, right = float(MARGIN_LEFT), float(width - MARGIN_RIGHT)
    top, bottom = float(MARGIN_TOP), float(height - MARGIN_BOTTOM)

    references = [target] + ([baseline] if baseline is not None else [])
    y_min, y_max = _value_range([v for _, v in series] + references)
    span_value = y_max - y_min

    def y_of(value: Decimal) -> float:
        share = float((value - y_min) / span_value)
        return round(bottom - share * (bottom - top), 1)

    points: list[ChartPoint] = []
    if series:
        first, last = series[0][0], series[-1][0]
        span_days = (last - first).days
        for day, value in series:
            if span_days == 0:
                # One day only: centre the point(s) rather than pin them to an edge.
                x = (left + right) / 2
            else:
                x = left + (day - first).days / span_days * (right - left)
            points.append(ChartPoint(x=round(x, 1), y=y_of(value), day=day, value=value))

    return LineChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        points=tuple(points),
        target_y=y_of(target),
        baseline_y=y_of(baseline) if baseline is not None else None,
        y_min=y_min,
        y_max=y_max,
    )
