"""The model runner, the model contracts, the docs, the CLI and the Prefect flow."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from datadialog.config_load import load_config
from datadialog.db import connect
from tests.support.paths import REPO
from tests.support.staging import StagingWriter
from transforms.build import (
    CACHE_SCHEMA,
    SQL_DIR,
    ModelError,
    build,
    discover_models,
    kept_temporary,
    list_marts,
    render_docs,
)
from transforms.schema import ensure_schema

DOCS = REPO / "docs" / "marts.md"

EXPECTED_MARTS = {
    "mart_citizen_agreements",
    "mart_citizen_courses",
    "mart_citizen_goals",
    "mart_citizen_item_responses",
    "mart_citizen_kik",
    "mart_citizen_measurement_status",
    "mart_citizen_progression",
    "mart_fidelity_outcome",
    "mart_goal_attainment_by_area",
    "mart_group_comparison",
    "mart_progression_by_point",
    "mart_reliable_change_by_quarter",
    "mart_target_group_at_start",
}


@pytest.fixture(scope="module")
def empty_db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    build(con, load_config(), as_of=date(2025, 1, 1), keep_temporary=True)
    yield con
    con.close()


def test_models_in_dependency_order() -> None:
    models = discover_models()
    position = {m.name: i for i, m in enumerate(models)}
    for model in models:
        for dependency in model.depends_on:
            assert position[dependency] < position[model.name], (model.name, dependency)
    scores = next(m for m in models if m.name == "int_scores")
    assert {"int_scale_scores", "int_form_points", "int_courses"} <= set(scores.depends_on)


def test_temporary_models_are_gone_after_a_build() -> None:
    con = duckdb.connect()
    build(con, load_config(), as_of=date(2025, 1, 1))
    temporary = [m.name for m in discover_models() if m.materialized == "temporary"]
    assert "int_point_scores" in temporary
    tables = {
        (schema, name) for schema, name in con.sql(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    main = {name for schema, name in tables if schema == "main"}
    assert not main & set(temporary)
    assert {"int_scores", "int_course_outcome_scores"} <= main
    # the temporary models that an aggregate reads stay (whole) for the next refresh
    cached = {name for schema, name in tables if schema == CACHE_SCHEMA}
    assert cached == kept_temporary(discover_models())
    assert "int_point_score_series" in cached
    assert "int_point_scores" not in cached


def test_view_may_not_read_a_temporary_model(tmp_path: Path) -> None:
    for sub in ("intermediate", "marts"):
        (tmp_path / sub).mkdir()
    header = "-- model: {0}\n-- grain: one row\n-- materialized: {1}\n-- columns:\n--   x: a\n"
    (tmp_path / "intermediate" / "int_a.sql").write_text(
        header.format("int_a", "temporary") + "select 1 as x"
    )
    (tmp_path / "marts" / "mart_b.sql").write_text(
        header.format("mart_b", "view") + "select * from int_a"
    )
    with pytest.raises(ModelError, match="reads temporary"):
        discover_models(tmp_path)


def test_marts_are_discoverable() -> None:
    assert EXPECTED_MARTS <= set(list_marts())


def test_every_model_matches_its_header_contract(empty_db) -> None:
    for model in discover_models():
        columns = empty_db.table(model.name).columns
        assert columns == list(model.columns), model.name


def test_aggregated_marts_carry_suppression_flags(empty_db) -> None:
    for name in EXPECTED_MARTS:
        columns = empty_db.table(name).columns
        aggregated = not name.startswith("mart_citizen_")
        assert ("is_suppressed" in columns) is aggregated, name
        if aggregated:
            assert "n_citizens" in columns, name


def test_docs_list_every_model() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_docs(discover_models()), (
        "docs/marts.md is stale: run `python -m transforms.build --docs docs/marts.md`"
    )


def test_reference_tables_written_from_config(empty_db) -> None:
    k, as_of = empty_db.sql("select small_cell_k, as_of_date from ref.settings").fetchone()
    assert (k, as_of) == (5, date(2025, 1, 1))
    reversed_items = empty_db.sql(
        "select list(item_no order by item_no) from ref.instrument_items "
        "where instrument_id = 'sdq_p' and is_reversed"
    ).fetchone()[0]
    assert reversed_items == [7, 11, 14, 21, 25]
    n_total = empty_db.sql(
        "select n_scale_items from ref.scales where instrument_id = 'sdq_p' and is_total"
    ).fetchone()[0]
    assert n_total == 20  # prosocial items are left out of the total
    # int_form_items looks item flags up by position: every instrument's items are 1..n_items
    gaps = empty_db.sql(
        "select instruments.instrument_id from ref.instruments as instruments "
        "left join ref.instrument_items as items using (instrument_id) "
        "group by instruments.instrument_id, instruments.n_items "
        "having list(items.item_no order by items.item_no) "
        "is distinct from range(1, instruments.n_items + 1)"
    ).fetchall()
    assert gaps == []


def test_failed_model_rolls_back_the_whole_build(tmp_path: Path) -> None:
    sql_dir = tmp_path / "sql"
    for sub in ("ddl", "macros", "intermediate", "marts"):
        (sql_dir / sub).mkdir(parents=True)
    for ddl in ("landing.sql", "staging.sql", "meetings.sql"):
        (sql_dir / "ddl" / ddl).write_text((SQL_DIR / "ddl" / ddl).read_text())
    header = "-- model: {0}\n-- grain: one row\n-- columns:\n--   x: a number\n"
    (sql_dir / "intermediate" / "int_good.sql").write_text(
        header.format("int_good") + "select 1 as x"
    )
    (sql_dir / "marts" / "mart_bad.sql").write_text(
        header.format("mart_bad") + "select x from int_good join no_such_table using (x)"
    )
    con = duckdb.connect()
    with pytest.raises(ModelError, match="mart_bad"):
        build(con, load_config(), sql_dir=sql_dir)
    tables = con.sql("select table_name from information_schema.tables").fetchall()
    assert tables == []  # not even int_good or the staging tables survive


def test_cycle_is_reported(tmp_path: Path) -> None:
    for sub in ("intermediate", "marts"):
        (tmp_path / sub).mkdir()
    header = "-- model: {0}\n-- grain: one row\n-- columns:\n--   x: a number\n"
    (tmp_path / "intermediate" / "int_a.sql").write_text(
        header.format("int_a") + "select * from int_b"
    )
    (tmp_path / "intermediate" / "int_b.sql").write_text(
        header.format("int_b") + "select * from int_a"
    )
    with pytest.raises(ModelError, match="cycle"):
        discover_models(tmp_path)


def test_cli_build_prints_models_and_rows(tmp_path: Path) -> None:
    from cli.app import app

    db = tmp_path / "dd.duckdb"
    con = duckdb.connect(str(db))
    w = StagingWriter(con)
    w.course("c1", "p1", "voksenstoette", "2024-01-01")
    w.form("f1", "c1", "ors", "2024-01-01", [5, 5, 5, 5])
    w.flush()
    con.close()
    result = CliRunner().invoke(app, ["build", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "mart_citizen_progression" in result.output
    assert f"models ({len(list_marts())} marts) built in" in result.output
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.sql("select score from int_scores").fetchall() == [(20.0,)]


def test_cli_build_reports_bad_config(tmp_path: Path) -> None:
    from cli.app import app

    result = CliRunner().invoke(app, ["build", "--db", str(tmp_path / "x.duckdb"), "--config",
                                      str(tmp_path)])  # fmt: skip
    assert result.exit_code == 2  # could not start, as in every command
    assert "no .yaml files found" in result.output


@pytest.mark.slow
@pytest.mark.prefect_server
def test_prefect_flow_builds(tmp_path: Path) -> None:
    from prefect.testing.utilities import prefect_test_harness

    from flows.build import build_flow

    db = tmp_path / "flow.duckdb"
    with prefect_test_harness(server_startup_timeout=120):
        rows = build_flow(str(db), as_of=date(2025, 1, 1))
    assert set(EXPECTED_MARTS) <= set(rows)
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.sql("select count(*) from mart_citizen_courses").fetchone() == (0,)


def test_cli_build_of_an_empty_database_says_to_load_first(tmp_path: Path) -> None:
    """Nothing ingested: the build succeeds (every model made, with no rows) and tells the
    data steward why the tables are empty and what to run; with data it says nothing."""
    from cli.app import app

    db = tmp_path / "empty.duckdb"
    con = connect(db)  # a database with its tables, nothing loaded into them
    ensure_schema(con)
    con.close()
    result = CliRunner().invoke(app, ["build", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "holds no staged courses or measurements" in result.output
    assert "datadialog ingest" in result.output
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.sql("select count(*) from mart_citizen_progression").fetchall() == [(0,)]
    checked = CliRunner().invoke(app, ["check", "--db", str(db), "--out", str(tmp_path / "q")])
    assert checked.exit_code == 1, checked.output  # no clean run stored on no data
    assert "then run the checks again" in checked.output
    con = duckdb.connect(str(db))
    w = StagingWriter(con)
    w.course("c1", "p1", "voksenstoette", "2024-01-01")
    w.flush()
    con.close()
    again = CliRunner().invoke(app, ["build", "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "no staged" not in again.output
