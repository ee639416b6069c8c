"""The due list: per team, the citizens due for a measurement in the coming weeks, and those
overdue (``datadialog due``).

The rules are in ``checks/sql/due/due_list.sql`` (statuses ``overdue``, ``due_now``,
``upcoming``); they read the build's planned points and assigned forms, judged on any
``as_of`` date (default: the build's ``ref.settings.as_of_date``). Only pseudonyms
(``citizen_id``) and course ids leave the database; no names.

:func:`write_due_lists` writes, per team, ``due_<team>_<yyyymmdd>.csv`` (every row, with
its status, as codes for other programs) and ``due_<team>_<yyyymmdd>.xlsx`` (a sheet
"Overskredne" with what is past its due date, the most overdue first, and a sheet
"Kommende" with what falls due; statuses and course states in words, dates as
dd-mm-yyyy in Danish), plus one workbook ``due_<yyyymmdd>.xlsx`` with one sheet per team,
and returns what it wrote. Both go through :mod:`datadialog.tabular`: a
text that a spreadsheet would take for a formula (a staff id ``=HYPERLINK(...)``) gets a
quote in front, and a file is written whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from checks.run import build_as_of
from datadialog.due_window import DUE_LOOKBACK_DAYS
from datadialog.tabular import write_relation_csv, write_xlsx_row, xlsx_workbook

DUE_SQL = Path(__file__).resolve().parent / "sql" / "due" / "due_list.sql"

#: Sheet names of a team's XLSX (what is due, what is overdue), per language.
SHEETS = {"da": ("Kommende", "Overskredne"), "en": ("Due", "Overdue")}
#: Codes of the list written as words in the XLSX (the CSV keeps the codes).
WORDS = {
    "da": {
        "overdue": "overskredet", "due_now": "skal måles nu", "upcoming": "kommende",
        "open": "åbent", "closed_planned": "afsluttet som planlagt",
        "closed_unplanned": "afsluttet før tid",
    },
    "en": {
        "overdue": "overdue", "due_now": "due now", "upcoming": "upcoming",
        "open": "open", "closed_planned": "closed as planned",
        "closed_unplanned": "closed early",
    },
}
#: Date format of the XLSX cells, per language.
DATE_FORMATS = {"da": "dd-mm-yyyy", "en": "yyyy-mm-dd"}
#: Columns whose codes become words.
WORDED_COLUMNS = ("status", "case_status")
HEADERS_DA = {
    "team_id": "Team",
    "staff_id": "Medarbejder",
    "citizen_id": "Borger (pseudonym)",
    "course_id": "Forløb",
    "intervention_id": "Indsats",
    "case_status": "Forløbsstatus",
    "instrument_id": "Redskab",
    "point_id": "Målepunkt",
    "due_date": "Forfalder",
    "window_opens_on": "Vindue åbner",
    "window_closes_on": "Vindue lukker",
    "status": "Status",
    "days_until_due": "Dage til forfald",
    "overlapping_courses": "Overlapper forløb",
}


@dataclass(frozen=True)
class DueFile:
    team_id: str
    csv: Path
    xlsx: Path
    n_due: int  # measurements due now or upcoming
    n_overdue: int  # measurements overdue
    n_citizens: int = 0  # citizens with a measurement due or overdue


def worded(row: dict, language: str) -> dict:
    """The row with its status and course state in words of ``language``."""
    words = WORDS.get(language, WORDS["en"])
    return {c: (words.get(v, v) if c in WORDED_COLUMNS else v) for c, v in row.items()}


def by_overdue(rows: list[dict]) -> list[dict]:
    """Overdue first, the most overdue at the top; then due now, then upcoming."""
    rank = {"overdue": 0, "due_now": 1, "upcoming": 2}
    return sorted(rows, key=lambda r: (rank[r["status"]], r["days_until_due"]))


def due_list(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: date | None = None,
    weeks: int = 4,
    lookback_days: int = DUE_LOOKBACK_DAYS,
) -> pa.Table:
    """Every open planned measurement that is overdue, due now or due within ``weeks``."""
    if weeks < 0 or lookback_days < 0:
        raise ValueError("weeks and lookback_days must not be negative")
    as_of = as_of or build_as_of(con)
    params = pa.table(
        {
            "as_of_date": pa.array([as_of], pa.date32()),
            "horizon_days": pa.array([7 * weeks], pa.int32()),
            "lookback_days": pa.array([lookback_days], pa.int32()),
        }
    )
    con.register("due_params", params)
    try:
        return con.execute(DUE_SQL.read_text(encoding="utf-8")).to_arrow_table()
    finally:
        con.unregister("due_params")


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def write_due_lists(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    as_of: date | None = None,
    weeks: int = 4,
    lookback_days: int = DUE_LOOKBACK_DAYS,
    language: str = "da",
    teams: list[str] | None = None,
) -> list[DueFile]:
    """Write the due list per team (CSV and XLSX) into ``out_dir``.

    ``teams`` names the teams to write (default: every team with a row; a named team
    without rows gets files with headers only).
    """
    as_of = as_of or build_as_of(con)
    table = due_list(con, as_of=as_of, weeks=weeks, lookback_days=lookback_days)
    rows = by_overdue(table.to_pylist())
    columns = table.column_names
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = teams if teams is not None else sorted({r["team_id"] for r in rows})
    due_sheet, overdue_sheet = SHEETS.get(language, SHEETS["en"])
    headers = [HEADERS_DA.get(c, c) if language == "da" else c for c in columns]
    date_pattern = DATE_FORMATS.get(language, DATE_FORMATS["en"])
    written = []
    for team in wanted:
        mine = [r for r in rows if r["team_id"] == team]
        stem = f"due_{_safe(team)}_{as_of:%Y%m%d}"
        csv_path = out_dir / f"{stem}.csv"
        write_relation_csv(con, con.from_arrow(pa.Table.from_pylist(mine, schema=table.schema)),
                           csv_path)
        xlsx_path = out_dir / f"{stem}.xlsx"
        with xlsx_workbook(xlsx_path) as book:
            sheets = (
                (overdue_sheet, [r for r in mine if r["status"] == "overdue"]),
                (due_sheet, [r for r in mine if r["status"] != "overdue"]),
            )
            for sheet_name, selected in sheets:
                _write_sheet(book, sheet_name, headers, columns, selected, language,
                             date_pattern)
        written.append(
            DueFile(
                team_id=team,
                csv=csv_path,
                xlsx=xlsx_path,
                n_due=sum(r["status"] in ("due_now", "upcoming") for r in mine),
                n_overdue=sum(r["status"] == "overdue" for r in mine),
                n_citizens=len({r["citizen_id"] for r in mine}),
            )
        )
    if wanted:
        with xlsx_workbook(out_dir / f"due_{as_of:%Y%m%d}.xlsx") as book:
            for team in wanted:
                _write_sheet(book, _sheet_name(team), headers, columns,
                             [r for r in rows if r["team_id"] == team], language, date_pattern)
    return written


def _sheet_name(team: str) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\)."""
    return "".join("_" if c in "[]:*?/\\" else c for c in team)[:31]


def _write_sheet(book, name: str, headers: list[str], columns: list[str], rows: list[dict],
                 language: str, date_pattern: str) -> None:
    date_format = book.add_format({"num_format": date_pattern})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(name)
    write_xlsx_row(sheet, 0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    for i, row in enumerate(rows, start=1):
        words = worded(row, language)
        write_xlsx_row(sheet, i, 0, [words[c] for c in columns], date_format=date_format)
    sheet.set_column(0, len(columns) - 1, 16)
