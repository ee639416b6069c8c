"""Gate decisions, stored results, export and scoped runs.

Two courses, judged on 2025-10-01 (both started 2025-09-20, so only their start points
are due and still inside their window: nothing is missing or late):
C1 spaedbarn / familie_nord with an ORS answer of 12 (out of range: an error);
C2 ungepraktik / unge_syd with a YLS/CMI form answering 0 on all 42 items
(straight-lined: a warning).
"""

from __future__ import annotations

import csv
import json
from datetime import date

import duckdb
import pytest

import checks.run as check_run
from checks.run import export_failures, latest_run_id, run_checks
from checks.settings import CheckSettings
from datadialog.config_load import load_config
from tests.support.checks import build_and_check, pseudonym
from tests.support.staging import StagingWriter

AS_OF = date(2025, 10, 1)
STRAIGHT = "1 skema har samme svar på alle spørgsmål."


@pytest.fixture(scope="module")
def config():
    return load_config()


def write_two_courses(con) -> None:
    """C1 (familie_nord, an out-of-range ORS answer) and C2 (unge_syd, straight-lined)."""
    w = StagingWriter(con)
    w.course("C1", pseudonym(1), "spaedbarn", "2025-09-20", team_id="familie_nord")
    w.form("F1", "C1", "ors", "2025-09-20", [5, 12, 6, 7], staff_id="bo")
    w.course("C2", pseudonym(2), "ungepraktik", "2025-09-20", team_id="unge_syd")
    w.form("F2", "C2", "yls_cmi", "2025-09-20", [0] * 42, staff_id="emil")
    w.flush()


@pytest.fixture(scope="module")
def checked(tmp_path_factory, config):
    con = duckdb.connect(str(tmp_path_factory.mktemp("gates") / "gates.duckdb"))
    write_two_courses(con)
    return con, build_and_check(con, config, AS_OF)


def test_an_error_blocks_the_scopes_it_touches(checked):
    _, run = checked
    blocked = sorted(g.label for g in run.blocked)
    assert blocked == ["intervention spaedbarn", "organisation", "team familie_nord"]
    gate = run.gate("intervention", "spaedbarn")
    assert len(gate.reasons) == 1
    assert gate.reasons[0].startswith("1 row fails out_of_range: An item answer lies outside")
    assert "Fix: Correct the answer in the source system" in gate.reasons[0]
    assert "decks blocked" in gate.message


def test_a_warning_becomes_a_caveat_on_its_figures(checked):
    _, run = checked
    gate = run.gate("intervention", "ungepraktik")
    assert not gate.blocked
    assert gate.caveats_for("mart_target_group_at_start") == [STRAIGHT]
    assert gate.caveats_for("mart_goal_attainment_by_area") == []
    assert run.gate("team", "unge_syd").caveats_for("mart_progression_by_point") == [STRAIGHT]
    assert run.gate("team", "voksen_vest").caveats == {}


def test_errors_as_caveats_when_not_blocking(checked, config):
    con, _ = checked
    run = run_checks(con, config, settings=CheckSettings.from_config(config, errors_block=False))
    assert run.blocked == []
    assert run.gate("intervention", "spaedbarn").caveats_for("mart_group_comparison") == [
        "Datakvalitet: Svar uden for skalaen (1)."
    ]


def test_a_severity_override_changes_the_gate(checked, config):
    con, _ = checked
    settings = CheckSettings.from_config(config, severities={"out_of_range": "info"})
    run = run_checks(con, config, settings=settings)
    assert run.blocked == []
    assert run.gate("intervention", "spaedbarn").caveats == {}
    assert run.result("out_of_range", "staging.measurements").status == "info"


def test_english_caveats(checked, config):
    con, _ = checked
    english = config.model_copy(
        update={"organisation": config.organisation.model_copy(update={"language": "en"})}
    )
    run = run_checks(con, english)
    assert run.gate("team", "unge_syd").caveats_for("mart_target_group_at_start") == [
        "1 form gives the same answer to every item."
    ]


def test_runs_results_and_failures_are_stored(checked):
    con, run = checked
    row = con.execute(
        "select as_of_date, scope_kind, n_errors, n_warnings, n_blocked_scopes, settings_json "
        "from quality.runs where run_id = ?",
        [run.run_id],
    ).fetchone()
    assert row[:5] == (AS_OF, "organisation", 1, 1, 3)
    settings = json.loads(row[5])
    assert settings["completeness_target"] == 0.9
    assert settings["severities"]["out_of_range"] == "error"
    n_results = con.execute(
        "select count(*) from quality.results where run_id = ?", [run.run_id]
    ).fetchone()[0]
    assert n_results == len({(r.rule_id, r.table_name) for r in run.results})
    failed = con.execute(
        "select rule_id, severity, course_id, form_id, item_no, observed from quality.failures "
        "where run_id = ? order by rule_id",
        [run.run_id],
    ).fetchall()
    assert failed == [
        ("out_of_range", "error", "C1", "F1", 2, 12.0),
        ("straight_lined", "warning", "C2", "F2", None, 0.0),
    ]


