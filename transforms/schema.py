"""The database schema's one owner: every DDL file is applied here, and only here.

The DDL files in ``transforms/sql/ddl/`` (landing and staging tables, the ``ref``
tables, the quality store, the meeting agreements) are applied in name order by
:func:`ensure_schema`, which every step that writes calls first (ingest, build, the
quality run). A file is applied once per content: the SHA-256 of every applied file is
kept in ``main.ddl_applied`` and a file runs again only when it changed, after the
file's upgrade step, if any (:mod:`transforms.schema_upgrades`, for databases made by
an earlier version), in the same transaction. So a file may use ``create table if not
exists`` (kept) or ``create or replace`` (rebuilt when the file changes).

The ``ref`` tables are recreated at every build (:func:`recreate_reference_tables`),
since the config they hold may have changed while the file did not.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from datadialog.db import rollback
from transforms.schema_upgrades import AFTER_DDL, BEFORE_DDL
from transforms.sqltext import SQL_DIR

DDL_DIR = SQL_DIR / "ddl"
#: The DDL file of the ``ref`` tables, recreated from the config at every build.
REFERENCE_DDL = "reference.sql"


def ddl_files(ddl_dir: Path = DDL_DIR) -> list[Path]:
    return sorted(ddl_dir.glob("*.sql"))


def ensure_schema(
    con: duckdb.DuckDBPyConnection, ddl_dir: Path = DDL_DIR, *, own_transaction: bool = True
) -> list[str]:
    """Run every DDL file that is new or changed since it was last applied (with its
    upgrade steps); return their names. Each file runs in a transaction of its own;
    with ``own_transaction=False`` the caller's open transaction holds them all (a build
    that fails then leaves not even the tables behind)."""
    con.execute(
        "create table if not exists main.ddl_applied ("
        " file_name varchar primary key, sha256 varchar not null, applied_at timestamp not null)"
    )
    applied = dict(con.execute("select file_name, sha256 from main.ddl_applied").fetchall())
    ran = []
    for path in ddl_files(ddl_dir):
        text = path.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if applied.get(path.name) == digest:
            continue
        if own_transaction:
            con.execute("begin transaction")
        try:
            before, after = BEFORE_DDL.get(path.name), AFTER_DDL.get(path.name)
            if before is not None:
                before(con)
            con.execute(text)
            if after is not None:
                after(con)
            con.execute(
                "insert or replace into main.ddl_applied values (?, ?, current_timestamp)",
                [path.name, digest],
            )
            if own_transaction:
                con.execute("commit")
        except Exception:
            if own_transaction:
                rollback(con)
            raise
        ran.append(path.name)
    return ran


def recreate_reference_tables(con: duckdb.DuckDBPyConnection, ddl_dir: Path = DDL_DIR) -> None:
    """Drop and recreate the empty ``ref`` tables (the build fills them from the config)."""
    con.execute((ddl_dir / REFERENCE_DDL).read_text(encoding="utf-8"))
