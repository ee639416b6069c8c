"""CLI command: ``datadialog sources try`` (a dry run of export files against the mappings)."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.faults import config_or_exit
from datadialog.config_load import CONFIG_HELP, user_config_dir

sources_app = typer.Typer(help="Work on the source mappings (config/sources.yaml).",
                          no_args_is_help=True)


@sources_app.command("try")
def try_command(
    paths: list[Path] = typer.Argument(..., help="Export files or folders of files."),
    config_dir: Path = typer.Option(user_config_dir(), "--config", help=CONFIG_HELP),
    rows: int = typer.Option(10, "--rows", min=0, max=1000, help="Mapped records shown per table."),
) -> None:
    """Show what ingest would do with FILES, without writing the database.

    Per file: the source and tables its name matches, the first mapped records under
    their canonical names (CPR numbers masked, ids pseudonymised with a throw-away
    key), the balance (in = staged + quarantined, by rule), the lines left out
    (repeated header, trailer) and the problems. Try the files of one export
    together: a measurement file needs its courses file. Exit code 1 when a file
    fails or has quarantined records.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from cli.ingest import balance_text
    from transforms.ingest.mapping import config_findings
    from transforms.ingest.trial import try_files

    config = config_or_exit(config_dir)
    for where, message in [p for found in config_findings(config) for p in found]:
        typer.secho(f"config: {where}: {message}", fg=typer.colors.YELLOW, err=True)
    console = Console()
    trials = try_files(paths, config, sample_rows=rows)
    if not trials:
        typer.secho("no export files found", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1)
    bad = False
    for trial in trials:
        report = trial.report
        console.rule(escape(report.file_name))
        console.print(f"matches: {escape(trial.matched or 'no source (see error)')}",
                      highlight=False)
        if report.status == "failed":
            bad = True
            console.print(f"[red]error[/red] {escape(report.error or '')}", highlight=False)
            continue
        for table in trial.tables:
            where = table.canonical_table + (f" (sheet {table.sheet})" if table.sheet else "")
            shown = Table(title=f"{where}: first {len(table.sample)} records as they would land",
                          title_justify="left")
            for column in table.columns:
                shown.add_column(escape(column), overflow="fold")
            for record in table.sample:
                shown.add_row(*(escape("" if v is None else str(v)) for v in record))
            console.print(shown)
            for rule, column, n, message, values, n_values in table.quarantine:
                bad = True
                console.print(
                    f"[yellow]quarantined[/yellow] {n:,} record(s), rule {escape(rule)}, "
                    f"column {escape(column or '')}: {escape(message or '')}"
                    + _values_text(values, n_values),
                    highlight=False,
                )
            if len(trial.tables) > 1:
                console.print(f"balance of {escape(where)}: {balance_text(table.counts)}",
                              highlight=False)
        console.print(f"balance: {balance_text(report.as_dict())}", highlight=False)
        console.print(f"left out (not data): {report.skipped_lines or 'nothing'}",
                      highlight=False)
        if report.citizens_derived:
            console.print(f"citizens added from the courses: {report.citizens_derived:,}",
                          highlight=False)
        for warning in report.warnings:
            console.print(f"[yellow]warning[/yellow] {escape(warning)}", highlight=False)
        for fault in report.format_faults:  # a date_format or decimal mark that does not fit
            console.print(f"[red]config[/red] {escape(fault.text)}", highlight=False,
                          soft_wrap=True)
    console.print("Nothing was written: this was a dry run.", highlight=False)
    if bad:
        raise typer.Exit(code=1)


def _values_text(values: list[str], n_values: int) -> str:
    """'; values: 'Mand', 'SRS' and 2 more': the failing values (the codes a mapping may
    still lack), most frequent first."""
    from rich.markup import escape

    if not values:
        return ""
    shown = ", ".join(escape(repr(v if len(v) <= 40 else v[:39] + "…")) for v in values)
    more = f" and {n_values - len(values)} more" if n_values > len(values) else ""
    return f"; values: {shown}{more}"


def register(app: typer.Typer) -> None:
    """Add the sources commands to the app."""
    app.add_typer(sources_app, name="sources")
