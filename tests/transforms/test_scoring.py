"""Scoring rules against values worked out by hand.

One small staging dataset (hand-made rows, no ingest) is built once; each test reads the
scores it needs from ``int_scores`` / ``mart_citizen_progression``. Instruments are the
built-in ones from ``config/instruments.yaml``; the config facts each test relies on are
asserted in ``test_config_facts_used_below`` so a change to them fails loudly there.
"""

from __future__ import annotations

import math
from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from tests.support.staging import StagingWriter
from transforms.build import build

AS_OF = date(2025, 6, 30)
SDQ_TOTAL_ITEMS = [2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 18, 19, 21, 22, 23, 24, 25]
SDQ_REVERSED = {7, 11, 14, 21, 25}


def sdq_answers(total: int) -> list[float]:
    """25 SDQ answers (0-2) whose total difficulties score is ``total``: total items are
    filled in order with contribution 2 until the total is reached; reversed items answer
    2 - contribution; prosocial items answer 1."""
    answers = {item: 1.0 for item in range(1, 26)}
    remaining = total
    for item in SDQ_TOTAL_ITEMS:
        contribution = min(2, remaining)
        remaining -= contribution
        answers[item] = float(2 - contribution if item in SDQ_REVERSED else contribution)
    assert remaining == 0
    return [answers[i] for i in range(1, 26)]


