"""The intervention pack's native charts: trend lines with end labels and a cut-off
series (outputs.native_lines), and bars with interval whiskers (outputs.native_chart).

What the chart holds is read back the way a meeting leader's PowerPoint reads it: the
chart cache through python-pptx and the workbook behind "Edit data" through openpyxl.
The numbers are the figure's cells, worked out here by hand; a hidden cell has no value
in either.
"""

from __future__ import annotations

import io

import pytest
from lxml import etree
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Inches

from outputs.charts import axis_step, axis_title, nice_span
from outputs.common import ScaleInfo
from outputs.course_slides import GroupVsExpected, VsExpected, vs_expected_figure
from outputs.intervention_pack import PointSeries, Stat, progression_figure
from outputs.native_chart import bar_chart
from outputs.native_lines import trend_chart
from outputs.render import render_deck
from outputs.spec import Cell, DeckSpec, FigureSpec, SlideSpec

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
ORS = ScaleInfo("ORS", "higher_is_better", 0, 40, cutoff=25, reliable_change_points=5)
W, H = int(Inches(8)), int(Inches(4.5))


def _ors_progression() -> FigureSpec:
    # cohort 19.9 -> 26.8 (n = 80); everyone measured: the end point's n = 3 is hidden
    ps = PointSeries(ORS, ["start", "mid", "end"],
                     cohort=[Stat(19.9, 80), Stat(22.5, 80), Stat(26.8, 80)],
                     all=[Stat(19.8, 98), Stat(22.5, 88), Stat(None, 3, suppressed=True)])
    return progression_figure(ps, "da", 5, 0)


def _deck(fig: FigureSpec, tmp_path) -> Presentation:
    spec = DeckSpec(title="t", subtitle="", language="da",
                    slides=[SlideSpec(kind="figure", title=fig.title, figures=[fig])])
    return Presentation(str(render_deck(spec, tmp_path / "deck.pptx")))


def _chart(prs):
    return next(s.chart for sl in prs.slides for s in sl.shapes if s.has_chart)


def _sheet(chart) -> list[list]:
    wb = load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    return [[c.value for c in row] for row in wb.active.iter_rows()]


def test_the_progression_chart_holds_the_cells_and_no_hidden_value(tmp_path) -> None:
    fig = _ors_progression()
    assert fig.render == "native" and fig.direct_labels
    chart = _chart(_deck(fig, tmp_path))
    series = [(s.name, list(s.values)) for s in chart.plots[0].series]
    assert series == [
        ("Grænseværdi 25", [25.0, 25.0, 25.0]),  # the cut-off: a flat line, drawn first
        ("Samme borgere (n = 80)", [19.9, 22.5, 26.8]),
        ("Alle målte borgere", [19.8, 22.5, None]),  # hidden at the end: no value
    ]
    assert list(chart.plots[0].categories) == ["Start\n(n = 98)", "Midtvejs\n(n = 88)",
                                               "Slut\n(n <5)"]
    rows = _sheet(chart)
    assert rows[0] == [None, "Grænseværdi 25", "Samme borgere (n = 80)", "Alle målte borgere"]
    assert rows[1:] == [["Start\n(n = 98)", 25, 19.9, 19.8],
                        ["Midtvejs\n(n = 88)", 25, 22.5, 22.5],
                        ["Slut\n(n <5)", 25, 26.8, None]]  # the hidden cell is an empty cell
    assert 3 not in [v for row in rows for v in row]  # nor its n


def _ser(xml: bytes, name: str):
    root = etree.fromstring(xml)
    return next(s for s in root.iter(f"{C}ser") if s.find(f".//{C}tx//{C}v").text == name)


def test_lines_are_named_at_their_ends_and_close_labels_pushed_apart() -> None:
    fig = _ors_progression()
    # both lines ending at the same value (the hidden end of "all" filled in for this)
    fig.cells = [c if c.value is not None else Cell(c.category, c.series, 26.8, n=81)
                 for c in fig.cells]
    xml, _ = trend_chart(fig, W, H, "da", 5)
    offsets = []
    for name in fig.series:
        labels = _ser(xml.encode(), name).findall(f"{C}dLbls/{C}dLbl")
        end = next(lb for lb in labels if lb.find(f"{C}idx").get("val") == "2")
        # the name and the value: "Samme borgere (n = 80)  26,8"
        assert end.find(f"{C}showSerName").get("val") == "1"
        assert end.find(f"{C}showVal").get("val") == "1"
        assert end.find(f"{C}dLblPos").get("val") == "r"
        offsets.append(float(end.find(f"{C}layout//{C}y").get("val")))
    # the same last value: one label moved up, the other down, by the same amount
    assert offsets[0] == pytest.approx(-offsets[1]) and offsets[0] != 0
    cutoff = _ser(xml.encode(), "Grænseværdi 25")
    assert cutoff.find(f"{C}marker/{C}symbol").get("val") == "none"
    assert cutoff.find(".//{*}prstDash").get("val") == "sysDash"
    name_only = cutoff.find(f"{C}dLbls/{C}dLbl")
    assert name_only.find(f"{C}showSerName").get("val") == "1"
    assert name_only.find(f"{C}showVal").get("val") == "0"


