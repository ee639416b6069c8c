"""Completeness and timeliness on one hand-made course, judged on 2025-10-01.

Course T (spaedbarn, open, started 2025-06-02). Its plan (config/measurement_plan.yaml):
start ors, srs, gas due 2025-06-02 (+/- 14 days, so on time until 06-16); mid ors, srs,
kik due start + 90 = 2025-08-31 (+/- 21, until 09-21); end and fu6 wait for the course
end. Forms: ors 06-03 (on time), srs 06-25 (23 days after due: late, inside the
assignment window of 14 x 3 = 42), ors 09-01 (mid, on time). So 6 points are due,
3 collected (completeness 3/6 = 50 %), 2 of the 3 on time (timeliness 2/3 = 67 %);
missing: gas at start, srs and kik at mid; late: srs at start.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from checks.run import run_checks
from checks.settings import CheckSettings
from datadialog.config_load import load_config
from tests.support.checks import build_and_check, pseudonym
from tests.support.staging import StagingWriter

AS_OF = date(2025, 10, 1)


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def checked(tmp_path_factory, config):
    con = duckdb.connect(str(tmp_path_factory.mktemp("timely") / "timely.duckdb"))
    w = StagingWriter(con)
    w.course("T", pseudonym(10), "spaedbarn", "2025-06-02", team_id="familie_nord")
    w.form("T1", "T", "ors", "2025-06-03", [4, 5, 5, 6], staff_id="bo")
    w.form("T2", "T", "srs", "2025-06-25", [8, 8, 9, 9], staff_id="bo")
    w.form("T3", "T", "ors", "2025-09-01", [6, 6, 7, 7], staff_id="bo")
    w.flush()
    return con, build_and_check(con, config, AS_OF)


def rows(con, run_id, rule_id, cols="instrument_id, point_id"):
    return con.execute(
        f"select {cols} from quality.failures where run_id = ? and rule_id = ? order by 1, 2",
        [run_id, rule_id],
    ).fetchall()


def test_missing_and_late_points(checked):
    con, run = checked
    assert rows(con, run.run_id, "missing_measurement") == [
        ("gas", "start"),
        ("kik", "mid"),
        ("srs", "mid"),
    ]
    assert rows(con, run.run_id, "late_measurement", "form_id, observed") == [("T2", 23.0)]
    assert run.result("missing_measurement").n_checked == 6  # due points
    assert run.result("late_measurement").n_checked == 3  # collected points


def test_rates_by_group(checked):
    con, run = checked
    metrics = con.execute(
        "select metric_id, group_kind, group_id, numerator, denominator, value, "
        "is_below_target from quality.metrics where run_id = ? "
        "and metric_id in ('completeness', 'timeliness') and group_kind <> 'month' "
        "order by metric_id, group_kind",
        [run.run_id],
    ).fetchall()
    half, two_thirds = pytest.approx(0.5), pytest.approx(2 / 3)
    assert metrics == [
        ("completeness", "all", "all", 3, 6, half, True),
        ("completeness", "intervention", "spaedbarn", 3, 6, half, True),
        ("completeness", "staff", "bo", 3, 6, half, True),
        ("completeness", "team", "familie_nord", 3, 6, half, True),
        ("timeliness", "all", "all", 2, 3, two_thirds, True),
        ("timeliness", "intervention", "spaedbarn", 2, 3, two_thirds, True),
        ("timeliness", "staff", "bo", 2, 3, two_thirds, True),
        ("timeliness", "team", "familie_nord", 2, 3, two_thirds, True),
    ]
    # months of the due dates: June 2025 (3 due, 2 collected), August 2025 (3 due, 1)
    months = con.execute(
        "select group_id, numerator, denominator from quality.metrics where run_id = ? "
        "and metric_id = 'completeness' and group_kind = 'month' order by 1",
        [run.run_id],
    ).fetchall()
    assert months == [("2025-06", 2, 3), ("2025-08", 1, 3)]


def test_team_gate_caveat(checked):
    _, run = checked
    gate = run.gate("team", "familie_nord")
    assert not gate.blocked
    assert ("Kun 50 % af de planlagte målinger i alt (alle perioder) er indsamlet "
            "(mål: 90 %).") in gate.caveats_for(
        "mart_progression_by_point"
    )
    assert "3 planlagte målinger mangler; tallene bygger kun på de indsamlede." in (
        gate.caveats_for("mart_group_comparison")
    )
    assert run.gate("team", "unge_syd").caveats == {}


def test_lower_targets_clear_the_rate_warnings(checked, config):
    con, _ = checked
    # 50 % is not below a 50 % target, 67 % not below 60 %
    settings = CheckSettings.from_config(config, completeness_target=0.5, timeliness_target=0.6)
    run = run_checks(con, config, settings=settings)
    assert run.n_failed("completeness_below_target") == 0
    assert run.n_failed("timeliness_below_target") == 0
    # ... and groups smaller than rate_min_due are not judged at all
    settings = CheckSettings.from_config(config, rate_min_due=7)
    run = run_checks(con, config, settings=settings)
    assert run.n_failed("completeness_below_target") == 0


def test_nothing_is_due_before_it_falls_due(tmp_path, config):
    """Judged on 2025-06-10, only the start points are inside their window: none overdue."""
    con = duckdb.connect(str(tmp_path / "early.duckdb"))
    w = StagingWriter(con)
    w.course("T", pseudonym(10), "spaedbarn", "2025-06-02", team_id="familie_nord")
    w.form("T1", "T", "ors", "2025-06-03", [4, 5, 5, 6], staff_id="bo")
    w.flush()
    run = build_and_check(con, config, date(2025, 6, 10))
    assert run.n_failed("missing_measurement") == 0
    assert run.result("missing_measurement").n_checked == 1  # only the collected ors
