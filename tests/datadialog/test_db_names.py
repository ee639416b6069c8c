"""A database file named after one of datadialog's schemas is refused before it is made:
DuckDB names a database after its file, so ``build_state.duckdb`` would make every
``build_state.x`` ambiguous (an ingest traceback, or every build failing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from datadialog.db import SCHEMA_NAMES, DatabaseNameError, connect
from tests.support.paths import INGEST_FIXTURES


def test_every_schema_datadialog_makes_is_a_refused_name() -> None:
    import re

    made = set()
    for path in (Path(__file__).parents[2] / "transforms").rglob("*"):
        if path.suffix not in (".py", ".sql"):
            continue
        made |= set(re.findall(r"create schema if not exists (\w+)",
                               path.read_text(encoding="utf-8"), flags=re.I))
    assert {"build_state", "build_cache"} <= made
    assert made <= set(SCHEMA_NAMES)


@pytest.mark.parametrize("name", ["build_state", "Build_Cache"])
def test_a_database_named_after_a_build_schema_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(DatabaseNameError, match=f"'{name}' is also one of datadialog's schemas"):
        connect(tmp_path / f"{name}.duckdb")
    assert not (tmp_path / f"{name}.duckdb").exists()


@pytest.mark.parametrize("name", ["build_state", "build_cache"])
def test_ingest_refuses_a_build_schema_name_in_one_line(tmp_path: Path, name: str) -> None:
    db = tmp_path / f"{name}.duckdb"
    result = CliRunner().invoke(
        app, ["ingest", "--db", str(db), str(INGEST_FIXTURES / "a_borgere_20240301.csv")],
        env={"DATADIALOG_PSEUDONYM_KEY": "db-test-key-0123456789abcdef0123", "COLUMNS": "400"},
    )
    assert result.exit_code == 2, result.output
    assert "give the file another name" in result.output
    assert "Traceback" not in result.output
    assert not db.exists()
