"""The 95 % interval of a group's change since start (mart_group_comparison.ci_change_*),
worked out by hand: a title may crown a group only when these intervals are apart."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from tests.support.staging import StagingWriter
from transforms.build import build

#: ORS totals at start and end (and 25 half-way, the plan's mid point, so that every
#: course is in the same-cohort series), five courses per age band; born 2008 -> 14-15
#: at the 2023 start, born 2006 -> 16-17
COURSES = {
    2008: [(20, 30), (20, 32), (20, 34), (20, 36), (20, 38)],  # changes 10..18 by 2
    2006: [(22, 30), (22, 31), (22, 32), (22, 33), (22, 34)],  # changes 8..12 by 1
}


def ors_answers(total: int) -> list[int]:
    base, extra = divmod(total, 4)
    return [base + (1 if i < extra else 0) for i in range(4)]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    w = StagingWriter(con)
    for birth_year, scores in COURSES.items():
        for i, (start, end) in enumerate(scores):
            c = f"ors_{birth_year}_{i}"
            w.course(c, "p_" + c, "ungepraktik", "2023-01-10", "2023-07-10",
                     "completed_planned", variant="standard", gender="male",
                     birth_year=birth_year)
            w.form(c + "_s", c, "ors", "2023-01-10", ors_answers(start))
            w.form(c + "_m", c, "ors", "2023-04-10", ors_answers(25))
            w.form(c + "_e", c, "ors", "2023-07-10", ors_answers(end))
    w.flush()
    build(con, load_config(), as_of=date(2024, 1, 1))
    yield con
    con.close()


def cells(con, series: str) -> dict:
    rows = con.sql(
        "select group_value, point_id, change_since_start, ci_change_low, ci_change_high "
        "from mart_group_comparison where instrument_id = 'ors' and breakdown = 'age_band' "
        "and scale_id = 'total' and series = $s", params={"s": series}).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def test_the_change_interval_by_hand(con) -> None:
    cohort = cells(con, "cohort")
    # 14-15: changes 10, 12, 14, 16, 18: mean 14, sd sqrt(40 / 4) = 3.1623,
    # 14 -/+ 1.96 * 3.1623 / sqrt(5) = 14 -/+ 2.7719
    change, low, high = cohort[("14-15", "end")]
    assert change == pytest.approx(14)
    assert (low, high) == (pytest.approx(11.2281, abs=1e-4), pytest.approx(16.7719, abs=1e-4))
    # 16-17: changes 8..12: mean 10, sd sqrt(10 / 4) = 1.5811, 10 -/+ 1.3859
    change, low, high = cohort[("16-17", "end")]
    assert change == pytest.approx(10)
    assert (low, high) == (pytest.approx(8.6141, abs=1e-4), pytest.approx(11.3859, abs=1e-4))
    # so the intervals share 11.23-11.39: a 4-point gap that may be chance
    # at the start every change is 0
    assert cohort[("14-15", "start")] == (pytest.approx(0), 0, 0)


def test_the_all_series_has_no_change_interval(con) -> None:
    # 'all' mixes courses measured at some points only: its change is a difference of
    # means over different courses, with no per-course change to take an interval of
    assert {v[1:] for v in cells(con, "all").values()} == {(None, None)}