def ors_answers(total: int) -> list[float]:
    """4 ORS answers (0-10) summing to ``total``, as even as possible."""
    base, extra = divmod(total, 4)
    return [float(base + (1 if i < extra else 0)) for i in range(4)]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    w = StagingWriter(con)
    # --- sums, missing items, cut-off per norm group (ORS, max_missing_items 0)
    w.course("c_ors_adult", "p1", "voksenstoette", "2024-01-01", gender="female", birth_year=1980)
    w.form("f_ors_sum", "c_ors_adult", "ors", "2024-01-01", [5, 6, 7, 9])  # 27
    w.form("f_ors_missing", "c_ors_adult", "ors", "2024-02-01", [5, None, 7, 8])
    w.course("c_ors_child", "p2", "boernegrupper", "2024-01-01", gender="male", birth_year=2015)
    w.form("f_ors_child", "c_ors_child", "ors", "2024-01-01", [5, 6, 7, 9])  # 27
    w.course("c_ors_youth", "p3", "ungepraktik", "2024-01-01", gender="male", birth_year=2008)
    w.form("f_ors_youth", "c_ors_youth", "ors", "2024-01-01", [8, 7, 7, 7])  # 29
    # item numbers outside the instrument's 1..4 are no items of the form
    w.course("c_ors_extra", "p13", "voksenstoette", "2024-01-01")
    w.form("f_ors_extra", "c_ors_extra", "ors", "2024-01-01", {0: 3, 1: 5, 2: 6, 3: 7, 4: 9, 5: 4})
    # --- SDQ: reversed items, subscales, proration, too many missing, bands
    w.course("c_sdq", "p4", "boernegrupper", "2024-01-01", gender="female", birth_year=2014)
    w.form("f_sdq_zero", "c_sdq", "sdq_p", "2024-01-01", [0] * 25, rater_role="parent")
    prorated = [1.0] * 25
    prorated[5 - 1] = 2.0  # item 5 (conduct) answered 2
    prorated[2 - 1] = None  # items 2 and 3 missing
    prorated[3 - 1] = None
    w.form("f_sdq_prorated", "c_sdq", "sdq_p", "2024-03-01", prorated)
    too_many = [1.0] * 25
    for item in (3, 8, 13):  # three emotional items missing
        too_many[item - 1] = None
    w.form("f_sdq_too_many", "c_sdq", "sdq_p", "2024-05-01", too_many)
    gap = [0.0] * 25
    for item in SDQ_REVERSED:
        gap[item - 1] = 2.0  # reversed items answered 2 count 0
    for item in SDQ_TOTAL_ITEMS[2:14]:  # 12 items count 1, items 2 and 3 missing
        gap[item - 1] = 1.0  # a reversed 1 also counts 1
    gap[2 - 1] = None
    gap[3 - 1] = None
    w.form("f_sdq_gap", "c_sdq", "sdq_p", "2024-07-01", gap)
    # --- mean (ASI): all answered, two missing allowed, three missing not
    w.course("c_asi", "p5", "voksenstoette", "2024-01-01", gender="male", birth_year=1975)
    w.form("f_asi_full", "c_asi", "asi", "2024-01-01", [1, 2, 3, 4, 0, 1, 3])
    w.form("f_asi_two_missing", "c_asi", "asi", "2024-04-01", [4, None, None, 2, 3, 1, 0])
    w.form("f_asi_three_missing", "c_asi", "asi", "2024-07-01", [4, None, None, None, 3, 1, 0])
    # --- YLS/CMI band (adolescent)
    w.course("c_yls", "p6", "ungepraktik", "2024-01-01", gender="male", birth_year=2008)
    w.form("f_yls", "c_yls", "yls_cmi", "2024-01-01", [1] * 10 + [0] * 32)
    # --- reliable change, Jacobson-Truax from SD and r (SDQ: SD 5.8, r 0.80)
    for course, first, second in [
        ("c_rci_recovered", 20, 12),
        ("c_rci_improved", 25, 15),
        ("c_rci_unchanged", 20, 14),
        ("c_rci_deteriorated", 10, 18),
    ]:
        w.course(course, "p_" + course, "boernegrupper", "2024-01-01")
        w.form(course + "_1", course, "sdq_p", "2024-01-01", sdq_answers(first))
        w.form(course + "_2", course, "sdq_p", "2024-06-20", sdq_answers(second))
    # --- reliable change, published points (ORS: 5 points, adult cut-off 25)
    w.course("c_ors_rc", "p7", "voksenstoette", "2024-01-01")
    w.form("f_ors_rc_1", "c_ors_rc", "ors", "2024-01-01", ors_answers(20))
    w.form("f_ors_rc_2", "c_ors_rc", "ors", "2024-04-01", ors_answers(24))
    w.form("f_ors_rc_3", "c_ors_rc", "ors", "2024-07-01", ors_answers(26))
    w.course("c_ors_down", "p8", "voksenstoette", "2024-01-01")
    w.form("f_ors_down_1", "c_ors_down", "ors", "2024-01-01", ors_answers(30))
    w.form("f_ors_down_2", "c_ors_down", "ors", "2024-04-01", ors_answers(24))
    # --- GAS T-scores from goals and ratings (rho 0.3)
    w.course("c_gas_zero", "p9", "spaedbarn", "2024-01-01")
    for g in ("g0a", "g0b", "g0c"):
        w.goal(g, "c_gas_zero", "family_relations")
        w.rating(g, "2024-01-05", 0)
    w.course("c_gas_weighted", "p10", "spaedbarn", "2024-01-01")
    for g, weight, level in [("gwa", 1, 1), ("gwb", 2, 0), ("gwc", 3, -1)]:
        w.goal(g, "c_gas_weighted", "health", weight=weight)
        w.rating(g, "2024-01-05", level)
    w.course("c_gas_carry", "p11", "spaedbarn", "2024-01-01")
    for g in ("gca", "gcb", "gcc"):
        w.goal(g, "c_gas_carry", "school_work")
    w.rating("gca", "2024-01-05", -1)
    w.rating("gcb", "2024-01-05", -1)
    w.rating("gcc", "2024-01-05", -1)
    w.rating("gca", "2024-03-05", 1)  # only goal a is re-rated on 5 March
    # a GAS form at start and an interim goal rating between forms (#14: one goal story)
    w.course("c_gas_mixed", "p12", "spaedbarn", "2024-01-01")
    for g in ("gma", "gmb"):
        w.goal(g, "c_gas_mixed", "health")
        w.rating(g, "2024-01-05", -1)  # the same day as the form: counted once (the form)
    w.form("f_gas_mixed_1", "c_gas_mixed", "gas", "2024-01-05", [-1, -1])
    w.rating("gma", "2024-03-05", 0)  # interim rating, no form that day
    # weighted goals (1 and 2) rated -2 and 0 at start with a GAS form the same day
    # giving the same levels, then rated again unchanged: the course has not moved
    w.course("c_gas_weighted_form", "p13", "spaedbarn", "2024-01-01")
    for g, weight, level in [("gfa", 1, -2), ("gfb", 2, 0)]:
        w.goal(g, "c_gas_weighted_form", "health", weight=weight)
        w.rating(g, "2024-01-05", level)
        w.rating(g, "2024-06-05", level)
    w.form("f_gas_weighted_1", "c_gas_weighted_form", "gas", "2024-01-05", [-2, 0])
    # a form on a day without ratings keeps its own (equal-weight) score
    w.form("f_gas_weighted_2", "c_gas_weighted_form", "gas", "2024-09-05", [-2, 0])
    w.flush()
    build(con, load_config(), as_of=AS_OF)
    yield con
    con.close()