def test_a_line_that_ends_early_gets_a_legend_on_top_instead() -> None:
    fig = _ors_progression()  # "Alle målte borgere" has no value at the last point
    xml, _ = trend_chart(fig, W, H, "da", 5)
    root = etree.fromstring(xml.encode())
    assert root.find(f".//{C}legend/{C}legendPos").get("val") == "t"
    assert not [lb for lb in root.iter(f"{C}dLbl")
                if lb.find(f"{C}showSerName").get("val") == "1"
                and lb.find(f"{C}showVal").get("val") == "1"]
    # the cut-off has its own label on the rule, so its legend entry is deleted
    deleted = [e.find(f"{C}idx").get("val") for e in root.iter(f"{C}legendEntry")]
    assert deleted == ["0"]


def test_many_months_slant_the_category_labels() -> None:
    months = [f"{m:02d}.26" for m in range(1, 13)]
    fig = FigureSpec(id="trial:0", chart="line", title="", x_label="", y_label="ORS",
                     categories=months, series=["Før"],
                     cells=[Cell(m, "Før", 20.0 + i, n=6) for i, m in enumerate(months)],
                     how_to_read="", y_min=0, y_max=40, direct_labels=True)
    xml, _ = trend_chart(fig, int(Inches(5)), H, "da", 5)
    cat_ax = etree.fromstring(xml.encode()).find(f".//{C}catAx")
    assert cat_ax.find(f"{C}txPr/{{*}}bodyPr").get("rot") == "-2700000"


def test_results_vs_expected_bars_carry_their_intervals_and_hide_a_small_group() -> None:
    item = VsExpected("ORS", "team", [
        GroupVsExpected("voksen_oest", 0.3, -1.1, 1.7, 44),
        GroupVsExpected("voksen_nord", None, None, None, None, suppressed=True),
        GroupVsExpected("voksen_vest", -0.1, -1.9, 1.7, 46),
    ])
    fig = vs_expected_figure(item, "da", 5, 0)
    assert fig.render == "native"
    # 1.9 from zero at most, a quarter more: 2.375; in steps of 1 (2.375 / 3 -> 1): 3
    assert (fig.y_min, fig.y_max) == (-3, 3)
    xml, xlsx = bar_chart(fig, fig.categories, W, H)
    ser = _ser(xml.encode(), fig.series[0])
    vals = {p.get("idx"): float(p.find(f"{C}v").text)
            for p in ser.findall(f"{C}val//{C}pt")}
    assert vals == {"0": 0.3, "2": -0.1}  # the hidden group has no value

    def whisker(part: str) -> dict[str, float]:
        return {p.get("idx"): round(float(p.find(f"{C}v").text), 9)
                for p in ser.findall(f"{C}errBars/{C}{part}//{C}pt")}

    assert whisker("plus") == {"0": 1.4, "2": 1.8}  # high - value
    assert whisker("minus") == {"0": 1.4, "2": 1.8}  # value - low
    sheet = [[c.value for c in row]
             for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows()]
    assert sheet[1:] == [["voksen_oest\n(n = 44)", 0.3], ["voksen_nord\n(<5)", None],
                         ["voksen_vest\n(n = 46)", -0.1]]
    # the labels' number format prints a negative bar with the minus sign U+2212 ("−0,1"),
    # as the texts do; the workbook keeps the number a number (QA finding 9)
    label_format = ser.find(f"{C}dLbls/{C}numFmt").get("formatCode")
    assert label_format == '0.0;"\u2212"0.0'
    assert load_workbook(io.BytesIO(xlsx)).active.cell(4, 2).number_format == label_format
    # and the value axis's ticks from -3 to 3 too ("−2")
    tick_format = etree.fromstring(xml.encode()).find(f".//{C}valAx/{C}numFmt").get("formatCode")
    assert tick_format == '#,##0;"\u2212"#,##0'


