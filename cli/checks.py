"""CLI commands: ``datadialog check`` (data-quality checks, report, gates) and
``datadialog due`` (per team, who is due for a measurement)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from cli.faults import config_or_exit, output_folder_or_exit
from datadialog.config_load import CONFIG_HELP, user_config_dir
from datadialog.db import DB_ENV, DEFAULT_DB

DEFAULT_OUT = Path("out") / "quality"
DEFAULT_DUE_OUT = Path("out") / "due"


def _config(config_dir: Path):
    return config_or_exit(config_dir)


def _scope(scope: str | None, config=None) -> tuple[str, str | None]:
    """(kind, id) of ``--scope``; an id the config does not know ends the command (a
    mistyped team would be checked as clean: no rows, no failures)."""
    if not scope:
        return "organisation", None
    kind, _, scope_id = scope.partition(":")
    if kind not in ("intervention", "team") or not scope_id:
        typer.secho(
            f"--scope must be intervention:<id> or team:<id>, not {scope!r}",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(code=2)
    if config is not None:
        known = sorted(t.id for t in config.teams) if kind == "team" else sorted(
            i.id for i in config.interventions)
        if scope_id not in known:
            typer.secho(f"--scope {scope}: no {kind} {scope_id!r} in the config (known: "
                        f"{', '.join(known)})", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=2)
    return kind, scope_id


def check_command(
    db: Path | None = typer.Option(
        None, "--db", help=f"DuckDB database file (default: ${DB_ENV} or {DEFAULT_DB})."
    ),
    config_dir: Path = typer.Option(
        user_config_dir(), "--config", help=CONFIG_HELP
    ),
    as_of: datetime | None = typer.Option(
        None,
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Judge due, late and future on this date (rebuilds the models when it differs "
        "from the build's; default: the build's date).",
    ),
    scope: str | None = typer.Option(
        None, "--scope", help="Check one scope only: intervention:<id> or team:<id>."
    ),
    out: Path = typer.Option(
        DEFAULT_OUT, "--out", help="Folder for the HTML report and the failing rows (CSV)."
    ),
    site: Path | None = typer.Option(
        None, "--site", help="Also refresh the data steward's site in this folder "
        "(decks linked from data/outbox; see datadialog site)."
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Exit with code 1 when an error blocks any scope's decks."
    ),
) -> None:
    """Run every data-quality rule, store the results, write the report and failing rows.

    Errors block the decks of the intervention or team they touch (the reasons say what
    to fix); warnings become caveats under the figures. Exit code 2 when the checks could
    not run (the config does not validate; the database full, read-only or damaged, or the
    report folder full: one line says which file and what to do); 1 when the database
    holds nothing staged (no run is stored: an empty database is not passed as clean);
    with --strict, 1 when a scope is blocked.
    """
    import duckdb
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from checks import schemas
    from checks.run import CheckError, discover_rules
    from checks.texts import rule_title
    from cli.faults import command_faults, end_with
    from cli.pipeline import refuse_if_nothing_staged
    from datadialog.db import DatabaseUnavailable, connect, database_path
    from pipeline.quality import run_quality

    console = Console()
    config = _config(config_dir)
    scope_kind, scope_id = _scope(scope, config)
    output_folder_or_exit(out, "--out")
    output_folder_or_exit(site, "--site")
    try:
        con = connect(db, must_exist=True)
    except DatabaseUnavailable as exc:
        end_with(exc)
    total = len(discover_rules()) + len(schemas.modules())
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    try:  # no clean run is stored for a database with nothing staged
        with command_faults(db):
            refuse_if_nothing_staged(con, database_path(db), "run the checks again")
    except typer.Exit:
        con.close()
        raise
    try:
        with command_faults(db), progress:
            task = progress.add_task("building the models (when needed)", total=total)

            def on_rule(name: str) -> None:
                progress.update(task, description=name)
                progress.advance(task)

            def on_step(name: str) -> None:
                if name != "checks":
                    progress.update(task, description=name)

            result = run_quality(
                con, config, as_of=as_of.date() if as_of else None, scope=(scope_kind, scope_id),
                out_dir=out, site_dir=site,
                on_rule=on_rule, on_step=on_step,
            )
    except (CheckError, duckdb.Error) as exc:
        typer.secho(str(exc).splitlines()[0], fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    finally:
        con.close()
    if result.built:
        console.print("brought the models up to date first (built, or refreshed after a new load)")
    run = result.check
    report, failures_csv, n_rows = result.report, result.failures_csv, result.n_failing_rows

    language = config.organisation.language
    table = Table(title=f"Quality run {run.run_id} (as of {run.as_of})")
    for column, justify in (
        ("severity", "left"),
        ("rule", "left"),
        ("table", "left"),
        ("failed", "right"),
        ("checked", "right"),
        ("", "left"),
    ):
        # a rule id or table cut short ("measurement_…") cannot be looked up: fold it
        table.add_column(column, justify=justify,  # type: ignore[arg-type]
                         overflow="fold" if column in ("rule", "table") else "ellipsis")
    colour = {"error": "red", "warning": "yellow", "info": "cyan"}
    for r in sorted(run.results, key=lambda r: (r.severity, r.rule_id)):
        if r.n_failed:
            table.add_row(
                f"[{colour.get(r.severity, 'white')}]{r.severity}[/]",
                r.rule_id,
                r.table_name,
                f"{r.n_failed:,}",
                f"{r.n_checked:,}",
                rule_title(r.rule_id, language),
            )
    console.print(table)
    for gate in run.blocked:
        console.print(f"[red]{gate.message}[/red]")
    if not run.blocked:
        console.print("[green]no deck is blocked[/green]")
    console.print(f"report: {report}")
    console.print(f"failing rows ({n_rows:,}): {failures_csv}")
    if run.n_failures_pruned:
        console.print(f"failing rows of older runs removed from the database: "
                      f"{run.n_failures_pruned:,} (quality.failing_rows_kept_runs = "
                      f"{config.quality.failing_rows_kept_runs})")
    console.print(f"{len(run.results)} rule results in {run.seconds:.1f} s")
    if strict and run.blocked:
        raise typer.Exit(code=1)


def due_command(
    weeks: int = typer.Option(4, "--weeks", min=0, help="Look this many weeks ahead."),
    as_of: datetime | None = typer.Option(
        None,
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Date the list is made for (default: the build's as-of date).",
    ),
    out: Path = typer.Option(DEFAULT_DUE_OUT, "--out", help="Folder for the files per team."),
    lookback_days: int = typer.Option(
        180, "--lookback-days", min=0, help="Overdue measurements stay listed this long."
    ),
    db: Path | None = typer.Option(
        None, "--db", help=f"DuckDB database file (default: ${DB_ENV} or {DEFAULT_DB})."
    ),
    config_dir: Path = typer.Option(
        user_config_dir(), "--config", help=CONFIG_HELP
    ),
) -> None:
    """Write per team the citizens due for a measurement in the coming weeks and those
    overdue (CSV and XLSX; pseudonyms only). Exit code 1 when the database holds nothing
    staged (no list is written: "nothing is due" would be taken for good news)."""
    import duckdb
    from rich.console import Console
    from rich.table import Table

    from checks.due import write_due_lists
    from checks.run import CheckError
    from cli.faults import command_faults, end_with
    from cli.pipeline import refuse_if_nothing_staged
    from datadialog.db import DatabaseUnavailable, connect, database_path
    from pipeline.quality import ensure_built

    console = Console()
    config = _config(config_dir)
    output_folder_or_exit(out, "--out")
    try:
        con = connect(db, must_exist=True)
    except DatabaseUnavailable as exc:
        end_with(exc)
    day: date | None = as_of.date() if as_of else None
    try:
        with command_faults(db):
            refuse_if_nothing_staged(con, database_path(db), "make the lists again")
            ensure_built(con, config)
            written = write_due_lists(
                con,
                out,
                as_of=day,
                weeks=weeks,
                lookback_days=lookback_days,
                language=config.organisation.language,
            )
    except (CheckError, duckdb.Error) as exc:
        typer.secho(str(exc).splitlines()[0], fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    finally:
        con.close()
    table = Table(title=f"Due in the next {weeks} weeks, and overdue")
    for column in ("team", "citizens", "measurements due", "overdue", "files"):
        table.add_column(column)
    for f in written:
        table.add_row(f.team_id, str(f.n_citizens), str(f.n_due), str(f.n_overdue),
                      f"{f.csv.name}, {f.xlsx.name}")
    console.print(table)
    if not written:
        console.print("nothing is due or overdue")
    console.print(f"written to {out}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("check")(check_command)
    app.command("due")(due_command)
