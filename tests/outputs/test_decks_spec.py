"""Deck specifications built from fictitious pack data: titles, numbers, hidden cells,
language. No rendering here (see test_decks_render.py)."""

from __future__ import annotations

import re

import pytest

from datadialog.config_load import load_config
from datadialog.privacy import CPR_PATTERN
from outputs.citizen_pack import (
    CitizenCase,
    build_citizen_deck,
    derived_initials,
    display_name,
    display_names,
    short_pseudonyms,
)
from outputs.common import DeckOptions, ScaleInfo, scale_bands
from outputs.fmt import fmt_level, fmt_number, fmt_pct, n_label
from outputs.intervention_pack import (
    NodeValue,
    Stat,
    build_intervention_deck,
    indicator_status,
)
from outputs.texts import _LISTS, _TEXTS, t
from tests.support.deck_samples import (
    sample_citizen_case,
    sample_citizen_pack,
    sample_intervention_pack,
)

DA = DeckOptions(language="da", organisation="Demo Kommune")
EN = DeckOptions(language="en", organisation="Demo Kommune")


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def citizen_deck():
    return build_citizen_deck(sample_citizen_pack(2), DA)


@pytest.fixture(scope="module")
def intervention_deck(config):
    return build_intervention_deck(sample_intervention_pack(config), DA)


# ---------------------------------------------------------------- formatting


def test_danish_and_english_number_format() -> None:
    assert fmt_number(1234.56, "da") == "1.234,6"
    assert fmt_number(1234.56, "en") == "1,234.6"
    assert fmt_number(2.0, "da", sign=True) == "+2,0"
    assert fmt_number(-0.04, "da", sign=True) == "±0,0"
    # a negative number with the minus sign U+2212 ("−7,0", docs/decks.md), never the
    # hyphen-minus (QA finding 9)
    assert fmt_number(-7.0, "da") == "\u22127,0"
    assert fmt_number(-1234.56, "en", sign=True) == "\u22121,234.6"
    assert fmt_level(-2, "da") == "\u22122"
    assert fmt_pct(-0.08, "da") == "\u22128\u00a0%"
    assert "-" not in fmt_number(-0.2, "da", sign=True)
    assert fmt_pct(0.25, "da") == "25\u00a0%"
    assert fmt_pct(0.25, "en") == "25%"
    assert n_label(3, 5) == "n <5"
    assert n_label(12, 5) == "n = 12"
    assert n_label(12, 5, hidden_cell=True) == "n <5"


def test_every_text_has_both_languages() -> None:
    for key, (da, en) in _TEXTS.items():
        assert da and en, key
    for key, (da, en) in _LISTS.items():
        assert len(da) == len(en) and all(da) and all(en), key


def test_bands_from_cutoff_and_from_config_bands() -> None:
    ors = ScaleInfo("ORS", "higher_is_better", 0, 40, cutoff=25)
    [band] = scale_bands(ors, "da")
    assert (band.low, band.high, band.tone) == (0, 25, "clinical")
    sdq = ScaleInfo("SDQ", "higher_is_worse", 0, 40,
                    bands=[("normal", 0, 13), ("borderline", 14, 16), ("abnormal", 17, 40)])
    borderline, clinical = scale_bands(sdq, "da")
    assert (borderline.low, borderline.high, borderline.tone) == (13.5, 16.5, "borderline")
    assert (clinical.low, clinical.high, clinical.tone) == (16.5, 40, "clinical")


# ---------------------------------------------------------------- citizen pack


def test_citizen_deck_slides_and_agenda(citizen_deck) -> None:
    kinds = [s.kind for s in citizen_deck.slides]
    # title, agenda, dialogue, the series' "since last time" (no agreements came back:
    # a text); per citizen: since, 2 progression slides (3 instruments), goals,
    # ratings + KiK, agreement table
    assert kinds[:4] == ["title", "text", "dialogue", "text"]
    per_citizen = ["table", "figures", "figures", "table", "figure", "agreement_sheet"]
    assert kinds[4:] == per_citizen * 2
    assert citizen_deck.slides[3].title == "Siden sidst"
    agenda = citizen_deck.slides[1].blocks[0].bullets
    # 30 minutes - 3 welcome - 3 wrap-up = 24, split over two citizens
    assert "(12 min.) – fordi: " in agenda[1]
    assert len(citizen_deck.slides[2].steps) == 4
    assert [s.name for s in citizen_deck.slides[2].steps] == [
        "Siden sidst", "Udforsk", "Fortolk", "Forbered handling"]


