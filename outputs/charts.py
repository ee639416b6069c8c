"""Charts for the decks: native (editable) PowerPoint charts and Altair images.

Which figure is drawn which way is the builder's choice (``FigureSpec.render``); the
reasons are in ``docs/decks.md``. Both renderers take the same :class:`FigureSpec`:

* :func:`outputs.native_chart.add_chart` puts an editable chart on a slide (its XML is
  written directly, for speed). The numbers live in the chart's
  embedded workbook, so a meeting leader can open "Edit data" and correct or add a
  value. Hidden cells are written as empty cells: their number never enters the file.
  A cut-off band is a stack of gap-free columns behind the line, in a ``c:barChart``
  that shares the line chart's axes. It uses this module's shared rules
  (:func:`series_colour`, :func:`segment_labelled`).
* :func:`render_png` draws the figure with Altair and converts it offline with
  vl-convert at 2x scale, with the d3 number locale of the language (decimal comma in
  Danish). One chart point equals one slide point, so a 14 px font is 14 pt on the slide.

Fonts are at least 14 pt, colours few, and lines are labelled directly where possible.
"""

from __future__ import annotations

import math
from typing import Any

from outputs.fmt import fmt_cell, fmt_value, hidden
from outputs.spec import FigureSpec
from outputs.style import (
    AXIS_GREY,
    BAND_COLOURS,
    CHART_FONT,
    DARK_GREEN,
    FLAG_COLOUR,
    GRID_GREY,
    INK,
    LABEL_PT,
    MIN_PT,
    PALETTE,
    RED,
)

#: Stacked-bar segments narrower than this share of the value axis (percent) get no
#: label (it would not fit, and would run into the next segment's label), where the
#: segment's length on the slide is not known (native horizontal bars measure it:
#: ``outputs.native_chart._segment_fits``).
MIN_LABEL_SHARE = 8.0


def segment_labelled(fig: FigureSpec, value: float | None) -> bool:
    """Whether a stacked-bar segment of ``value`` is wide enough for its label: at
    least :data:`MIN_LABEL_SHARE` percent of the value axis (``y_min`` to ``y_max``;
    0 to 100 when not set, as for shares). Measured against the axis, not the number
    itself: a cost segment of 60 (thousand kroner) on an axis to 80 000 is a sliver."""
    if value is None:
        return False
    span = value_span(fig)
    return span > 0 and 100 * value / span >= MIN_LABEL_SHARE


def value_span(fig: FigureSpec) -> float:
    """The length of the value axis in the figure's units: ``y_min`` to ``y_max``, 0 to
    100 where not set (shares)."""
    low = fig.y_min if fig.y_min is not None else 0.0
    high = fig.y_max if fig.y_max is not None else 100.0
    return high - low


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^n that is at least ``raw`` (axis tick spacing)."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if mult * power >= raw - 1e-12:
            return max(mult * power, 1.0) if raw >= 0.5 else mult * power
    return 10 * power


def axis_step(lo: float, hi: float) -> float:
    """Tick spacing for an axis from ``lo`` to ``hi``: :func:`nice_step` of a fifth of the
    range, or, when that does not divide ``lo`` (ticks count from the minimum), the
    smallest nice step of at least an eighth of the range that does."""
    step = nice_step((hi - lo) / 5)

    def divides(s: float) -> bool:
        return abs(lo / s - round(lo / s)) < 1e-9

    if divides(step):
        return step
    candidate = nice_step((hi - lo) / 8)
    while candidate < step:
        if divides(candidate):
            return candidate
        candidate = nice_step(candidate * 1.01)
    return step


def nice_span(largest: float) -> float:
    """A symmetric axis' half-range (-span .. +span) for values up to ``largest`` away
    from zero, with a quarter of room, rounded up to a whole tick (at most seven ticks)."""
    raw = max(largest, 1.0) * 1.25
    step = nice_step(raw / 3)
    return math.ceil(raw / step - 1e-9) * step


def series_colour(fig: FigureSpec, series: str) -> str:
    if series in fig.series_colours:
        return fig.series_colours[series]
    return PALETTE[fig.series.index(series) % len(PALETTE)]


