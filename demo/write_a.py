"""Fagsystem A: one Windows-1252 CSV per table, as ``config/sources.yaml`` describes.

``;`` separated, ``"`` quoting (only where needed), CRLF line ends, decimal
comma, dates as dd-mm-yyyy. The header line is repeated before every 5 000th
data record (page breaks in the source system) and the file ends with the
trailer ``Antal rækker: N`` (N = data records, repeated headers not counted).
Measurements are long: one line per item answer, the form's fields (note
included) repeated on each line.

Row numbers (``row`` in the manifest) follow docs/canonical.md: record k
(0-based, data only) is written as record ``k + 1 + k // 5000`` after the first
header line, because every repeated header line counts as a record.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import numpy as np

from datadialog.config_model import Source, TableMapping
from demo.model import KINDS, from_day
from demo.rows import Bulk, Segment, Single

HEADER_EVERY = 5000
FORMAT = "csv"


def format_number(x: float) -> str:
    """Decimal comma, no thousands separator, no trailing zeros; NaN -> ''."""
    if x != x:
        return ""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".").replace(".", ",")


def format_money(x: float) -> str:
    return "" if x != x else f"{x:.2f}".replace(".", ",")


def format_date(day: int, pattern: str) -> str:
    return "" if day < 0 else from_day(day).strftime(pattern)


class ColumnFormatter:
    """Formats one canonical column for this source: codes, dates, numbers."""

    def __init__(self, kind: str, codes: dict[str, str] | None, date_pattern: str):
        self.kind = kind
        self.codes = {v: k for k, v in codes.items()} if codes else None  # canonical -> export
        self.pattern = date_pattern

    def scalar(self, v) -> str | None:
        if v is None:
            return None
        if self.kind == "str":
            return self.codes.get(v, v) if self.codes else v
        if self.kind == "date":
            return format_date(int(v), self.pattern)
        if self.kind == "int":
            return str(int(v))
        if self.kind == "money":
            return format_money(float(v))
        return format_number(float(v))

    def column(self, values: np.ndarray) -> list:
        if self.kind == "str":
            out = values.tolist()
            if self.codes:
                codes = self.codes
                out = [codes.get(v, v) if v is not None else None for v in out]
            return out
        uniq, inv = np.unique(values, return_inverse=True)
        lut = np.array([self.scalar(u) for u in uniq.tolist()], dtype=object)
        return lut[inv.reshape(-1)].tolist()


class CsvTableWriter:
    """Writes data records with the repeated header and the trailer; counts rows."""

    def __init__(self, path: Path, header: list[str], source: Source):
        self.path = path
        self.header = header
        self.handle = open(path, "w", encoding=source.encoding if source.encoding != "auto"
                           else "cp1252", newline="")
        self.writer = csv.writer(self.handle, delimiter=source.delimiter, quotechar=source.quote,
                                 lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self.writer.writerow(header)
        self.k = 0  # data records written

    def row_no(self, k: int | None = None) -> int:
        k = self.k if k is None else k
        return k + 1 + k // HEADER_EVERY

    def write(self, rows: list) -> None:
        i = 0
        while i < len(rows):
            if self.k and self.k % HEADER_EVERY == 0:
                self.writer.writerow(self.header)
            room = HEADER_EVERY - self.k % HEADER_EVERY
            piece = rows[i:i + room]
            self.writer.writerows(piece)
            self.k += len(piece)
            i += len(piece)

    def close(self) -> None:
        self.handle.write(f"Antal rækker: {self.k}\r\n")
        self.handle.close()


def file_name(mapping: TableMapping, as_of: date) -> str:
    """``a_<table>_<yyyymmdd>.csv`` from the mapping's file pattern."""
    stem = mapping.file_pattern.split("*", 1)[0].rstrip("_")
    return f"{stem}_{as_of:%Y%m%d}.csv"


def write_table(path: Path, source: Source, mapping: TableMapping, segments: Iterable[Segment],
                rows_by_tag: dict[str, list[int]]) -> int:
    """Write one CSV; return the number of data rows; fill ``rows_by_tag``."""
    table = mapping.canonical
    cols = [c for c in mapping.columns if c in KINDS[table]]
    header = [mapping.columns[c] for c in cols]
    fmts = [ColumnFormatter(KINDS[table][c], mapping.value_codes.get(c), source.date_format)
            for c in cols]
    out = CsvTableWriter(path, header, source)
    try:
        for seg in segments:
            if isinstance(seg, Bulk):
                columns = [f.column(seg.columns[c]) for c, f in zip(cols, fmts, strict=True)]
                out.write(list(zip(*columns, strict=True)))
            else:
                out.write([_single_row(seg, cols, fmts)])
                for tag in seg.tags:
                    rows_by_tag.setdefault(tag, []).append(out.row_no(out.k - 1))
    finally:
        out.close()
    return out.k


def _single_row(seg: Single, cols: list[str], fmts: list[ColumnFormatter]) -> list:
    row = []
    for c, f in zip(cols, fmts, strict=True):
        if c in seg.raw:
            row.append(seg.raw[c].text(FORMAT))
        else:
            row.append(f.scalar(seg.values.get(c)))
    return row
