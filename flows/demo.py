"""Prefect flow ``demo``: the whole pipeline on the fictitious municipality.

demo exports -> inbox -> ingest -> build -> checks (report, due lists, Data Docs) ->
the next meeting of every meeting series prepared into the outbox. The flow only
orchestrates: the steps are the ``ingest``, ``build`` and ``check`` flows and
:func:`flows.meeting.prepare_meetings`; the demo's own helpers are in
:mod:`pipeline.demo_run`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from flows.build import build_flow
from flows.check import check_flow
from flows.ingest import ingest_flow
from flows.logs import project_logs_in_prefect
from pipeline.demo_run import DemoPaths, demo_meetings, fresh_demo_folder, stage_demo_exports
from pipeline.meeting import prepare_meetings
from pipeline.site import refresh_site


@task(name="demo-exports", cache_policy=NO_CACHE)
def demo_exports_task(paths: DemoPaths, seed: int, courses: int, as_of: date,
                      config: DatadialogConfig) -> dict:
    return stage_demo_exports(paths, seed=seed, courses=courses, as_of=as_of, config=config)


@task(name="prepare-meetings", cache_policy=NO_CACHE)
def prepare_meetings_task(
    paths: DemoPaths, config: DatadialogConfig, as_of: date, pdf: bool
) -> list[dict]:
    meetings = demo_meetings(config, as_of)
    results = prepare_meetings(str(paths.database), config, meetings, paths.outbox, pdf=pdf)
    return [
        {"meeting": r.meeting_id, "date": r.meeting_date.isoformat(), "status": r.status,
         "folder": r.folder, "decks": [d.file for d in r.ready], "line": r.line()}
        for r in results
    ]


@task(name="site", cache_policy=NO_CACHE)
def site_task(paths: DemoPaths, config: DatadialogConfig) -> str:
    return str(refresh_site(paths.database, config, paths.site, outbox=paths.outbox,
                            due_dir=paths.quality / "due"))


@flow(name="demo")
def demo_flow(
    out_dir: str = "build/demo",
    seed: int = 42,
    courses: int = 400,
    as_of: date = date(2026, 10, 31),
    config_dir: str | None = None,
    pdf: bool = False,
) -> dict:
    """Run the whole pipeline on freshly generated demo exports; return what was written.

    The demo's planted defects include error-level findings, which would block the decks
    of the scopes they touch; so that every meeting's decks are written, the demo runs
    the checks with ``errors_block=False`` (errors become caveats on the slides). A
    real run follows ``quality.errors_block`` in the config (default: errors block).
    """
    with project_logs_in_prefect():
        paths = fresh_demo_folder(Path(out_dir))
        config = load_config(config_dir)
        exports = demo_exports_task(paths, seed, courses, as_of, config)
        loads = ingest_flow(db_path=str(paths.database), config_dir=config_dir,
                            inbox=str(paths.inbox), archive=str(paths.archive))
        models = build_flow(str(paths.database), config_dir, as_of)
        # the site is written once, after the decks it links (site_task)
        quality = check_flow(db_path=str(paths.database), config_dir=config_dir,
                             out_dir=str(paths.quality), as_of=as_of, errors_block=False)
        meetings = prepare_meetings_task(paths, config, as_of, pdf)
        site = site_task(paths, config)
        return {"paths": paths.as_dict(), "exports": exports, "loads": loads,
                "models": models, "quality": quality, "meetings": meetings,
                "site": site}
