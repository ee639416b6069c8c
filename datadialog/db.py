"""The DuckDB connection: which database, and waiting for the file lock.

One environment variable picks the database (:data:`DB_ENV`, default
``data/datadialog.duckdb`` under the working folder; ``:memory:`` works too).
:func:`connect` creates missing folders and waits a bounded time when another
process holds the database (DuckDB allows one writing process per file). It only
connects: the tables are made and upgraded by the schema owner,
:func:`transforms.schema.ensure_schema`, which every step that writes calls first.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

#: Environment variable naming the database file.
DB_ENV = "DATADIALOG_DB"
#: Database used when neither an argument nor the variable names one.
DEFAULT_DB = Path("data") / "datadialog.duckdb"
#: Environment variable: seconds to wait for another process's lock (default below).
WAIT_ENV = "DATADIALOG_DB_WAIT"
#: Seconds :func:`connect` waits for a database held by another process (safe range 0-600).
DEFAULT_WAIT_SECONDS = 30.0
#: Seconds between two attempts to open a locked database.
RETRY_INTERVAL_SECONDS = 0.25



#: Schemas datadialog keeps in the database. DuckDB names a database after its file,
#: so a file called after one of them (``landing.duckdb``) makes every ``landing.x``
#: ambiguous: such names are refused (compared ignoring case, as DuckDB does).
SCHEMA_NAMES = ("landing", "staging", "ref", "quality")


class DatabaseUnavailable(RuntimeError):
    """The database cannot be used: its base for the errors below."""


class DatabaseBusyError(DatabaseUnavailable):
    """Another process holds the database longer than we were willing to wait."""


class DatabaseNameError(DatabaseUnavailable):
    """The database file's name clashes with one of datadialog's schemas."""


def database_path(path: str | os.PathLike | None = None) -> str:
    """The database to use: the argument, else ``$DATADIALOG_DB``, else the default."""
    if path is not None and str(path):
        return str(path)
    return os.environ.get(DB_ENV) or str(DEFAULT_DB)


def _wait_seconds(wait_seconds: float | None) -> float:
    if wait_seconds is not None:
        return max(0.0, float(wait_seconds))
    raw = os.environ.get(WAIT_ENV)
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            raise ValueError(f"{WAIT_ENV} must be a number of seconds, not {raw!r}") from None
    return DEFAULT_WAIT_SECONDS


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def connect(
    path: str | os.PathLike | None = None,
    *,
    wait_seconds: float | None = None,
    read_only: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open the database (see module doc).

    Raises :class:`DatabaseBusyError` ("database is in use by another load: ...")
    when another process still holds the file after ``wait_seconds``
    (default ``$DATADIALOG_DB_WAIT`` or 30 s), and :class:`DatabaseNameError` for a
    file named after one of the schemas (``landing.duckdb``).
    """
    target = database_path(path)
    in_memory = target == ":memory:" or target.startswith(":memory:")
    if not in_memory and Path(target).stem.lower() in SCHEMA_NAMES:
        raise DatabaseNameError(
            f"the database file {target} cannot be used: DuckDB names a database after "
            f"its file, and {Path(target).stem!r} is also one of datadialog's schemas "
            f"({', '.join(SCHEMA_NAMES)}); give the file another name, e.g. datadialog.duckdb"
        )
    if not in_memory:
        Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True)
        target = str(Path(target).expanduser())
    limit = _wait_seconds(wait_seconds)
    deadline = time.monotonic() + limit
    while True:
        try:
            con = duckdb.connect(target, read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusyError(
                    f"database is in use by another load: {target} "
                    f"(still locked after waiting {limit:g} s; try again when it has finished)"
                ) from None
            time.sleep(RETRY_INTERVAL_SECONDS)
    return con
