"""The leaders' summary says what the numbers support: share vs count with n, "may be
chance" when intervals overlap, unit costs compared only when their intervals stand
apart, and one recommendation rule that holds or says why it does not.

Hand-made data objects (no database): the numbers are the issue's demo quarter
(Spædbarn 47 % of 19 measured, 9 improved, 28.644 kr. per citizen improved; Praktik 36 %
of 14, 5 improved, 50.331 kr.; Børnegrupper 55 % of 11, 6 improved).
"""

from __future__ import annotations

from outputs.common import DeckOptions
from outputs.strategic_data import (
    Measure,
    QualityStatus,
    StrategicPackData,
    TargetYear,
    quarter_window,
)
from outputs.strategic_pack import build_strategic_deck
from outputs.strategic_rule import RULE_QUARTERS, recommendation, rule_quarters
from tests.outputs.test_strategic_deck import MEETING, _iv, slide


def rule_bullets(spec) -> list[str]:
    """The recommendation slide's bullets: the rule, the verdict, the reasons."""
    s = slide(spec, "Anbefaling efter fast regel")
    return [b for block in s.blocks for b in block.bullets]

Q3, Q4 = "2025-Q3", "2025-Q4"
CLEAN = QualityStatus(has_run=True, n_rules=50)


def unit(value: float, n: int, low: float, high: float | None) -> Measure:
    """A cost per citizen improved: value, improved citizens, 95 % interval (DKK)."""
    return Measure(value, n, n, low, high)


def demo_like(quality: QualityStatus = CLEAN) -> StrategicPackData:
    sp = _iv("sp", "Intensivt spædbarnsforløb", {Q4: Measure(0.47, 19, 19, 0.27, 0.68)},
             {Q4: 4158.0})
    pr = _iv("pr", "Praktikforløb for unge", {Q4: Measure(0.36, 14, 14, 0.16, 0.61)},
             {Q4: 4382.0})
    bg = _iv("bg", "Børnegrupper for børn af psykisk syge forældre",
             {Q4: Measure(0.55, 11, 11, 0.28, 0.79)}, {Q4: 5087.0})
    for q in (Q3, Q4):
        sp.measures[(q, "cost_per_citizen_improved")] = unit(28644.0, 9, 19000.0, 46000.0)
        pr.measures[(q, "cost_per_citizen_improved")] = unit(50331.0, 5, 29000.0, 112000.0)
        bg.measures[(q, "cost_per_citizen_improved")] = unit(35541.0, 6, 24000.0, 70000.0)
    return StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), [sp, pr, bg],
                             quality=quality)


def clear_case(quality: QualityStatus = CLEAN) -> StrategicPackData:
    """Spædbarn's cost interval lies below both others' in both quarters."""
    data = demo_like(quality)
    sp, pr, bg = data.interventions
    for q in (Q3, Q4):
        sp.measures[(q, "cost_per_citizen_improved")] = unit(12000.0, 30, 10000.0, 15000.0)
        pr.measures[(q, "cost_per_citizen_improved")] = unit(50331.0, 8, 30000.0, 90000.0)
        bg.measures[(q, "cost_per_citizen_improved")] = unit(35541.0, 9, 22000.0, 60000.0)
    return data


def test_highest_share_is_named_a_share_with_n_and_chance() -> None:
    spec = build_strategic_deck(demo_like(), DeckOptions())
    side = next(s for s in spec.slides if s.table and "Mål nået" in s.table.columns)
    assert side.title == ("Børnegrupper har den højeste andel pålideligt forbedrede "
                          "(55\u00a0% af 11 målte), men forskellene kan skyldes tilfældigheder")
    assert "flest" not in spec.all_text()
    summary = slide(spec, "Kvartalet kort").blocks[0].bullets
    assert ("Højeste andel pålideligt forbedret (ORS): Børnegrupper, 55\u00a0% af 11 målte "
            "forløb. Forskellene kan skyldes tilfældigheder (intervallerne overlapper).") \
        in summary


def test_unit_costs_are_not_ranked_when_intervals_overlap() -> None:
    spec = build_strategic_deck(demo_like(), DeckOptions())
    units = next(s for s in spec.slides if s.table and "Pr. forløb" in s.table.columns)
    assert units.title == ("Pris pr. pålideligt forbedret borger fra 28.644\u00a0kr. til "
                           "50.331\u00a0kr.: forskellene kan skyldes tilfældigheder")
    cell = next(r for r in units.table.rows if r[0].startswith("Intensivt"))[3]
    assert cell == "28.644\u00a0kr.\n(9 forbedrede)\n95 %: 19.000–46.000"
    summary = slide(spec, "Kvartalet kort").blocks[0].bullets
    assert ("Pris pr. pålideligt forbedret borger: lavest i Intensivt spædbarnsforløb, "
            "28.644\u00a0kr. (9 forbedrede), højest i Praktikforløb, 50.331\u00a0kr. "
            "(5 forbedrede). Forskellene kan skyldes tilfældigheder (intervallerne "
            "overlapper).") in summary
    # the summary ends its findings with the rule's verdict, as the recommendation slide
    assert ("Tallene for 4. kvartal 2025 kan ikke bære en anbefaling om at flytte "
            "ressourcer.") in summary


