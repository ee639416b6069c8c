"""datadialog.db: database choice, folders, DDL once per content, waiting for the lock."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from datadialog.db import DB_ENV, DatabaseBusyError, connect, database_path
from tests.support.paths import INGEST_FIXTURES
from transforms.schema import ensure_schema

HOLD_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_database_chosen_by_argument_then_env(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    assert database_path() == str(Path("data") / "datadialog.duckdb")
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.duckdb"))
    assert database_path() == str(tmp_path / "env.duckdb")
    assert database_path(tmp_path / "arg.duckdb") == str(tmp_path / "arg.duckdb")


def test_connect_creates_folders_and_ensure_schema_the_tables(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "deep" / "folder" / "dd.duckdb"
    monkeypatch.setenv(DB_ENV, str(target))
    con = connect()
    assert target.exists()
    # connect only connects: the schema owner makes the tables
    assert con.execute("select count(*) from duckdb_tables()").fetchone() == (0,)
    assert "staging.sql" in ensure_schema(con)
    tables = {
        f"{s}.{t}"
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name in "
            "('staging', 'landing')"
        ).fetchall()
    }
    assert {"staging.measurements", "staging.quarantine", "staging.loads"} <= tables
    assert {"landing.measurements", "landing.measurement_forms"} <= tables
    applied = con.execute("select count(*) from main.ddl_applied").fetchone()[0]
    assert applied >= 1
    con.execute(
        "insert into staging.citizens values ('P-1', 'female', 1990, 'L', 1)"
    )
    con.close()
    # a second connection keeps the data: DDL is applied once per content
    con = connect(target)
    assert ensure_schema(con) == []
    assert con.execute("select count(*) from staging.citizens").fetchone()[0] == 1
    con.close()


def _hold(path: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_busy_database_fails_with_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    connect(path).close()
    proc = _hold(path, 20)
    try:
        start = time.monotonic()
        with pytest.raises(DatabaseBusyError, match="database is in use by another load"):
            connect(path, wait_seconds=0.5)
        assert time.monotonic() - start < 10
    finally:
        proc.kill()
        proc.communicate()


def test_second_load_waits_for_the_first(tmp_path: Path) -> None:
    path = tmp_path / "wait.duckdb"
    connect(path).close()
    proc = _hold(path, 1.0)
    try:
        start = time.monotonic()
        con = connect(path, wait_seconds=30)
        waited = time.monotonic() - start
        con.close()
    finally:
        proc.kill()
        proc.communicate()
    assert waited > 0.3


def test_landing_tables_of_an_older_layout_are_upgraded(tmp_path: Path) -> None:
    """Landing rows once held a column per field and the load's source, file, sheet,
    checksum and time; now one JSON array of fields (the load row keeps the rest).
    An older database is brought up to date when it is opened, and only once."""
    import duckdb

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("create schema landing")
    old.execute(
        "create table landing.citizens (citizen_id varchar, gender varchar, birth_year varchar, "
        "load_id varchar not null, source_id varchar not null, file_name varchar not null, "
        "sheet varchar, sha256 varchar not null, row_no bigint not null, "
        "loaded_at timestamp not null)"
    )
    old.execute(
        "insert into landing.citizens values "
        "('P-1', 'K', null, 'L1', 'a', 'f.csv', null, 'abc', 1, now()), "
        "('P-2', 'M', '1990', 'L1', 'a', 'f.csv', null, 'abc', 2, now())"
    )
    old.execute(
        "create table landing.measurement_forms (form_ref varchar, note varchar, "
        "items map(integer, varchar), load_id varchar not null, source_id varchar not null, "
        "file_name varchar not null, sheet varchar, sha256 varchar not null, "
        "row_no bigint not null, loaded_at timestamp not null)"
    )
    old.execute(
        "insert into landing.measurement_forms values "
        "('S1', 'ok', map([1, 2], ['5', null]), 'L2', 'b', 'b.xlsx', 'Forms', 'def', 3, now())"
    )
    old.execute("create schema staging")
    old.execute(
        "create table staging.citizens (citizen_id varchar not null, gender varchar, "
        "birth_year integer, load_id varchar not null, source_id varchar not null, "
        "file_name varchar not null, row_no bigint not null, primary key (citizen_id))"
    )
    old.execute(
        "insert into staging.citizens values ('P-1', 'female', 1990, 'L1', 'a', 'f.csv', 1)"
    )
    # the load rows as they were (no landing_table yet)
    old.execute(
        "create table staging.loads (load_id varchar primary key, batch_id varchar not null, "
        "source_id varchar, file_name varchar not null, sha256 varchar not null, "
        "started_at timestamp not null, finished_at timestamp, rows_in bigint default 0, "
        "rows_staged bigint default 0, rows_unchanged bigint default 0, "
        "rows_quarantined bigint default 0, cpr_masked bigint default 0, "
        "status varchar not null, error varchar, warnings varchar[], replaced_by varchar)"
    )
    old.execute(
        "insert into staging.loads (load_id, batch_id, source_id, file_name, sha256, "
        "started_at, status) values ('L1', 'B1', 'a', 'f.csv', 'abc', now(), 'loaded'), "
        "('L2', 'B1', 'b', 'b.xlsx', 'def', now(), 'loaded')"
    )
    old.execute(
        "create table staging.load_tables (load_id varchar not null, file_name varchar not "
        "null, sheet varchar, canonical_table varchar not null, rows_in bigint not null, "
        "rows_staged bigint not null, rows_unchanged bigint not null, "
        "rows_quarantined bigint not null, cpr_masked bigint not null)"
    )
    old.execute(
        "insert into staging.load_tables values ('L1', 'f.csv', null, 'citizens', 2, 2, 0, 0, 0),"
        " ('L2', 'b.xlsx', 'Forms', 'measurements', 1, 1, 0, 0, 0)"
    )
    old.close()
    con = connect(path)
    assert "staging.sql" in ensure_schema(con)
    columns = [r[0] for r in con.execute("describe landing.citizens").fetchall()]
    assert columns == ["fields", "load_id", "row_no"]
    assert con.execute("select * from landing.citizens order by row_no").fetchall() == [
        ('["P-1","K",null]', "L1", 1),
        ('["P-2","M","1990"]', "L1", 2),
    ]
    assert con.execute(
        "select citizen_id, gender, birth_year from landing.citizens_fields order by row_no"
    ).fetchall() == [("P-1", "K", None), ("P-2", "M", "1990")]
    assert con.execute(
        "select fields, items, row_no from landing.measurement_forms"
    ).fetchall() == [('["S1","ok"]', {1: "5", 2: None}, 3)]
    # staged rows lose their source and file name (staging.loads has them), keep the rest
    assert con.execute("select * from staging.citizens").fetchall() == [
        ("P-1", "female", 1990, "L1", 1)
    ]
    # the landing rows of the old loads find their lineage, wide forms included
    assert con.execute(
        "select landing_table, file_name, sheet from landing.lineage order by load_id"
    ).fetchall() == [("citizens", "f.csv", None), ("measurement_forms", "b.xlsx", "Forms")]
    con.close()
    # opening it again changes nothing
    con = connect(path)
    assert ensure_schema(con) == []
    assert con.execute("select count(*) from landing.citizens").fetchone() == (2,)
    con.close()


@pytest.mark.parametrize("name", ["landing", "Staging", "ref", "quality"])
def test_a_database_named_after_a_schema_is_refused(tmp_path: Path, name: str) -> None:
    from datadialog.db import DatabaseNameError

    with pytest.raises(DatabaseNameError, match=f"'{name}' is also one of datadialog's schemas"):
        connect(tmp_path / f"{name}.duckdb")
    assert not (tmp_path / f"{name}.duckdb").exists()
    # any other name works, "main" included
    connect(tmp_path / "main.duckdb").close()


def test_the_cli_says_why_a_database_name_is_refused(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.app import app

    fixture = INGEST_FIXTURES / "a_borgere_20240301.csv"
    result = CliRunner().invoke(
        app, ["ingest", "--db", str(tmp_path / "landing.duckdb"), str(fixture)],
        env={"DATADIALOG_PSEUDONYM_KEY": "db-test-key-0123456789abcdef0123"},
    )
    assert result.exit_code == 2
    assert "give the file another name, e.g. datadialog.duckdb" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_calibration_scores_of_an_older_database_get_the_case_in_their_key(
    tmp_path: Path,
) -> None:
    import duckdb

    path = tmp_path / "old_calibration.duckdb"
    old = duckdb.connect(str(path))
    old.execute("create schema staging")
    old.execute(
        "create table staging.calibration_scores (workshop_id varchar not null, "
        "workshop_date date not null, staff_id varchar not null, instrument_id varchar not null, "
        "case_ref varchar, item_no integer not null, value double, load_id varchar not null, "
        "source_id varchar not null, file_name varchar not null, row_no bigint not null, "
        "primary key (workshop_id, staff_id, instrument_id, item_no))"
    )
    old.execute(
        "insert into staging.calibration_scores values "
        "('W1', '2024-01-10', 'm01', 'ors', null, 1, 6, 'L1', 'a', 'k.csv', 2), "
        "('W1', '2024-01-10', 'm02', 'ors', 'case-a', 1, 7, 'L1', 'a', 'k.csv', 3)"
    )
    old.close()
    con = connect(path)
    ensure_schema(con)
    assert con.execute(
        "select * from staging.calibration_scores order by staff_id"
    ).fetchall() == [
        ("W1", date(2024, 1, 10), "m01", "ors", "", 1, 6.0, "L1", 2),
        ("W1", date(2024, 1, 10), "m02", "ors", "case-a", 1, 7.0, "L1", 3),
    ]
    key = con.execute(
        "select constraint_column_names from duckdb_constraints() where schema_name = "
        "'staging' and table_name = 'calibration_scores' and constraint_type = 'PRIMARY KEY'"
    ).fetchone()[0]
    assert list(key) == ["workshop_id", "staff_id", "instrument_id", "case_ref", "item_no"]
    # a second case for the same staff member, instrument and item now fits
    con.execute(
        "insert into staging.calibration_scores values "
        "('W1', '2024-01-10', 'm02', 'ors', 'case-b', 1, 5, 'L2', 4)"
    )
    assert con.execute("select count(*) from staging.calibration_scores").fetchone() == (3,)
    con.close()


def test_loads_of_an_older_database_get_the_reexport_counts(tmp_path: Path) -> None:
    """A database made before rows_removed, dependents_quarantined and rows_flagged
    existed gets them (0 for its loads) from the first step that writes."""
    con = connect(tmp_path / "older.duckdb")
    ensure_schema(con)
    con.execute(
        "insert into staging.loads (load_id, batch_id, file_name, sha256, started_at, status) "
        "values ('L1', 'B1', 'a.csv', 'x', current_timestamp, 'loaded')"
    )
    for table in ("loads", "load_tables"):
        for column in ("rows_removed", "dependents_quarantined", "rows_flagged"):
            con.execute(f"alter table staging.{table} drop column {column}")
    con.execute("update main.ddl_applied set sha256 = 'older' where file_name = 'staging.sql'")
    assert "staging.sql" in ensure_schema(con)
    assert con.execute(
        "select rows_removed, dependents_quarantined, rows_flagged from staging.loads"
    ).fetchall() == [(0, 0, 0)]
    columns = con.execute(
        "select column_name from duckdb_columns() where schema_name = 'staging' "
        "and table_name = 'load_tables' and column_name like 'rows_%' order by column_index"
    ).fetchall()
    assert [c for (c,) in columns][-2:] == ["rows_removed", "rows_flagged"]
    con.close()
