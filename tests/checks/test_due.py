"""The due list for a fixed date (2025-10-01, 4 weeks ahead, 180 days back) on four
hand-made courses, against the list built by hand from config/measurement_plan.yaml.

A spaedbarn, familie_nord, open, start 2025-07-14; ors and srs at start collected.
  gas at start: due 07-14, window closed 07-28 -> overdue (79 days ago).
  ors, srs, kik at mid: due 07-14 + 90 = 10-12 (+/- 21: window opened 09-21) -> due now.
B ungepraktik, unge_syd, open, start 2025-07-25; yls_cmi, ors, gas at start collected.
  ors, kik at mid: due 10-23, window opens 10-02 -> upcoming (in 22 days).
C voksenstoette, voksen_oest, 2025-01-06 to 2025-06-30; mid and end collected but asi.
  Start points (asi, ors, srs, gas) missing, but their window closed 01-20, more than
  180 days ago -> not listed. asi at end: due 06-30, closed 07-14 -> overdue (93 days).
  asi at fu3: due 06-30 + 91 = 09-29 (+/- 30): the window is still open, but the due date
  passed 2 days ago -> overdue (a late measurement is overdue from its due date on).
D spaedbarn, familie_nord, 2025-05-01 to 2025-05-20 (dropped out); start and end
  collected. mid (due 07-30, window opens 07-09) comes after the end -> not listed; ors
  at fu6 (due 11-18) lies beyond the 4 weeks -> not listed.
"""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import openpyxl
import pytest

from checks.due import due_list, write_due_lists
from datadialog.config_load import load_config
from tests.support.checks import pseudonym
from tests.support.staging import StagingWriter
from transforms.build import build

AS_OF = date(2025, 10, 1)
A, B, C, D = (pseudonym(n) for n in (1, 2, 3, 4))