def test_unit_costs_compared_when_intervals_stand_apart() -> None:
    spec = build_strategic_deck(clear_case(), DeckOptions())
    units = next(s for s in spec.slides if s.table and "Pr. forløb" in s.table.columns)
    assert units.title == ("Intensivt spædbarnsforløb har den laveste pris pr. pålideligt "
                           "forbedret borger: 12.000\u00a0kr. (95 %-interval "
                           "10.000–15.000\u00a0kr.)")


def test_the_rule_holds_and_the_slide_says_so() -> None:
    data = clear_case()
    rec = recommendation(data)
    assert rec.holds and rec.intervention == "Intensivt spædbarnsforløb"
    assert rule_quarters(Q4) == [Q4, Q3] and RULE_QUARTERS == 2
    spec = build_strategic_deck(data, DeckOptions())
    last = slide(spec, "Anbefaling efter fast regel")
    assert last.title == ("Efter vores faste regel giver Intensivt spædbarnsforløb mest "
                          "pålidelig forbedring for pengene")
    rule = rule_bullets(spec)
    assert rule[0].startswith("Vi peger kun på én indsats som bedst for pengene, når dens "
                              "pris pr. pålideligt forbedret borger (ORS) er lavest i hvert "
                              "af de seneste 2 kvartaler")
    assert rule[1] == ("Reglen er opfyldt: Intensivt spædbarnsforløb er billigst pr. "
                       "forbedret borger i 4. kvartal 2025 og 3. kvartal 2025, og intervallet "
                       "overlapper ikke de andres. Kan flere borgere få gavn af Intensivt "
                       "spædbarnsforløb?")
    assert len(rule) == 2


def test_the_rule_fails_on_overlap_and_the_slide_never_suggests_expanding() -> None:
    data = demo_like()
    rec = recommendation(data)
    assert not rec.holds and rec.intervention is None
    spec = build_strategic_deck(data, DeckOptions())
    last = slide(spec, "Anbefaling efter fast regel")
    assert last.title == ("Tallene for 4. kvartal 2025 kan ikke bære en anbefaling om at "
                          "flytte ressourcer")
    rule = rule_bullets(spec)
    assert rule[1].startswith("Reglen er ikke opfyldt")
    assert rule[2] == ("4. kvartal 2025: Intensivt spædbarnsforløb er billigst "
                       "(28.644\u00a0kr.), men intervallet overlapper alle de andres.")
    assert rule[3].startswith("3. kvartal 2025: Intensivt spædbarnsforløb er billigst")
    assert "Kan flere borgere få gavn" not in spec.all_text()
    # one intervention clearly dearer: the overlap names only the ones that overlap
    data.interventions[1].measures[(Q4, "cost_per_citizen_improved")] = unit(
        90000.0, 9, 60000.0, 140000.0)
    rule = rule_bullets(build_strategic_deck(data, DeckOptions()))
    assert rule[2] == ("4. kvartal 2025: Intensivt spædbarnsforløb er billigst "
                       "(28.644\u00a0kr.), men intervallet overlapper Børnegrupper.")


def test_the_rule_fails_on_quality_errors_hidden_figures_or_one_quarter() -> None:
    # clear figures, but the quality check found errors
    data = clear_case(QualityStatus(has_run=True, n_rules=50, n_errors=3))
    assert not recommendation(data).holds
    rule = rule_bullets(build_strategic_deck(data, DeckOptions()))
    assert rule[2:] == ["Datakvalitetstjekket fandt 3 fejl: få dem rettet, før beslutninger "
                        "hviler på tallene."]
    # no quality check at all
    assert not recommendation(clear_case(QualityStatus())).holds
    # one intervention's figure hidden in the quarter before
    data = clear_case()
    data.interventions[2].measures[(Q3, "cost_per_citizen_improved")] = Measure(
        suppressed=True, reason="small_cell")
    assert not recommendation(data).holds
    rule = rule_bullets(build_strategic_deck(data, DeckOptions()))
    assert rule[2:] == ["3. kvartal 2025: tallet for Børnegrupper er skjult."]
    # a different intervention clearly cheapest in the quarter before
    data = clear_case()
    data.interventions[1].measures[(Q3, "cost_per_citizen_improved")] = unit(
        5000.0, 20, 4000.0, 6000.0)
    rec = recommendation(data)
    assert not rec.holds and rec.best_differs
    rule = rule_bullets(build_strategic_deck(data, DeckOptions()))
    assert rule[2:] == ["Det er ikke den samme indsats, der er billigst i kvartalerne "
                        "(Intensivt spædbarnsforløb og Praktikforløb)."]
    # a quarter without figures for one intervention (missing, not hidden)
    data = clear_case()
    del data.interventions[1].measures[(Q3, "cost_per_citizen_improved")]
    assert not recommendation(data).holds


