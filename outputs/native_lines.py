"""Native line charts for aggregated trends: lines labelled at their ends, a cut-off line.

The intervention pack's progression, comparison and run charts (``FigureSpec.end_labels``)
used to be Altair images. Drawn here as editable PowerPoint line charts, they keep what
the image showed:

* every line labelled at its right end with its last value and its name ("15,4  Samme
  borgere (n = 46)"; the value is the chart's own number, so the viewer's locale writes
  the decimal comma), labels closer than one text line pushed apart around their middle
  (a label's manual offset), or a legend on top when a line ends early;
* value labels above each point, or below when another line is just above
  (the same rule as the image: :func:`outputs.charts.label_sides`); with many points only
  the last value (``label_last_only``);
* the cut-off as one more series: a flat dashed red line at the cut-off, named by its
  label ("Grænseværdi 28"), the name written on the rule at its emptier end
  (:func:`outputs.charts.cutoff_label_place`) or, when both ends are crowded, in a legend
  on top;
* the plot area is laid out by hand: room on the left for the axis title (split over two
  lines when it is longer than the axis), on the right for the end labels, below for
  category labels of several lines.

A hidden cell has no value in the spec, so it is an empty cell in the chart cache and in
the workbook; the line spans the gap, or breaks there (``FigureSpec.gaps``: the leaders'
trends, whose reading text says a gap is a hidden figure or a quarter without data; the
run chart's hidden months, named by the "<k" note under the chart). A dashed series of
one value throughout (the run chart's median) is a rule: thinner and without markers.
"""

from __future__ import annotations

from outputs.charts import axis_title, cutoff_label_place, end_labels, label_rows, label_sides
from outputs.charts import series_colour as colour_of
from outputs.fmt import NUMBER_FORMAT_CODES, fmt_value
from outputs.native_chart import (
    CAT_AX,
    CHAR_W,
    NO_LEADER_LINES,
    VAL_AX,
    Data,
    axes_xml,
    chart_space,
    fill,
    inner_layout,
    label_body,
    legend_xml,
    show_flags,
)
from outputs.spec import FigureSpec
from outputs.style import INK, LABEL_PT, MIN_PT, RED
from outputs.texts import t

#: Height of one line of chart text, as a share of its font size.
_LINE = 1.25
#: Space (pt) kept free above the plot for value labels over the highest points.
_TOP_PT = 14
#: Gap (pt) between a point and its value label above or below it.
_GAP_PT = 5


def _text_w(text: str, pt: float) -> float:
    return len(text) * pt * CHAR_W


def _offset(dy: float) -> str:
    """A data label's manual shift (a share of the chart's height; positive is down)."""
    return ('<c:layout><c:manualLayout><c:x val="0"/>'
            f'<c:y val="{dy:.4f}"/></c:manualLayout></c:layout>')


def _label(idx: int, fmt: str, colour: str, pos: str, *, name: bool = False,
           value: bool = True, dy: float = 0.0, size: int = LABEL_PT) -> str:
    """One point's label: its value (and the series name after two spaces)."""
    layout = _offset(dy) if abs(dy) > 1e-4 else ""
    body = label_body(fmt, size, True, colour, pos, wrap=False)
    if name or not value:
        body = body.replace(show_flags(True), show_flags(value, name=name))
        body += '<c:separator>  </c:separator>' if name and value else ""
    return f'<c:dLbl><c:idx val="{idx}"/>{layout}{body}</c:dLbl>'


