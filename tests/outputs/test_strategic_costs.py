"""The cost model (int_costs_*, mart_costs_*, mart_strategic_overview) on hand-made rows.

Every expected value below is worked out by hand from the rows written in the fixture
(demo config: spaedbarn 520 kr./hour, ungepraktik 480 kr./hour and 45.000 kr. fixed per
quarter; k = 5; dominance share 0,5). Quarter 2025-Q4 has 92 days; a citizen month is
365,25 / 12 = 30,4375 days.

- spaedbarn: 6 courses 01.10-31.12.2025; activities 600 + 5 x 120 minutes (20 hours);
  export 2025-Q4: staff 15.000 kr. / 30 hours, fixed 50.000, per course 6.000. Staff =
  30 h (export hours win) x 520 = 15.600; total 71.600. ORS: 5 of 6 reliably improved in
  Q4; 6 goals reached (5 citizens), 7 assessed.
- ungepraktik: 6 courses in Q4; no export; activities 3.000 + 5 x 60 minutes (55 hours):
  staff 55 x 480 = 26.400, fixed from config 45.000; one course has 3.000 / 3.300 of the
  variable cost: the dominance rule hides the totals.
- boernegrupper: 3 courses: every amount hidden as a small cell.
- voksenstoette (its rate removed from the config): 6 courses, one spanning Q4 and Q1,
  one open from 15.01.2026; export staff 9.999 kr. (used as it is), per course 1.001;
  4 citizens improved: cost per citizen improved hidden (4 < 5).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from datadialog.config_load import load_config
from tests.support.staging import StagingWriter
from transforms.build import build

Q4 = "2025-Q4"
DAYS_PER_MONTH = 365.25 / 12
AS_OF = date(2026, 3, 2)


def ors(total: int) -> list[int]:
    base, extra = divmod(total, 4)
    return [base + (1 if i < extra else 0) for i in range(4)]


def strategic_config():
    """The demo config with voksenstoette's rate removed (the no-rate path)."""
    config = load_config()
    rates = [r for r in config.costs.rates if r.intervention != "voksenstoette"]
    return config.model_copy(update={"costs": config.costs.model_copy(update={"rates": rates})})


def write_rows(con) -> None:
    """The hand-made staging rows of the module docstring (shared with the deck tests)."""
    w = StagingWriter(con)
    # spaedbarn: six courses in Q4, 20 activity hours, export with 30 paid hours
    for i in range(6):
        c = f"s{i}"
        w.course(c, f"ps{i}", "spaedbarn", "2025-10-01", "2025-12-31", "completed_planned",
                 team_id="familie_nord", gender="female", birth_year=1995)
        w.activity(c, "2025-10-15", "Hjemmebesøg", 600 if i == 0 else 120, "st1")
        after = 22 if i < 5 else 21  # +8 points is reliable (ORS: 5 points); +1 is not
        w.form(f"{c}_o1", c, "ors", "2025-10-01", ors(14 if i < 5 else 20))
        w.form(f"{c}_o2", c, "ors", "2025-12-20", ors(after))
        goals = [f"g{i}a", f"g{i}b"] if i == 0 else [f"g{i}a"]
        for g in goals:
            w.goal(g, c, "family_relations", "progression")
            w.rating(g, "2025-10-05", -1)
            w.rating(g, "2025-12-15", 0 if i < 5 else -1)
    w.cost("spaedbarn", Q4, "staff", 15000, hours=30)
    w.cost("spaedbarn", Q4, "fixed", 50000)
    w.cost("spaedbarn", Q4, "per_course", 6000)
    # ungepraktik: one course with nearly all the staff time, no cost export
    for i in range(6):
        c = f"u{i}"
        w.course(c, f"pu{i}", "ungepraktik", "2025-10-01", "2025-12-31", "completed_planned",
                 team_id="unge_syd", gender="male", birth_year=2009)
        w.activity(c, "2025-11-03", "Mentorsamtale", 3000 if i == 0 else 60, "st2")
    # boernegrupper: three courses only
    for i in range(3):
        c = f"b{i}"
        w.course(c, f"pb{i}", "boernegrupper", "2025-10-01", "2025-12-31", "completed_planned")
    w.cost("boernegrupper", Q4, "staff", 5000, hours=10)
    # voksenstoette: no rate in the config; a course across two quarters, one open
    w.course("v0", "pv0", "voksenstoette", "2025-11-15", "2026-02-10", "dropped_out")
    for i in range(1, 5):
        w.course(f"v{i}", f"pv{i}", "voksenstoette", "2025-10-01", "2025-12-31",
                 "completed_planned")
        w.form(f"v{i}_o1", f"v{i}", "ors", "2025-10-02", ors(12))
        w.form(f"v{i}_o2", f"v{i}", "ors", "2025-12-10", ors(19))
    w.course("v5", "pv5", "voksenstoette", "2026-01-15")
    w.cost("voksenstoette", Q4, "staff", 9999, hours=20)
    w.cost("voksenstoette", Q4, "per_course", 1001)
    w.flush()


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    write_rows(con)
    build(con, strategic_config(), as_of=AS_OF)
    yield con
    con.close()


