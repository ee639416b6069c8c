"""Rows of a load that never finished: removed when the database is opened after a crash.

A file loads in one transaction, so a crash or a kill should leave nothing of it. But
DuckDB 1.5 writes a large insert's row groups straight into the database file while the
transaction runs and logs only pointers to them; when the process dies while the commit
is being written to the WAL (the log cut short), replaying the log on the next open
brings those row groups back without the rest of the transaction: the staged rows of
the file without its ``staging.loads`` row, its landing rows or its quarantine
(duckdb/duckdb pull request 25931, "uncommitted data recovered accidentally", open).

Every row a load writes carries the load's id, and the load's ``staging.loads`` row is
written in the same transaction, so a row whose load id has no ``staging.loads`` row
belongs to a load that did not commit. :func:`discard_unfinished_loads` deletes those
rows (in one transaction) and logs a WARNING naming the loads and the rows per table.
:func:`datadialog.db.connect` calls it when it opens a database for writing whose WAL
was left behind (the last process to write it did not close it: a crash or a kill), the
first time this process opens it; a clean close leaves no WAL, so the scan (about 0.5 s
at 100 000 courses) is not paid on a normal day. Only ids the loader makes
(``L<date>_<time>_<hex>``) are considered, and only the staging and landing schemas.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import duckdb

log = logging.getLogger(__name__)

#: The ids :func:`transforms.ingest.load.new_id` gives a load.
LOAD_ID_PATTERN = r"L\d{8}_\d{6}_[0-9a-f]+"
#: Tables with a load_id column that are not rows of a load.
BOOKKEEPING = ("loads", "load_tables")


@dataclass
class Discarded:
    """What :func:`discard_unfinished_loads` removed: rows per table, and the load ids."""

    rows: dict[str, int] = field(default_factory=dict)
    load_ids: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return sum(self.rows.values())

    def message(self) -> str:
        tables = ", ".join(f"{table} {n:,}" for table, n in self.rows.items())
        return (
            f"removed {self.n_rows:,} row(s) of {len(self.load_ids)} load(s) that did not "
            f"finish ({', '.join(self.load_ids)}: {tables}): the loading process was "
            "stopped before it committed; load those files again"
        )


def _tables_with_loads(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The staging and landing tables (not views) whose rows carry a load id."""
    return con.execute(
        "select c.table_schema, c.table_name from information_schema.columns as c "
        "inner join information_schema.tables as t "
        "using (table_catalog, table_schema, table_name) "
        "where c.table_catalog = current_database() and c.column_name = 'load_id' "
        "and t.table_type = 'BASE TABLE' and c.table_schema in ('staging', 'landing') "
        "and c.table_name not in ? order by c.table_schema, c.table_name",
        [list(BOOKKEEPING)],
    ).fetchall()


def discard_unfinished_loads(con: duckdb.DuckDBPyConnection) -> Discarded:
    """Delete the rows whose load never committed (see the module doc); return what was
    removed (nothing, on a database without the staging tables)."""
    found = Discarded()
    try:
        tables = _tables_with_loads(con)
        if not tables:
            return found
    except duckdb.Error:
        return found
    unfinished = (
        "load_id not in (select load_id from staging.loads) "
        f"and regexp_full_match(load_id, '{LOAD_ID_PATTERN}')"
    )
    counts = {}
    ids: set[str] = set()
    for schema, table in tables:
        relation = f'"{schema}"."{table}"'  # names from the catalogue
        rows = con.execute(
            f"select load_id, count(*) from {relation} where {unfinished} group by load_id"
        ).fetchall()
        if rows:
            counts[f"{schema}.{table}"] = sum(n for _, n in rows)
            ids |= {load_id for load_id, _ in rows}
    if not counts:
        return found
    con.execute("begin transaction")
    try:
        for name in counts:
            schema, table = name.split(".")
            con.execute(f'delete from "{schema}"."{table}" where {unfinished}')
        con.execute("commit")
    except BaseException:
        try:  # as datadialog.db.rollback (db imports this module, not the reverse)
            con.execute("rollback")
        except duckdb.Error:
            pass
        raise
    found.rows, found.load_ids = counts, sorted(ids)
    log.warning("%s", found.message())
    return found