@pytest.mark.parametrize(("lo", "hi", "step"), [
    (0, 40, 10),  # a fifth of the range: 8 -> 10, and 0 is a multiple
    (0, 42, 10),
    (-6, 6, 2),  # 2.4 -> 2.5 does not divide 6; 2 (at least 12 / 8 = 1.5) does
    (-1.5, 1.5, 0.5),
    (-7.5, 7.5, 2.5),
])
def test_axis_ticks_start_on_the_minimum(lo, hi, step) -> None:
    assert axis_step(lo, hi) == step


def test_a_symmetric_axis_is_rounded_up_to_whole_ticks() -> None:
    assert nice_span(4.7) == 6  # 5.875 -> steps of 2 -> 6
    assert nice_span(0.2) == 1.5  # at least 1, x 1.25 -> steps of 0.5
    assert nice_span(7.9) == 10


def test_an_axis_title_near_the_axis_length_is_split_by_us_not_wrapped_by_the_viewer() -> None:
    # 30 characters at 14 pt x 0.6 = 252 pt: on a 290 pt axis LibreOffice wrapped it onto
    # a second line the margin had no room for (over the tick labels); split, the margin
    # is made for two lines
    assert axis_title("Gennemsnitlig Misbrugssværhed", 290) == ["Gennemsnitlig",
                                                                 "Misbrugssværhed"]
    assert axis_title("Gennemsnitlig Misbrugssværhed", 320) == "Gennemsnitlig Misbrugssværhed"
    assert axis_title("ORS", 100) == "ORS"


def _labelled_points(xml: str, name: str) -> list[int]:
    return [int(lb.find(f"{C}idx").get("val"))
            for lb in _ser(xml.encode(), name).findall(f"{C}dLbls/{C}dLbl")]


def _stacked(parts: dict[str, list[float]], value_format: str, y_max: float) -> str:
    """The chart XML of horizontal stacked bars over categories A and B."""
    fig = FigureSpec(id="stacked", chart="stacked_bar", title="", x_label="", y_label="",
                     categories=["A", "B"], series=list(parts),
                     cells=[Cell(cat, ser, values[i], n=100)
                            for ser, values in parts.items() for i, cat in enumerate("AB")],
                     how_to_read="", render="native", value_format=value_format, y_min=0,
                     y_max=y_max, horizontal=True)
    return bar_chart(fig, fig.categories, W, H)[0]


def test_stacked_segments_too_narrow_for_a_label_get_none() -> None:
    # The leaders' cost composition in 1 000 kr. on an axis to 80 000: a label needs 8 %
    # of the axis = 6 400. Fixed costs of 60 and 45 and a per-course part of 4 597
    # (5.7 %) are slivers; their labels ran into the next segment's ("50" + "8,144"
    # read "508,144" at 100 000 courses).
    xml = _stacked({"Personaletid": [43_602, 27_574], "Faste udgifter": [60, 45],
                    "Udgifter pr. forløb": [14_396, 4_597]}, "int", 80_000)
    assert _labelled_points(xml, "Personaletid") == [0, 1]
    assert _labelled_points(xml, "Faste udgifter") == []
    assert _labelled_points(xml, "Udgifter pr. forløb") == [0]  # 14 396 = 18 %; 4 597 not
    # The 8 in chart's plot is 523.6 pt wide (its box: 90.9 % of 576 pt). A label needs
    # its characters x 14 pt x 0.6 + 6 pt: "8 %" 31.2 pt, so a share fits from 5.96 %
    # (5 % = 26.2 pt does not; 7.9 % = 41.4 pt does, which a rule of 8 % of the axis
    # left unlabelled).
    xml = _stacked({"Nået": [46.0, 5.0], "Fastholdt": [7.9, 60.0]}, "pct", 100)
    assert _labelled_points(xml, "Nået") == [0]
    assert _labelled_points(xml, "Fastholdt") == [0, 1]


def test_a_stacked_segment_with_room_for_its_label_gets_it() -> None:
    # The demo's leaders' cost chart (1 000 kr. on an axis to 300): a per-course part of
    # 23.7 is 41.4 pt of the 523.6 pt plot, and its label "24" needs 2 x 8.4 + 6 = 22.8
    # pt; 7.9 % of the axis, it went unlabelled under the share rule. 10 (17.5 pt) has no
    # room for "10" (22.8 pt).
    xml = _stacked({"Personaletid": [160.0, 150.0], "Udgifter pr. forløb": [23.7, 10.0]},
                   "int", 300)
    assert _labelled_points(xml, "Udgifter pr. forløb") == [0]
    assert _labelled_points(xml, "Personaletid") == [0, 1]