@pytest.mark.parametrize(("left_out", "line"), [
    (1, "1 borger mere har en grund til at komme op, men nåede ikke med ({names}): tag "
        "borgeren næste gang eller mellem møderne."),
    (4, "4 borgere mere har en grund til at komme op, men nåede ikke med (først i køen: "
        "{names}\u00a0…): tag dem næste gang eller mellem møderne."),
])
def test_citizens_left_off_the_agenda_are_counted_and_the_first_in_line_named(
    left_out: int, line: str
) -> None:
    data = sample_citizen_pack(2)
    data.n_flagged_left_out = left_out
    data.first_in_line = [CitizenCase(f"P-{i:016x}", f"L-{i}", "", None, "open")
                          for i in range(min(left_out, 2))]
    agenda = build_citizen_deck(data, DA).slides[1]
    bullets = [b for block in agenda.blocks for b in (block.bullets or [])]
    names = display_names(data.citizens + data.first_in_line, "pseudonym")[2:]
    assert len(names) == min(left_out, 2) and all(n.startswith("P-") for n in names)
    # not split at the hyphen where the line wraps
    shown = ", ".join(n.replace("-", "\u2011") for n in names)
    assert line.format(names=shown) in bullets


def test_citizen_progression_numbers_and_markers(citizen_deck) -> None:
    ors = next(f for f in citizen_deck.figures() if f.id == "F-1000:ors")
    assert ors.values("Score") == [18, 22, 29]
    assert [c.marker for c in ors.cells] == [None, None, "improved"]
    assert ors.title == (
        "ORS: 29 ved seneste måling, pålidelig bedring og nu på den raske side af grænsen")
    assert ors.cutoff == 25 and [(b.low, b.high) for b in ors.bands] == [(0, 25)]
    assert ors.categories[0] == "Start\n03.09.25"
    assert ors.how_to_read and ors.n_note == "n = 3 målinger for én borger"
    srs = next(f for f in citizen_deck.figures() if f.id == "F-1000:srs")
    assert srs.values("Score") == [34.5, 37.0, None]  # the end point is not measured yet
    assert srs.categories[2] == "Slut\n(ikke målt)"
    assert srs.value_format == "dec1"
    sdq = next(f for f in citizen_deck.figures() if f.id == "F-1000:sdq_p")
    assert [c.marker for c in sdq.cells] == [None, "improved"]
    second = next(f for f in citizen_deck.figures() if f.id == "F-1001:ors")
    assert second.values("Score") == [19, 23, 30]


def test_a_goal_not_assessed_yet_shows_no_latest_level() -> None:
    """The marts carry the start level as the latest of a goal never rated since: the
    table shows "–" under "Seneste" beside the status, capitalised like the others."""
    from outputs.citizen_pack import CitizenGoal, goals_table

    goals = [CitizenGoal("Bolig", "Egen lejlighed", "progression", -1, -1, None),
             CitizenGoal("Netværk", "Ven at ringe til", "progression", -1, 0,
                         "positive_development")]
    rows = goals_table(goals, "da").rows
    assert rows[0][3:] == ["\u22121", "–", "Ikke vurderet endnu"]
    assert rows[1][3:] == ["\u22121", "0", "Positiv udvikling, mål ikke nået"]
    assert goals_table(goals, "en").rows[0][3:] == ["\u22121", "–", "Not assessed yet"]


