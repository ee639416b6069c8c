"""Expose one export (CSV, XLSX sheet or Parquet file) to DuckDB as the view ``_raw``.

``_raw`` has ``row_no`` (the record number of docs/canonical.md) and the export's
columns, all as text. CSV and Parquet are read by DuckDB itself
(``transforms/sql/landing/read_*.sql``); an XLSX sheet is read with
python-calamine and handed over as an Arrow table, its cells written as text the
way the source writes text: date cells in the source's ``date_format``, numbers
with its decimal mark, whole numbers without decimals (a nine-digit one that is a CPR
number without its leading zero with the zero, so it is masked: :func:`whole_number_text`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import duckdb
import pyarrow as pa

from datadialog.config_model import Source
from datadialog.privacy import CPR_PATTERN, mask_text
from transforms.ingest.model import IngestFileError
from transforms.ingest.prepare import PreparedText, cpr_header_warnings, trailer_count
from transforms.sqltext import ident, literal, model

RAW_VIEW = "_raw"
ARROW_NAME = "_raw_arrow"


def create_view(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> None:
    """(Re)create a temporary view ``name`` over a rendered SQL model."""
    con.execute(f"create or replace temp view {ident(name)} as\n{sql}")


#: Column names the loader adds itself; an export column so named is renamed
#: (``row_no_2``) so it cannot clash (DuckDB compares names ignoring case).
RESERVED_NAMES = ("row_no", "rowid")


def unique_names(header: list[str]) -> list[str]:
    """Header names made unique and non-empty (``name_2``: a repeat, ``column_3``: a blank).

    Names are compared ignoring case, as DuckDB does; the reserved names count as
    taken.
    """
    seen: dict[str, int] = {name: 1 for name in RESERVED_NAMES}
    out = []
    for position, name in enumerate(header, start=1):
        name = name or f"column_{position}"
        while name.lower() in seen:
            seen[name.lower()] += 1
            name = f"{name}_{seen[name.lower()]}"
        seen[name.lower()] = 1
        out.append(name)
    return out


# ---------------------------------------------------------------- CSV


def register_csv(
    con: duckdb.DuckDBPyConnection, prepared: PreparedText, source: Source, max_line_size: int
) -> list[str]:
    """Create ``_raw`` over the UTF-8 copy of a CSV export; return the column names.

    The view reads the file when it is used; ``row_no`` is empty in it. The loader
    stores the records in file order (``preserve_insertion_order`` on) and numbers
    them by position (landing/load_rows.sql): numbering with ``row_number()`` while
    reading would keep DuckDB on one core. A record longer than ``max_line_size``
    bytes fails the read (DuckDB: "Maximum line size ... exceeded").
    """
    names = unique_names(prepared.header)
    columns = "{" + ", ".join(f"{literal(n)}: 'VARCHAR'" for n in names) + "}"
    sql = model(
        "landing/read_csv.sql",
        path=literal(str(prepared.read_path)),
        columns=columns,
        delimiter=literal(source.delimiter),
        quote=literal(source.quote),
        max_line_size=str(int(max_line_size)),
    )
    create_view(con, RAW_VIEW, sql)
    return names


# ---------------------------------------------------------------- Parquet

_DATE_TYPES = re.compile(r"^(DATE|TIMESTAMP)")
_DECIMAL_TYPES = re.compile(r"^(DOUBLE|FLOAT|REAL|DECIMAL)")


def register_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, source: Source
) -> tuple[list[str], list[str]]:
    """Create ``_raw`` over a Parquet export; return its column names and the warnings
    of column names that hold a CPR number.

    A name is CPR-masked as a CSV header cell is (``[CPR]``), and the view takes the
    file's columns by position under the masked names, so a name as written reaches
    no SQL, message, log or table; the file's report names such a column by position.
    """
    try:
        described = con.execute(
            f"describe select * from read_parquet({literal(str(path))})"
        ).fetchall()
    except duckdb.Error as exc:
        first = mask_text(str(exc)).splitlines()[0] if str(exc) else type(exc).__name__
        raise IngestFileError(f"not a readable Parquet file ({first})") from None
    described = [row for row in described if row[0] != "file_row_number"]
    written = [row[0] for row in described]
    warnings = cpr_header_warnings(written)
    names = unique_names([mask_text(name) for name in written])  # row_no, rowid: renamed
    expressions = []
    for (_, type_name, *_), name in zip(described, names, strict=True):
        column = ident(name)
        if _DATE_TYPES.match(type_name):
            text = f"strftime({column}, {literal(source.date_format)})"
        elif _DECIMAL_TYPES.match(type_name) and source.decimal == ",":
            text = f"replace(cast({column} as varchar), '.', ',')"
        else:
            text = f"cast({column} as varchar)"
        expressions.append(f"{text} as {column}")
    if not names:
        raise IngestFileError("the Parquet file has no columns")
    sql = model(
        "landing/read_parquet.sql",
        path=literal(str(path)),
        names=", ".join(ident(name) for name in names),
        columns=",\n        ".join(expressions),
    )
    create_view(con, RAW_VIEW, sql)
    return names, warnings


# ---------------------------------------------------------------- XLSX


def open_workbook(path: Path):
    """The workbook (python-calamine); raise IngestFileError when it is none.

    Opening reads the workbook's index only; a sheet is read by :func:`read_sheet`,
    which makes every cell of its area: check the limits first
    (transforms/ingest/workbook.py does, and calls this in a process of its own).
    """
    from python_calamine import CalamineWorkbook

    check_zip_head(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        first = mask_text(str(exc)).splitlines()[0] if str(exc) else type(exc).__name__
        raise IngestFileError(f"not a readable XLSX workbook ({first})") from None


def check_zip_head(path: Path) -> None:
    """Raise IngestFileError unless the file starts as a ZIP archive (an XLSX file is one)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise IngestFileError(f"cannot read the file: {exc.strerror or exc}") from None
    if not head:
        raise IngestFileError("not a readable XLSX workbook (the file is empty: 0 bytes)")
    if head != b"PK\x03\x04":
        kind = "text: a CSV export named .xlsx?" if _looks_like_text(path) else "no ZIP archive"
        raise IngestFileError(
            f"not a readable XLSX workbook (an XLSX file is a ZIP archive; this one is {kind})"
        )


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
    return b"\x00" not in head and all(b >= 0x20 or b in b"\t\r\n" for b in head[:512])