def one(con, sql: str, *params):
    cur = con.execute(sql, list(params))
    columns = [d[0] for d in cur.description]
    row = cur.fetchone()
    assert row is not None, sql
    return dict(zip(columns, row, strict=True))


def test_course_quarters_split_days_and_minutes(con) -> None:
    rows = con.execute(
        "select course_id, quarter, days_in_course, citizen_months, activity_minutes "
        "from int_costs_course_quarters where course_id in ('s0', 'v0', 'v5') "
        "order by course_id, quarter").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("s0", Q4, 92),
        ("v0", Q4, 47),  # 15.11-31.12: 16 + 31 days
        ("v0", "2026-Q1", 41),  # 01.01-10.02
        ("v5", "2026-Q1", 47),  # open: 15.01 up to the as-of date 02.03 (17 + 28 + 2)
    ]
    assert rows[0][3] == pytest.approx(92 / DAYS_PER_MONTH)
    assert rows[0][4] == 600


def test_staff_cost_is_export_hours_times_rate(con) -> None:
    r = one(con, "select * from int_costs_by_quarter where intervention_id = 'spaedbarn' "
                 "and quarter = ?", Q4)
    assert r["activity_hours"] == pytest.approx(20.0)
    assert r["staff_hours"] == 30 and r["staff_hours_source"] == "export"
    assert r["staff_cost_source"] == "export_hours_x_rate"
    assert r["staff_cost_dkk"] == pytest.approx(30 * 520)  # not the exported 15.000
    assert r["export_staff_dkk"] == 15000
    assert r["fixed_cost_dkk"] == 50000 and r["fixed_cost_source"] == "export"
    assert r["per_course_cost_dkk"] == 6000 and r["per_course_cost_source"] == "export"
    assert r["variable_cost_dkk"] == pytest.approx(21600)
    assert r["total_cost_dkk"] == pytest.approx(71600)
    assert (r["n_courses"], r["n_citizens"]) == (6, 6)
    assert r["citizen_months"] == pytest.approx(6 * 92 / DAYS_PER_MONTH)
    assert r["is_complete_quarter"] is True


def test_without_export_activity_minutes_times_rate_and_config_fixed(con) -> None:
    r = one(con, "select * from int_costs_by_quarter where intervention_id = 'ungepraktik' "
                 "and quarter = ?", Q4)
    assert r["staff_hours"] == pytest.approx(55.0) and r["staff_hours_source"] == "activities"
    assert r["staff_cost_source"] == "activity_hours_x_rate"
    assert r["staff_cost_dkk"] == pytest.approx(55 * 480)
    assert r["fixed_cost_dkk"] == 45000 and r["fixed_cost_source"] == "config"
    assert r["per_course_cost_dkk"] == 0 and r["per_course_cost_source"] == "none"
    assert r["total_cost_dkk"] == pytest.approx(26400 + 45000)