def score_row(con: duckdb.DuckDBPyConnection, form_id: str, scale_id: str = "total") -> dict:
    rel = con.sql(
        "select * from int_scores where form_id = $form and scale_id = $scale",
        params={"form": form_id, "scale": scale_id},
    )
    rows = rel.fetchall()
    assert len(rows) == 1, (form_id, scale_id, rows)
    return dict(zip(rel.columns, rows[0], strict=True))


def rater(con: duckdb.DuckDBPyConnection, form_id: str) -> tuple:
    return con.sql(
        "select rater_role, is_citizen_rated from int_form_points where form_id = $form",
        params={"form": form_id},
    ).fetchone()


def test_config_facts_used_below() -> None:
    config = load_config()
    ors, sdq, asi, yls, gas = (
        config.instrument(i) for i in ("ors", "sdq_p", "asi", "yls_cmi", "gas")
    )
    assert (ors.scoring, ors.max_missing_items, ors.reliable_change_points) == ("sum", 0, 5)
    assert {k: g.cutoff for k, g in ors.norm_groups.items()} == {
        "adult": 25,
        "adolescent": 28,
        "child": 32,
    }
    assert sdq.reversed_items == sorted(SDQ_REVERSED) and sdq.total_items == SDQ_TOTAL_ITEMS
    assert (sdq.max_missing_items, sdq.norm_groups["child"].cutoff) == (2, 14)
    assert (sdq.norm_groups["child"].sd, sdq.norm_groups["child"].reliability) == (5.8, 0.80)
    assert (asi.scoring, asi.max_missing_items, asi.norm_groups["adult"].cutoff) == (
        "mean",
        2,
        2.0,
    )
    assert [b.label for b in yls.norm_groups["adolescent"].bands][:2] == ["low", "moderate"]
    assert gas.gas_rho == 0.3
    assert [i.norm_group for i in config.interventions] == [
        "adult",
        "adolescent",
        "child",
        "adult",
    ]


def test_sum_of_items(con) -> None:
    row = score_row(con, "f_ors_sum")
    assert row["score"] == 27  # 5 + 6 + 7 + 9
    assert row["is_prorated"] is False and row["no_score_reason"] is None


def test_missing_item_beyond_allowance_gives_no_score_with_reason(con) -> None:
    row = score_row(con, "f_ors_missing")
    assert row["score"] is None
    assert row["no_score_reason"] == "too_many_missing"
    assert row["n_items_missing"] == 1  # ORS allows none; a missing answer is never 0


