"""The expected course, its band and the off-course flags on a fixture worked out by hand.

Plan: spaedbarn, ORS at start (intake) and mid (start + 90). Config: at least 3
reference courses, one intake band, band_z 1.645, robust SD = MAD x 1.4826.

Five closed reference courses, intake x -> mid score y:
10 -> 15, 12 -> 16, 14 -> 20, 16 -> 21, 18 -> 23.
  mean x = 14, mean y = 19; Sxy = (-4)(-4) + (-2)(-3) + 0 + 2*2 + 4*4 = 42; Sxx = 40
  slope = 42 / 40 = 1.05; intercept = 19 - 1.05 * 14 = 4.3
  fitted 14.8, 16.9, 19.0, 21.1, 23.2; residuals 0.2, -0.9, 1.0, -0.1, -0.2
  median residual -0.1; |r + 0.1| = 0.3, 0.8, 1.1, 0.0, 0.1 -> MAD 0.3
  robust SD = 0.3 * 1.4826 = 0.44478; band edge = expected - 1.645 * 0.44478
  = expected - 0.7316631
The one intake band holds all five: mean intake 14 -> expected 19.0, edge 18.2683369.

Open courses flagged against that fit:
  T1 intake 14, mid 18: edge 18.268 > 18 -> red (below_band)
  T2 intake 14, mid 19: at the expected 19.0 -> green
  T3 intake 16, mid 21: expected 21.1, edge 20.368 -> amber (below_expected)
  T4 (closed) intake 14, end 8: only 1 reference course at the end point -> the
     reliable-change fallback; ORS reliable change 5 points, change -6 -> red
     (reliable_deterioration)
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from datadialog.config_model import ExpectedCourse
from outputs.gather import query
from tests.support.staging import StagingWriter
from transforms.build import build

AS_OF = date(2024, 12, 31)
TEAM = "familie_nord"


def _ors(total: int) -> list[int]:
    """Four ORS items (0-10) adding up to total."""
    base, extra = divmod(total, 4)
    return [base + 1 if i < extra else base for i in range(4)]


def _config(**settings):
    config = load_config()
    expected = ExpectedCourse(min_reference_courses=3, intake_bands=1, band_z=1.645,
                              **settings)
    return config.model_copy(update={"expected_course": expected})


def _fixture(con: duckdb.DuckDBPyConnection) -> None:
    w = StagingWriter(con)
    for no, (intake, mid) in enumerate([(10, 15), (12, 16), (14, 20), (16, 21), (18, 23)]):
        cid = f"R{no}"
        w.course(cid, f"p{cid}", "spaedbarn", "2024-01-01", "2024-08-01",
                 "completed_planned", team_id=TEAM)
        w.form(f"{cid}_start", cid, "ors", "2024-01-02", _ors(intake))
        w.form(f"{cid}_mid", cid, "ors", "2024-03-31", _ors(mid))
    for cid, intake, mid in (("T1", 14, 18), ("T2", 14, 19), ("T3", 16, 21)):
        w.course(cid, f"p{cid}", "spaedbarn", "2024-06-01", team_id=TEAM)
        w.form(f"{cid}_start", cid, "ors", "2024-06-02", _ors(intake))
        w.form(f"{cid}_mid", cid, "ors", "2024-08-30", _ors(mid))
    # T4: closed, the only course scored at the end point (1 reference course < 3)
    w.course("T4", "pT4", "spaedbarn", "2024-06-01", "2024-12-01", "completed_planned",
             team_id=TEAM)
    w.form("T4_start", "T4", "ors", "2024-06-02", _ors(14))
    w.form("T4_end", "T4", "ors", "2024-12-01", _ors(8))
    # alliance (SRS, cut-off 36): T1 falls 38 -> 36, T2 starts below the cut-off
    w.form("T1_srs1", "T1", "srs", "2024-06-02", [10, 10, 9, 9])
    w.form("T1_srs2", "T1", "srs", "2024-08-30", [9, 9, 9, 9])
    w.form("T2_srs1", "T2", "srs", "2024-06-02", [9, 9, 9, 8])
    w.form("T3_srs1", "T3", "srs", "2024-06-02", [10, 10, 10, 10])
    w.flush()


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    _fixture(con)
    build(con, _config(), as_of=AS_OF)
    yield con
    con.close()


def test_fit_at_mid_equals_hand_values(con) -> None:
    row = con.sql(
        "select n_reference_courses, intercept, slope, residual_sd from int_expected_course_fit "
        "where fit_set = 'all' and instrument_id = 'ors' and point_id = 'mid'"
    ).fetchone()
    assert row[0] == 5  # the five reference courses; T4 (closed) has no mid form
    assert row[1] == pytest.approx(4.3)
    assert row[2] == pytest.approx(1.05)
    assert row[3] == pytest.approx(0.44478)


def test_band_for_one_intake_band_and_point_equals_hand_value(con) -> None:
    row = con.sql(
        "select intake_band, is_suppressed, intake_low, intake_high, n_citizens, "
        "mean_intake_score, mean_expected_score, mean_band_edge_score "
        "from mart_expected_course where instrument_id = 'ors' and point_id = 'mid'"
    ).fetchall()
    assert len(row) == 1
    band, hidden, low, high, n, intake, expected, edge = row[0]
    assert (band, hidden, low, high, n) == (1, False, 10, 18, 5)
    assert intake == pytest.approx(14.0)
    assert expected == pytest.approx(19.0)
    assert edge == pytest.approx(18.2683369)


def test_flags_red_amber_green_and_fallback(con) -> None:
    rows = con.sql(
        "select course_id, point_id, expected_score, band_edge_score, flag, flag_rule, "
        "flag_reason, fallback_reason from mart_citizen_course_flags "
        "where course_id like 'T%' and not is_intake_point order by course_id"
    ).fetchall()
    got = {r[0]: r for r in rows}
    assert got["T1"][1:3] == ("mid", pytest.approx(19.0))
    assert got["T1"][3] == pytest.approx(18.2683369)
    assert got["T1"][4:] == ("red", "expected_course", "below_band", None)
    assert got["T2"][4:] == ("green", "expected_course", "at_or_above_expected", None)
    assert got["T3"][2] == pytest.approx(21.1)
    assert got["T3"][4:] == ("amber", "expected_course", "below_expected", None)
    assert got["T4"][1] == "end"
    assert got["T4"][2] is None  # no fit at the end point: no expected score
    assert got["T4"][4:] == (
        "red", "reliable_change", "reliable_deterioration", "few_reference_courses"
    )


def test_course_flag_is_the_worst_live_flag(con) -> None:
    rows = dict(con.sql(
        "select distinct course_id, course_flag from mart_citizen_course_flags "
        "where course_id like 'T%'"
    ).fetchall())
    assert rows == {"T1": "red", "T2": "green", "T3": "amber", "T4": "red"}


def test_alliance_signal_on_a_drop_or_below_the_cutoff(con) -> None:
    rows = con.sql(
        "select course_id, score, previous_score, is_below_cutoff, is_drop, "
        "is_alliance_signal from mart_citizen_alliance_signals where is_latest "
        "order by course_id"
    ).fetchall()
    assert rows == [
        ("T1", 36.0, 38.0, False, True, True),  # fell 2 points since last time
        ("T2", 35.0, None, True, False, True),  # below 36
        ("T3", 40.0, None, False, False, False),
    ]


def test_srs_is_not_an_outcome(con) -> None:
    n = con.sql(
        "select count(*) from mart_citizen_course_flags where instrument_id = 'srs'"
    ).fetchone()[0]
    assert n == 0


def test_agenda_puts_flagged_citizens_first(con) -> None:
    agenda = query(con, "citizen_agenda", team_id=TEAM, intervention_id="spaedbarn")
    # T4 is closed (not a candidate); red T1 and amber T3 are off course: the agenda's
    # priorities, red first (config/agenda.yaml off_course_red, off_course_amber); green
    # T2 is neither
    off = {r["course_id"]: (r["is_off_course"], r["is_off_course_red"],
                            r["is_off_course_amber"]) for r in agenda}
    assert off == {"T1": (True, True, False), "T2": (False, False, False),
                   "T3": (True, False, True)}


def test_few_reference_courses_fall_back_to_reliable_change() -> None:
    con = duckdb.connect()
    _fixture(con)
    build(con, _config().model_copy(update={
        "expected_course": ExpectedCourse(min_reference_courses=6)}), as_of=AS_OF)
    rows = con.sql(
        "select course_id, flag, flag_rule, fallback_reason, expected_score "
        "from mart_citizen_course_flags where point_id = 'mid' and course_id like 'T%' "
        "order by course_id"
    ).fetchall()
    con.close()
    # 5 reference courses < 6: ORS changes of -4 .. +5 points; 5 is reliable (>= 5)
    assert rows == [
        ("T1", "amber", "reliable_change", "few_reference_courses", None),
        ("T2", "green", "reliable_change", "few_reference_courses", None),
        ("T3", "green", "reliable_change", "few_reference_courses", None),
    ]
