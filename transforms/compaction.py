"""When an incremental build lets DuckDB compact the tables it redid in part.

An incremental build deletes the changed courses' rows from each table it redoes in
part and inserts them again. DuckDB keeps deleted rows as tombstones until a
checkpoint *vacuums* them: it rewrites adjacent row groups into fewer when enough of
their rows are deleted (and merges the small row group each day's insert appends).
Left on, that rewrite ran at nearly every daily build and cost more than the day's
own changes: at 15 000 courses, eight successive days of ~1 % new and corrected rows
checkpointed in 1.07-1.81 s with it and 0.67-0.78 s without, and the tables ended
with about the same number of stored rows either way (docs/benchmarks.md).

So an incremental build commits with vacuuming off, unless :data:`COMPACT_DEAD_SHARE`
or more of the rows the tables it redid in part store are deleted ones: then that
build's checkpoint compacts (at ~1 % new and corrected rows a day, about one rewrite a
week instead of a little every day). A full build
writes every table anew, and the ingest and check runs leave DuckDB's default alone.
"""

from __future__ import annotations

import duckdb

from datadialog.db import rollback

#: Compact when this share of the rows stored by the tables redone in part are deleted.
#: DuckDB merges row groups only when at least a quarter of the rows of adjacent
#: groups are deleted, so a lower share would often leave it nothing to do.
COMPACT_DEAD_SHARE = 0.3


def stored_and_live(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[int, int]:
    """Rows ``relation`` stores (deleted ones included, until a vacuum removes them:
    ``duckdb_tables().estimated_size``) and rows it holds (``count(*)``)."""
    schema, _, name = relation.rpartition(".")
    stored = con.execute(
        "select estimated_size from duckdb_tables() "
        "where database_name = current_database() and schema_name = ? and table_name = ?",
        [schema or "main", name],
    ).fetchone()
    live = con.execute(f"select count(*) from {relation}").fetchone()[0]
    return (int(stored[0]) if stored and stored[0] else 0), int(live)


def dead_share(con: duckdb.DuckDBPyConnection, relations: list[str]) -> float:
    """Share of the rows ``relations`` store together that are deleted ones (0 when
    they store none)."""
    stored = live = 0
    for relation in relations:
        s, n = stored_and_live(con, relation)
        stored, live = stored + s, live + n
    return max(0.0, 1.0 - live / stored) if stored else 0.0


def compaction_due(con: duckdb.DuckDBPyConnection, relations: list[str]) -> bool:
    """Whether the tables redone in part (``relations``) hold enough deleted rows
    together. Together, not each: DuckDB leaves the last few row groups of a table
    out of a vacuum, so a small table's share may never come down, and one such
    table would make every build compact."""
    return dead_share(con, relations) >= COMPACT_DEAD_SHARE


def commit(con: duckdb.DuckDBPyConnection, *, compact: bool) -> None:
    """Commit the open transaction and checkpoint, vacuuming only when ``compact``.

    The checkpoint runs here (DuckDB would run it at the commit once the write-ahead
    log passes ``checkpoint_threshold``, else when the database closes) so that it runs
    with this choice; ``max_vacuum_tasks`` is put back after. A checkpoint DuckDB
    refuses (another connection of this process has a transaction open) is left to
    the next one.
    """
    before = con.execute("select current_setting('max_vacuum_tasks')").fetchone()[0]
    if not compact:
        con.execute("set max_vacuum_tasks = 0")
    try:
        try:
            con.commit()
        except BaseException:
            rollback(con)  # a failed commit may leave the transaction open
            raise
        try:
            con.execute("checkpoint")
        except duckdb.TransactionException:
            pass
    finally:
        con.execute(f"set max_vacuum_tasks = {int(before)}")