EXPECTED = [
    # team, staff, citizen, course, instrument, point, due, status, days until due
    ("familie_nord", "bo", A, "A", "gas", "start", date(2025, 7, 14), "overdue", -79),
    ("familie_nord", "bo", A, "A", "kik", "mid", date(2025, 10, 12), "due_now", 11),
    ("familie_nord", "bo", A, "A", "ors", "mid", date(2025, 10, 12), "due_now", 11),
    ("familie_nord", "bo", A, "A", "srs", "mid", date(2025, 10, 12), "due_now", 11),
    ("unge_syd", "emil", B, "B", "kik", "mid", date(2025, 10, 23), "upcoming", 22),
    ("unge_syd", "emil", B, "B", "ors", "mid", date(2025, 10, 23), "upcoming", 22),
    ("voksen_oest", "ib", C, "C", "asi", "end", date(2025, 6, 30), "overdue", -93),
    ("voksen_oest", "ib", C, "C", "asi", "fu3", date(2025, 9, 29), "overdue", -2),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = duckdb.connect(str(tmp_path_factory.mktemp("due") / "due.duckdb"))
    w = StagingWriter(con)
    w.course("A", A, "spaedbarn", "2025-07-14", team_id="familie_nord")
    w.form("A1", "A", "ors", "2025-07-14", [4, 5, 5, 6], staff_id="bo")
    w.form("A2", "A", "srs", "2025-07-15", [8, 8, 9, 9], staff_id="bo")
    w.course("B", B, "ungepraktik", "2025-07-25", team_id="unge_syd")
    w.form("B1", "B", "yls_cmi", "2025-07-25", [1, 0] * 21, staff_id="emil")
    w.form("B2", "B", "ors", "2025-07-25", [4, 5, 5, 6], staff_id="emil")
    w.form("B3", "B", "gas", "2025-07-25", [0, -1], staff_id="emil")
    w.course("C", C, "voksenstoette", "2025-01-06", "2025-06-30", "completed_planned",
             team_id="voksen_oest")
    for i, (instrument, day) in enumerate(
        [("ors", "04-06"), ("srs", "04-06"), ("kik", "04-06"), ("ors", "06-30"),
         ("srs", "06-30"), ("gas", "06-30"), ("kik", "06-30")]
    ):
        values = {"ors": [5, 6, 6, 7], "srs": [8, 9, 9, 9], "kik": [4, 4, 3], "gas": [1, 0]}
        w.form(f"C{i}", "C", instrument, f"2025-{day}", values[instrument], staff_id="ib")
    w.course("D", D, "spaedbarn", "2025-05-01", "2025-05-20", "dropped_out",
             team_id="familie_nord")
    for i, (instrument, day) in enumerate(
        [("ors", "05-01"), ("srs", "05-01"), ("gas", "05-01"), ("ors", "05-20"),
         ("srs", "05-20"), ("gas", "05-20"), ("kik", "05-20")]
    ):
        values = {"ors": [5, 6, 6, 7], "srs": [8, 9, 9, 9], "kik": [4, 4, 3], "gas": [1, 0]}
        w.form(f"D{i}", "D", instrument, f"2025-{day}", values[instrument], staff_id="bo")
    w.flush()
    build(con, load_config(), as_of=AS_OF)
    return con


def test_due_list_matches_the_hand_made_list(con):
    rows = due_list(con, as_of=AS_OF, weeks=4).to_pylist()
    got = [
        (r["team_id"], r["staff_id"], r["citizen_id"], r["course_id"], r["instrument_id"],
         r["point_id"], r["due_date"], r["status"], r["days_until_due"])
        for r in rows
    ]
    assert got == EXPECTED


def test_weeks_and_lookback_change_the_list(con):
    # 8 weeks reach D's fu6 ors (due 11-18, in 48 days)
    longer = due_list(con, as_of=AS_OF, weeks=8).to_pylist()
    assert ("D", "ors", "fu6", "upcoming") in {
        (r["course_id"], r["instrument_id"], r["point_id"], r["status"]) for r in longer
    }
    # a year back brings C's four start points (window closed 2025-01-20)
    wide = due_list(con, as_of=AS_OF, weeks=4, lookback_days=365).to_pylist()
    assert sorted(r["instrument_id"] for r in wide
                  if r["course_id"] == "C" and r["point_id"] == "start") == [
        "asi", "gas", "ors", "srs"]


def test_files_per_team(con, tmp_path):
    written = write_due_lists(con, tmp_path, as_of=AS_OF, weeks=4, language="da")
    # counts of measurements, and of the citizens they belong to (one citizen per team
    # here: A's four measurements are one citizen's)
    assert [(f.team_id, f.n_citizens, f.n_due, f.n_overdue) for f in written] == [
        ("familie_nord", 1, 3, 1),
        ("unge_syd", 1, 2, 0),
        ("voksen_oest", 1, 0, 2),
    ]
    first = written[0]
    assert first.csv.name == "due_familie_nord_20251001.csv"
    with first.csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["course_id"], r["instrument_id"], r["status"]) for r in rows] == [
        ("A", "gas", "overdue"), ("A", "kik", "due_now"), ("A", "ors", "due_now"),
        ("A", "srs", "due_now"),
    ]
    assert all(r["citizen_id"].startswith("P-") for r in rows)
    book = openpyxl.load_workbook(first.xlsx, read_only=True)
    assert book.sheetnames == ["Overskredne", "Kommende"]
    due_rows = list(book["Kommende"].iter_rows(values_only=True))
    assert due_rows[0][:3] == ("Team", "Medarbejder", "Borger (pseudonym)")
    assert len(due_rows) == 1 + 3
    overdue_rows = list(book["Overskredne"].iter_rows(values_only=True))
    assert len(overdue_rows) == 1 + 1
    book.close()


def _sheet(path, name):
    book = openpyxl.load_workbook(path)
    sheet = book[name]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in row], strict=True))
            for row in sheet.iter_rows(min_row=2)]
    formats = {c.number_format for row in sheet.iter_rows(min_row=2) for c in row
               if c.is_date}
    return rows, formats


def test_past_due_within_the_window_is_overdue_not_upcoming(con, tmp_path):
    """Finding 1: C's asi at fu3 was due 2025-09-29; its window is open until 10-29, yet it
    is 2 days overdue, so it belongs under "Overskredne", not "Kommende"."""
    written = {f.team_id: f for f in write_due_lists(con, tmp_path, as_of=AS_OF, weeks=4)}
    overdue, _ = _sheet(written["voksen_oest"].xlsx, "Overskredne")
    upcoming, _ = _sheet(written["voksen_oest"].xlsx, "Kommende")
    assert [(r["Redskab"], r["Målepunkt"], r["Dage til forfald"]) for r in overdue] == [
        ("asi", "end", -93), ("asi", "fu3", -2)]
    assert upcoming == []
    # nothing past its due date is left under "Kommende" in any team
    for f in written.values():
        rows, _ = _sheet(f.xlsx, "Kommende")
        assert all(r["Dage til forfald"] >= 0 for r in rows)