def test_cutoff_per_norm_group(con) -> None:
    # the same total 27: adults (cut-off 25) functional, children (32) clinical
    assert score_row(con, "f_ors_sum")["cutoff"] == 25
    assert score_row(con, "f_ors_sum")["is_clinical"] is False
    assert score_row(con, "f_ors_child")["cutoff"] == 32
    assert score_row(con, "f_ors_child")["is_clinical"] is True
    # adolescents (28): 29 is functional
    assert score_row(con, "f_ors_youth")["cutoff"] == 28
    assert score_row(con, "f_ors_youth")["is_clinical"] is False


def test_reversed_items_and_subscales(con) -> None:
    # all answers 0: each reversed item counts 0 + 2 - 0 = 2
    assert score_row(con, "f_sdq_zero")["score"] == 10  # 5 reversed items x 2
    expected = {"emotional": 0, "conduct": 2, "hyperactivity": 4, "peer": 4, "prosocial": 0}
    for scale, value in expected.items():
        assert score_row(con, "f_sdq_zero", scale)["score"] == value, scale
    row = score_row(con, "f_sdq_zero")
    assert (row["band"], row["is_clinical"]) == ("normal", False)
    assert rater(con, "f_sdq_zero") == ("parent", False)


def test_item_numbers_outside_the_instrument_are_not_items(con) -> None:
    items = con.sql(
        "select item_no from int_form_items where form_id = 'f_ors_extra' order by item_no"
    ).fetchall()
    assert [i for (i,) in items] == [1, 2, 3, 4]
    assert score_row(con, "f_ors_extra")["score"] == 27  # 5 + 6 + 7 + 9; items 0 and 5 unread


def test_item_flags_follow_the_instrument_config(con) -> None:
    rows = con.sql(
        "select item_no, is_reversed, is_in_total, raw_value, scored_value "
        "from mart_citizen_item_responses where form_id = 'f_sdq_zero' "
        "and item_no in (1, 2, 7, 25) order by item_no"
    ).fetchall()
    assert rows == [
        (1, False, False, 0.0, 0.0),  # prosocial: not in the total difficulties score
        (2, False, True, 0.0, 0.0),
        (7, True, True, 0.0, 2.0),  # reversed: 0 + 2 - 0
        (25, True, True, 0.0, 2.0),
    ]


def test_prorated_sum(con) -> None:
    # 18 of 20 total items answered: seventeen 1s (reversed 1s count 1) and one 2 -> 19;
    # prorated = 19 / 18 x 20
    row = score_row(con, "f_sdq_prorated")
    assert row["score"] == pytest.approx(19 / 18 * 20)  # 21.11
    assert row["is_prorated"] is True and row["n_items_missing"] == 2
    assert (row["band"], row["is_clinical"]) == ("abnormal", True)
    # subscales by the same rule: emotional misses item 3 -> 4 answered 1s x 5 / 4
    assert score_row(con, "f_sdq_prorated", "emotional")["score"] == pytest.approx(5.0)
    assert score_row(con, "f_sdq_prorated", "conduct")["score"] == 6  # 2 + 1 + 1 + 1 + 1
    assert score_row(con, "f_sdq_prorated", "conduct")["is_prorated"] is False


def test_too_many_missing_in_total_and_subscale(con) -> None:
    total = score_row(con, "f_sdq_too_many")
    assert total["score"] is None and total["no_score_reason"] == "too_many_missing"
    emotional = score_row(con, "f_sdq_too_many", "emotional")
    assert emotional["score"] is None and emotional["no_score_reason"] == "too_many_missing"
    assert score_row(con, "f_sdq_too_many", "peer")["score"] == 5  # untouched subscale


def test_band_of_prorated_score_in_gap_is_lower_band(con) -> None:
    # 18 answered, twelve of them 1 -> 12 / 18 x 20 = 13.33, between bands 0-13 and 14-16
    row = score_row(con, "f_sdq_gap")
    assert row["score"] == pytest.approx(12 / 18 * 20)
    assert row["band"] == "normal" and row["is_clinical"] is False


