"""The data steward's site from four hand-made courses (those of tests/checks/test_due.py)
with one planted defect: course A's ORS at start has item 1 answered 12 (the scale is
0-10), so ``out_of_range`` fails on exactly that form.

Hand-worked expectations:
- the due list, most overdue first (as of 2025-10-01): C asi end (93 days overdue), A gas
  start (79), C asi fu3 (2), then A's three mid points due now (in 11 days), then B's two
  (in 22 days);
- lineage of the intervention progression figure: ``intervention_progression.sql`` reads
  ``mart_progression_by_point``, which is built on ``int_point_score_series`` and
  ``int_scores`` (docs/architecture.md, "One number"), down to ``staging.measurements``.
"""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from checks.site_data import scope_badge_rates
from checks.texts import RULE_HELP_DA, rule_title
from datadialog.config_load import load_config
from outputs.site.model import DeckPage, FigureLineage, SiteData, page_file
from outputs.spec import DeckSpec
from pipeline.quality import run_quality
from pipeline.site import (
    FIGURE_QUERIES,
    figure_queries,
    models_beneath,
    query_marts,
    site_data,
    write_site,
)
from tests.support.checks import pseudonym
from tests.support.staging import StagingWriter
from transforms.build import discover_models

AS_OF = date(2025, 10, 1)
A, B, C, D = (pseudonym(n) for n in (1, 2, 3, 4))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("site")
    con = duckdb.connect(str(base / "site.duckdb"))
    w = StagingWriter(con)
    w.course("A", A, "spaedbarn", "2025-07-14", team_id="familie_nord")
    w.form("A1", "A", "ors", "2025-07-14", [12, 5, 5, 6], staff_id="bo")  # 12: planted
    w.form("A2", "A", "srs", "2025-07-15", [8, 8, 9, 9], staff_id="bo")
    w.course("B", B, "ungepraktik", "2025-07-25", team_id="unge_syd")
    w.form("B1", "B", "yls_cmi", "2025-07-25", [1, 0] * 21, staff_id="emil")
    w.form("B2", "B", "ors", "2025-07-25", [4, 5, 5, 6], staff_id="emil")
    w.form("B3", "B", "gas", "2025-07-25", [0, -1], staff_id="emil")
    w.course("C", C, "voksenstoette", "2025-01-06", "2025-06-30", "completed_planned",
             team_id="voksen_oest")
    for i, (instrument, day) in enumerate(
        [("ors", "04-06"), ("srs", "04-06"), ("kik", "04-06"), ("ors", "06-30"),
         ("srs", "06-30"), ("gas", "06-30"), ("kik", "06-30")]
    ):
        values = {"ors": [5, 6, 6, 7], "srs": [8, 9, 9, 9], "kik": [4, 4, 3], "gas": [1, 0]}
        w.form(f"C{i}", "C", instrument, f"2025-{day}", values[instrument], staff_id="ib")
    w.course("D", D, "spaedbarn", "2025-05-01", "2025-05-20", "dropped_out",
             team_id="familie_nord")
    for i, (instrument, day) in enumerate(
        [("ors", "05-01"), ("srs", "05-01"), ("gas", "05-01"), ("ors", "05-20"),
         ("srs", "05-20"), ("gas", "05-20"), ("kik", "05-20")]
    ):
        values = {"ors": [5, 6, 6, 7], "srs": [8, 9, 9, 9], "kik": [4, 4, 3], "gas": [1, 0]}
        w.form(f"D{i}", "D", instrument, f"2025-{day}", values[instrument], staff_id="bo")
    w.flush()
    config = load_config()
    run_quality(con, config, as_of=AS_OF, out_dir=base / "quality", due_weeks=4)
    written = write_site(con, config, base / "site", outbox=base / "outbox",
                         due_dir=base / "quality" / "due")
    yield {"con": con, "config": config, "base": base, "written": written}
    con.close()


def _site(built, lang="da") -> SiteData:
    base = built["base"]
    return site_data(built["con"], built["config"], lang, base / "site" / lang,
                     base / "outbox", base / "quality" / "due")


