"""The finance workbook of the quarterly summary: the table behind every figure.

One sheet per figure of the deck (``F1``, ``F2`` ...: the figure's title, how to read
it, then one row per cell: category, series, value, n, interval, and why a value is
hidden), and three sheets with the mart rows behind the tables (results and costs,
costs by quarter, unit costs by quarter; every quarter up to the period), plus a
"read me" sheet. Hidden values are empty cells, never their number. Written with
xlsxwriter through :mod:`datadialog.tabular` (text stays text, a formula-leading text
gets a quote in front; the file is written whole or not at all); amounts have a
thousands format, shares a percent format.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from datadialog.tabular import write_xlsx_text, write_xlsx_value, xlsx_workbook
from outputs.fmt import hidden
from outputs.pptx_xml import safe_text
from outputs.spec import DeckSpec, FigureSpec
from outputs.strategic_data import StrategicPackData
from outputs.strategic_texts import fmt_quarter, st
from outputs.style import XLSX_HEAD_FILL, XLSX_TITLE_PT

#: Excel number formats.
FORMATS = {
    "dkk": "#,##0",
    "dec": "#,##0.0",
    "pct": "0.0%",
    "pct100": "0.0",  # figure values already in percent (0-100)
    "date": "yyyy-mm-dd",
}
MAX_SHEET_NAME = 31


def _figure_rows(fig: FigureSpec, lang: str, k: int) -> list[list[Any]]:
    rows = []
    for cat in fig.categories:
        for ser in fig.series:
            cell = fig.cell(cat, ser)
            if cell is None:
                continue
            why = ""
            if cell.suppressed:
                why = hidden(k)
            elif cell.value is None and cell.label:
                why = cell.label
            rows.append([cat.replace("\n", " "), ser, cell.value,
                         None if cell.suppressed else cell.n, cell.low, cell.high, why])
    return rows


def _value_format(fig: FigureSpec) -> str:
    return "pct100" if fig.value_format == "pct" else "dkk" if fig.value_format == "int" \
        else "dec"


def _column_format(name: str, row: dict[str, Any]) -> str | None:
    if name.endswith("_dkk"):
        return "dkk"
    if name in ("value", "ci_low", "ci_high"):
        return "pct" if row.get("kind") in ("result",) else "dkk"
    if name.startswith("share_"):
        return "pct"
    if name.startswith("n_"):
        value = row.get(name)
        return "dec" if isinstance(value, float) and not value.is_integer() else "dkk"
    return None


class _Book:
    def __init__(self, wb) -> None:
        self.wb = wb
        self.fmt = {key: self.wb.add_format({"num_format": code}) for key, code in
                    FORMATS.items()}
        self.bold = self.wb.add_format({"bold": True})
        self.title = self.wb.add_format({"bold": True, "font_size": XLSX_TITLE_PT})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})
        self.head = self.wb.add_format({"bold": True, "bg_color": "#" + XLSX_HEAD_FILL,
                                         "border": 1})
        self.names: set[str] = set()

    def sheet(self, name: str):
        name = name[:MAX_SHEET_NAME]
        for ch in "[]:*?/\\":
            name = name.replace(ch, " ")
        base, i = name, 2
        while name.lower() in self.names:
            suffix = f" ({i})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            i += 1
        self.names.add(name.lower())
        return self.wb.add_worksheet(name)

    def write(self, ws, row: int, col: int, value: Any, fmt: str | None = None) -> None:
        style = self.fmt.get(fmt) if fmt else None
        if isinstance(value, bool):
            ws.write_boolean(row, col, value)
        elif isinstance(value, date) and not isinstance(value, datetime):
            ws.write_datetime(row, col, datetime(value.year, value.month, value.day),
                              self.fmt["date"])
        elif value is None or isinstance(value, datetime | int | float):
            write_xlsx_value(ws, row, col, value, style, self.fmt["date"])
        else:
            write_xlsx_text(ws, row, col, safe_text(str(value)))


def workbook_name(stem: str, language: str) -> str:
    """File name of the finance workbook written beside the deck ``<stem>.pptx``."""
    return f"{stem}_{'tabeller' if language == 'da' else 'tables'}.xlsx"


def write_strategic_xlsx(spec: DeckSpec, data: StrategicPackData, path: Path | str,
                         k: int = 5) -> Path:
    """Write the workbook for ``spec`` (built from ``data``) to ``path``; returns it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lang = spec.language
    with xlsx_workbook(path, {"nan_inf_to_errors": True}) as wb:
        book = _Book(wb)
        readme = book.sheet(st("xlsx_readme", lang))
        readme.set_column(0, 0, 14)
        readme.set_column(1, 1, 110)
        title = st("xlsx_title", lang, title=spec.title, period=fmt_quarter(data.period, lang))
        write_xlsx_text(readme, 0, 0, safe_text(title), book.title)
        notes = [st("how_cost", lang), st("how_month", lang), st("how_small", lang, k=k),
                 st("xlsx_hidden_note", lang), st("xlsx_interval_note", lang)]
        for i, note in enumerate(notes, start=2):
            write_xlsx_text(readme, i, 1, note, book.wrap)
        row = len(notes) + 3
        figures = spec.figures()
        for no, fig in enumerate(figures, start=1):
            name = f"F{no} {fig.id}"
            write_xlsx_text(readme, row, 0, name[:MAX_SHEET_NAME])
            write_xlsx_text(readme, row, 1, safe_text(fig.title), book.wrap)
            row += 1
            ws = book.sheet(name)
            ws.set_column(0, 1, 34)
            ws.set_column(2, 6, 16)
            write_xlsx_text(ws, 0, 0, f"{st('xlsx_figure', lang)} {no}: {safe_text(fig.title)}",
                            book.title)
            write_xlsx_text(ws, 1, 0, f"{st('xlsx_how', lang)}: {safe_text(fig.how_to_read)}")
            write_xlsx_text(ws, 2, 0, safe_text(fig.y_label))
            header = [st(f"xlsx_col_{c}", lang) for c in
                      ("category", "series", "value", "n", "low", "high", "hidden")]
            for c, text in enumerate(header):
                write_xlsx_text(ws, 4, c, text, book.head)
            vf = _value_format(fig)
            for r, values in enumerate(_figure_rows(fig, lang, k), start=5):
                for c, value in enumerate(values):
                    book.write(ws, r, c, value, vf if c in (2, 4, 5) else None)
        for key, title in (("overview", "xlsx_overview_sheet"), ("costs", "xlsx_costs_sheet"),
                           ("unit_costs", "xlsx_units_sheet")):
            rows = data.tables.get(key, [])
            name = st(title, lang)
            write_xlsx_text(readme, row, 0, name[:MAX_SHEET_NAME])
            write_xlsx_text(readme, row, 1, st("xlsx_table", lang))
            row += 1
            ws = book.sheet(name)
            if not rows:
                continue
            columns = list(rows[0])
            for c, col in enumerate(columns):
                write_xlsx_text(ws, 0, c, col, book.head)
                ws.set_column(c, c, max(12, min(len(col) + 2, 28)))
            for r, item in enumerate(rows, start=1):
                for c, col in enumerate(columns):
                    book.write(ws, r, c, item[col], _column_format(col, item))
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, len(rows), len(columns) - 1)
    return path
