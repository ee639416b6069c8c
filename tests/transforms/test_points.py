"""Measurement points, case status and the same-cohort restriction.

Plan used (config/measurement_plan.yaml, spaedbarn, ORS): start (start + 0, tolerance
14), mid (start + 90, tolerance 21), end (end + 0, tolerance 14), fu6 (end + 182,
tolerance 30). A form within tolerance x 3 days of a due date is assigned to the
nearest point; beyond that it is unplanned.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from tests.support.staging import StagingWriter
from transforms.build import build
from transforms.reference import POINT_WINDOW_FACTOR

AS_OF = date(2024, 9, 1)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    w = StagingWriter(con)
    # A: closed as planned 2024-07-01
    w.course("A", "pA", "spaedbarn", "2024-01-01", "2024-07-01", "completed_planned")
    w.form("a_start", "A", "ors", "2024-01-05", [5, 5, 5, 5])  # start +4: on time
    w.form("a_mid_early", "A", "ors", "2024-02-20", [6, 6, 6, 6])  # day 50: mid -40, early
    w.form("a_mid", "A", "ors", "2024-04-10", [7, 7, 7, 7])  # day 100: mid +10, on time
    w.form("a_end", "A", "ors", "2024-07-20", [8, 8, 8, 8])  # end +19: late (window 42)
    w.form("a_stray", "A", "ors", "2025-06-01", [8, 8, 8, 8])  # fu6 due 2024-12-30: +153
    # B: open since 2024-03-01, nothing collected
    w.course("B", "pB", "spaedbarn", "2024-03-01")
    # C: dropped out after a month
    w.course("C", "pC", "spaedbarn", "2024-01-01", "2024-02-01", "dropped_out")
    w.form("c_start", "C", "ors", "2024-01-01", [4, 4, 4, 4])
    # D: ended without a reason given
    w.course("D", "pD", "spaedbarn", "2024-01-01", "2024-02-01")
    w.flush()
    build(con, load_config(), as_of=AS_OF)
    yield con
    con.close()


def test_window_factor_is_three() -> None:
    assert POINT_WINDOW_FACTOR == 3.0


def test_case_status(con) -> None:
    rows = con.sql("select course_id, case_status from mart_citizen_courses order by 1").fetchall()
    assert rows == [
        ("A", "closed_planned"),
        ("B", "open"),
        ("C", "closed_unplanned"),
        ("D", "closed_unplanned"),
    ]


def test_forms_assigned_to_planned_points(con) -> None:
    rows = con.sql(
        "select form_id, point_id, timing_status, days_from_due, is_point_primary "
        "from int_form_points where course_id = 'A' order by measured_on"
    ).fetchall()
    assert rows == [
        ("a_start", "start", "on_time", 4, True),
        ("a_mid_early", "mid", "early", -40, False),  # a nearer form took the point
        ("a_mid", "mid", "on_time", 10, True),
        ("a_end", "end", "late", 19, True),
        ("a_stray", None, "unplanned", None, False),
    ]


def test_measurement_status_due_overdue_awaiting(con) -> None:
    rows = dict(
        con.sql(
            "select course_id || ':' || point_id, status from mart_citizen_measurement_status "
            "where instrument_id = 'ors'"
        ).fetchall()
    )
    assert rows["A:start"] == "collected_on_time"
    assert rows["A:end"] == "collected_late"
    assert rows["A:fu6"] == "upcoming"  # due 2024-12-30, window opens 2024-11-30
    assert rows["B:start"] == "overdue"  # window closed 2024-03-15
    assert rows["B:mid"] == "overdue"  # due 2024-05-30, closed 2024-06-20
    assert rows["B:end"] == "awaiting_end"
    assert rows["C:mid"] == "not_applicable"  # ended before the mid window opened
    assert rows["C:end"] == "overdue"  # due 2024-02-01, closed 2024-02-15


def test_course_counts(con) -> None:
    row = con.sql(
        "select n_forms, n_points_due, n_points_collected, n_points_overdue "
        "from mart_citizen_courses where course_id = 'B'"
    ).fetchone()
    # B's due points: start and mid for ors, srs, gas (start) and kik (mid) -> all overdue
    assert row == (0, 6, 0, 6)


@pytest.fixture(scope="module")
def cohort_con() -> duckdb.DuckDBPyConnection:
    """Five courses measured at all four ORS points; three more only at start."""
    con = duckdb.connect()
    w = StagingWriter(con)
    for i in range(5):
        c = f"full{i}"
        w.course(c, "p" + c, "spaedbarn", "2023-01-01", "2023-07-01", "completed_planned")
        w.form(c + "_s", c, "ors", "2023-01-01", [5, 5, 5, 5])  # 20
        w.form(c + "_m", c, "ors", "2023-04-01", [6, 6, 6, 6])  # 24
        w.form(c + "_e", c, "ors", "2023-07-01", [7, 7, 7, 7])  # 28
        w.form(c + "_f", c, "ors", "2023-12-30", [7, 7, 8, 8])  # 30
    for i in range(3):
        c = f"drop{i}"
        w.course(c, "p" + c, "spaedbarn", "2023-01-01", "2023-02-01", "dropped_out")
        w.form(c + "_s", c, "ors", "2023-01-01", [2, 2, 3, 3])  # 10
    w.flush()
    build(con, load_config(), as_of=date(2024, 12, 31))
    yield con
    con.close()


def test_cohort_restriction_next_to_all(cohort_con) -> None:
    rows = cohort_con.sql(
        "select series, point_id, n_citizens, mean_score, change_since_start, "
        "change_since_previous from mart_progression_by_point "
        "where intervention_id = 'spaedbarn' and instrument_id = 'ors' "
        "order by series, point_order"
    ).fetchall()
    assert rows == [
        # all: the start mean includes the three drop-outs: (5 x 20 + 3 x 10) / 8
        ("all", "start", 8, pytest.approx(16.25), pytest.approx(0.0), None),
        ("all", "mid", 5, pytest.approx(24.0), pytest.approx(7.75), pytest.approx(7.75)),
        ("all", "end", 5, pytest.approx(28.0), pytest.approx(11.75), pytest.approx(4.0)),
        ("all", "fu6", 5, pytest.approx(30.0), pytest.approx(13.75), pytest.approx(2.0)),
        # cohort: the same five citizens at every point
        ("cohort", "start", 5, pytest.approx(20.0), pytest.approx(0.0), None),
        ("cohort", "mid", 5, pytest.approx(24.0), pytest.approx(4.0), pytest.approx(4.0)),
        ("cohort", "end", 5, pytest.approx(28.0), pytest.approx(8.0), pytest.approx(4.0)),
        ("cohort", "fu6", 5, pytest.approx(30.0), pytest.approx(10.0), pytest.approx(2.0)),
    ]
