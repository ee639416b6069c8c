"""The national roll-up's database side: what an organisation's run exports, and the
national marts built from those exports.

Organisation side (:func:`export_cells`): after its build, an organisation's database
is read (read-only) with the ``transforms/sql/national/export_*.sql`` queries, and each
result is written as one Parquet file. They hold cells, never rows about a citizen: per
cell the counts and score sums that add up across organisations, and whether the
organisation's own mart hides the cell.

National side (:func:`build_national`): the exports of one quarter are copied into a
fresh database as ``exchange_*`` tables, the suppression macro
(``transforms/sql/macros/suppression.sql``) is created with the national k in
``ref.settings``, and the ``national_*.sql`` models are built from them. The rule for
summing hidden cells is in the models' headers and in docs/operations.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms.sqltext import sql_file

#: The exported cell tables (``export_<name>.sql`` -> ``<name>.parquet``).
EXPORTS: tuple[str, ...] = ("progression_cells", "collection_cells")
#: The national models (``national/<name>.sql``), built in this order.
NATIONAL_MODELS: tuple[str, ...] = (
    "national_progression_by_point",
    "national_measurement_collection_by_quarter",
)
#: Column names an export may never carry (per-citizen or per-course identifiers).
FORBIDDEN_COLUMNS = frozenset({"citizen_id", "course_id", "form_id", "cpr", "staff_id"})


class ExportError(Exception):
    """An export query would carry a per-citizen column (a bug in a query, never data)."""


def export_cells(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Write each export query's result to ``folder/<name>.parquet``; {name: rows}."""
    rows = {}
    for name in EXPORTS:
        relation = con.sql(sql_file(f"national/export_{name}.sql"))
        leaked = FORBIDDEN_COLUMNS & {c.lower() for c in relation.columns}
        if leaked:
            raise ExportError(f"export {name} would carry {', '.join(sorted(leaked))}")
        path = folder / f"{name}.parquet"
        relation.write_parquet(str(path))
        rows[name] = con.sql("select count(*) from read_parquet($path)",
                             params={"path": str(path)}).fetchone()[0]
    return rows


def build_national(con: duckdb.DuckDBPyConnection, parts: dict[str, list[str]],
                   small_cell_k: int) -> dict[str, int]:
    """Build the national marts in ``con`` from the Parquet files ``parts[name]`` (one
    per organisation); {model: rows}. Every name of :data:`EXPORTS` needs a file."""
    missing = [name for name in EXPORTS if not parts.get(name)]
    if missing:
        raise ValueError(f"no Parquet files for {', '.join(missing)}")
    con.execute("create schema if not exists ref")
    con.execute("create or replace table ref.settings as select $k::integer as small_cell_k",
                {"k": small_cell_k})
    con.execute(sql_file("macros/suppression.sql"))
    for name in EXPORTS:
        con.execute(f"drop table if exists exchange_{name}")
        con.read_parquet(parts[name]).create(f"exchange_{name}")
    built = {}
    for model in NATIONAL_MODELS:
        con.execute(f"create or replace table {model} as {sql_file(f'national/{model}.sql')}")
        built[model] = con.sql(f"select count(*) from {model}").fetchone()[0]
    return built


def write_coverage(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """``national_coverage``: one row per registered organisation and its status."""
    con.execute(sql_file("national/national_coverage_ddl.sql"))
    if rows:
        con.executemany("insert into national_coverage values (?, ?, ?, ?, ?, ?)", rows)
