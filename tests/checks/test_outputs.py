"""What the checks hand out: the quality report (HTML and slide object), the ``check``
and ``due`` commands and the Prefect flow.

Hand-made data, judged on 2025-05-01:
- team unge_syd: 10 ungepraktik courses started 2025-03-03, each with yls_cmi, ors and
  gas collected 30 days after the start, outside every start tolerance (21, 14, 14
  days): 30 due, 30 collected, 0 on time -> timeliness 0 %, the only team below 75 %;
- team familie_nord: 5 spaedbarn courses started 2025-03-03 with ors, srs and gas on the
  start day (15 of 15 on time); one ORS answer is 12 (out of range, an error);
- team voksen_oest: 50 voksenstoette courses started 2025-01-06 with one ASI each on
  the start day, s1 rating a whole point higher than s2..s5 (as in
  test_checks_raters.py: rater drift 1.546 SD, s1 only); their other start points (ors,
  srs, gas) and mid points (ors, srs, kik, window closed 04-27) are overdue: 350 due,
  50 collected, all on time.
Overall: 395 due, 95 collected (24 %), 65 of them on time (68 %).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checks.report import quality_summary, render_html, write_report
from checks.run import run_checks
from checks.settings import CheckSettings
from datadialog.config_load import load_config
from datadialog.db import connect
from tests.support.checks import pseudonym
from tests.support.staging import StagingWriter
from transforms.build import build

AS_OF = date(2025, 5, 1)
ASI = {1: [0, 2, 1, 1, 1, 1, 1], 2: [1, 3, 2, 2, 2, 2, 2], 3: [2, 4, 3, 3, 3, 3, 3]}


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def db(tmp_path_factory, config) -> Path:
    path = tmp_path_factory.mktemp("outputs") / "outputs.duckdb"
    con = connect(path)  # records the DDL, as every command does
    w = StagingWriter(con)
    n = 0
    late = (date(2025, 3, 3) + timedelta(days=30)).isoformat()
    for i in range(10):
        n += 1
        w.course(f"U{i}", pseudonym(n), "ungepraktik", "2025-03-03", team_id="unge_syd")
        w.form(f"U{i}y", f"U{i}", "yls_cmi", late, [1, 0] * 21, staff_id="emil")
        w.form(f"U{i}o", f"U{i}", "ors", late, [4, 5, 5, 6], staff_id="emil")
        w.form(f"U{i}g", f"U{i}", "gas", late, [0, 1], staff_id="emil")
    for i in range(5):
        n += 1
        w.course(f"N{i}", pseudonym(n), "spaedbarn", "2025-03-03", team_id="familie_nord")
        w.form(f"N{i}o", f"N{i}", "ors", "2025-03-03", [5, 12 if i == 0 else 6, 6, 7],
               staff_id="bo")
        w.form(f"N{i}s", f"N{i}", "srs", "2025-03-03", [8, 9, 9, 9], staff_id="bo")
        w.form(f"N{i}g", f"N{i}", "gas", "2025-03-03", [1, 0], staff_id="bo")
    for staff, levels in [("s1", (2, 3))] + [(f"s{k}", (1, 2)) for k in range(2, 6)]:
        for i in range(10):
            n += 1
            w.course(f"V{n}", pseudonym(n), "voksenstoette", "2025-01-06", team_id="voksen_oest")
            w.form(f"V{n}a", f"V{n}", "asi", "2025-01-06", ASI[levels[i % 2]], staff_id=staff)
    w.flush()
    build(con, config, as_of=AS_OF)
    run_checks(con, config, settings=CheckSettings.from_config(config, rate_min_due=50))
    run_checks(con, config)
    con.close()
    return path


def test_report_names_the_high_rater_and_the_late_team(db, config, tmp_path):
    con = connect(db)
    try:
        summary = write_report(con, config, tmp_path / "quality.html")
    finally:
        con.close()
    assert summary.flagged_staff == ["s1"]
    assert summary.late_teams == ["unge_syd"]
    assert summary.incomplete_teams == ["voksen_oest"]
    assert summary.n_errors == 1
    page = (tmp_path / "quality.html").read_text(encoding="utf-8")
    # instruments and teams by name, numbers with a decimal comma and per cent as the site
    assert "s1 vurderer Misbrugssværhed højere end kollegerne (+1,55 SD; i forløbene)" in page
    assert "Ungeenheden Syd: rettidighed 0\u00a0% (mål 75\u00a0%)" in page
    shown, quiet = summary.shown_trends()
    # two runs: every shown trend has a line; rules that never found anything are left out
    assert page.count("<svg") == len(shown) > 0
    assert quiet == sum(
        1 for t in summary.trends if t.metric_id.startswith("rule:") and not any(t.values)
    ) > 0
    assert f"{quiet} regler uden fund i nogen kørsel er ikke vist." in page
    assert "<td>Rettidighed, Ungeenheden Syd</td>" in page
    assert "<td>Svar uden for skalaen: andel fund</td>" in page
    assert "<td>out_of_range</td><td>fejl</td>" in page
    # the error blocks the spaedbarn decks (errors_block is on by default)
    blocked = ("<h2>Blokerede områder</h2><ul><li>hele organisationen (ledelsens "
               "præsentation): Svar uden for skalaen (1)</li><li>indsats Intensivt "
               "spædbarnsforløb: Svar uden for skalaen (1)")
    assert blocked in page
    assert "http" not in page  # nothing fetched from the network


def test_report_when_errors_do_not_block(db, config):
    from dataclasses import replace

    con = connect(db)
    try:
        summary = replace(quality_summary(con, config), errors_block=False)
    finally:
        con.close()
    page = render_html(summary)
    assert "Blokerede områder" not in page
    assert ("<h2>Områder med fejl</h2><ul><li>hele organisationen (ledelsens "
            "præsentation): ") in page
    assert "<li>indsats Intensivt spædbarnsforløb:" in page
    n_scopes = len(summary.scope_error_lines())
    assert n_scopes >= 3  # the organisation, spaedbarn and familie_nord
    assert f'<div>Områder med fejl</div><div class="v bad">{n_scopes}</div>' in page
    assert "quality.errors_block er slået fra" in page


def test_the_blocked_tile_counts_the_scopes_listed(db, config):
    """The tile said 3 blocked scopes while the list named 2: the organisation (the
    leaders' decks) was counted but not listed."""
    con = connect(db)
    try:
        summary = quality_summary(con, config)
    finally:
        con.close()
    assert summary.errors_block and summary.n_blocked_scopes > 0
    lines = summary.scope_error_lines()
    assert len(lines) == summary.n_blocked_scopes
    assert lines[0].startswith("hele organisationen (ledelsens præsentation): ")


def test_trends_run_across_runs(db, config):
    con = connect(db)
    try:
        summary = quality_summary(con, config)
    finally:
        con.close()
    # two runs: the first judged teams only from 50 due points, so unge_syd (30) was
    # not below target then; the team's timeliness itself is 0 in both
    team = summary.trend("timeliness unge_syd")
    assert team.values == (0.0, 0.0)
    overall = summary.trend("timeliness")
    assert overall.values == pytest.approx((65 / 95, 65 / 95))
    assert summary.trend("rule:rater_drift").values == pytest.approx((1 / 5, 1 / 5))


def test_the_slide_object(db, config):
    con = connect(db)
    try:
        slide = quality_summary(con, config).slide()
    finally:
        con.close()
    assert slide.title == "Datakvalitet"
    assert slide.bullets[:2] == ("Fuldstændighed: 24\u00a0% (mål 90\u00a0%)",
                                 "Rettidighed: 68\u00a0% (mål 75\u00a0%)")
    assert "Ungeenheden Syd: rettidighed 0\u00a0% (mål 75\u00a0%)" in slide.bullets
    assert slide.table_header == ("Regel", "Alvor", "Fund", "Kontrolleret")
    assert slide.table_rows[0] == ("Svar uden for skalaen", "fejl", "1", "880")
    assert slide.how_to_read.startswith("Sådan læses siden")


def test_render_html_in_english(db, config):
    con = connect(db)
    try:
        summary = quality_summary(con, config)
    finally:
        con.close()
    summary.language = "en"
    page = render_html(summary)
    assert "s1 rates Misbrugssværhed higher than colleagues (+1.55 SD; in the courses)" in page
    assert "Ungeenheden Syd: timeliness 0% (target 75%)" in page


def test_check_command(db, tmp_path):
    from cli.app import app

    runner = CliRunner()
    out = tmp_path / "quality"
    result = runner.invoke(app, ["check", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "intervention spaedbarn: decks blocked" in result.output
    assert len(list(out.glob("quality_*.html"))) == 1
    assert len(list(out.glob("failures_*.csv"))) == 1
    strict = runner.invoke(app, ["check", "--db", str(db), "--out", str(out), "--strict"])
    assert strict.exit_code == 1
    bad = runner.invoke(app, ["check", "--db", str(db), "--scope", "region:x"])
    assert bad.exit_code == 2


def test_check_table_keeps_whole_rule_ids_at_80_columns(db, tmp_path):
    """At 80 columns the rule ids were cut ("measurement_…"), and a steward looks them up
    by id: they fold onto the next line instead, and every failing rule's id is there."""
    from checks.run import discover_rules
    from cli.app import app

    result = CliRunner().invoke(app, ["check", "--db", str(db), "--out", str(tmp_path / "q")],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    table = [line for line in lines if line.startswith("│")]
    assert table and not any("…" in line.split("│")[2] for line in table)
    con = connect(db)
    try:
        failing = {r for (r,) in con.execute(
            "select rule_id from quality.results where n_failed > 0 and run_id = "
            "(select run_id from quality.runs order by started_at desc limit 1)").fetchall()}
    finally:
        con.close()
    ids = {r.rule_id for r in discover_rules()}
    column = "".join(line.split("│")[2].strip() + "\n" for line in table)
    folded = {rule for rule in failing & ids
              if rule.replace("_", "") in column.replace("\n", "").replace("_", "")}
    assert folded == failing & ids


def test_due_command(db, tmp_path):
    from cli.app import app

    result = CliRunner().invoke(
        app, ["due", "--db", str(db), "--weeks", "5", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    # mid points of unge_syd and familie_nord fall due 2025-06-01, 31 days ahead
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "due_unge_syd_20250501.csv" in names
    assert "due_unge_syd_20250501.xlsx" in names
    assert "due_familie_nord_20250501.csv" in names


def test_flow_definition_loads():
    from flows.check import check_flow, quality_run_task

    assert check_flow.name == "check"
    assert quality_run_task.name == "quality-run"


@pytest.mark.slow
@pytest.mark.prefect_server
def test_prefect_flow_runs_the_checks(db, tmp_path):
    from prefect.testing.utilities import prefect_test_harness

    from flows.check import check_flow

    with prefect_test_harness(server_startup_timeout=120):
        result = check_flow(db_path=str(db), out_dir=str(tmp_path), due_weeks=5)
    assert sorted(result["run"]["blocked"]) == [
        "intervention spaedbarn", "organisation", "team familie_nord"
    ]
    assert result["report"]["flagged_staff"] == ["s1"]
    assert result["report"]["late_teams"] == ["unge_syd"]
    assert Path(result["report"]["report"]).exists()
    assert {d["team"] for d in result["due"]} >= {"unge_syd", "familie_nord"}


def test_report_after_the_first_run_draws_no_lines(db, config):
    from dataclasses import replace

    from checks.report import Trend

    con = connect(db)
    try:
        summary = quality_summary(con, config)
    finally:
        con.close()
    first = [
        Trend(t.metric_id, t.group_kind, t.group_id, t.values[-1:], t.run_ids[-1:], t.target)
        for t in summary.trends
    ]
    page = render_html(replace(summary, trends=first))
    assert "Første kørsel: udviklingen tegnes fra næste kørsel." in page
    assert "<svg" not in page
