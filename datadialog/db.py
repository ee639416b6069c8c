"""The DuckDB connection: which database, and waiting for the file lock.

One environment variable picks the database (:data:`DB_ENV`, default
``data/datadialog.duckdb`` under the working folder; ``:memory:`` works too).
:func:`connect` creates missing folders (not for a step that only reads what was
loaded: ``must_exist``) and waits a bounded time when another process holds the
database (DuckDB allows one writing process per file). It only
connects: the tables are made and upgraded by the schema owner,
:func:`transforms.schema.ensure_schema`, which every step that writes calls first.

Faults of the database file are classified here, in one place, into the subclasses of
:class:`DatabaseUnavailable`, each with a one-line message naming the file and what to
do: busy (another process holds it), disk full, read-only (file or folder), damaged
(not a DuckDB database, or corrupt). :func:`connect` raises them when opening fails;
:func:`database_faults` is the block a command wraps its work in, so a fault met later
(a commit on a full disk, a damaged block read) becomes one too. :func:`rollback` ends
a transaction that a failed commit may already have ended. A database whose last writer
died (its WAL left behind) is cleared of the rows of a load that never committed when
this process first opens it for writing (:mod:`datadialog.recovery`).
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from datadialog.atomic_write import OutputWriteError
from datadialog.recovery import discard_unfinished_loads

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

log = logging.getLogger(__name__)

#: Schemas datadialog keeps in the database. DuckDB names a database after its file,
#: so a file called after one of them (``landing.duckdb``) makes every ``landing.x``
#: ambiguous: such names are refused (compared ignoring case, as DuckDB does).
#: ``build_state`` and ``build_cache`` are the build's own schemas (transforms.build_state).
SCHEMA_NAMES = ("landing", "staging", "ref", "quality", "build_state", "build_cache")


class DatabaseUnavailable(RuntimeError):
    """The database cannot be used: its base for the errors below."""


class DatabaseBusyError(DatabaseUnavailable):
    """Another process holds the database longer than we were willing to wait."""


class DatabaseNameError(DatabaseUnavailable):
    """The database file's name clashes with one of datadialog's schemas."""


class DatabaseDiskFullError(DatabaseUnavailable):
    """The disk (or quota) holding the database has no room left."""


class DatabaseReadOnlyError(DatabaseUnavailable):
    """The database file, or its folder, cannot be written."""


class DatabaseDamagedError(DatabaseUnavailable):
    """The file is not a DuckDB database, or is corrupt or cut short."""


class DatabaseMissingError(DatabaseUnavailable):
    """A step that reads the database found no file there (nothing loaded yet, or a
    mistyped path): it is not created, so an empty database is not taken for a clean one."""


#: Lower-case fragments of DuckDB's (and the OS's) messages, per fault; errno first.
_FAULTS: tuple[tuple[type[DatabaseUnavailable], tuple[int, ...], tuple[str, ...]], ...] = (
    (DatabaseDiskFullError, (errno.ENOSPC, errno.EDQUOT),
     ("no space left on device", "disk quota exceeded", "disk is full", "disk full",
      # DuckDB's temporary files (beside the database) reached max_temp_directory_size,
      # by default the room left on their disk: a large load that spills
      "failed to offload data block")),
    (DatabaseReadOnlyError, (errno.EROFS, errno.EACCES, errno.EPERM),
     ("read-only file system", "permission denied", "operation not permitted")),
    (DatabaseDamagedError, (),
     ("not a valid duckdb database file", "corrupt database file", "could not read enough bytes",
      "does not match stored checksum", "database file is corrupt", "is not a database")),
)


def _fault_message(kind: type[DatabaseUnavailable], target: str) -> str:
    if kind is DatabaseDiskFullError:
        return (f"the disk holding the database {target} is full: free space on it (or "
                f"point --db / ${DB_ENV} at a disk with room) and run the command again; "
                "what it had not saved was rolled back")
    if kind is DatabaseReadOnlyError:
        return (f"the database {target} cannot be written (the file or its folder is "
                "read-only): make both writable for this user, or point --db / "
                f"${DB_ENV} at a writable copy")
    return (f"the database {target} is damaged or not a DuckDB database: restore it from "
            "a backup, or move it aside and load the exports again (datadialog ingest, "
            "then build)")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]


def fault_kind(exc: BaseException) -> type[DatabaseUnavailable] | None:
    """Which database fault ``exc`` (or an exception it was raised from) is, if any:
    a DuckDB error or an ``OSError`` whose errno or message says disk full, read-only or
    damaged. A lock is not among them (:func:`connect` waits for it), nor a report that
    could not be written (:class:`~datadialog.atomic_write.OutputWriteError`)."""
    for link in _chain(exc):
        if isinstance(link, DatabaseUnavailable):
            return type(link)
        if isinstance(link, OutputWriteError):  # an output file, not the database
            return None
        if not isinstance(link, duckdb.Error | OSError):
            continue
        code = link.errno if isinstance(link, OSError) else None
        text = str(link).lower()
        for kind, codes, fragments in _FAULTS:
            if code in codes or any(f in text for f in fragments):
                return kind
    return None


def classify(
    exc: BaseException, path: str | os.PathLike | None = None
) -> DatabaseUnavailable | None:
    """``exc`` as the :class:`DatabaseUnavailable` it amounts to for the database ``path``
    (default: :func:`database_path`), or ``None`` when it is no database fault."""
    for link in _chain(exc):
        if isinstance(link, DatabaseUnavailable):
            return link
    kind = fault_kind(exc)
    if kind is None:
        return None
    return kind(_fault_message(kind, database_path(path)))


@contextmanager
def database_faults(path: str | os.PathLike | None = None) -> Iterator[None]:
    """Run a block on the database ``path``; a fault of its file (see :func:`classify`;
    also when another error was raised from it) leaves the block as that
    :class:`DatabaseUnavailable`, raised from the original error (whose traceback is
    logged at DEBUG). Any other error passes unchanged."""
    try:
        yield
    except DatabaseUnavailable:
        raise
    except Exception as exc:  # a DuckDB or OS error, or one raised from it (ModelError ...)
        fault = classify(exc, path)
        if fault is None:
            raise
        log.debug("database fault on %s", database_path(path), exc_info=exc)
        raise fault from exc


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if there is one: after a failed commit (a full
    disk) DuckDB has ended it already and would say "cannot rollback - no transaction is
    active", hiding the real error."""
    try:
        con.execute("rollback")
    except duckdb.Error as exc:
        log.debug("rollback: %s", exc)


