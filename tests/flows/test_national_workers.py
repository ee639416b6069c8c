"""The national roll-up on a real Prefect server with two process workers: ten small
organisations, one with a malformed export; the national marts against one DuckDB over
all rows; the failed organisation alone, reported missing, then retried; two runs of
one organisation queued on its slot."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from datadialog.national_config import load_registry
from flows.national import deploy_national, national_flow
from pipeline.national import reporting_quarter, rollup
from pipeline.national_demo import demo_registry
from tests.support.meetings import PREFECT, PrefectServer, stop_process_groups

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
POOL = "national-test"
AS_OF = date(2026, 10, 31)
QUARTER = reporting_quarter(AS_OF)
ORGS, COURSES = 10, 40
BROKEN = "org_004"
KEY = "national-test-key-5f0c2a9e7d1b4c63"


def _settings(server: PrefectServer) -> dict:
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_LOGGING_TO_API_ENABLED,
        PREFECT_RESULTS_PERSIST_BY_DEFAULT,
    )

    return {PREFECT_API_URL: server.api_url, PREFECT_LOGGING_TO_API_ENABLED: False,
            PREFECT_RESULTS_PERSIST_BY_DEFAULT: True}


def _measurements(folder: Path) -> str:
    return next(folder.glob("a_maalinger_*.csv")).name


def _break(inbox: Path) -> Path:
    """Replace the measurement export's header: the file fails to load as a whole."""
    path = next(inbox.glob("a_maalinger_*.csv"))
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"dette;er;ikke;en;eksport\r\n" + b"".join(lines[1:]))
    return path


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    base = tmp_path_factory.mktemp("national")
    server = PrefectServer(base / "prefect")
    workers: list[subprocess.Popen] = []
    try:
        registry_path = demo_registry(base, ORGS, courses=COURSES, as_of=AS_OF)
        registry = load_registry(registry_path)
        _break(Path(registry.organisation(BROKEN).inbox))
        server.wait_healthy()
        env = server.env | {
            "PREFECT_API_URL": server.api_url, "DATADIALOG_PSEUDONYM_KEY": KEY,
            "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "true",
            "PREFECT_LOCAL_STORAGE_PATH": str(server.home / "storage"),
            "PYTHONPATH": str(ROOT),
            "PREFECT_WORKER_QUERY_SECONDS": "2",  # pick runs up sooner than 10 s
        }
        from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings

        settings = _settings(server) | {PREFECT_LOCAL_STORAGE_PATH: str(server.home / "storage")}
        with temporary_settings(updates=settings):
            deploy_national(str(registry_path), POOL)
        for i in range(2):
            with (base / f"worker{i}.log").open("wb") as log:
                workers.append(subprocess.Popen(
                    [PREFECT, "worker", "start", "--pool", POOL, "--type", "process",
                     "--limit", "1", "--name", f"worker-{i}"],
                    env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True))
        old_key = os.environ.get("DATADIALOG_PSEUDONYM_KEY")
        os.environ["DATADIALOG_PSEUDONYM_KEY"] = KEY
        started = time.monotonic()
        with temporary_settings(updates=settings):
            result = national_flow(str(registry_path), as_of=AS_OF, quality=False,
                                   poll_seconds=1.0, timeout_seconds=600)
        seconds = time.monotonic() - started
        yield {"base": base, "server": server, "registry_path": registry_path,
               "registry": registry, "result": result, "settings": settings,
               "seconds": seconds, "workers": workers}
    finally:
        if "old_key" in locals():
            if old_key is None:
                os.environ.pop("DATADIALOG_PSEUDONYM_KEY", None)
            else:
                os.environ["DATADIALOG_PSEUDONYM_KEY"] = old_key
        stop_process_groups(workers)
        server.stop()


def test_every_run_but_the_malformed_one_completes(stack) -> None:
    states = stack["result"]["states"]
    assert len(states) == ORGS
    assert states[BROKEN] == "Failed"
    assert {o: s for o, s in states.items() if o != BROKEN} == {
        o: "Completed" for o in states if o != BROKEN}
    rolled = stack["result"]["rollup"]
    assert rolled["missing"] == [BROKEN]
    assert len(rolled["included"]) == ORGS - 1 and rolled["stale"] == rolled["invalid"] == []
    assert Path(rolled["deck"]).is_file()
    # the failed file was kept apart with its error, not half-loaded
    inbox = Path(stack["registry"].organisation(BROKEN).inbox)
    assert (inbox / "failed" / f"{_measurements(inbox.parent / 'exports')}.error.txt").is_file()


