"""Prefect flow ``meeting``: one meeting's run, orchestration only.

Load the config, ingest the inbox, build, check, prepare the decks
(:func:`pipeline.meeting.prepare_meeting`), deliver (:mod:`outputs.delivery`), and end
with a summary artifact. Database steps are retried when another process holds the
database; build, checks and decks are cached on the input checksums (loaded files,
config, code), so a run on unchanged inputs recomputes nothing and sends nothing twice.
When the inputs did change, the decks step renders only the decks whose own content
changed (:func:`pipeline.meeting.prepare_meeting`); ``force`` renders every deck.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import DatabaseBusyError, connect, database_path
from flows.common import load_config_task
from flows.logs import project_logs_in_prefect
from outputs.delivery import DEFAULT_OUTBOX, DeliverySettings, deliver, outbox_intact
from pipeline.calendar import meeting_for_run
from pipeline.inputs import Inputs, read_inputs
from pipeline.meeting import (
    DB_RETRIES,
    DB_RETRY_DELAYS,
    MeetingResult,
    MeetingRunError,
    find_meeting,
    meeting_scope,
    prepare_meeting,
    run_problems,
    run_summary,
    summary_markdown,
)
from pipeline.quality import QualityStatus, run_quality_checks
from pipeline.site import refresh_site
from transforms.ingest import ingest_inbox
from transforms.refresh import build_database

# ---------------------------------------------------------------- the flow


def _transient(task, task_run, state) -> bool:
    """Retry only what may pass by itself: a database held by another process."""
    exc = state.result(raise_on_failure=False)
    return isinstance(exc, DatabaseBusyError | TimeoutError)


def _key_param(context, parameters: dict[str, Any]) -> str:
    return parameters["cache_key"]


@task(name="meeting-date", cache_policy=NO_CACHE)
def meeting_date_task(config: DatadialogConfig, meeting_id: str) -> date:
    """The meeting this run prepares: the one ``lead_days`` after the scheduled start."""
    scheduled = flow_run.scheduled_start_time or datetime.now().astimezone()
    return meeting_for_run(find_meeting(config, meeting_id), scheduled,
                           config.organisation.timezone)


@task(name="ingest-inbox", cache_policy=NO_CACHE, retries=DB_RETRIES,
      retry_delay_seconds=DB_RETRY_DELAYS, retry_condition_fn=_transient)
def ingest_inbox_task(db_path: str, config: DatadialogConfig, inbox: str | None,
                      archive: str | None) -> dict[str, int]:
    con = connect(db_path)
    try:
        reports = ingest_inbox(con, config, inbox=inbox, archive=archive)
    finally:
        con.close()
    rows = [r.as_dict() for r in reports]
    return {
        "files": len(rows),
        "failed": sum(r.get("status") == "failed" for r in rows),
        "rows_staged": sum(int(r.get("rows_staged") or 0) for r in rows),
    }


@task(name="read-inputs", cache_policy=NO_CACHE, retries=DB_RETRIES,
      retry_delay_seconds=DB_RETRY_DELAYS, retry_condition_fn=_transient)
def read_inputs_task(db_path: str, config: DatadialogConfig) -> Inputs:
    return read_inputs(db_path, config)


@task(name="build", cache_key_fn=_key_param, persist_result=True, retries=DB_RETRIES,
      retry_delay_seconds=DB_RETRY_DELAYS, retry_condition_fn=_transient)
def build_task(db_path: str, config: DatadialogConfig, as_of: date, cache_key: str
               ) -> dict[str, Any]:
    result = build_database(db_path, config, as_of=as_of)
    return {"mode": result.mode, "courses_changed": result.n_courses_changed,
            "models": len(result.models), "marts": len(result.marts),
            "rows": sum(max(m.rows, 0) for m in result.models),
            "seconds": round(result.seconds, 3)}


@task(name="check", cache_key_fn=_key_param, persist_result=True, retries=DB_RETRIES,
      retry_delay_seconds=DB_RETRY_DELAYS, retry_condition_fn=_transient)
def check_task(db_path: str, config: DatadialogConfig, scope: tuple[str, str | None],
               cache_key: str) -> QualityStatus:
    return run_quality_checks(db_path, config, scope)


@task(name="prepare-decks", cache_key_fn=_key_param, persist_result=True,
      retries=DB_RETRIES, retry_delay_seconds=DB_RETRY_DELAYS, retry_condition_fn=_transient)
def prepare_task(db_path: str, config: DatadialogConfig, meeting_id: str, meeting_date: date,
                 outbox_dir: str, quality: QualityStatus, pdf: bool, cache_key: str,
                 force: bool = False) -> MeetingResult:
    return prepare_meeting(db_path, config, meeting_id, meeting_date, outbox_dir,
                           quality=quality, pdf=pdf, inputs_key=cache_key, force=force)


@task(name="deliver", cache_policy=NO_CACHE)
def deliver_task(folder: str, config_dir: str | None) -> dict[str, Any]:
    """Send the ready decks; the config is read again here, at send time."""
    config = load_config(config_dir)
    report = deliver(folder, config, DeliverySettings.from_env())
    return report.as_dict() | {"summary": report.summary(), "ok": report.ok}


@task(name="site", cache_policy=NO_CACHE)
def site_task(db_path: str, config: DatadialogConfig, outbox_dir: str) -> str:
    """Refresh the data steward's site beside the outbox (``<outbox>/../site``)."""
    outbox = Path(outbox_dir)
    return str(refresh_site(db_path, config, outbox.parent / "site", outbox=outbox))