def test_citizen_goals_ratings_and_kik(citizen_deck) -> None:
    goals = citizen_deck.slides[7]
    # 3 goals assessed, of which progression_reached and maintenance_reached count
    assert goals.title.endswith("2 af 3 mål er nået eller fastholdt")
    assert [r[3:] for r in goals.table.rows] == [
        ["\u22121", "+1", "Udviklingsmål nået"],
        ["\u22122", "\u22121", "Positiv udvikling, mål ikke nået"],
        ["0", "0", "Fastholdelsesmål nået"],
        ["0", "–", "Ikke vurderet endnu"],
    ]
    ratings = citizen_deck.slides[8]
    # ORS (citizen) +11 and SRS (citizen) +2.5 improve; SDQ (parent) 19 -> 12 improves
    assert ratings.title.endswith("Borgeren og medarbejderne ser samme retning: mod bedring")
    assert ratings.table.rows[0] == ["ORS\n(borgeren)", "18", "29", "+11",
                                     "bedring, nu på den raske side af grænsen"]
    assert ratings.table.rows[1][1:4] == ["34,5", "37,0", "+2,5"]
    kik = ratings.figures[0]
    assert kik.values("Seneste") == [5, 4, 2] and kik.values("Forrige") == [4, 3, 2]
    assert kik.title == "Mindst i spil: Inddragelse af netværk (2 af 5)"
    assert "Mormor har ikke kunnet deltage" in ratings.notes


def test_recovered_is_the_healthy_side_of_the_cut_off_either_way_round(citizen_deck) -> None:
    """"forbi grænsen" is awkward Danish, and "over grænseværdien" would be wrong on a
    lower-is-better scale: SDQ (parent) 19 -> 12 recovered below its cut-off, ORS 18 -> 29
    above (QA finding 9)."""
    rows = citizen_deck.slides[8].table.rows
    sdq = next(r for r in rows if r[0].startswith("SDQ"))
    assert sdq[1:3] == ["19", "12"]
    assert rows[0][-1] == sdq[-1] == "bedring, nu på den raske side af grænsen"
    assert t("measure_share_recovered", "da") == "andel på den raske side af grænsen"
    assert not [key for key, (da, _) in _TEXTS.items() if "forbi grænsen" in da]


def test_citizen_names_are_pseudonyms_or_initials() -> None:
    case = sample_citizen_case(0)
    assert display_name(case, "pseudonym") == "P-3fa2c4"  # "P-" + the first 6 hex
    assert display_name(case, "initials") == "AB"  # initials the data object carries
    case.citizen_id = "010190-1234"
    with pytest.raises(ValueError, match="CPR"):
        display_name(case, "pseudonym")
    deck = build_citizen_deck(sample_citizen_pack(1),
                              DeckOptions(language="da", pseudonym_display="initials"))
    assert deck.slides[4].title == "AB: aftaler fra sidste møde"
    assert "P-3fa2" not in deck.all_text()


def test_short_pseudonyms_lengthen_only_on_a_collision() -> None:
    ids = ["P-c8854e4d993b5f73", "P-c8854e1d0a2b3c4d", "P-9b0e77d2a4c3f618"]
    # the first two share "c8854e": both need a 7th character; the third keeps six
    assert short_pseudonyms(ids) == {"P-c8854e4d993b5f73": "P-c8854e4",
                                     "P-c8854e1d0a2b3c4d": "P-c8854e1",
                                     "P-9b0e77d2a4c3f618": "P-9b0e77"}
    # the same citizen twice is no collision; an id of another shape stays whole
    assert short_pseudonyms(["P-c8854e4d993b5f73", "P-c8854e4d993b5f73", "cit_0"]) == {
        "P-c8854e4d993b5f73": "P-c8854e", "cit_0": "cit_0"}
    pack = sample_citizen_pack(2)
    pack.citizens[0].citizen_id, pack.citizens[1].citizen_id = ids[0], ids[1]
    deck = build_citizen_deck(pack, DA)
    assert deck.slides[1].blocks[0].bullets[1:3] == [
        "P-c8854e4 (12 min.) – fordi: på skift (alle er med i dag)",
        "P-c8854e1 (12 min.) – fordi: på skift (alle er med i dag)"]
    assert ids[0] not in deck.all_text() and ids[1] not in deck.all_text()


