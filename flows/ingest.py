"""Prefect flow ``ingest``: export files (or the inbox) into landing, staging and quarantine.

The flow only orchestrates: each task calls into :mod:`transforms.ingest`. Tasks
open their own connection (``datadialog.db.connect``), so the flow's arguments
stay plain values, and return each file's report as a plain dict.
"""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from flows.common import load_config_task
from flows.logs import project_logs_in_prefect
from transforms.ingest import ingest_files, ingest_inbox


@task(name="ingest-files", cache_policy=NO_CACHE)
def ingest_files_task(
    db_path: str | None, paths: list[str], config: DatadialogConfig, source_id: str | None
) -> list[dict]:
    con = connect(db_path)
    try:
        return [r.as_dict() for r in ingest_files(con, paths, config, source_id=source_id)]
    finally:
        con.close()


@task(name="ingest-inbox", cache_policy=NO_CACHE)
def ingest_inbox_task(
    db_path: str | None, config: DatadialogConfig, inbox: str | None, archive: str | None
) -> list[dict]:
    con = connect(db_path)
    try:
        return [r.as_dict() for r in ingest_inbox(con, config, inbox=inbox, archive=archive)]
    finally:
        con.close()


@flow(name="ingest")
def ingest_flow(
    paths: list[str] | None = None,
    db_path: str | None = None,
    config_dir: str | None = None,
    source_id: str | None = None,
    inbox: str | None = None,
    archive: str | None = None,
) -> list[dict]:
    """Load the named export files, or every file in the inbox when none are named."""
    with project_logs_in_prefect():
        config = load_config_task(config_dir)
        if paths:
            return ingest_files_task(db_path, paths, config, source_id)
        return ingest_inbox_task(db_path, config, inbox, archive)
