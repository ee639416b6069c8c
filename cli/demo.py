"""CLI command ``demo-data``: write the fictitious municipality's exports."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from datadialog.config_load import DEFAULT_CONFIG_DIR, ConfigError


def _parse_date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from exc


def demo_data(
    out: Path = typer.Argument(..., help="Folder to write the export files and manifest.json to."),
    seed: int = typer.Option(42, help="Random seed; the same seed gives byte-identical files."),
    courses: int = typer.Option(400, min=1, help="Number of citizen courses to draw."),
    fmt: str = typer.Option(
        "mixed", "--format",
        help="Source systems: 'a' (CSV), 'b' (XLSX) or 'mixed' (some interventions in each).",
    ),
    as_of: str = typer.Option(
        "2026-10-31", "--as-of",
        help="Extraction date (YYYY-MM-DD); fixed by default so runs are reproducible.",
    ),
    config_dir: Path = typer.Option(DEFAULT_CONFIG_DIR, "--config", "--config-dir",
                                    help="Config folder with the YAML files."),
) -> None:
    """Write demo exports (fagsystem A CSV and/or B XLSX) with planted effects and defects."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from demo import FORMATS, generate

    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    when = _parse_date(as_of)
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=console, transient=False,
    ) as bar:
        task = bar.add_task("drawing the dataset", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        try:
            manifest = generate(out, seed=seed, courses=courses, fmt=fmt, as_of=when,
                                config_dir=config_dir, progress=progress)
        except ConfigError as exc:
            for problem in exc.problems:
                typer.secho(str(problem), fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from None
    n_rows = sum(t["rows"] for f in manifest.files for t in f.tables.values())
    typer.echo(
        f"Wrote {len(manifest.files)} file(s) with {n_rows} data rows and {manifest.path.name} "
        f"to {out} in {manifest.seconds:.1f} s ({len(manifest.effects)} effects, "
        f"{len(manifest.defects)} planted defects)."
    )
    for f in manifest.files:
        parts = ", ".join(
            f"{t['sheet'] or table}: {t['rows']}" for table, t in f.tables.items()
        )
        typer.echo(f"  {f.name}  ({parts})")
    _warn_stale(out, {f.name for f in manifest.files}, config_dir)


def _warn_stale(out: Path, written: set[str], config_dir: Path) -> None:
    """Name export files in OUT that this run did not write (ingest would read them too)."""
    from fnmatch import fnmatch

    from datadialog.config_load import load_config

    patterns = {t.file_pattern for s in load_config(config_dir).sources for t in s.tables}
    stale = sorted(p.name for p in out.iterdir()
                   if p.name not in written and any(fnmatch(p.name, pat) for pat in patterns))
    if stale:
        typer.secho(f"Note: {out} also holds export files from another run: {', '.join(stale)}",
                    fg=typer.colors.YELLOW, err=True)


def register(app: typer.Typer) -> None:
    """Add the demo command to the app."""
    app.command("demo-data")(demo_data)
