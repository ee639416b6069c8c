"""Where a native line chart's reference labels go: band names and the cut-off.

A citizen's progression chart shades the instrument's bands (or the far side of the
cut-off) behind the line. A meeting leader must read what the shades are without a
legend, so each shaded band carries its name ("Moderat", "Klinisk område") and the
cut-off its label ("Grænseværdi 25", "Alliancegrænse 36") on the chart itself.

The plot area is laid out by hand (:func:`plot_box`), so every point's place on the
slide is known; a label is tried at a few places (left or right end of the plot, high,
middle or low in its band; for the cut-off just beside the band's edge) and goes to the
first that keeps clear of the points, their value labels, the lines between them and
the labels already placed (:func:`place_labels`). The renderer then moves the label
there from its anchor with a data label's manual offset.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from outputs.charts import axis_step, axis_title
from outputs.fmt import fmt_value
from outputs.spec import FigureSpec
from outputs.style import LABEL_PT, MIN_PT

#: Average glyph width of chart text as a share of the font size (as ``native_chart``).
CHAR_W = 0.6
#: Height of one line of chart text, as a share of its font size.
LINE = 1.25
#: Space (pt) kept free above the plot for value labels over the highest points.
TOP_PT = 14.0
#: Gap (pt) between a reference label and the plot's edge.
EDGE_PT = 5.0


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Rect) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0


@dataclass
class Geometry:
    """The plot area of a chart in points (from the chart's top left) and its value axis."""

    width: float  # chart
    height: float
    left: float  # plot
    top: float
    w: float
    h: float
    lo: float  # value axis
    hi: float
    n_cat: int
    title_lines: list[str]

    def x(self, i: float) -> float:
        """Centre of category ``i`` (categories sit in the middle of their slots)."""
        return self.left + (i + 0.5) * self.w / max(self.n_cat, 1)

    def y(self, v: float) -> float:
        span = (self.hi - self.lo) or 1.0
        return self.top + self.h * (self.hi - min(max(v, self.lo), self.hi)) / span

    def layout(self) -> tuple[float, float, float, float]:
        """The plot area as shares of the chart (for ``native_chart.inner_layout``)."""
        return (self.left / self.width, self.top / self.height, self.w / self.width,
                self.h / self.height)


def text_w(text: str, pt: float) -> float:
    return len(text) * pt * CHAR_W


def axis_min(fig: FigureSpec) -> float:
    """The value axis' minimum as ``native_chart.axes_xml`` writes it (a multiple of the
    tick step)."""
    lo = fig.y_min if fig.y_min is not None else 0.0
    if fig.y_min is not None and fig.y_max is not None:
        step = axis_step(fig.y_min, fig.y_max)
        lo = math.floor(fig.y_min / step + 1e-9) * step
    return lo


def plot_box(fig: FigureSpec, width_pt: float, height_pt: float) -> Geometry:
    """Where the plot goes in a chart of ``width_pt`` x ``height_pt``: room on the left for
    the tick labels and the axis title (split over two lines when longer than the axis),
    below for the category labels (one line each), above for value labels."""
    lo = axis_min(fig)
    hi = fig.y_max if fig.y_max is not None else 1.0
    lines = max((c.count("\n") + 1 for c in fig.categories), default=1)
    bottom = lines * MIN_PT * LINE + 10 + (MIN_PT * LINE if fig.x_label else 0.0)
    top = TOP_PT
    plot_h = max(height_pt - top - bottom, 40.0)
    title = axis_title(fig.y_label, plot_h) if fig.y_label else ""
    title_lines = [title] if isinstance(title, str) else list(title)
    kind = "pct" if fig.value_format == "pct" else "int"
    ticks = max(len(fmt_value(v, kind, "da")) for v in (lo, hi))
    left = ticks * MIN_PT * CHAR_W + 12 + (len(title_lines) * MIN_PT * LINE + 6
                                           if fig.y_label else 0.0)
    right = 12.0
    return Geometry(width_pt, height_pt, left, top, max(width_pt - left - right, 60.0), plot_h,
                    lo, hi, len(fig.categories), title_lines if fig.y_label else [])


@dataclass
class RefLabel:
    """A reference label to place: its text, and the value range it may sit in (a band),
    or the value it sits beside (the cut-off: ``low == high``), on the side ``side``
    ("above" / "below" the value) first."""

    key: str
    text: str
    low: float
    high: float
    side: str = "above"


def obstacles(fig: FigureSpec, geo: Geometry, solid: list[str], guides: list[str],
              marker_cats: list[int]) -> list[Rect]:
    """What a reference label must keep clear of: each point of a ``solid`` series with its
    value label (above, or below near the top of the plot), the segments between points of
    every line (``solid`` and dashed ``guides``) and the reliable-change markers."""
    out: list[Rect] = []
    near_top = geo.hi - 0.2 * (geo.hi - geo.lo)
    label_h = LABEL_PT * LINE
    for ser in solid + guides:
        pts = [(geo.x(i), geo.y(v)) for i, v in enumerate(fig.values(ser)) if v is not None]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):  # the line, sampled
            steps = max(int(math.hypot(x1 - x0, y1 - y0) / 4), 1)
            for s in range(steps + 1):
                x, y = x0 + (x1 - x0) * s / steps, y0 + (y1 - y0) * s / steps
                out.append(Rect(x - 2, y - 2, x + 2, y + 2))
        if ser not in solid:
            continue
        for i, v in enumerate(fig.values(ser)):
            if v is None:
                continue
            x, y = geo.x(i), geo.y(v)
            out.append(Rect(x - 8, y - 8, x + 8, y + 8))
            if ser in fig.unlabelled_series:
                continue
            half = text_w(fmt_value(v, fig.value_format, "da"), LABEL_PT) / 2 + 2
            if v >= near_top:  # written below the point
                out.append(Rect(x - half, y + 6, x + half, y + 6 + label_h))
            else:
                out.append(Rect(x - half, y - 6 - label_h, x + half, y - 6))
    for i in marker_cats:
        cell_values = [c.value for c in fig.cells
                       if c.category == fig.categories[i] and c.value is not None
                       and (c.marker or c.flagged)]
        for v in cell_values:
            x, y = geo.x(i), geo.y(v)
            out.append(Rect(x - 14, y - 14, x + 14, y + 14))
    return out