def test_initials_are_derived_from_the_pseudonym() -> None:
    # no names in the data: two letters from the SHA-256 of the pseudonym, A-Z without
    # I and O; sha256("P-3fa2c41b9d07e5a1") starts ef 6e: 239 % 24 = 23 (Z), 110 % 24 = 14 (Q)
    assert derived_initials("P-3fa2c41b9d07e5a1") == "ZQ"
    assert derived_initials("P-3fa2c41b9d07e5a1") == derived_initials("P-3fa2c41b9d07e5a1")
    pack = sample_citizen_pack(3)
    for case in pack.citizens:
        case.initials = None
    names = display_names(pack.citizens, "initials")
    assert names[0] == "ZQ"
    assert all(re.fullmatch(r"[A-HJ-NP-Z]{2}", n) for n in names)
    assert len(set(names)) == 3
    deck = build_citizen_deck(pack, DeckOptions(language="da", pseudonym_display="initials"))
    assert deck.slides[4].title == "ZQ: aftaler fra sidste møde"
    assert not re.search(r"P-[0-9a-f]{6}", deck.all_text())


def test_derived_initials_that_collide_move_to_the_next_letters() -> None:
    # sha256 of "P-000000000000001e" starts 2b 57 cc, of "P-000000000000002b" eb ff c8 5e:
    # both give 19, 15 (V, R) first; the one that sorts later takes its next two bytes,
    # c8 5e: 200 % 24 = 8 (J), 94 % 24 = 22 (Y), whatever the order on the deck
    first, second = "P-000000000000001e", "P-000000000000002b"
    assert derived_initials(first) == derived_initials(second) == "VR"
    assert derived_initials(second, attempt=1) == "JY"
    pack = sample_citizen_pack(2)
    pack.citizens[0].citizen_id, pack.citizens[1].citizen_id = second, first
    for case in pack.citizens:
        case.initials = None
    assert display_names(pack.citizens, "initials") == ["JY", "VR"]


def test_citizen_deck_in_english() -> None:
    deck = build_citizen_deck(sample_citizen_pack(1), EN)
    assert deck.slides[0].title == "Citizen-level reflection meeting"
    assert [s.name for s in deck.slides[2].steps] == [
        "Since last time", "Explore", "Interpret", "Prepare action"]
    ratings = next(s for s in deck.slides if s.kind == "figure")
    assert ratings.table.rows[1][1:4] == ["34.5", "37.0", "+2.5"]
    ors = deck.figures()[0]
    assert ors.title.startswith("ORS: 29 at the latest measurement")
    assert ors.categories[0] == "Start\n3 Sep 25"
    sheet = deck.slides[-1]
    assert sheet.agreement_sheet.headings[0] == (
        "What do we aim for before the next meeting, and in a few months?")
    assert sheet.agreement_sheet.columns == [
        "Citizen/theme", "What we do", "Who", "By when", "How we see it in the data", "Status"]


# ---------------------------------------------------------------- intervention pack


def test_intervention_deck_slide_order(intervention_deck) -> None:
    sections = [s.section.split(" · ")[0] for s in intervention_deck.slides]
    assert [s.kind for s in intervention_deck.slides[:5]] == [
        "title", "text", "text", "dialogue", "table"]
    assert "Målgruppen ved start" in sections and "Målopfyldelse pr. livsområde" in sections
    assert sections.count("Varianter sammenlignet") == 1
    assert sections.count("Målgrupper sammenlignet") == 1
    # step 2 ends with the data-quality caveats, then step 3 (fidelity, result map, core
    # elements), then step 4: no step-2 slide after a step-3 one
    tail = [(s.kind, s.title.split(":")[0], s.section.split(" · ")[-1])
            for s in intervention_deck.slides[-5:]]
    assert tail == [("text", "Datakvalitet", "Trin 2: Udforsk"),
                    ("figure", "Borgere med høj KiK udviklede sig bedre end borgere med middel "
                     "KiK (+8,3 mod +4,1 point)", "Trin 3: Fortolk"),
                    ("result_map", "Resultatkort", "Trin 3: Fortolk"),
                    ("text", "Spørgsmål til kerneelementerne", "Trin 3: Fortolk"),
                    ("agreement_sheet", "Aftalepapir", "Trin 4: Forbered handling")]
    steps = [s.section.split(" · ")[-1] for s in intervention_deck.slides
             if "Trin " in s.section]
    assert steps == sorted(steps)
    basis = intervention_deck.slides[2]
    assert basis.blocks[1].heading == "Før mødet: jeres tre iagttagelser"
    assert len(basis.blocks[1].bullets) == 3
    assert "26 forløb (15 i gang, 8 afsluttet som planlagt, 3 afsluttet uplanlagt)" in (
        basis.blocks[0].bullets)
    assert "Indsamlede målinger i perioden: 84\u00a0% af de planlagte (mål: 90\u00a0%)" in (
        basis.blocks[0].bullets)


