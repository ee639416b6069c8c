"""course_overlap on hand-made courses, judged on 2025-06-01 (QA finding: a source that
renumbered its case ids, S1 -> NY-S1, and exported the same courses again had every
course staged twice without a word from the checks).

- citizen 1, voksenstoette: A1 2025-01-06 to 2025-04-30 and A2 from 2025-03-03, open
  (runs to the as-of date): they overlap 2025-03-03 to 2025-04-30, 58 days; A2, the
  later start, is listed.
- citizen 2, voksenstoette: B1 2025-01-06 to 2025-02-28, then B2 from 2025-02-28 (the
  day B1 ended) and B3 from 2025-04-01, both ended before the next began: consecutive,
  not flagged.
- citizen 3: C1 in voksenstoette and C2 in ungepraktik, the same dates: another
  intervention, not flagged.
- citizen 4: S1 from 2025-01-06 (open, team voksen_vest) and its copy NY-S1 with the
  same start in a later load (team voksen_oest): same start, NY-S1 listed although it
  sorts first by id; 2025-01-06 to 2025-06-01 is 146 days.
"""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import pytest

from checks.run import ALL_FIGURES, export_failures, run_checks
from checks.texts import caveat
from datadialog.config_load import load_config
from tests.support.checks import build_and_check, pseudonym
from tests.support.staging import StagingWriter

AS_OF = date(2025, 6, 1)
P1, P2, P3, P4 = (pseudonym(n) for n in (1, 2, 3, 4))


def staged(path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    w = StagingWriter(con)
    w.course("A1", P1, "voksenstoette", "2025-01-06", "2025-04-30", "completed_planned",
             team_id="voksen_vest")
    w.course("A2", P1, "voksenstoette", "2025-03-03", team_id="voksen_vest")
    w.course("B1", P2, "voksenstoette", "2025-01-06", "2025-02-28", "completed_planned",
             team_id="voksen_vest")
    w.course("B2", P2, "voksenstoette", "2025-02-28", "2025-03-31", "dropped_out",
             team_id="voksen_vest")
    w.course("B3", P2, "voksenstoette", "2025-04-01", team_id="voksen_vest")
    w.course("C1", P3, "voksenstoette", "2025-01-06", team_id="voksen_vest")
    w.course("C2", P3, "ungepraktik", "2025-01-06", team_id="unge_syd")
    w.course("S1", P4, "voksenstoette", "2025-01-06", team_id="voksen_vest")
    w.course("NY-S1", P4, "voksenstoette", "2025-01-06", team_id="voksen_oest")
    w.flush()
    # NY-S1 came in a later export (the test rows' load 'test' started 2024-01-01)
    con.execute(
        "insert into staging.loads (load_id, batch_id, source_id, file_name, sha256, "
        "started_at, status) values ('later', 'later', 'test', 'renumbered.csv', '', "
        "timestamp '2024-02-01 00:00:00', 'loaded')"
    )
    con.execute("update staging.courses set load_id = 'later', row_no = 1 "
                "where course_id = 'NY-S1'")
    return con


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    con = staged(tmp_path_factory.mktemp("overlap") / "overlap.duckdb")
    config = load_config()
    return con, config, build_and_check(con, config, AS_OF)


def rows(con, run_id, cols="course_id, team_id, intervention_id, event_date, observed, reason"):
    return con.execute(
        f"select {cols} from quality.failures where run_id = ? and rule_id = 'course_overlap' "
        "order by course_id",
        [run_id],
    ).fetchall()


def test_the_overlapping_pair_and_the_copy_are_flagged_nothing_else(checked):
    con, _, run = checked
    assert rows(con, run.run_id) == [
        ("A2", "voksen_vest", "voksenstoette", date(2025, 3, 3), 58.0,
         f"courses A2 (2025-03-03 to open) and A1 (2025-01-06 to 2025-04-30) of citizen {P1} "
         "in voksenstoette overlap"),
        ("NY-S1", "voksen_oest", "voksenstoette", date(2025, 1, 6), 146.0,
         f"courses NY-S1 (2025-01-06 to open) and S1 (2025-01-06 to open) of citizen {P4} "
         "in voksenstoette start the same day"),
    ]
    result = run.result("course_overlap")
    assert (result.severity, result.table_name, result.n_checked, result.n_failed) == (
        "warning", "staging.courses", 9, 2
    )
    # lineage: the listed course's own export row (the writer numbers rows across tables)
    assert rows(con, run.run_id, "course_id, file_name, row_no") == [
        ("A2", "hand-made", 3), ("NY-S1", "renumbered.csv", 1)
    ]


def test_a_caveat_on_every_figure_of_the_scope(checked):
    con, _, run = checked
    text = caveat("course_overlap", 2, "", "da")
    assert text == ("2 forløb overlapper et andet forløb for samme borger og indsats; "
                    "borgere og målinger kan tælle dobbelt.")
    assert text in run.gate("intervention", "voksenstoette").caveats[ALL_FIGURES]
    one = caveat("course_overlap", 1, "", "da")
    assert one in run.gate("team", "voksen_oest").caveats[ALL_FIGURES]
    assert one in run.gate("team", "voksen_vest").caveats[ALL_FIGURES]
    assert "course_overlap" not in str(run.gate("intervention", "ungepraktik").caveats)
    assert not run.gate("intervention", "voksenstoette").blocked


def test_in_the_failing_rows_csv(checked, tmp_path):
    con, _, run = checked
    path = tmp_path / "failures.csv"
    export_failures(con, run.run_id, path)
    with path.open(encoding="utf-8", newline="") as handle:
        found = [r for r in csv.DictReader(handle) if r["rule_id"] == "course_overlap"]
    assert [(r["course_id"], r["severity"], r["file_name"]) for r in found] == [
        ("A2", "warning", "hand-made"), ("NY-S1", "warning", "renumbered.csv")
    ]
    assert "S1 (2025-01-06 to open)" in found[1]["reason"]


def test_a_team_run_finds_the_partner_in_another_team(checked):
    con, config, _ = checked
    run = run_checks(con, config, scope_kind="team", scope_id="voksen_oest")
    assert rows(con, run.run_id, "course_id") == [("NY-S1",)]
    # the earlier course's team lists nothing of it: the pair is NY-S1's
    run = run_checks(con, config, scope_kind="team", scope_id="voksen_vest")
    assert rows(con, run.run_id, "course_id") == [("A2",)]


def test_a_later_as_of_date_lengthens_an_open_overlap(tmp_path):
    con = staged(tmp_path / "later.duckdb")
    run = build_and_check(con, load_config(), date(2025, 7, 1))
    assert rows(con, run.run_id, "course_id, observed") == [("A2", 58.0), ("NY-S1", 176.0)]
