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
2. on a copy of the file, the pseudonyms in the landed fields are noted with their
   place (table, load, record); then, in one transaction, the rows ingest wrote
   (staging, landing, quarantine, load counts; failed loads and the rows refused from
   returned agreement files stay) and the fingerprint are deleted;
3. each file is loaded again with the new key, under its first name and source, which
   records the new key's fingerprint;
4. the row count of every ingest table, and each file's record count, must equal the
   old ones (unless ``accept_differences``: a changed config may type rows otherwise);
5. every other place that holds a pseudonym (the agreements read back from meetings,
   quality failures, build state, models ...: every text column of every table the
   replay does not write) is re-keyed in one transaction by the map old -> new that the
   same landed field gives before and after the replay: a value that is a pseudonym,
   and a pseudonym inside a text, also shortened as on slides (``P-c8854e``: an
   agreement's citizen); an old pseudonym the replay gives no new one for is a
   difference (step 4);
6. the models are rebuilt (for the date of the last build) when the database had been
   built;
7. the copy replaces the database (``os.replace``: atomic on one file system).

What the database does not hold is not re-keyed: decks, due lists and quality reports
made before show the old pseudonyms (docs/operations.md, "The pseudonym key").
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
from duckdb import sqltypes

from datadialog.config_model import DatadialogConfig
from datadialog.db import connect, database_path
from datadialog.privacy import (
    FINGERPRINT_PREFIX,
    PSEUDONYM_HEX_CHARS,
    PSEUDONYM_PREFIX,
    PseudonymKey,
    contains_cpr,
    mask_text,
)
from transforms.build import build
from transforms.ingest import ERROR_SUFFIX, ingest_files, process_alive
from transforms.ingest.load import LANDING_TABLES
from transforms.pseudonym_key import record_fingerprint, stored_fingerprint
from transforms.schema import ensure_schema
from transforms.sqltext import ident, literal, model
from transforms.tables import TABLE_KEYS

#: Tables whose every row ingest wrote: cleared and refilled by the replay.
LOADED_TABLES = (
    *(f"staging.{t}" for t in TABLE_KEYS),
    *(f"landing.{t}" for t in LANDING_TABLES),
    "staging.quarantine",
    "staging.load_tables",
)
#: Tables the replay writes wholly with the new key: not searched for old pseudonyms.
#: (staging.quarantine is searched: the rows refused from agreement files stay.)
REPLAYED_TABLES = frozenset(
    (*(f"staging.{t}" for t in TABLE_KEYS), *(f"landing.{t}" for t in LANDING_TABLES),
     "staging.load_tables", "staging.loads")
)
#: Prefix of the private folder holding the replayed files under their first names.
REPLAY_PREFIX = "datadialog-rekey-"
#: Shortest pseudonym shortening re-keyed inside a text (slides show ``P-`` + 6 hex).
SHORT_HEX_CHARS = 6
#: A pseudonym in a text, whole or shortened as on slides; not part of a longer word.
PSEUDONYM_TOKEN = re.compile(
    rf"(?<![0-9A-Za-z]){PSEUDONYM_PREFIX}([0-9a-f]{{{SHORT_HEX_CHARS},{PSEUDONYM_HEX_CHARS}}})"
    r"(?![0-9A-Za-z])"
)
#: Name of the SQL function that re-keys the pseudonyms in a text (keys/rekey_texts.sql).
REKEY_FUNCTION = "rekey_text"


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
    #: work copies an interrupted rotation left beside the database, removed
    leftovers_removed: list[Path] = field(default_factory=list)

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
    result.leftovers_removed = _remove_leftover_copies(db)
    work = _work_copy(db, os.getpid())
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


def _work_copy(db: Path, pid: int) -> Path:
    """The copy a rotation works on, beside the database (one file system)."""
    return db.with_name(f".{db.stem}-rekey-{pid}{db.suffix}")


def _remove_leftover_copies(db: Path) -> list[Path]:
    """Remove the work copies (and their WAL files) of rotations whose process is gone:
    a rotation killed mid-way (power cut, kill -9) leaves its copy of every citizen's
    data, half re-keyed, beside the database. A copy of a running process is left."""
    removed = []
    pattern = re.compile(re.escape(f".{db.stem}-rekey-") + r"(\d+)" + re.escape(db.suffix)
                         + r"(\.wal)?$")
    for path in sorted(db.parent.glob(f".{db.stem}-rekey-*")):
        found = pattern.match(path.name)
        if found is None or process_alive(int(found[1])):
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


# ---------------------------------------------------------------- re-keying in place


class PseudonymMap:
    """Old key's pseudonym -> new key's, for texts: a whole pseudonym, or one shortened
    as on slides (``P-`` + 6 or more hex; :func:`outputs.citizen_pack.short_pseudonyms`),
    whose new form is as short, longer only while it would name several citizens or
    read as a CPR number. A shortening that fits several old pseudonyms is resolved by
    ``hint`` (the citizen the row is about), else left as written (counted)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.full = dict(pairs)
        self._old = sorted(self.full)
        self._new = sorted(self.full.values())
        self.unresolved: set[str] = set()

    def _starting(self, ids: list[str], prefix: str) -> list[str]:
        i = bisect.bisect_left(ids, prefix)
        out = []
        while i < len(ids) and ids[i].startswith(prefix):
            out.append(ids[i])
            i += 1
        return out

    def _short(self, new: str, n_hex: int) -> str:
        prefix_len = len(PSEUDONYM_PREFIX)
        for length in range(n_hex, PSEUDONYM_HEX_CHARS):
            short = new[: prefix_len + length]
            if len(self._starting(self._new, short)) <= 1 and not contains_cpr(short):
                return short
        return new

    def token(self, token: str, hint: str | None = None) -> str:
        """The new form of one pseudonym token (itself when it is no old pseudonym)."""
        whole = self.full.get(token)
        if whole is not None:
            return whole
        if len(token) - len(PSEUDONYM_PREFIX) >= PSEUDONYM_HEX_CHARS:
            return token
        fits = self._starting(self._old, token)
        if not fits:
            return token
        if len(fits) > 1:
            if hint not in fits:
                self.unresolved.add(token)
                return token
            fits = [hint]
        return self._short(self.full[fits[0]], len(token) - len(PSEUDONYM_PREFIX))

    def text(self, text: str | None, hint: str | None = None) -> str | None:
        """``text`` with every old pseudonym in it (whole or shortened) re-keyed."""
        if not text or PSEUDONYM_PREFIX not in text:
            return text
        return PSEUDONYM_TOKEN.sub(lambda m: self.token(m.group(0), hint), text)

    def arrow(self, texts: pa.Array) -> pa.Array:
        return pa.array([self.text(t) for t in texts.to_pylist()], type=pa.string())


def _landing_pseudonyms(con: duckdb.DuckDBPyConnection, into: str) -> None:
    """The temporary table ``into``: every pseudonym landed, with its place."""
    parts = [
        model("keys/landing_pseudonyms.sql", table=f"landing.{ident(t)}", name=literal(t))
        for t in LANDING_TABLES
    ]
    union = "\nunion all\n".join(f"select * from (\n{part}\n)" for part in parts)
    con.execute(f"create or replace temp table {into} as\n{union}")


def _pseudonym_map(
    con: duckdb.DuckDBPyConnection, loads: list[tuple[str, str]], result: RotationResult
) -> PseudonymMap:
    """The map old -> new pseudonym (the landed fields before and after the replay, by
    place); an old pseudonym with no new one, or with two, is a difference."""
    _landing_pseudonyms(con, "_rekey_new")
    con.execute("create or replace temp table _rekey_loads (old_load_id varchar, "
                "new_load_id varchar)")
    if loads:
        con.executemany("insert into _rekey_loads values (?, ?)", loads)
    con.execute(model("keys/pseudonym_map.sql"))
    twice = con.execute(
        "select old_pseudonym from _rekey_map group by all having count(*) > 1"
    ).fetchall()
    if twice:
        result.differences.append(
            f"{len(twice)} pseudonym(s) were given two new ones by the replay (a field "
            "landed otherwise); left as they were where they are not replayed"
        )
        con.execute("delete from _rekey_map where old_pseudonym in "
                    "(select old_pseudonym from _rekey_map group by all having count(*) > 1)")
    lost = con.execute(
        "select count(distinct pseudonym) from _rekey_old "
        "where pseudonym not in (select old_pseudonym from _rekey_map)"
    ).fetchone()[0]
    if lost:
        result.differences.append(
            f"{lost} pseudonym(s) landed before were not landed again in their place; "
            "left as they were where they are not replayed"
        )
    return PseudonymMap(con.execute("select * from _rekey_map").fetchall())


def _rekey_agreements(con: duckdb.DuckDBPyConnection, pseudonyms: PseudonymMap) -> None:
    """The agreements' texts, each with its course's (old) citizen as the hint for a
    shortened pseudonym (``P-c8854e`` in Borger/tema) that fits several citizens."""
    rows = con.execute(
        "select a.rowid, a.subject, a.text, a.owner, a.indicator, c.citizen_id "
        "from staging.agreements as a left join _rekey_old_courses as c "
        "on a.course_id = c.course_id"
    ).fetchall()
    for rowid, *texts, hint in rows:
        new = [pseudonyms.text(t, hint) for t in texts]
        if new != texts:
            con.execute(
                "update staging.agreements set subject = ?, text = ?, owner = ?, "
                "indicator = ? where rowid = ?", [*new, rowid]
            )


def _rekey_in_place(
    con: duckdb.DuckDBPyConnection, pseudonyms: PseudonymMap, result: RotationResult
) -> None:
    """Every text column of every table the replay did not write: old pseudonyms, whole
    or inside a text, replaced by the new ones (one transaction)."""
    con.create_function(REKEY_FUNCTION, pseudonyms.arrow, [sqltypes.VARCHAR],
                        sqltypes.VARCHAR, type="arrow", side_effects=False)
    try:
        con.execute("begin transaction")
        try:
            _rekey_agreements(con, pseudonyms)
            for schema, table, column in con.execute(model("keys/text_columns.sql")).fetchall():
                if f"{schema}.{table}" in REPLAYED_TABLES:
                    continue
                names = {"table": f"{ident(schema)}.{ident(table)}", "column": ident(column)}
                con.execute(model("keys/rekey_ids.sql", **names))
                con.execute(model("keys/rekey_texts.sql", **names))
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.remove_function(REKEY_FUNCTION)
    if pseudonyms.unresolved:
        result.differences.append(
            f"{len(pseudonyms.unresolved)} shortened pseudonym(s) in texts fit several "
            "citizens and were left as written"
        )


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
    """On the copy: note the landed pseudonyms, clear what ingest wrote, replay every
    load with the new key, compare, re-key what the replay does not write."""
    _landing_pseudonyms(con, "_rekey_old")
    con.execute("create or replace temp table _rekey_old_courses as "
                "select course_id, citizen_id from staging.courses")
    con.execute("begin transaction")
    try:
        for table in LOADED_TABLES:
            schema, name = table.split(".")
            if table == "staging.quarantine":  # the agreement files' rows stay
                con.execute(model("keys/clear_quarantine.sql"))
                continue
            con.execute(model("keys/clear_loaded_rows.sql", table=f"{schema}.{ident(name)}"))
        con.execute(model("keys/clear_loads.sql"))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    loads: list[tuple[str, str]] = []  # (old load id, its replay's)
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
            loads.append((replay.load_id, report.load_id))
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
    pseudonyms = _pseudonym_map(con, loads, result)
    if not result.differences or accept_differences:
        _rekey_in_place(con, pseudonyms, result)
    if result.differences and not accept_differences:
        raise RotationError(
            "loading the archived files again did not give the same rows ("
            + "; ".join(result.differences[:5])
            + "); has the config changed since? The database was not changed "
            "(--accept-differences re-keys anyway)"
        )
    if as_of is not None:
        build(con, config, as_of=as_of)
