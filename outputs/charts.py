"""Charts for the decks: native (editable) PowerPoint charts and Altair images.

Which figure is drawn which way is the builder's choice (``FigureSpec.render``); the
reasons are in ``docs/decks.md``. Both renderers take the same :class:`FigureSpec`:

* :func:`add_native_chart` puts a python-pptx chart on a slide. The numbers live in the
  chart's embedded workbook, so a meeting leader can open "Edit data" and correct or add
  a value. Hidden cells are written as empty cells: their number never enters the file.
  A cut-off band is an area series under the line (python-pptx has no combined charts,
  so the band series is moved into an ``c:areaChart`` that shares the line's axes).
* :func:`render_png` draws the figure with Altair and converts it offline with
  vl-convert at 2x scale, with the d3 number locale of the language (decimal comma in
  Danish). One chart point equals one slide point, so a 14 px font is 14 pt on the slide.

Fonts are at least 14 pt, colours few, and lines are labelled directly where possible.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.series import AreaSeries
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.chart import XL_MARKER_STYLE as MARKER
from pptx.oxml.ns import qn
from pptx.util import Pt

from outputs.fmt import NUMBER_FORMAT_CODES, fmt_cell, hidden
from outputs.spec import Band, FigureSpec

#: Series colours, in order: dark blue, orange, green, purple (distinguishable in greyscale).
PALETTE = ["1F4E79", "D9731E", "4E8A3E", "7B5A8C"]
#: Colours of the light "previous" series and of grid/axis text.
LIGHT = "9DC3E6"
TEXT_GREY = "404040"
GRID_GREY = "D0D0D0"
BAND_COLOURS = {"clinical": "F5D3CE", "borderline": "FBE6C2", "normal": "FFFFFF"}
MARKER_COLOURS = {"improved": "2E7D32", "deteriorated": "B71C1C"}
#: Smallest font anywhere on a chart (points); labels and axes use this or larger.
FONT_PT = 14
#: Stacked-bar segments narrower than this (percent) get no label (it would not fit).
MIN_LABEL_SHARE = 8.0
FONT_FAMILY = "DejaVu Sans"


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
            lines.append(f"{head}: {fmt_cell(cell, fig.value_format, lang, k)}{n}")
    return "\n".join(lines)


# ====================================================================== native charts


def _band_stack(bands: list[Band], y_min: float) -> list[tuple[str, float, Band | None]]:
    """Stacked-area layers (name, height, band or None for a transparent filler)."""
    layers: list[tuple[str, float, Band | None]] = []
    current = y_min
    for i, band in enumerate(sorted(bands, key=lambda b: b.low)):
        if band.low > current:
            layers.append((f"_fill{i}", band.low - current, None))
        layers.append((band.label, band.high - max(band.low, current), band))
        current = band.high
    return layers


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour)


def _text_props(font, size: int = FONT_PT, bold: bool = False, colour: str = TEXT_GREY) -> None:
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = _rgb(colour)


def _hide_legend_entries(chart, indices: list[int]) -> None:
    legend = chart._chartSpace.find(".//" + qn("c:legend"))
    if legend is None or not indices:
        return
    pos = legend.find(qn("c:legendPos"))
    for idx in sorted(indices, reverse=True):
        entry = etree.Element(qn("c:legendEntry"))
        etree.SubElement(entry, qn("c:idx")).set("val", str(idx))
        etree.SubElement(entry, qn("c:delete")).set("val", "1")
        pos.addnext(entry)


def _move_to_area_chart(chart, n_band_series: int) -> None:
    """Move the first ``n_band_series`` series of the line chart into a stacked area chart."""
    plot_area = chart._chartSpace.find(".//" + qn("c:plotArea"))
    line = plot_area.find(qn("c:lineChart"))
    area = etree.Element(qn("c:areaChart"))
    etree.SubElement(area, qn("c:grouping")).set("val", "stacked")
    etree.SubElement(area, qn("c:varyColors")).set("val", "0")
    for ser in line.findall(qn("c:ser"))[:n_band_series]:
        for tag in ("c:marker", "c:smooth", "c:dLbls"):
            for el in ser.findall(qn(tag)):
                ser.remove(el)
        area.append(ser)
    for ax in line.findall(qn("c:axId")):
        area.append(copy.deepcopy(ax))
    line.addprevious(area)


def _set_blanks(chart, how: str) -> None:
    disp = chart._chartSpace.find(".//" + qn("c:dispBlanksAs"))
    if disp is None:
        disp = etree.SubElement(chart._chartSpace.find(qn("c:chart")), qn("c:dispBlanksAs"))
    disp.set("val", how)


def _style_axes(chart, fig: FigureSpec, number_format: str) -> None:
    cat_ax = chart.category_axis
    _text_props(cat_ax.tick_labels.font)
    cat_ax.has_major_gridlines = False
    cat_ax.format.line.color.rgb = _rgb(GRID_GREY)
    val_ax = chart.value_axis
    _text_props(val_ax.tick_labels.font)
    val_ax.has_major_gridlines = True
    val_ax.major_gridlines.format.line.color.rgb = _rgb(GRID_GREY)
    val_ax.format.line.fill.background()
    val_ax.tick_labels.number_format = (
        NUMBER_FORMAT_CODES["pct"] if fig.value_format == "pct" else "0"
    )
    val_ax.tick_labels.number_format_is_linked = False
    if fig.y_min is not None:
        val_ax.minimum_scale = fig.y_min
    if fig.y_max is not None:
        val_ax.maximum_scale = fig.y_max
    if fig.y_min is not None and fig.y_max is not None:
        val_ax.major_unit = nice_step((fig.y_max - fig.y_min) / 5)
    for axis, text in ((cat_ax, fig.x_label), (val_ax, fig.y_label)):
        if not text:
            continue
        axis.has_title = True
        axis.axis_title.text_frame.text = text
        for para in axis.axis_title.text_frame.paragraphs:
            for run in para.runs:
                _text_props(run.font, bold=False)


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^n that is at least ``raw`` (axis tick spacing)."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if mult * power >= raw - 1e-12:
            return max(mult * power, 1.0) if raw >= 0.5 else mult * power
    return 10 * power


def _legend(chart, show: bool) -> None:
    chart.has_legend = show
    if show:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        _text_props(chart.legend.font)


def add_native_chart(shapes, fig: FigureSpec, x: int, y: int, cx: int, cy: int, lang: str):
    """Draw ``fig`` as an editable chart in the box (EMU); returns the graphic frame."""
    number_format = NUMBER_FORMAT_CODES[fig.value_format]
    data = CategoryChartData(number_format=number_format)
    data.categories = fig.categories
    if fig.chart == "line":
        return _native_line(shapes, fig, data, (x, y, cx, cy), number_format)
    if fig.chart in ("bar", "stacked_bar"):
        return _native_bar(shapes, fig, data, (x, y, cx, cy), number_format)
    raise ValueError(f"no native renderer for chart kind {fig.chart!r}")


def _native_line(shapes, fig: FigureSpec, data, box, number_format: str):
    y_min = fig.y_min if fig.y_min is not None else 0.0
    layers = _band_stack(fig.bands, y_min) if fig.bands else []
    for name, height, _band in layers:
        data.add_series(name, [height] * len(fig.categories))
    for ser in fig.series:
        data.add_series(ser, fig.values(ser))
    marker_series: list[tuple[str, str]] = []
    for kind, label in (("improved", fig_marker_label(fig, "improved")),
                        ("deteriorated", fig_marker_label(fig, "deteriorated"))):
        values = []
        for cat in fig.categories:
            hit = [c for c in fig.cells if c.category == cat and c.marker == kind]
            values.append(hit[0].value if hit else None)
        if any(v is not None for v in values):
            data.add_series(label, values)
            marker_series.append((kind, label))
    frame = shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box, data)
    chart = frame.chart
    chart.font.size = Pt(FONT_PT)
    if layers:
        _move_to_area_chart(chart, len(layers))
    _set_blanks(chart, "span")
    plots = list(chart.plots)
    line_plot = plots[-1]
    if layers:
        for (_name, _h, band), ser_el in zip(layers, plots[0]._element.findall(qn("c:ser")),
                                               strict=True):
            area_ser = AreaSeries(ser_el)
            if band is None or band.tone == "normal":
                area_ser.format.fill.background()
            else:
                area_ser.format.fill.solid()
                area_ser.format.fill.fore_color.rgb = _rgb(BAND_COLOURS[band.tone])
            area_ser.format.line.fill.background()
    line_series = list(line_plot.series)
    for ser_name, series in zip(fig.series, line_series, strict=False):
        colour = series_colour(fig, ser_name)
        series.smooth = False
        series.format.line.width = Pt(3.5)
        series.format.line.color.rgb = _rgb(colour)
        if ser_name in fig.dashed_series:
            series.format.line.dash_style = 4  # MSO_LINE.DASH
        series.marker.style = MARKER.CIRCLE
        series.marker.size = 11
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colour)
        series.marker.format.line.color.rgb = _rgb(colour)
        labels = series.data_labels
        labels.show_value = True
        labels.number_format = number_format
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.ABOVE
        _text_props(labels.font, size=16, bold=True, colour=colour)
        if fig.y_min is not None and fig.y_max is not None:
            near_top = fig.y_max - 0.2 * (fig.y_max - fig.y_min)
            for idx, value in enumerate(fig.values(ser_name)):
                if value is not None and value >= near_top:  # keep the label inside the plot
                    label = series.points[idx].data_label
                    label.show_value = True
                    label.number_format = number_format
                    label.number_format_is_linked = False
                    label.position = XL_LABEL_POSITION.BELOW
                    _text_props(label.font, size=16, bold=True, colour=colour)
    for (kind, _label), series in zip(marker_series, line_series[len(fig.series):], strict=True):
        series.smooth = False
        series.format.line.fill.background()
        series.marker.style = MARKER.TRIANGLE if kind == "improved" else MARKER.DIAMOND
        series.marker.size = 20
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(MARKER_COLOURS[kind])
        series.marker.format.line.color.rgb = _rgb("FFFFFF")
    chart.has_title = False
    _style_axes(chart, fig, number_format)
    show_legend = bool(layers) or bool(marker_series) or len(fig.series) > 1
    _legend(chart, show_legend)
    fillers = [i for i, (_n, _h, band) in enumerate(layers)
               if band is None or band.tone == "normal"]
    _hide_legend_entries(chart, fillers)
    return frame


def fig_marker_label(fig: FigureSpec, kind: str) -> str:
    """Legend name of the reliable-change marker series (set by the builder per language)."""
    return fig.marker_labels.get(kind, kind)


def _native_bar(shapes, fig: FigureSpec, data, box, number_format: str):
    for ser in fig.series:
        data.add_series(ser, fig.values(ser))
    if fig.chart == "stacked_bar":
        kind = XL_CHART_TYPE.BAR_STACKED if fig.horizontal else XL_CHART_TYPE.COLUMN_STACKED
    else:
        kind = XL_CHART_TYPE.BAR_CLUSTERED if fig.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = shapes.add_chart(kind, *box, data)
    chart = frame.chart
    chart.font.size = Pt(FONT_PT)
    plot = chart.plots[0]
    plot.gap_width = 60
    if fig.chart == "stacked_bar":
        plot.overlap = 100
    else:
        plot.overlap = -10
    if fig.horizontal:
        # bars read top-down in category order
        chart.category_axis.reverse_order = True
    for ser_name, series in zip(fig.series, plot.series, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(series_colour(fig, ser_name))
        series.invert_if_negative = False
        if fig.chart == "stacked_bar":
            dark = series_colour(fig, ser_name) in ("1B7837", "1F4E79", "B2182B", "2166AC")
            for idx, value in enumerate(fig.values(ser_name)):
                if value is None or value < MIN_LABEL_SHARE:
                    continue
                label = series.points[idx].data_label
                label.show_value = True
                label.number_format = number_format
                label.number_format_is_linked = False
                label.position = XL_LABEL_POSITION.CENTER
                _text_props(label.font, bold=True, colour="FFFFFF" if dark else "1A1A1A")
        else:
            labels = series.data_labels
            labels.show_value = True
            labels.number_format = number_format
            labels.number_format_is_linked = False
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            _text_props(labels.font, size=16, bold=True, colour="1A1A1A")
    chart.has_title = False
    _style_axes(chart, fig, number_format)
    if fig.horizontal:
        # value axis at the bottom even with the category order reversed
        crosses = chart._chartSpace.find(".//" + qn("c:valAx") + "/" + qn("c:crosses"))
        if crosses is not None:
            crosses.set("val", "max")
    _legend(chart, len(fig.series) > 1)
    return frame


def chart_alt_text(fig: FigureSpec, lang: str, k: int) -> str:
    """Alternative text for a picture: the finding and the numbers."""
    return f"{fig.title}. {table_text(fig, lang, k)}".replace("\n", "; ")


# ====================================================================== Altair images


def _alt_config() -> dict[str, Any]:
    return {
        "font": FONT_FAMILY,
        "view": {"stroke": None},
        "axis": {
            "labelFontSize": FONT_PT,
            "titleFontSize": FONT_PT,
            "labelColor": "#" + TEXT_GREY,
            "titleColor": "#" + TEXT_GREY,
            "titleFontWeight": "normal",
            "gridColor": "#" + GRID_GREY,
            "domainColor": "#" + GRID_GREY,
            "tickColor": "#" + GRID_GREY,
            "labelLimit": 400,
        },
        "legend": {
            "labelFontSize": FONT_PT,
            "titleFontSize": FONT_PT,
            "labelLimit": 400,
            "symbolSize": 200,
        },
        "text": {"fontSize": FONT_PT},
    }


def _label_text(fig: FigureSpec, lang: str, k: int, cell) -> str:
    text = fmt_cell(cell, fig.value_format, lang, k)
    return text if text != "–" else ""


def render_png(fig: FigureSpec, width_pt: float, height_pt: float, lang: str, k: int) -> bytes:
    """Draw ``fig`` with Altair and return PNG bytes at 2x scale (offline)."""
    import vl_convert as vlc

    spec = altair_spec(fig, width_pt, height_pt, lang, k)
    locale = "da-DK" if lang == "da" else "en-GB"
    return vlc.vegalite_to_png(
        spec, scale=2, format_locale=locale, time_format_locale=locale, allowed_base_urls=[]
    )


def altair_spec(fig: FigureSpec, width_pt: float, height_pt: float, lang: str, k: int) -> dict:
    """The Vega-Lite spec (a dict) for ``fig``; sizes are the whole image in points."""
    import altair as alt

    if fig.chart == "line":
        chart, right_pad = _alt_line(alt, fig, lang, k)
    elif fig.chart == "bar":
        chart, right_pad = _alt_bar(alt, fig, lang, k), 10
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


def _rows(fig: FigureSpec, lang: str, k: int) -> list[dict[str, Any]]:
    rows = []
    for cell in fig.cells:
        rows.append(
            {
                "category": cell.category,
                "series": cell.series,
                "value": cell.value,
                "label": _label_text(fig, lang, k, cell),
                "n": cell.n,
                "marker": cell.marker,
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


def _label_sides(fig: FigureSpec, rows: list[dict[str, Any]]) -> None:
    """Put each value label above its point, or below when another series is just above."""
    span = (fig.y_max - fig.y_min) if fig.y_min is not None and fig.y_max is not None else 1.0
    for cat in fig.categories:
        here = sorted((r for r in rows if r["category"] == cat and r["value"] is not None),
                      key=lambda r: r["value"], reverse=True)
        for i, r in enumerate(here):
            r["pos"] = "above"
            if i > 0 and here[i - 1]["value"] - r["value"] < 0.12 * span:
                r["pos"] = "below"


def _direct_labels(fig: FigureSpec) -> list[dict[str, Any]] | None:
    """Series-name labels at the right end of each line, or None when a legend is safer."""
    last_cat = fig.categories[-1]
    out = []
    for ser in fig.series:
        valued = [c for c in fig.cells if c.series == ser and c.value is not None]
        if not valued:
            continue
        last = max(valued, key=lambda c: fig.categories.index(c.category))
        if last.category != last_cat:
            return None
        out.append({"category": last.category, "value": last.value, "series": ser})
    span = (fig.y_max - fig.y_min) if fig.y_min is not None and fig.y_max is not None else 1.0
    out.sort(key=lambda r: r["value"], reverse=True)
    for i in range(1, len(out)):  # keep the names apart vertically
        if out[i - 1]["value"] - out[i]["value"] < 0.08 * span:
            out[i]["value"] = out[i - 1]["value"] - 0.08 * span
    return out


def _alt_line(alt, fig: FigureSpec, lang: str, k: int):
    rows = _rows(fig, lang, k)
    _label_sides(fig, rows)
    data = alt.Data(values=rows)
    colours = [("#" + series_colour(fig, s)) for s in fig.series]
    dash = [[8, 5] if s in fig.dashed_series else [1, 0] for s in fig.series]
    enc_x = _x_axis(alt, fig, scale=alt.Scale(paddingOuter=0.3))
    enc_y = alt.Y(
        "value:Q",
        title=fig.y_label,
        scale=_y_scale(alt, fig),
        axis=alt.Axis(format=_axis_format(fig), tickCount=6),
    )
    direct = _direct_labels(fig) if len(fig.series) > 1 else None
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
            alt.Chart(rule).mark_rule(color="#B71C1C", strokeDash=[4, 4], strokeWidth=2)
            .encode(y=alt.Y("y:Q", scale=_y_scale(alt, fig)))
        )
        layers.append(
            alt.Chart(rule)
            .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color="#B71C1C",
                       fontSize=FONT_PT)
            .encode(y=alt.Y("y:Q", scale=_y_scale(alt, fig)), x=alt.value(0), text="t:N")
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
            .mark_text(dy=dy, baseline=baseline, fontSize=16, fontWeight="bold")
            .encode(x=enc_x, y=enc_y, color=colour, text="label:N")
        )
    markers = [r for r in rows if r["marker"]]
    if markers:
        layers.append(
            alt.Chart(alt.Data(values=markers))
            .mark_point(shape="triangle-up", filled=True, size=380, color="#2E7D32")
            .encode(x=enc_x, y=enc_y)
        )
    right_pad = 10
    if direct:
        layers.append(
            alt.Chart(alt.Data(values=direct))
            .mark_text(align="left", dx=14, fontSize=FONT_PT, fontWeight="bold")
            .encode(x=enc_x, y=enc_y, color=colour, text="series:N")
        )
        right_pad = int(max(len(s) for s in fig.series) * FONT_PT * 0.6) + 20
    return alt.layer(*layers), right_pad


def _alt_bar(alt, fig: FigureSpec, lang: str, k: int):
    rows = _rows(fig, lang, k)
    colours = [("#" + series_colour(fig, s)) for s in fig.series]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=fig.series, range=colours),
        legend=alt.Legend(title=None, orient="top") if len(fig.series) > 1 else None,
    )
    x = _x_axis(alt, fig)
    y = alt.Y("value:Q", title=fig.y_label, scale=_y_scale(alt, fig),
              axis=alt.Axis(format=_axis_format(fig), tickCount=6))
    base = alt.Chart(alt.Data(values=rows))
    offset = alt.XOffset("series:N", sort=fig.series)
    bars = base.mark_bar().encode(x=x, y=y, color=colour, xOffset=offset)
    text = base.mark_text(baseline="bottom", dy=-4, fontSize=16, fontWeight="bold",
                          color="#1A1A1A").encode(
        x=x, y=alt.Y("top:Q", scale=_y_scale(alt, fig)), xOffset=offset, text="label:N"
    ).transform_calculate(top="isValid(datum.value) ? max(datum.value, 0) : 0")
    layers = [bars, text]
    if fig.cutoff is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color="#404040", strokeWidth=1.5)
            .encode(y=alt.Y("y:Q", scale=_y_scale(alt, fig)))
        )
    return alt.layer(*layers)


def _alt_stacked(alt, fig: FigureSpec, lang: str, k: int):
    rows = _rows(fig, lang, k)
    ends: dict[str, float] = {}
    rows.sort(key=lambda r: fig.series.index(r["series"]))
    for r in rows:
        r["order"] = fig.series.index(r["series"])
        start = ends.get(r["category"], 0.0)
        r["start"], r["end"] = start, start + (r["value"] or 0.0)
        r["mid"] = (r["start"] + r["end"]) / 2
        ends[r["category"]] = r["end"]
        if r["value"] is None or r["value"] < MIN_LABEL_SHARE:
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
    text = base.mark_text(fontWeight="bold", color="#1A1A1A").encode(
        y=y, x=alt.X("mid:Q", scale=alt.Scale(domain=[0, 100])), text="label:N"
    )
    return alt.layer(bars, text)
