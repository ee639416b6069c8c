"""Prefect flow ``check``: the quality run (:func:`pipeline.quality.run_quality`) as a task.

Builds when needed, runs every rule for the scope, writes the report, the failing rows,
the due lists and (with ``site_dir``) the data steward's site. The task opens its own
connection, so the flow's arguments and results stay plain values.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from checks.settings import CheckSettings
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from flows.common import load_config_task
from flows.logs import project_logs_in_prefect
from pipeline.quality import run_quality


@task(name="quality-run", cache_policy=NO_CACHE)
def quality_run_task(
    db_path: str | None,
    config: DatadialogConfig,
    out_dir: str,
    as_of: date | None,
    scope: tuple[str, str | None],
    due_weeks: int | None,
    errors_block: bool | None,
    site_dir: str | None = None,
    outbox: str | None = None,
) -> dict:
    overrides = {} if errors_block is None else {"errors_block": errors_block}
    out = Path(out_dir)
    con = connect(db_path)
    try:
        result = run_quality(
            con, config, as_of=as_of, scope=scope,
            settings=CheckSettings.from_config(config, **overrides), out_dir=out,
            due_weeks=due_weeks,
            site_dir=Path(site_dir) if site_dir else None,
            outbox=Path(outbox) if outbox else None,
        )
    finally:
        con.close()
    return result.as_dict()


@flow(name="check")
def check_flow(
    db_path: str | None = None,
    config_dir: str | None = None,
    out_dir: str = "out/quality",
    as_of: date | None = None,
    scope_kind: str = "organisation",
    scope_id: str | None = None,
    due_weeks: int | None = 4,
    errors_block: bool | None = None,
    site_dir: str | None = None,
    outbox: str | None = None,
) -> dict:
    """Run the checks for a scope; write the report, the failing rows, the due lists and
    the data steward's site (into ``site_dir`` when given; decks linked from
    ``outbox``)."""
    with project_logs_in_prefect():
        config = load_config_task(config_dir)
        return quality_run_task(db_path, config, out_dir, as_of, (scope_kind, scope_id),
                                due_weeks, errors_block, site_dir, outbox)