def test_without_rate_the_exported_amount_is_used(con) -> None:
    r = one(con, "select * from int_costs_by_quarter where intervention_id = 'voksenstoette' "
                 "and quarter = ?", Q4)
    assert r["hourly_rate_dkk"] is None
    assert r["staff_cost_source"] == "export_amount" and r["staff_cost_dkk"] == 9999
    assert r["fixed_cost_dkk"] is None and r["fixed_cost_source"] is None
    assert r["total_cost_dkk"] == pytest.approx(11000)
    assert (r["n_courses"], r["n_citizens"]) == (5, 5)  # v5 starts in Q1
    assert r["citizen_months"] == pytest.approx((47 + 4 * 92) / DAYS_PER_MONTH)


def test_course_shares(con) -> None:
    shares = dict(con.execute(
        "select course_id, share_of_variable_cost from int_costs_course_shares "
        "where quarter = ? and course_id in ('s0', 's1', 'u0', 'v1')", [Q4]).fetchall())
    # s0: half the minutes of 15.600 staff + a sixth of 6.000 = 8.800 of 21.600
    assert shares["s0"] == pytest.approx(8800 / 21600)
    assert shares["s1"] == pytest.approx((15600 * 120 / 1200 + 1000) / 21600)
    assert shares["u0"] == pytest.approx(3000 / 3300)
    assert shares["v1"] == pytest.approx(0.2)  # no minutes: equal shares of 9.999 + 1.001
    cost = one(con, "select * from int_costs_course_shares where course_id = 's0'")
    assert cost["activity_cost_dkk"] == pytest.approx(10 * 520)
    assert cost["course_cost_dkk"] == pytest.approx(8800)


def test_mart_costs_shown(con) -> None:
    r = one(con, "select * from mart_costs_by_quarter where intervention_id = 'spaedbarn' "
                 "and quarter = ?", Q4)
    assert r["is_suppressed"] is False and r["suppression_reason"] is None
    assert r["is_dominated"] is False and r["dominance_share_limit"] == 0.5
    assert r["total_cost_dkk"] == pytest.approx(71600)
    assert r["staff_cost_dkk"] == pytest.approx(15600)
    assert r["n_citizen_months"] == pytest.approx(6 * 92 / DAYS_PER_MONTH)


def test_dominance_rule_hides_a_total_driven_by_one_course(con) -> None:
    r = one(con, "select * from mart_costs_by_quarter where intervention_id = 'ungepraktik' "
                 "and quarter = ?", Q4)
    assert r["is_suppressed"] is True and r["suppression_reason"] == "dominance"
    assert r["is_dominated"] is True
    for column in ("total_cost_dkk", "staff_cost_dkk", "variable_cost_dkk",
                   "per_course_cost_dkk", "n_staff_hours", "n_activity_hours", "n_activities"):
        assert r[column] is None, column
    assert r["fixed_cost_dkk"] == 45000  # not attributable to a course: stays
    assert (r["n_courses"], r["n_citizens"]) == (6, 6)
    units = con.execute(
        "select distinct is_suppressed, suppression_reason, cost_per_unit_dkk, total_cost_dkk "
        "from mart_costs_per_unit where intervention_id = 'ungepraktik' and quarter = ?",
        [Q4]).fetchall()
    assert units == [(True, "dominance", None, None)]
    total = one(con, "select * from mart_strategic_overview where intervention_id = "
                     "'ungepraktik' and quarter = ? and measure = 'total_cost'", Q4)
    assert total["suppression_reason"] == "dominance" and total["measure_value"] is None