def table_text(fig: FigureSpec, lang: str, k: int) -> str:
    """The numbers behind a figure as plain lines (for the slide notes)."""
    lines = []
    for cat in fig.categories:
        for ser in fig.series:
            cell = fig.cell(cat, ser)
            if cell is None:
                continue
            if cell.suppressed or cell.n is None:
                n = ""
            else:
                n = f" (n = {hidden(k) if cell.n < k else cell.n})"
            label = cat.replace("\n", " ")
            name = ser if len(fig.series) > 1 else ""
            head = f"{label} · {name}" if name else label
            interval = ""
            if cell.low is not None and cell.high is not None:
                interval = (f" [{fmt_value(cell.low, fig.value_format, lang)}"
                            f" – {fmt_value(cell.high, fig.value_format, lang)}]")
            lines.append(f"{head}: {fmt_cell(cell, fig.value_format, lang, k)}{interval}{n}")
    return "\n".join(lines)


def chart_alt_text(fig: FigureSpec, lang: str, k: int) -> str:
    """Alternative text for a picture: the finding and the numbers."""
    return f"{fig.title}. {table_text(fig, lang, k)}".replace("\n", "; ")


# ====================================================================== Altair images


def _alt_config() -> dict[str, Any]:
    return {
        "font": CHART_FONT,
        "view": {"stroke": None},
        "axis": {
            "labelFontSize": MIN_PT,
            "titleFontSize": MIN_PT,
            "labelColor": "#" + AXIS_GREY,
            "titleColor": "#" + AXIS_GREY,
            "titleFontWeight": "normal",
            "gridColor": "#" + GRID_GREY,
            "domainColor": "#" + GRID_GREY,
            "tickColor": "#" + GRID_GREY,
            "labelLimit": 400,
        },
        "legend": {
            "labelFontSize": MIN_PT,
            "titleFontSize": MIN_PT,
            "labelLimit": 400,
            "symbolSize": 200,
        },
        "text": {"fontSize": MIN_PT},
    }


def _label_text(fig: FigureSpec, lang: str, k: int, cell) -> str:
    text = fmt_cell(cell, fig.value_format, lang, k)
    return text if text != "–" else ""


def render_png(fig: FigureSpec, width_pt: float, height_pt: float, lang: str, k: int) -> bytes:
    """Draw ``fig`` with Altair and return PNG bytes at 2x scale (offline)."""
    import vl_convert as vlc  # lazy: heavy, and only decks with images need it

    spec = altair_spec(fig, width_pt, height_pt, lang, k)
    locale = "da-DK" if lang == "da" else "en-GB"
    return vlc.vegalite_to_png(
        spec, scale=2, format_locale=locale, time_format_locale=locale, allowed_base_urls=[]
    )


def altair_spec(fig: FigureSpec, width_pt: float, height_pt: float, lang: str, k: int) -> dict:
    """The Vega-Lite spec (a dict) for ``fig``; sizes are the whole image in points."""
    import altair as alt  # lazy: heavy, and only decks with images need it

    if fig.chart == "line":
        # plot height: the image less the padding, two lines of axis labels and their gap
        chart, right_pad = _alt_line(alt, fig, lang, k, plot_h=height_pt - 18 - 2 * 17 - 16)
    elif fig.chart == "bar":
        plot_h = height_pt - 18 - 2 * 17 - (20 if fig.x_label else 0) - 16
        chart, right_pad = _alt_bar(alt, fig, lang, k, plot_h=plot_h), 10
    elif fig.chart == "stacked_bar":
        chart, right_pad = _alt_stacked(alt, fig, lang, k), 10
    else:
        raise ValueError(f"no image renderer for chart kind {fig.chart!r}")
    chart = chart.properties(
        width=int(width_pt),
        height=int(height_pt),
        autosize=alt.AutoSizeParams(type="fit", contains="padding"),
        padding={"left": 6, "top": 12, "right": right_pad, "bottom": 6},
        background="white",
    )
    spec = chart.to_dict(validate=False)  # the schema check costs seconds; tests cover specs
    spec["config"] = {**spec.get("config", {}), **_alt_config()}
    return spec


def label_rows(fig: FigureSpec, lang: str, k: int) -> list[dict[str, Any]]:
    rows = []
    last: dict[str, int] = {}  # series -> position of its last category with a value
    if fig.label_last_only:
        for cell in fig.cells:
            if cell.value is not None and cell.category in fig.categories:
                pos = fig.categories.index(cell.category)
                last[cell.series] = max(last.get(cell.series, -1), pos)
    for cell in fig.cells:
        label = "" if cell.series in fig.unlabelled_series else _label_text(fig, lang, k, cell)
        if (fig.label_last_only and cell.value is not None and cell.category in fig.categories
                and fig.categories.index(cell.category) != last.get(cell.series)):
            label = ""
        rows.append(
            {
                "category": cell.category,
                "series": cell.series,
                "value": cell.value,
                "label": label,
                "n": cell.n,
                "marker": cell.marker,
                "flagged": cell.flagged,
                "low": cell.low,
                "high": cell.high,
            }
        )
    return rows