def test_the_data_basis_is_called_datagrundlag_not_database(config, intervention_deck) -> None:
    """"Databasen" is "the database": the basis slide and its agenda item say
    "Datagrundlaget" (QA finding 3)."""
    assert intervention_deck.slides[2].title == "Datagrundlaget for mødet"
    assert "Datagrundlaget og jeres tre iagttagelser (15 min.)" in intervention_deck.all_text()
    assert "Databasen" not in intervention_deck.all_text()
    english = build_intervention_deck(sample_intervention_pack(config), EN)
    assert english.slides[2].title == "The data for this meeting"


def test_a_count_hidden_beside_a_small_one_is_not_called_small(config) -> None:
    """The demo's Q3: 27 courses, 14 open, 9 closed as planned, 4 unplanned. The 4 is
    below k; the 9 is hidden only so that the 4 cannot be worked out (27 - 14 - 9).
    "<5" on the 9 would be a wrong number (14 + <5 + <5 cannot make 27)."""
    data = sample_intervention_pack(config)
    data.basis.n_courses, data.basis.n_open = 27, 14
    data.basis.n_closed_planned = data.basis.n_closed_unplanned = None
    data.basis.complementary = frozenset({"n_closed_planned"})
    basis = build_intervention_deck(data, DA).slides[2].blocks[0].bullets
    assert ("27 forløb (14 i gang, skjult antal afsluttet som planlagt, <5 afsluttet "
            "uplanlagt)") in basis
    assert ('"skjult antal": 5 eller flere, skjult så en lille gruppe ved siden af ikke kan '
            "regnes ud af totalen.") in basis
    english = build_intervention_deck(data, EN).slides[2].blocks[0].bullets
    assert ("27 courses (14 ongoing, a hidden number closed as planned, <5 closed "
            "unplanned)") in english
    # without a complementary cell the note is not there
    data.basis.complementary = frozenset()
    assert not any("skjult antal" in b
                   for b in build_intervention_deck(data, DA).slides[2].blocks[0].bullets)


def test_goal_attainment_numbers_and_hidden_cells(intervention_deck) -> None:
    fig = next(f for f in intervention_deck.figures() if f.id == "goal_attainment")
    assert fig.chart == "stacked_bar" and fig.render == "native"
    assert fig.categories == ["Familierelationer (n = 26)", "Skole og beskæftigelse (n = 30)",
                              "Socialt netværk (n <5)"]
    assert fig.series[0] == "Udviklingsmål nået"
    assert fig.values("Udviklingsmål nået") == [23.1, 40.0, None]
    assert fig.values("Tilbagegang") == [None, 0.0, None]
    hidden = [c for c in fig.cells if c.suppressed]
    assert len(hidden) == 2 + 5
    assert all(c.value is None and c.n is None for c in hidden)
    # school's reached-or-maintained share (40.0 + 16.7 = 56.7) is the highest shown, but
    # social network is hidden and family has a hidden reached cell: either might be
    # higher, so no area is named (outputs.claims)
    assert fig.title == ("Nogle felter bygger på færre end 5 borgere og vises ikke, så det "
                         "kan ikke siges, hvor flest nåede deres mål")