def test_export_failures_as_csv(checked, tmp_path):
    con, run = checked
    path = tmp_path / "failures.csv"
    assert export_failures(con, run.run_id, path) == 2
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["rule_id"], r["severity"], r["form_id"]) for r in rows] == [
        ("out_of_range", "error", "F1"),
        ("straight_lined", "warning", "F2"),
    ]
    assert rows[0]["reason"] == (
        "value outside the instrument's item_min..item_max (instrument_id=ors, item_no=2, "
        "value=12.0)"
    )
    assert rows[0]["file_name"] == "hand-made"


def test_a_team_run_sees_only_its_team(checked, config):
    con, _ = checked
    run = run_checks(con, config, scope_kind="team", scope_id="unge_syd")
    assert latest_run_id(con) == run.run_id
    assert run.n_failed("out_of_range") == 0
    assert run.n_failed("straight_lined") == 1
    assert run.result("measurement_before_start").n_checked == 1  # F2 only
    assert list(run.gates) == [("team", "unge_syd")]
    scope = con.execute(
        "select scope_kind, scope_id from quality.runs where run_id = ?", [run.run_id]
    ).fetchone()
    assert scope == ("team", "unge_syd")


def test_a_run_needs_a_built_database(tmp_path, config):
    from checks.run import CheckError

    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    with pytest.raises(CheckError, match="not built"):
        run_checks(con, config)


def test_gates_of_a_stored_run_use_its_settings(checked, config):
    from checks.run import gates_of_run, settings_of_run

    con, _ = checked
    run = run_checks(con, config, settings=CheckSettings.from_config(config, errors_block=False))
    assert settings_of_run(con, run.run_id).errors_block is False
    gates = gates_of_run(con, config, run.run_id)
    assert not gates[("intervention", "spaedbarn")].blocked
    assert gates == run.gates


def test_caveat_texts_on_a_quality_slide_and_back_to_their_rule():
    from checks.texts import caveat, caveat_rule, slide_caveat

    generic = caveat("measurement_before_start", 2, "", "da")
    assert generic == "Datakvalitet: Måling før forløbsstart (2)."
    assert slide_caveat(generic, "da") == "Måling før forløbsstart (2)."
    assert slide_caveat(caveat("out_of_range", 1, "", "en"), "en") == (
        "Answers outside the scale (1).")
    own = caveat("event_outside_course", 76, "", "da")
    assert slide_caveat(own, "da") == own == "76 registreringer ligger uden for forløbets datoer."
    assert caveat_rule(generic, "da") == "measurement_before_start"
    assert caveat_rule(own, "da") == "event_outside_course"
    assert caveat_rule(caveat("timeliness_below_target", 12, "17 %", "da", 75), "da") == (
        "timeliness_below_target")
    assert caveat_rule("Alle tal: 3 forløb mangler slutdato.", "da") is None


def test_a_caveat_about_one_row_speaks_in_the_singular():
    from checks.texts import CAVEATS, CAVEATS_ONE, caveat, caveat_rule

    assert caveat("near_duplicate", 1, "", "da") == "1 skema ligner en dobbeltregistrering."
    assert caveat("near_duplicate", 3, "", "da") == "3 skemaer ligner dobbeltregistreringer."
    assert caveat("implausible_jump", 1, "", "en") == (
        "1 measurement jumps implausibly far from the previous one.")
    for rule_id in CAVEATS_ONE:
        for language in ("da", "en"):
            one, many = caveat(rule_id, 1, "", language), caveat(rule_id, 2, "", language)
            assert one.startswith("1 ") and many.startswith("2 "), rule_id
            # the slide's caveat finds its rule again, singular or plural
            assert caveat_rule(one, language) == caveat_rule(many, language) == rule_id
        # English always changes ("forløb" is the same word in both numbers in Danish)
        assert caveat(rule_id, 1, "", "en")[2:] != caveat(rule_id, 2, "", "en")[2:], rule_id
    # every caveat that starts with its count has a singular
    counted = {r for r, texts in CAVEATS.items() if texts[0].startswith("{n} ")}
    assert counted == set(CAVEATS_ONE)


def _stored_counts(con) -> dict[str, int]:
    return {
        table: con.execute(f"select count(*) from quality.{table}").fetchone()[0]
        for table in ("runs", "results", "failures", "metrics")
    }


def _add_rule(monkeypatch, tmp_path, rule_id: str, description: str, sql: str) -> None:
    """Make the runs of this test find one more SQL rule (on staging.measurements,
    checking chk_forms) besides the project's own."""
    path = tmp_path / f"{rule_id}.sql"
    path.write_text(f"-- rule: {rule_id}\n-- table: staging.measurements\n"
                    f"-- checked: chk_forms\n-- description: {description}\n-- fix: none\n"
                    + sql, encoding="utf-8")
    rules = check_run.discover_rules()
    monkeypatch.setattr(check_run, "discover_rules",
                        lambda: [*rules, check_run.read_rule(path)])