def test_english_wording_of_the_interval_and_the_rule() -> None:
    spec = build_strategic_deck(clear_case(), DeckOptions(language="en"))
    units = next(s for s in spec.slides if s.table and "Per course" in s.table.columns)
    assert units.title == ("Intensivt spædbarnsforløb has the lowest cost per citizen reliably "
                           "improved: DKK\u00a012,000 (95 % interval DKK\u00a010,000–15,000)")
    rec = next(s for s in spec.slides if s.section == "Recommendation by a fixed rule")
    assert rec.title == ("By our fixed rule, Intensivt spædbarnsforløb gives the most "
                         "reliable improvement for the money")


def test_target_group_shift_says_chance_when_the_years_overlap() -> None:
    # the demo: Spædbarn 82 % of 34 (2025) against 67 % of 21 (2026), intervals overlap
    data = demo_like()
    sp = data.interventions[0]
    sp.target_years = [TargetYear(2025, Measure(0.82, 34, None, 0.66, 0.92), Measure()),
                       TargetYear(2026, Measure(0.67, 21, None, 0.45, 0.83), Measure())]
    fig = next(f for f in build_strategic_deck(data, DeckOptions()).figures()
               if f.id == "target_group")
    assert fig.title == ("Intensivt spædbarnsforløb: 67\u00a0% starter på det kliniske niveau "
                         "i 2026 mod 82\u00a0% i 2025; forskellen kan skyldes tilfældigheder")
    # apart: "færre" may be said
    sp.target_years[1] = TargetYear(2026, Measure(0.40, 60, None, 0.28, 0.53), Measure())
    fig = next(f for f in build_strategic_deck(data, DeckOptions()).figures()
               if f.id == "target_group")
    assert fig.title == ("Intensivt spædbarnsforløb: færre starter på det kliniske niveau "
                         "(40\u00a0% i 2026 mod 82\u00a0% i 2025)")


def test_hidden_or_tied_shares_crown_nobody() -> None:
    data = demo_like()
    data.interventions[1].measures[(Q4, "share_improved")] = Measure(
        suppressed=True, reason="small_cell")
    spec = build_strategic_deck(data, DeckOptions())
    side = next(s for s in spec.slides if s.table and "Mål nået" in s.table.columns)
    assert side.title == ("Resultater og omkostninger side om side, 4. kvartal 2025: ingen "
                          "indsats kåres, da et tal er skjult")
    cmp = next(f for f in spec.figures() if f.id == "comparison")
    assert cmp.title == ("Pålideligt forbedret (ORS): ingen indsats kåres, da tallet for "
                         "Praktikforløb er skjult")
    summary = slide(spec, "Kvartalet kort").blocks[0].bullets
    assert ("Andelene pålideligt forbedret sammenlignes ikke: tallet for Praktikforløb er "
            "skjult, og det kan være det højeste.") in summary
    # 55,4 % and 54,6 % both print as 55 %: a tie, not a winner
    data = demo_like()
    data.interventions[0].measures[(Q4, "share_improved")] = Measure(0.554, 19, 19, 0.33, 0.75)
    data.interventions[2].measures[(Q4, "share_improved")] = Measure(0.546, 11, 11, 0.28, 0.79)
    spec = build_strategic_deck(data, DeckOptions())
    side = next(s for s in spec.slides if s.table and "Mål nået" in s.table.columns)
    assert side.title == ("Børnegrupper og Intensivt spædbarnsforløb har samme andel "
                          "pålideligt forbedrede (55\u00a0%)")


def test_cost_trend_most_only_when_untied_and_nothing_hidden() -> None:
    data = demo_like()
    sp, pr, bg = data.interventions
    month = "cost_per_citizen_month"
    # +10 % (4.000 -> 4.400) against -10 % (5.000 -> 4.500): the same size, a tie
    sp.measures[(Q3, month)], sp.measures[(Q4, month)] = Measure(4000.0, 30), Measure(4400.0, 30)
    pr.measures[(Q3, month)], pr.measures[(Q4, month)] = Measure(5000.0, 30), Measure(4500.0, 30)
    bg.measures[(Q3, month)], bg.measures[(Q4, month)] = Measure(5000.0, 30), Measure(5050.0, 30)

    def title() -> str:
        spec = build_strategic_deck(data, DeckOptions())
        return next(f for f in spec.figures() if f.id == "trend_cost").title

    assert title() == ("Pris pr. borgermåned: Intensivt spædbarnsforløb og Praktikforløb "
                       "ændrede sig lige meget siden 3. kvartal 2025 (10\u00a0%)")
    pr.measures[(Q4, month)] = Measure(4750.0, 30)  # -5 %: now +10 % is clearly largest
    assert title() == ("Pris pr. borgermåned: Intensivt spædbarnsforløb steg mest siden "
                       "3. kvartal 2025 (+10\u00a0%)")
    bg.measures[(Q3, month)] = Measure(suppressed=True, reason="small_cell")
    assert title() == ("Pris pr. borgermåned siden 3. kvartal 2025: ingen indsats kåres, da "
                       "tallet for Børnegrupper er skjult")
