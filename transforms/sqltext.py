"""Read the ingest SQL files and fill in their ``__name__`` placeholders.

The SQL lives in ``transforms/sql/landing/`` and ``transforms/sql/staging/``.
Values travel as DuckDB variables: a file reads ``getvariable('load_id')`` and
:func:`set_variables` sets them (so the files stay plain SQL that sqlfluff can
lint). Only what a value cannot carry is templated, and only through the helpers
here: identifiers (export column names from ``config/sources.yaml``, canonical
table and column names from the code) are double-quoted with :func:`ident`, and
the few literals DuckDB wants inside a ``create view`` or ``read_csv(...)`` call
(a file path, a delimiter) are single-quoted with :func:`literal`. A placeholder
is a lower-case name between double underscores (``__table__``); one left
unfilled, or a fragment given that the file does not use, is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"

_PLACEHOLDER = re.compile(r"__([a-z][a-z0-9_]*?)__")
_VARIABLE = re.compile(r"getvariable\('([a-z_][a-z0-9_]*)'\)")


@cache
def sql_file(relative: str) -> str:
    """The text of ``transforms/sql/<relative>``."""
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def ident(name: str) -> str:
    """A double-quoted SQL identifier (any text is safe)."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A single-quoted SQL string literal (any text is safe)."""
    return "'" + value.replace("'", "''") + "'"


def render(sql: str, **fragments: str) -> str:
    """Replace every ``__name__`` in ``sql`` by ``fragments[name]``."""
    used = set(_PLACEHOLDER.findall(sql))
    missing = sorted(used - set(fragments))
    unused = sorted(set(fragments) - used)
    if missing or unused:
        raise KeyError(f"SQL template placeholders: missing {missing}, not in file {unused}")
    return _PLACEHOLDER.sub(lambda m: fragments[m.group(1)], sql)


def model(relative: str, **fragments: str) -> str:
    """A SQL file, rendered with ``fragments`` (none for most files)."""
    return render(sql_file(relative), **fragments)


def variables(sql: str) -> set[str]:
    """Names the SQL reads with ``getvariable('name')``."""
    return set(_VARIABLE.findall(sql))


def set_variables(con, sql: str, values: dict) -> None:
    """Set every variable ``sql`` reads from ``values`` (a missing one is an error)."""
    wanted = variables(sql)
    missing = sorted(wanted - set(values))
    if missing:
        raise KeyError(f"SQL variables not given: {missing}")
    for name in sorted(wanted):
        con.execute(f"set variable {name} = ?", [values[name]])


@contextmanager
def duckdb_settings(con: duckdb.DuckDBPyConnection, values: dict[str, str]) -> Iterator[None]:
    """DuckDB settings changed for the duration of a block, then put back (the ingest's
    load settings; the check run's store without optimistic writes). Put back outside
    any transaction the block opened: DuckDB refuses a ``set`` in a transaction a failed
    statement aborted."""
    before = {
        name: con.execute("select current_setting(?)", [name]).fetchone()[0] for name in values
    }
    try:
        for name, value in values.items():
            con.execute(f"set {name} = {literal(str(value))}")
        yield
    finally:
        for name, value in before.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            try:
                con.execute(f"set {name} = {literal(text)}")
            except duckdb.TransactionException:
                # a statement failed inside the ingest file's transaction, which is
                # rolled back next: the outer block (LOAD_SETTINGS) puts the values back
                break