def _frame(fig: FigureSpec, width_pt: float, height_pt: float, lang: str, k: int):
    """Where the plot goes and what is drawn around it: returns the rows with their label
    places, the end labels (or None: a legend), the cut-off label's place, whether a
    legend is shown, the axis title's lines, the category labels' slant and the plot's
    (left, top, width, height) in points."""
    lo = fig.y_min if fig.y_min is not None else 0.0
    hi = fig.y_max if fig.y_max is not None else 1.0
    rows = label_rows(fig, lang, k)
    label_sides(fig, rows)
    lines = max((c.count("\n") + 1 for c in fig.categories), default=1)
    longest = max((len(part) for c in fig.categories for part in c.split("\n")), default=1)
    x_title = MIN_PT * _LINE if fig.x_label else 0.0
    bottom = lines * MIN_PT * _LINE + 8 + x_title
    plot_h = height_pt - bottom - _TOP_PT
    direct = end_labels(fig, rows, plot_h, lang, k) if len(fig.series) > 1 else None
    legend = len(fig.series) > 1 and direct is None
    tick_kind = "pct" if fig.value_format == "pct" else "int"  # "100 %" is wider than "100"
    ticks = max(len(fmt_value(v, tick_kind, lang)) for v in (lo, hi))
    title = axis_title(fig.y_label, plot_h)
    title_lines = [title] if isinstance(title, str) else title
    left = ticks * MIN_PT * CHAR_W + 10 + (len(title_lines) * MIN_PT * _LINE + 6
                                            if fig.y_label else 0)
    right = (max(_text_w(r["text"], MIN_PT + 1) for r in direct) + 14) if direct else 12.0
    slot = max(width_pt - left - right, 60.0) / max(len(fig.categories), 1)
    if direct:  # an end label starts at the last point, half a slot inside the plot
        right = max(right - slot / 2 + 10, 12.0)
        slot = max(width_pt - left - right, 60.0) / max(len(fig.categories), 1)
    slanted = longest * MIN_PT * CHAR_W > 0.9 * slot
    if slanted:  # 45 degrees: the longest label's diagonal, plus a line
        bottom = longest * MIN_PT * CHAR_W * 0.71 + MIN_PT + 10 + x_title
    place = (cutoff_label_place(fig, height_pt - bottom - _TOP_PT)
             if fig.cutoff is not None else None)
    top = _TOP_PT + (MIN_PT * _LINE + 6 if legend or place == "top" else 0)
    plot_h = max(height_pt - top - bottom, 40.0)
    if direct:  # pushed apart again at the final plot height
        direct = end_labels(fig, rows, plot_h, lang, k)
    box = (left, top, max(width_pt - left - right, 60.0), plot_h)
    return rows, direct, place, legend, title_lines, slanted, box


def _cutoff_series(fig: FigureSpec, data: Data, fmt: str, place: str | None) -> str:
    """The cut-off as a flat dashed red series, named on the rule (or in the legend)."""
    idx, tx = data.add(fig.cutoff_label or "", [fig.cutoff] * len(fig.categories))
    at = 0 if place == "left" else len(fig.categories) - 1
    label = "" if place == "top" else _label(at, fmt, RED, "t", name=True, value=False,
                                              size=MIN_PT)
    return (f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}<c:spPr>'
            f'<a:ln w="25400">{fill(RED)}<a:prstDash val="sysDash"/></a:ln></c:spPr>'
            f'<c:marker><c:symbol val="none"/></c:marker>'
            f'<c:dLbls>{label}{show_flags(False)}</c:dLbls>'
            f'{data.cat_val(idx)}<c:smooth val="0"/></c:ser>')


def clear_of_rule(fig: FigureSpec, value: float, pos: str, plot_h: float) -> float:
    """How far (points, positive is down) a value label above (``pos`` "above") or below
    its point at ``value`` moves so the cut-off's rule does not run through it: past the
    rule, on the side it already is (the other side may hold another line's label)."""
    if fig.cutoff is None:
        return 0.0
    lo = fig.y_min if fig.y_min is not None else 0.0
    hi = fig.y_max if fig.y_max is not None else 1.0
    per_pt = plot_h / ((hi - lo) or 1.0)
    rule = (fig.cutoff - value) * per_pt  # the rule's height over the point (points)
    if pos == "below":  # the label takes 5 to 5 + a line below the point
        rule = -rule
    near, far = _GAP_PT, _GAP_PT + LABEL_PT * _LINE
    if not near - 2 <= rule <= far + 2:
        return 0.0
    move = rule + 3 - near  # the label's near edge just past the rule
    return -move if pos != "below" else move


def _start_series(fig: FigureSpec, data: Data, at: int, lo: float, hi: float,
                  mark: str) -> str:
    """The run chart's start (``mark``, ▲) as a marker inside the plot, at the bottom of
    its month (or at the top when the month's points are low), never on a tick label."""
    y = _low_or_high(fig, [at], lo, hi)
    idx, tx = data.add(mark, [y if i == at else None for i in range(len(fig.categories))])
    return (f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}<c:spPr><a:ln><a:noFill/>'
            f'</a:ln></c:spPr><c:marker><c:symbol val="triangle"/><c:size val="14"/><c:spPr>'
            f'{fill(INK)}<a:ln>{fill(INK)}</a:ln></c:spPr></c:marker>'
            f'<c:dLbls>{show_flags(False)}</c:dLbls>{data.cat_val(idx)}<c:smooth val="0"/>'
            "</c:ser>")


def is_rule(fig: FigureSpec, ser: str) -> bool:
    """A dashed series with one value at every category (a run chart's median) is a
    reference rule, not data: drawn thinner and without markers, so no category shows a
    point that was never measured (a hidden month read as a dot on the median)."""
    values = fig.values(ser)
    return (ser in fig.dashed_series and len(values) > 1 and None not in values
            and len(set(values)) == 1)


