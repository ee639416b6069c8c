"""The audit catches a defect put back into a deck (issue 14, "done when").

Each test copies a written demo deck, rewrites one sentence with python-pptx into a
claim the marts contradict (a wrong n, a crowned tie, a wrong winner, a direction word
turned round, a small count printed), and shows the audit reports exactly that slide and
text, while the untouched deck has no such finding. The planted sentences are worked
out by hand from the demo's marts (seed 42, 120 courses), quoted in each test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from datadialog.db import connect
from tests.support.audit_data import audit_dataset
from tests.support.deck_audit import SlideText, audit_deck, read_deck
from tests.support.deck_audit.common import check_total, shown_total
from tests.support.deck_audit.context import DeckContext
from tests.support.deck_audit.findings import AuditResult, Finding
from tests.support.deck_audit.marts import rows
from tests.support.deck_audit.numbers import (
    parse_number,
    printed_equals,
    round_half_up,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return audit_dataset(tmp_path_factory.getbasetemp(), "demo")


def _slide_with(path: Path, predicate) -> int:
    """The number of the first slide whose text satisfies ``predicate``."""
    return next(s.number for s in read_deck(path) if predicate(s))


def rewrite(src: Path, folder: Path, slide_no: int, old: str, new: str) -> Path:
    """Copy ``src`` into ``folder`` (same file name: it names the meeting) with ``old``
    replaced by ``new`` in one paragraph of a slide (text frames, groups and tables);
    fails when ``old`` is not on the slide."""
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / src.name
    shutil.copyfile(src, dst)
    prs = Presentation(str(dst))
    slide = prs.slides[slide_no - 1]

    def frames(shapes):
        for shape in shapes:
            if shape.shape_type == 6:
                yield from frames(shape.shapes)
            elif getattr(shape, "has_table", False) and shape.has_table:
                yield from (c.text_frame for row in shape.table.rows for c in row.cells)
            elif shape.has_text_frame:
                yield shape.text_frame

    for frame in frames(slide.shapes):
        for para in frame.paragraphs:
            for run in para.runs:
                if old in run.text:
                    run.text = run.text.replace(old, new)
                    prs.save(str(dst))
                    return dst
            if old in para.text and para.runs:  # spread over runs: keep the first run's look
                text = para.text.replace(old, new)
                para.runs[0].text = text
                for run in para.runs[1:]:
                    run.text = ""
                prs.save(str(dst))
                return dst
    raise AssertionError(f"{old!r} is not on slide {slide_no} of {src.name}")


def _audit(demo, path: Path):
    con = connect(demo.database, read_only=True)
    try:
        return audit_deck(path, con, demo.config)
    finally:
        con.close()


def _on(findings: list[Finding], slide: int, text: str) -> list[Finding]:
    return [f for f in findings if f.slide == slide and text in f.text]


def test_a_wrong_n_under_the_target_group_chart_is_caught(demo, tmp_path) -> None:
    # voksenstoette's target chart (ASI, 2025/2026 by gender): one cell is shown, men
    # 2025 with 7 citizens; the other four are hidden and not plotted. The issue's
    # "n = 27 borgere" under bars of fewer citizens cannot be the chart's n.
    src = demo.decks["indsats_voksenstoette"]
    no = _slide_with(src, lambda s: s.section.startswith("Målgruppen ved start"))
    note = next(line for line in read_deck(src)[no - 1].lines() if line.startswith("n = "))
    bad = rewrite(src, tmp_path / "wrong_n", no, note.split(" · ")[0], "n = 27 borgere")
    found = _on(_audit(demo, bad).of("n_beside_chart"), no, "n = 27 borgere")
    assert len(found) == 1 and found[0].file == src.name
    assert "7 in the 1 shown cells (4 hidden cells, not plotted)" in found[0].mart


def test_a_total_that_gives_a_hidden_cell_away_is_caught(demo) -> None:
    # bars of 7 and a hidden cell: "n = 10" is not the chart's n (7), and 10 - 7 tells
    # the hidden cell holds 3 citizens; "n = 7" is right and gives nothing away
    ctx = DeckContext("t.pptx", [], None, demo.config, "intervention", "ungepraktik", None)
    slide = SlideText("t.pptx", 6, "Målgruppen ved start\nX", (), (), ())
    res = AuditResult("t.pptx")
    check_total(res, ctx, slide, "n = 10 borgere", "10", [(7, False), (None, True)], "chart")
    assert [f.rule for f in res.findings] == ["n_beside_chart", "small_cells"]
    assert "10 minus the 7 shown gives it away" in res.findings[1].mart
    res = AuditResult("t.pptx")
    check_total(res, ctx, slide, "n = 7 borgere", "7", [(7, False), (None, True)], "chart")
    assert res.findings == [] and res.checked == {"n_beside_chart": 1, "small_cells": 1}


def test_a_crowned_loser_of_a_comparison_is_caught(demo, tmp_path) -> None:
    # ungepraktik, YLS/CMI by age band, start -> 12 months after: 14-15 år 7,0 points
    # down, 16-17 år 5,4 down (lower is better), so 16-17 år did not do best
    src = demo.decks["indsats_ungepraktik"]
    no = _slide_with(src, lambda s: s.section.startswith("Målgrupper sammenlignet"))
    old = read_deck(src)[no - 1].headline
    assert not [f for f in _audit(demo, src).of("superlative") if f.slide == no]
    planted = ("YLS/CMI: 16-17 år udviklede sig bedst fra start til opf. 12 mdr. "
               "(fald på 5,4 mod 7,0 point; lavere er bedre)")
    bad = rewrite(src, tmp_path / "loser", no, old, planted)
    found = _on(_audit(demo, bad).of("superlative"), no, "16-17 år udviklede sig bedst")
    assert len(found) == 1
    assert "'14-15 år': -7.0" in found[0].mart and "'16-17 år': -5.4" in found[0].mart


def test_a_difference_within_chance_stated_as_clear_is_caught(demo, tmp_path) -> None:
    # ungepraktik, YLS/CMI by age band: 14-15 år fell more than 16-17 år, but the 95 %
    # intervals of the two changes overlap (mart_group_comparison.ci_change_*), so the
    # deck says "mest ..., men forskellen kan skyldes tilfældigheder"; "bedst" without the
    # clause is caught
    src = demo.decks["indsats_ungepraktik"]
    no = _slide_with(src, lambda s: s.section.startswith("Målgrupper sammenlignet"))
    old = read_deck(src)[no - 1].headline
    assert " udviklede sig mest fra " in old
    assert old.endswith(", men forskellen kan skyldes tilfældigheder")
    assert not [f for f in _audit(demo, src).of("superlative") if f.slide == no]
    planted = old.replace(" mest ", " bedst ").removesuffix(
        ", men forskellen kan skyldes tilfældigheder")
    bad = rewrite(src, tmp_path / "clear", no, old, planted)
    found = _on(_audit(demo, bad).of("superlative"), no, "udviklede sig bedst")
    assert len(found) == 1 and found[0].mart.startswith("intervals of the changes: ")


def test_a_crowned_tie_is_caught(demo, tmp_path) -> None:
    # familie_nord's first citizen: every core element rated 5 of 5, so none is "least"
    src = demo.decks["borger_familie_nord"]
    even = "Alle kerneelementer er vurderet 5 af 5 eller højere"
    no = _slide_with(src, lambda s: even in s.lines())
    bad = rewrite(src, tmp_path / "tie", no, even,
                  "Mindst i spil: Hyppige hjemmebesøg (5 af 5)")
    found = _on(_audit(demo, bad).of("superlative"), no, "Mindst i spil: Hyppige")
    assert len(found) == 1
    assert "'Inddragelse af netværk': 5.0" in found[0].mart


def test_a_direction_word_turned_round_is_caught(demo, tmp_path) -> None:
    # ungepraktik, YLS/CMI (lower is better), same citizens 19,4 at start -> 12,9 at
    # 12 months after: an improvement, never "gik tilbage"
    src = demo.decks["indsats_ungepraktik"]
    no = _slide_with(src, lambda s: s.headline.startswith("YLS/CMI: samme borgere"))
    old = read_deck(src)[no - 1].headline
    assert old == ("YLS/CMI: samme borgere forbedrede sig fra 19,4 til 12,9 "
                   "(start til opf. 12 mdr.)")
    assert not [f for f in _audit(demo, src).of("direction") if f.slide == no]
    bad = rewrite(src, tmp_path / "direction", no, "forbedrede sig", "gik tilbage")
    found = _on(_audit(demo, bad).of("direction"), no, "gik tilbage")
    assert len(found) == 1 and "higher_is_worse" in found[0].mart


def test_a_small_count_printed_as_a_number_is_caught(demo, tmp_path) -> None:
    # ungepraktik 2026-Q3: the courses closed as planned are hidden in the mart (<5)
    con = connect(demo.database, read_only=True)
    try:
        basis = {r["case_status"]: r for r in rows(con, "basis_counts",
                                                   intervention_id="ungepraktik",
                                                   period="2026-Q3")}
    finally:
        con.close()
    assert basis["closed_planned"]["is_suppressed"]
    src = demo.decks["indsats_ungepraktik"]
    no = _slide_with(src, lambda s: s.headline == "Datagrundlaget for mødet")
    assert not _audit(demo, src).of("small_cells")
    bad = rewrite(src, tmp_path / "small", no, "<5 afsluttet som planlagt",
                  "3 afsluttet som planlagt")
    found = _on(_audit(demo, bad).of("small_cells"), no, "3 afsluttet som planlagt")
    assert len(found) == 1 and "fewer than k = 5" in found[0].mart


def test_a_signed_change_against_the_instrument_is_caught(demo, tmp_path) -> None:
    # ORS (higher is better) in voksenstoette's result map: the cohort rose 7,8 points;
    # written as a signed fall ("-7,8", the old form) it contradicts the mart's sign
    src = demo.decks["indsats_voksenstoette"]
    worded = re.compile(r"ORS, gns\. ændring: steg (\d+,\d) point \(bedre\)")
    no = _slide_with(src, lambda s: any(worded.fullmatch(line) for line in s.lines()))
    shown = next(line for sl in read_deck(src) if sl.number == no for line in sl.lines()
                 if worded.fullmatch(line))
    size = worded.fullmatch(shown).group(1)
    assert not _on(_audit(demo, src).of("direction"), no, "ORS, gns.")
    bad = rewrite(src, tmp_path / "sign", no, shown, f"ORS, gns. ændring: -{size} point")
    found = _on(_audit(demo, bad).of("direction"), no, f"ORS, gns. ændring: -{size}")
    assert len(found) == 1 and "went up by" in found[0].mart


# ---------------------------------------------------------------- the parts, by hand


@pytest.mark.parametrize(("text", "value", "decimals", "signed"), [
    ("1.234", 1234.0, 0, False),
    ("480.800", 480800.0, 0, False),
    ("4,8", 4.8, 1, False),
    ("+4,8", 4.8, 1, True),
    ("-14", -14.0, 0, True),
    ("\u22127,0", -7.0, 1, True),
    ("±0", 0.0, 0, True),
])
def test_danish_numbers_are_read_as_printed(text, value, decimals, signed) -> None:
    printed = parse_number(text)
    assert (printed.value, printed.decimals, printed.signed) == (value, decimals, signed)


def test_a_value_equals_a_printed_number_within_half_its_last_digit() -> None:
    assert printed_equals(parse_number("4,8"), 4.84)
    assert printed_equals(parse_number("4,8"), 4.75)
    assert not printed_equals(parse_number("4,8"), 4.86)
    assert printed_equals(parse_number("57"), 0.5714, scale=100)
    assert not printed_equals(parse_number("58"), 0.5714, scale=100)
    assert round_half_up(2.5, 0) == 3.0 and round_half_up(-8.05, 1) == -8.1


def test_the_n_of_a_chart_counts_its_plotted_cells() -> None:
    # bars of 21 and 24 citizens: n = 45; a hidden cell is not plotted and not counted
    assert shown_total([(21, False), (24, False)]) == (45, 0)
    assert shown_total([(7, False), (None, True), (None, True)]) == (7, 2)
    assert shown_total([(None, True), (None, True)]) == (0, 2)


def test_a_comparison_with_a_hidden_kik_level_is_caught(demo, tmp_path) -> None:
    # ungepraktik, YLS/CMI by KiK level: the high level is hidden in mart_fidelity_outcome,
    # so no sentence may set it against the others
    src = demo.decks["indsats_ungepraktik"]
    no = _slide_with(src, lambda s: s.section.startswith("Kvalitet i kerneelementer"))
    old = read_deck(src)[no - 1].headline
    planted = ("Borgere med høj KiK udviklede sig bedre end borgere med lav KiK (+6,0 mod +2,0 "
               "point)")
    bad = rewrite(src, tmp_path / "fidelity", no, old, planted)
    found = _on(_audit(demo, bad).of("superlative"), no, "høj KiK udviklede sig bedre")
    assert len(found) == 1 and "hidden or missing: high / low" in found[0].mart


def test_a_result_map_change_in_words_is_read_both_ways(demo, tmp_path) -> None:
    # ungepraktik, YLS/CMI (lower is better): the cohort's means print 19,4 and 12,9, a
    # fall of 6,5 (6,43 unrounded). Worded "faldt 6,5 point (bedre)" it is right; "steg
    # 6,5 point (bedre)" is caught, and so is "faldt 6,4 point", the unrounded change
    # that would not agree with the progression title's two means
    src = demo.decks["indsats_ungepraktik"]
    old = "YLS/CMI, gns. ændring: faldt 6,5 point (bedre)"  # as the deck words it
    no = _slide_with(src, lambda s: old in s.lines())
    assert not _on(_audit(demo, src).of("direction"), no, "YLS/CMI, gns.")
    bad = rewrite(src, tmp_path / "words_bad", no, old, "YLS/CMI, gns. ændring: steg 6,5 point "
                  "(bedre)")
    found = _on(_audit(demo, bad).of("direction"), no, "steg 6,5 point")
    assert len(found) == 1 and "went down by 6.50" in found[0].mart
    raw = rewrite(src, tmp_path / "words_raw", no, old, "YLS/CMI, gns. ændring: faldt 6,4 "
                  "point (bedre)")
    found = _on(_audit(demo, raw).of("value"), no, "faldt 6,4 point")
    assert len(found) == 1 and "change -6.500" in found[0].mart


def test_a_staff_direction_against_the_ratings_table_is_caught(demo, tmp_path) -> None:
    # familie_nord, P-92582a: GAS (staff, no reliable-change rule) rose 10 points, so the
    # staff point towards improvement (its printed sign); "mod forværring" is caught
    src = demo.decks["borger_familie_nord"]
    no = _slide_with(src, lambda s: s.headline.startswith("P-92582a: ")
                     and "vurdering" in s.headline)
    old = next(s.headline for s in read_deck(src) if s.number == no)
    assert old.endswith("medarbejdernes mod bedring")
    assert not _on(_audit(demo, src).of("direction"), no, "medarbejdernes")
    bad = rewrite(src, tmp_path / "staff", no, old,
                  old.replace("medarbejdernes mod bedring", "medarbejdernes mod forværring"))
    found = _on(_audit(demo, bad).of("direction"), no, "medarbejdernes mod forværring")
    assert [f.mart for f in found] == ["verdicts of (medarbejder): GAS (medarbejder) +10,0 –"]
    # P-6f9baf: GAS (staff) has one rating: no change ("–"), so no staff direction
    no = _slide_with(src, lambda s: s.headline.startswith("P-6f9baf: ")
                     and "vurdering" in s.headline)
    old = next(s.headline for s in read_deck(src) if s.number == no)
    planted = ("P-6f9baf: Borgerens egen vurdering peger hverken mod bedring eller "
               "forværring (ingen pålidelig ændring), medarbejdernes mod bedring")
    bad = rewrite(src, tmp_path / "staff_one", no, old, planted)
    found = _on(_audit(demo, bad).of("direction"), no, "medarbejdernes mod bedring")
    assert [f.mart for f in found] == ["verdicts of (medarbejder): GAS (medarbejder) – –"]


def test_a_goal_count_against_the_goal_table_is_caught(demo, tmp_path) -> None:
    # familie_nord, P-92582a: one goal, rated "Udviklingsmål nået": 1 of 1, not 2 of 2
    src = demo.decks["borger_familie_nord"]
    old = "P-92582a: 1 af 1 mål er nået eller fastholdt"
    no = _slide_with(src, lambda s: s.headline == old)
    assert not _on(_audit(demo, src).of("value"), no, old)
    bad = rewrite(src, tmp_path / "goals", no, old, "P-92582a: 2 af 2 mål er nået eller "
                  "fastholdt")
    found = _on(_audit(demo, bad).of("value"), no, "2 af 2 mål")
    assert len(found) == 1 and "Udviklingsmål nået" in found[0].mart


def set_chart_value(src: Path, folder: Path, slide_no: int, series: str, category: str,
                    value: float) -> Path:
    """Copy ``src`` with one value of a native chart's cache set (or added, for an empty
    cell): the first chart of the slide, the series named ``series``, the category whose
    first line is ``category``."""
    from lxml import etree
    from pptx.oxml.ns import qn

    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / src.name
    shutil.copyfile(src, dst)
    prs = Presentation(str(dst))
    chart = next(s.chart for s in prs.slides[slide_no - 1].shapes if s.has_chart)
    idx = [str(c).split("\n")[0] for c in chart.plots[0].categories].index(category)
    ser = next(s for s in chart._chartSpace.iter(qn("c:ser"))
               if s.find(f"{qn('c:tx')}//{qn('c:v')}").text == series)
    cache = ser.find(f"{qn('c:val')}//{qn('c:numCache')}")
    pt = next((p for p in cache.findall(qn("c:pt")) if p.get("idx") == str(idx)), None)
    if pt is None:
        pt = etree.SubElement(cache, qn("c:pt"), idx=str(idx))
        etree.SubElement(pt, qn("c:v"))
    pt.find(qn("c:v")).text = repr(value)
    prs.save(str(dst))
    return dst


def test_a_wrong_value_in_a_native_chart_is_caught(demo, tmp_path) -> None:
    # ungepraktik's first progression chart holds the cohort's mean at start exactly as
    # mart_progression_by_point has it; half a point more is caught, on that cell
    src = demo.decks["indsats_ungepraktik"]
    slides = read_deck(src)
    no = _slide_with(src, lambda s: s.section.startswith("Udvikling over målepunkter"))
    chart = slides[no - 1].charts[0]
    cohort = next(name for name, _v in chart.series if name.startswith("Samme borgere"))
    value = chart.values(cohort)[0]
    assert _audit(demo, src).of("chart_values") == []
    bad = set_chart_value(src, tmp_path / "chart_value", no, cohort, "Start", value + 0.5)
    found = _on(_audit(demo, bad).of("chart_values"), no, f"{cohort} · Start")
    assert len(found) == 1 and found[0].mart == f"mean_score = {value}"


def test_a_value_in_a_hidden_chart_cell_is_caught(demo, tmp_path) -> None:
    # ungepraktik, YLS/CMI by KiK level: the low level is hidden in mart_fidelity_outcome,
    # so the native chart has no value there; a number put into that cell is caught
    src = demo.decks["indsats_ungepraktik"]
    no = _slide_with(src, lambda s: s.section.startswith("Kvalitet i kerneelementer"))
    chart = read_deck(src)[no - 1].charts[0]
    low = [c.split("\n")[0] for c in chart.categories].index("Lav KiK")
    assert chart.categories[low] == "Lav KiK\n(n <5)"
    assert chart.values("Gns. forbedring")[low] is None
    bad = set_chart_value(src, tmp_path / "hidden_value", no, "Gns. forbedring", "Lav KiK",
                          6.0)
    found = _on(_audit(demo, bad).of("chart_values"), no, "Lav KiK: 6.0")
    assert len(found) == 1 and "hidden in the mart" in found[0].mart
