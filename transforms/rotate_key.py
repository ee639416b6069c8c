"""Re-key a database: every pseudonym made again with a new key, from the archived exports.

A pseudonym is a one-way hash of the citizen ref, and the database keeps no ref (nor
any map from pseudonym to ref), so a pseudonym cannot be turned into the new key's
pseudonym in place. Re-keying therefore replays the loads: the export files are found
again by their checksum (``staging.loads.sha256``) in the archive (and any other
folders named), and loaded anew with the new key, in the order they were first loaded.
Since the old key is never needed, this is also the way out when the key is lost.

:func:`rotate_key` works on a copy of the database and replaces the original only
when everything succeeded, so the database is either wholly re-keyed or untouched:

1. every load that wrote rows must have its file in the archive, else nothing happens
   (:class:`RotationError` lists the missing files);
2. on a copy of the file, in one transaction, the rows ingest wrote (staging, landing,
   quarantine, load counts; failed loads stay) and the fingerprint are deleted;
3. each file is loaded again with the new key, under its first name and source, which
   records the new key's fingerprint;
4. the row count of every ingest table, and each file's record count, must equal the
   old ones (unless ``accept_differences``: a changed config may type rows otherwise);
5. the models are rebuilt (for the date of the last build) when the database had been
   built, since they hold pseudonyms too;
6. the copy replaces the database (``os.replace``: atomic on one file system).

What the database does not hold is not re-keyed: decks, due lists and quality reports
made before show the old pseudonyms (docs/operations.md, "The pseudonym key").
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from datadialog.config_model import DatadialogConfig
from datadialog.db import connect, database_path
from datadialog.privacy import FINGERPRINT_PREFIX, PseudonymKey, mask_text
from transforms.build import build
from transforms.ingest import ERROR_SUFFIX, ingest_files
from transforms.ingest.load import LANDING_TABLES
from transforms.pseudonym_key import record_fingerprint, stored_fingerprint
from transforms.schema import ensure_schema
from transforms.sqltext import ident, model
from transforms.tables import TABLE_KEYS

#: Tables whose every row ingest wrote: cleared and refilled by the replay.
LOADED_TABLES = (
    *(f"staging.{t}" for t in TABLE_KEYS),
    *(f"landing.{t}" for t in LANDING_TABLES),
    "staging.quarantine",
    "staging.load_tables",
)
#: Prefix of the private folder holding the replayed files under their first names.
REPLAY_PREFIX = "datadialog-rekey-"


class RotationError(RuntimeError):
    """Re-keying cannot be done (or failed); the database was left as it was."""


@dataclass(frozen=True)
class Replay:
    """One load to replay: the file as loaded then, and where it is now."""

    load_id: str
    source_id: str | None
    file_name: str
    sha256: str
    status: str
    rows_in: int
    path: Path | None = None


@dataclass
class RotationResult:
    database: Path
    old_fingerprint: str | None
    new_fingerprint: str
    files: int = 0
    citizens_before: int = 0
    citizens_after: int = 0
    rebuilt_as_of: date | None = None
    differences: list[str] = field(default_factory=list)

    @property
    def old_prefix(self) -> str:
        return (self.old_fingerprint or "none")[:FINGERPRINT_PREFIX]

    @property
    def new_prefix(self) -> str:
        return self.new_fingerprint[:FINGERPRINT_PREFIX]


def archived_files(folders: Iterable[Path]) -> dict[str, Path]:
    """SHA-256 -> file, for every file under the folders (error notes left out)."""
    found: dict[str, Path] = {}
    for folder in folders:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.endswith(ERROR_SUFFIX):
                continue
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            found.setdefault(digest.hexdigest(), path)
    return found


def plan_replay(con: duckdb.DuckDBPyConnection, folders: Iterable[Path]) -> list[Replay]:
    """The loads to replay, each with its archived file; RotationError when one is missing."""
    rows = con.execute(model("keys/loads_to_replay.sql")).fetchall()
    loads = [Replay(*row) for row in rows]
    folders = list(folders)
    files = archived_files(folders) if loads else {}
    planned = [
        Replay(**{**load.__dict__, "path": files.get(load.sha256)}) for load in loads
    ]
    missing = [p for p in planned if p.path is None]
    if missing:
        listed = ", ".join(
            f"{mask_text(p.file_name)} (sha256 {p.sha256[:12]})" for p in missing[:5]
        )
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        where = ", ".join(str(f) for f in folders) or "no folder"
        raise RotationError(
            f"{len(missing)} of {len(planned)} loaded file(s) are not in {where}: "
            f"{listed}{more}. Re-keying loads every file again, so each must be found by "
            "its checksum (name further folders with --from); nothing was changed"
        )
    return planned


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    out = {}
    for table in LOADED_TABLES:
        schema, name = table.split(".")
        sql = model("keys/count_rows.sql", table=f"{schema}.{ident(name)}")
        out[table] = con.execute(sql).fetchone()[0]
    return out


def _built_as_of(con: duckdb.DuckDBPyConnection) -> date | None:
    exists = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'ref' and table_name = 'settings'"
    ).fetchone()[0]
    if not exists:
        return None
    return con.execute(model("keys/built_as_of.sql")).fetchone()[0]


def rotate_key(
    db_path: str | os.PathLike | None,
    config: DatadialogConfig,
    new_key: PseudonymKey,
    folders: Iterable[Path],
    *,
    accept_differences: bool = False,
) -> RotationResult:
    """Re-key the database ``db_path`` with ``new_key`` from the files in ``folders``.

    All or nothing (see the module doc); raises RotationError, the database unchanged.
    Other processes must not write to the database meanwhile (stop scheduled ingests).
    """
    raw = database_path(db_path)
    if raw.startswith(":memory:"):
        raise RotationError("an in-memory database cannot be re-keyed")
    db = Path(raw).expanduser()
    if not db.is_file():
        raise RotationError(f"no database at {db}")
    folders = [Path(f) for f in folders]
    con = connect(db)
    try:
        ensure_schema(con)
        stored = stored_fingerprint(con)
        if stored is not None and stored.fingerprint == new_key.fingerprint:
            raise RotationError(
                f"the new key (fingerprint {stored.prefix}) is the key the database already "
                "has; nothing to do"
            )
        replays = plan_replay(con, folders)
        before = _counts(con)
        as_of = _built_as_of(con)
    finally:
        con.close()
    result = RotationResult(
        database=db,
        old_fingerprint=stored.fingerprint if stored else None,
        new_fingerprint=new_key.fingerprint,
        files=len(replays),
        citizens_before=before["staging.citizens"],
        rebuilt_as_of=as_of,
    )
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        raise RotationError(
            f"{wal} exists: another process has the database open; stop it and try again"
        )
    work = db.with_name(f".{db.stem}-rekey-{os.getpid()}{db.suffix}")
    try:
        shutil.copy2(db, work)
        con = connect(work)
        try:
            _rekey(con, config, new_key, replays, as_of, before, result, accept_differences)
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(work, db)
    finally:
        for path in (work, work.with_name(work.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return result


def _rekey(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    new_key: PseudonymKey,
    replays: list[Replay],
    as_of: date | None,
    before: dict[str, int],
    result: RotationResult,
    accept_differences: bool,
) -> None:
    """On the copy: clear what ingest wrote, replay every load with the new key, compare."""
    con.execute("begin transaction")
    try:
        for table in LOADED_TABLES:
            schema, name = table.split(".")
            con.execute(model("keys/clear_loaded_rows.sql", table=f"{schema}.{ident(name)}"))
        con.execute(model("keys/clear_loads.sql"))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    with tempfile.TemporaryDirectory(prefix=REPLAY_PREFIX) as folder:
        for i, replay in enumerate(replays):
            # under the name it was first loaded as: the name picks the source and marks
            # a corrected re-export (the archive may hold it as name.1.csv)
            link = Path(folder) / str(i) / replay.file_name
            link.parent.mkdir()
            try:
                link.symlink_to(replay.path.resolve())
            except OSError:
                shutil.copyfile(replay.path, link)
            (report,) = ingest_files(
                con, [link], config, source_id=replay.source_id, key=new_key
            )
            if report.status != "loaded":
                raise RotationError(
                    f"loading {mask_text(replay.file_name)} again gave "
                    f"{report.status}: {mask_text(report.error or report.note or '')}; "
                    "the database was not changed"
                )
            if report.rows_in != replay.rows_in:
                result.differences.append(
                    f"{mask_text(replay.file_name)}: {report.rows_in} records, "
                    f"{replay.rows_in} when first loaded"
                )
    record_fingerprint(con, new_key)  # the first replayed load did, unless there was none
    after = _counts(con)
    result.citizens_after = after["staging.citizens"]
    result.differences += [
        f"{table}: {after[table]} rows, {before[table]} before"
        for table in LOADED_TABLES
        if after[table] != before[table]
    ]
    if result.differences and not accept_differences:
        raise RotationError(
            "loading the archived files again did not give the same rows ("
            + "; ".join(result.differences[:5])
            + "); has the config changed since? The database was not changed "
            "(--accept-differences re-keys anyway)"
        )
    if as_of is not None:
        build(con, config, as_of=as_of)
