"""CLI command ``demo``: the whole pipeline on the demo municipality, as a Prefect flow."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from cli.ingest import load_table

console = Console()


def demo(
    out: Path = typer.Option(
        Path("build/demo"), "--out", help="Folder for everything the demo writes."
    ),
    seed: int = typer.Option(42, help="Seed of the demo exports (same seed, same files)."),
    courses: int = typer.Option(400, min=10, help="Number of citizen courses to generate."),
    as_of: str = typer.Option("2026-10-31", help="Export date of the demo data (YYYY-MM-DD)."),
    pdf: bool = typer.Option(False, "--pdf", help="Also convert every deck to PDF (LibreOffice)."),
    verbose: bool = typer.Option(False, "--verbose", help="Show Prefect's own log lines."),
) -> None:
    """Generate demo exports, ingest, build, check, and prepare every meeting's decks."""
    if not os.environ.get("DATADIALOG_PSEUDONYM_KEY"):
        # The demo is fictitious: a fixed demo key keeps its pseudonyms stable between runs
        # and never touches the user's real key file.
        os.environ["DATADIALOG_PSEUDONYM_KEY"] = "datadialog-demo-key-not-for-real-data"
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary server's first start migrates its database: on a busy 2-core machine
    # that took longer than Prefect's default 20 s wait (seen once: "Timed out while
    # attempting to connect to ephemeral Prefect API server").
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    from flows.demo import demo_flow

    with console.status("Running the demo flow (Prefect first starts a temporary server) ..."):
        result = demo_flow(out_dir=str(out), seed=seed, courses=courses,
                           as_of=date.fromisoformat(as_of), pdf=pdf)
    print_summary(result)


def print_summary(result: dict) -> None:
    paths = result["paths"]
    loads = result["loads"]
    rows = [
        (Path(r["file"]).name, r["status"], r["rows_in"], r["rows_staged"],
         r["rows_unchanged"], r["rows_quarantined"], r.get("rows_removed", 0),
         r["cpr_masked"])
        for r in loads
    ]
    console.print(load_table(console, rows, "Ingest (per file)"))
    n_models = len(result["models"])
    console.print(f"Built {n_models} models (intermediate tables and marts) in {paths['database']}")
    quality = result["quality"]
    run = quality["run"]
    console.print(
        f"Quality run {run['run_id']}: {run['n_errors']} error(s), {run['n_warnings']} warning(s); "
        f"report {quality['report']['report']}"
    )
    report = quality["report"]
    if report.get("flagged_staff"):
        console.print(f"  staff flagged for rater drift: {', '.join(report['flagged_staff'])}")
    if report.get("late_teams"):
        console.print(f"  teams below the timeliness target: {', '.join(report['late_teams'])}")
    meetings = Table(title="Meetings prepared (outbox)")
    for column in ("meeting", "date", "status", "decks"):
        meetings.add_column(column, no_wrap=True)
    for m in result["meetings"]:
        decks = ", ".join(Path(d).suffix for d in m["decks"]) or "-"
        meetings.add_row(m["meeting"], m["date"], m["status"], decks)
    console.print(meetings)
    console.print(
        "Demo: the checks ran with errors_block=false, so quality errors appear as caveats on "
        "the slides instead of blocking decks (real runs: quality.errors_block in config)."
    )
    console.print(f"Decks and manifests: {paths['outbox']}")
    console.print(f"Data steward's site (open in a browser): {paths['site']}/index.html")
    console.print(f"Exports and manifest.json: {paths['exports']}")


def register(app: typer.Typer) -> None:
    """Add the demo command to the app."""
    app.command("demo")(demo)