def test_small_cell_hides_costs_and_counts(con) -> None:
    r = one(con, "select * from mart_costs_by_quarter where intervention_id = 'boernegrupper' "
                 "and quarter = ?", Q4)
    assert r["suppression_reason"] == "small_cell"
    assert r["n_citizens"] is None and r["total_cost_dkk"] is None
    assert r["fixed_cost_dkk"] == 30000  # from the config: not about a citizen


def test_unit_costs(con) -> None:
    rows = {(r[0], r[1]): r[2:] for r in con.execute(
        "select metric, coalesce(instrument_id, '-'), is_suppressed, suppression_reason, "
        "n_units, n_citizens, cost_per_unit_dkk from mart_costs_per_unit "
        "where intervention_id = 'spaedbarn' and quarter = ?", [Q4]).fetchall()}
    assert rows[("cost_per_course", "-")][:4] == (False, None, 6, 6)
    assert rows[("cost_per_course", "-")][4] == pytest.approx(71600 / 6)
    months = 6 * 92 / DAYS_PER_MONTH
    assert rows[("cost_per_citizen_month", "-")][2] == pytest.approx(months)
    assert rows[("cost_per_citizen_month", "-")][4] == pytest.approx(71600 / months)
    assert rows[("cost_per_citizen_improved", "ors")][:4] == (False, None, 5, 5)
    assert rows[("cost_per_citizen_improved", "ors")][4] == pytest.approx(71600 / 5)
    assert rows[("cost_per_goal_reached", "-")][:4] == (False, None, 6, 5)
    assert rows[("cost_per_goal_reached", "-")][4] == pytest.approx(71600 / 6)


def test_unit_cost_hidden_when_few_citizens_improved(con) -> None:
    rows = {r[0]: r[1:] for r in con.execute(
        "select coalesce(instrument_id, metric), is_suppressed, suppression_reason, "
        "cost_per_unit_dkk from mart_costs_per_unit where intervention_id = 'voksenstoette' "
        "and quarter = ?", [Q4]).fetchall()}
    assert rows["ors"] == (True, "small_cell", None)  # 4 improved < 5
    assert rows["asi"] == (True, "small_cell", None)  # nobody measured on ASI
    assert rows["cost_per_course"][:2] == (False, None)
    assert rows["cost_per_course"][2] == pytest.approx(11000 / 5)


def test_a_share_beside_a_unit_cost_hidden_for_few_units_is_hidden_too() -> None:
    """The rows above, and voksenstoette's v0 measured twice without change: 5 measured on
    ORS in Q4, 4 improved. The cost per improved citizen is hidden (4 < 5); the share
    (4 / 5 = 80 %) times the courses measured would give the 4 back, and with the total
    cost the hidden unit cost: hidden as complementary. spaedbarn's 5 of 6 improved (not
    small) keep both."""
    con = duckdb.connect()
    write_rows(con)
    w = StagingWriter(con)
    w.form("v0_o1", "v0", "ors", "2025-11-16", ors(15))
    w.form("v0_o2", "v0", "ors", "2025-12-20", ors(15))
    w.flush()
    build(con, strategic_config(), as_of=AS_OF)
    rc = one(con, "select * from mart_reliable_change_by_quarter where intervention_id = "
                  "'voksenstoette' and instrument_id = 'ors' and period = ?", Q4)
    assert (rc["is_suppressed"], rc["n_courses"], rc["n_improved"]) == (False, 5, 4)
    rows = {r[0]: r[1:] for r in con.execute(
        "select intervention_id, is_suppressed, suppression_reason, n_units, measure_value "
        "from mart_strategic_overview where measure = 'share_improved' and quarter = ?",
        [Q4]).fetchall()}
    assert rows["voksenstoette"] == (True, "complementary", None, None)
    assert rows["spaedbarn"][:3] == (False, None, 6)
    total = one(con, "select * from mart_strategic_overview where intervention_id = "
                     "'voksenstoette' and quarter = ? and measure = 'total_cost'", Q4)
    assert total["is_suppressed"] is False and total["measure_value"] > 0
    con.close()