def test_planted_defect_is_one_failing_row_with_its_fix(built):
    site = _site(built)
    rule = next(r for r in site.rules if r.rule_id == "out_of_range")
    assert rule.severity == "error" and rule.n_failed == 1
    [row] = rule.rows
    assert (row["course_id"], row["form_id"], row["item_no"], row["observed"]) == (
        "A", "A1", 1, 12.0)
    assert row["team_id"] == "familie_nord" and row["intervention_id"] == "spaedbarn"
    assert rule.fix == RULE_HELP_DA["out_of_range"][1]
    assert rule.title == "Svar uden for skalaen"
    page = (built["base"] / "site" / "da" / "rule-out_of_range.html").read_text("utf-8")
    assert len(re.findall(r'<tr id="row-\d+"', page)) == 1
    assert "Ret svaret i fagsystemet" in page and "Correct the answer" not in page
    en = (built["base"] / "site" / "en" / "rule-out_of_range.html").read_text("utf-8")
    assert "Correct the answer in the source system" in en


def test_due_list_on_the_site_is_sorted_by_how_overdue(built):
    site = _site(built)
    got = [(r["course_id"], r["instrument_id"], r["point_id"], r["status"],
            r["days_until_due"]) for r in site.due]
    assert got == [
        ("C", "asi", "end", "overdue", -93),
        ("A", "gas", "start", "overdue", -79),
        ("C", "asi", "fu3", "overdue", -2),
        ("A", "kik", "mid", "due_now", 11),
        ("A", "ors", "mid", "due_now", 11),
        ("A", "srs", "mid", "due_now", 11),
        ("B", "kik", "mid", "upcoming", 22),
        ("B", "ors", "mid", "upcoming", 22),
    ]
    page = (built["base"] / "site" / "da" / "due.html").read_text("utf-8")
    assert "overskredet" in page and "skal måles nu" in page
    assert "due_now" not in page and "closed_planned" not in page
    assert "30.06.2025" in page and "30-06-2025" not in page  # C's end point, Danish
    assert 'href="../../quality/due/due_20251001.xlsx"' in page


def test_scope_rates_are_the_quality_metrics_and_the_badge(built):
    con = built["con"]
    site = _site(built)
    stored = {(kind, gid, metric): value for kind, gid, metric, value in con.execute(
        "select group_kind, group_id, metric_id, value from quality.metrics "
        "where group_kind in ('team', 'intervention') "
        "and metric_id in ('completeness', 'timeliness')").fetchall()}
    assert stored
    for q in site.scopes:
        assert q.completeness == stored.get((q.kind, q.scope_id, "completeness"))
        assert q.timeliness == stored.get((q.kind, q.scope_id, "timeliness"))
        badge = scope_badge_rates(con, site.run_id, (q.kind, q.scope_id))
        if badge is not None:
            assert (badge.completeness, badge.timeliness) == (q.completeness, q.timeliness)


def test_lineage_of_the_progression_figure():
    models = {m.name: m for m in discover_models()}
    queries = figure_queries("intervention_pack", "progression:0")
    assert queries[0] == "intervention_progression"
    assert query_marts("intervention_progression") == ("mart_progression_by_point",)
    chain = [m.name for m in models_beneath(("mart_progression_by_point",), models)]
    assert chain[0] == "mart_progression_by_point"
    assert {"int_point_score_series", "int_scores", "int_form_scores"} <= set(chain)
    assert any("staging.measurements" in models[n].sql for n in chain)
    assert figure_queries("citizen_pack", "F0001:kik") == ("citizen_kik",)
    assert figure_queries("citizen_pack", "F0001:ors") == ("citizen_scores", "citizen_flags")
    assert figure_queries("intervention_pack", "vs_expected:1") == ("intervention_vs_expected",)
    assert figure_queries("intervention_pack", "trial:0") == ("intervention_run_chart",)
    with pytest.raises(KeyError):
        figure_queries("intervention_pack", "a_new_figure")
    for pack in FIGURE_QUERIES.values():  # every query file named exists and reads a mart
        for names in pack.values():
            assert all(query_marts(n) for n in names)