def _helpers_left(con) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'temp' and table_name like 'chk%'"
        ).fetchall()
    ]


@pytest.mark.parametrize("where", ["rule", "metric"])
def test_a_run_that_fails_stores_nothing_and_drops_its_helpers(checked, config, tmp_path,
                                                               monkeypatch, where):
    """A rule fails while the helpers are filled (before the results' transaction), a
    metric while the results are being stored (inside it, after the failing rows were
    inserted): either way quality.* is as it was and no chk_* table is left."""
    con, _ = checked
    before = _stored_counts(con)
    assert before["failures"] > 0 and before["metrics"] > 0
    if where == "rule":
        _add_rule(monkeypatch, tmp_path, "broken_rule",
                  "refers to a table that does not exist", "select * from no_such_table\n")
        match = "rule broken_rule"
    else:
        metrics = tmp_path / "metrics"
        metrics.mkdir()
        for path in sorted(check_run.METRICS_DIR.glob("*.sql")):
            (metrics / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        (metrics / "zz_broken.sql").write_text("select * from no_such_table\n", encoding="utf-8")
        monkeypatch.setattr(check_run, "METRICS_DIR", metrics)
        match = "zz_broken.sql"
    with pytest.raises(check_run.CheckError, match=match):
        run_checks(con, config)
    assert _stored_counts(con) == before
    assert _helpers_left(con) == []


def test_a_rule_whose_rows_name_another_rule_fails_the_run(checked, config, tmp_path,
                                                          monkeypatch):
    """A rule's failing rows go straight into the run's collection and are counted there
    by the rule's id: rows labelled with another rule's id would be counted for that
    rule, so the run stops, storing nothing."""
    con, _ = checked
    before = _stored_counts(con)
    _add_rule(monkeypatch, tmp_path, "mislabelled", "labels its rows as another rule",
              "select 'straight_lined' as rule_id, 'warning' as severity,\n"
              "    'staging.measurements' as table_name, form_id, 'copied' as reason\n"
              "from chk_forms\n")
    with pytest.raises(check_run.CheckError, match="rule mislabelled .*another rule id"):
        run_checks(con, config)
    assert _stored_counts(con) == before
    assert _helpers_left(con) == []


def test_a_relation_several_rules_check_is_counted_once(tmp_path, config, monkeypatch):
    """n_checked per rule as before (both forms for every rule that checks chk_forms),
    with each checked relation counted once a run."""
    counted: list[str] = []
    count = check_run._relation_counts

    def recording(con, relation):
        counted.append(relation)
        return count(con, relation)

    monkeypatch.setattr(check_run, "_relation_counts", recording)
    con = duckdb.connect(str(tmp_path / "counted.duckdb"))
    write_two_courses(con)
    run = build_and_check(con, config, AS_OF)
    assert sorted(counted) == sorted(set(counted))
    checking_forms = [r for r in check_run.discover_rules() if "chk_forms" in r.checked]
    assert len(checking_forms) >= 8 and counted.count("chk_forms") == 1
    for rule in (r for r in checking_forms if r.checked == ("chk_forms",)):
        assert run.result(rule.rule_id, rule.table).n_checked == 2, rule.rule_id
    # orphan_row counts forms and courses against staging.measurements
    assert run.result("orphan_row", "staging.measurements").n_checked == 4
    con.close()


def test_a_later_run_of_another_scope_does_not_lift_a_block(tmp_path, config):
    """An organisation run blocks familie_nord (C1's out-of-range answer); a later run of
    team unge_syd checked none of familie_nord's rows: familie_nord's decks keep the
    organisation run's block (they were rendered as ready, with "no quality run"), and
    unge_syd's take its own run."""
    from pipeline.quality import quality_gate

    con = duckdb.connect(str(tmp_path / "scopes.duckdb"))
    write_two_courses(con)
    organisation = build_and_check(con, config, AS_OF)
    team_run = run_checks(con, config, scope_kind="team", scope_id="unge_syd")
    assert latest_run_id(con) == team_run.run_id
    nord = quality_gate(con, config, ("team", "familie_nord"), None)
    assert (nord.status, nord.run_id) == ("blocked", organisation.run_id)
    assert nord.reasons[0].startswith("1 row fails out_of_range")
    syd = quality_gate(con, config, ("team", "unge_syd"), None)
    assert (syd.status, syd.run_id) == ("warnings", team_run.run_id)
    # with only a narrower run stored, the scope is unchecked and the note says why
    con.execute("delete from quality.runs where run_id = ?", [organisation.run_id])
    alone = quality_gate(con, config, ("team", "familie_nord"), None)
    assert alone.status == "no quality run"
    assert alone.note == f"the latest quality run ({team_run.run_id}) covered team unge_syd only"
    con.close()

