"""The national marts from hand-made organisation parts: sums, means and the rule that a
locally hidden part is never added into a figure that gives it away."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import numpy as np
import pytest

from transforms.national import EXPORTS, build_national

PROGRESSION_COLUMNS = (
    "intervention_id varchar, instrument_id varchar, direction varchar, point_id varchar, "
    "point_order integer, occurrence_no integer, is_suppressed_locally boolean, "
    "n_citizens bigint, n_courses bigint, score_sum double, score_sum_squares double"
)
COLLECTION_COLUMNS = (
    "intervention_id varchar, period varchar, instrument_id varchar, "
    "is_suppressed_locally boolean, n_citizens bigint, n_due bigint, n_collected bigint, "
    "n_on_time bigint, n_overdue bigint"
)


def _parquet(folder: Path, name: str, columns: str, rows: list[tuple]) -> str:
    path = folder / f"{name}.parquet"
    con = duckdb.connect()
    con.execute(f"create table t ({columns})")
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"insert into t values ({marks})", rows)
    con.execute("copy t to $path (format parquet)", {"path": str(path)})
    con.close()
    return str(path)


def _point(point: str, hidden: bool, n: int, scores: list[float]) -> tuple:
    return ("iv", "ors", "higher_is_better", point, 1, 0, hidden, n, len(scores),
            sum(scores), sum(s * s for s in scores))


def _collection(instrument: str | None, hidden: bool, n: int, due: int, collected: int) -> tuple:
    return ("iv", "2026-Q3", instrument, hidden, n, due, collected, collected, due - collected)


@pytest.fixture
def national(tmp_path):
    """Three organisations' parts; each point is one case of the rule."""
    orgs = {
        "a": [_point("p33", True, 3, [10, 12, 14]), _point("p3_10", True, 3, [1, 2, 3]),
              _point("p22_10", True, 2, [5, 5]), _point("p4", True, 4, [20] * 4),
              _point("p334", True, 3, [1, 1, 1])],
        "b": [_point("p33", True, 3, [20, 22, 24]),
              _point("p3_10", False, 10, [float(i) for i in range(10)]),
              _point("p22_10", True, 2, [6, 6]), _point("p334", True, 3, [2, 2, 2])],
        "c": [_point("p22_10", False, 10, [7.0] * 10), _point("p334", True, 4, [3] * 4)],
    }
    collection = {
        # instrument rows ors (3 citizens in a, 3 in b) and sdq (6 + 6): all shown nationally
        "a": [_collection("ors", True, 3, 6, 3), _collection("sdq", False, 6, 12, 12),
              _collection(None, False, 9, 18, 15)],
        "b": [_collection("ors", True, 3, 6, 6), _collection("sdq", False, 6, 12, 6),
              _collection(None, False, 9, 18, 12)],
        "c": [_collection("ors", True, 2, 4, 4), _collection("sdq", False, 9, 18, 9),
              _collection(None, False, 11, 22, 13)],
    }
    parts: dict[str, list[str]] = {name: [] for name in EXPORTS}
    for org in ("a", "b", "c"):
        folder = tmp_path / org
        folder.mkdir()
        parts["progression_cells"].append(
            _parquet(folder, "progression_cells", PROGRESSION_COLUMNS, orgs[org]))
        parts["collection_cells"].append(
            _parquet(folder, "collection_cells", COLLECTION_COLUMNS, collection[org]))
    con = duckdb.connect(str(tmp_path / "national.duckdb"))
    built = build_national(con, parts, small_cell_k=5)
    yield con, built
    con.close()


def _row(con, point: str) -> dict:
    cur = con.execute("select * from national_progression_by_point where point_id = ?", [point])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def test_three_plus_three_shows_as_six(national) -> None:
    con, built = national
    assert built["national_progression_by_point"] == 5
    row = _row(con, "p33")
    assert not row["is_suppressed"] and row["suppression_reason"] is None
    assert row["n_citizens"] == 6 and row["n_courses"] == 6
    assert row["organisations"] == 2 and row["organisations_hidden_locally"] == 2
    assert row["mean_score"] == pytest.approx(17.0, abs=1e-12)  # (36 + 66) / 6
    # sample sd of 10, 12, 14, 20, 22, 24: squared deviations 49+25+9+9+25+49 = 166
    assert row["sd_score"] == pytest.approx(math.sqrt(166 / 5), abs=1e-9)


def test_one_hidden_part_beside_a_shown_one_stays_hidden(national) -> None:
    con, _ = national
    row = _row(con, "p3_10")  # 3 (hidden in a) + 10 (shown in b): 13 - 10 would give a's 3
    assert row["is_suppressed"] and row["suppression_reason"] == "hidden_locally"
    assert row["n_citizens"] is None and row["mean_score"] is None and row["n_courses"] is None


def test_hidden_parts_below_k_together_stay_hidden(national) -> None:
    con, _ = national
    row = _row(con, "p22_10")  # 2 + 2 hidden, 10 shown: total 14, but 14 - 10 = 4 < 5
    assert row["is_suppressed"] and row["suppression_reason"] == "hidden_locally"
    assert row["organisations_hidden_locally"] == 2


