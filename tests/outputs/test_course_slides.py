"""The expected-course slides: results against expected per group (hidden cells stay
hidden, intervals carried) and the method slide with the signals' validation; the
quality report's validation table; the citizen pack's band and off-course slide."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from checks.report import QualitySummary, SignalValidation, render_html
from outputs.citizen_pack import (
    AllianceSignal,
    FlagReason,
    InstrumentSeries,
    ScorePoint,
    off_course_slide,
    progression_figure,
)
from outputs.course_slides import (
    ExpectedCourseData,
    GroupVsExpected,
    ValidationRow,
    VsExpected,
    method_slide,
    vs_expected_figure,
)
from tests.support.deck_samples import sample_citizen_case


def test_vs_expected_figure_hides_small_groups_and_keeps_intervals() -> None:
    item = VsExpected("ORS", "team", [
        GroupVsExpected("nord", 1.5, 0.5, 2.5, 12),
        GroupVsExpected("syd", None, None, None, None, suppressed=True),
    ])
    fig = vs_expected_figure(item, "da", 5, 0)
    assert fig.categories == ["nord\n(n = 12)", "syd\n(<5)"]
    shown, hidden = fig.cells
    assert (shown.value, shown.low, shown.high, shown.n) == (1.5, 0.5, 2.5, 12)
    assert hidden.suppressed and hidden.value is None and hidden.low is None
    assert fig.y_min == -fig.y_max and fig.y_max >= 2.5 * 1.25  # 0 in the middle
    assert "team" in fig.title and "ORS" in fig.title
    assert fig.suppressed_note.startswith("<5")


def test_method_slide_shows_hit_rate_false_alarms_and_late_improvers() -> None:
    data = ExpectedCourseData(30, date(2025, 7, 1), validation=[
        ValidationRow("ORS", 98, 0.125, 40, 0.0, 55, 7, 5),
        ValidationRow("SDQ", None, None, None, None, None, None, None, suppressed=True),
    ])
    slide = method_slide(data, "da", 5, "Trin 2")
    assert slide.table.rows == [["ORS", "98", "12\xa0% (40)", "0\xa0% (55)", "7 (5)"],
                                ["SDQ", "<5", "–", "–", "–"]]
    assert "01.07.2025" in slide.blocks[0].paragraph and "30" in slide.blocks[0].paragraph
    # the title says what the table says: 5 of 40 non-improvers caught, 0 of 55 alarms
    assert slide.title == ("Metode: signalerne for ORS fangede 12\xa0% af forløbene uden "
                           "bedring og gav 0\xa0% falske alarmer")
    two = ExpectedCourseData(30, date(2025, 7, 1), validation=[
        ValidationRow("ORS", 98, 0.125, 40, 0.0, 55, 2, 1),
        ValidationRow("SDQ", 60, 0.4, 20, 0.15, 40, 6, 0)])
    assert method_slide(two, "en", 5, "").title == (
        "Method: the signals caught 12–40% of the courses not improving and gave 0–15% "
        "false alarms")
    # a share of fewer than k courses is left to the table
    few = ExpectedCourseData(30, date(2025, 7, 1), validation=[
        ValidationRow("ORS", 98, 0.125, 40, 0.0, 55, 2, 1),
        ValidationRow("SDQ", 8, 1.0, 2, 0.0, 6, 0, 0)])
    assert method_slide(few, "da", 5, "").title == slide.title
    assert method_slide(ExpectedCourseData(30, None, validation=[few.validation[1]]), "da",
                        5, "").title == ("Metode: sådan beregnes forventet forløb og signaler, "
                                         "og hvor godt de ramte")
    empty = method_slide(ExpectedCourseData(30), "da", 5, "Trin 2")
    assert empty.table is None and "for få" in empty.blocks[1].paragraph
    # nothing tested: the title promises no "how well"
    assert empty.title == "Metode: sådan beregnes forventet forløb og signaler"


def test_method_slide_hides_a_share_of_fewer_than_k_courses() -> None:
    """The demo's ungepraktik slide printed "23 % (13)": 3 of 13 non-improvers caught,
    a count below k given back by the share times n. As the leaders' overview hides a
    share beside a count below k, the share is "skjult" (with a note saying why), a
    count of 1 to k - 1 reads "<k", and 0 stays shown."""
    data = ExpectedCourseData(30, date(2025, 7, 1), validation=[
        ValidationRow("ORS", 26, 3 / 13, 13, 0.0, 13, 0, 0, n_hits=3, n_false_alarms=0),
        ValidationRow("SDQ", 40, 0.25, 20, 0.2, 20, 4, 2, n_hits=5, n_false_alarms=4),
    ])
    slide = method_slide(data, "da", 5, "Trin 2")
    assert slide.table.rows == [["ORS", "26", "skjult (13)", "0\xa0% (13)", "0 (0)"],
                                ["SDQ", "40", "25\xa0% (20)", "skjult (20)", "<5 (<5)"]]
    # neither row has both shares shown, so the title gives no rates
    assert slide.title == ("Metode: sådan beregnes forventet forløb og signaler, og hvor "
                           "godt de ramte")
    assert method_slide(data, "en", 5, "").title == (
        "Method: how the expected course and signals are computed, and how well they hit")
    assert slide.blocks[0].paragraph.endswith(
        "Skjult: færre end 5 forløb blev fanget eller gav falsk alarm, og andelen gange n "
        "ville give deres antal, så den vises ikke. <5: færre end 5 borgere, tallet vises "
        "ikke.")
    assert "23" not in str(slide.table.rows) and "23" not in slide.title
    english = method_slide(data, "en", 5, "")
    assert english.table.rows[0][2] == "hidden (13)"
    # without the counts (an older data object) the share times n gives them: 3 of 13
    old = ExpectedCourseData(30, date(2025, 7, 1), validation=[
        ValidationRow("ORS", 26, 3 / 13, 13, 0.0, 13, 0, 0)])
    assert method_slide(old, "da", 5, "").table.rows[0][2] == "skjult (13)"


def test_method_slide_names_the_instruments_with_no_test_course() -> None:
    """The demo's ungepraktik deck shows results against expected (and signals) for GAS,
    ORS and YLS/CMI, but the validation has a row for ORS only: the slide says why the
    other two are missing (QA finding 10)."""
    def item(name: str) -> VsExpected:
        return VsExpected(name, "variant", [GroupVsExpected("A", 1.0, -1.0, 3.0, 40),
                                            GroupVsExpected("B", -1.0, -3.0, 1.0, 39)])

    data = ExpectedCourseData(30, date(2025, 7, 1),
                              vs_expected=[item("GAS"), item("ORS"), item("YLS/CMI"),
                                           VsExpected("GAS", "team", item("GAS").groups)],
                              validation=[ValidationRow("ORS", 98, 0.125, 40, 0.0, 55, 7, 5)])
    slide = method_slide(data, "da", 5, "")
    assert [row[0] for row in slide.table.rows] == ["ORS"]
    assert ("se tabellen. GAS og YLS/CMI: endnu for få testforløb til at afprøve "
            "signalerne.") in slide.blocks[0].paragraph
    assert slide.blocks[0].paragraph.count("GAS") == 1
    assert "GAS and YLS/CMI: too few test courses yet to test the signals." in method_slide(
        data, "en", 5, "").blocks[0].paragraph
    # every instrument shown is validated (a hidden row counts): no such line
    data.validation.append(ValidationRow("GAS", None, None, None, None, None, None, None,
                                         suppressed=True))
    data.validation.append(ValidationRow("YLS/CMI", 60, 0.4, 20, 0.15, 40, 6, 0))
    assert "testforløb til at afprøve" not in method_slide(data, "da", 5, "").blocks[0].paragraph


def test_quality_report_lists_the_validation() -> None:
    summary = QualitySummary("r1", datetime(2026, 12, 1), date(2026, 11, 30), "all", None,
                             0, 0, 0, 0.9, 0.9, 0.8, 0.75)
    assert "Endnu for få afsluttede forløb" in render_html(summary)
    summary.signals = [SignalValidation("spaedbarn", "ors", date(2025, 7, 1), 98, 0.125,
                                        0.0, 2, 1)]
    page = render_html(summary)
    assert "Signaler om forventet forløb" in page and "01.07.2025" in page
    assert "<td>spaedbarn</td><td>ors</td><td class=\"n\">98</td>" in page
    assert "12\u00a0%" in page and "2 (1)" in page


def test_progression_figure_draws_the_band_only_after_the_intake() -> None:
    case = sample_citizen_case(0)
    scale = case.series[0].scale
    one = InstrumentSeries("ors", scale, "citizen",
                           [ScorePoint("start", date(2026, 1, 5), 20, None, 20, 20)])
    assert progression_figure(one, "da", "a").series == ["Score"]
    two = InstrumentSeries("ors", scale, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 20, None, 20, 20),
        ScorePoint("mid", date(2026, 4, 5), 19, "unchanged", 24.5, 19.6)])
    fig = progression_figure(two, "da", "b")
    assert fig.series == ["Score", "Forventet forløb", "Grænse for forventet forløb"]
    assert fig.values("Forventet forløb") == [20, 24.5]
    assert fig.values("Grænse for forventet forløb") == [20, 19.6]
    assert fig.dashed_series == fig.unlabelled_series == fig.series[1:]
    assert "stiplede" in fig.how_to_read


def test_off_course_slide_gives_reasons_and_four_prompts() -> None:
    case = sample_citizen_case(0)
    case.course_flag = "red"
    case.flag_reasons = [FlagReason("ORS", "mid", 12.0, 24.5, "below_band")]
    case.alliance = AllianceSignal(33, True, True)
    slide = off_course_slide(case, "P-1", "da", "P-1 · Trin 2")
    assert slide.title == "P-1: uden for det forventede forløb – tag det op i dag"
    why, prompts = slide.blocks
    assert why.bullets[0] == "ORS (Midtvejs): 12,0 mod forventet 24,5 – under det almindelige"
    assert "under grænsen og faldet siden sidst" in why.bullets[1]
    assert "ikke en vurdering af medarbejderen" in why.bullets[1]
    assert [p.split(":")[0] for p in prompts.bullets] == [
        "Samarbejdet", "Målene", "Støtten", "Planen"]


@pytest.mark.parametrize(("colour", "reasons", "title", "first_bullet_end"), [
    # under the expected course: the title speaks of it
    ("amber", [("below_expected", 24.5, None)], "P-1: under det forventede forløb – hold øje",
     "mod forventet 24,5 – lidt under"),
    # amber by the fallback: no reliable change, and why there is no expected course
    ("amber", [("no_reliable_change", None, "few_reference_courses")],
     "P-1: ingen pålidelig ændring siden start – hold øje",
     "ingen pålidelig ændring siden start (for få afsluttede forløb til et forventet forløb)"),
    ("amber", [("no_reliable_change", None, "no_intake")],
     "P-1: ingen pålidelig ændring siden start – hold øje",
     "(ingen måling ved start, så intet forventet forløb at sammenligne med)"),
    # red by a reliable deterioration inside the band (expected course fitted)
    ("red", [("reliable_deterioration", None, None)],
     "P-1: pålidelig forværring siden start – tag det op i dag",
     "12,0 – en pålidelig forværring siden start"),
    # one instrument below the band, another deteriorated: off the expected course
    ("red", [("reliable_deterioration", None, None), ("below_band", 24.5, None)],
     "P-1: uden for det forventede forløb – tag det op i dag",
     "12,0 – en pålidelig forværring siden start"),
    # red by deterioration; the amber of another instrument's expected course is not it
    ("red", [("reliable_deterioration", None, "no_intake"), ("below_expected", 24.5, None)],
     "P-1: pålidelig forværring siden start – tag det op i dag",
     "(ingen måling ved start, så intet forventet forløb at sammenligne med)"),
])
def test_off_course_title_says_which_rule_gave_the_colour(colour, reasons, title,
                                                          first_bullet_end) -> None:
    case = sample_citizen_case(0)
    case.course_flag = colour
    case.alliance = None
    case.flag_reasons = [FlagReason("ORS", "mid", 12.0, expected, reason, fallback)
                         for reason, expected, fallback in reasons]
    slide = off_course_slide(case, "P-1", "da", "P-1 · Trin 2")
    assert slide.title == title
    assert slide.blocks[0].bullets[0].endswith(first_bullet_end)


@pytest.mark.parametrize(("kind", "groups", "title"), [
    ("variant", [("konfliktraad", -1.1, -4.5, 2.3), ("standard", 1.1, -2.6, 4.8)],
     "GAS: ingen variant afviger sikkert fra det forventede forløb (alle intervaller rummer 0)"),
    # "et team": the Danish "none" agrees with it (the demo said "ingen team")
    ("team", [("Øst", -0.1, -0.3, 0.1), ("Vest", 0.0, -0.2, 0.2)],
     "GAS: intet team afviger sikkert fra det forventede forløb (alle intervaller rummer 0)"),
    ("variant", [("konfliktraad", 2.0, 0.4, 3.6), ("standard", -0.5, -1.9, 0.9)],
     "GAS: varianten konfliktraad klarer sig sikkert bedre end forventet"),
    ("variant", [("A", -2.0, -3.0, -1.0), ("B", 2.0, 1.0, 3.0)],
     "GAS: varianten B klarer sig sikkert bedre end forventet; varianten A klarer sig "
     "sikkert dårligere end forventet"),
    ("team", [("Nord", -2.0, -3.0, -1.0), ("Syd", -1.5, -2.5, -0.5), ("Øst", 0.0, -1.0, 1.0)],
     "GAS: teamene Nord og Syd klarer sig sikkert dårligere end forventet"),
])
def test_results_against_expected_title_says_what_the_intervals_show(kind, groups, title
                                                                    ) -> None:
    item = VsExpected("GAS", kind, [GroupVsExpected(g, v, lo, hi, 20)
                                         for g, v, lo, hi in groups])
    assert vs_expected_figure(item, "da", 5, 0).title == title


@pytest.mark.parametrize(("lang", "title"), [
    ("da", "YLS/CMI: varianten Standardforløb klarer sig sikkert dårligere end forventet"),
    ("en", "YLS/CMI: variant Standardforløb does clearly worse than expected"),
])
def test_results_against_expected_title_on_a_risk_scale_says_worse(lang, title) -> None:
    """The demo's YLS/CMI slide: the gaps are turned by the direction (lower is better),
    so a bar below 0 is a group doing worse than expected; the title said "ligger sikkert
    under det forventede", which on a risk scale reads as good."""
    item = VsExpected("YLS/CMI", "variant", [
        GroupVsExpected("Standardforløb", -1.52, -2.87, -0.17, 39),
        GroupVsExpected("Forløb med konfliktråd", 1.10, -1.09, 3.29, 40)])
    assert vs_expected_figure(item, lang, 5, 0).title == title


def test_results_against_expected_title_in_english_both_ways() -> None:
    item = VsExpected("GAS", "team", [GroupVsExpected("A", 2.0, 1.0, 3.0, 20),
                                      GroupVsExpected("B", 2.5, 1.5, 3.5, 20),
                                      GroupVsExpected("C", -2.0, -3.0, -1.0, 20)])
    assert vs_expected_figure(item, "en", 5, 0).title == (
        "GAS: teams A and B do clearly better than expected; team C does clearly worse "
        "than expected")
