"""The Prefect flow ``ingest`` only orchestrates transforms.ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def test_flow_definition_loads() -> None:
    from flows.ingest import ingest_files_task, ingest_flow, ingest_inbox_task

    assert ingest_flow.name == "ingest"
    assert ingest_files_task.name == "ingest-files"
    assert ingest_inbox_task.name == "ingest-inbox"


@pytest.mark.slow
@pytest.mark.prefect_server
def test_prefect_flow_ingests_files_and_inbox(tmp_path: Path, monkeypatch) -> None:
    from prefect.testing.utilities import prefect_test_harness

    from flows.ingest import ingest_flow

    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", "flow-test-key-0123456789abcdef")
    db = tmp_path / "flow.duckdb"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "a_forloeb_20240301.csv", inbox)
    with prefect_test_harness():
        files = ingest_flow(paths=[str(FIXTURES / "a_borgere_20240301.csv")], db_path=str(db))
        from_inbox = ingest_flow(
            db_path=str(db), inbox=str(inbox), archive=str(tmp_path / "archive")
        )
    assert [(r["status"], r["rows_staged"]) for r in files] == [("loaded", 4)]
    assert [(r["status"], r["rows_staged"]) for r in from_inbox] == [("loaded", 3)]
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.sql("select count(*) from staging.courses").fetchone() == (3,)