def database_path(path: str | os.PathLike | None = None) -> str:
    """The database to use: the argument, else ``$DATADIALOG_DB``, else the default."""
    if path is not None and str(path):
        return str(path)
    return os.environ.get(DB_ENV) or str(DEFAULT_DB)


#: Databases this process has opened for writing: only the first open after another
#: process's crash finds that process's WAL (see :mod:`datadialog.recovery`).
_OPENED_FOR_WRITING: set[str] = set()


def require_database(path: str | os.PathLike | None = None) -> str:
    """The database path (:func:`database_path`), or :class:`DatabaseMissingError` when no
    file is there."""
    target = database_path(path)
    if target.startswith(":memory:") or Path(target).expanduser().is_file():
        return target
    _not_a_folder(str(Path(target).expanduser()))
    raise DatabaseMissingError(
        f"no database at {target}: nothing has been loaded there yet. Load the exports "
        f"first (datadialog ingest PATH... --db {target}), or check --db / ${DB_ENV}"
    )


def _not_a_folder(target: str) -> None:
    """Raise :class:`DatabaseNameError` when ``target`` is a folder (DuckDB's own error
    is 'Is a directory' from deep inside, after a traceback)."""
    if Path(target).is_dir():
        raise DatabaseNameError(
            f"the database {target} is a folder: give the database file, e.g. "
            f"{Path(target) / 'datadialog.duckdb'} (--db or ${DB_ENV})"
        )


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
    must_exist: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open the database (see module doc).

    ``must_exist``: the steps that read what was loaded (build, check, due lists, the
    site, a meeting's decks) raise :class:`DatabaseMissingError` for a file that is not
    there instead of creating an empty database.

    Raises :class:`DatabaseBusyError` ("database is in use by another load: ...")
    when another process still holds the file after ``wait_seconds``
    (default ``$DATADIALOG_DB_WAIT`` or 30 s), :class:`DatabaseNameError` for a
    file named after one of the schemas (``landing.duckdb``), and the faults of
    :func:`classify` (disk full, read-only, damaged) when the file cannot be opened.
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
        target = str(Path(target).expanduser())
        _not_a_folder(target)
        if must_exist:
            require_database(target)
        with database_faults(target):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
    # a WAL left beside the file: the last process that wrote it did not close it
    crashed = (not in_memory and not read_only and target not in _OPENED_FOR_WRITING
               and Path(target + ".wal").exists())
    limit = _wait_seconds(wait_seconds)
    deadline = time.monotonic() + limit
    while True:
        try:
            with database_faults(target):
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
    if not in_memory and not read_only:
        _OPENED_FOR_WRITING.add(target)
    if crashed:
        with database_faults(target):
            discard_unfinished_loads(con)
    return con
