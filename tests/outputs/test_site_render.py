"""The site's pages drawn from hand-made data: the quality tiles, the trends of a first
run, the diverging bars of a difference figure, and a failing row's affected figures
(grouped under their deck, only of the row's instrument)."""

from __future__ import annotations

import re
from datetime import date

from datadialog.names import short_name
from outputs.site.model import DeckPage, FigureLineage, RuleFindings, SiteData
from outputs.site.render import _Pages
from outputs.spec import Cell, DeckSpec, FigureSpec, SlideSpec
from pipeline.site import figure_instruments

AS_OF = date(2026, 10, 31)


def _site(lang: str = "da", **kw) -> SiteData:
    site = SiteData(lang, "Demo Kommune", AS_OF, "run-1", None, 0.95, 0.9, 0.8, 0.75,
                    kw.pop("n_errors", 0), kw.pop("n_warnings", 0))
    for key, value in kw.items():
        setattr(site, key, value)
    return site


def _tile_classes(html_page: str) -> dict[str, str]:
    """Tile label -> the class of its number."""
    return dict(re.findall(r'<div class="tile"><div>([^<]*)</div><div class="([^"]*)">',
                           html_page))


def test_warnings_above_zero_are_not_shown_as_ok():
    tiles = _tile_classes(_Pages(_site(n_warnings=959, n_errors=7)).quality())
    assert tiles["Advarsler (rækker)"] == "v"  # neutral: not green, not red
    assert tiles["Fejl (rækker)"] == "v bad"
    assert _tile_classes(_Pages(_site()).quality())["Advarsler (rækker)"] == "v ok"


def test_a_first_run_says_so_in_the_trend_column():
    trends = [("Fuldstændighed", (0.95,), 0.9, "95 %"),
              ("Rettidighed", (0.7, 0.8), 0.75, "80 %")]
    da = _Pages(_site(trends=trends)).quality()
    first = re.search(r"<td>Fuldstændighed</td><td>(.*?)</td>", da).group(1)
    assert "første kørsel" in first
    later = re.search(r"<td>Rettidighed</td><td>(.*?)</td>", da).group(1)
    assert later.startswith("<svg") and "første kørsel" not in later
    en = _Pages(_site("en", trends=trends)).quality()
    assert "first run" in re.search(r"<td>Fuldstændighed</td><td>(.*?)</td>", en).group(1)


def _difference_figure(values: dict[str, float]) -> FigureSpec:
    series = "Forventet forløb"
    return FigureSpec("vs_expected:0", "bar", "Forskel", "", "Forskel til forventet",
                      list(values), [series],
                      [Cell(cat, series, v, 40) for cat, v in values.items()], "",
                      y_min=-2.0, y_max=2.0, cutoff=0.0)


def _deck_page(fig: FigureSpec) -> str:
    spec = DeckSpec("Indsats", "", "da", [SlideSpec("figure", "Forskel", figures=[fig])])
    page = DeckPage("intervention", "ungepraktik", "Praktikforløb", "m", AS_OF, spec)
    site = _site(pages=[page])
    return _Pages(site).deck_page(page)


def _bars(html_page: str) -> dict[str, tuple[str, int]]:
    """Row -> (side, width in px) of its diverging bar."""
    rows = re.findall(r"<tr><td>([^<]*)</td><td>[^<]*<span class=\"dbar\"><span class=\"(\w+)\" "
                      r"style=\"width:(\d+)px\">", html_page)
    return {cat: (side, int(width)) for cat, side, width in rows}


def test_a_difference_is_drawn_either_side_of_zero():
    html_page = _deck_page(_difference_figure({"Konfliktråd": -1.1, "Standard": 1.1,
                                               "Lille": 0.55}))
    bars = _bars(html_page)
    # the same size either side, pointing away from 0; half the size half as long
    assert bars == {"Konfliktråd": ("neg", 40), "Standard": ("pos", 40), "Lille": ("pos", 20)}
    assert 'class="bar"' not in html_page  # no one-way bar in a difference figure
    assert "til venstre (orange) under 0" in html_page  # the how-to says so


def test_a_figure_of_shares_keeps_its_one_way_bar():
    fig = _difference_figure({"A": 30.0, "B": 60.0})
    fig.y_min = 0
    html_page = _deck_page(fig)
    assert 'class="dbar"' not in html_page and "til venstre" not in html_page
    assert re.findall(r'class="bar" style="width:(\d+)px"', html_page) == ["40", "80"]