def test_mean_scoring_and_missing_rule(con) -> None:
    assert score_row(con, "f_asi_full")["score"] == pytest.approx(2.0)  # 14 / 7
    assert score_row(con, "f_asi_full")["is_clinical"] is True  # 2.0 >= cut-off 2.0
    assert score_row(con, "f_asi_full", "alcohol")["score"] == 1
    two = score_row(con, "f_asi_two_missing")
    assert two["score"] == pytest.approx(2.0) and two["is_prorated"] is True  # 10 / 5
    three = score_row(con, "f_asi_three_missing")
    assert three["score"] is None and three["no_score_reason"] == "too_many_missing"
    drugs = score_row(con, "f_asi_three_missing", "drugs")
    assert drugs["score"] is None and drugs["no_score_reason"] == "no_items_answered"


def test_band_by_norm_group(con) -> None:
    row = score_row(con, "f_yls")
    assert row["score"] == 10 and row["band"] == "moderate"  # adolescent band 9-22
    assert rater(con, "f_yls") == ("staff", False)  # the instrument's rater if none given


S_DIFF_SDQ = 5.8 * math.sqrt(2) * math.sqrt(1 - 0.80)  # 3.6682


@pytest.mark.parametrize(
    ("course", "change", "rci_class"),
    [
        # 20 -> 12: RC = -8 / 3.668 = -2.18, reliable; from clinical (>= 14) to functional
        ("c_rci_recovered", -8, "recovered"),
        # 25 -> 15: RC = -2.73, reliable, but 15 is still >= 14
        ("c_rci_improved", -10, "reliably_improved"),
        # 20 -> 14: RC = -1.64, not reliable
        ("c_rci_unchanged", -6, "unchanged"),
        # 10 -> 18: RC = +2.18, higher is worse
        ("c_rci_deteriorated", 8, "reliably_deteriorated"),
    ],
)
def test_reliable_change_jacobson_truax(con, course: str, change: int, rci_class: str) -> None:
    assert S_DIFF_SDQ == pytest.approx(3.6682, abs=1e-4)
    row = score_row(con, course + "_2")
    assert row["change_since_start"] == change
    assert row["improvement_since_start"] == -change  # higher is worse
    assert row["s_diff"] == pytest.approx(S_DIFF_SDQ)
    assert row["rci"] == pytest.approx(change / S_DIFF_SDQ)
    assert row["reliable_change_points"] == pytest.approx(1.96 * S_DIFF_SDQ)  # 7.19
    assert row["rci_class"] == rci_class
    baseline = score_row(con, course + "_1")
    assert baseline["is_baseline"] is True and baseline["rci_class"] is None


def test_reliable_change_published_points_and_change_since_last(con) -> None:
    second = score_row(con, "f_ors_rc_2")
    assert (second["change_since_start"], second["rci_class"]) == (4, "unchanged")  # < 5
    third = score_row(con, "f_ors_rc_3")
    assert third["change_since_start"] == 6 and third["change_since_last"] == 2
    assert third["reliable_change_points"] == 5 and third["rci"] is None
    # 20 (below adult cut-off 25) -> 26 (at or above): reliable improvement across the cut-off
    assert third["rci_class"] == "recovered"
    down = score_row(con, "f_ors_down_2")
    assert (down["change_since_start"], down["rci_class"]) == (-6, "reliably_deteriorated")


def test_gas_t_score_all_goals_at_expected_level_is_50(con) -> None:
    rows = con.sql(
        "select score, n_items_answered from int_scores "
        "where course_id = 'c_gas_zero' and instrument_id = 'gas'"
    ).fetchall()
    assert rows == [(50.0, 3)]


