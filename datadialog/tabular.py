"""Every CSV and XLSX file datadialog writes goes through here: safe for spreadsheets.

The rule (OWASP, "CSV injection"): a **text** value that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return would be read by Excel or LibreOffice as a
formula (``=HYPERLINK("http://x","y")`` in a staff id becomes a live link), so it is
written with a single quote ``'`` in front: ``'=HYPERLINK(...)``. Nothing else changes:
numbers and dates stay numbers and dates (``-5`` as a number is a number, not text), and
every other text is written as it is. A reader who needs the original drops one leading
quote from a text cell whose next character is one of those six.

- CSV from rows: :func:`write_csv_rows` (and :func:`append_csv_rows` for a ledger),
  streamed through :mod:`csv`, one row at a time.
- CSV from a DuckDB relation: :func:`write_relation_csv`; DuckDB writes the file itself
  from a projection that passes each text column through the SQL macro
  ``neutralise_text`` (``datadialog/sql/neutralise_text.sql``), so a large result is
  never pulled into Python.
- XLSX: :func:`xlsx_workbook` opens an xlsxwriter workbook with ``strings_to_formulas``,
  ``strings_to_urls`` and ``strings_to_numbers`` off; :func:`write_xlsx_value` writes a
  cell by its Python type (text with ``write_string``, never ``write``), and
  :func:`write_xlsx_text` a text cell.

Every file is written whole or not at all (:func:`datadialog.atomic_write.replacing`):
a full disk leaves no 0-byte file, and raises
:class:`datadialog.atomic_write.OutputWriteError` with a one-line message.
"""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter

from datadialog.atomic_write import replacing

#: First characters that make a spreadsheet read a text as a formula.
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
#: What goes in front of such a text.
QUOTE = "'"
#: The SQL macro ``neutralise_text(s)``: the same rule inside DuckDB.
NEUTRALISE_SQL = Path(__file__).resolve().parent / "sql" / "neutralise_text.sql"
#: Workbook options always set (whatever the caller passes): text stays text.
SAFE_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
#: Column types DuckDB writes as text (neutralised in :func:`write_relation_csv`).
TEXT_TYPES = ("VARCHAR",)


def neutralise(text: str) -> str:
    """``text`` with a ``'`` in front when it starts with a formula character."""
    return QUOTE + text if text.startswith(FORMULA_LEADERS) else text


def neutralise_value(value: Any) -> Any:
    """A text value neutralised (:func:`neutralise`); any other value as it is."""
    return neutralise(value) if isinstance(value, str) else value


# ---------------------------------------------------------------- CSV


def write_csv_rows(
    path: str | os.PathLike,
    header: Sequence[str] | None,
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> int:
    """Write ``header`` (if any) and ``rows`` to a CSV file, text neutralised; return the
    number of rows. ``None`` is an empty field; dates are ISO (``str(value)``)."""
    n = 0
    with replacing(path) as tmp, open(tmp, "x", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        if header is not None:
            writer.writerow([neutralise_value(h) for h in header])
        for row in rows:
            writer.writerow([neutralise_value(v) for v in row])
            n += 1
    return n


def append_csv_rows(
    path: str | os.PathLike,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8",
) -> int:
    """Add ``rows`` to a CSV ledger (made with ``header`` when absent), text neutralised.

    The ledger is copied, extended and renamed over the old one, so a full disk leaves it
    as it was (a ledger is small; see :func:`write_csv_rows` for large files)."""
    target = Path(path)
    n = 0
    with replacing(target) as tmp:
        exists = target.exists()
        if exists:
            shutil.copyfile(target, tmp)
        with open(tmp, "a" if exists else "x", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            if not exists:
                writer.writerow([neutralise_value(h) for h in header])
            for row in rows:
                writer.writerow([neutralise_value(v) for v in row])
                n += 1
    return n


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def neutralised_relation(
    con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation
) -> duckdb.DuckDBPyRelation:
    """``rel`` with every text column passed through ``neutralise_text`` (same names, same
    order; other columns untouched). ``rel`` must belong to ``con``."""
    con.execute(NEUTRALISE_SQL.read_text(encoding="utf-8"))
    columns = []
    for name, dtype in zip(rel.columns, rel.types, strict=True):
        column = _quoted(name)
        if str(dtype) in TEXT_TYPES:
            columns.append(f"neutralise_text({column}) as {column}")
        else:
            columns.append(column)
    return rel.project(", ".join(columns))


def write_relation_csv(
    con: duckdb.DuckDBPyConnection,
    rel: duckdb.DuckDBPyRelation,
    path: str | os.PathLike,
) -> Path:
    """Write a DuckDB relation to a CSV file with a header, text neutralised in SQL
    (:func:`neutralised_relation`); DuckDB streams the rows to the file. Returns the path."""
    target = Path(path)
    safe = neutralised_relation(con, rel)
    with replacing(target) as tmp:
        safe.write_csv(str(tmp), header=True)
    return target


# ---------------------------------------------------------------- XLSX


#: Creation date written into every workbook's properties.
WORKBOOK_CREATED = datetime(2000, 1, 1, tzinfo=UTC)


@contextmanager
def xlsx_workbook(
    path: str | os.PathLike, options: Mapping[str, Any] | None = None
) -> Iterator[xlsxwriter.Workbook]:
    """An xlsxwriter workbook for ``path`` that keeps text as text
    (:data:`SAFE_WORKBOOK_OPTIONS` on top of ``options``); put in place when the block
    ends, discarded when it fails. The workbook is assembled in memory and written in one
    go, so a full disk cannot leave xlsxwriter's zip file half open."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {**(options or {}), "in_memory": True, **SAFE_WORKBOOK_OPTIONS}
    )
    # a fixed creation date: the same content gives the same bytes (delivery decides
    # "already sent" on checksums; xlsxwriter already dates the zip members 1980-01-01)
    book.set_properties({"created": WORKBOOK_CREATED})
    try:
        yield book
    except BaseException:
        book.fileclosed = True  # nothing to save; keeps the destructor quiet
        raise
    book.close()
    with replacing(path) as tmp, open(tmp, "xb") as handle:
        handle.write(buffer.getbuffer())


def write_xlsx_text(sheet, row: int, col: int, text: str, cell_format=None) -> None:
    """A text cell, neutralised, written as a string (never as a formula or link)."""
    sheet.write_string(row, col, neutralise(str(text)), cell_format)


def write_xlsx_value(
    sheet, row: int, col: int, value: Any, cell_format=None, date_format=None
) -> None:
    """A cell by its Python type: ``None`` blank, ``bool`` boolean, date and datetime as
    dates (``date_format``, else ``cell_format``), numbers as numbers (NaN and infinity
    blank unless the workbook has ``nan_inf_to_errors``), anything else as neutralised text."""
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, datetime | date | time):
        sheet.write_datetime(row, col, value, date_format or cell_format)
    elif isinstance(value, int | float | Decimal):
        number = float(value)
        if not math.isfinite(number) and not sheet.nan_inf_to_errors:
            sheet.write_blank(row, col, None, cell_format)
        else:
            sheet.write_number(row, col, number, cell_format)
    else:
        write_xlsx_text(sheet, row, col, str(value), cell_format)


def write_xlsx_row(
    sheet, row: int, col: int, values: Iterable[Any], cell_format=None, date_format=None
) -> None:
    """A row of cells from ``col`` on (:func:`write_xlsx_value` each)."""
    for j, value in enumerate(values):
        write_xlsx_value(sheet, row, col + j, value, cell_format, date_format)