def _x_axis(alt, fig: FigureSpec, **extra):
    return alt.X(
        "category:N",
        sort=fig.categories,
        title=fig.x_label or None,
        axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '\\n')", labelPadding=8),
        **extra,
    )


def _y_scale(alt, fig: FigureSpec):
    if fig.y_min is not None and fig.y_max is not None:
        return alt.Scale(domain=[fig.y_min, fig.y_max], nice=False)
    return alt.Scale(zero=fig.y_min == 0)


def _axis_format(fig: FigureSpec) -> str:
    if fig.value_format == "pct":
        return ".0f"
    if fig.y_min is not None and fig.y_max is not None and fig.y_max - fig.y_min <= 5:
        return ",.1f"
    return ",.0f"


def label_sides(fig: FigureSpec, rows: list[dict[str, Any]]) -> None:
    """Put each value label above its point, or below when another series is just above."""
    span = (fig.y_max - fig.y_min) if fig.y_min is not None and fig.y_max is not None else 1.0
    for cat in fig.categories:
        here = sorted((r for r in rows if r["category"] == cat and r["value"] is not None),
                      key=lambda r: r["value"], reverse=True)
        for i, r in enumerate(here):
            r["pos"] = "above"
            if i > 0 and here[i - 1]["value"] - r["value"] < 0.12 * span:
                r["pos"] = "below"


def end_labels(fig: FigureSpec, rows: list[dict[str, Any]], plot_h: float, lang: str,
                   k: int) -> list[dict[str, Any]] | None:
    """Labels at the right end of each line ("15,0  Samme borgere (n = 46)": the last value
    and the series name), or None when a legend is safer (a line ends early).

    The last value moves into the end label, so no value label sits on top of a name.
    Labels closer than one text line apart (``plot_h`` is the plot height in points) are
    pushed apart around their middle, so they stay next to their lines.
    """
    last_cat = fig.categories[-1]
    out = []
    for ser in fig.series:
        valued = [c for c in fig.cells if c.series == ser and c.value is not None]
        if not valued:
            continue
        last = max(valued, key=lambda c: fig.categories.index(c.category))
        if last.category != last_cat:
            return None
        text = f"{_label_text(fig, lang, k, last)}  {ser}"
        out.append({"category": last.category, "value": last.value, "series": ser,
                    "text": text, "y": last.value})
    lo = fig.y_min if fig.y_min is not None else min(r["value"] for r in out)
    hi = fig.y_max if fig.y_max is not None else max(r["value"] for r in out)
    span = (hi - lo) or 1.0
    gap = span * (MIN_PT * 1.3) / max(plot_h, 40.0)  # one label line, in data units
    out.sort(key=lambda r: r["value"], reverse=True)
    for _ in range(len(out)):  # push overlapping neighbours apart, centred on their values
        moved = False
        for i in range(1, len(out)):
            if out[i - 1]["y"] - out[i]["y"] < gap - 1e-9:
                mid = (out[i - 1]["y"] + out[i]["y"]) / 2
                out[i - 1]["y"], out[i]["y"] = mid + gap / 2, mid - gap / 2
                moved = True
        if not moved:
            break
    if out:  # keep the labels inside the plot
        shift = max(out[0]["y"] - (hi - gap / 2), 0) or min(out[-1]["y"] - (lo + gap / 2), 0)
        for r in out:
            r["y"] -= shift
    for r in rows:  # the last value is written in the end label instead
        if r["category"] == last_cat and r["value"] is not None:
            r["pos"] = "end"
    return out


def cutoff_label_place(fig: FigureSpec, plot_h: float) -> str:
    """Where the cut-off's label goes: "left" or "right" end of its rule, whichever has no
    point (or value label) of the first / last category near the rule, else "top" (above
    the plot, clear of the data). ``plot_h`` is the plot height in points."""
    lo_y = fig.y_min if fig.y_min is not None else 0.0
    hi_y = fig.y_max if fig.y_max is not None else lo_y + 1.0
    per_pt = (hi_y - lo_y) / max(plot_h, 40.0)
    # the label sits on the rule (one line high); a value label reaches ~28 pt from its point
    low, high = fig.cutoff - 30 * per_pt, fig.cutoff + 26 * per_pt

    def crowded(category: str) -> bool:
        return any(low <= c.value <= high for c in fig.cells
                   if c.category == category and c.value is not None)

    if not crowded(fig.categories[0]):
        return "left"
    if not crowded(fig.categories[-1]):
        return "right"
    return "top"


