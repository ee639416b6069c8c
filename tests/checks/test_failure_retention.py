"""The failing rows of a scope's older check runs leave the database; their counts stay
(quality.failing_rows_kept_runs, checks/sql/runner/prune_failures.sql)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from pydantic import ValidationError

import checks.run as check_run
from checks.run import CheckError, run_checks
from datadialog.config_load import load_config
from datadialog.config_model import Quality
from tests.support.checks import build_and_check, pseudonym
from tests.support.staging import StagingWriter

AS_OF = date(2025, 10, 1)


def _config(keep: int):
    config = load_config()
    quality = config.quality.model_copy(update={"failing_rows_kept_runs": keep})
    return config.model_copy(update={"quality": quality})


def _rows(con, run_id: str) -> int:
    return con.execute("select count(*) from quality.failures where run_id = ?",
                       [run_id]).fetchone()[0]


def _failed(con, run_id: str) -> int:
    """The run's failing rows by its counts per rule (kept after the rows go)."""
    return con.execute("select sum(n_failed) from quality.results where run_id = ?",
                       [run_id]).fetchone()[0]


@pytest.fixture()
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "retention.duckdb"))
    w = StagingWriter(con)
    # a late ORS at start and a GAS at start never collected: failing rows every run
    w.course("A", pseudonym(1), "spaedbarn", "2025-07-14", team_id="familie_nord")
    w.form("A1", "A", "ors", "2025-09-20", [4, 5, 5, 6])
    w.course("B", pseudonym(2), "spaedbarn", "2025-07-01", team_id="familie_nord")
    w.flush()
    yield con
    con.close()


def test_only_the_newest_runs_keep_their_rows(con) -> None:
    config = _config(2)
    first = build_and_check(con, config, AS_OF)
    second = run_checks(con, config)
    n_first = _rows(con, first.run_id)
    assert n_first > 0
    assert n_first == _failed(con, first.run_id)  # every failing row stored
    assert second.n_failures_pruned == 0
    assert _rows(con, first.run_id) == n_first  # two runs kept: nothing went yet

    third = run_checks(con, config)
    assert third.n_failures_pruned == n_first
    assert _rows(con, first.run_id) == 0
    assert _rows(con, second.run_id) == _failed(con, second.run_id) > 0
    assert _rows(con, third.run_id) == _failed(con, third.run_id) > 0
    # the first run's line and counts stay
    runs = con.execute("select run_id from quality.runs order by started_at").fetchall()
    assert [r[0] for r in runs] == [first.run_id, second.run_id, third.run_id]
    assert _failed(con, first.run_id) == n_first


def test_a_scope_prunes_only_its_own_runs(con) -> None:
    config = _config(1)
    organisation = build_and_check(con, config, AS_OF)
    n_org = _rows(con, organisation.run_id)
    scoped = [run_checks(con, config, scope_kind="intervention", scope_id="spaedbarn")
              for _ in range(2)]
    # the older intervention run lost its rows; the organisation's run kept its own
    assert _rows(con, scoped[0].run_id) == 0
    assert scoped[1].n_failures_pruned == _failed(con, scoped[0].run_id) > 0
    assert _rows(con, scoped[1].run_id) == _failed(con, scoped[1].run_id)
    assert _rows(con, organisation.run_id) == n_org > 0


def test_the_setting_is_checked() -> None:
    assert Quality().failing_rows_kept_runs == 7
    with pytest.raises(ValidationError, match="failing_rows_kept_runs"):
        Quality(failing_rows_kept_runs=0)


def _optimistic_writes(con) -> bool:
    return con.execute("select current_setting('enable_optimistic_write')").fetchone()[0]


@pytest.mark.parametrize("before", [True, False])
def test_a_run_leaves_optimistic_writes_as_it_found_them(con, before: bool) -> None:
    """The failing rows are appended at the commit (optimistic writes off while the run
    stores its results, checks.run.STORE_SETTINGS); the connection's setting is put back."""
    con.execute(f"set enable_optimistic_write = {'true' if before else 'false'}")
    run = build_and_check(con, _config(2), AS_OF)
    assert _optimistic_writes(con) is before
    assert _rows(con, run.run_id) == _failed(con, run.run_id) > 0


def test_a_run_that_fails_while_storing_puts_optimistic_writes_back(con, tmp_path,
                                                                     monkeypatch) -> None:
    """A statement failing at run time aborts the store's transaction, where DuckDB
    refuses any ``set``: the setting is put back after the rollback, and the error the
    run raises is the failing metric's, not DuckDB's refusal."""
    config = _config(2)
    build_and_check(con, config, AS_OF)  # built, one run stored
    runs = con.execute("select count(*) from quality.runs").fetchone()[0]
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    (metrics / "zz_cast.sql").write_text("select 'not a number'::integer as value\n",
                                         encoding="utf-8")
    monkeypatch.setattr(check_run, "METRICS_DIR", metrics)
    with pytest.raises(CheckError, match="zz_cast.sql"):
        run_checks(con, config)
    assert _optimistic_writes(con) is True
    assert con.execute("select count(*) from quality.runs").fetchone()[0] == runs
