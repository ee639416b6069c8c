"""The ``datadialog`` command line.

Each area keeps its commands in its own module with a ``register(app)``
function; this file only assembles them, so adding a command never touches
another area's code.
"""

from __future__ import annotations

import typer

from datadialog import (
    cli_checks,
    cli_config,
    cli_demo,
    cli_ingest,
    cli_meetings,
    cli_pipeline,
    cli_run,
)

app = typer.Typer(
    name="datadialog",
    help="Measurement exports in, prepared reflection meetings out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    cli_run,
    cli_config,
    cli_demo,
    cli_ingest,
    cli_pipeline,
    cli_checks,
    cli_meetings,
):
    module.register(app)


@app.command()
def version() -> None:
    """Print the installed datadialog version."""
    from datadialog import __version__

    typer.echo(__version__)


if __name__ == "__main__":  # pragma: no cover
    app()