def test_a_failing_row_links_the_figures_of_its_instrument_under_their_deck_once():
    deck_name = "Strategisk kvartalsoverblik: resultater og omkostninger"
    spec = DeckSpec(deck_name, "", "da", [])
    page = DeckPage("organisation", "ledelse", deck_name, "ledelse", AS_OF, spec)
    instruments = {"ors": "ORS", "gas": "GAS"}

    def fig(figure_id: str, title: str, measurements: bool = True) -> FigureLineage:
        spec_fig = FigureSpec(figure_id, "bar", title, "", "", [], [], [], "")
        return FigureLineage(f"fig-{figure_id}", "organisation-ledelse.html", "ledelse",
                             figure_id, title, (), ("mart_x",), (("int_scores", "intermediate"),),
                             ("measurements",), (),
                             figure_instruments("leaders_summary", spec_fig, instruments),
                             measurements=measurements)

    ors_a = fig("comparison", "Pålideligt forbedret (ORS) ligger mellem 36 % og 50 %")
    ors_b = fig("trend_result", "Børnegrupper: 55 % pålideligt forbedret, ORS")
    other = fig("target_group", "Flere starter på det kliniske niveau")
    cost = fig("trend_cost", "Pris pr. borgermåned faldt", measurements=False)
    assert ors_a.instruments == {"ors"} and other.instruments == frozenset()
    site = _site(pages=[page], lineage=[ors_a, ors_b, other, cost])
    rows = ({"failure_no": 1, "intervention_id": "x", "instrument_id": "gas",
             "course_id": "F1"},
            {"failure_no": 2, "intervention_id": "x", "instrument_id": "ors",
             "course_id": "F2"})
    rule = RuleFindings("outlier_moderate", "Usædvanlige værdier", "info", "int_scores", 2,
                        10, "", "", rows)
    html_page = _Pages(site).rule(rule)
    gas_row = re.search(r'<tr id="row-1">(.*?)</tr>', html_page).group(1)
    ors_row = re.search(r'<tr id="row-2">(.*?)</tr>', html_page).group(1)
    # a GAS score cannot change an ORS figure: only the figure of no instrument named
    assert "#fig-target_group" in gas_row and "#fig-comparison" not in gas_row
    assert "#fig-trend_result" not in gas_row
    assert all(f"#fig-{f}" in ors_row for f in ("comparison", "trend_result", "target_group"))
    # a figure of costs only: no score changes it (QA site finding 6)
    assert "#fig-trend_cost" not in gas_row and "#fig-trend_cost" not in ors_row
    # the deck's name once per row, not before each of its figures
    assert ors_row.count(deck_name) == 1 and gas_row.count(deck_name) == 1
    assert f"{deck_name}:" not in ors_row


def test_figure_instruments_read_the_names_the_texts_print():
    instruments = {"ors": "ORS", "srs": "SRS", "asi": "Misbrugssværhed", "kik": "KiK",
                   "gas": short_name("GAS (Goal Attainment Scaling)")}

    def found(title: str, y_label: str = "", pack: str = "intervention_pack",
              figure_id: str = "x") -> set[str]:
        fig = FigureSpec(figure_id, "bar", title, "", y_label, [], [], [], "")
        return set(figure_instruments(pack, fig, instruments))

    assert found("ORS: samme borgere forbedrede sig", "Gennemsnitlig ORS-score") == {"ors"}
    assert found("x", "Gns. forbedring i misbrugssværhedsscore") == {"asi"}
    assert found("Borgere med høj KiK udviklede sig mere", "Gns. forbedring i ORS") \
        == {"kik", "ors"}
    assert found("Personaletid er 60 % af omkostningerne") == set()
    assert found("GASTRO og SRSX") == set()  # a short name only as a word
    assert found("", pack="citizen_pack", figure_id="F0001:srs") == {"srs"}


def test_long_ids_and_file_names_may_break_at_their_separators():
    rows = ({"failure_no": 1, "course_id": "F0000110", "form_id": "goals:F0000110:2024-10-11",
             "file_name": "b_export_20261031.xlsx", "row_no": 572},)
    rule = RuleFindings("outlier_moderate", "Usædvanlige værdier", "info", "int_scores", 1,
                        10, "", "", rows)
    html_page = _Pages(_site()).rule(rule)
    assert "goals:<wbr>F0000110:<wbr>2024-10-11" in html_page
    assert "b_<wbr>export_<wbr>20261031<wbr>.xlsx, række 572" in html_page
    assert '<table class="rows">' in html_page and '<td class="reason">' in html_page


