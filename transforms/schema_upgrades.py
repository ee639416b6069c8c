"""Bring a database made by an earlier datadialog up to the current layout.

:func:`transforms.schema.ensure_schema` runs the steps of a DDL file just before and just
after that file (when it is new or changed), in the same transaction. A step looks at the catalog
and does nothing when the database already has the current layout, so running it
twice is running it once. The SQL is in ``transforms/sql/ddl/upgrades/``.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from transforms.sqltext import ident, model
from transforms.tables import TABLE_KEYS

#: Columns of a landing table of the old layout that are not record fields.
OLD_LANDING_LINEAGE = (
    "load_id", "source_id", "file_name", "sheet", "sha256", "row_no", "loaded_at",
)  # fmt: skip
#: Columns a landing table keeps as columns (beside the JSON array of fields).
LANDING_COLUMNS = ("items", "load_id", "row_no")


def landing_fields(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Landing tables with a column per field become one JSON array of fields.

    Before 2026-11 every landing row held its fields as columns and the load's
    source, file name, sheet, checksum and time. Returns the tables rewritten.
    """
    tables = con.execute(
        "select table_name from duckdb_tables() "
        "where schema_name = 'landing' and database_name = current_database() "
        "order by table_name"
    ).fetchall()
    rewritten = []
    for (table,) in tables:
        columns = [
            row[0]
            for row in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'landing' "
                "and table_name = ? and database_name = current_database() "
                "order by column_index",
                [table],
            ).fetchall()
        ]
        if "fields" in columns:
            continue
        fields = [c for c in columns if c not in OLD_LANDING_LINEAGE and c != "items"]
        kept = [c for c in LANDING_COLUMNS if c in columns]
        con.execute(
            model(
                "ddl/upgrades/landing_fields.sql",
                table=f"landing.{ident(table)}",
                new_table=f"landing.{ident(table + '_upgrade')}",
                name=ident(table),
                fields=", ".join(ident(c) for c in fields),
                columns=", ".join(ident(c) for c in kept),
            )
        )
        rewritten.append(table)
    return rewritten


#: Columns staged rows had before 2026-11 (now in staging.loads, found by load_id).
OLD_STAGING_LINEAGE = ("source_id", "file_name")


def staging_lineage(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Staging tables lose ``source_id`` and ``file_name``: a row's load_id leads to
    them (staging.loads). Before 2026-11 every staged row held them; the quarantine
    keeps them. Returns the tables changed.
    """
    changed = []
    for table in TABLE_KEYS:
        present = con.execute(
            "select list(column_name) from duckdb_columns() where schema_name = 'staging' "
            "and table_name = ? and database_name = current_database()",
            [table],
        ).fetchone()[0] or []
        dropped = [c for c in OLD_STAGING_LINEAGE if c in present]
        for column in dropped:
            sql = model(
                "ddl/upgrades/drop_column.sql",
                table=f"staging.{ident(table)}",
                column=ident(column),
            )
            con.execute(sql)
        if dropped:
            changed.append(table)
    return changed


def _primary_key(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str] | None:
    """The primary-key columns of a table; None when there is no such table."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ? "
        "and database_name = current_database()",
        [schema, table],
    ).fetchone()[0]
    if not exists:
        return None
    row = con.execute(
        "select constraint_column_names from duckdb_constraints() where schema_name = ? "
        "and table_name = ? and constraint_type = 'PRIMARY KEY' "
        "and database_name = current_database()",
        [schema, table],
    ).fetchone()
    return list(row[0]) if row else []


def calibration_key_keep(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Before 2026-11 a calibration score's key had no case: a workshop that scored two
    cases with one instrument had the second quarantined as a duplicate. The old table
    is set aside (DuckDB cannot change a primary key in place); the DDL makes the new
    one and :func:`calibration_key_restore` moves the rows back."""
    key = _primary_key(con, "staging", "calibration_scores")
    if key is None or "case_ref" in key:
        return []
    con.execute(model("ddl/upgrades/calibration_key_keep.sql"))
    return ["calibration_scores"]


def calibration_key_restore(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The rows :func:`calibration_key_keep` set aside, into the new table."""
    if _primary_key(con, "staging", "calibration_scores_upgrade") is None:
        return []
    con.execute(model("ddl/upgrades/calibration_key_restore.sql"))
    return ["calibration_scores"]


#: Columns staging.loads and staging.load_tables got in 2026-12: what a corrected
#: re-export removed, quarantined or flagged (0 for the loads before).
REEXPORT_COUNTS = ("rows_removed", "dependents_quarantined", "rows_flagged")


def reexport_counts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Add the re-export counts to staging.loads and staging.load_tables of a database
    made before them (before the DDL: DuckDB does not alter a table the same
    transaction has written to). Returns the tables changed."""
    changed = []
    for table in ("loads", "load_tables"):
        if _primary_key(con, "staging", table) is None:
            continue  # a new database: the DDL makes the table with them
        present = con.execute(
            "select list(column_name) from duckdb_columns() where schema_name = 'staging' "
            "and table_name = ? and database_name = current_database()",
            [table],
        ).fetchone()[0] or []
        missing = [c for c in REEXPORT_COUNTS if c not in present]
        for column in missing:
            con.execute(
                model(
                    "ddl/upgrades/add_count_column.sql",
                    table=f"staging.{ident(table)}",
                    column=ident(column),
                )
            )
        if missing:
            changed.append(table)
    return changed


#: Text columns staging tables got in 2026-12 (table, column): the measurement point a
#: form's point label names (null for the rows before, and for exports without labels).
TEXT_COLUMNS = (("measurements", "point_id"),)


def text_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Add :data:`TEXT_COLUMNS` to the staging tables of a database made before them.
    Returns the tables changed."""
    changed = []
    for table, column in TEXT_COLUMNS:
        present = con.execute(
            "select list(column_name) from duckdb_columns() where schema_name = 'staging' "
            "and table_name = ? and database_name = current_database()",
            [table],
        ).fetchone()[0]
        if not present or column in present:
            continue  # a new database (the DDL makes it), or done before
        con.execute(
            model(
                "ddl/upgrades/add_text_column.sql",
                table=f"staging.{ident(table)}",
                column=ident(column),
            )
        )
        changed.append(table)
    return changed


def before_staging_ddl(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every step before ``staging.sql``, oldest first."""
    return (
        landing_fields(con) + staging_lineage(con) + calibration_key_keep(con)
        + reexport_counts(con) + text_columns(con)
    )


#: The upgrade step to run before a DDL file (by file name).
BEFORE_DDL: dict[str, Callable[[duckdb.DuckDBPyConnection], list[str]]] = {
    "staging.sql": before_staging_ddl,
}
#: The upgrade step to run after a DDL file (by file name), in the same transaction.
AFTER_DDL: dict[str, Callable[[duckdb.DuckDBPyConnection], list[str]]] = {
    "staging.sql": calibration_key_restore,
}
