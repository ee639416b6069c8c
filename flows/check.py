"""Prefect flow ``check``: the data-quality checks, their report, the failing rows, the due
lists and (optionally) the Great Expectations Data Docs.

The flow only orchestrates: each task calls into :mod:`checks` and opens its own
connection (``datadialog.db.connect``), so the flow's arguments and results stay plain
values. Build the database first (flow ``build``); with ``as_of`` the models are rebuilt
for that date when the build's date differs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from checks.due import write_due_lists
from checks.report import write_report
from checks.run import ensure_built, export_failures, run_checks
from checks.settings import CheckSettings
from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from flows.logs import project_logs_in_prefect


@task(name="load-config", cache_policy=NO_CACHE)
def load_config_task(config_dir: str | None) -> DatadialogConfig:
    return load_config(config_dir)


@task(name="ensure-built", cache_policy=NO_CACHE)
def ensure_built_task(db_path: str | None, config: DatadialogConfig, as_of: date | None) -> bool:
    con = connect(db_path)
    try:
        return ensure_built(con, config, as_of)
    finally:
        con.close()


@task(name="run-checks", cache_policy=NO_CACHE)
def run_checks_task(
    db_path: str | None,
    config: DatadialogConfig,
    scope_kind: str,
    scope_id: str | None,
    errors_block: bool | None = None,
) -> dict:
    overrides = {} if errors_block is None else {"errors_block": errors_block}
    settings = CheckSettings.from_config(config, **overrides)
    con = connect(db_path)
    try:
        run = run_checks(con, config, settings=settings, scope_kind=scope_kind, scope_id=scope_id)
    finally:
        con.close()
    return {
        "run_id": run.run_id,
        "as_of": run.as_of.isoformat(),
        "n_errors": run.n_errors,
        "n_warnings": run.n_warnings,
        "blocked": {g.label: list(g.reasons) for g in run.blocked},
        "seconds": round(run.seconds, 2),
    }


@task(name="write-report", cache_policy=NO_CACHE)
def write_report_task(
    db_path: str | None, config: DatadialogConfig, run_id: str, out_dir: str
) -> dict:
    con = connect(db_path)
    try:
        report = Path(out_dir) / f"quality_{run_id}.html"
        summary = write_report(con, config, report, run_id)
        failures = Path(out_dir) / f"failures_{run_id}.csv"
        n_rows = export_failures(con, run_id, failures)
    finally:
        con.close()
    return {
        "report": str(report),
        "failures_csv": str(failures),
        "failing_rows": n_rows,
        "flagged_staff": summary.flagged_staff,
        "late_teams": summary.late_teams,
    }


@task(name="due-lists", cache_policy=NO_CACHE)
def due_lists_task(
    db_path: str | None, config: DatadialogConfig, out_dir: str, weeks: int
) -> list[dict]:
    con = connect(db_path)
    try:
        written = write_due_lists(
            con, Path(out_dir), weeks=weeks, language=config.organisation.language
        )
    finally:
        con.close()
    return [
        {"team": f.team_id, "due": f.n_due, "overdue": f.n_overdue, "csv": str(f.csv)}
        for f in written
    ]


@task(name="great-expectations", cache_policy=NO_CACHE)
def gx_task(db_path: str | None, config: DatadialogConfig, docs_dir: str) -> dict:
    from checks.gx import run_gx

    con = connect(db_path)
    try:
        result = run_gx(con, config, Path(docs_dir))
    finally:
        con.close()
    return {
        "success": result.success,
        "docs": str(result.docs_index) if result.docs_index else None,
        "failed": len(result.failed),
    }


@flow(name="check")
def check_flow(
    db_path: str | None = None,
    config_dir: str | None = None,
    out_dir: str = "out/quality",
    as_of: date | None = None,
    scope_kind: str = "organisation",
    scope_id: str | None = None,
    due_weeks: int | None = 4,
    gx_docs: bool = False,
    errors_block: bool | None = None,
) -> dict:
    """Run the checks for a scope; write the report, the failing rows and the due lists."""
    with project_logs_in_prefect():
        config = load_config_task(config_dir)
        ensure_built_task(db_path, config, as_of)
        run = run_checks_task(db_path, config, scope_kind, scope_id, errors_block)
        result = {"run": run, "report": write_report_task(db_path, config, run["run_id"], out_dir)}
        if due_weeks is not None:
            result["due"] = due_lists_task(db_path, config, str(Path(out_dir) / "due"), due_weeks)
        if gx_docs:
            result["gx"] = gx_task(db_path, config, str(Path(out_dir) / "gx"))
        return result