def test_results_by_quarter(con) -> None:
    rows = con.execute(
        "select intervention_id, result, instrument_id, n_results, n_citizens "
        "from int_costs_results_by_quarter where quarter = ? order by all", [Q4]).fetchall()
    assert rows == [
        ("spaedbarn", "citizen_improved", "ors", 5, 5),
        ("spaedbarn", "goal_reached", None, 6, 5),
        ("voksenstoette", "citizen_improved", "ors", 4, 4),
    ]


def test_headline_instrument(con) -> None:
    rows = con.execute("select intervention_id, instrument_id from "
                       "int_costs_outcome_instruments where is_headline order by 1").fetchall()
    # ORS is in all four plans; YLS/CMI, SDQ and ASI in one each
    assert rows == [("boernegrupper", "ors"), ("spaedbarn", "ors"), ("ungepraktik", "ors"),
                    ("voksenstoette", "ors")]


def test_overview_side_by_side(con) -> None:
    rows = {r[0]: r[1:] for r in con.execute(
        "select measure, is_suppressed, n_citizens, n_units, measure_value, ci_low, ci_high "
        "from mart_strategic_overview where intervention_id = 'spaedbarn' and quarter = ?",
        [Q4]).fetchall()}
    assert rows["citizens_active"][:4] == (False, 6, None, 6)
    improved = rows["share_improved"]
    assert improved[:3] == (False, 6, 6) and improved[3] == pytest.approx(5 / 6)
    rc = one(con, "select * from mart_reliable_change_by_quarter where intervention_id = "
                  "'spaedbarn' and instrument_id = 'ors' and period = ?", Q4)
    assert (improved[4], improved[5]) == (rc["ci_low"], rc["ci_high"])
    goals = rows["share_goals_reached"]
    assert goals[:3] == (False, 6, 7) and goals[3] == pytest.approx(6 / 7)
    assert goals[4] < 6 / 7 < goals[5]
    assert rows["total_cost"][3] == pytest.approx(71600)
    assert rows["cost_per_citizen_improved"][3] == pytest.approx(71600 / 5)
    assert [r[0] for r in con.execute(
        "select measure from mart_strategic_overview where intervention_id = 'spaedbarn' "
        "and quarter = ? order by measure_order", [Q4]).fetchall()] == [
        "citizens_active", "share_improved", "share_goals_reached", "total_cost",
        "cost_per_course", "cost_per_citizen_month", "cost_per_citizen_improved",
        "cost_per_goal_reached"]


