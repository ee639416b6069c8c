"""Fagsystem B: one workbook ``b_export_<yyyymmdd>.xlsx``, a sheet per table.

English column names from ``config/sources.yaml``, real date cells (number
format yyyy-mm-dd), numbers as numbers (``.`` decimals), empty cells for
missing values. Forms is wide: one row per form with the answers in
``Q1..Qn`` (n = the largest ``n_items`` of the instruments); only the
instrument's own items are filled. A defect that needs text where a date or a
number belongs is written as a text cell.

Row numbers: the first data row (Excel row 2) is row 1.

The file is byte-for-byte reproducible: the document's created date is fixed
to as_of and xlsxwriter writes fixed zip timestamps.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import xlsxwriter

from datadialog.config_model import Source, TableMapping
from demo.model import FORM_COLUMNS, KINDS, from_day
from demo.rows import Bulk, Segment, Single, q_name

FORMAT = "xlsx"


def file_name(as_of: date) -> str:
    return f"b_export_{as_of:%Y%m%d}.xlsx"


def sheet_columns(mapping: TableMapping, n_q: int) -> tuple[list[str], list[str], list[str]]:
    """(canonical columns, header names, kinds) of one sheet."""
    table = mapping.canonical
    if mapping.layout == "wide":
        cols = [c for c in mapping.columns if c in FORM_COLUMNS]
        qs = [q_name(i) for i in range(1, n_q + 1)]
        kinds = [KINDS[table][c] for c in cols] + ["num"] * n_q
        return cols + qs, [mapping.columns[c] for c in cols] + qs, kinds
    cols = [c for c in mapping.columns if c in KINDS[table]]
    return cols, [mapping.columns[c] for c in cols], [KINDS[table][c] for c in cols]


class Workbook:
    """Thin wrapper: one workbook, typed cell writing, defect row numbers."""

    def __init__(self, path, as_of: date):
        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                                  "strings_to_formulas": False,
                                                  "strings_to_urls": False})
        created = datetime(as_of.year, as_of.month, as_of.day)
        self.wb.set_properties({"created": created, "author": "datadialog demo"})
        self.date_fmt = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self._dates: dict[int, datetime] = {}

    def close(self) -> None:
        self.wb.close()

    def _dt(self, day: int) -> datetime:
        d = self._dates.get(day)
        if d is None:
            x = from_day(day)
            d = self._dates[day] = datetime(x.year, x.month, x.day)
        return d

    def write_sheet(self, name: str, source: Source, mapping: TableMapping, n_q: int,
                    segments: Iterable[Segment], rows_by_tag: dict[str, list[int]]) -> int:
        ws = self.wb.add_worksheet(name)
        cols, header, kinds = sheet_columns(mapping, n_q)
        codes = [{v: k for k, v in mapping.value_codes.get(c, {}).items()} for c in cols]
        ws.write_row(0, 0, header)
        r = 0
        for seg in segments:
            if isinstance(seg, Bulk):
                columns = [_column(seg.columns[c], k, cd) for c, k, cd in
                           zip(cols, kinds, codes, strict=True)]
                for i in range(seg.n):
                    r += 1
                    for j, (kind, column) in enumerate(zip(kinds, columns, strict=True)):
                        self._cell(ws, r, j, kind, column[i])
            else:
                r += 1
                self._single(ws, r, seg, cols, kinds, codes)
                for tag in seg.tags:
                    rows_by_tag.setdefault(tag, []).append(r)
        return r

    def _single(self, ws, r: int, seg: Single, cols, kinds, codes) -> None:
        for j, (c, kind, cd) in enumerate(zip(cols, kinds, codes, strict=True)):
            if c in seg.raw:
                ws.write_string(r, j, seg.raw[c].text(FORMAT))
                continue
            v = seg.values.get(c)
            if kind == "str" and v is not None:
                v = cd.get(v, v)
            self._cell(ws, r, j, kind, v)

    def _cell(self, ws, r: int, j: int, kind: str, v) -> None:
        if v is None:
            return
        if kind == "str":
            if v != "":
                ws.write_string(r, j, v)
        elif kind == "date":
            if v >= 0:
                ws.write_datetime(r, j, self._dt(int(v)), self.date_fmt)
        elif v == v:  # numbers; NaN stays an empty cell
            ws.write_number(r, j, float(v) if kind != "int" else int(v))


def _column(values: np.ndarray, kind: str, codes: dict[str, str]) -> list:
    out = values.tolist()
    if kind == "str" and codes:
        out = [codes.get(v, v) if v is not None else None for v in out]
    return out