def test_target_group_progression_comparison_fidelity(intervention_deck) -> None:
    figs = {f.id: f for f in intervention_deck.figures()}
    target = figs["target_group"]
    assert target.categories == ["Drenge\n(n = 14 / 9)", "Piger\n(n = 8 / <5)"]
    assert target.values("2025") == [21.4, 17.9]
    assert target.values("2026") == [23.1, None]
    # 2026 has one usable group only, so the finding is from 2025
    assert target.title == "2025: Drenge startede med højere YLS/CMI end Piger (21,4 mod 17,9)"
    prog = figs["progression:0"]
    assert prog.render == "native" and prog.direct_labels
    assert prog.series == ["Samme borgere (n = 11)", "Alle målte borgere"]
    assert prog.values("Samme borgere (n = 11)") == [22.5, 15.2, 16.8]
    assert prog.values("Alle målte borgere") == [22.9, 15.9, None]
    assert prog.categories[2] == "Opf. 12 mdr.\n(n <5)"
    assert prog.title == ("YLS/CMI: samme borgere forbedrede sig fra 22,5 til 16,8 "
                          "(start til opf. 12 mdr.)")
    variant = figs["comparison:0"]
    # with mediation 23.0 -> 14.5 (8.5 better), without 22.0 -> 22.0
    assert variant.title == ("YLS/CMI: Med konfliktråd udviklede sig bedst fra start til "
                             "opf. 12 mdr. (fald på 8,5 point mod ingen ændring; lavere er bedre)")
    fidelity = figs["fidelity"]
    assert fidelity.values("Gns. forbedring") == [None, 4.1, 8.3]
    assert fidelity.categories[0] == "Lav KiK\n(n <5)"
    assert fidelity.title.startswith(
        "Borgere med høj KiK udviklede sig bedre end borgere med middel KiK")
    for fig in figs.values():
        assert fig.how_to_read and fig.title and fig.y_label


def test_result_map_matches_change_theory(config, intervention_deck) -> None:
    rm = next(s for s in intervention_deck.slides if s.kind == "result_map").result_map
    theory = config.intervention("ungepraktik").result_map
    assert [n.id for n in rm.nodes] == [n.id for n in theory.nodes]
    assert [(x.source, x.target) for x in rm.links] == [(x.source, x.target)
                                                       for x in theory.links]
    by_id = {n.id: n for n in rm.nodes}
    # goal_reached 0.56 >= 0.50: on track; an improvement of 4.2 with no reliable-change
    # points known for YLS/CMI: on track, and since lower is better on YLS/CMI the score
    # fell 4.2 points, said in words (never "+4,2" for a falling risk score);
    # share improved 0.25 < 0.30: off track
    assert (by_id["r_faerdigheder"].status, by_id["r_faerdigheder"].value_text) == (
        "on_track", "56\u00a0%")
    assert (by_id["r_adfaerd"].status, by_id["r_adfaerd"].value_text) == (
        "on_track", "faldt 4,2 point (bedre)")
    assert by_id["r_uddannelse"].status == "off_track"
    assert by_id["r_uddannelse"].trend == "down"
    # each box says what its number covers: the share is the quarter's, the mean change
    # and the goals reached count every course in the data
    assert [by_id[i].period for i in ("r_faerdigheder", "r_adfaerd", "r_uddannelse")] == [
        "alle år", "alle år", "kvartalet"]
    assert all(n.period == "" for n in rm.nodes if n.kind == "core_element")


def test_indicator_status_rule() -> None:
    assert indicator_status("mean_change", NodeValue(2.0, 10), 5, rc_points=5) == "watch"
    assert indicator_status("mean_change", NodeValue(2.5, 10), 5, rc_points=5) == "on_track"
    assert indicator_status("mean_change", NodeValue(-1.0, 10), 5) == "off_track"
    assert indicator_status("share_improved", NodeValue(0.3, 10), 5) == "watch"
    assert indicator_status("share_improved", NodeValue(0.5, 4), 5) == "no_data"
    assert indicator_status("goal_reached", NodeValue(None, None, suppressed=True), 5) == (
        "no_data")
    assert indicator_status("mean_score", NodeValue(20.0, 9, trend="up"), 5) == "on_track"


def test_intervention_caveats(intervention_deck) -> None:
    caveats = intervention_deck.caveats
    assert "YLS/CMI: 84\u00a0% af de planlagte målinger er indsamlet (målet er 90\u00a0%)." in (
        caveats)
    assert "6 planlagte målinger er overskredet og mangler stadig." in caveats
    # the cohort (11) is smaller than all measured at start (24); the sentence ends
    # ("bygger på færre borgere."), it did not stop at "bygger på færre"
    assert ("YLS/CMI: ved start er 24 borgere målt, men kun 11 har alle målinger; udviklingen "
            "for samme borgere bygger på færre borgere.") in caveats
    hidden = sum(1 for f in intervention_deck.figures() for c in f.cells if c.suppressed)
    assert f"{hidden} tal er skjult, fordi de bygger på færre end 5 borgere." in caveats


