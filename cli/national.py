"""CLI sub-app ``datadialog national``: the national roll-up over many organisations.

    datadialog national deploy  --registry national.yaml [--pool NAME]
    datadialog national run     --registry national.yaml [--as-of DATE] [--only ID ...]
    datadialog national rollup  --registry national.yaml [--quarter YYYY-Qn]

``deploy`` registers the per-organisation deployment on the Prefect server
(``PREFECT_API_URL``); workers on the pool run it (``prefect worker start --pool NAME
--type process``, on any machine that sees the organisations' folders and the exchange).
``run`` starts the parent flow, which launches one run per organisation on the pool and
rolls up when they are done; ``rollup`` only rolls up what is in the exchange.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

national_app = typer.Typer(help="National roll-up: many organisations, one suppressed summary.",
                           no_args_is_help=True)

REGISTRY = typer.Option(..., "--registry", help="The national registry (national.yaml).")


def _registry(path: Path):
    from datadialog.config_load import ConfigError
    from datadialog.national_config import load_registry

    try:
        return load_registry(path)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.secho(str(problem), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from None


def _print_coverage(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"National roll-up {result['quarter']}")
    for column in ("organisation", "status", "quarter", "detail"):
        table.add_column(column)
    for c in result["coverage"]:
        table.add_row(c["organisation_id"], c["status"], c["quarter"] or "-", c["detail"])
    console = Console()
    console.print(table)
    console.print(f"{len(result['included'])} of {len(result['coverage'])} organisations in "
                  f"the figures; database {result['database']}; deck {result['deck']}")


@national_app.command("deploy")
def deploy(
    registry: Path = REGISTRY,
    pool: str = typer.Option("datadialog-national", "--pool", help="Process work pool."),
) -> None:
    """Register the per-organisation deployment and every organisation's slot."""
    _registry(registry)
    from cli.faults import require_prefect_server

    require_prefect_server("datadialog national deploy")
    from flows.national import deploy_national

    deployment_id = deploy_national(str(registry.resolve()), pool)
    typer.echo(f"deployment national-organisation/run ({deployment_id}) on pool {pool}; "
               f"start workers with: prefect worker start --pool {pool} --type process")


@national_app.command("run")
def run(
    registry: Path = REGISTRY,
    as_of: str | None = typer.Option(None, "--as-of", help="Run date (YYYY-MM-DD); "
                                     "the quarter is the last one ended before it."),
    only: list[str] = typer.Option([], "--only", help="Only these organisation ids."),
    no_quality: bool = typer.Option(False, "--no-quality", help="Skip the quality runs."),
) -> None:
    """Run every organisation on the work pool, then the roll-up. Exit 1 when a run failed."""
    _registry(registry)
    from cli.faults import require_prefect_server

    require_prefect_server("datadialog national run")  # the organisations' deployment
    from prefect.exceptions import ObjectNotFound

    from flows.national import national_flow

    try:
        result = national_flow(str(registry.resolve()),
                               as_of=date.fromisoformat(as_of) if as_of else None,
                               only=only or None, quality=not no_quality)
    except ObjectNotFound:
        typer.secho("the organisations' deployment is not on the Prefect server: run "
                    f"`datadialog national deploy --registry {registry}` first",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    failed = {o: s for o, s in result["states"].items() if s != "Completed"}
    for organisation_id, state in sorted(failed.items()):
        typer.secho(f"{organisation_id}: {state}", fg=typer.colors.RED, err=True)
    _print_coverage(result["rollup"])
    if failed:
        raise typer.Exit(code=1)


@national_app.command("rollup")
def rollup_command(
    registry: Path = REGISTRY,
    quarter: str | None = typer.Option(None, "--quarter", help="YYYY-Qn (default: the last "
                                       "quarter that ended)."),
    no_deck: bool = typer.Option(False, "--no-deck", help="Only the national marts."),
) -> None:
    """Build the national marts and deck from the exchange (read only). Exit 1 when no
    organisation has a usable export of the quarter."""
    from pipeline.national import NationalError, reporting_quarter, rollup

    loaded = _registry(registry)
    try:
        result = rollup(loaded, quarter or reporting_quarter(date.today()), deck=not no_deck)
    except NationalError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from None
    _print_coverage(result.as_dict())


def register(app: typer.Typer) -> None:
    """Add the ``national`` sub-app."""
    app.add_typer(national_app, name="national")
