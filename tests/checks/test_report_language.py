"""The quality report reads in the organisation's language, as the data steward's site:
a rule's description and fix, numbers, per cent, dates and names (worked out by hand)."""

from __future__ import annotations

from datetime import date, datetime

from checks.report import QualitySummary, RaterFlag, RuleLine, TeamFlag, WorkshopItem, render_html
from checks.schemas import RULE_DOCS


def _summary(language: str) -> QualitySummary:
    summary = QualitySummary("r1", datetime(2026, 10, 31, 9, 0), date(2026, 10, 31),
                             "organisation", None, 3, 1_234, 0, 0.995, 0.9, 0.8, 0.75,
                             language=language)
    description, fix = RULE_DOCS["out_of_range"]  # as checks.run stores them: English
    summary.rules = [RuleLine("out_of_range", "Svar uden for skalaen", "items", "error", 3,
                              27_274, fix, description)]
    summary.raters = [RaterFlag("M14", "asi", "calibration_deviation", 0.5678, 0.2, 0.94)]
    summary.teams = [TeamFlag("unge_syd", "timeliness", 0.12, 0.75, 3, 25)]
    summary.workshop_items = [WorkshopItem("yls_cmi", 20, -0.1)]
    summary.names = {("instrument", "asi"): "Misbrugssværhed",
                     ("instrument", "yls_cmi"): "YLS/CMI", ("team", "unge_syd"): "Ungeenheden Syd"}
    return summary


def test_the_danish_report_reads_danish():
    page = render_html(_summary("da"))
    # the rule's description and fix in Danish (checks.texts.RULE_HELP_DA), not English
    assert "Et svar ligger uden for redskabets skala (for GAS uden for −2 til +2)." in page
    assert "<td>Ret svaret i fagsystemet, og tjek at eksporten angiver det rigtige redskab.</td>" \
        in page
    assert "Sådan rettes det</th>" in page
    assert "item_min" not in page and "Correct the answer" not in page
    assert "(på engelsk)" not in page
    # numbers with a decimal comma, thousands with a point, dates as the decks write them
    assert "M14 vurderer Misbrugssværhed højere end kollegerne (+0,57 point/spm.; ved " \
        "kalibrering)" in page
    assert "YLS/CMI spørgsmål 20: enighed (alfa) \u22120,10" in page
    assert '<td class="n">27.274</td>' in page
    assert '<div class="v">1.234</div>' in page  # the warnings tile
    assert "opgjort pr. 31.10.2026" in page and "2026-10-31" not in page
    # teams by name, per cent with a (no-break) space; 99.5 % is not rounded onto 100 %
    assert "Ungeenheden Syd: rettidighed 12\u00a0% (mål 75\u00a0%)" in page
    assert "&gt;99\u00a0%" in page


def test_the_english_report_reads_english():
    page = render_html(_summary("en"))
    assert "An item answer lies outside the instrument&#x27;s item_min..item_max" in page
    assert "<td>Correct the answer in the source system; check that the export maps the " \
        "right instrument.</td>" in page
    assert "How to fix</th>" in page
    assert "M14 rates Misbrugssværhed higher than colleagues (+0.57 points/item; in " \
        "calibration)" in page
    assert "YLS/CMI item 20: agreement (alpha) \u22120.10" in page
    assert '<td class="n">27,274</td>' in page
    assert "judged on 31 Oct 2026" in page
    assert "Ungeenheden Syd: timeliness 12% (target 75%)" in page
