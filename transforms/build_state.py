"""What the last build was made from (``build_state`` schema, DDL ``build_state.sql``).

A build records, in its own transaction: a fingerprint of what every model's result
depends on besides the staging data and the as-of date (the config, the SQL), the
content of the staging data cut into parts (one per table and course, as sums of row
hashes: ``refresh/parts.sql``) and a digest of each aggregate model. The next build
compares (:mod:`transforms.refresh`): the same fingerprint and only some courses'
parts changed means only those courses, and what aggregates them, need redoing.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb

from datadialog.config_model import DatadialogConfig
from transforms.sqltext import SQL_DIR, literal, sql_file

#: SQL whose change makes every model's result different (the model runner's input).
_FINGERPRINT_DIRS = ("intermediate", "marts", "macros", "refresh", "ddl")
#: Python that decides what the models read and how they are run (ref.* tables, the
#: runner, the refresh): a new version of any of them means a full build.
_FINGERPRINT_CODE = ("reference.py", "build.py", "refresh.py", "build_state.py")


def fingerprint(config: DatadialogConfig) -> str:
    """SHA-256 of the config, every model, macro and DDL file and the code that runs
    them (the as-of date is recorded beside it: a new date is redone incrementally)."""
    digest = hashlib.sha256(config.model_dump_json().encode("utf-8"))
    for name in _FINGERPRINT_CODE:
        digest.update(name.encode())
        digest.update((Path(__file__).resolve().parent / name).read_bytes())
    for folder in _FINGERPRINT_DIRS:
        for path in sorted((SQL_DIR / folder).rglob("*.sql")):
            digest.update(str(path.relative_to(SQL_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def measure_parts(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the temporary table ``refresh_parts_now`` with the staging data's parts."""
    con.execute(sql_file("refresh/parts.sql"))


def last_build(con: duckdb.DuckDBPyConnection) -> tuple[str, date] | None:
    """(fingerprint, as-of date) of the last build recorded in this database (None:
    none yet)."""
    try:
        row = con.execute(
            "select fingerprint, as_of_date from build_state.runs "
            "order by finished_at desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        return None
    return (row[0], row[1]) if row else None


def nothing_staged(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database holds no staged course and no staged measurement: what the
    models read is empty, so every model and check comes out empty too."""
    row = con.execute("select not exists (select 1 from staging.courses) "
                      "and not exists (select 1 from staging.measurements)").fetchone()
    return bool(row and row[0])


def table_digest(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[int, int]:
    """(sum of row hashes, row count) of a table: equal digests, equal content (as a
    multiset of rows, which is what every reader of a model sees)."""
    # relation is a model name checked by the model runner, optionally schema-qualified
    row = con.execute(
        f"select coalesce(sum(hash(t)), 0)::hugeint, count(*) from {relation} as t"
    ).fetchone()
    return int(row[0]), int(row[1])


def comparable(column: str) -> str:
    """SQL for a DOUBLE column as two builds' results are compared: 9 significant digits
    but no finer than 1e-9, and 0 below 1e-9 in magnitude. Sums added in another order
    differ in the last bits, and for a mean near 0 those bits are not the last ones: at
    100 000 courses a mean gap of -7.98e-6 over 19 902 courses came out -7.981458765e-06
    in one full build and ...764e-06 in the next, across a 9th-digit boundary."""
    return (f"case when abs({column}) < 1e-9 then 0 else round({column}, "
            f"least(8 - floor(log10(abs({column}))), 9)::int) end")


def saved_model_digests(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    rows = con.execute("select model_name, digest, n_rows from build_state.model_digests")
    return {name: (int(d), int(n)) for name, d, n in rows.fetchall()}


def save_state(
    con: duckdb.DuckDBPyConnection,
    *,
    mode: str,
    reason: str,
    fingerprint_hex: str,
    as_of: date,
    model_digests: dict[str, tuple[int, int]],
    n_courses_changed: int | None,
    n_models_full: int,
    n_models_partial: int,
    seconds: float,
    parts_measured: bool = False,
) -> None:
    """Record this build (inside the caller's transaction): the parts of the staging
    data it saw (measured now unless ``parts_measured``) and the forms under two or
    more courses (measured now, or brought up to date from what ``refresh/delta.sql``
    found when ``parts_measured``), the digests of the aggregate
    models it rebuilt (merged into the earlier ones) and a line in ``build_state.runs``."""
    if not parts_measured:
        measure_parts(con)
        con.execute(sql_file("refresh/shared_forms.sql"))
        con.execute(sql_file("refresh/save_parts.sql"))
    else:  # refresh/delta.sql found the changed parts and the forms they touch
        con.execute(sql_file("refresh/save_shared_forms.sql"))
        con.execute(sql_file("refresh/save_changed_parts.sql"))
    con.execute(sql_file("refresh/write_parts.sql"))
    if not parts_measured:  # measured here: the caller's connection is left as it was
        con.execute("drop table if exists temp.main.refresh_parts_now")
    for name, (digest, n_rows) in model_digests.items():
        con.execute(f"delete from build_state.model_digests where model_name = {literal(name)}")
        con.execute("insert into build_state.model_digests values "
                    f"({literal(name)}, {int(digest)}::hugeint, {int(n_rows)})")
    # Literals, not parameters: any parameter makes DuckDB's Python client import pandas
    # (seconds for a command that needs nothing else of it).
    changed = "null" if n_courses_changed is None else str(int(n_courses_changed))
    con.execute(
        "insert into build_state.runs values (localtimestamp, "
        f"{literal(mode)}, {literal(reason)}, {literal(fingerprint_hex)}, "
        f"{literal(as_of.isoformat())}::date, {changed}, {int(n_models_full)}, "
        f"{int(n_models_partial)}, {float(seconds):.3f})"
    )