def test_small_total_is_hidden_as_a_small_cell(national) -> None:
    con, _ = national
    row = _row(con, "p4")  # one organisation, 4 citizens, hidden there and here
    assert row["is_suppressed"]
    assert row["suppression_reason"] == "hidden_locally"  # one hidden part: never shown


def test_three_hidden_parts_adding_to_k_or_more_show(national) -> None:
    con, _ = national
    row = _row(con, "p334")  # 3 + 3 + 4 = 10, all hidden locally
    assert not row["is_suppressed"] and row["n_citizens"] == 10
    assert row["mean_score"] == pytest.approx((3 + 6 + 12) / 10, abs=1e-12)


def test_collection_sums_and_complementary_hiding(national) -> None:
    con, _ = national
    rows = {r[0]: r[1:] for r in con.execute(
        "select coalesce(instrument_id, 'all'), is_suppressed, suppression_reason, n_citizens, "
        "n_due, n_collected, share_collected from national_measurement_collection_by_quarter"
    ).fetchall()}
    # ors: 3 + 3 + 2 = 8 hidden locally in all three: shown (hidden parts cover 8 >= 5)
    assert rows["ors"] == (False, None, 8, 16, 13, pytest.approx(13 / 16))
    assert rows["sdq"] == (False, None, 21, 42, 27, pytest.approx(27 / 42))
    assert rows["all"] == (False, None, 29, 58, 40, pytest.approx(40 / 58))


def test_one_hidden_instrument_takes_a_complementary_one(tmp_path) -> None:
    parts: dict[str, list[str]] = {name: [] for name in EXPORTS}
    rows = [_collection("ors", True, 3, 6, 3), _collection("sdq", False, 8, 12, 12),
            _collection("yls", False, 9, 10, 5), _collection(None, False, 20, 28, 20)]
    parts["collection_cells"].append(
        _parquet(tmp_path, "collection_cells", COLLECTION_COLUMNS, rows))
    parts["progression_cells"].append(
        _parquet(tmp_path, "progression_cells", PROGRESSION_COLUMNS,
                 [_point("p", False, 9, [1.0] * 9)]))
    con = duckdb.connect()
    build_national(con, parts, small_cell_k=5)
    got = dict(con.execute(
        "select coalesce(instrument_id, 'all'), suppression_reason "
        "from national_measurement_collection_by_quarter").fetchall())
    # ors is hidden (one organisation hides it); sdq, the smallest other instrument row,
    # goes with it, so all - yls does not give ors back
    assert got == {"ors": "hidden_locally", "sdq": "complementary", "yls": None, "all": None}


# ------------------------------------------------ all-instruments row and its parts

def _build_collection(tmp_path: Path, orgs: dict[str, list[tuple]]) -> duckdb.DuckDBPyConnection:
    parts: dict[str, list[str]] = {name: [] for name in EXPORTS}
    for org, rows in orgs.items():
        folder = tmp_path / org
        folder.mkdir()
        parts["collection_cells"].append(
            _parquet(folder, "collection_cells", COLLECTION_COLUMNS, rows))
        parts["progression_cells"].append(
            _parquet(folder, "progression_cells", PROGRESSION_COLUMNS,
                     [_point("p", False, 9, [1.0] * 9)]))
    con = duckdb.connect()
    build_national(con, parts, small_cell_k=5)
    return con


def _cell(instrument: str | None, hidden: bool, n: int, due: int, on_time: int) -> tuple:
    return ("iv", "2026-Q3", instrument, hidden, n, due, due, on_time, 0)


#: The QA's case (ungepraktik 2026-Q3 of a 3-organisation demo run): every instrument
#: row is hidden in all three organisations but covers 5+ citizens nationally (shown);
#: the all-instruments row is hidden in one organisation only (b, 3 citizens, 10 due).
QA_CASE = {
    "a": [_cell("gas", True, 2, 2, 0), _cell("kik", True, 4, 5, 0),
          _cell("ors", True, 4, 5, 0), _cell("yls", True, 3, 3, 1),
          _cell(None, False, 5, 15, 1)],
    "b": [_cell("gas", True, 3, 3, 0), _cell("kik", True, 1, 1, 0),
          _cell("ors", True, 3, 3, 0), _cell("yls", True, 3, 3, 0),
          _cell(None, True, 3, 10, 0)],
    "c": [_cell("gas", True, 3, 3, 0), _cell("kik", True, 3, 4, 0),
          _cell("ors", True, 3, 4, 0), _cell("yls", False, 5, 5, 3),
          _cell(None, False, 5, 16, 3)],
}

#: The QA's recovery query: a hidden all-instruments row whose instrument rows are all
#: shown is their sum.
RECOVERY = """
select total.intervention_id, total.period, sum(part.n_due) as n_due
from national_measurement_collection_by_quarter as total
join national_measurement_collection_by_quarter as part
    on part.intervention_id = total.intervention_id and part.period = total.period
    and part.instrument_id is not null
where total.instrument_id is null and total.is_suppressed
group by all
having bool_and(not part.is_suppressed)
"""


