"""An instrument's name inside a Danish sentence: an abbreviation keeps its capitals and
takes a hyphen ("ORS-score", "ORS-grænsen"), a plain Danish word is lower-cased
mid-sentence and closed up into a compound with a linking s where Danish puts one
("misbrugssværhedsscore", never "Misbrugssværhed-score"; "niveau af misbrugssværhed",
not "niveau af Misbrugssværhed"; "ORS-grænsen", not "ORSs grænse")."""

from __future__ import annotations

import dataclasses

from outputs.common import DeckOptions, ScaleInfo
from outputs.fmt import compound, instrument_words
from outputs.intervention_pack import (
    GroupStat,
    Stat,
    build_intervention_deck,
    target_group_title,
)
from tests.support.deck_samples import sample_intervention_pack

ASI = ScaleInfo("Misbrugssværhed", "higher_is_worse", 0.0, 4.0, cutoff=2.0)
ORS = ScaleInfo("ORS", "higher_is_better", 0.0, 40.0, cutoff=25.0)


def test_compounds_of_abbreviations_and_danish_words() -> None:
    assert compound("Misbrugssværhed", "score") == "misbrugssværhedsscore"
    assert compound("ORS", "score") == "ORS-score"
    assert compound("YLS/CMI", "grænsen") == "YLS/CMI-grænsen"
    assert compound("KiK", "målinger") == "KiK-målinger"
    assert compound("Trivsel", "score") == "trivselsscore"
    assert instrument_words("ORS", "da")["instrument_limit"] == "ORS-grænsen"
    assert instrument_words("ORS", "en")["instrument_limit"] == "the ORS cut-off"
    assert instrument_words("Misbrugssværhed", "da")["instrument_lc"] == "misbrugssværhed"


def test_target_group_titles_put_a_danish_word_in_lower_case() -> None:
    even = [GroupStat("Kvinder", "2026", Stat(2.4, 15)), GroupStat("Mænd", "2026", Stat(2.4, 22))]
    assert target_group_title(even, ["2025", "2026"], ASI, "da") == (
        "2026: grupperne startede på samme niveau af misbrugssværhed")
    gap = [GroupStat("Kvinder", "2026", Stat(2.9, 15)), GroupStat("Mænd", "2026", Stat(2.1, 22))]
    assert target_group_title(gap, ["2025", "2026"], ASI, "da").startswith(
        "2026: Kvinder startede med højere misbrugssværhed end Mænd (2,9 mod 2,1)")
    # an abbreviation keeps its capitals
    ors_even = [GroupStat("Kvinder", "2026", Stat(20.0, 15)),
                GroupStat("Mænd", "2026", Stat(20.5, 22))]
    assert target_group_title(ors_even, ["2025", "2026"], ORS, "da") == (
        "2026: grupperne startede på samme niveau af ORS")


def test_progression_axis_is_one_compound_word() -> None:
    data = sample_intervention_pack()
    data.progression = [dataclasses.replace(data.progression[0], scale=ASI)]
    deck = build_intervention_deck(data, DeckOptions(language="da"))
    fig = next(f for f in deck.figures() if f.id.startswith("progression:"))
    assert fig.y_label == "Gennemsnitlig misbrugssværhedsscore"
    deck_en = build_intervention_deck(data, DeckOptions(language="en"))
    fig_en = next(f for f in deck_en.figures() if f.id.startswith("progression:"))
    assert fig_en.y_label == "Mean Misbrugssværhed score"
