"""The Prefect flow ``ingest`` only orchestrates transforms.ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.support.paths import INGEST_FIXTURES
from tests.support.wrong_formats import citizens_file, courses_file, dates, wrong_date_format

FIXTURES = INGEST_FIXTURES


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
    with prefect_test_harness(server_startup_timeout=120):
        state = ingest_flow(
            paths=[str(FIXTURES / "a_borgere_20240301.csv")], db_path=str(db), return_state=True
        )
        files = state.result()
        from_inbox = ingest_flow(
            db_path=str(db), inbox=str(inbox), archive=str(tmp_path / "archive")
        )
        messages = _run_log(state.state_details.flow_run_id)
        # a date_format that does not fit: the line naming the key is in the run's log
        wrong = tmp_path / "wrong"
        wrong.mkdir()
        exports = [citizens_file(wrong), courses_file(wrong, ["31-10-2026", *dates(7)])]
        wrong_state = ingest_flow(
            paths=[str(p) for p in exports], db_path=str(tmp_path / "wrong.duckdb"),
            config_dir=str(wrong_date_format(wrong)), return_state=True,
        )
        wrong_files = wrong_state.result()
        wrong_messages = _run_log(wrong_state.state_details.flow_run_id)
    assert [(r["status"], r["rows_staged"]) for r in files] == [("loaded", 4)]
    # ingest's own line per file is in the flow run's log in Prefect, CPR-masked
    loaded = [m for m in messages if m.startswith("a_borgere_20240301.csv: loaded as L")]
    assert len(loaded) == 1, messages
    assert "7 records in, 4 staged, 0 unchanged, 3 quarantined, 1 CPR numbers masked" in loaded[0]
    assert [(r["status"], r["rows_staged"]) for r in from_inbox] == [("loaded", 3)]
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.sql("select count(*) from staging.courses").fetchone() == (3,)
    courses = wrong_files[1]
    assert (courses["rows_in"], courses["rows_quarantined"]) == (8, 8)
    assert courses["quarantined_by_config"] is True
    (line,) = courses["format_faults"]
    assert "sources[fagsystem_a].date_format" in line and "'%d-%m-%Y' reads them" in line
    assert line in wrong_messages, wrong_messages


def _run_log(flow_run_id) -> list[str]:
    """The messages in Prefect's log of a flow run (its tasks included)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])),
            limit=200,
            offset=0,
        )
    return [log.message for log in logs]


@pytest.mark.slow
@pytest.mark.prefect_server
def test_prefect_flow_fails_on_another_key(tmp_path: Path, monkeypatch) -> None:
    from prefect.testing.utilities import prefect_test_harness

    from datadialog.privacy import key_fingerprint
    from flows.ingest import ingest_flow

    db = tmp_path / "flow.duckdb"
    first, other = "flow-test-key-0123456789abcdef", "flow-test-other-key-0123456789"
    # the temporary server's first start can take over 30 s on a busy machine
    with prefect_test_harness(server_startup_timeout=120):
        monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", first)
        loaded = ingest_flow(paths=[str(FIXTURES / "a_borgere_20240301.csv")], db_path=str(db))
        monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", other)
        state = ingest_flow(
            paths=[str(FIXTURES / "a_forloeb_20240301.csv")], db_path=str(db), return_state=True
        )
    assert [r["status"] for r in loaded] == ["loaded"]
    assert state.is_failed()
    with pytest.raises(Exception, match="pseudonym key mismatch") as caught:
        state.result()
    message = str(caught.value)
    assert key_fingerprint(first.encode())[:8] in message
    assert key_fingerprint(other.encode())[:8] in message
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.sql("select count(*) from staging.courses").fetchone() == (0,)


@pytest.mark.slow
@pytest.mark.prefect_server
def test_prefect_flow_refuses_a_short_key_before_making_the_database(
    tmp_path: Path, monkeypatch
) -> None:
    """A key refused as too short fails the flow, files named or inbox, before any task
    opens the database: no new, empty database file (nor its folder) is left behind, and
    the inbox keeps its files."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.ingest import ingest_flow

    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", "short")
    db = tmp_path / "data" / "new.duckdb"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "a_forloeb_20240301.csv", inbox)
    with prefect_test_harness(server_startup_timeout=120):
        named = ingest_flow(
            paths=[str(FIXTURES / "a_borgere_20240301.csv")], db_path=str(db), return_state=True
        )
        from_inbox = ingest_flow(
            db_path=str(db), inbox=str(inbox), archive=str(tmp_path / "archive"),
            return_state=True,
        )
    for state in (named, from_inbox):
        assert state.is_failed()
        with pytest.raises(Exception, match="pseudonym key from env:DATADIALOG_PSEUDONYM_KEY "
                           r"is too short \(5 bytes"):
            state.result()
    assert not db.exists() and not (tmp_path / "data").exists()
    assert [p.name for p in inbox.iterdir()] == ["a_forloeb_20240301.csv"]
    assert not (tmp_path / "archive").exists()