def find_sheet(workbook, name: str) -> str | None:
    """The workbook's sheet called ``name`` (exact, else ignoring case), or None."""
    sheets = list(workbook.sheet_names)
    if name in sheets:
        return name
    lowered = [s for s in sheets if s.strip().lower() == name.strip().lower()]
    return lowered[0] if lowered else None


@dataclass
class SheetRows:
    sheet: str
    header: list[str]
    rows: list[list]  # data rows; rows[i] is sheet row i + 2 (row_no i + 1)
    header_raw: list[str] = field(default_factory=list)  # header cells as written
    warnings: list[str] = field(default_factory=list)  # header cells holding a CPR number


def read_sheet(workbook, sheet: str) -> SheetRows:
    try:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types
        first = mask_text(str(exc)).splitlines()[0] if str(exc) else type(exc).__name__
        raise IngestFileError(f"sheet {sheet!r}: cannot be read ({first})") from None
    if not rows:
        return SheetRows(sheet, [], [])
    written = [_header_text(v) for v in rows[0]]
    header = [mask_text(name) for name in written]
    raw = [
        mask_text(v) if isinstance(v, str) else name
        for v, name in zip(rows[0], header, strict=True)
    ]
    warnings = cpr_header_warnings(written, f"sheet {sheet!r}: ")
    return SheetRows(sheet, unique_names(header), rows[1:], raw, warnings)


