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

import re
from datetime import date
from pathlib import Path
from typing import NoReturn

import typer

national_app = typer.Typer(help="National roll-up: many organisations, one suppressed summary.",
                           no_args_is_help=True)

REGISTRY = typer.Option(..., "--registry", help="The national registry (national.yaml).")


#: Exit code of a command that could not start (a bad registry, --only, --as-of or
#: --quarter); 1 stays "a run failed" / "no organisation in the figures".
EXIT_USAGE = 2

QUARTER = re.compile(r"\d{4}-Q[1-4]")


def _refuse(message: str) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code=EXIT_USAGE)


def _registry(path: Path):
    """The registry at ``path``; every problem as ``file: key: reason``, exit code 2."""
    from datadialog.config_load import ConfigError
    from datadialog.national_config import load_registry

    try:
        return load_registry(path)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.secho(str(problem), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=EXIT_USAGE) from None


def _run_date(as_of: str | None) -> date | None:
    if as_of is None:
        return None
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        _refuse(f"--as-of {as_of!r} is not a date: give YYYY-MM-DD")


def _quarter(quarter: str) -> str:
    """``quarter`` when it is YYYY-Qn with n 1-4, else the command ends (exit code 2)."""
    if not QUARTER.fullmatch(quarter):
        _refuse(f"--quarter {quarter!r} is not a quarter: give YYYY-Qn with n 1-4, "
                "e.g. 2026-Q3")
    return quarter


def _known_ids(registry, only: list[str], path: Path) -> None:
    """End the command (exit code 2) when an --only id is not in the registry, before
    any flow starts."""
    known = [o.id for o in registry.organisations]
    unknown = [i for i in only if i not in known]
    if unknown:
        _refuse(f"--only {', '.join(unknown)}: no such organisation in {path} "
                f"(it has: {', '.join(known)})")


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
    """Run every organisation on the work pool, then the roll-up. Exit 1 when a run
    failed; 2 when the run could not start (a bad registry, an --only id not in it, a
    bad --as-of, no Prefect server, no deployment)."""
    loaded = _registry(registry)
    _known_ids(loaded, only, registry)
    day = _run_date(as_of)
    from cli.faults import require_prefect_server

    require_prefect_server("datadialog national run")  # the organisations' deployment
    from prefect.exceptions import ObjectNotFound

    from flows.national import national_flow

    try:
        result = national_flow(str(registry.resolve()),
                               as_of=day,
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
    organisation has a usable export of the quarter; 2 on a bad registry or --quarter."""
    from pipeline.national import NationalError, reporting_quarter, rollup

    loaded = _registry(registry)
    wanted = _quarter(quarter) if quarter else reporting_quarter(date.today())
    try:
        result = rollup(loaded, wanted, deck=not no_deck)
    except NationalError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from None
    _print_coverage(result.as_dict())


def register(app: typer.Typer) -> None:
    """Add the ``national`` sub-app."""
    app.add_typer(national_app, name="national")
