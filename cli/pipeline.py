"""CLI commands: pipeline (``datadialog build``)."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.faults import config_or_exit
from datadialog.config_load import CONFIG_HELP, user_config_dir
from datadialog.db import (
    DB_ENV,
    DEFAULT_DB,
    DatabaseUnavailable,
    connect,
    require_database,
)


def build_command(
    db: Path | None = typer.Option(
        None, "--db", help=f"DuckDB database file (default: ${DB_ENV} or {DEFAULT_DB})."
    ),
    config_dir: Path = typer.Option(
        user_config_dir(), "--config", help=CONFIG_HELP
    ),
    full: bool = typer.Option(
        False, "--full", help="Rebuild every model, not only what the data changed."
    ),
) -> None:
    """Build the scores, intermediate tables and marts from the staging tables.

    Redoes only what changed since the last build: the courses whose rows
    changed or whose status the new date moves, and the aggregates over them.
    The first build in a database, a changed config or model, or --full
    rebuild everything.

    Exit code 1 when a model or the reference config fails, 2 when the config does not
    validate or the database cannot be used (busy, full disk, read-only, damaged: one
    line says which file and what to do).
    """
    import duckdb
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from cli.faults import end_with
    from datadialog.db import database_faults
    from transforms.build import ModelError, discover_models
    from transforms.reference import ReferenceConfigError
    from transforms.refresh import build_database

    console = Console()
    config = config_or_exit(config_dir)
    try:
        db_path = require_database(db)
    except DatabaseUnavailable as exc:
        end_with(exc)
    models = discover_models()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    with progress:
        task = progress.add_task("building", total=len(models))
        try:
            with database_faults(db_path):
                result = build_database(
                    db_path,
                    config,
                    full=full,
                    on_start=lambda m: progress.update(task, description=m.name),
                    on_done=lambda r: progress.advance(task),
                )
        except DatabaseUnavailable as exc:  # busy, full, read-only, damaged: exit code 2
            progress.stop()
            end_with(exc)
        except (ModelError, ReferenceConfigError, duckdb.Error) as exc:
            progress.stop()
            typer.secho(str(exc).splitlines()[0], fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from None
    if result.mode == "up_to_date":
        console.print(f"{db_path}: every model is up to date (no data changed since the "
                      f"last build), {result.seconds:.1f} s")
        return
    table = Table(title=f"Built into {db_path}")
    table.add_column("model")
    table.add_column("rows", justify="right")
    table.add_column("redone", justify="left")
    table.add_column("seconds", justify="right")
    for model in result.models:
        rows = "view" if model.materialized == "view" else f"{model.rows:,}"
        if model.how == "unchanged" or (model.how == "partial" and model.rows < 0):
            rows = ""
        elif model.materialized == "temporary":
            rows += " (build only)"
        table.add_row(model.name, rows, _HOW[model.how], f"{model.seconds:.2f}")
    console.print(table)
    if result.mode == "incremental":
        counts = {how: sum(m.how == how for m in result.models) for how in _HOW}
        console.print(
            f"Incremental: {result.reason}. {counts['partial']} models redone for those "
            f"courses, {counts['full']} in full, {counts['unchanged']} unchanged; "
            f"{result.seconds:.1f} s"
        )
    else:
        console.print(f"{len(result.models)} models ({len(result.marts)} marts) built in "
                      f"{result.seconds:.1f} s ({result.reason})")
    con = connect(db_path, read_only=True)
    try:
        warn_if_nothing_staged(con, db_path)
    finally:
        con.close()


def warn_if_nothing_staged(con, db_path: Path | str, then: str = "build again") -> None:
    """Tell the data steward when the database has nothing staged, so empty models or a
    clean quality run are not taken for good news."""
    from transforms.build_state import nothing_staged

    if nothing_staged(con):
        typer.secho(f"{db_path} holds no staged courses or measurements, so every model is "
                    "empty: load the exports first (datadialog ingest PATH..., or --inbox), "
                    f"then {then}.", fg=typer.colors.YELLOW, err=True)


def refuse_if_nothing_staged(con, db_path: Path | str, then: str) -> None:
    """End a command whose result would read as good news on no data (a clean quality
    run, nothing due) when the database holds no staged course or measurement: one
    line, exit code 1, before anything is stored or written."""
    import duckdb

    from transforms.build_state import nothing_staged

    try:
        empty = nothing_staged(con)
    except duckdb.CatalogException:  # a file with no staging tables at all
        empty = True
    if empty:
        typer.secho(f"{db_path} holds no staged courses or measurements, so there is "
                    "nothing to judge and nothing was stored: load the exports first "
                    f"(datadialog ingest PATH..., or --inbox), then {then}.",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1)


_HOW = {"full": "all rows", "partial": "changed courses", "unchanged": "-"}


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("build")(build_command)