def test_affected_figures_follow_table_and_scope():
    def fig(page: str, sources: tuple[str, ...], figure_id: str = "x") -> FigureLineage:
        return FigureLineage(f"fig-{page}-{figure_id}", page, "m", figure_id, "t", (),
                             ("mart_x",), (("int_scores", "intermediate"),), sources, ())

    site = SiteData("da", "org", AS_OF, None, None, None, None, None, None, 0, 0)
    site.pages = [DeckPage("intervention", "spaedbarn", "S", "m", AS_OF, DeckSpec("", "", "da",
                                                                               [])),
                  DeckPage("team", "unge_syd", "U", "m2", AS_OF, None)]
    on_spaedbarn = fig("intervention-spaedbarn.html", ("measurements",))
    on_ors = fig("team-unge_syd.html", ("measurements",), "F1:ors")
    other_table = fig("intervention-spaedbarn.html", ("costs",))
    site.lineage = [on_spaedbarn, on_ors, other_table]
    row = {"intervention_id": "spaedbarn", "team_id": "familie_nord"}
    assert site.affected_figures(row, "staging.measurements") == [on_spaedbarn]
    assert site.affected_figures(row, "int_scores") == [on_spaedbarn, other_table]
    # a citizen's figure: only its own course and instrument
    assert site.affected_figures({"team_id": "unge_syd", "course_id": "F2"},
                                 "staging.measurements") == []
    assert site.affected_figures({"team_id": "unge_syd", "course_id": "F1"},
                                 "staging.measurements") == [on_ors]
    assert site.affected_figures({"team_id": "unge_syd", "course_id": "F1",
                                  "instrument_id": "ors"}, "staging.measurements") == [on_ors]
    assert site.affected_figures({"team_id": "unge_syd", "course_id": "F1",
                                  "instrument_id": "gas"}, "staging.measurements") == []
    assert site.affected_figures({"team_id": "unge_syd", "course_id": "F1"},
                                 "staging.goal_ratings") == []


def test_english_pages_and_language_switch(built):
    site_dir = built["base"] / "site"
    en = (site_dir / "en" / "index.html").read_text("utf-8")
    da = (site_dir / "da" / "index.html").read_text("utf-8")
    title_en = rule_title("out_of_range", "en")
    assert '<html lang="en">' in en and "Completeness" in en and title_en in en
    assert title_en not in da and "Svar uden for skalaen" in da
    assert 'href="../da/index.html"' in en and 'href="../en/index.html"' in da
    assert "Data pr. 01.10.2025" in da and "Data as of 1 Oct 2025" in en
    index = (site_dir / "index.html").read_text("utf-8")
    assert 'url=da/index.html' in index


def test_no_cpr_and_no_network_in_any_page(built):
    for path in built["written"]:
        if path.suffix != ".html":
            continue
        page = path.read_text("utf-8")
        assert not re.search(r"\b\d{6}-?\d{4}\b", page), path.name
        assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page), path.name
        assert "<script" not in page