def test_no_hidden_number_or_cpr_in_any_text(intervention_deck, citizen_deck) -> None:
    for deck in (intervention_deck, citizen_deck):
        text = deck.all_text()
        assert not CPR_PATTERN.search(text)
    text = intervention_deck.all_text()
    assert "<5" in text
    assert not re.search(r"n = [34]\b", text)  # the hidden cells' own n


def test_intervention_deck_in_english(config) -> None:
    deck = build_intervention_deck(sample_intervention_pack(config), EN)
    assert deck.slides[0].title == "Reflection meeting on the intervention: Praktikforløb for unge"
    fig = next(f for f in deck.figures() if f.id == "goal_attainment")
    assert fig.series[-1] == "Deterioration"
    assert fig.title.endswith("so it cannot be said where most goals were reached")
    assert t("status_off_track", "en") in next(
        s for s in deck.slides if s.kind == "result_map").result_map.legend.values()


def _target_title(groups, half_width: float | None = 1.0) -> str:
    """The target-group title of these (group, year, mean, n) cells, each mean with a
    95 % interval of +/- ``half_width`` (None: no interval known)."""
    from outputs.intervention_pack import GroupStat, Stat

    data = sample_intervention_pack()
    data.target_groups = [
        GroupStat(g, year, Stat(v, n, interval=None if half_width is None
                                else (v - half_width, v + half_width))
                  if v is not None else Stat(None, None, suppressed=True))
        for g, year, v, n in groups]
    deck = build_intervention_deck(data, DA)
    return next(f for f in deck.figures() if f.id == "target_group").title


def test_target_group_title_states_the_finding_when_any_cell_is_shown() -> None:
    hidden = [("Kvinder", "2025", None, None), ("Kvinder", "2026", None, None),
              ("Andet", "2025", None, None), ("Andet", "2026", None, None)]
    # the demo case: only men are shown, 18.3 (n 21) then 20.3 (n 24); YLS/CMI runs 0-42,
    # so the 2.0 points between the years is under 5 % of the scale (2.1): the same level
    demo = hidden + [("Mænd", "2025", 18.3, 21), ("Mænd", "2026", 20.3, 24)]
    assert _target_title(demo) == (
        "Mænd startede på samme niveau af YLS/CMI i 2025 og 2026 (18,3 og 20,3); "
        "de andre grupper er for små til at blive vist")
    higher = hidden + [("Mænd", "2025", 15.0, 21), ("Mænd", "2026", 20.3, 24)]
    assert _target_title(higher) == (
        "Mænd startede højere på YLS/CMI i 2026 end i 2025 (20,3 mod 15,0); "
        "de andre grupper er for små til at blive vist")
    lower = hidden + [("Mænd", "2025", 24.0, 21), ("Mænd", "2026", 20.3, 24)]
    assert _target_title(lower).startswith("Mænd startede lavere på YLS/CMI i 2026 end i 2025")
    one_cell = hidden + [("Mænd", "2025", None, None), ("Mænd", "2026", 20.3, 24)]
    assert _target_title(one_cell) == (
        "Mænd startede med YLS/CMI 20,3 i 2026; de andre grupper er for små til at blive vist")
    only_group = [("Mænd", "2026", 20.3, 24)]
    assert _target_title(only_group) == "Mænd startede med YLS/CMI 20,3 i 2026"
    # two groups shown in the latest year: the comparison, as before (2026 here)
    both = [("Kvinder", "2025", None, None), ("Kvinder", "2026", 14.2, 9),
            ("Mænd", "2025", 18.3, 21), ("Mænd", "2026", 20.3, 24)]
    assert _target_title(both) == (
        "2026: Mænd startede med højere YLS/CMI end Kvinder (20,3 mod 14,2)")
    # "too few" only when every cell is hidden
    assert _target_title(hidden) == "For få borgere til at vise målgruppen ved start"


