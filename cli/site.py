"""CLI command: ``datadialog site`` (the data steward's offline site)."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.faults import config_or_exit, output_folder_or_exit
from datadialog.config_load import CONFIG_HELP, user_config_dir
from datadialog.db import DB_ENV, DEFAULT_DB

DEFAULT_SITE_OUT = Path("out") / "site"


def site_command(
    out: Path = typer.Option(DEFAULT_SITE_OUT, "--out", help="Folder the site is written to."),
    outbox: Path | None = typer.Option(
        None, "--outbox", help="Outbox with the meetings' decks (default: data/outbox)."
    ),
    due_dir: Path | None = typer.Option(
        None, "--due", help="Folder with the due-list spreadsheets to link (optional)."
    ),
    db: Path | None = typer.Option(
        None, "--db", help=f"DuckDB database file (default: ${DB_ENV} or {DEFAULT_DB})."
    ),
    config_dir: Path = typer.Option(
        user_config_dir(), "--config", help=CONFIG_HELP
    ),
) -> None:
    """Write the data steward's site: quality per team and intervention with the failing
    rows, quarantine, due list, lineage of every deck figure, and a page per team and
    intervention with the figures of its last deck. Static HTML, works offline; open
    OUT/index.html in a browser. Exit code 2 when the database is not built or cannot
    be read."""
    from checks.run import CheckError
    from cli.faults import command_faults, end_with
    from datadialog.db import DatabaseUnavailable, connect
    from pipeline.site import write_site

    config = config_or_exit(config_dir)
    output_folder_or_exit(out, "--out")
    try:
        con = connect(db, read_only=True, must_exist=True)
    except DatabaseUnavailable as exc:
        end_with(exc)
    try:
        with command_faults(db):
            written = write_site(con, config, out, outbox=outbox, due_dir=due_dir)
    except CheckError as exc:
        typer.secho(str(exc).splitlines()[0], fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    finally:
        con.close()
    pages = [p for p in written if p.suffix == ".html"]
    typer.echo(f"site: {len(pages)} pages in {out} (open {out / 'index.html'})")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("site")(site_command)