@flow(name="meeting")
def meeting_flow(
    meeting_id: str,
    meeting_date: date | None = None,
    config_dir: str | None = None,
    db_path: str | None = None,
    outbox_dir: str | None = None,
    inbox: str | None = None,
    archive: str | None = None,
    pdf: bool = False,
    send: bool = True,
    force: bool = False,
) -> dict[str, Any]:
    """Prepare and deliver one meeting's decks: ingest the inbox, build, check, render,
    deliver. ``meeting_date`` defaults to the meeting this scheduled run is for;
    ``force`` renders every deck, also those whose content is unchanged."""
    with project_logs_in_prefect():
        logger = get_run_logger()
        steps: dict[str, float] = {}
        lap = time.perf_counter()

        def mark(step: str) -> None:
            nonlocal lap
            now = time.perf_counter()
            steps[step] = now - lap
            lap = now

        config = load_config_task(config_dir)
        meeting = find_meeting(config, meeting_id)
        day = meeting_date or meeting_date_task(config, meeting_id)
        db = str(Path(database_path(db_path)).expanduser().resolve())
        outbox = str(Path(outbox_dir or DEFAULT_OUTBOX).expanduser().resolve())
        ingest = ingest_inbox_task(db, config, inbox, archive)
        mark("ingest")
        inputs = read_inputs_task(db, config)
        today = datetime.now(ZoneInfo(config.organisation.timezone)).date()
        build_key = inputs.key("build", db, today)
        cached: dict[str, bool] = {}
        state = build_task(db, config, today, build_key, return_state=True)
        build, cached["build"] = state.result(), state.name == "Cached"
        mark("build")
        scope = meeting_scope(meeting)
        check_key = inputs.key("checks", db, today, build_key)
        state = check_task(db, config, scope, check_key, return_state=True)
        quality, cached["check"] = state.result(), state.name == "Cached"
        mark("check")
        deck_key = inputs.key("decks", db, meeting_id, day, quality.digest(), pdf)
        prepare = prepare_task.with_options(refresh_cache=True) if force else prepare_task
        state = prepare(db, config, meeting_id, day, outbox, quality, pdf, deck_key, force,
                        return_state=True)
        result, cached["decks"] = state.result(), state.name == "Cached"
        if not outbox_intact(result.folder):  # cached, but the outbox was changed since
            result = prepare_task.with_options(refresh_cache=True)(
                db, config, meeting_id, day, outbox, quality, pdf, deck_key)
            cached["decks"] = False
        mark("decks")
        site_task(db, config, outbox)
        mark("site")
        delivery = deliver_task(result.folder, config_dir) if send else None
        mark("deliver")
        text = summary_markdown(meeting_id, day, steps, ingest, build, quality, result, delivery,
                                cached)
        create_markdown_artifact(markdown=text, key=f"meeting-{meeting_id.replace('_', '-')}",
                                 description=f"Decks for {meeting_id} on {day:%Y-%m-%d}")
        logger.info(text)
        problems = run_problems(result, delivery)
        if problems:
            raise MeetingRunError(f"meeting {meeting_id} {day:%Y-%m-%d}: " + "; ".join(problems))
        if result.blocked:
            logger.warning("decks blocked by data quality: %s", "; ".join(quality.reasons))
        return run_summary(result, delivery, cached, steps)
