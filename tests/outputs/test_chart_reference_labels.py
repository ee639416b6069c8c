"""A citizen's progression chart names its bands and its cut-off on the chart, clear of
the data; the bands' shades darken with risk; the dashed guides stay visible."""

from __future__ import annotations

import re
from datetime import date

import pytest

from datadialog.config_load import load_config
from outputs.chart_labels import obstacles, plot_box
from outputs.citizen_pack import InstrumentSeries, ScorePoint, progression_figure
from outputs.common import scale_from_config
from outputs.native_chart import _marker_values, _reference_places, line_chart
from outputs.style import BAND_COLOURS, BAND_ORDER

CX, CY = 5_400_000, 2_700_000


@pytest.fixture(scope="module")
def config():
    return load_config()


def _series(config, instrument: str, group: str, points: list[ScorePoint]) -> InstrumentSeries:
    return InstrumentSeries(instrument, scale_from_config(config.instrument(instrument), group),
                            "citizen", points)


def _named_labels(xml: str) -> list[str]:
    """The series names that carry a data label showing the name (the direct labels)."""
    out = []
    for ser in re.findall(r"<c:ser>.*?</c:ser>", xml, re.S):
        if '<c:showSerName val="1"/>' in ser:
            out.append(re.search(r"<c:v>([^<]*)</c:v>", ser).group(1))
    return out


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _ors(config, lang: str = "da"):
    # the familie_nord case: 22 and 22, the expected course rising, its edge along the line
    series = _series(config, "ors", "adult", [
        ScorePoint("start", date(2026, 3, 10), 22.0, expected=22.0, band_edge=22.0),
        ScorePoint("mid", date(2026, 6, 4), 22.0, "unchanged", expected=24.0,
                   band_edge=21.6)])
    return progression_figure(series, lang, "f")


@pytest.mark.parametrize("lang, cutoff, band", [("da", "Grænseværdi 25", "Klinisk område"),
                                                 ("en", "Cut-off 25", "Clinical range")])
def test_the_cutoff_and_the_clinical_range_are_named_on_the_chart(config, lang, cutoff,
                                                                   band) -> None:
    fig = _ors(config, lang)
    assert not fig.legend
    xml, _ = line_chart(fig, fig.categories, CX, CY)
    assert sorted(_named_labels(xml)) == sorted([cutoff, band])
    assert "<c:legend>" not in xml
    assert "<c:manualLayout>" in xml  # the plot laid out by hand: the labels' places are known


def test_the_alliance_cutoff_and_its_range_are_named(config) -> None:
    series = _series(config, "srs", "adult", [
        ScorePoint("start", date(2026, 7, 28), 31.0),
        ScorePoint("mid", date(2026, 11, 1), 31.0, "unchanged")])
    fig = progression_figure(series, "da", "f")
    xml, _ = line_chart(fig, fig.categories, CX, CY)
    assert sorted(_named_labels(xml)) == ["Alliancegrænse 36", "Under alliancegrænsen"]


def test_every_risk_band_is_named_and_darker_with_risk(config) -> None:
    series = _series(config, "yls_cmi", "adolescent", [ScorePoint("start", date(2026, 5, 8),
                                                                  24.0)])
    fig = progression_figure(series, "da", "f")
    xml, _ = line_chart(fig, fig.categories, CX, CY)
    assert _named_labels(xml) == ["Moderat", "Høj", "Meget høj"]
    # the fills in the chart, lowest band first (= least risk for YLS/CMI): darker each step
    fills = [re.search(r'<a:srgbClr val="(\w+)"/>', ser).group(1)
             for ser in re.findall(r"<c:ser>.*?</c:ser>", xml, re.S)
             if re.search(r"<c:v>(Moderat|Høj|Meget høj)</c:v>", ser)]
    assert fills == [BAND_COLOURS[tone] for tone in BAND_ORDER]
    lum = [_luminance(c) for c in fills]
    assert lum[0] - lum[1] > 0.15 and lum[1] - lum[2] > 0.15  # visibly darker, in grey too


def test_band_palette_is_one_ordered_ramp() -> None:
    lum = [_luminance(BAND_COLOURS[tone]) for tone in BAND_ORDER]
    assert lum == sorted(lum, reverse=True)
    # the dark blue line and its labels stay readable on the darkest band
    assert (lum[-1] + 0.05) / (_luminance("1F4E79") + 0.05) >= 3.0


