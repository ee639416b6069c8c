"""CLI commands: ``datadialog key show`` and ``datadialog key rotate`` (the pseudonym key).

docs/operations.md, "The pseudonym key", says where the key lives, how to back it up,
what happens when it is lost or changed, and when to rotate it.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from cli.faults import config_or_exit
from datadialog.config_load import CONFIG_HELP, user_config_dir

key_app = typer.Typer(
    name="key",
    help="The pseudonym key: its fingerprint, and re-keying the database.",
    no_args_is_help=True,
)


def show(
    db: Path = typer.Option(
        None, "--db", help="DuckDB file (default: $DATADIALOG_DB or data/datadialog.duckdb)."
    ),
    config_dir: Path = typer.Option(user_config_dir(), "--config", help=CONFIG_HELP),
) -> None:
    """Show the fingerprint of the current key and of the database's, and whether they match.

    Exit code 0 when they match (or the database has none yet), 1 when they differ or
    no key is found, 2 when the config or the database cannot be read. Reads only.
    """
    from rich.console import Console
    from rich.markup import escape

    from datadialog.db import DatabaseUnavailable, connect, database_path
    from datadialog.privacy import (
        FINGERPRINT_PREFIX,
        PseudonymKeyError,
        PseudonymKeyMissing,
        load_pseudonym_key,
    )
    from transforms.pseudonym_key import stored_fingerprint

    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    config = config_or_exit(config_dir)
    key = problem = None
    try:
        key = load_pseudonym_key(config.privacy, create=False)
    except PseudonymKeyMissing:
        problem = (
            f"{config.privacy.pseudonym_key_env} is not set and there is no key file "
            f"{config.privacy.pseudonym_key_file}"
        )
    except PseudonymKeyError as exc:
        problem = str(exc)
    path = Path(database_path(db)).expanduser()
    stored = None
    if path.is_file():
        try:
            con = connect(path, read_only=True)
        except DatabaseUnavailable as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(code=2) from None
        try:
            stored = stored_fingerprint(con)
        finally:
            con.close()
    if key is not None:
        console.print(
            f"key:      {key.fingerprint[:FINGERPRINT_PREFIX]}  ({escape(key.origin)})"
        )
    else:
        console.print(f"key:      none  ({escape(problem or '')})")
    if stored is not None:
        console.print(
            f"database: {stored.prefix}  ({escape(str(path))}, recorded "
            f"{stored.recorded_at:%Y-%m-%d %H:%M} from {escape(stored.origin)})"
        )
    else:
        state = "no fingerprint yet" if path.is_file() else "no database yet"
        console.print(f"database: none  ({escape(str(path))}: {state})")
    if key is None:
        console.print("[red]no usable key[/red]")
        raise typer.Exit(code=1)
    if stored is None:
        console.print("match:    - (the next load records the key's fingerprint)")
    elif stored.fingerprint == key.fingerprint:
        console.print("match:    [green]yes[/green]")
    else:
        console.print(
            "match:    [red]no[/red] - loads are refused; use the key of the database's "
            "fingerprint (after a rotation, the new key), or re-key with `datadialog key rotate`"
        )
        raise typer.Exit(code=1)


def rotate(
    new_key_file: Path = typer.Option(
        None,
        "--new-key-file",
        help="File holding the new key (made, mode 0600, with a random key when absent).",
    ),
    new_key_env: str = typer.Option(
        None, "--new-key-env", help="Or: the environment variable holding the new key."
    ),
    archive: Path = typer.Option(
        Path("data") / "archive",
        "--archive",
        help="Archive of loaded exports (as `ingest --inbox` keeps it).",
    ),
    more: list[Path] = typer.Option(
        None, "--from", help="A further folder holding loaded exports (repeatable)."
    ),
    accept_differences: bool = typer.Option(
        False,
        "--accept-differences",
        help="Re-key even when the files give other row counts than before (config changed).",
    ),
    db: Path = typer.Option(
        None, "--db", help="DuckDB file (default: $DATADIALOG_DB or data/datadialog.duckdb)."
    ),
    config_dir: Path = typer.Option(user_config_dir(), "--config", help=CONFIG_HELP),
) -> None:
    """Re-key the database: load every loaded export again, from the archive, with a new key.

    A pseudonym cannot be re-keyed in place (it is a one-way hash, and the database keeps
    no citizen refs), so every file that was loaded must be in the archive (found by its
    checksum). The database is re-keyed wholly or not at all: the work is done on a copy
    that replaces it at the end. The old key is not needed, so this is also the way out
    when the key is lost. Stop scheduled ingests meanwhile. Exit code 2 when it cannot.
    """
    from rich.console import Console
    from rich.markup import escape

    from datadialog.db import DatabaseUnavailable
    from datadialog.privacy import (
        PseudonymKey,
        PseudonymKeyError,
        create_key_file,
        load_pseudonym_key,
        read_key_file,
    )
    from transforms.rotate_key import RotationError, rotate_key

    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    if (new_key_file is None) == (new_key_env is None):
        err.print("[red]name the new key: --new-key-file PATH or --new-key-env NAME[/red]")
        raise typer.Exit(code=2)
    config = config_or_exit(config_dir)
    created = None
    try:
        if new_key_env is not None:
            value = os.environ.get(new_key_env)
            if not value:
                raise PseudonymKeyError(f"the environment variable {new_key_env} is not set")
            new_key = load_pseudonym_key(
                config.privacy.model_copy(update={"pseudonym_key_env": new_key_env})
            )
        else:
            path = new_key_file.expanduser()
            new_key = read_key_file(path) if path.exists() else create_key_file(path)
            created = path if new_key.created else None
    except PseudonymKeyError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
        raise typer.Exit(code=2) from None
    if created is not None:
        err.print(
            f"[yellow]Made a new key in {escape(str(created))} (mode 0600). Back it up.[/yellow]"
        )
    folders = [archive, *(more or [])]
    try:
        result = rotate_key(
            db, config, new_key, folders, accept_differences=accept_differences
        )
    except (RotationError, DatabaseUnavailable, PseudonymKeyError) as exc:
        if created is not None:  # a key that re-keyed nothing would only mislead
            created.unlink(missing_ok=True)
        err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
        raise typer.Exit(code=2) from None
    console.print(
        f"Re-keyed {escape(str(result.database))}: {result.files} file(s) loaded again, "
        f"{result.citizens_after} citizens ({result.citizens_before} before); fingerprint "
        f"{result.old_prefix} -> {result.new_prefix}."
    )
    for leftover in result.leftovers_removed:
        console.print(f"Removed {escape(str(leftover))}: the work copy of a rotation that "
                      "was interrupted.")
    if result.rebuilt_as_of is not None:
        console.print(f"Models rebuilt (as of {result.rebuilt_as_of}).")
    for difference in result.differences:
        console.print(f"[yellow]difference[/yellow] {escape(difference)}")
    try:
        active: PseudonymKey | None = load_pseudonym_key(config.privacy, create=False)
    except PseudonymKeyError:
        active = None
    if active is None or active.fingerprint != new_key.fingerprint:
        console.print(
            "[yellow]The new key is not the active key yet: loads are refused until it "
            f"is. Put it in {escape(config.privacy.pseudonym_key_file)} (chmod 600) or set "
            f"{escape(config.privacy.pseudonym_key_env)} to it.[/yellow]"
        )
    console.print(
        "Back up the new key. Decks, due lists and reports made before show the old "
        "pseudonyms."
    )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    key_app.command("show")(show)
    key_app.command("fingerprint", hidden=True)(show)
    key_app.command("rotate")(rotate)
    app.add_typer(key_app, name="key")