def test_a_target_group_difference_within_chance_says_so() -> None:
    # men 15.0 and 20.3: intervals of +/- 2.6 end at 17.6 and start at 17.7 (apart); of
    # +/- 2.7 they share 17.6-17.7, so the difference may be chance
    hidden = [("Kvinder", "2025", None, None), ("Kvinder", "2026", None, None)]
    years = hidden + [("Mænd", "2025", 15.0, 21), ("Mænd", "2026", 20.3, 24)]
    assert _target_title(years, half_width=2.6) == (
        "Mænd startede højere på YLS/CMI i 2026 end i 2025 (20,3 mod 15,0); "
        "de andre grupper er for små til at blive vist")
    assert _target_title(years, half_width=2.7) == (
        "Mænd startede højere på YLS/CMI i 2026 end i 2025 (20,3 mod 15,0); "
        "forskellen kan skyldes tilfældigheder; de andre grupper er for små til at blive vist")
    both = [("Kvinder", "2026", 14.2, 9), ("Mænd", "2026", 20.3, 24)]
    assert _target_title(both, half_width=None) == (
        "2026: Mænd startede med højere YLS/CMI end Kvinder (20,3 mod 14,2); "
        "forskellen kan skyldes tilfældigheder")
    # the same level (under 5 % of the scale apart) needs no such clause
    level = [("Mænd", "2025", 18.3, 21), ("Mænd", "2026", 20.3, 24)]
    assert _target_title(level, half_width=None) == (
        "Mænd startede på samme niveau af YLS/CMI i 2025 og 2026 (18,3 og 20,3)")


def test_a_comparison_with_every_group_hidden_is_said_not_drawn(config) -> None:
    data = sample_intervention_pack(config)
    ages = data.comparisons[1]
    ages.groups = {g: [Stat(None, None, suppressed=True)] * 3 for g in ages.groups}
    spec = build_intervention_deck(data, DA)
    slide = next(s for s in spec.slides if s.section.startswith("Målgrupper sammenlignet"))
    assert slide.kind == "text" and not slide.figures  # no empty plot
    assert slide.title.startswith("YLS/CMI: en gruppe har for få borgere")
    assert "færre end 5 borgere med alle målinger" in slide.blocks[0].paragraph
    # the variants, with groups shown, keep their chart
    variants = next(s for s in spec.slides if s.section.startswith("Varianter sammenlignet"))
    assert variants.kind == "figure" and variants.figures[0].render == "native"


def test_a_mean_over_more_courses_than_citizens_says_so() -> None:
    from outputs.intervention_pack import Stat

    note = ("En borger med flere forløb i indsatsen indgår i gennemsnittet med hvert "
            "forløb, men tælles én gang i n.")
    data = sample_intervention_pack()
    deck = build_intervention_deck(data, DA)
    assert not any(note in f.how_to_read for f in deck.figures())  # no course counts given
    # one citizen of the cohort has two courses: 11 citizens, 12 courses at the start
    ps = data.progression[0]
    ps.cohort[0] = Stat(ps.cohort[0].value, 11, n_courses=12)
    data.fidelity[1] = type(data.fidelity[1])(
        "medium", Stat(4.1, 9, interval=(2.0, 6.2), n_courses=9))  # equal: no note
    figs = {f.id: f for f in build_intervention_deck(data, DA).figures()}
    assert figs["progression:0"].how_to_read.endswith(" " + note)
    assert note not in figs["fidelity"].how_to_read
    assert "(n = 11)" in figs["progression:0"].series[0]  # n still counts citizens


def test_the_method_slide_is_an_appendix_after_the_agreement_sheet() -> None:
    """The expected course's method is reference: labelled "Bilag" after step 4, not a
    "Trin 2" slide after the step-3 slides."""
    from datetime import date

    from outputs.course_slides import ExpectedCourseData, ValidationRow

    data = sample_intervention_pack()
    data.expected_course = ExpectedCourseData(30, date(2025, 7, 1), validation=[
        ValidationRow("ORS", 98, 0.125, 40, 0.0, 55, 7, 5)])
    for opts, appendix, sheet in ((DA, "Bilag", "Trin 4: Forbered handling"),
                                  (EN, "Appendix", "Step 4: Prepare action")):
        slides = build_intervention_deck(data, opts).slides
        assert [s.kind for s in slides[-2:]] == ["agreement_sheet", "table"]
        assert slides[-2].section == sheet
        assert slides[-1].section == appendix and slides[-1].title.startswith(
            ("Metode", "Method"))