def _low_or_high(fig: FigureSpec, at: list[int], lo: float, hi: float) -> float:
    """A height for a mark inside the plot at categories ``at``: near the bottom, or near
    the top when a data point there is low."""
    span = (hi - lo) or 1.0
    low = [v for ser in fig.series if not is_rule(fig, ser)
           for i in at if (v := fig.values(ser)[i]) is not None]
    return lo + 0.05 * span if all(v >= lo + 0.3 * span for v in low) else hi - 0.05 * span


def trend_chart(fig: FigureSpec, cx: int, cy: int, lang: str, k: int) -> tuple[str, bytes]:
    """Lines with direct labels and a cut-off line, in a box of ``cx`` x ``cy`` EMU.
    Returns (chart XML, workbook)."""
    width_pt, height_pt = cx / 12700, cy / 12700
    fmt = NUMBER_FORMAT_CODES[fig.value_format]
    lo = fig.y_min if fig.y_min is not None else 0.0
    hi = fig.y_max if fig.y_max is not None else 1.0
    rows, direct, place, legend, title_lines, slanted, box = _frame(fig, width_pt, height_pt,
                                                                     lang, k)
    left, top, plot_w, plot_h = box
    layout = inner_layout(left / width_pt, top / height_pt, plot_w / width_pt, plot_h / height_pt)
    mark = t("trial_start_mark", lang)  # a run chart's start: a marker in the plot, not
    start = next((i for i, c in enumerate(fig.categories) if c.startswith(mark)), None)
    shown = [c[len(mark):] if i == start else c for i, c in enumerate(fig.categories)]
    data = Data(shown, fmt)  # a glyph on the tick label, where it ran into its neighbour
    sers, in_legend = [], []
    if fig.cutoff is not None:  # first, so the lines are drawn over it
        sers.append(_cutoff_series(fig, data, fmt, place))
        in_legend += [0] if place == "top" else []
    place_of = {(r["series"], r["category"]): r.get("pos", "above") for r in rows}
    label_of = {(r["series"], r["category"]): r["label"] for r in rows}
    shift = {r["series"]: r["y"] - r["value"] for r in direct or []}
    for ser in fig.series:
        values = fig.values(ser)
        colour = colour_of(fig, ser)
        idx, tx = data.add(ser, values)
        in_legend += [idx] if legend else []
        labels = []
        for i, (cat, v) in enumerate(zip(fig.categories, values, strict=True)):
            if v is None or ser in fig.unlabelled_series:
                continue
            pos = place_of.get((ser, cat), "above")
            if pos == "end":  # name and last value, moved off its neighbours
                dy = -shift.get(ser, 0.0) / ((hi - lo) or 1.0) * plot_h / height_pt
                labels.append(_label(i, fmt, colour, "r", name=True, dy=dy, size=MIN_PT + 1))
            elif label_of.get((ser, cat)):
                dy = clear_of_rule(fig, v, pos, plot_h) / height_pt
                labels.append(_label(i, fmt, colour, "b" if pos == "below" else "t", dy=dy))
        dash = '<a:prstDash val="dash"/>' if ser in fig.dashed_series else ""
        marker = (f'<c:marker><c:symbol val="circle"/><c:size val="9"/><c:spPr>{fill(colour)}'
                  f'<a:ln>{fill(colour)}</a:ln></c:spPr></c:marker>')
        width = 44450
        if is_rule(fig, ser):
            marker, width = '<c:marker><c:symbol val="none"/></c:marker>', 28575
        sers.append(
            f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}<c:spPr>'
            f'<a:ln w="{width}" cap="rnd">{fill(colour)}{dash}<a:round/></a:ln></c:spPr>'
            f'{marker}'
            f'<c:dLbls>{"".join(labels)}{show_flags(False)}{NO_LEADER_LINES}</c:dLbls>'
            f'{data.cat_val(idx)}<c:smooth val="0"/></c:ser>')
    if start is not None:
        sers.append(_start_series(fig, data, start, lo, hi, mark))
    hidden = [i for i in range(len(data.columns)) if i not in in_legend]
    axes_ids = f'<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/>'
    plot = ('<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
            f'{"".join(sers)}<c:marker val="1"/>{axes_ids}</c:lineChart>')
    plot += axes_xml(fig, y_title=title_lines, slanted=slanted)
    legend_part = legend_xml(hidden, top=True) if in_legend else ""
    return chart_space(plot, legend_part, layout, "gap" if fig.gaps else "span"), data.xlsx()
