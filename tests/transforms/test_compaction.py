"""Compaction of the tables an incremental build redoes in part (transforms/compaction.py),
on a real DuckDB file: 1 228 800 rows are ten full row groups of 122 880; deleting the
rows with ``i % 5 < 2`` deletes 2 in 5 of every group (491 520 rows, a share of 0.4),
which lets DuckDB's vacuum fold the groups into fewer, and only when the commit
compacts. (DuckDB leaves its last few row groups out of a vacuum, so a table of three
groups would not shrink at all.)"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from transforms import compaction

ROWS = 1_228_800
LIVE = ROWS * 3 // 5


@pytest.fixture
def con(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "compaction.duckdb"))
    con.execute(f"create table t as select i, i * 2 as j from range({ROWS}) r(i)")
    con.execute("checkpoint")
    yield con
    con.close()


def row_groups(con) -> int:
    return con.execute(
        "select count(distinct row_group_id) from pragma_storage_info('t')"
    ).fetchone()[0]


def delete_two_in_five(con, *, compact: bool) -> None:
    con.begin()
    con.execute("delete from t where i % 5 < 2")
    compaction.commit(con, compact=compact)


def vacuum_tasks(con) -> int:
    return con.execute("select current_setting('max_vacuum_tasks')").fetchone()[0]


def test_a_commit_without_compaction_keeps_the_deleted_rows(con):
    assert con.execute("select count(*) from t").fetchone() == (ROWS,)
    assert compaction.dead_share(con, ["main.t"]) == 0.0
    assert row_groups(con) == 10
    delete_two_in_five(con, compact=False)
    assert con.execute("select count(*) from t").fetchone() == (LIVE,)
    assert compaction.dead_share(con, ["main.t"]) == pytest.approx(0.4)
    assert compaction.compaction_due(con, ["main.t"])  # 0.4 >= 0.3
    assert row_groups(con) == 10
    assert vacuum_tasks(con) == 100  # DuckDB's default, put back


def test_a_compacting_commit_folds_the_row_groups(con):
    delete_two_in_five(con, compact=True)
    assert con.execute("select count(*), sum(j) from t").fetchone() == (
        LIVE, 2 * sum(i for i in range(ROWS) if i % 5 >= 2))
    # at least five of the ten groups were folded: 6 would hold the live rows
    assert row_groups(con) <= 7
    assert compaction.dead_share(con, ["main.t"]) < 0.1
    assert not compaction.compaction_due(con, ["main.t"])
    assert vacuum_tasks(con) == 100


def test_a_tenth_deleted_is_not_due(con):
    con.execute("delete from t where i % 10 = 3")
    assert compaction.dead_share(con, ["main.t"]) == pytest.approx(0.1)
    assert not compaction.compaction_due(con, ["main.t"])


def test_a_failed_commit_rolls_back_and_puts_the_setting_back(con):
    con.execute("create table u (k integer primary key)")
    con.begin()
    con.execute("delete from t where i < 10")
    con.execute("insert into u values (2)")
    other = con.cursor()  # a second transaction commits the same key first
    other.execute("insert into u values (2)")
    with pytest.raises(duckdb.TransactionException, match="duplicate key"):
        compaction.commit(con, compact=False)
    assert con.execute("select count(*) from t").fetchone() == (ROWS,)
    assert vacuum_tasks(con) == 100


def test_the_share_is_of_the_rows_the_tables_store_together(con):
    """A small table half deleted does not make compaction due when a large one next to
    it has no deleted rows: 5 of 10 rows beside 1 228 800 is a share of 5 / 1 228 810."""
    con.execute("create table small as select i from range(10) r(i)")
    con.execute("checkpoint")
    con.execute("delete from small where i < 5")
    assert compaction.dead_share(con, ["main.small"]) == pytest.approx(0.5)
    assert compaction.compaction_due(con, ["main.small"])
    both = ["main.small", "main.t"]
    assert compaction.dead_share(con, both) == pytest.approx(5 / (ROWS + 10))
    assert not compaction.compaction_due(con, both)
