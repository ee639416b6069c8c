"""CLI commands: ``config check`` and ``init``."""

from __future__ import annotations

from pathlib import Path

import typer

from datadialog.config_load import (
    CONFIG_HELP,
    DEFAULT_CONFIG_DIR,
    ConfigError,
    load_config,
    user_config_dir,
)

config_app = typer.Typer(help="Validate and inspect the configuration.", no_args_is_help=True)


@config_app.command("check")
def check(
    config_dir: Path = typer.Argument(
        user_config_dir(), help=CONFIG_HELP
    ),
) -> None:
    """Validate the config folder; every problem is printed as file: key: reason."""
    try:
        config = load_config(config_dir)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.secho(str(problem), fg=typer.colors.RED, err=True)
        typer.secho(
            f"{len(exc.problems)} problem(s) in {config_dir}", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(code=1) from None
    from transforms.ingest.mapping import config_findings

    problems, warnings = config_findings(config)
    warnings = [*warnings, *agenda_findings(config)]
    for where, message in warnings:
        typer.secho(f"{config_dir}: {where}: warning: {message}", fg=typer.colors.YELLOW,
                    err=True)
    for where, message in problems:
        typer.secho(f"{config_dir}: {where}: {message}", fg=typer.colors.RED, err=True)
    if problems:
        typer.secho(f"{len(problems)} problem(s) in {config_dir}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1)
    typer.secho(
        f"OK: {config_dir} — {len(config.interventions)} interventions, "
        f"{len(config.instruments)} instruments, {len(config.sources)} sources, "
        f"{len(config.meetings)} meeting series",
        fg=typer.colors.GREEN,
    )


#: The mart whose ``is_<id>`` columns the agenda's priorities pick (its header lists them).
AGENDA_MART = Path("marts") / "mart_citizen_agenda_flags.sql"


def agenda_findings(config) -> list[tuple[str, str]]:
    """(key, message) per agenda priority whose ``is_<id>`` column the agenda mart does
    not have (by its SQL header's column list): such a typo passes validation and fails
    the citizen deck at ``prepare``."""
    import re

    from outputs.agenda import flag_column
    from transforms.sqltext import SQL_DIR

    try:
        header = (SQL_DIR / AGENDA_MART).read_text(encoding="utf-8")
    except OSError:
        return []
    columns = set(re.findall(r"^--\s+(is_\w+):", header, flags=re.MULTILINE))
    if not columns:  # a header without its column list: nothing to compare with
        return []
    return [
        (f"agenda.priorities[{i}].id",
         f"{p.id!r}: {AGENDA_MART.stem} has no column {flag_column(p.id)}, so the citizen "
         f"deck would fail (known: {', '.join(c[3:] for c in sorted(columns))})")
        for i, p in enumerate(config.agenda.priorities)
        if flag_column(p.id) not in columns
    ]


@config_app.command("reference")
def reference(
    output: Path = typer.Option(
        None, "--output", "-o", help="Write the markdown here instead of stdout."
    ),
) -> None:
    """Print every config key with its type, default and meaning (markdown)."""
    from datadialog.config_docs import reference_markdown

    text = reference_markdown()
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")


def init(
    target: Path = typer.Argument(..., help="Folder to create the starter config in."),
    force: bool = typer.Option(False, "--force", help="Overwrite files that already exist."),
) -> None:
    """Write a commented starter config (a copy of the demo organisation) to TARGET."""
    written = write_starter_config(target, force=force)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.secho(
        f"Starter config in {target}: edit it, then run `datadialog config check {target}`.",
        fg=typer.colors.GREEN,
    )


def write_starter_config(target: Path, force: bool = False) -> list[Path]:
    """Copy the commented demo config files into ``target``; refuse to overwrite unless forced."""
    target.mkdir(parents=True, exist_ok=True)
    sources = sorted(DEFAULT_CONFIG_DIR.glob("*.yaml"))
    clashes = [target / s.name for s in sources if (target / s.name).exists()]
    if clashes and not force:
        names = ", ".join(str(c) for c in clashes)
        typer.secho(
            f"not overwriting existing files: {names} (use --force)", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(code=1)
    written = []
    for source in sources:
        destination = target / source.name
        destination.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(destination)
    return written


def register(app: typer.Typer) -> None:
    """Add the config commands to the app."""
    app.add_typer(config_app, name="config")
    app.command("init")(init)
