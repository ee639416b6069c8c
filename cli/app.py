"""The ``datadialog`` command line.

Each area keeps its commands in its own module with a ``register(app)``
function; this file only assembles them, so adding a command never touches
another area's code.
"""

from __future__ import annotations

import typer

from cli import checks, config, demo, ingest, key, meetings, national, pipeline, run, site, sources
from datadialog import __version__

app = typer.Typer(
    name="datadialog",
    help="Measurement exports in, prepared reflection meetings out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (run, config, demo, ingest, key, pipeline, checks, meetings, sources, site, national):
    module.register(app)


@app.command()
def version() -> None:
    """Print the installed datadialog version."""
    typer.echo(__version__)


if __name__ == "__main__":  # pragma: no cover
    app()
