"""Prefect flows of the national roll-up.

``national-organisation`` runs the whole pipeline for one organisation of the registry
(its config folder, inbox, database file and outbox): ingest, build, the quality run,
then the export of its cells to the exchange. It holds the organisation's global
concurrency slot (``datadialog-org-<id>``, limit 1) from before the first write to after
the export, so a second run of the same organisation waits for the slot instead of
meeting a DuckDB lock. Deployed on a process work pool (:func:`deploy_national`), it
runs on any machine with a worker on that pool.

``national`` (``datadialog national run``) starts one ``national-organisation`` run per
organisation with ``run_deployment``, waits for them, and rolls the exchange up
(:func:`pipeline.national.rollup`): an organisation whose run failed is reported missing
or stale, the others are in the figures.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, WorkPoolCreate
from prefect.concurrency.sync import concurrency
from prefect.deployments import run_deployment
from prefect.deployments.runner import EntrypointType
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from datadialog.national_config import NationalRegistry, load_registry
from flows.build import build_models_task
from flows.check import quality_run_task
from flows.common import load_config_task
from flows.ingest import ingest_inbox_task
from flows.logs import project_logs_in_prefect
from pipeline.national import (
    export_organisation,
    reporting_quarter,
    require_loaded,
    rollup,
)

#: The organisation flow's deployment (``national-organisation/<DEPLOYMENT>``).
DEPLOYMENT = "run"
#: Work pool ``datadialog national deploy`` registers on when none is named.
DEFAULT_POOL = "datadialog-national"


def slot_name(organisation_id: str) -> str:
    """The global concurrency limit that guards one organisation's database."""
    return f"datadialog-org-{organisation_id}"


def ensure_slots(organisation_ids: list[str]) -> int:
    """Create the missing per-organisation limits (limit 1); how many were created."""
    created = 0
    with get_client(sync_client=True) as client:
        for organisation_id in organisation_ids:
            try:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=slot_name(organisation_id), limit=1))
                created += 1
            except ObjectAlreadyExists:
                pass
    return created


@task(name="load-registry", cache_policy=NO_CACHE)
def load_registry_task(registry_path: str) -> NationalRegistry:
    return load_registry(registry_path)


@task(name="require-loaded", cache_policy=NO_CACHE)
def require_loaded_task(reports: list[dict]) -> int:
    return require_loaded(reports)


@task(name="export-cells", cache_policy=NO_CACHE)
def export_task(db_path: str, organisation_id: str, exchange: str, quarter: str,
                as_of: date) -> dict:
    return export_organisation(db_path, organisation_id, exchange, quarter, as_of)


@task(name="national-rollup", cache_policy=NO_CACHE)
def rollup_task(registry: NationalRegistry, quarter: str, deck: bool) -> dict:
    return rollup(registry, quarter, deck=deck).as_dict()


@flow(name="national-organisation")
def organisation_flow(
    registry_path: str,
    organisation_id: str,
    as_of: date | None = None,
    quality: bool = True,
    slot_timeout_seconds: float | None = None,
) -> dict:
    """The whole pipeline for one organisation, in its slot; returns what it did."""
    with project_logs_in_prefect():
        registry = load_registry_task(registry_path)
        org = registry.organisation(organisation_id)
        as_of = as_of or date.today()
        quarter = reporting_quarter(as_of)
        ensure_slots([org.id])
        asked = datetime.now(UTC)
        with concurrency(slot_name(org.id), occupy=1, strict=True,
                         timeout_seconds=slot_timeout_seconds):
            entered = datetime.now(UTC)
            get_run_logger().info("slot %s held after %.1f s", slot_name(org.id),
                                  (entered - asked).total_seconds())
            config = load_config_task(org.config_dir)
            archive = org.archive or str(Path(org.inbox).parent / "archive")
            loads = ingest_inbox_task(org.database, config, org.inbox, archive)
            files = require_loaded_task(loads)
            build_models_task(org.database, config, as_of)
            checks = None
            if quality:
                checks = quality_run_task(org.database, config, str(Path(org.outbox) / "quality"),
                                          as_of, ("organisation", None), 4, False, None)
            manifest = export_task(org.database, org.id, registry.exchange, quarter, as_of)
            left = datetime.now(UTC)
        return {"organisation_id": org.id, "quarter": quarter, "files_loaded": files,
                "quality": None if checks is None else checks["run"],
                "export": manifest["folder"], "slot_asked": asked.isoformat(),
                "slot_entered": entered.isoformat(), "slot_left": left.isoformat()}


@task(name="wait-for-runs", cache_policy=NO_CACHE)
def wait_for_runs(flow_run_ids: dict[str, str], poll_seconds: float,
                  timeout_seconds: float | None) -> dict[str, str]:
    """Poll until every run is final; {organisation: state name}."""
    started = time.monotonic()
    states: dict[str, str] = {}
    with get_client(sync_client=True) as client:
        while True:
            for organisation_id, run_id in flow_run_ids.items():
                if organisation_id in states:
                    continue
                state = client.read_flow_run(run_id).state
                if state is not None and state.is_final():
                    states[organisation_id] = state.name
            if len(states) == len(flow_run_ids):
                return states
            if timeout_seconds is not None and time.monotonic() - started > timeout_seconds:
                return states | {o: "Unfinished" for o in flow_run_ids if o not in states}
            time.sleep(poll_seconds)


@flow(name="national")
def national_flow(
    registry_path: str,
    as_of: date | None = None,
    only: list[str] | None = None,
    quality: bool = True,
    deck: bool = True,
    poll_seconds: float = 2.0,
    timeout_seconds: float | None = None,
) -> dict:
    """One deployed run per organisation on the work pool, then the roll-up."""
    with project_logs_in_prefect():
        registry = load_registry_task(registry_path)
        as_of = as_of or date.today()
        wanted = only or [o.id for o in registry.organisations]
        for organisation_id in wanted:
            registry.organisation(organisation_id)  # an unknown id fails before any run
        ensure_slots(wanted)
        runs = {
            organisation_id: str(run_deployment(
                f"national-organisation/{DEPLOYMENT}",
                parameters={"registry_path": registry_path, "organisation_id": organisation_id,
                            "as_of": as_of.isoformat(), "quality": quality},
                timeout=0, tags=["datadialog", f"org:{organisation_id}"],
            ).id)
            for organisation_id in wanted
        }
        states = wait_for_runs(runs, poll_seconds, timeout_seconds)
        result = rollup_task(registry, reporting_quarter(as_of), deck)
        return {"runs": runs, "states": states, "rollup": result}


def deploy_national(registry_path: str, work_pool: str = DEFAULT_POOL) -> str:
    """Register the ``national-organisation`` deployment on the Prefect server
    (``PREFECT_API_URL``) with the process work pool ``work_pool`` (created when
    missing) and create every organisation's slot; the deployment's id."""
    registry = load_registry(registry_path)
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(work_pool)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=work_pool, type="process"))
    ensure_slots([o.id for o in registry.organisations])
    deployment = organisation_flow.to_deployment(
        name=DEPLOYMENT,
        parameters={"registry_path": str(Path(registry_path).resolve())},
        description="The whole pipeline for one organisation of the national registry, "
                    "then the export of its suppressed cells.",
        tags=["datadialog", "national"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return str(deployment.apply(work_pool_name=work_pool))