def _all_rows(registry, organisations: list[str]) -> duckdb.DuckDBPyConnection:
    """One DuckDB holding every included organisation's rows (the reference)."""
    con = duckdb.connect()
    for i, organisation_id in enumerate(organisations):
        db = registry.organisation(organisation_id).database
        con.execute(f"attach '{db}' as o{i} (read_only)")
        verb = "create table all_scores as" if i == 0 else "insert into all_scores"
        con.execute(
            f"{verb} select ? as org, citizen_id, intervention_id, instrument_id, point_id, "
            f"occurrence_no, score from o{i}.int_scores where is_point_primary and is_total "
            f"and score is not null and point_id is not null", [organisation_id])
        verb = "create table all_status as" if i == 0 else "insert into all_status"
        con.execute(
            f"{verb} select ? as org, intervention_id, instrument_id, citizen_id, is_due, "
            f"is_collected, is_on_time, status, strftime(due_date, '%Y') || '-Q' || "
            f"quarter(due_date) as period from o{i}.mart_citizen_measurement_status "
            f"where due_date is not null", [organisation_id])
    return con


def test_national_marts_equal_one_database_over_all_rows(stack) -> None:
    registry = stack["registry"]
    included = stack["result"]["rollup"]["included"]
    ref = _all_rows(registry, included)
    expected = {
        (iv, ins, pt, occ): (n_cit, n_courses, mean)
        for iv, ins, pt, occ, n_cit, n_courses, mean in ref.execute(
            "select intervention_id, instrument_id, point_id, occurrence_no, "
            "count(distinct (org, citizen_id)), count(*), avg(score) from all_scores group by all"
        ).fetchall()
    }
    expected_collection = {
        (iv, period, ins): counts
        for iv, period, ins, *counts in ref.execute(
            "select intervention_id, period, instrument_id, count(distinct (org, citizen_id)), "
            "count(*) filter (where is_due), count(*) filter (where is_due and is_collected), "
            "count(*) filter (where is_collected and is_on_time) from ("
            "select * from all_status union all select * replace (null as instrument_id) "
            "from all_status) group by all").fetchall()
    }
    national = duckdb.connect(stack["result"]["rollup"]["database"], read_only=True)
    rows = national.execute(
        "select intervention_id, instrument_id, point_id, occurrence_no, is_suppressed, "
        "n_citizens, n_courses, mean_score from national_progression_by_point").fetchall()
    assert {r[:4] for r in rows} == set(expected)
    shown = [r for r in rows if not r[4]]
    assert len(shown) >= 10
    for *key, _, n_citizens, n_courses, mean in shown:
        e_citizens, e_courses, e_mean = expected[tuple(key)]
        assert (n_citizens, n_courses) == (e_citizens, e_courses), key
        assert abs(mean - e_mean) < 1e-9, key
    collection = national.execute(
        "select intervention_id, period, instrument_id, is_suppressed, n_citizens, n_due, "
        "n_collected, n_on_time from national_measurement_collection_by_quarter").fetchall()
    assert {r[:3] for r in collection} == set(expected_collection)
    shown_collection = [r for r in collection if not r[3]]
    assert len(shown_collection) >= 10
    for *key, _, n_citizens, n_due, n_collected, n_on_time in shown_collection:
        assert [n_citizens, n_due, n_collected, n_on_time] == expected_collection[tuple(key)]
    national.close()
    ref.close()  # the organisations' databases are free again for their next runs