def test_reference_labels_keep_clear_of_points_lines_and_value_labels(config) -> None:
    fig = _ors(config)
    geo = plot_box(fig, CX / 12700, CY / 12700)
    markers = _marker_values(fig)
    places = _reference_places(fig, geo, markers)
    assert set(places) == {"cutoff", "band:0"}
    solid = [s for s in fig.series if s not in fig.dashed_series]
    blocked = obstacles(fig, geo, solid, list(fig.dashed_series), [])
    for key, box in places.items():
        assert not any(box.overlap(o) for o in blocked), key
        assert geo.left <= box.x0 and box.x1 <= geo.left + geo.w
    assert not places["cutoff"].overlap(places["band:0"])
    # the cut-off's label sits beside the band's edge, on the unshaded side
    assert places["cutoff"].y1 <= geo.y(25) + 0.5


def test_dashed_guides_are_drawn_over_the_citizens_line(config) -> None:
    fig = _ors(config)
    xml, _ = line_chart(fig, fig.categories, CX, CY)
    line_part = xml[xml.index("<c:lineChart>"):]
    order = re.findall(r"<c:tx><c:strRef><c:f>[^<]*</c:f><c:strCache><c:ptCount val=\"1\"/>"
                       r"<c:pt idx=\"0\"><c:v>([^<]*)</c:v>", line_part)
    assert order.index("Score") < order.index("Forventet forløb")
    assert order.index("Score") < order.index("Grænse for forventet forløb")


def test_a_guide_on_the_citizens_line_is_as_wide_as_it(config) -> None:
    """The tolerance edge (2.25 pt) ran inside the citizen's 3.5 pt line at 22 -> 22 and the
    amber signal could not be seen; as wide as the line, its dashes cover it."""
    fig = _ors(config)
    xml, _ = line_chart(fig, fig.categories, CX, CY)
    widths = {}
    for ser in re.findall(r"<c:ser>.*?</c:ser>", xml[xml.index("<c:lineChart>"):], re.S):
        name = re.search(r"<c:v>([^<]*)</c:v>", ser).group(1)
        if (w := re.search(r'<a:ln w="(\d+)"', ser)) is not None:
            widths[name] = int(w.group(1))
    assert widths["Grænse for forventet forløb"] >= widths["Score"]
    assert widths["Forventet forløb"] >= widths["Score"]


# ---------------------------------------------------------------- aggregated trend charts


def test_a_value_label_the_cutoff_rule_would_strike_moves_past_it() -> None:
    from outputs.native_lines import clear_of_rule
    from outputs.spec import FigureSpec
    fig = FigureSpec("f", "line", "t", "", "", [], [], [], "", y_min=0, y_max=4, cutoff=2.0)
    # 200 pt for 0-4: 50 pt a unit. 1.65 labelled above: the rule 17.5 pt over the point
    # runs through the label (5 to 25 pt over it); it moves up past the rule
    assert clear_of_rule(fig, 1.65, "above", 200) == pytest.approx(-(17.5 + 3 - 5))
    # 2.36 labelled below: the rule 18 pt under it; the label moves down past it
    assert clear_of_rule(fig, 2.36, "below", 200) == pytest.approx(18 + 3 - 5)
    assert clear_of_rule(fig, 1.0, "above", 200) == 0.0  # the rule far above the label
    assert clear_of_rule(fig, 2.5, "above", 200) == 0.0  # the rule under the point


def test_the_run_charts_start_is_a_marker_in_the_plot_not_a_glyph_on_a_tick() -> None:
    from outputs.common import ScaleInfo
    from outputs.native_lines import trend_chart
    from outputs.trials import MonthMean, TrialRun, run_chart
    run = TrialRun("t", "Ugentlig samtale", date(2026, 5, 12), "", ScaleInfo("ORS",
                   "higher_is_better", 0, 40),
                   [MonthMean(date(2026, m, 1), v, 6, False)
                    for m, v in enumerate([20, 22, 21, 23, 24, 25, 23], start=1)])
    fig = run_chart(run, "da", 5, 0)
    xml, _ = trend_chart(fig, 7_000_000, 3_000_000, "da", 5)
    cats = re.search(r"<c:cat>.*?</c:cat>", xml, re.S).group(0)
    assert "▲" not in cats and "<c:v>05.26</c:v>" in cats
    start = next(s for s in re.findall(r"<c:ser>.*?</c:ser>", xml, re.S)
                 if "<c:v>▲</c:v>" in s)
    assert '<c:symbol val="triangle"/>' in start
    assert '<a:ln><a:noFill/></a:ln>' in start  # a marker, no line
    idx = re.search(r'<c:idx val="(\d+)"/>', start).group(1)
    assert f'<c:legendEntry><c:idx val="{idx}"/><c:delete val="1"/>' in xml
    # at the bottom of its month, inside the plot (the points are all well above it; the
    # axis runs 18-28 around them)
    assert (fig.y_min, fig.y_max) == (18, 28)
    values = re.findall(r"<c:v>([\d.]+)</c:v>", start.split("<c:val>")[1])
    assert [float(v) for v in values] == [18.5]
