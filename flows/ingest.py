"""Prefect flow ``ingest``: export files (or the inbox) into landing, staging and quarantine.

From the inbox, the exports are loaded first, then the returned decks and agreement
registers are read (:mod:`transforms.agreements`: their courses are checked against what
the exports staged, their meeting keys against the config's calendars).

The flow only orchestrates: each task calls into :mod:`transforms.ingest`. Tasks
open their own connection (``datadialog.db.connect``), so the flow's arguments
stay plain values, and return each file's report as a plain dict. A pseudonym key that
is there but unusable is refused before any task opens (or makes) the database.
"""

from __future__ import annotations

import logging
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from datadialog.privacy import check_pseudonym_key
from flows.common import load_config_task
from flows.logs import project_logs_in_prefect
from pipeline.calendar import meeting_days
from transforms.agreements import read_inbox_agreements
from transforms.ingest import (
    DEFAULT_ARCHIVE,
    DEFAULT_INBOX,
    expand_paths,
    ingest_files,
    ingest_inbox,
)


@task(name="check-key", cache_policy=NO_CACHE)
def check_key_task(config: DatadialogConfig, paths: list[str] | None, inbox: str | None
                   ) -> None:
    """Refuse a pseudonym key that is there but unusable (too short, a key file others
    may read) before a task opens the database, as ``datadialog ingest`` does: a refused
    key leaves no new, empty database file behind. With nothing to load, no key is read."""
    if paths:
        files = expand_paths(paths)
    else:
        folder = Path(inbox) if inbox else DEFAULT_INBOX
        files = expand_paths([folder]) if folder.is_dir() else []
    if files:
        check_pseudonym_key(config.privacy)


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


@task(name="read-agreements", cache_policy=NO_CACHE)
def read_agreements_task(db_path: str | None, config: DatadialogConfig, inbox: str | None,
                         archive: str | None) -> list[dict]:
    """Returned decks and agreement registers in the inbox into staging.agreements (after
    the exports: their courses and meeting keys are checked)."""
    con = connect(db_path)
    try:
        done, failed = read_inbox_agreements(con, Path(inbox or DEFAULT_INBOX),
                                             Path(archive or DEFAULT_ARCHIVE), config,
                                             meeting_days)
    finally:
        con.close()
    logger = logging.getLogger(__name__)
    for problem in failed:
        logger.warning("agreements not read: %s", problem)
    return [{"file": r.file_name, "meeting": r.meeting_id, "date": r.agreed_on.isoformat(),
             "rows_in": r.rows_in, "stored": len(r.stored),
             "problems": [str(p) for p in r.problems]} for r in done]


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
        check_key_task(config, paths, inbox)
        if paths:
            return ingest_files_task(db_path, paths, config, source_id)
        loads = ingest_inbox_task(db_path, config, inbox, archive)
        read_agreements_task(db_path, config, inbox, archive)  # after: courses staged
        return loads
