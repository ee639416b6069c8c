"""The off-course flags find the courses the demo generator planted off course.

3 000 demo courses (seed 7) staged straight into DuckDB and built: every planted
off-course course with a judged point must be flagged red at or before its last point,
and at most 5 % of the courses planted on course. Precision and recall are printed
(``pytest -s``); bench/expected_course.py prints them for 10 000 courses.
"""

from __future__ import annotations

import duckdb
import pytest

from datadialog.config_load import load_config
from demo import DEFAULT_AS_OF
from tests.support.expected_course import score_flags, stage_demo
from transforms.build import build

COURSES = 3_000


@pytest.fixture(scope="module")
def scored():
    config = load_config()
    con = duckdb.connect()
    planted = stage_demo(con, config, courses=COURSES, seed=7, as_of=DEFAULT_AS_OF)
    build(con, config, as_of=DEFAULT_AS_OF)
    score = score_flags(con, planted)
    validation = con.sql(
        "select count(*), count(*) filter (where not is_suppressed) "
        "from mart_expected_course_validation"
    ).fetchone()
    con.close()
    return planted, score, validation


def test_every_planted_off_course_course_is_flagged_red(scored) -> None:
    planted, score, _ = scored
    print("\n" + "\n".join(score.lines()))
    assert len(planted["off_course"]) > 100  # about 5 % of 3 000
    assert score.n_off_judged > 100
    assert score.missed == ()
    assert score.recall == 1.0


def test_at_most_five_percent_of_on_course_courses_are_red(scored) -> None:
    _, score, _ = scored
    assert score.n_on_judged > 2_000
    assert score.on_course_red_share <= 0.05


def test_validation_rows_for_every_outcome_instrument_with_a_mid_point(scored) -> None:
    _, _, (n_rows, n_shown) = scored
    # ORS in spaedbarn, ungepraktik, voksenstoette; SDQ (end before fu6); ASI (end
    # before fu3); YLS/CMI (end before fu12) when the test set has such courses
    assert n_rows >= 5
    assert n_shown == n_rows
