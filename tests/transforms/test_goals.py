"""Goal attainment category per goal, from its first (baseline) and latest rating."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from tests.support.staging import StagingWriter
from transforms.build import build

# goal id: (goal type, ratings in date order, expected category, expected reason)
GOALS = {
    "reached": ("progression", [-2, -1, 0], "progression_reached", None),
    "reached_above": ("progression", [-1, 2], "progression_reached", None),
    "reached_from_higher": ("progression", [1, 0], "progression_reached", None),
    "developing": ("progression", [-2, -1], "positive_development", None),
    "stuck": ("progression", [-1, -1], "no_development", None),
    "worse": ("progression", [-1, -2], "deterioration", None),
    "kept": ("maintenance", [0, 0], "maintenance_reached", None),
    "kept_better": ("maintenance", [-1, 0], "maintenance_reached", None),
    "slipped": ("maintenance", [0, -1], "deterioration", None),
    "only_one": ("progression", [-1], None, "only_baseline"),
    "unrated": ("progression", [], None, "no_ratings"),
}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    w = StagingWriter(con)
    w.course("c1", "p1", "voksenstoette", "2024-01-01")
    for goal_id, (goal_type, levels, _, _) in GOALS.items():
        w.goal(goal_id, "c1", "daily_living", goal_type)
        for month, level in enumerate(levels, start=1):
            w.rating(goal_id, date(2024, month, 15), level)
    w.flush()
    build(con, load_config(), as_of=date(2025, 1, 1))
    yield con
    con.close()


@pytest.mark.parametrize("goal_id", list(GOALS))
def test_goal_category(con, goal_id: str) -> None:
    _, levels, category, reason = GOALS[goal_id]
    row = con.sql(
        "select baseline_level, latest_level, category, not_assessed_reason, n_ratings "
        "from mart_citizen_goals where goal_id = $g",
        params={"g": goal_id},
    ).fetchone()
    assert row[2:4] == (category, reason)
    assert row[4] == len(levels)
    if levels:
        assert (row[0], row[1]) == (levels[0], levels[-1])


def test_category_order_follows_the_handbook(con) -> None:
    rows = con.sql(
        "select distinct category, category_order from mart_citizen_goals "
        "where category is not null order by category_order"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "progression_reached",
        "positive_development",
        "maintenance_reached",
        "no_development",
        "deterioration",
    ]
    assert [r[1] for r in rows] == [1, 2, 3, 4, 5]