def test_site_command_writes_the_site_and_refuses_an_unbuilt_database(built, tmp_path):
    from typer.testing import CliRunner

    from cli.app import app

    built["con"].execute("checkpoint")
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(built["base"] / "site.duckdb", db)
    runner = CliRunner()
    out = tmp_path / "site"
    result = runner.invoke(app, ["site", "--db", str(db), "--out", str(out),
                                 "--outbox", str(tmp_path / "outbox")])
    assert result.exit_code == 0, result.output
    assert (out / "da" / "rule-out_of_range.html").exists()
    assert (out / "en" / "index.html").exists()
    assert f"pages in {out}" in result.output
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    result = runner.invoke(app, ["site", "--db", str(empty), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "the database is not built" in result.output
    assert not (tmp_path / "x" / "index.html").exists()


def test_a_deck_that_cannot_be_built_leaves_a_note_not_a_broken_site(built, monkeypatch):
    import pipeline.site

    def fails(job):
        raise ValueError("no rows for 010190-1234")

    monkeypatch.setattr(pipeline.site, "intervention_pack_spec", fails)
    site = _site(built)
    pages = [p for p in site.pages if p.kind == "intervention"]
    assert pages and all(p.spec is None for p in pages)
    assert all(p.note == "Figurerne kunne ikke laves: ValueError: no rows for [CPR]"
               for p in pages)
    assert not any(f.page.startswith("intervention-") for f in site.lineage)
    assert any(p.spec is not None for p in site.pages if p.kind == "team")


def test_every_figure_on_the_pages_has_its_lineage(built):
    site = _site(built)
    shown = {(p.meeting_id, f.id) for p in site.pages if p.spec for f in p.spec.figures()}
    assert shown, "the hand-made data give no figure at all"
    assert {(f.deck, f.figure_id) for f in site.lineage} == shown
    kinds = {p.kind for p in site.pages}
    assert kinds == {"team", "intervention", "organisation"}


def test_the_demo_site_knows_where_every_figure_of_every_pack_comes_from(small_demo, tmp_path):
    # the demo's decks hold every kind of figure (expected course, trials' run charts ...):
    # each must have its lineage, or the site build stops (figure_queries' KeyError)
    con = duckdb.connect(str(small_demo.db), read_only=True)
    try:
        outbox = Path(small_demo.results[0].folder).parents[1]
        site = site_data(con, small_demo.config, "da", tmp_path / "da", outbox, None)
    finally:
        con.close()
    shown = {(p.meeting_id, f.id) for p in site.pages if p.spec for f in p.spec.figures()}
    kinds = {f.split(":")[0] for _, f in shown}
    assert {"trial", "progression", "target_group", "comparison"} <= kinds, kinds
    assert {(f.deck, f.figure_id) for f in site.lineage} == shown
    assert all(f.marts for f in site.lineage)
    # the leaders' summary: its figures name the interventions they show; its cost
    # figures read no instrument's scores (a score row cannot change them)
    leaders = [f for f in site.lineage if f.page.startswith("organisation-")]
    assert leaders and all(f.interventions for f in leaders)
    assert {f.figure_id for f in leaders if not f.measurements} \
        == {"trend_cost", "cost_composition"} & {f.figure_id for f in leaders}
    assert all(f.measurements for f in site.lineage if not f.page.startswith("organisation-"))


def test_every_rule_has_a_danish_description_and_fix():
    from checks.run import discover_rules
    from checks.schemas import RULE_DOCS

    rule_ids = {r.rule_id for r in discover_rules()} | set(RULE_DOCS)
    missing = sorted(r for r in rule_ids if r not in RULE_HELP_DA)
    assert not missing, f"rules without Danish texts in checks.texts.RULE_HELP_DA: {missing}"
    for rule_id in rule_ids:
        description, fix = RULE_HELP_DA[rule_id]
        assert description.strip() and fix.strip(), rule_id


def test_the_danish_pages_read_danish(built):
    for path in (built["base"] / "site" / "da").glob("*.html"):
        page = path.read_text("utf-8")
        assert "(på engelsk)" not in page, path.name
        assert "(ready)" not in page and "(sent)" not in page, path.name
    index = (built["base"] / "site" / "da" / "index.html").read_text("utf-8")
    assert "Sådan rettes det</th>" in index


def test_figures_drawn_as_tables_say_how_to_read_the_table(built):
    site = _site(built)
    shown = [(p, f) for p in site.pages if p.spec for f in p.spec.figures()]
    assert shown
    for page, fig in shown:
        html_page = (built["base"] / "site" / "da" / page_file(page.kind, page.scope_id)
                     ).read_text("utf-8")
        assert "Sådan læses tabellen:</b> Tabellen viser figurens tal" in html_page
        assert "Sådan læses figuren" not in html_page
        if fig.how_to_read:  # the deck's how-to names lines and markers the site lacks
            assert html.escape(fig.how_to_read) not in html_page, fig.id


def test_meeting_series_are_shown_by_name_and_kept_by_id_in_the_lineage(built):
    site_dir = built["base"] / "site"
    team = (site_dir / "da" / page_file("team", "familie_nord")).read_text("utf-8")
    # no deck in the outbox: the page shows the data's date (01.10.2025)
    assert ("Seneste præsentation: Borgerrettet refleksionsmøde · Familieteam Nord, "
            "01.10.2025") in team
    scopes = (site_dir / "da" / "scopes.html").read_text("utf-8")
    assert "<td>Refleksionsmøde om indsatsen · Praktikforløb for unge</td>" in scopes
    assert "<td>Ledelsens kvartalsmøde</td>" in scopes
    for page in (team, scopes):  # the id is in links' anchors only, not in a text shown
        shown = re.sub(r"<[^>]+>", " ", page)
        assert "borger_familie_nord" not in shown
    en = (site_dir / "en" / page_file("team", "familie_nord")).read_text("utf-8")
    assert "Last deck: Citizen-level reflection meeting · Familieteam Nord, 1 Oct 2025" in en
    # the lineage names the deck a figure comes from by its series id (a technical key)
    assert "<code>borger_familie_nord</code>" in (site_dir / "da" / "lineage.html").read_text(
        "utf-8")


def test_a_configured_meeting_name_is_shown_as_written(built):
    config = built["config"]
    named = [m.model_copy(update={"name": "Tirsdagsmødet"}) if m.id == "borger_familie_nord"
             else m for m in config.meetings]
    site = site_data(built["con"], config.model_copy(update={"meetings": named}), "en",
                     built["base"] / "named" / "en", built["base"] / "outbox")
    page = next(p for p in site.pages if p.meeting_id == "borger_familie_nord")
    assert page.meeting_name == "Tirsdagsmødet"
