"""Build the intermediate and mart tables from the staging tables: a small model runner.

Models are the ``.sql`` files under ``transforms/sql/intermediate`` (``int_*``) and
``transforms/sql/marts`` (``mart_*``), one ``select`` each, named after the file. Every
file starts with a header comment that is its contract::

    -- model: mart_example
    -- grain: one row per ...
    -- columns:
    --   some_id: what it is
    --   n_citizens: what it counts
    --     (a deeper-indented line continues the description)

An optional ``-- materialized:`` line (after the grain) changes how a model is kept:

- ``table`` (default): a table in the database;
- ``view``: a view, for large per-citizen models that are only ever read filtered by
  course or form, where writing millions of rows at every build would cost more than
  reading them on demand;
- ``temporary``: a temporary table that lives only during the build, for large
  build-only steps that no reader needs (writing them to the file costs time). A view
  may not read a temporary model.

A model depends on every other model whose name it mentions; :func:`discover_models`
returns them in dependency order. :func:`build` runs, in one transaction: the schema
(:func:`transforms.schema.ensure_schema`), the ``ref`` tables from the config, the SQL
macros (``transforms/sql/macros``), then ``create or replace table <model> as <select>``
for every model (``view`` / ``temp table`` as materialized). Any failure rolls the whole
build back; temporary tables are dropped at the end.

Decks and checks find the published tables with :func:`list_marts`. ``python -m
transforms.build --docs docs/marts.md`` rewrites the model list from the headers.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb

from datadialog.config_model import DatadialogConfig
from datadialog.db import connect, rollback
from transforms.reference import write_reference
from transforms.schema import ensure_schema

SQL_DIR = Path(__file__).resolve().parent / "sql"
LAYERS: tuple[str, ...] = ("intermediate", "marts")

MATERIALIZATIONS: tuple[str, ...] = ("table", "view", "temporary")
_CREATE = {"table": "table", "view": "view", "temporary": "temp table"}

_NAME = re.compile(r"^(int|mart)_[a-z0-9_]+$")
_REFERENCE = re.compile(r"\b((?:int|mart)_[a-z0-9_]+)\b")
_COLUMN_LINE = re.compile(r"^--   ([a-z_][a-z0-9_]*): (.*)$")
_CONTINUATION = re.compile(r"^--     +(.*)$")


class ModelError(Exception):
    """A model file is malformed, the models form a cycle, or a model failed to build."""


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    path: Path
    sql: str
    grain: str
    notes: str
    columns: dict[str, str]
    materialized: str = "table"
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelResult:
    """One built model; ``rows`` is -1 for views (not counted, to keep builds fast)."""

    name: str
    layer: str
    rows: int
    seconds: float
    materialized: str = "table"


@dataclass
class BuildResult:
    models: list[ModelResult] = field(default_factory=list)
    reference_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def marts(self) -> list[ModelResult]:
        return [m for m in self.models if m.layer == "marts"]


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def parse_header(path: Path, sql: str) -> tuple[str, str, dict[str, str], str]:
    """Return (grain, notes, {column: description}, materialized) from a model's header.

    Notes are the header lines between the grain and ``-- columns:`` (the model's rules).
    """
    lines = sql.splitlines()
    if not lines or lines[0].strip() != f"-- model: {path.stem}":
        raise ModelError(f"{path}: the first line must be '-- model: {path.stem}'")
    grain_parts: list[str] = []
    notes: list[str] = []
    columns: dict[str, str] = {}
    section = ""
    last_column = ""
    materialized = "table"
    for line in lines[1:]:
        if not line.startswith("--"):
            break
        if line.startswith("-- materialized:"):
            materialized = line.split(":", 1)[1].strip()
            if materialized not in MATERIALIZATIONS:
                raise ModelError(f"{path}: materialized must be one of {MATERIALIZATIONS}")
            section = ""
        elif line.startswith("-- grain:"):
            section = "grain"
            grain_parts.append(line[len("-- grain:") :].strip())
        elif line.strip() == "-- columns:":
            section = "columns"
        elif section == "columns" and (match := _COLUMN_LINE.match(line)):
            last_column = match.group(1)
            columns[last_column] = match.group(2).strip()
        elif section == "columns" and last_column and (match := _CONTINUATION.match(line)):
            columns[last_column] += " " + match.group(1).strip()
        elif section == "grain" and line.startswith("--   "):
            grain_parts.append(line[2:].strip())
        elif section != "columns":
            section = "notes"
            notes.append(line[3:] if line.startswith("-- ") else line[2:])
    if not grain_parts:
        raise ModelError(f"{path}: header has no '-- grain:' line")
    if not columns:
        raise ModelError(f"{path}: header lists no columns under '-- columns:'")
    return " ".join(grain_parts), "\n".join(notes).strip(), columns, materialized


def _read_model(path: Path, layer: str) -> Model:
    name = path.stem
    if not _NAME.match(name):
        raise ModelError(f"{path}: model names are int_* or mart_* in lower case")
    sql = path.read_text(encoding="utf-8")
    grain, notes, columns, materialized = parse_header(path, sql)
    body = sql.strip().rstrip(";").strip()
    return Model(
        name=name,
        layer=layer,
        path=path,
        sql=body,
        grain=grain,
        notes=notes,
        columns=columns,
        materialized=materialized,
    )


def discover_models(sql_dir: Path = SQL_DIR) -> list[Model]:
    """All models under ``sql_dir``, each after the models it reads."""
    found: dict[str, Model] = {}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            model = _read_model(path, layer)
            if model.name in found:
                raise ModelError(f"{path}: model {model.name!r} defined twice")
            found[model.name] = model
    graph: dict[str, tuple[str, ...]] = {}
    for name, model in found.items():
        refs = set(_REFERENCE.findall(_strip_comments(model.sql)))
        graph[name] = tuple(sorted(r for r in refs if r in found and r != name))
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise ModelError(f"models depend on each other in a cycle: {exc.args[1]}") from None
    for name, model in found.items():
        temporary = [d for d in graph[name] if found[d].materialized == "temporary"]
        if model.materialized == "view" and temporary:
            raise ModelError(
                f"{model.path}: view {name} reads temporary model(s) {temporary}, "
                "which are gone after the build"
            )
    return [replace(found[n], depends_on=graph[n]) for n in order]


def list_marts(sql_dir: Path = SQL_DIR) -> list[str]:
    """Names of the published mart tables, in build order."""
    return [m.name for m in discover_models(sql_dir) if m.layer == "marts"]


def _drop_other_kind(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Drop a table left where a view now goes (or the reverse), e.g. after a change of
    materialization; ``create or replace`` cannot change an object's kind."""
    existing = con.execute(
        "select table_type from information_schema.tables "
        "where table_catalog = current_database() and table_schema = 'main' "
        "and table_name = ?",
        [model.name],
    ).fetchone()
    wanted = {"view": "VIEW", "table": "BASE TABLE"}.get(model.materialized)
    if existing and existing[0] != wanted:
        kind = "view" if existing[0] == "VIEW" else "table"
        con.execute(f"drop {kind} main.{model.name}")


def _run_sql_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(path.read_text(encoding="utf-8"))


def build(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    *,
    as_of: date | None = None,
    sql_dir: Path = SQL_DIR,
    on_start: Callable[[Model], None] | None = None,
    on_done: Callable[[ModelResult], None] | None = None,
    keep_temporary: bool = False,
) -> BuildResult:
    """Build every model into ``con`` in one transaction; return row counts and timings.

    ``as_of`` is the date due/overdue statuses are judged on (default: today).
    ``on_start`` / ``on_done`` are called around each model (progress bars).
    ``keep_temporary`` leaves the temporary models in the session (tests, debugging).
    """
    models = discover_models(sql_dir)
    result = BuildResult()
    started = time.perf_counter()
    # DuckDB's own progress bar would print over the caller's (CLI) progress display.
    con.execute("set enable_progress_bar = false")
    con.begin()
    try:
        ensure_schema(con, own_transaction=False)
        result.reference_rows = write_reference(con, config, as_of or date.today())
        for path in sorted((sql_dir / "macros").glob("*.sql")):
            _run_sql_file(con, path)
        for model in models:
            if on_start:
                on_start(model)
            t0 = time.perf_counter()
            try:
                # The name is the model's own file name (checked against _NAME) and the
                # kind one of MATERIALIZATIONS; nothing else is templated.
                _drop_other_kind(con, model)
                con.execute(
                    f"create or replace {_CREATE[model.materialized]} {model.name} as\n"
                    f"{model.sql}"
                )
                rows = -1
                if model.materialized != "view":
                    count = con.table(model.name).aggregate("count(*)").fetchone()
                    rows = int(count[0]) if count else 0
            except duckdb.Error as exc:
                raise ModelError(f"model {model.name} ({model.path}) failed: {exc}") from exc
            model_result = ModelResult(
                model.name, model.layer, rows, time.perf_counter() - t0, model.materialized
            )
            result.models.append(model_result)
            if on_done:
                on_done(model_result)
        for model in models:
            if model.materialized == "temporary" and not keep_temporary:
                con.execute(f"drop table temp.main.{model.name}")
        con.commit()
    except BaseException:
        rollback(con)
        raise
    result.seconds = time.perf_counter() - started
    return result


def build_database(
    db_path: str | Path,
    config: DatadialogConfig,
    *,
    as_of: date | None = None,
    on_start: Callable[[Model], None] | None = None,
    on_done: Callable[[ModelResult], None] | None = None,
) -> BuildResult:
    """Open the database (``datadialog.db.connect``: waits for another writer's lock,
    creates the file if absent), build, close."""
    con = connect(db_path)
    try:
        return build(con, config, as_of=as_of, on_start=on_start, on_done=on_done)
    finally:
        con.close()


def render_docs(models: list[Model]) -> str:
    """Markdown list of the models (name, grain, columns) from their headers."""
    out = [
        "# Intermediate models and marts",
        "",
        "Generated from the header of each model file by "
        "`python -m transforms.build --docs docs/marts.md`; edit the `.sql` headers, "
        "not this file. Tables live in the main schema of the DuckDB database; marts are "
        "what decks and checks read. Per-citizen marts are `mart_citizen_*`; every other "
        "mart is aggregated and hides small cells (`is_suppressed`, "
        "`suppression_reason`).",
        "",
    ]
    for layer, title in (("marts", "Marts"), ("intermediate", "Intermediate models")):
        out += [f"## {title}", ""]
        for model in sorted((m for m in models if m.layer == layer), key=lambda m: m.name):
            out += [f"### `{model.name}`", "", f"Grain: {model.grain}", ""]
            if model.materialized != "table":
                out += [f"Materialized as a {model.materialized}.", ""]
            if model.notes:
                out += ["```text", model.notes, "```", ""]
            if model.depends_on:
                reads = ", ".join(f"`{d}`" for d in model.depends_on)
                out += [f"Reads: {reads}", ""]
            out += ["| column | meaning |", "| --- | --- |"]
            out += [
                f"| `{col}` | {text.replace('|', '/')} |" for col, text in model.columns.items()
            ]
            out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, help="write the model list (markdown) here")
    args = parser.parse_args(argv)
    models = discover_models()
    if args.docs:
        args.docs.write_text(render_docs(models), encoding="utf-8")
    for model in models:
        print(f"{model.layer:13} {model.name}")


if __name__ == "__main__":  # pragma: no cover
    main()
