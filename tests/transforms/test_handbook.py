"""The handbook's example figures, rebuilt from hand-made staging rows.

Each group has at least 5 citizens, so nothing is suppressed. Figures:
- fig. 5: ASI alcohol baseline by gender: men 2.5 then 2.8, women 2.1 then 2.6;
- fig. 6: family relations 25 / 19 / 17 / 26 / 13 % over the five categories;
- fig. 8: YLS/CMI with mediation: larger drop; one year later +1 vs +5 without;
- fig. 9: ages 16-17 start 2 points higher; 14-15 improve 17 points vs 11.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from tests.support.staging import StagingWriter
from transforms.build import build

OFFSETS = [-2, -1, 0, 1, 2]  # spread around each group mean; they sum to 0


def ors_answers(total: int) -> list[int]:
    base, extra = divmod(total, 4)
    return [base + (1 if i < extra else 0) for i in range(4)]


def yls_answers(total: int) -> list[int]:
    return [1] * total + [0] * (42 - total)


def add_fig5(w: StagingWriter) -> None:
    """ASI alcohol (item 1) at start, voksenstoette, 2023 and 2024 starters."""
    groups = {
        ("male", 2023): [2, 3, 2, 3, 2, 3],  # 15 / 6 = 2.5
        ("female", 2023): [2] * 9 + [3],  # 21 / 10 = 2.1
        ("male", 2024): [3, 3, 3, 3, 2],  # 14 / 5 = 2.8
        ("female", 2024): [3, 3, 3, 2, 2],  # 13 / 5 = 2.6
    }
    for (gender, year), values in groups.items():
        for i, value in enumerate(values):
            course = f"asi_{gender}_{year}_{i}"
            start = date(year, 3, 1)
            w.course(course, "p_" + course, "voksenstoette", start, gender=gender, birth_year=1980)
            w.form(course, course, "asi", start, {1: value})


def add_fig6(w: StagingWriter) -> None:
    """100 family-relations goals, one per citizen, with 25/19/17/26/13 per category."""
    kinds = [
        ("reached", 25, "progression", -1, 0),
        ("developing", 19, "progression", -2, -1),
        ("maintained", 17, "maintenance", 0, 0),
        ("stuck", 26, "progression", -1, -1),
        ("worse", 13, "progression", -1, -2),
    ]
    for label, count, goal_type, first, last in kinds:
        for i in range(count):
            course = f"goal_{label}_{i}"
            w.course(course, "p_" + course, "boernegrupper", "2024-02-01", birth_year=2015)
            w.goal("g_" + course, course, "family_relations", goal_type)
            w.rating("g_" + course, "2024-02-05", first)
            w.rating("g_" + course, "2024-08-05", last)


def add_figs8_9(w: StagingWriter) -> None:
    """20 youth courses: variant x age band, 5 each.

    YLS/CMI by variant (fig. 8): with mediation 25 -> 12 -> 13, without 25 -> 16 -> 21.
    ORS by age band (fig. 9): 14-15: 20 -> 37 (+17); 16-17: 22 -> 33 (+11).
    KiK: courses with mediation rate every core element 4-5 (high fidelity), the others 2-3.
    """
    yls = {"konfliktraad": (25, 12, 13), "standard": (25, 16, 21)}
    ors = {2008: (20, 37), 2006: (22, 33)}  # born 2008: 15 at the 2023 start; 2006: 17
    kik = {"konfliktraad": [5, 5, 4, 4], "standard": [2, 2, 2, 3]}
    for variant in yls:
        for birth_year in ors:
            for i, offset in enumerate(OFFSETS):
                c = f"youth_{variant}_{birth_year}_{i}"
                w.course(
                    c, "p_" + c, "ungepraktik", "2023-01-10", "2023-07-10", "completed_planned",
                    variant=variant, gender="male", birth_year=birth_year,
                )  # fmt: skip
                start, end, follow_up = (v + offset for v in yls[variant])
                w.form(c + "_yls_s", c, "yls_cmi", "2023-01-10", yls_answers(start))
                w.form(c + "_yls_e", c, "yls_cmi", "2023-07-10", yls_answers(end))
                w.form(c + "_yls_f", c, "yls_cmi", "2024-07-10", yls_answers(follow_up))
                ors_start, ors_end = (v + offset for v in ors[birth_year])
                w.form(c + "_ors_s", c, "ors", "2023-01-10", ors_answers(ors_start))
                w.form(c + "_ors_e", c, "ors", "2023-07-10", ors_answers(ors_end))
                w.form(c + "_kik", c, "kik", "2023-07-10", kik[variant])


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    w = StagingWriter(con)
    add_fig5(w)
    add_fig6(w)
    add_figs8_9(w)
    w.agreement(
        "int_unge_q1", "youth_standard_2006_0", "2024-01-15", "Follow up the work placement",
        owner="Emil", follow_up_on="2024-02-15",
    )  # fmt: skip
    w.flush()
    build(con, load_config(), as_of=date(2025, 1, 1))
    yield con
    con.close()


def test_fig5_target_group_at_start(con) -> None:
    rows = con.sql(
        "select start_year, group_value, n_citizens, mean_baseline, is_suppressed "
        "from mart_target_group_at_start where instrument_id = 'asi' and scale_id = 'alcohol' "
        "and breakdown = 'gender' order by group_value desc, start_year"
    ).fetchall()
    assert rows == [
        (2023, "male", 6, pytest.approx(2.5), False),
        (2024, "male", 5, pytest.approx(2.8), False),
        (2023, "female", 10, pytest.approx(2.1), False),
        (2024, "female", 5, pytest.approx(2.6), False),
    ]
    total_2023 = con.sql(
        "select n_citizens, mean_baseline from mart_target_group_at_start "
        "where instrument_id = 'asi' and scale_id = 'alcohol' and breakdown = 'all' "
        "and start_year = 2023"
    ).fetchone()
    assert total_2023 == (16, pytest.approx((15 + 21) / 16))


def test_fig6_goal_attainment_family_relations(con) -> None:
    rows = con.sql(
        "select category, n_goals, share_goals, is_suppressed from mart_goal_attainment_by_area "
        "where intervention_id = 'boernegrupper' and life_area_id = 'family_relations' "
        "order by category_order"
    ).fetchall()
    assert rows == [
        ("progression_reached", 25, pytest.approx(0.25), False),
        ("positive_development", 19, pytest.approx(0.19), False),
        ("maintenance_reached", 17, pytest.approx(0.17), False),
        ("no_development", 26, pytest.approx(0.26), False),
        ("deterioration", 13, pytest.approx(0.13), False),
    ]
    low, high = con.sql(
        "select ci_low, ci_high from mart_goal_attainment_by_area "
        "where life_area_id = 'family_relations' and category = 'progression_reached'"
    ).fetchone()
    # Wilson, 25 of 100, z = 1.96: (0.25 + 0.019208 -/+ 1.96 sqrt(0.001875 + 0.00009604))
    #   / 1.038416
    assert (low, high) == (pytest.approx(0.1754, abs=1e-4), pytest.approx(0.3430, abs=1e-4))


def comparison(con, instrument: str, breakdown: str) -> dict:
    rows = con.sql(
        "select group_value, point_id, n_citizens, mean_score, change_since_start, "
        "change_since_previous, is_suppressed from mart_group_comparison "
        "where instrument_id = $i and breakdown = $b and series = 'all' and scale_id = 'total'",
        params={"i": instrument, "b": breakdown},
    ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def test_fig8_with_and_without_mediation(con) -> None:
    cells = comparison(con, "yls_cmi", "variant")
    with_m = [cells[("konfliktraad", p)] for p in ("start", "end", "fu12")]
    without = [cells[("standard", p)] for p in ("start", "end", "fu12")]
    assert [c[1] for c in with_m] == [pytest.approx(25), pytest.approx(12), pytest.approx(13)]
    assert [c[1] for c in without] == [pytest.approx(25), pytest.approx(16), pytest.approx(21)]
    assert with_m[1][2] == pytest.approx(-13) and without[1][2] == pytest.approx(-9)
    assert with_m[2][3] == pytest.approx(1) and without[2][3] == pytest.approx(5)
    assert all(c[0] == 10 and c[4] is False for c in with_m + without)


def test_fig9_two_age_groups(con) -> None:
    cells = comparison(con, "ors", "age_band")
    younger_start, older_start = cells[("14-15", "start")], cells[("16-17", "start")]
    assert older_start[1] - younger_start[1] == pytest.approx(2)
    assert cells[("14-15", "end")][2] == pytest.approx(17)
    assert cells[("16-17", "end")][2] == pytest.approx(11)
    assert younger_start[0] == older_start[0] == 10


def test_reliable_change_share_by_quarter(con) -> None:
    rows = con.sql(
        "select instrument_id, period, n_courses, share_improved, share_recovered "
        "from mart_reliable_change_by_quarter where intervention_id = 'ungepraktik' "
        "order by instrument_id, period"
    ).fetchall()
    # ORS: +17 and +11 >= 5 points, and every course crosses the adolescent cut-off 28.
    # YLS/CMI: S_diff = 7.5 sqrt(2) sqrt(0.15) = 4.108, reliable beyond 8.05 points:
    # at the end -13 and -9 are reliable; at follow-up -12 (with) is, -4 (without) is not.
    assert rows == [
        ("ors", "2023-Q3", 20, pytest.approx(1.0), pytest.approx(1.0)),
        ("yls_cmi", "2023-Q3", 20, pytest.approx(1.0), pytest.approx(0.0)),
        ("yls_cmi", "2024-Q3", 20, pytest.approx(0.5), pytest.approx(0.0)),
    ]


def test_fidelity_against_outcome(con) -> None:
    rows = con.sql(
        "select fidelity_level, n_citizens, mean_fidelity, mean_improvement, "
        "share_reliably_improved from mart_fidelity_outcome "
        "where instrument_id = 'yls_cmi' order by level_order"
    ).fetchall()
    # KiK 2, 2, 2, 3 -> 2.25 (low); 5, 5, 4, 4 -> 4.5 (high). YLS/CMI latest = follow-up:
    # with mediation 25 -> 13 (improvement +12), without 25 -> 21 (+4).
    assert rows == [
        ("low", 10, pytest.approx(2.25), pytest.approx(4.0), pytest.approx(0.0)),
        ("high", 10, pytest.approx(4.5), pytest.approx(12.0), pytest.approx(1.0)),
    ]


def test_kik_per_core_element(con) -> None:
    rows = con.sql(
        "select element_no, core_element_id, rating from mart_citizen_kik "
        "where course_id = 'youth_konfliktraad_2008_0' order by element_no"
    ).fetchall()
    assert rows == [(1, "mentor", 5), (2, "struktur", 5), (3, "familie", 4), (4, "fritid", 4)]


def test_agreements_listed_per_course(con) -> None:
    row = con.sql(
        "select course_id, meeting_id, agreement_text, owner, is_follow_up_overdue, case_status "
        "from mart_citizen_agreements"
    ).fetchone()
    assert row == (
        "youth_standard_2006_0", "int_unge_q1", "Follow up the work placement", "Emil", True,
        "closed_planned",
    )  # fmt: skip