def _reasons(con) -> dict[str, str | None]:
    return dict(con.execute(
        "select coalesce(instrument_id, 'all'), suppression_reason "
        "from national_measurement_collection_by_quarter").fetchall())


def recoverable_parts(con, orgs: dict[str, list[tuple]]) -> list[tuple[str, str]]:
    """The locally hidden parts (organisation, instrument) that the shown national cells
    and the organisations' own shown parts give back exactly (n_due): an organisation's
    all-instruments part is the sum of its instrument parts, a shown national cell the
    sum of the organisations' parts. A part is recoverable when its unit vector lies in
    the row space of those equations over the hidden parts."""
    national = dict(con.execute(
        "select coalesce(instrument_id, 'all'), is_suppressed "
        "from national_measurement_collection_by_quarter").fetchall())
    unknowns = [(org, row[2] or "all") for org, rows in orgs.items() for row in rows if row[3]]
    index = {u: i for i, u in enumerate(unknowns)}
    equations = []
    for org, rows in orgs.items():
        eq = np.zeros(len(unknowns))
        for row in rows:
            if row[3]:
                eq[index[(org, row[2] or "all")]] = 1 if row[2] is None else -1
        equations.append(eq)
    for cell, hidden in national.items():
        if not hidden:
            eq = np.zeros(len(unknowns))
            for org, rows in orgs.items():
                for row in rows:
                    if row[3] and (row[2] or "all") == cell:
                        eq[index[(org, cell)]] = 1
            equations.append(eq)
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    return [u for u, i in index.items()
            if np.linalg.matrix_rank(np.vstack([matrix, np.eye(len(unknowns))[i]])) == rank]


def test_hidden_total_takes_a_complementary_instrument_row(tmp_path) -> None:
    con = _build_collection(tmp_path, QA_CASE)
    # all: only b hides its part (10 due); gas (8 citizens, hidden in all three) goes
    # with it, so all - kik - ors - yls is gas + all, two unknowns
    assert _reasons(con) == {"all": "hidden_locally", "gas": "complementary",
                             "kik": None, "ors": None, "yls": None}
    hidden = con.execute(
        "select coalesce(instrument_id, 'all'), n_citizens, n_due, n_collected, n_on_time, "
        "share_collected from national_measurement_collection_by_quarter "
        "where is_suppressed order by 1").fetchall()
    assert hidden == [("all", None, None, None, None, None), ("gas", None, None, None, None, None)]
    assert con.execute(RECOVERY).fetchall() == []
    assert recoverable_parts(con, QA_CASE) == []


def test_the_audit_finds_the_qa_leak_without_the_complementary_row(tmp_path) -> None:
    con = _build_collection(tmp_path, QA_CASE)
    # the table as it was before: the complementary row shown with its sum
    con.execute("""
        update national_measurement_collection_by_quarter as t
        set is_suppressed = false, n_due = (
            select sum(e.n_due) from exchange_collection_cells as e
            where e.instrument_id = t.instrument_id)
        where suppression_reason = 'complementary'""")
    assert con.execute(RECOVERY).fetchall() == [("iv", "2026-Q3", 41)]  # 15 + 10 + 16
    assert recoverable_parts(con, QA_CASE) == [("b", "all")]


def test_complementary_row_holds_a_locally_hidden_part(tmp_path) -> None:
    # all: only b hides it. kik (5 citizens) is the smallest shown row, but a is its one
    # organisation and shows it: hidden nationally, it would still be a's own figure, and
    # all = kik + ors + gas would give b's part back. gas (6 citizens, hidden in a and
    # b; ties with ors, lower id) goes instead.
    orgs = {
        "a": [_cell("kik", False, 5, 5, 0), _cell("ors", True, 3, 3, 0),
              _cell("gas", True, 3, 3, 0), _cell(None, False, 8, 11, 0)],
        "b": [_cell("ors", True, 3, 3, 0), _cell("gas", True, 3, 2, 0),
              _cell(None, True, 4, 5, 0)],
    }
    con = _build_collection(tmp_path, orgs)
    assert _reasons(con) == {"all": "hidden_locally", "gas": "complementary",
                             "ors": None, "kik": None}
    assert recoverable_parts(con, orgs) == []


def test_two_hidden_cells_take_no_complementary_one(tmp_path) -> None:
    orgs = {"a": [_cell("kik", True, 3, 3, 0), _cell("ors", False, 9, 9, 0),
                  _cell(None, True, 3, 12, 0)],
            "b": [_cell("kik", False, 6, 6, 0), _cell("ors", False, 9, 9, 0),
                  _cell(None, False, 12, 15, 0)]}
    con = _build_collection(tmp_path, orgs)
    assert _reasons(con) == {"all": "hidden_locally", "kik": "hidden_locally", "ors": None}
    assert recoverable_parts(con, orgs) == []