def axis_title(text: str, length_pt: float) -> str | list[str]:
    """An axis title, split over two lines at the space nearest its middle when it is
    longer than most of the axis (``length_pt``), so the renderer does not cut it off or
    wrap it itself: LibreOffice wraps a title near the axis' length onto a second line
    the plot's margin has no room for, over the tick labels ("Gennemsnitlig
    Misbrugssværhed" on a 230 pt axis under a legend)."""
    if not text or len(text) * MIN_PT * 0.6 <= 0.8 * length_pt or " " not in text:
        return text
    middle = len(text) / 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return [text[:cut], text[cut + 1:]]


def _alt_line(alt, fig: FigureSpec, lang: str, k: int, plot_h: float = 250.0):
    rows = label_rows(fig, lang, k)
    label_sides(fig, rows)
    direct = end_labels(fig, rows, plot_h, lang, k) if len(fig.series) > 1 else None
    data = alt.Data(values=rows)
    colours = [("#" + series_colour(fig, s)) for s in fig.series]
    dash = [[8, 5] if s in fig.dashed_series else [1, 0] for s in fig.series]
    enc_x = _x_axis(alt, fig, scale=alt.Scale(paddingOuter=0.3))
    enc_y = alt.Y(
        "value:Q",
        title=axis_title(fig.y_label, plot_h),
        scale=_y_scale(alt, fig),
        axis=alt.Axis(format=_axis_format(fig), tickCount=6),
    )
    legend = None
    if len(fig.series) > 1 and direct is None:
        legend = alt.Legend(title=None, orient="top", symbolStrokeWidth=4, symbolSize=400)
    colour = alt.Color("series:N", scale=alt.Scale(domain=fig.series, range=colours),
                       legend=legend)
    base = alt.Chart(data).transform_filter("isValid(datum.value)")
    layers = []
    for band in fig.bands:
        if band.tone == "normal":
            continue
        layers.append(
            alt.Chart(alt.Data(values=[{"lo": band.low, "hi": band.high, "name": band.label}]))
            .mark_rect(color="#" + BAND_COLOURS[band.tone], opacity=0.9)
            .encode(y=alt.Y("lo:Q", scale=_y_scale(alt, fig)), y2="hi:Q")
        )
    if fig.cutoff is not None:
        rule = alt.Data(values=[{"y": fig.cutoff, "t": fig.cutoff_label or ""}])
        layers.append(
            alt.Chart(rule).mark_rule(color="#" + RED, strokeDash=[4, 4], strokeWidth=2)
            .encode(y=alt.Y("y:Q", scale=_y_scale(alt, fig)))
        )
        place = cutoff_label_place(fig, plot_h)
        if place == "top":  # above the plot, marked as the dashed red line
            label = alt.Chart(alt.Data(values=[{"t": f"- - {fig.cutoff_label or ''}"}]))
            layers.append(label.mark_text(align="left", baseline="bottom", dy=-4,
                                          color="#" + RED, fontSize=MIN_PT)
                          .encode(x=alt.value(0), y=alt.value(0), text="t:N"))
        else:
            right = place == "right"
            layers.append(
                alt.Chart(rule)
                .mark_text(align="right" if right else "left", baseline="bottom",
                           dx=-4 if right else 4, dy=-3, color="#" + RED, fontSize=MIN_PT)
                .encode(y=alt.Y("y:Q", scale=_y_scale(alt, fig)),
                        x=alt.value("width" if right else 0), text="t:N")
            )
    layers.append(
        base.mark_line(strokeWidth=3.5).encode(
            x=enc_x,
            y=enc_y,
            color=colour,
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=fig.series, range=dash), legend=None
            ),
            detail="series:N",
        )
    )
    layers.append(base.mark_point(filled=True, size=110, opacity=1).encode(
        x=enc_x, y=enc_y, color=colour))
    for pos, dy, baseline in (("above", -10, "bottom"), ("below", 10, "top")):
        layers.append(
            base.transform_filter(f"datum.pos == '{pos}'")
            .mark_text(dy=dy, baseline=baseline, fontSize=LABEL_PT, fontWeight="bold")
            .encode(x=enc_x, y=enc_y, color=colour, text="label:N")
        )
    markers = [r for r in rows if r["marker"]]
    if markers:
        layers.append(
            alt.Chart(alt.Data(values=markers))
            .mark_point(shape="triangle-up", filled=True, size=380, color="#" + DARK_GREEN)
            .encode(x=enc_x, y=enc_y)
        )
    flagged = [r for r in rows if r["flagged"] and r["value"] is not None]
    if flagged:  # a ring around a measurement the quality checks flagged
        layers.append(
            alt.Chart(alt.Data(values=flagged))
            .mark_point(shape="circle", filled=False, size=900, strokeWidth=3,
                        color="#" + FLAG_COLOUR)
            .encode(x=enc_x, y=enc_y)
        )
    right_pad = 10
    if direct:
        layers.append(
            alt.Chart(alt.Data(values=direct))
            # at the plot's right edge, clear of the last points and of the cut-off rule
            .mark_text(align="left", dx=6, fontSize=MIN_PT + 1, fontWeight="bold")
            .encode(x=alt.value("width"), y=alt.Y("y:Q", scale=_y_scale(alt, fig)),
                    color=colour, text="text:N")
        )
        # Vega's "fit" already makes room for the labels' text; the padding only has to
        # hold their offset (dx) and a margin, or the plot shrinks by the text width twice
        right_pad = 30
    return alt.layer(*layers), right_pad