def test_gas_t_score_with_weights(con) -> None:
    # weights 1, 2, 3 at levels +1, 0, -1: sum(w x) = 1 - 3 = -2;
    # sqrt(0.7 x (1 + 4 + 9) + 0.3 x 6^2) = sqrt(9.8 + 10.8) = sqrt(20.6) = 4.5387
    # T = 50 + 10 x -2 / 4.5387 = 45.594
    (score,) = con.sql("select score from int_scores where course_id = 'c_gas_weighted'").fetchone()
    assert score == pytest.approx(45.594, abs=1e-3)


def test_gas_t_score_carries_goals_not_rerated(con) -> None:
    rows = con.sql(
        "select measured_on, score, n_items_answered from int_scores "
        "where course_id = 'c_gas_carry' order by measured_on"
    ).fetchall()
    # 5 Jan: three goals at -1: T = 50 + 10 x -3 / sqrt(0.7 x 3 + 0.3 x 9) = 50 - 30 / 2.1909
    # 5 Mar: goal a at +1, b and c still -1: T = 50 + 10 x -1 / 2.1909
    assert rows[0][1] == pytest.approx(36.307, abs=1e-3)
    assert rows[1][1] == pytest.approx(45.436, abs=1e-3)
    assert [r[2] for r in rows] == [3, 3]
    assert rows[1][0] == date(2024, 3, 5)


def test_gas_interim_goal_rating_becomes_a_gas_point_beside_the_forms(con) -> None:
    rows = con.sql(
        "select measured_on, starts_with(form_id, 'goals:'), score from int_scores "
        "where course_id = 'c_gas_mixed' order by measured_on"
    ).fetchall()
    # 5 Jan: the form (two goals at -1): T = 50 + 10 x -2 / sqrt(0.7 x 2 + 0.3 x 4)
    #   = 50 - 20 / 1.6125 = 37.597; the ratings of that day are not counted again.
    # 5 Mar: ratings only: goal a at 0, goal b still -1: T = 50 - 10 / 1.6125 = 43.798
    assert [(r[0], r[1]) for r in rows] == [(date(2024, 1, 5), False),  # the form
                                            (date(2024, 3, 5), True)]  # goal ratings
    assert rows[0][2] == pytest.approx(37.597, abs=1e-3)
    assert rows[1][2] == pytest.approx(43.798, abs=1e-3)


def test_a_gas_form_on_a_rating_day_is_scored_with_the_goals_weights(con) -> None:
    rows = con.sql(
        "select measured_on, form_id, score, change_since_start from int_scores "
        "where course_id = 'c_gas_weighted_form' order by measured_on"
    ).fetchall()
    # 5 Jan, form and ratings: weights 1 and 2 at -2 and 0:
    #   T = 50 + 10 x (1 x -2 + 2 x 0) / sqrt(0.7 x (1 + 4) + 0.3 x 3^2) = 50 - 20 / 2.4900
    #   = 41.968 (scored from the form's items with equal weights it would be 37.597)
    # 5 Jun, ratings only, the same levels: 41.968, no change
    # 5 Sep, a form without ratings that day: equal weights, 37.597
    assert [(r[0], r[1]) for r in rows] == [
        (date(2024, 1, 5), "f_gas_weighted_1"),
        (date(2024, 6, 5), "goals:c_gas_weighted_form:2024-06-05"),
        (date(2024, 9, 5), "f_gas_weighted_2")]
    assert [r[2] for r in rows] == [pytest.approx(41.968, abs=1e-3),
                                    pytest.approx(41.968, abs=1e-3),
                                    pytest.approx(37.597, abs=1e-3)]
    assert rows[1][3] == pytest.approx(0.0, abs=1e-9)


def test_progression_mart_carries_scores_and_rater(con) -> None:
    row = con.sql(
        "select instrument_name, score, rater_role, is_citizen_rated, band "
        "from mart_citizen_progression where form_id = 'f_ors_sum' and scale_id = 'total'"
    ).fetchone()
    assert row == ("ORS (Outcome Rating Scale)", 27.0, "citizen", True, None)
