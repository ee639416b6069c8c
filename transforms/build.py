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
from datadialog.db import rollback
from transforms.build_state import fingerprint, save_state, table_digest
from transforms.reference import write_reference
from transforms.schema import ensure_schema

SQL_DIR = Path(__file__).resolve().parent / "sql"
LAYERS: tuple[str, ...] = ("intermediate", "marts")

MATERIALIZATIONS: tuple[str, ...] = ("table", "view", "temporary")
#: The one partition key of incremental models.
INCREMENTAL_KEY = "course_id"
#: Where temporary models that a full-rebuilt model reads are kept between builds.
CACHE_SCHEMA = "build_cache"
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
    #: ``-- incremental: course_id``: each course's rows depend only on that course's
    #: data (and its citizen's other courses): an incremental build redoes only the
    #: courses whose data changed (transforms/refresh.py).
    incremental: bool = False


@dataclass(frozen=True)
class ModelResult:
    """One built model; ``rows`` is -1 for views (not counted, to keep builds fast)."""

    name: str
    layer: str
    rows: int
    seconds: float
    materialized: str = "table"
    #: full (rebuilt), partial (only the changed courses redone) or unchanged
    how: str = "full"


@dataclass
class BuildResult:
    models: list[ModelResult] = field(default_factory=list)
    reference_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: full | incremental | up_to_date (transforms/refresh.py), and why
    mode: str = "full"
    reason: str = ""
    #: courses an incremental build redid (None for a full build)
    n_courses_changed: int | None = None

    @property
    def marts(self) -> list[ModelResult]:
        return [m for m in self.models if m.layer == "marts"]


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def parse_header(path: Path, sql: str) -> tuple[str, str, dict[str, str], str, bool]:
    """Return (grain, notes, {column: description}, materialized, incremental) from a
    model's header.

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
    incremental = False
    for line in lines[1:]:
        if not line.startswith("--"):
            break
        if line.startswith("-- incremental:"):
            if line.split(":", 1)[1].strip() != INCREMENTAL_KEY:
                raise ModelError(f"{path}: '-- incremental:' takes {INCREMENTAL_KEY} only")
            incremental = True
            section = ""
        elif line.startswith("-- materialized:"):
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
    if incremental and INCREMENTAL_KEY not in columns:
        raise ModelError(f"{path}: an incremental model needs a {INCREMENTAL_KEY} column")
    return " ".join(grain_parts), "\n".join(notes).strip(), columns, materialized, incremental


def _read_model(path: Path, layer: str) -> Model:
    name = path.stem
    if not _NAME.match(name):
        raise ModelError(f"{path}: model names are int_* or mart_* in lower case")
    sql = path.read_text(encoding="utf-8")
    grain, notes, columns, materialized, incremental = parse_header(path, sql)
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
        incremental=incremental,
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


def kept_temporary(models: list[Model]) -> set[str]:
    """Temporary models that a non-incremental model reads: an incremental build rebuilds
    that reader in full, so they are kept whole between builds (in ``build_cache``)."""
    by_name = {m.name: m for m in models}
    return {
        dep
        for m in models
        if not m.incremental
        for dep in m.depends_on
        if by_name[dep].materialized == "temporary"
    }


def create_model(con: duckdb.DuckDBPyConnection, model: Model, kept: bool) -> int:
    """``create or replace`` one model as materialized; return its row count (-1 for a
    view). A kept temporary model becomes a table in ``build_cache`` and a temporary
    view of its name, so readers find it as they would the temporary table."""
    # The name is the model's own file name (checked against _NAME) and the kind one of
    # MATERIALIZATIONS; nothing else is templated.
    if kept:
        con.execute(f"create or replace table {CACHE_SCHEMA}.{model.name} as\n{model.sql}")
        con.execute(
            f"create or replace temp view {model.name} as "
            f"select * from {CACHE_SCHEMA}.{model.name}"
        )
        relation = f"{CACHE_SCHEMA}.{model.name}"
    else:
        _drop_other_kind(con, model)
        con.execute(
            f"create or replace {_CREATE[model.materialized]} {model.name} as\n{model.sql}"
        )
        relation = model.name
    if model.materialized == "view":
        return -1
    count = con.table(relation).aggregate("count(*)").fetchone()
    return int(count[0]) if count else 0


def has_digest(model: Model, kept: set[str]) -> bool:
    """Whether builds record the model's content digest: the stored models rebuilt in
    full by every build that touches them (an incremental build compares the digest to
    leave what reads an unchanged one alone)."""
    return not model.incremental and (model.materialized == "table" or model.name in kept)


def stored_relation(model: Model, kept: set[str]) -> str:
    """Where a stored model's rows live: build_cache for a kept temporary one."""
    return f"{CACHE_SCHEMA}.{model.name}" if model.name in kept else f"main.{model.name}"


def drop_temporary(con: duckdb.DuckDBPyConnection, models: list[Model], kept: set[str]) -> None:
    """Drop the temporary models' tables (and the views of the kept ones) at the end."""
    for model in models:
        if model.name in kept:
            con.execute(f"drop view if exists temp.main.{model.name}")
        elif model.materialized == "temporary":
            con.execute(f"drop table if exists temp.main.{model.name}")


def build(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    *,
    as_of: date | None = None,
    sql_dir: Path = SQL_DIR,
    on_start: Callable[[Model], None] | None = None,
    on_done: Callable[[ModelResult], None] | None = None,
    keep_temporary: bool = False,
    reason: str = "full build asked for",
) -> BuildResult:
    """Build every model into ``con`` in one transaction; return row counts and timings.

    ``as_of`` is the date due/overdue statuses are judged on (default: today).
    ``on_start`` / ``on_done`` are called around each model (progress bars).
    ``keep_temporary`` leaves the temporary models in the session (tests, debugging).
    """
    models = discover_models(sql_dir)
    result = BuildResult(mode="full", reason=reason)
    started = time.perf_counter()
    as_of = as_of or date.today()
    # DuckDB's own progress bar would print over the caller's (CLI) progress display.
    con.execute("set enable_progress_bar = false")
    con.begin()
    try:
        ensure_schema(con, own_transaction=False)
        result.reference_rows = write_reference(con, config, as_of)
        for path in sorted((sql_dir / "macros").glob("*.sql")):
            _run_sql_file(con, path)
        kept = kept_temporary(models)
        digests: dict[str, tuple[int, int]] = {}
        for model in models:
            if on_start:
                on_start(model)
            t0 = time.perf_counter()
            try:
                rows = create_model(con, model, model.name in kept)
                if has_digest(model, kept):
                    digests[model.name] = table_digest(con, stored_relation(model, kept))
            except duckdb.Error as exc:
                raise ModelError(f"model {model.name} ({model.path}) failed: {exc}") from exc
            model_result = ModelResult(
                model.name, model.layer, rows, time.perf_counter() - t0, model.materialized
            )
            result.models.append(model_result)
            if on_done:
                on_done(model_result)
        if not keep_temporary:
            drop_temporary(con, models, kept)
        save_state(
            con, mode="full", reason=reason, fingerprint_hex=fingerprint(config),
            as_of=as_of, model_digests=digests, n_courses_changed=None,
            n_models_full=len(models), n_models_partial=0,
            seconds=time.perf_counter() - started,
        )
        con.commit()
    except BaseException:
        rollback(con)
        raise
    result.seconds = time.perf_counter() - started
    return result


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
            if model.incremental:
                out += ["Incremental: a refresh redoes only the rows of the courses whose "
                        "data changed (`transforms/refresh.py`).", ""]
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
