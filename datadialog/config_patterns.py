"""Checks of the source settings ingest hands to a parser, so ``config check`` (and every
config load) refuses what would fail every file: a ``date_format`` DuckDB cannot read
or that reads no whole date, and a ``trailer_pattern`` or ``item_columns`` that is not
a regular expression.

Each value is tried with the engine ingest uses it with: dates are typed by DuckDB's
``strptime`` (its directives are not Python's: ``%e`` or ``%q`` are refused, ``%x`` is
ISO), Parquet date columns are written out by DuckDB's ``strftime`` and XLSX date cells
by Python's ``datetime.strftime``; ``trailer_pattern`` and ``item_columns`` are Python
``re`` patterns (transforms.ingest.prepare, readers and mapping).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

#: The date a format is tried on: its day is over 12, so a format that swaps day and
#: month, or leaves either out, does not read it back.
SAMPLE_DATE = date(2024, 11, 23)
_SAMPLE_TEXT = "23 November 2024"
_EXAMPLE = "e.g. %d-%m-%Y for 23-11-2024"


def date_format_problem(date_format: str, xlsx: bool = False) -> str | None:
    """Why ``date_format`` cannot be a source's date format, or None when it reads a
    whole date (day, month and year) back as DuckDB writes it and, for an XLSX source,
    as Python's strftime writes a date cell."""
    if "%" not in date_format:
        spelt = _spelt_out(date_format)
        example = (f"write it as {spelt!r}" if spelt
                   else f"write the day, month and year as directives, {_EXAMPLE}")
        return (f"{date_format!r} has no directive (a % and a letter), so it reads no "
                f"date: {example}")
    error, written, back = _duckdb_round_trip(date_format, None)
    if error:
        return (f"not a valid date format ({error}); write it in DuckDB's strptime "
                f"directives, {_EXAMPLE}")
    if back != SAMPLE_DATE:
        return (f"{date_format!r} does not read a whole date: {_SAMPLE_TEXT} written in it "
                f"is {written!r}, {_read_back(back)}; the format needs the day, month and "
                f"year, {_EXAMPLE}")
    if xlsx:
        try:
            cell = SAMPLE_DATE.strftime(date_format)
        except ValueError as exc:
            return f"not a date format Python's strftime can write XLSX date cells in ({exc})"
        _, _, back = _duckdb_round_trip(date_format, cell)
        if back != SAMPLE_DATE:
            read = _read_back(back, reader="DuckDB's strptime")
            return (f"XLSX date cells are written with Python's strftime, which writes "
                    f"{_SAMPLE_TEXT} in {date_format!r} as {cell!r}, {read}; use "
                    f"directives both read alike, {_EXAMPLE}")
    return None


def regex_problem(pattern: str, *, item_group: bool = False) -> str | None:
    """Why ``pattern`` is not a Python regular expression (or, with ``item_group``, has
    no group 1 to capture the item number), or None."""
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"not a valid regular expression ({exc})"
    if item_group and compiled.groups < 1:
        return (f"{pattern!r} has no capture group: group 1 must capture the item number, "
                r"e.g. ^Q(\d+)$")
    return None


#: Date parts as a spreadsheet or a person spells them -> the strptime directive.
_SPELT = (("yyyy", "%Y"), ("yy", "%y"), ("dd", "%d"), ("mm", "%m"))


def _spelt_out(date_format: str) -> str | None:
    """'dd/mm/yyyy' as '%d/%m/%Y', when that reads a whole date; else None."""
    spelt = date_format
    for letters, directive in _SPELT:
        spelt = re.sub(letters, directive, spelt, flags=re.IGNORECASE)
    return spelt if "%" in spelt and date_format_problem(spelt) is None else None


def _read_back(back: date | None, reader: str = "it") -> str:
    if back is None:
        return f"which {reader} cannot read back"
    return f"which {reader} reads back as {back.isoformat()}"


@lru_cache(maxsize=256)
def _duckdb_round_trip(date_format: str, text: str | None) -> tuple[str | None, str, date | None]:
    """(DuckDB's error, the sample date as DuckDB's strftime writes it (or ``text``),
    that text read back by DuckDB's try_strptime as a date)."""
    import duckdb  # on first use: importing the config model (docs, --help) loads no DuckDB

    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")  # %Z writes UTC; the date reads back in UTC
    except duckdb.Error:
        pass
    try:
        if text is None:  # midnight in UTC, so %Z and %z write a zone strptime reads
            (text,) = con.execute("select strftime(?::timestamptz, ?)",
                                  [f"{SAMPLE_DATE.isoformat()} 00:00:00+00", date_format]
                                  ).fetchone()
        (back,) = con.execute("select try_strptime(?, ?)::date", [text, date_format]
                              ).fetchone()
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        message = message.removeprefix("Invalid Input Error: ")
        message = message.removeprefix(f"Failed to parse format specifier {date_format}: ")
        return message, "", None
    finally:
        con.close()
    return None, text or "", back
