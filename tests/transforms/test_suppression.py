"""Small-cell suppression: primary cells below k and complementary (secondary) cells.

The rule lives in one table macro, ``suppress_small_cells`` (transforms/sql/macros);
these tests call it on hand-made cells and check a mart that uses it.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from tests.support.staging import StagingWriter
from transforms.build import build, discover_models, list_marts

CELLS = """
with cells as (
    select * from (values
        -- g1: one cell below 5 -> the next smallest (7) is hidden too
        ('g1', 'a', 3, 1.5), ('g1', 'b', 7, 2.0), ('g1', 'c', 9, 3.0),
        -- g2: two cells below 5 -> nothing more to hide
        ('g2', 'a', 2, 1.0), ('g2', 'b', 4, 1.0), ('g2', 'c', 10, 1.0),
        -- g3: nothing below 5
        ('g3', 'a', 6, 1.0), ('g3', 'b', 8, 1.0),
        -- g4: tie for the complementary cell -> the lower key text ('b') goes
        ('g4', 'a', 3, 1.0), ('g4', 'c', 6, 1.0), ('g4', 'b', 6, 1.0),
        -- g5: a lone small cell has no complement
        ('g5', 'a', 1, 1.0)
    ) as v (suppression_group, group_value, n_citizens, mean_score)
)
select suppression_group, group_value, is_suppressed, suppression_reason, n_citizens,
    mean_score
from suppress_small_cells(cells)
order by suppression_group, group_value
"""


def built(small_cell_k: int | None = None) -> duckdb.DuckDBPyConnection:
    config = load_config()
    if small_cell_k is not None:
        privacy = config.privacy.model_copy(update={"small_cell_k": small_cell_k})
        config = config.model_copy(update={"privacy": privacy})
    con = duckdb.connect()
    StagingWriter(con).flush()
    build(con, config, as_of=date(2025, 1, 1))
    return con


def test_primary_and_complementary_cells() -> None:
    con = built()
    rows = con.sql(CELLS).fetchall()
    hidden = (True, "small_cell", None, None)
    complement = (True, "complementary", None, None)
    shown = [(False, None, n, m) for n, m in [(9, 3.0), (10, 1.0), (6, 1.0), (8, 1.0), (6, 1.0)]]
    assert [r[2:] for r in rows] == [
        hidden, complement, shown[0],  # g1
        hidden, hidden, shown[1],  # g2
        shown[2], shown[3],  # g3
        hidden, complement, shown[4],  # g4: a, b, c
        hidden,  # g5
    ]  # fmt: skip
    assert [r[1] for r in rows[8:11]] == ["a", "b", "c"]


def test_k_comes_from_config() -> None:
    con = built(small_cell_k=3)
    rows = {(r[0], r[1]): r[3] for r in con.sql(CELLS).fetchall()}
    # with k = 3 only cells of 1 or 2 citizens are primary
    assert rows[("g1", "a")] is None
    assert rows[("g2", "a")] == "small_cell"
    assert rows[("g2", "b")] == "complementary"  # 4 is the smallest remaining in g2
    assert rows[("g5", "a")] == "small_cell"


OUTCOME_MARTS = {
    "mart_fidelity_outcome",
    "mart_goal_attainment_by_area",
    "mart_group_comparison",
    "mart_intervention_basis_by_quarter",
    "mart_kik_by_element",
    "mart_measurement_collection_by_quarter",
    "mart_progression_by_point",
    "mart_reliable_change_by_quarter",
    "mart_target_group_at_start",
}


def test_suppression_in_one_place() -> None:
    """No outcome mart repeats the rule: aggregated ones call the macro, citizen ones don't."""
    for model in discover_models():
        if model.layer != "marts" or not (
            model.name in OUTCOME_MARTS or model.name.startswith("mart_citizen_")
        ):
            continue
        calls = model.sql.count("suppress_small_cells(")
        expected = 0 if model.name.startswith("mart_citizen_") else 1
        assert calls == expected, model.name
        assert "small_cell_k" not in model.sql, model.name
    assert OUTCOME_MARTS <= set(list_marts())


@pytest.fixture(scope="module")
def goal_con() -> duckdb.DuckDBPyConnection:
    """One life area: 10 reached, 6 no development, 2 deterioration (citizens)."""
    con = duckdb.connect()
    w = StagingWriter(con)
    plan = [("reached", 10, -1, 0), ("none", 6, -1, -1), ("worse", 2, -1, -2)]
    for label, count, first, last in plan:
        for i in range(count):
            course = f"{label}{i}"
            w.course(course, "p" + course, "voksenstoette", "2024-01-01")
            w.goal("g" + course, course, "health")
            w.rating("g" + course, "2024-01-10", first)
            w.rating("g" + course, "2024-06-10", last)
    w.flush()
    build(con, load_config(), as_of=date(2025, 1, 1))
    yield con
    con.close()


def test_mart_hides_small_and_complementary_cell(goal_con) -> None:
    rows = goal_con.sql(
        "select category, is_suppressed, suppression_reason, n_citizens, n_goals, "
        "n_goals_in_area, share_goals from mart_goal_attainment_by_area order by category_order"
    ).fetchall()
    assert rows == [
        ("progression_reached", False, None, 10, 10, 18, pytest.approx(10 / 18)),
        # 6 no-development goals would be 18 - 10 - 2: hidden as the complement
        ("no_development", True, "complementary", None, None, None, None),
        ("deterioration", True, "small_cell", None, None, None, None),
    ]
