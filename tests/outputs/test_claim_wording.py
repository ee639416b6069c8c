"""What slides say about numbers (#14): the n beside a chart, direction words, bands as
configured, an alliance cut-off that is not a clinical range, and a citizen's direction
in the words of reliable change."""

from __future__ import annotations

from datetime import date

import pytest

from datadialog.config_load import load_config
from outputs.citizen_pack import (
    CitizenCase,
    InstrumentSeries,
    KikElement,
    ScorePoint,
    kik_figure,
    progression_figure,
    ratings_finding,
    ratings_table,
)
from outputs.claims import chart_n
from outputs.common import ScaleInfo, scale_bands, scale_from_config
from outputs.intervention_pack import (
    DataBasis,
    FidelityLevel,
    GroupStat,
    InterventionPackData,
    Stat,
    _chart_n_note,
    fidelity_figure,
)
from outputs.native_chart import line_chart
from outputs.render_figures import merged_sentences


@pytest.fixture(scope="module")
def config():
    return load_config()


def test_chart_n_adds_the_shown_cells_and_says_when_some_are_hidden() -> None:
    assert chart_n([(21, False), (24, False)]) == chart_n([(24, False), (21, False)])
    assert chart_n([(21, False), (24, False)]).shown == 45
    with_hidden = chart_n([(21, False), (None, True), (11, False)])
    assert (with_hidden.shown, with_hidden.any_hidden) == (32, True)


def test_target_group_note_is_the_n_of_its_bars_not_the_meetings_basis() -> None:
    stats = [GroupStat("Mænd", "2025", Stat(18.3, 11)), GroupStat("Mænd", "2026", Stat(20.3, 21)),
             GroupStat("Kvinder", "2026", Stat(None, None, suppressed=True))]
    assert _chart_n_note([g.stat for g in stats], "da") == "n = 32 borgere i de viste søjler"
    shown = [GroupStat("Mænd", "2026", Stat(20.3, 21)), GroupStat("Kvinder", "2026",
                                                                   Stat(19.0, 24))]
    assert _chart_n_note([g.stat for g in shown], "da") == "n = 45 borgere"


def test_youth_risk_bands_are_drawn_as_configured_one_shade_each(config) -> None:
    yls = scale_from_config(config.instrument("yls_cmi"), "adolescent")
    bands = scale_bands(yls, "da")
    # low (0-8) is the best band and stays white; moderate, high and very high keep their
    # own ranges, names and shades (moderate and high were merged into one before)
    assert [(b.label, b.low, b.high, b.tone) for b in bands] == [
        ("Moderat", 8.5, 22.5, "borderline"),
        ("Høj", 22.5, 34.5, "clinical"),
        ("Meget høj", 34.5, 42.0, "severe"),
    ]


def test_sdq_bands_keep_borderline_and_clinical_apart(config) -> None:
    sdq = scale_from_config(config.instrument("sdq_p"), "child")
    assert [(b.label, b.tone) for b in scale_bands(sdq, "da")] == [
        ("Grænseområde", "borderline"), ("Klinisk område", "clinical")]


def test_srs_cut_off_is_an_alliance_cut_off_not_a_clinical_range(config) -> None:
    srs = scale_from_config(config.instrument("srs"), "adult")
    (band,) = scale_bands(srs, "da")
    assert (band.label, band.tone, band.low, band.high) == (
        "Under alliancegrænsen", "alliance", 0.0, 36.0)
    series = InstrumentSeries("srs", srs, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 21.0), ScorePoint("mid", date(2026, 3, 5), 22.0)])
    fig = progression_figure(series, "da", "f")
    assert fig.cutoff_label == "Alliancegrænse 36"
    assert "Klinisk" not in fig.how_to_read and "alliancegrænsen" in fig.how_to_read
    ors = scale_from_config(config.instrument("ors"), "adult")
    (ors_band,) = scale_bands(ors, "da")
    assert (ors_band.label, ors_band.tone) == ("Klinisk område", "clinical")


def _case(*series: InstrumentSeries) -> CitizenCase:
    return CitizenCase("P-0123456789abcdef", "c1", "Voksenstøtte", date(2026, 1, 1), "open",
                       series=list(series))


