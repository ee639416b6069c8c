"""transforms.refresh.apply_difference: an incremental build writes only the rows of
a redone course that came out different, and the table ends as if every row of the
redone courses had been replaced (as a multiset: duplicate rows count)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from transforms.refresh import apply_difference


@pytest.fixture
def con(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "model.duckdb"))
    con.execute("create table int_example (course_id varchar, score integer, note varchar)")
    con.execute("""insert into int_example values
        ('a', 1, 'p'), ('a', 2, 'q'),
        ('b', 1, 'p'),
        ('c', 5, null), ('c', 5, null),
        ('d', 7, 'x'), ('d', 7, 'x')""")
    con.execute("create temp table refresh_delta as "
                "select * from (values ('a'), ('c'), ('d')) as t(course_id)")
    yield con
    con.close()


def rows_with_ids(con) -> dict[tuple, list[int]]:
    out: dict[tuple, list[int]] = {}
    for rowid, *row in con.execute(
            "select rowid, course_id, score, note from int_example").fetchall():
        out.setdefault(tuple(row), []).append(rowid)
    return out


def test_the_redone_courses_end_as_their_new_rows(con) -> None:
    # the new rows come in another column order (the insert goes by name)
    con.execute("""create temp table _d_int_example as
        select * from (values ('p', 'a', 1), ('q', 'a', 3), (null, 'c', 5),
                              ('x', 'd', 7), ('x', 'd', 7), ('y', 'd', 8))
        as t(note, course_id, score)""")
    before = rows_with_ids(con)
    apply_difference(con, "int_example", "_d_int_example")
    after = rows_with_ids(con)
    # worked out by hand: a's (2, q) became (3, q); c's two equal rows became one;
    # d gained a row; b is not a redone course
    assert sorted((row, len(ids)) for row, ids in after.items()) == [
        (("a", 1, "p"), 1), (("a", 3, "q"), 1), (("b", 1, "p"), 1),
        (("c", 5, None), 1), (("d", 7, "x"), 2), (("d", 8, "y"), 1)]
    # rows that came out the same were not rewritten: they keep their place
    assert after[("a", 1, "p")] == before[("a", 1, "p")]
    assert after[("b", 1, "p")] == before[("b", 1, "p")]
    assert after[("d", 7, "x")] == before[("d", 7, "x")]
    # c's rows held a duplicate the new rows do not: both went, one came back
    assert after[("c", 5, None)][0] not in before[("c", 5, None)]


def test_a_redone_course_that_came_out_the_same_is_not_written(con) -> None:
    con.execute("create temp table _d_int_example as "
                "select * from int_example where course_id in ('a', 'c', 'd')")
    before = rows_with_ids(con)
    apply_difference(con, "int_example", "_d_int_example")
    assert rows_with_ids(con) == before


def test_a_course_with_no_rows_left_loses_them_all(con) -> None:
    con.execute("create temp table _d_int_example as "
                "select * from int_example where course_id = 'a'")
    apply_difference(con, "int_example", "_d_int_example")
    assert con.execute("select course_id, count(*) from int_example group by 1 "
                       "order by 1").fetchall() == [("a", 2), ("b", 1)]
