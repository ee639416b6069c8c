"""Prefect flow ``build``: config in, intermediate tables and marts out.

The flow only orchestrates: each task calls into :mod:`transforms.build`. A build is never
cached (its input is the database, not the task's arguments).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from datadialog.config_model import DatadialogConfig
from flows.common import load_config_task
from flows.logs import project_logs_in_prefect
from transforms.build import BuildResult
from transforms.refresh import build_database


@task(name="build-models", cache_policy=NO_CACHE)
def build_models_task(
    db_path: str, config: DatadialogConfig, as_of: date | None = None, full: bool = False
) -> BuildResult:
    return build_database(db_path, config, as_of=as_of, full=full)


@flow(name="build")
def build_flow(
    db_path: str, config_dir: str | None = None, as_of: date | None = None,
    full: bool = False,
) -> dict[str, int]:
    """Bring every model in the DuckDB file up to date (only what the data changed since
    the last build; ``full`` rebuilds all); return {model: rows written} (-1 for a view
    or a model left as it was)."""
    with project_logs_in_prefect():
        config = load_config_task(config_dir)
        result = build_models_task(str(Path(db_path)), config, as_of, full)
        return {model.name: model.rows for model in result.models}