def test_a_change_within_the_reliable_change_is_not_called_improvement(config) -> None:
    ors = scale_from_config(config.instrument("ors"), "adult")
    gas = scale_from_config(config.instrument("gas"), None)
    # ORS 17 -> 21: +4 is below the 5 reliable-change points: the table says "ingen
    # pålidelig ændring", so the title must not say "peger mod bedring"
    ors_series = InstrumentSeries("ors", ors, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 17.0),
        ScorePoint("mid", date(2026, 3, 5), 21.0, rci_class="unchanged")])
    gas_series = InstrumentSeries("gas", gas, "staff",
                                  [ScorePoint("start", date(2026, 1, 5), 40.0)])
    finding = ratings_finding(_case(ors_series, gas_series), "da")
    assert finding == ("Borgerens egen vurdering peger hverken mod bedring eller forværring "
                       "(ingen pålidelig ændring); medarbejderne har kun én måling endnu")
    improved = InstrumentSeries("ors", ors, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 17.0),
        ScorePoint("mid", date(2026, 3, 5), 23.0, rci_class="reliably_improved")])
    assert ratings_finding(_case(improved), "da") == "Borgerens egen vurdering peger mod bedring"


def test_alliance_scores_do_not_count_as_the_citizens_outcome(config) -> None:
    srs = scale_from_config(config.instrument("srs"), "adult")
    ors = scale_from_config(config.instrument("ors"), "adult")
    srs_up = InstrumentSeries("srs", srs, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 28.0), ScorePoint("mid", date(2026, 3, 5), 36.0)])
    ors_down = InstrumentSeries("ors", ors, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 25.0),
        ScorePoint("mid", date(2026, 3, 5), 19.0, rci_class="reliably_deteriorated")])
    # a rising SRS must not turn a reliable ORS deterioration into "both ways"
    assert ratings_finding(_case(srs_up, ors_down), "da") == (
        "Borgerens egen vurdering peger mod forværring")
    assert ratings_finding(_case(srs_up), "da") is None  # alliance only: nothing to say


def test_a_risk_score_change_without_a_reliable_change_rule_is_worded_by_direction(config
                                                                                   ) -> None:
    asi = scale_from_config(config.instrument("asi"), None)
    series = InstrumentSeries("asi", asi, "staff", [
        ScorePoint("start", date(2026, 1, 5), 2.4), ScorePoint("mid", date(2026, 3, 5), 1.9)])
    title = progression_figure(series, "da", "f").title
    assert title.endswith("faldt 0,5 point (bedre) siden start"), title


def test_two_charts_how_to_read_merge_sentence_by_sentence() -> None:
    gas_how = "The line shows the score. A triangle marks change."
    ors_how = "The line shows the score. The area is clinical. A triangle marks change."
    assert merged_sentences([gas_how, ors_how]) == [
        "The line shows the score.", "The area is clinical.", "A triangle marks change."]


def test_a_flagged_measurement_is_ringed_and_named_under_the_chart(config) -> None:
    ors = scale_from_config(config.instrument("ors"), "adult")
    series = InstrumentSeries("ors", ors, "citizen", [
        ScorePoint("start", date(2026, 7, 28), 19.0),
        ScorePoint("mid", date(2026, 11, 1), 19.0, "unchanged",
                   flags=(("measurement_in_future", "error"),))])
    fig = progression_figure(series, "da", "f", {"measurement_in_future": "Måling i fremtiden"})
    assert [c.flagged for c in fig.cells] == [False, True]
    assert fig.n_note.endswith(
        "Ring om punktet = markeret i datatjekket: 01.11.26: Måling i fremtiden (fejl)")
    xml, _ = line_chart(fig, fig.categories)
    assert "Markeret i datatjek" in xml  # its own legend entry, drawn as a ring


#: 95 % intervals of the improvements: apart, overlapping by 0.1 point, unknown
APART = ((5.9, 9.5), (1.0, 4.2))
TOUCHING = ((4.1, 11.3), (-1.0, 4.2))
UNKNOWN = (None, None)


@pytest.mark.parametrize(("high", "low", "intervals", "title"), [
    (7.7, 2.6, APART,
     "Borgere med høj KiK udviklede sig bedre end borgere med lav KiK (+7,7 mod +2,6 point)"),
    # the same means, but the intervals share 4.1-4.2: the difference may be chance
    (7.7, 2.6, TOUCHING,
     "Borgere med høj KiK udviklede sig mere end borgere med lav KiK (+7,7 mod +2,6 point), men "
     "forskellen kan skyldes tilfældigheder"),
    (7.7, 2.6, UNKNOWN,
     "Borgere med høj KiK udviklede sig mere end borgere med lav KiK (+7,7 mod +2,6 point), men "
     "forskellen kan skyldes tilfældigheder"),
    (2.0, 2.6, APART,
     "Borgere med høj KiK udviklede sig ikke bedre end borgere med lav KiK (+2,0 mod +2,6 point)"),
    # equal as printed: -8.000000000000002 and -8.0 are a tie, not a winner
    (-8.000000000000002, -8.0, APART,
     "Borgere med høj KiK og med lav KiK udviklede sig lige meget (\u22128,0 point)"),
])
def test_fidelity_title_compares_as_printed(high, low, intervals, title) -> None:
    data = InterventionPackData(
        "Indsats", "", "3. kvartal 2026", date(2026, 10, 13),
        DataBasis(date(2026, 7, 1), date(2026, 9, 30), 26, 26),
        fidelity_scale=ScaleInfo("ORS"),
        fidelity=[FidelityLevel("low", Stat(low, 12, interval=intervals[1])),
                  FidelityLevel("high", Stat(high, 14, interval=intervals[0]))])
    assert fidelity_figure(data, "da", 5).title == title


