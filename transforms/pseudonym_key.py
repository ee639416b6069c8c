"""The database's side of the pseudonym key: its fingerprint, checked before every load.

A pseudonym is HMAC-SHA256(key, citizen ref), so a load with another key gives every
citizen a second pseudonym. The database therefore keeps the fingerprint of the key
its pseudonyms were made with (``main.pseudonym_key``, DDL ``ddl/keys.sql``), and
:func:`key_for_database` refuses a key with another fingerprint
(:class:`~datadialog.privacy.PseudonymKeyMismatch`) before anything is written.

A key file is only made when the database has no fingerprint and holds no
pseudonyms (the first load into an empty database); otherwise a missing key is an
error (:class:`~datadialog.privacy.PseudonymKeyMissing`) naming the fingerprint the
database expects. A database made before fingerprints were kept (it holds loads but no
fingerprint) takes the fingerprint of the key its next load uses, with a warning:
nothing older can tell which key made its pseudonyms.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb

from datadialog.config_model import Privacy
from datadialog.privacy import (
    FINGERPRINT_PREFIX,
    PseudonymKey,
    PseudonymKeyMismatch,
    load_pseudonym_key,
    mismatch_message,
)
from transforms.sqltext import model, set_variables

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredFingerprint:
    fingerprint: str
    recorded_at: datetime
    origin: str

    @property
    def prefix(self) -> str:
        return self.fingerprint[:FINGERPRINT_PREFIX]


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and schema_name = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def stored_fingerprint(con: duckdb.DuckDBPyConnection) -> StoredFingerprint | None:
    """The fingerprint the database's pseudonyms were made with (None: none recorded)."""
    if not _table_exists(con, "main", "pseudonym_key"):
        return None
    row = con.execute(model("keys/stored_fingerprint.sql")).fetchone()
    return StoredFingerprint(*row) if row else None


def holds_pseudonyms(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any load wrote rows (and so perhaps pseudonyms) into the database."""
    if not _table_exists(con, "staging", "loads"):
        return False
    return bool(con.execute(model("keys/holds_pseudonyms.sql")).fetchone()[0])


def key_for_database(
    con: duckdb.DuckDBPyConnection,
    privacy: Privacy,
    key: PseudonymKey | None = None,
    environ: Mapping[str, str] | None = None,
) -> PseudonymKey:
    """The key to load into this database with: ``key``, else the configured one.

    A key file is made only for a database without a fingerprint and without loads.
    Raises PseudonymKeyMismatch when the key's fingerprint is not the database's,
    PseudonymKeyMissing when no key is found and none may be made; writes nothing.
    """
    stored = stored_fingerprint(con)
    if key is None:
        may_create = stored is None and not holds_pseudonyms(con)
        key = load_pseudonym_key(
            privacy,
            environ,
            create=may_create,
            expected=stored.fingerprint if stored else None,
        )
    if stored is not None and stored.fingerprint != key.fingerprint:
        raise PseudonymKeyMismatch(mismatch_message(key, stored.fingerprint, privacy))
    return key


def record_fingerprint(con: duckdb.DuckDBPyConnection, key: PseudonymKey) -> bool:
    """Store the key's fingerprint (in a transaction of its own) when the database has
    none yet; True when stored."""
    if stored_fingerprint(con) is not None:
        return False
    if holds_pseudonyms(con):
        log.warning(
            "this database holds loads from before key fingerprints were kept: it now "
            "expects the key with fingerprint %s (from %s)",
            key.fingerprint[:FINGERPRINT_PREFIX],
            key.origin,
        )
    con.execute("begin transaction")
    try:
        write_fingerprint(con, key)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return True


def write_fingerprint(con: duckdb.DuckDBPyConnection, key: PseudonymKey) -> None:
    """Replace the stored fingerprint by the key's, in the caller's transaction."""
    sql = model("keys/record_fingerprint.sql")
    set_variables(con, sql, {"fingerprint": key.fingerprint, "origin": key.origin})
    con.execute(sql)