def _missing(*days_closed: int) -> RuleFindings:
    """missing_measurement rows whose window closed ``days_closed`` days ago (observed)."""
    rows = tuple({"failure_no": i, "course_id": f"F{i}", "instrument_id": "ors",
                  "observed": float(d)} for i, d in enumerate(days_closed, 1))
    return RuleFindings("missing_measurement", "Manglende målinger", "warning",
                        "int_point_status", len(rows), 10, "", "Tag målingen.", rows, True)


def test_missing_measurements_older_than_the_due_lists_lookback_are_said_to_be_only_here():
    from checks.texts import rule_help
    from datadialog.due_window import DUE_LOOKBACK_DAYS as DAYS

    # the Danish fix says how long the due list keeps a missing measurement
    fix = rule_help("missing_measurement", "da", "", "")[1]
    assert f"lukket i {DAYS} dage; ældre manglende målinger står kun her" in fix
    assert "{" not in fix
    # within the lookback (the last day included): the plain link
    page = _Pages(_site(rules=[_missing(3, DAYS)])).rule(_missing(3, DAYS))
    assert '<p><a href="due.html">Se forfaldslisten</a></p>' in page
    # two on the list, one older: the link and the split
    mixed = _Pages(_site()).rule(_missing(3, DAYS, DAYS + 1))
    assert (f'<a href="due.html">Se forfaldslisten</a>. Den viser en manglende måling, indtil '
            f"tidsvinduet har været lukket i {DAYS} dage, så 2 af rækkerne her står på den, "
            "og 1 står kun her.") in mixed
    # all older: no link to a list that does not show them
    old = _missing(DAYS + 1, 400)
    page = _Pages(_site(rules=[old])).rule(old)
    assert 'href="due.html"' not in page.split("<main")[-1]
    assert f"Ingen af rækkerne står på forfaldslisten: den viser en manglende måling, indtil " \
        f"tidsvinduet har været lukket i {DAYS} dage." in page
    quality = _Pages(_site(rules=[old])).quality()
    assert "Se forfaldslisten" not in quality
    assert "Se forfaldslisten" in _Pages(_site(rules=[_missing(3, 400)])).quality()
    # the due list itself says where the older ones are
    due = _Pages(_site("en", rules=[old])).due()
    assert (f"until its window has been closed for {DAYS} days; older ones are only under "
            'the rule <a href="rule-missing_measurement.html">Manglende målinger</a>.') in due


def test_a_cost_figure_is_changed_by_a_course_not_a_score_and_only_of_its_interventions():

    deck_name = "Strategisk kvartalsoverblik"
    page = DeckPage("organisation", "ledelse", deck_name, "ledelse", AS_OF,
                    DeckSpec(deck_name, "", "da", []))

    def fig(figure_id: str, measurements: bool) -> FigureLineage:
        return FigureLineage(f"fig-{figure_id}", "organisation-ledelse.html", "ledelse",
                             figure_id, figure_id, (), ("mart_strategic_overview",),
                             (("int_scores", "intermediate"), ("int_courses", "intermediate")),
                             ("measurements", "courses"), (), frozenset(),
                             measurements=measurements,
                             interventions=frozenset({"ungepraktik", "voksenstoette"}))

    site: SiteData = _site(pages=[page], lineage=[fig("trend_cost", False),
                                                  fig("trend_result", True)])

    def hits(row: dict, table: str) -> list[str]:
        return [f.figure_id for f in site.affected_figures(row, table)]

    # an SDQ answer of Praktikforløb: the result figure, not the cost figure
    sdq = {"intervention_id": "ungepraktik", "instrument_id": "sdq", "course_id": "F1"}
    assert hits(sdq, "staging.measurements") == ["trend_result"]
    # a score row that names no instrument is still about a measurement
    assert hits({"intervention_id": "ungepraktik"}, "int_scores") == ["trend_result"]
    # a course's dates change the citizen-months behind the cost
    course = {"intervention_id": "ungepraktik", "course_id": "F1"}
    assert hits(course, "staging.courses") == ["trend_cost", "trend_result"]
    # Børnegrupper is not in the figures: none of them
    assert hits(sdq | {"intervention_id": "boernegrupper"}, "staging.measurements") == []
    assert hits(course | {"intervention_id": "boernegrupper"}, "staging.courses") == []
