"""How a command ends on a fault of the database or of an output folder: one line on
stderr naming the file and what to do, exit code 2, no traceback on the console (the
traceback goes to the log at DEBUG).

The faults are classified in the core (:func:`datadialog.db.database_faults`: busy,
disk full, read-only, damaged; :class:`datadialog.atomic_write.OutputWriteError`: a
report or list that could not be written). A command wraps its work in
:func:`command_faults`, or calls :func:`end_with` where it already catches them.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer

log = logging.getLogger("datadialog.cli")

#: Exit code of a command that could not run (the database or a folder is at fault).
EXIT_FAULT = 2


def end_with(exc: BaseException) -> NoReturn:
    """Print ``exc``'s one-line message in red on stderr, log its traceback at DEBUG and
    exit with :data:`EXIT_FAULT`."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if log.hasHandlers():  # a log file (the ingest's): the line there too; else only the console
        log.error("%s", message)
    log.debug("%s", message, exc_info=exc)
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code=EXIT_FAULT)


@contextmanager
def command_faults(db: str | os.PathLike | None) -> Iterator[None]:
    """The block's database faults (database ``db``) and output write faults end the
    command (:func:`end_with`); any other error passes unchanged."""
    from datadialog.atomic_write import OutputWriteError
    from datadialog.db import DatabaseUnavailable, database_faults

    try:
        with database_faults(db):
            yield
    except (DatabaseUnavailable, OutputWriteError) as exc:
        end_with(exc)


class _FirstLine(logging.Formatter):
    """A record's first line only, CPR-masked: no traceback, neither one written into
    the message nor its ``exc_info``."""

    def format(self, record: logging.LogRecord) -> str:
        from datadialog.privacy import mask_text

        lines = record.getMessage().splitlines()
        return mask_text(lines[0]) if lines else ""


@contextmanager
def one_line_console_log(names: tuple[str, ...] = ("pipeline",),
                         level: int = logging.WARNING) -> Iterator[None]:
    """For a block, the warnings and errors of the loggers ``names`` go to stderr as
    their first line only, as Python's last-resort handler would print them, but
    without a traceback: the command names the failure in its own line (a deck failed
    on a config the build does not fit), and a traceback would bury it. Where a run has
    a log (a flow's in Prefect) the full record stays there."""
    import sys

    from datadialog.logs import handler_attached

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_FirstLine())
    with handler_attached(handler, names, level):
        yield


def output_folder_or_exit(path: str | os.PathLike | None, option: str) -> None:
    """End the command (one line, exit code :data:`EXIT_FAULT`) before any work when
    ``path``, a folder the command writes to (made when missing), is a file, or a file
    stands where one of the folders above it would be: the write would fail only after
    the work was done (a quality run stored, decks rendered) and with a traceback."""
    if path is None:
        return
    folder = Path(path).expanduser()
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            return
        if candidate.exists() or candidate.is_symlink():
            what = ("is a file, not a folder" if candidate == folder
                    else f"cannot be made: {candidate} is a file")
            typer.secho(
                f"{option} {path} {what}: give a folder (it is made when missing), or "
                "move the file away",
                fg=typer.colors.RED, err=True,
            )
            raise typer.Exit(code=EXIT_FAULT)


def config_or_exit(config_dir: str | os.PathLike | None, code: int = EXIT_FAULT):
    """The config of ``config_dir``, or every problem printed in red on stderr as
    ``file: key: reason`` and exit with ``code``."""
    from datadialog.config_load import ConfigError, load_config

    try:
        return load_config(config_dir)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.secho(str(problem), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=code) from None


def prefect_api_url() -> str | None:
    """The Prefect API URL a command would use: ``PREFECT_API_URL``, else the active
    profile's (``$PREFECT_HOME/profiles.toml``, as ``prefect config set`` writes it).
    Read without importing Prefect, which sets up its logging on import."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active", "ephemeral")
    return profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL") or None


def prefect_server_answers(api_url: str, timeout: float = 5.0) -> bool:
    """Whether the Prefect API at ``api_url`` answers its health check (without
    importing Prefect, whose client would end in a traceback of connection errors)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=timeout) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def require_prefect_server(command: str) -> None:
    """End a command that registers deployments when no Prefect server is configured:
    Prefect would start a temporary server, register there and stop it with the
    command, so nothing would ever run the deployments."""
    url = prefect_api_url()
    if url:
        if not prefect_server_answers(url):
            typer.secho(
                f"{command} needs a Prefect server, and none answers at {url} "
                "(PREFECT_API_URL): start it (`prefect server start`) or fix the URL.",
                fg=typer.colors.RED, err=True,
            )
            raise typer.Exit(code=2)
        return
    typer.secho(
        f"{command} needs a Prefect server: set PREFECT_API_URL (e.g. "
        "http://127.0.0.1:4200/api after `prefect server start`; docs/operations.md, "
        "\"A Prefect server\"). Without it the deployments would go to a temporary server "
        "that stops when this command ends.",
        fg=typer.colors.RED, err=True,
    )
    raise typer.Exit(code=2)