def _header_text(value) -> str:
    if value is None:
        return ""
    if type(value) is int or (isinstance(value, float) and value.is_integer()):
        return whole_number_text(int(value))
    return str(value).strip()


def whole_number_text(number: int) -> str:
    """A whole number cell as text; a nine-digit one whose ten digits with the zero in
    front read as a CPR number (day 01-09: a CPR number typed into a number cell, whose
    leading zero the spreadsheet dropped) is written with that zero, so landing masks
    it (``[CPR]``) as it masks a ten-digit one, and an id column of CPR numbers
    (``id_kind: cpr``) gives it its citizen's pseudonym."""
    text = str(number)
    if len(text) == 9 and CPR_PATTERN.fullmatch("0" + text):
        return "0" + text
    return text


def cell_text(value, date_format: str, decimal: str) -> str | None:
    """One XLSX cell as the source would have written it in a text export."""
    kind = type(value)
    if kind is str:
        return value if value != "" else None
    if value is None:
        return None
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return whole_number_text(value)
    if kind is float:
        if value.is_integer() and abs(value) < 1e15:
            return whole_number_text(int(value))
        text = repr(value)
        return text.replace(".", ",") if decimal == "," else text
    if kind is dt.datetime or kind is dt.date:
        return value.strftime(date_format)
    if kind is dt.time:
        return value.isoformat()
    return str(value)


def _is_blank(row: list) -> bool:
    return all(v is None or (type(v) is str and not v.strip()) for v in row)


def sheet_arrow(
    sheet: SheetRows, used_columns: list[str], source: Source
) -> tuple[pa.Table, bool, int | None]:
    """Arrow table (row_no + used columns as text); blank rows dropped, trailer cut.

    Returns (table, trailer found, trailer count).
    """
    positions = {name: i for i, name in enumerate(sheet.header)}
    rows = sheet.rows
    numbers = [i for i, row in enumerate(rows, start=1) if not _is_blank(row)]
    trailer, count = False, None
    if source.trailer_pattern and numbers:
        last = rows[numbers[-1] - 1]
        cells = (cell_text(v, source.date_format, ".") for v in last if v not in (None, ""))
        first_text = next(cells, "") or ""
        match = re.fullmatch(source.trailer_pattern, first_text.strip())
        if match:
            trailer = True
            count = trailer_count(match, first_text)
            numbers = numbers[:-1]
    columns: dict[str, pa.Array] = {"row_no": pa.array(numbers, pa.int64())}
    kept = [rows[n - 1] for n in numbers]
    shortest = min(map(len, kept), default=0)
    for name in used_columns:
        at = positions[name]
        if at < shortest:  # every row has the cell (calamine's rows are usually even)
            cells = list(map(itemgetter(at), kept))
        else:
            cells = [row[at] if at < len(row) else None for row in kept]
        columns[name] = pa.array(column_texts(cells, source.date_format, source.decimal),
                                 pa.string())
    return pa.table(columns), trailer, count


def column_texts(cells: list, date_format: str, decimal: str) -> list[str | None]:
    """:func:`cell_text` of every cell of a column, fast for what sheets are made of:
    text cells pass through (empty -> None), and every other value (number, date) is
    written once and reused for its repeats (a date column repeats a few hundred dates)."""
    written: dict[tuple[type, object], str | None] = {}
    out: list[str | None] = []
    append = out.append
    for value in cells:
        kind = type(value)
        if kind is str:
            append(value or None)
        elif value is None:
            append(None)
        else:
            key = (kind, value)  # the type too: True, 1 and 1.0 are equal keys otherwise
            if key not in written:
                written[key] = cell_text(value, date_format, decimal)
            append(written[key])
    return out


def register_arrow(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
    """Create ``_raw`` over an Arrow table (an XLSX sheet)."""
    con.register(ARROW_NAME, table)
    create_view(con, RAW_VIEW, f"select * from {ident(ARROW_NAME)}")


def release_arrow(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.unregister(ARROW_NAME)
    except Exception:  # not registered
        pass