def _candidates(label: RefLabel, geo: Geometry, pt: float) -> list[Rect]:
    """Places to try for ``label``, best first: left end, then right end, of the plot,
    then between two categories; a band's label high, in the middle and low in the band
    (or across it when the band is thinner than a line); the cut-off's label beside the
    rule on each side."""
    w, h = text_w(label.text, pt) + 4, pt * LINE
    slot = geo.w / max(geo.n_cat, 1)
    # the plot's ends, then centred between two categories (clear of their value labels)
    xs = [geo.left + EDGE_PT, geo.left + geo.w - EDGE_PT - w]
    xs += [geo.left + (i + 1) * slot - w / 2 for i in range(geo.n_cat - 1)]
    top_y, bottom_y = geo.top, geo.top + geo.h
    if label.low == label.high:  # beside a rule
        y = geo.y(label.low)
        above, below = y - 2 - h, y + 2
        ys = [above, below] if label.side == "above" else [below, above]
    else:
        y_hi, y_lo = geo.y(label.high), geo.y(label.low)  # y_hi is nearer the top
        if y_lo - y_hi >= h + 4:
            ys = [y_hi + 2, (y_hi + y_lo - h) / 2, y_lo - 2 - h]
        else:
            ys = [(y_hi + y_lo - h) / 2]
    out = []
    for y in ys:
        y = min(max(y, top_y - TOP_PT + 1), bottom_y - h)  # inside the chart, above the axis
        for x in xs:
            out.append(Rect(x, y, x + w, y + h))
    return out


def place_labels(labels: list[RefLabel], geo: Geometry, blocked: list[Rect],
                 pt: float = MIN_PT) -> dict[str, Rect]:
    """Each label's box (points): the first candidate clear of ``blocked`` and of the labels
    placed before it, else the one that overlaps least."""
    placed: dict[str, Rect] = {}
    taken = list(blocked)
    for label in labels:
        options = _candidates(label, geo, pt)
        best = min(options, key=lambda r: (sum(r.overlap(o) for o in taken) > 0,
                                           sum(r.overlap(o) for o in taken)))
        placed[label.key] = best
        taken.append(best)
    return placed
