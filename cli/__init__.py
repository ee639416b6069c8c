"""The ``datadialog`` command line: Typer commands only, one module per area."""