def test_gas_direction_is_its_printed_sign_and_staff_with_two_gas_ratings_are_not_single(
        config) -> None:
    ors = scale_from_config(config.instrument("ors"), "adult")
    gas = scale_from_config(config.instrument("gas"), None)
    ors_up = InstrumentSeries("ors", ors, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 17.0),
        ScorePoint("mid", date(2026, 3, 5), 23.0, rci_class="reliably_improved")])
    gas_two = InstrumentSeries("gas", gas, "staff", [
        ScorePoint("start", date(2026, 1, 5), 45.4355), ScorePoint(None, date(2026, 2, 5), 40.87)])
    # GAS has no reliable-change rule: its direction is the sign of the printed change
    # (docs/decks.md), and staff with two GAS ratings are not "one measurement so far"
    assert ratings_finding(_case(ors_up, gas_two), "da") == (
        "Borgerens egen vurdering peger mod bedring, medarbejdernes mod forværring")
    assert ratings_finding(_case(gas_two), "da") == (
        "Medarbejdernes vurdering peger mod forværring")
    # the change is taken from the printed values: 45,4 -> 40,9 is -4,5 (not -4,6)
    row = ratings_table(_case(gas_two), "da").rows[0]
    assert row[1:4] == ["45,4", "40,9", "\u22124,5"]


def test_the_ratings_title_speaks_for_citizen_and_staff(config) -> None:
    """The QA's cases: the citizen's ORS within the measurement error while the staff's GAS
    fell 10 points (the goal: "Tilbagegang"); both improved; GAS equal as printed."""
    ors = scale_from_config(config.instrument("ors"), "adult")
    gas = scale_from_config(config.instrument("gas"), None)
    ors_flat = InstrumentSeries("ors", ors, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 20.0),
        ScorePoint("mid", date(2026, 3, 5), 22.0, rci_class="unchanged")])
    gas_down = InstrumentSeries("gas", gas, "staff", [
        ScorePoint("start", date(2026, 1, 5), 50.0), ScorePoint(None, date(2026, 3, 5), 40.0)])
    assert ratings_finding(_case(ors_flat, gas_down), "da") == (
        "Borgerens egen vurdering peger hverken mod bedring eller forværring (ingen pålidelig "
        "ændring), medarbejdernes mod forværring")
    assert ratings_finding(_case(ors_flat, gas_down), "en") == (
        "The citizen's own rating points neither towards improvement nor deterioration (no "
        "reliable change), staff's towards deterioration")
    ors_up = InstrumentSeries("ors", ors, "citizen", [
        ScorePoint("start", date(2026, 1, 5), 17.0),
        ScorePoint("mid", date(2026, 3, 5), 25.0, rci_class="reliably_improved")])
    gas_up = InstrumentSeries("gas", gas, "staff", [
        ScorePoint("start", date(2026, 1, 5), 36.3), ScorePoint(None, date(2026, 3, 5), 50.0)])
    assert ratings_finding(_case(ors_up, gas_up), "da") == (
        "Borgeren og medarbejderne ser samme retning: mod bedring")
    gas_flat = InstrumentSeries("gas", gas, "staff", [
        ScorePoint("start", date(2026, 1, 5), 40.04), ScorePoint(None, date(2026, 3, 5), 39.96)])
    assert ratings_finding(_case(ors_flat, gas_flat), "da") == (
        "Borgeren og medarbejderne ser samme retning: hverken mod bedring eller forværring "
        "(ingen pålidelig ændring)")


def test_kik_tie_at_the_bottom_names_every_element_at_that_value() -> None:
    case = _case()
    case.kik = [KikElement("Hjemmebesøg", 3.0), KikElement("Samspil", 5.0),
                KikElement("Netværk", 3.0)]
    case.n_kik_forms = 1
    assert kik_figure(case, "da", "k").title == "Mindst i spil: Hjemmebesøg og netværk (3 af 5)"