def _alt_bar(alt, fig: FigureSpec, lang: str, k: int, plot_h: float = 250.0):
    rows = label_rows(fig, lang, k)
    colours = [("#" + series_colour(fig, s)) for s in fig.series]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=fig.series, range=colours),
        legend=alt.Legend(title=None, orient="top") if len(fig.series) > 1 else None,
    )
    x = _x_axis(alt, fig)
    y = alt.Y("value:Q", title=axis_title(fig.y_label, plot_h), scale=_y_scale(alt, fig),
              axis=alt.Axis(format=_axis_format(fig), tickCount=6))
    base = alt.Chart(alt.Data(values=rows))
    offset = alt.XOffset("series:N", sort=fig.series)
    bars = base.mark_bar().encode(x=x, y=y, color=colour, xOffset=offset)
    text = base.mark_text(baseline="bottom", dy=-4, fontSize=LABEL_PT, fontWeight="bold",
                          color="#" + INK).encode(
        x=x, y=alt.Y("top:Q", scale=_y_scale(alt, fig)), xOffset=offset, text="label:N"
    ).transform_calculate(
        # above the bar, or above its interval when the cell has one
        top="isValid(datum.value) ? max(datum.value, 0, isValid(datum.high) ? datum.high : 0)"
        " : 0"
    )
    layers = [bars, text]
    if any(c.low is not None and c.high is not None for c in fig.cells):
        whiskers = base.transform_filter("isValid(datum.low) && isValid(datum.high)")
        layers.append(whiskers.mark_rule(color="#" + AXIS_GREY, strokeWidth=2.5).encode(
            x=x, xOffset=offset, y=alt.Y("low:Q", scale=_y_scale(alt, fig)), y2="high:Q"))
        for end in ("low", "high"):
            layers.append(whiskers.mark_tick(color="#" + AXIS_GREY, thickness=2.5, size=22).encode(
                x=x, xOffset=offset, y=alt.Y(f"{end}:Q", scale=_y_scale(alt, fig))))
    if fig.cutoff is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color="#" + AXIS_GREY, strokeWidth=1.5)
            .encode(y=alt.Y("y:Q", scale=_y_scale(alt, fig)))
        )
    return alt.layer(*layers)


def _alt_stacked(alt, fig: FigureSpec, lang: str, k: int):
    rows = label_rows(fig, lang, k)
    ends: dict[str, float] = {}
    rows.sort(key=lambda r: fig.series.index(r["series"]))
    for r in rows:
        r["order"] = fig.series.index(r["series"])
        start = ends.get(r["category"], 0.0)
        r["start"], r["end"] = start, start + (r["value"] or 0.0)
        r["mid"] = (r["start"] + r["end"]) / 2
        ends[r["category"]] = r["end"]
        if not segment_labelled(fig, r["value"]):
            r["label"] = ""
    colours = [("#" + series_colour(fig, s)) for s in fig.series]
    y = alt.Y("category:N", sort=fig.categories, title=fig.x_label or None,
              axis=alt.Axis(labelExpr="split(datum.label, '\\n')"))
    x = alt.X("start:Q", title=fig.y_label,
              scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(format=".0f"))
    colour = alt.Color("series:N", scale=alt.Scale(domain=fig.series, range=colours),
                       legend=alt.Legend(title=None, orient="top", columns=3))
    base = alt.Chart(alt.Data(values=rows)).transform_filter("isValid(datum.value)")
    bars = base.mark_bar().encode(y=y, x=x, x2="end:Q", color=colour)
    text = base.mark_text(fontWeight="bold", color="#" + INK).encode(
        y=y, x=alt.X("mid:Q", scale=alt.Scale(domain=[0, 100])), text="label:N"
    )
    return alt.layer(bars, text)
