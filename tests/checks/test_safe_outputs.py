"""A staff id planted as a spreadsheet formula, ``=HYPERLINK("http://x","y")``, flows from
the staging tables through the build and the checks into the due list (CSV and XLSX)
and the failing rows (CSV): everywhere it arrives as text with a quote in front, never
as a formula (datadialog/tabular.py)."""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import openpyxl
import pytest

from checks.due import write_due_lists
from checks.run import export_failures
from datadialog.config_load import load_config
from tests.support.checks import build_and_check, pseudonym
from tests.support.staging import StagingWriter

AS_OF = date(2025, 10, 1)
EVIL = '=HYPERLINK("http://x","y")'
SAFE = "'" + EVIL


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = duckdb.connect(str(tmp_path_factory.mktemp("safe") / "safe.duckdb"))
    w = StagingWriter(con)
    # ors at start collected, late; gas at start never: overdue on the due list and a
    # missing measurement in the failing rows, both carrying the planted staff id.
    w.course("A", pseudonym(1), "spaedbarn", "2025-07-14", team_id="familie_nord")
    w.form("A1", "A", "ors", "2025-09-20", [4, 5, 5, 6], staff_id=EVIL)
    w.form("A2", "A", "srs", "2025-07-15", [8, 8, 9, 9], staff_id="+45 12 34 56")
    w.flush()
    return con


def _csv_cells(path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_due_list_csv_and_xlsx(con, tmp_path):
    config = load_config()
    build_and_check(con, config, AS_OF)
    [due] = write_due_lists(con, tmp_path, as_of=AS_OF, language="en")
    cells = _csv_cells(due.csv)
    assert SAFE in cells
    assert EVIL not in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    book = openpyxl.load_workbook(due.xlsx)
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert SAFE in values
    assert EVIL not in values
    # the days until due stay numbers (negative ones too), the dates stay dates
    overdue = book["Overdue"]
    header = [c.value for c in overdue[1]]
    row = [c for c in overdue[2]]
    assert isinstance(row[header.index("days_until_due")].value, int | float)
    assert row[header.index("days_until_due")].value < 0
    assert row[header.index("due_date")].is_date


def test_failing_rows_csv(con, tmp_path):
    config = load_config()
    run = build_and_check(con, config, AS_OF)
    staff = {r[0] for r in con.execute(
        "select staff_id from quality.failures where run_id = ?", [run.run_id]).fetchall()}
    assert EVIL in staff  # the database keeps the value as it came
    path = tmp_path / "failures.csv"
    n = export_failures(con, run.run_id, path)
    assert n > 0
    cells = _csv_cells(path)
    assert SAFE in cells
    assert EVIL not in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert not list(tmp_path.glob(".*.tmp"))