def test_words_not_codes_and_danish_dates(con, tmp_path):
    """Finding 2: statuses and course states in words; dates shown as dd-mm-yyyy."""
    written = {f.team_id: f for f in write_due_lists(con, tmp_path, as_of=AS_OF, weeks=4)}
    rows, formats = _sheet(written["familie_nord"].xlsx, "Kommende")
    assert {r["Status"] for r in rows} == {"skal måles nu"}
    assert {r["Forløbsstatus"] for r in rows} == {"åbent"}
    overdue, _ = _sheet(written["voksen_oest"].xlsx, "Overskredne")
    assert {r["Status"] for r in overdue} == {"overskredet"}
    assert {r["Forløbsstatus"] for r in overdue} == {"afsluttet som planlagt"}
    assert formats == {"dd-mm-yyyy"}
    assert rows[0]["Forfalder"].date() == date(2025, 10, 12)
    codes = {"due_now", "overdue", "upcoming", "open", "closed_planned", "closed_unplanned"}
    for f in written.values():
        book = openpyxl.load_workbook(f.xlsx, read_only=True)
        cells = {c for s in book for row in s.iter_rows(values_only=True) for c in row}
        book.close()
        assert not cells & codes
    # English: the English words
    english = write_due_lists(con, tmp_path / "en", as_of=AS_OF, weeks=4, language="en")
    rows, formats = _sheet(english[0].xlsx, "Due")
    assert {r["status"] for r in rows} == {"due now"} and formats == {"yyyy-mm-dd"}


def test_one_sheet_per_team_sorted_by_how_overdue(con, tmp_path):
    """Finding 3: one workbook with a sheet per team; each sheet starts with the most
    overdue item, then what is due now, then what comes."""
    write_due_lists(con, tmp_path, as_of=AS_OF, weeks=4)
    book = openpyxl.load_workbook(tmp_path / "due_20251001.xlsx", read_only=True)
    assert book.sheetnames == ["familie_nord", "unge_syd", "voksen_oest"]
    book.close()
    rows, _ = _sheet(tmp_path / "due_20251001.xlsx", "familie_nord")
    assert [(r["Redskab"], r["Status"], r["Dage til forfald"]) for r in rows] == [
        ("gas", "overskredet", -79), ("kik", "skal måles nu", 11),
        ("ors", "skal måles nu", 11), ("srs", "skal måles nu", 11)]
    rows, _ = _sheet(tmp_path / "due_20251001.xlsx", "voksen_oest")
    assert [r["Dage til forfald"] for r in rows] == [-93, -2]


def test_a_course_that_overlaps_another_of_the_citizen_names_it(tmp_path) -> None:
    """A renumbered copy of course A (NY-A: same citizen, intervention and start) is due
    the same points as A: each row names the other course. Citizen D's second course
    starts the day the first ended: a new course, nothing named."""
    con = duckdb.connect(str(tmp_path / "overlap.duckdb"))
    w = StagingWriter(con)
    for course in ("A", "NY-A"):
        w.course(course, A, "spaedbarn", "2025-07-14", team_id="familie_nord")
    w.form("A1", "A", "ors", "2025-07-14", [4, 5, 5, 6], staff_id="bo")
    w.course("D", D, "spaedbarn", "2025-05-01", "2025-05-20", "dropped_out",
             team_id="familie_nord")
    w.course("D2", D, "spaedbarn", "2025-05-20", team_id="familie_nord")
    w.flush()
    build(con, load_config(), as_of=AS_OF)
    rows = due_list(con, as_of=AS_OF).to_pylist()
    con.close()
    named = {(r["course_id"], r["overlapping_courses"]) for r in rows}
    assert ("A", "NY-A") in named and ("NY-A", "A") in named
    assert {c for c, other in named if other is None} == {"D", "D2"}
    # the copy's start ORS is due although A's was collected: the column says why
    assert any(r["course_id"] == "NY-A" and r["instrument_id"] == "ors"
               and r["point_id"] == "start" for r in rows)