def test_locally_hidden_cells_cannot_be_recovered(stack) -> None:
    """Every shown national cell with a locally hidden part has at least two hidden parts
    covering k or more citizens; every cell with one hidden part is hidden nationally."""
    exchange = Path(stack["registry"].exchange)
    parts = duckdb.connect()
    files = [str(p) for p in exchange.glob(f"*/{QUARTER}/progression_cells.parquet")]
    assert len(files) == ORGS - 1
    hidden = parts.execute(
        "select intervention_id, instrument_id, point_id, occurrence_no, "
        "count(*) filter (where is_suppressed_locally), "
        "coalesce(sum(n_citizens) filter (where is_suppressed_locally), 0) "
        "from read_parquet($files) group by all", {"files": files}).fetchall()
    national = duckdb.connect(stack["result"]["rollup"]["database"], read_only=True)
    shown = {r[:4] for r in national.execute(
        "select intervention_id, instrument_id, point_id, occurrence_no "
        "from national_progression_by_point where not is_suppressed").fetchall()}
    one_hidden = [r for r in hidden if r[4] == 1]
    several = [r for r in hidden if r[4] >= 2 and r[5] >= 5]
    assert one_hidden and several  # the data exercise both cases
    assert not {r[:4] for r in one_hidden} & shown
    assert {r[:4] for r in several} <= shown  # 3 + 3 shows as 6
    for r in hidden:
        if r[:4] in shown and r[4] > 0:
            assert r[4] >= 2 and r[5] >= 5, r
    # no export carries a per-citizen column
    columns = {c for (c,) in parts.execute(
        "select name from parquet_schema($files)", {"files": files}).fetchall()}
    assert not columns & {"citizen_id", "course_id", "form_id", "staff_id"}


def test_a_retry_after_the_fix_completes_and_joins_the_rollup(stack) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import temporary_settings

    registry = stack["registry"]
    org = registry.organisation(BROKEN)
    exports = Path(org.inbox).parent / "exports"
    good = next(exports.glob("a_maalinger_*.csv"))
    shutil.copy2(good, Path(org.inbox) / good.name)  # the data steward re-delivers the file
    with temporary_settings(updates=stack["settings"]):
        run = run_deployment("national-organisation/run", timeout=300, poll_interval=1,
                             parameters={"registry_path": str(stack["registry_path"]),
                                         "organisation_id": BROKEN,
                                         "as_of": AS_OF.isoformat(), "quality": False})
        with get_client(sync_client=True) as client:
            state = client.read_flow_run(run.id).state
    assert state.is_completed()
    result = rollup(registry, QUARTER, deck=False)
    assert result.by_status("included") == [o.id for o in registry.organisations]
    assert result.by_status("missing") == []


def test_a_second_run_of_one_organisation_waits_for_its_slot(stack) -> None:
    from prefect.client.orchestration import get_client
    from prefect.concurrency.sync import concurrency
    from prefect.deployments import run_deployment
    from prefect.settings import temporary_settings

    from flows.national import ensure_slots, slot_name

    params = {"registry_path": str(stack["registry_path"]), "organisation_id": "org_001",
              "as_of": AS_OF.isoformat(), "quality": False}
    with temporary_settings(updates=stack["settings"]), get_client(sync_client=True) as client:
        # The test holds the organisation's slot while both runs start and ask for it:
        # how long a run holds it depends on how much its build has to redo (a run on
        # the data of the last build finds every model up to date), not what is tested.
        ensure_slots(["org_001"])
        with concurrency(slot_name("org_001"), occupy=1, strict=True):
            runs = [run_deployment("national-organisation/run", timeout=0, parameters=params)
                    for _ in range(2)]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not all(
                    client.read_flow_run(r.id).state.is_running() for r in runs):
                time.sleep(0.5)
            time.sleep(8)  # from running to asking for the slot: well under a second
            released = datetime.now(UTC)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            states = [client.read_flow_run(r.id).state for r in runs]
            if all(s.is_final() for s in states):
                break
            time.sleep(1)
        results = [s.result() for s in states]
        starts = [client.read_flow_run(r.id).start_time for r in runs]
    assert all(s.is_completed() for s in states), [s.message for s in states]
    # both ran at once on the two workers, and both asked while the slot was held ...
    assert abs((starts[0] - starts[1]).total_seconds()) < 30
    asked = [datetime.fromisoformat(r["slot_asked"]) for r in results]
    assert max(asked) < released
    # ... each entered only after it was free: the first after the test let go, the
    # second after the first had left
    windows = sorted((datetime.fromisoformat(r["slot_entered"]),
                      datetime.fromisoformat(r["slot_left"])) for r in results)
    assert windows[0][0] >= released
    assert windows[1][0] >= windows[0][1]
    waited = [datetime.fromisoformat(r["slot_entered"]) - datetime.fromisoformat(r["slot_asked"])
              for r in results]
    assert min(waited).total_seconds() > 0.5