def test_unit_cost_interval_from_the_wilson_interval_of_the_results(con) -> None:
    # spaedbarn Q4: 5 of 6 citizens measured on ORS improved; total 71.600 kr.
    # Wilson 95 % (z = 1,96) for 5/6: centre 5/6 + z²/12 = 1,15347; half-width
    # z * sqrt(5/6 * 1/6 / 6 + z²/144) = 0,43751; divided by 1 + z²/6 = 1,64027:
    # [0,43649; 0,96995]. Cost per improved: 71.600 / (6 * 0,96995) = 12.303 kr. to
    # 71.600 / (6 * 0,43649) = 27.339 kr., around 71.600 / 5 = 14.320 kr.
    r = one(con, "select * from mart_costs_per_unit where intervention_id = 'spaedbarn' "
                 "and quarter = ? and metric = 'cost_per_citizen_improved' "
                 "and instrument_id = 'ors'", Q4)
    assert (r["n_units"], r["n_citizens"], r["n_base"]) == (5, 5, 6)
    assert r["cost_per_unit_dkk"] == pytest.approx(14320)
    assert r["ci_low_dkk"] == pytest.approx(12303.07, abs=0.5)
    assert r["ci_high_dkk"] == pytest.approx(27339.27, abs=0.5)
    # goals: 6 of 7 assessed reached. Wilson for 6/7: centre 6/7 + z²/14 = 1,13154;
    # half-width z * sqrt(6/7 * 1/7 / 7 + z²/196) = 0,37749; / (1 + z²/7 = 1,54880):
    # [0,48686; 0,97432] -> 71.600 / (7 * 0,97432) = 10.498 .. 71.600 / (7 * 0,48686)
    # = 21.009 kr.
    goal = one(con, "select * from mart_costs_per_unit where intervention_id = 'spaedbarn' "
                    "and quarter = ? and metric = 'cost_per_goal_reached'", Q4)
    assert (goal["n_units"], goal["n_base"]) == (6, 7)
    assert goal["ci_low_dkk"] == pytest.approx(10498.15, abs=0.5)
    assert goal["ci_high_dkk"] == pytest.approx(21009.03, abs=0.5)
    # counted units have no interval
    course = one(con, "select * from mart_costs_per_unit where intervention_id = 'spaedbarn' "
                      "and quarter = ? and metric = 'cost_per_course'", Q4)
    assert course["n_base"] is None and course["ci_low_dkk"] is None
    # a hidden row carries no interval and no base
    hidden = one(con, "select * from mart_costs_per_unit where intervention_id = "
                      "'voksenstoette' and quarter = ? and instrument_id = 'ors'", Q4)
    assert hidden["is_suppressed"] and hidden["n_base"] is None
    assert hidden["ci_low_dkk"] is None and hidden["ci_high_dkk"] is None
    # the overview carries the same interval for the deck
    ov = one(con, "select * from mart_strategic_overview where intervention_id = 'spaedbarn' "
                  "and quarter = ? and measure = 'cost_per_citizen_improved'", Q4)
    assert (ov["ci_low"], ov["ci_high"]) == (r["ci_low_dkk"], r["ci_high_dkk"])


def test_results_carry_what_they_are_a_share_of(con) -> None:
    rows = con.execute(
        "select intervention_id, result, n_results, n_base from int_costs_results_by_quarter "
        "where quarter = ? order by all", [Q4]).fetchall()
    # spaedbarn: 6 measured on ORS (5 improved), 7 goals assessed (6 reached);
    # voksenstoette: 4 measured, all 4 improved
    assert rows == [("spaedbarn", "citizen_improved", 5, 6), ("spaedbarn", "goal_reached", 6, 7),
                    ("voksenstoette", "citizen_improved", 4, 4)]


def test_cost_small_cells_follow_the_one_macro_and_its_k() -> None:
    # with k = 7 the six citizens of spaedbarn are a small cell in both cost marts
    config = strategic_config()
    config = config.model_copy(update={"privacy": config.privacy.model_copy(
        update={"small_cell_k": 7})})
    con = duckdb.connect()
    write_rows(con)
    build(con, config, as_of=AS_OF)
    r = one(con, "select * from mart_costs_by_quarter where intervention_id = 'spaedbarn' "
                 "and quarter = ?", Q4)
    assert r["suppression_reason"] == "small_cell" and r["total_cost_dkk"] is None
    assert r["n_citizens"] is None and r["n_staff_hours"] is None
    assert r["fixed_cost_dkk"] == 50000
    units = con.execute("select distinct suppression_reason, cost_per_unit_dkk, n_units "
                        "from mart_costs_per_unit where intervention_id = 'spaedbarn' "
                        "and quarter = ?", [Q4]).fetchall()
    assert units == [("small_cell", None, None)]
    con.close()


def test_no_cost_mart_compares_with_k_itself() -> None:
    # the small-cell rule lives in macros/suppression.sql only; the cost marts call it
    sql = Path(__file__).parents[2] / "transforms" / "sql"
    for name in ("mart_costs_by_quarter", "mart_costs_per_unit", "mart_strategic_overview"):
        text = (sql / "marts" / f"{name}.sql").read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
        assert "small_cell_k" not in body, name
        assert "suppress_small_cells(" in body, name
