"""Loading again: twice = once, corrected re-exports, incremental exports, atomic files."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from tests.support.paths import INGEST_FIXTURES
from transforms.ingest import ingest_files
from transforms.ingest import load as load_module

FIXTURES = INGEST_FIXTURES
KEY = PseudonymKey(b"loads-test-key-0123456789abcdef", "test")

TABLES = [
    "staging.citizens", "staging.courses", "staging.registrations", "staging.measurements",
    "staging.goals", "staging.goal_ratings", "staging.activities", "staging.costs",
    "staging.calibration_scores", "staging.quarantine", "staging.loads", "staging.load_tables",
    "landing.citizens", "landing.courses", "landing.measurements", "landing.activities",
]  # fmt: skip

COURSES_HEADER = "ForloebID;BorgerID;Indsats;Variant;Team;Startdato;Slutdato;Afslutningsaarsag"


@pytest.fixture(scope="module")
def config():
    return load_config()


def write_a(path: Path, header: str, rows: list[str]) -> Path:
    lines = [header, *rows, f"Antal rækker: {len(rows)}"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in TABLES}


def test_loading_twice_is_loading_once(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "twice.duckdb")
    files = sorted(FIXTURES.glob("a_*.csv"))
    first = ingest_files(con, files, config, key=KEY)
    assert {r.status for r in first} == {"loaded"}
    before = snapshot(con)
    second = ingest_files(con, files, config, key=KEY)
    assert {r.status for r in second} == {"skipped"}
    assert all(r.note and r.note.startswith("already loaded (load L") for r in second)
    assert all(r.note.endswith("; after a fix of its mapping in the config, load it again "
                               "with --reload)") for r in second)
    assert all(r.rows_in == 0 for r in second)
    assert snapshot(con) == before
    # the same content under another name is skipped too
    renamed = tmp_path / "a_borgere_20240302.csv"
    shutil.copy(FIXTURES / "a_borgere_20240301.csv", renamed)
    (again,) = ingest_files(con, [renamed], config, key=KEY)
    assert again.status == "skipped"
    assert again.note is not None and "as a_borgere_20240301.csv" in again.note
    assert snapshot(con) == before
    con.close()


def test_corrected_reexport_replaces_earlier_version(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "reexport.duckdb")
    (first_citizens, first_courses) = ingest_files(
        con,
        [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"],
        config,
        key=KEY,
    )
    old_load = first_courses.load_id
    corrected = write_a(
        tmp_path / "a_forloeb_20240301.csv",  # same name, new content
        COURSES_HEADER,
        [
            "C001;B001;spaedbarn;;familie_nord;01-02-2024;;",  # unchanged
            "C002;B002;ungepraktik;intensiv;unge_syd;15-01-2024;31-07-2024;Afbrudt",  # changed
            "C008;B003;spaedbarn;;familie_nord;01-04-2024;;",  # new; C007 is gone
        ],
    )
    (report,) = ingest_files(con, [corrected], config, key=KEY)
    assert report.status == "loaded", report.error
    assert (report.rows_in, report.rows_staged, report.rows_unchanged, report.rows_quarantined) == (
        3, 2, 1, 0,
    )  # fmt: skip
    assert report.replaced_load_ids == [old_load]
    courses = con.execute(
        "select course_id, end_reason, load_id from staging.courses order by course_id"
    ).fetchall()
    assert courses == [
        ("C001", None, report.load_id),
        ("C002", "dropped_out", report.load_id),
        ("C008", None, report.load_id),
    ]
    # the earlier version's landing and quarantine rows are gone; its load is marked
    assert con.execute(
        "select count(*) from landing.courses where load_id = ?", [old_load]
    ).fetchone() == (0,)
    assert con.execute(
        "select count(*) from staging.quarantine where file_name = 'a_forloeb_20240301.csv'"
    ).fetchone() == (0,)
    assert con.execute(
        "select status, replaced_by from staging.loads where load_id = ?", [old_load]
    ).fetchone() == ("replaced", report.load_id)
    # the citizens file is untouched
    assert con.execute("select count(*) from staging.citizens").fetchone() == (4,)
    # loading the earlier version again is "already loaded", not a step back
    (back,) = ingest_files(con, [FIXTURES / "a_forloeb_20240301.csv"], config, key=KEY)
    assert back.status == "skipped"
    con.close()


def test_a_reexport_without_its_trailer_line_replaces_nothing(tmp_path: Path, config) -> None:
    """A file cut off on a line boundary reads as a valid, shorter export; the source's
    trailer line (the system ends every export with its row count) is what is missing.
    As a re-export it would remove the records it lost: it is refused, nothing written.
    A new file without its trailer loads, with a warning."""
    con = connect(tmp_path / "cut.duckdb")
    files = [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"]
    first = ingest_files(con, files, config, key=KEY)
    assert [r.status for r in first] == ["loaded", "loaded"]
    before = snapshot(con)
    lines = (FIXTURES / "a_forloeb_20240301.csv").read_bytes().split(b"\r\n")
    assert lines[-2].startswith(b"Antal r")  # the trailer, then the empty end
    cut = tmp_path / "a_forloeb_20240301.csv"  # same name: a re-export
    cut.write_bytes(b"\r\n".join(lines[:4]) + b"\r\n")  # header and 3 of the records
    # staged from the full file: C001, C002 and C007 (the rest quarantined); the cut
    # file still has C001-C003, so it would remove C007
    assert con.execute("select list(course_id order by course_id) from staging.courses"
                       ).fetchone() == (["C001", "C002", "C007"],)
    (report,) = ingest_files(con, [cut], config, key=KEY)
    assert report.status == "failed"
    assert report.error == (
        "a_forloeb_20240301.csv: no trailer line matching the source's trailer_pattern "
        "(^Antal rækker: \\d+$) at the end, so the file may be cut short, and as a re-export "
        "of a_forloeb_20240301.csv it would remove 1 record(s) the earlier version has: "
        "nothing was loaded. Load the complete export (it ends with the trailer line)")
    after = snapshot(con)
    loads = after.pop("staging.loads")  # the failed file's row is added, nothing else
    assert after == {k: v for k, v in before.items() if k != "staging.loads"}
    assert len(loads) == len(before["staging.loads"]) + 1
    assert con.execute("select status from staging.loads where load_id = ?",
                       [first[1].load_id]).fetchone() == ("loaded",)
    # the same records under a new name replace nothing: they load, with the warning
    new = tmp_path / "a_forloeb_20240302.csv"
    new.write_bytes(b"\r\n".join(lines[:4]) + b"\r\n")
    (loaded,) = ingest_files(con, [new], config, key=KEY)
    assert loaded.status == "loaded", loaded.error
    assert loaded.missing_trailer == "^Antal rækker: \\d+$"
    assert any("may be cut short" in w for w in loaded.warnings)
    con.close()


def test_a_reexport_short_of_its_trailer_count_replaces_nothing(tmp_path: Path, config) -> None:
    """A re-export that keeps its trailer line but has fewer records than it counts
    (records cut out of the middle, the old trailer kept) would remove the records it
    lost: refused like a file without its trailer, nothing written. With more records
    than the trailer counts it is only a warning."""
    con = connect(tmp_path / "short.duckdb")
    files = [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"]
    first = ingest_files(con, files, config, key=KEY)
    assert [r.status for r in first] == ["loaded", "loaded"]
    before = snapshot(con)
    lines = (FIXTURES / "a_forloeb_20240301.csv").read_bytes().split(b"\r\n")
    trailer = lines[-2]
    records = lines[1:-2]
    assert trailer == f"Antal rækker: {len(records)}".encode("cp1252")
    short = tmp_path / "a_forloeb_20240301.csv"  # same name: a re-export
    short.write_bytes(b"\r\n".join([lines[0], *records[:3], trailer, b""]))
    (report,) = ingest_files(con, [short], config, key=KEY)
    assert report.status == "failed"
    assert report.error == (
        f"a_forloeb_20240301.csv: the trailer says {len(records)} rows, the file has 3 data "
        "records, so the file may be cut short, and as a re-export of a_forloeb_20240301.csv "
        "it would remove 1 record(s) the earlier version has: nothing was loaded. Load the "
        "complete export (as many records as its trailer line counts)")
    after = snapshot(con)
    loads = after.pop("staging.loads")
    assert after == {k: v for k, v in before.items() if k != "staging.loads"}
    assert len(loads) == len(before["staging.loads"]) + 1
    # the whole file with a trailer counting one record too few: loads, with the warning
    under = tmp_path / "a_forloeb_20240302.csv"
    under.write_bytes(b"\r\n".join(
        [lines[0], *records, f"Antal rækker: {len(records) - 1}".encode("cp1252"), b""]))
    (loaded,) = ingest_files(con, [under], config, key=KEY)
    assert loaded.status == "loaded", loaded.error
    assert loaded.short_of_trailer is None
    assert f"the trailer says {len(records) - 1} rows, the file has {len(records)} data " \
        "records" in loaded.warnings
    con.close()


def test_incremental_export_loads_only_what_is_new_or_changed(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "incr.duckdb")
    ingest_files(
        con,
        [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"],
        config,
        key=KEY,
    )
    newer = write_a(
        tmp_path / "a_forloeb_20240401.csv",
        COURSES_HEADER,
        [
            "C001;B001;spaedbarn;;familie_nord;01-02-2024;;",  # unchanged
            "C002;B002;ungepraktik;intensiv;unge_syd;15-01-2024;31-07-2024;Fraflyttet",  # changed
            "C009;B003;spaedbarn;;familie_nord;01-05-2024;;",  # new
        ],
    )
    (report,) = ingest_files(con, [newer], config, key=KEY)
    assert (report.rows_in, report.rows_staged, report.rows_unchanged, report.rows_quarantined) == (
        3, 2, 1, 0,
    )  # fmt: skip
    assert report.replaced_load_ids == []
    courses = dict(
        con.execute(
            "select course_id, loads.file_name from staging.courses "
            "inner join staging.loads as loads using (load_id)"
        ).fetchall()
    )
    assert courses == {
        "C001": "a_forloeb_20240401.csv",  # unchanged: lineage moves to the newer file
        "C002": "a_forloeb_20240401.csv",
        "C007": "a_forloeb_20240301.csv",  # not in the newer export: kept
        "C009": "a_forloeb_20240401.csv",
    }
    assert con.execute(
        "select end_reason from staging.courses where course_id = 'C002'"
    ).fetchone() == ("moved",)
    con.close()


def test_a_reexport_keeps_what_an_earlier_file_still_holds(tmp_path: Path, config) -> None:
    """A newer export delivers C001 again unchanged (its lineage moves to the newer
    file) and C002 changed; a corrected re-export of the newer file has neither. C001
    is still in the earlier file as it was: kept, back on that file's lineage, and said;
    C002's version in the re-exported file is gone and the earlier file holds another
    version of it: removed, as before (which version is right is the steward's call)."""
    con = connect(tmp_path / "held.duckdb")
    ingest_files(
        con,
        [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"],
        config,
        key=KEY,
    )
    first = dict(con.execute(
        "select course_id, row_no from staging.courses").fetchall())
    newer = [
        "C001;B001;spaedbarn;;familie_nord;01-02-2024;;",  # unchanged
        "C002;B002;ungepraktik;intensiv;unge_syd;15-01-2024;31-07-2024;Fraflyttet",  # changed
        "C009;B003;spaedbarn;;familie_nord;01-05-2024;;",  # new
    ]
    ingest_files(con, [write_a(tmp_path / "a_forloeb_20240401.csv", COURSES_HEADER, newer)],
                 config, key=KEY)
    corrected = tmp_path / "corrected"
    corrected.mkdir()
    (report,) = ingest_files(
        con, [write_a(corrected / "a_forloeb_20240401.csv", COURSES_HEADER, newer[2:])],
        config, key=KEY)
    assert report.status == "loaded", report.error
    assert report.rows_removed == 1  # C002 only
    assert report.warnings == [
        "1 record(s) the re-export no longer has were kept, not removed: still held as "
        "they were by a_forloeb_20240301.csv (1)"
    ]
    courses = con.execute(
        "select course_id, loads.file_name, row_no from staging.courses "
        "inner join staging.loads as loads using (load_id) order by course_id"
    ).fetchall()
    assert courses == [
        ("C001", "a_forloeb_20240301.csv", first["C001"]),  # the earlier file's record
        ("C007", "a_forloeb_20240301.csv", first["C007"]),
        ("C009", "a_forloeb_20240401.csv", 1),
    ]
    # the warning is kept with the load
    assert con.execute(
        "select warnings from staging.loads where load_id = ?", [report.load_id]
    ).fetchone() == (report.warnings,)
    con.close()


def test_a_reload_of_an_earlier_export_keeps_a_later_exports_corrections(
        tmp_path: Path, config) -> None:
    """C002's end reason is corrected by the later export; re-loading the earlier one (as
    after a mapping fix) keeps the correction, counts the record as already staged and
    names the later file. A record only the earlier file has is re-loaded as usual."""
    con = connect(tmp_path / "later.duckdb")
    _, first = ingest_files(
        con,
        [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"],
        config,
        key=KEY,
    )
    ingest_files(con, [write_a(tmp_path / "a_forloeb_20240401.csv", COURSES_HEADER, [
        "C002;B002;ungepraktik;intensiv;unge_syd;15-01-2024;31-07-2024;Fraflyttet",
    ])], config, key=KEY)
    before = con.execute(
        "select course_id, end_reason, loads.file_name from staging.courses "
        "inner join staging.loads as loads using (load_id) order by course_id").fetchall()
    (report,) = ingest_files(con, [FIXTURES / "a_forloeb_20240301.csv"], config, key=KEY,
                             reload=True)
    assert report.status == "loaded", report.error
    # every clean record is as staged already: C002 in the later version, the rest the
    # same; the fixture's faulty records are quarantined again
    assert report.rows_in == first.rows_in
    assert (report.rows_staged, report.rows_unchanged, report.rows_quarantined) == (
        0, first.rows_staged, first.rows_quarantined)
    assert report.warnings == [
        "1 courses record(s) kept as a later export has them, not as this re-load: "
        "a_forloeb_20240401.csv (1); re-load that export too if the fix concerns it"
    ]
    after = con.execute(
        "select course_id, end_reason, loads.file_name from staging.courses "
        "inner join staging.loads as loads using (load_id) order by course_id").fetchall()
    assert ("C002", "moved", "a_forloeb_20240401.csv") in after
    assert after == before
    assert con.execute("select count(*) from staging.courses where course_id = 'C002'"
                       ).fetchone() == (1,)
    con.close()


def test_a_course_that_arrives_later_names_the_file_whose_records_wait_for_it(
        tmp_path: Path, config) -> None:
    """Measurements of course C050 come before the course: quarantined as unknown_course.
    The courses export that adds C050 says which file's records wait for it and how to
    stage them; loading that file again stages them."""
    con = connect(tmp_path / "waiting.duckdb")
    ingest_files(con, [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"],
                 config, key=KEY)
    header = "SkemaID;ForloebID;Redskab;Dato;Medarbejder;Besvarer;Spoergsmaal;Svar;Note"
    answers = [f"S900;C050;ORS;05-03-2024;m01;Borger;{i};{i + 4};" for i in (1, 2, 3, 4)]
    measurements = write_a(tmp_path / "a_maalinger_20240310.csv", header, answers)
    (early,) = ingest_files(con, [measurements], config, key=KEY)
    assert (early.rows_in, early.rows_quarantined) == (4, 4)
    (courses,) = ingest_files(con, [write_a(tmp_path / "a_forloeb_20240315.csv", COURSES_HEADER, [
        "C050;B001;spaedbarn;;familie_nord;01-03-2024;;"])], config, key=KEY)
    assert courses.warnings == [
        "4 measurements record(s) of a_maalinger_20240310.csv wait in the quarantine "
        "(unknown_course) for courses this file added: load that file again to stage them "
        "(datadialog ingest --reload a_maalinger_20240310.csv)"
    ]
    (again,) = ingest_files(con, [measurements], config, key=KEY, reload=True)
    assert (again.rows_staged, again.rows_quarantined) == (4, 0)
    assert again.warnings == []
    assert con.execute("select count(*) from staging.measurements where course_id = 'C050'"
                       ).fetchone() == (4,)
    assert con.execute("select count(*) from staging.quarantine where value = 'C050'"
                       ).fetchone() == (0,)
    con.close()


def test_incremental_table_without_key(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "unkeyed.duckdb")
    ingest_files(
        con,
        [
            FIXTURES / "a_borgere_20240301.csv",
            FIXTURES / "a_forloeb_20240301.csv",
            FIXTURES / "a_aktiviteter_20240301.csv",
        ],
        config,
        key=KEY,
    )
    newer = write_a(
        tmp_path / "a_aktiviteter_20240401.csv",
        "ForloebID;Dato;Aktivitet;Minutter;Medarbejder",
        [
            "C001;06-02-2024;hjemmebesoeg;90;m01",
            "C001;06-02-2024;hjemmebesoeg;90;m01",
            "C001;06-02-2024;hjemmebesoeg;90;m01",  # a third copy is new
            "C002;07-02-2024;samtale;45,5;m02",
        ],
    )
    (report,) = ingest_files(con, [newer], config, key=KEY)
    assert (report.rows_in, report.rows_staged, report.rows_unchanged) == (4, 1, 3)
    assert con.execute("select count(*) from staging.activities").fetchone() == (4,)
    con.close()


def test_a_failing_file_leaves_no_trace_and_a_rerun_completes(
    tmp_path: Path, config, monkeypatch
) -> None:
    con = connect(tmp_path / "atomic.duckdb")
    ingest_files(
        con,
        [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"],
        config,
        key=KEY,
    )
    before = snapshot(con)

    def broken(*args, **kwargs):  # fails after landing, typing and quarantine ran
        raise duckdb.IOException("simulated disk failure")

    monkeypatch.setattr(load_module, "_staging_columns", broken)
    (failed,) = ingest_files(con, [FIXTURES / "a_maalinger_20240301.csv"], config, key=KEY)
    assert failed.status == "failed"
    assert failed.error == "a_maalinger_20240301.csv: simulated disk failure"
    after = snapshot(con)
    assert {t: v for t, v in after.items() if t != "staging.loads"} == {
        t: v for t, v in before.items() if t != "staging.loads"
    }
    assert con.execute(
        "select status, error from staging.loads where file_name = 'a_maalinger_20240301.csv'"
    ).fetchall() == [("failed", "a_maalinger_20240301.csv: simulated disk failure")]
    monkeypatch.undo()
    (rerun,) = ingest_files(con, [FIXTURES / "a_maalinger_20240301.csv"], config, key=KEY)
    assert rerun.status == "loaded"
    assert (rerun.rows_in, rerun.rows_staged, rerun.rows_quarantined) == (10, 5, 5)
    con.close()


def test_reference_missing_from_batch_is_quarantined(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "refs.duckdb")
    (report,) = ingest_files(con, [FIXTURES / "a_maalscorer_20240301.csv"], config, key=KEY)
    assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (4, 0, 4)
    rules = con.execute(
        "select row_no, rule from staging.quarantine order by row_no, rule"
    ).fetchall()
    assert rules == [
        (1, "unknown_goal"),
        (2, "unknown_goal"),
        (3, "unknown_goal"),
        (4, "invalid_number"),
        (4, "unknown_goal"),
    ]
    con.close()


def test_work_folders_of_killed_loads_are_removed(tmp_path: Path) -> None:
    from transforms.ingest import WORKDIR_PREFIX, remove_stale_workdirs

    dead = tmp_path / f"{WORKDIR_PREFIX}999999999-abc"  # no such process
    mine = tmp_path / f"{WORKDIR_PREFIX}{os.getpid()}-def"
    other = tmp_path / "something-else"
    for folder in (dead, mine, other):
        folder.mkdir()
        (folder / "a_borgere.csv.utf8").write_text("copy")
    assert remove_stale_workdirs(tmp_path) == [dead]
    assert not dead.exists() and mine.exists() and other.exists()


def _reexport_setup(tmp_path: Path, config, name: str):
    con = connect(tmp_path / f"{name}.duckdb")
    first = ingest_files(
        con,
        [FIXTURES / n for n in (
            "a_borgere_20240301.csv", "a_forloeb_20240301.csv",
            "a_registreringer_20240301.csv", "a_aktiviteter_20240301.csv",
        )],
        config,
        key=KEY,
    )  # fmt: skip
    assert {r.status for r in first} == {"loaded"}
    assert con.execute("select course_id from staging.courses order by 1").fetchall() == [
        ("C001",), ("C002",), ("C007",),
    ]  # fmt: skip
    corrected = write_a(
        tmp_path / "a_forloeb_20240301.csv",  # same name; C001 (twice) and C007 are gone
        COURSES_HEADER,
        [
            "C002;B002;ungepraktik;intensiv;unge_syd;15-01-2024;30-06-2024;Planmæssigt afsluttet",
            "C003;B999;spaedbarn;;familie_nord;01-03-2024;;",
            "C004;B003;spaedbarn;;familie_nord;31-02-2024;;",
            "C005;B003;voksenstoette;;voksen_oest;01-01-2024;01-02-2024;Ukendt",
            "C006;;spaedbarn;;familie_nord;01-01-2024;;",
        ],
    )
    return con, first, corrected


def test_reexport_counts_removed_records_and_quarantines_their_dependents(
    tmp_path: Path, config
) -> None:
    con, first, corrected = _reexport_setup(tmp_path, config, "removed")
    old_load = next(r.load_id for r in first if r.file_name == "a_forloeb_20240301.csv")
    dependents = con.execute(
        "select (select count(*) from staging.registrations where course_id = 'C001')"
        " + (select count(*) from staging.activities where course_id = 'C001')"
    ).fetchone()[0]
    assert dependents > 0
    staged_before = con.execute(
        "select (select count(*) from staging.registrations)"
        " + (select count(*) from staging.activities)"
    ).fetchone()[0]
    quarantined_before = con.execute(
        "select count(*) from staging.quarantine where canonical_table <> 'courses'"
    ).fetchone()[0]

    (report,) = ingest_files(con, [corrected], config, key=KEY)
    assert report.status == "loaded", report.error
    assert report.replaced_load_ids == [old_load]
    assert (report.rows_in, report.rows_staged, report.rows_unchanged, report.rows_quarantined) == (
        5, 0, 1, 4,
    )  # fmt: skip
    assert report.balanced
    assert (report.rows_removed, report.dependents_quarantined, report.rows_flagged) == (
        2, dependents, 0,
    )  # fmt: skip
    (courses,) = report.tables
    assert (courses.rows_removed, courses.dependents_quarantined) == (2, dependents)
    # stored with the load and its table
    assert con.execute(
        "select rows_removed, dependents_quarantined, rows_flagged from staging.loads "
        "where load_id = ?", [report.load_id],
    ).fetchone() == (2, dependents, 0)
    assert con.execute(
        "select rows_removed, dependents_quarantined from staging.load_tables where load_id = ?",
        [report.load_id],
    ).fetchone() == (2, dependents)
    # nothing duplicated, nothing lost: the courses are the re-export's, and every
    # dependent row left staging for the quarantine
    assert con.execute(
        "select course_id, load_id from staging.courses order by 1"
    ).fetchall() == [("C002", report.load_id)]
    assert con.execute(
        "select count(*) from staging.quarantine where file_name = 'a_forloeb_20240301.csv'"
    ).fetchone() == (4,)
    staged_after = con.execute(
        "select (select count(*) from staging.registrations)"
        " + (select count(*) from staging.activities)"
    ).fetchone()[0]
    moved = con.execute(
        "select canonical_table, rule, column_name, value, message from staging.quarantine "
        "where canonical_table <> 'courses' and message like '%re-export%' order by 1"
    ).fetchall()
    assert staged_after + len(moved) == staged_before
    assert len(moved) == dependents
    assert con.execute(
        "select count(*) from staging.quarantine where canonical_table <> 'courses'"
    ).fetchone()[0] == quarantined_before + dependents
    assert {(m[1], m[2], m[3]) for m in moved} == {("unknown_course", "course_ref", "C001")}
    assert moved[0][4] == (
        "the courses row it refers to was removed by the corrected re-export "
        f"a_forloeb_20240301.csv (load {report.load_id})"
    )
    con.close()


def test_reexport_keep_and_flag_keeps_removed_records_and_flags_them(
    tmp_path: Path, config
) -> None:
    keep = config.model_copy(
        update={"ingest": config.ingest.model_copy(update={"reexport": "keep_and_flag"})}
    )
    con, first, corrected = _reexport_setup(tmp_path, keep, "flagged")
    old_load = next(r.load_id for r in first if r.file_name == "a_forloeb_20240301.csv")
    dependents_before = con.execute(
        "select (select count(*) from staging.registrations)"
        " + (select count(*) from staging.activities)"
    ).fetchone()[0]
    (report,) = ingest_files(con, [corrected], keep, key=KEY)
    assert report.status == "loaded", report.error
    assert report.balanced
    assert (report.rows_removed, report.dependents_quarantined, report.rows_flagged) == (0, 0, 2)
    assert con.execute(
        "select course_id, load_id from staging.courses order by 1"
    ).fetchall() == [("C001", old_load), ("C002", report.load_id), ("C007", old_load)]
    flags = con.execute(
        "select load_id, row_no, rule from staging.quarantine "
        "where rule = 'removed_in_reexport' order by row_no"
    ).fetchall()
    assert flags == [(old_load, 1, "removed_in_reexport"), (old_load, 8, "removed_in_reexport")]
    # the kept records keep their landing rows; dependents stay staged
    assert con.execute(
        "select count(*) from landing.courses where load_id = ?", [old_load]
    ).fetchone() == (8,)
    assert con.execute(
        "select (select count(*) from staging.registrations)"
        " + (select count(*) from staging.activities)"
    ).fetchone()[0] == dependents_before
    assert con.execute(
        "select status, rows_flagged from staging.loads where load_id in (?, ?) order by 1",
        [old_load, report.load_id],
    ).fetchall() == [("loaded", 2), ("replaced", 0)]
    con.close()


def test_a_next_export_with_every_record_again_rewrites_only_the_lineage(
    tmp_path: Path, config
) -> None:
    """A system that exports its whole history every day: the next day's file holds
    every record again, one of them changed and one new. The unchanged records keep
    their values and count as unchanged, and each staged row now names the latest
    load and its record number there (the merge writes the rows again rather than
    updating them in place: staging/load/delete_matched.sql); no row is doubled."""
    con = connect(tmp_path / "history.duckdb")
    ingest_files(con, [FIXTURES / "a_borgere_20240301.csv"], config, key=KEY)
    rows = [
        "C001;B001;spaedbarn;;familie_nord;01-01-2024;;",
        "C002;B002;ungepraktik;intensiv;unge_syd;15-01-2024;;",
        "C003;B003;spaedbarn;;familie_nord;01-02-2024;;",
    ]
    (first,) = ingest_files(
        con, [write_a(tmp_path / "a_forloeb_20240301.csv", COURSES_HEADER, rows)],
        config, key=KEY,
    )
    assert (first.status, first.rows_staged) == ("loaded", 3), first.error
    # the next day: C002 moved first and ended, C001 and C003 as before, C004 new
    again = [
        rows[1].replace(";;", ";31-03-2024;Afbrudt"),
        rows[0],
        rows[2],
        "C004;B001;spaedbarn;;familie_nord;01-03-2024;;",
    ]
    (second,) = ingest_files(
        con, [write_a(tmp_path / "a_forloeb_20240302.csv", COURSES_HEADER, again)],
        config, key=KEY,
    )
    assert second.status == "loaded" and second.balanced
    assert (second.rows_in, second.rows_staged, second.rows_unchanged,
            second.rows_quarantined) == (4, 2, 2, 0)
    staged = con.execute(
        "select course_id, end_date, end_reason, load_id, row_no from staging.courses "
        "order by course_id"
    ).fetchall()
    new = second.load_id
    assert [(c, reason, load, row) for c, _, reason, load, row in staged] == [
        ("C001", None, new, 2),
        ("C002", "dropped_out", new, 1),
        ("C003", None, new, 3),
        ("C004", None, new, 4),
    ]
    assert str(staged[1][1]) == "2024-03-31"
    con.close()


def _with_source_c(config):
    """The config with a third source, fagsystem_c: fagsystem A's mapping for c_*.csv."""
    a = next(s for s in config.sources if s.id == "fagsystem_a")
    tables = [t.model_copy(update={"file_pattern": "c_" + t.file_pattern[2:]}) for t in a.tables]
    c = a.model_copy(update={"id": "fagsystem_c", "tables": tables})
    return config.model_copy(update={"sources": [*config.sources, c]})


GOALS_HEADER = "MaalID;ForloebID;Livsomraade;Maaltype;Oprettet;Vaegt;Beskrivelse"


def test_a_key_another_source_holds_is_quarantined_not_taken_over(
    tmp_path: Path, config
) -> None:
    """Refs are unique across sources: a second system delivering goal G001, which
    fagsystem A staged, is a different goal under the same name. Its record waits in
    the quarantine naming the source, file and row that hold the key; A's row stays.
    Its other records load, and the balance holds. The same file in a database without
    A's goals loads whole."""
    config = _with_source_c(config)
    con = connect(tmp_path / "two_sources.duckdb")
    names = ("a_borgere_20240301.csv", "a_forloeb_20240301.csv", "a_maal_20240301.csv")
    first = ingest_files(con, [FIXTURES / n for n in names], config, key=KEY)
    assert [r.status for r in first] == ["loaded"] * 3
    a_goal = con.execute(
        "select course_id, life_area, load_id, row_no from staging.goals where goal_id = 'G001'"
    ).fetchone()
    assert a_goal == ("C001", "family_relations", first[2].load_id, 1)
    c_goals = write_a(tmp_path / "c_maal_20240302.csv", GOALS_HEADER, [
        "G010;C002;school_work;Udvikling;01-03-2024;1;Nyt mål",
        "G001;C002;health;Udvikling;01-03-2024;1;Et andet mål",
    ])
    (report,) = ingest_files(con, [c_goals], config, key=KEY)
    assert report.status == "loaded", report.error
    assert report.source_id == "fagsystem_c"
    assert (report.rows_in, report.rows_staged, report.rows_unchanged,
            report.rows_quarantined) == (2, 1, 0, 1)
    assert con.execute(
        "select course_id, life_area, load_id, row_no from staging.goals where goal_id = 'G001'"
    ).fetchone() == a_goal
    assert con.execute(
        "select count(*) from staging.goals where goal_id = 'G010' and load_id = ?",
        [report.load_id],
    ).fetchone() == (1,)
    assert con.execute(
        "select row_no, column_name, value, rule, message from staging.quarantine "
        "where load_id = ?", [report.load_id],
    ).fetchall() == [(
        2, "MaalID", "G001", "key_of_other_source",
        "the key is held by another source's row (fagsystem_a, a_maal_20240301.csv row 1); "
        "refs must be unique across sources (a move between systems: takes_over in "
        "sources.yaml)",
    )]
    # the same file where A's goals never loaded: both goals stage
    fresh = connect(tmp_path / "c_only.duckdb")
    ingest_files(fresh, [FIXTURES / n for n in names[:2]], config, key=KEY)
    (alone,) = ingest_files(fresh, [c_goals], config, key=KEY)
    assert (alone.rows_in, alone.rows_staged, alone.rows_quarantined) == (2, 2, 0)
    # citizens are shared: the same person in two systems is one pseudonym, not a conflict
    # (A's records in another order, so the file is not the one already loaded)
    lines = (FIXTURES / "a_borgere_20240301.csv").read_bytes().split(b"\r\n")
    c_citizens = tmp_path / "c_borgere_20240302.csv"
    c_citizens.write_bytes(b"\r\n".join([lines[0], lines[2], lines[1], *lines[3:]]))
    (citizens,) = ingest_files(con, [c_citizens], config, key=KEY)
    assert citizens.status == "loaded", citizens.error
    assert citizens.rows_quarantined == first[0].rows_quarantined
    assert citizens.rows_unchanged == first[0].rows_staged
    fresh.close()
    con.close()


def test_a_source_that_takes_another_over_replaces_its_rows(tmp_path: Path, config) -> None:
    """A move from system A to C, which delivers A's refs: with takes_over: [fagsystem_a]
    C's goal G001 replaces A's (the later load wins, as within one source); the names
    in takes_over are checked against the sources."""
    config = _with_source_c(config)
    c = next(s for s in config.sources if s.id == "fagsystem_c")
    moved = config.model_copy(update={"sources": [
        *(s for s in config.sources if s.id != "fagsystem_c"),
        c.model_copy(update={"takes_over": ["fagsystem_a"]})]})
    assert not moved.check_references()
    wrong = config.model_copy(update={"sources": [
        *(s for s in config.sources if s.id != "fagsystem_c"),
        c.model_copy(update={"takes_over": ["fagsystem_x"]})]})
    assert [m for _, m in wrong.check_references()] == [
        "not another source's id: 'fagsystem_x'"]
    con = connect(tmp_path / "moved.duckdb")
    names = ("a_borgere_20240301.csv", "a_forloeb_20240301.csv", "a_maal_20240301.csv")
    ingest_files(con, [FIXTURES / n for n in names], moved, key=KEY)
    c_goals = write_a(tmp_path / "c_maal_20240302.csv", GOALS_HEADER, [
        "G001;C002;health;Udvikling;01-03-2024;1;Et andet mål",
    ])
    (report,) = ingest_files(con, [c_goals], moved, key=KEY)
    assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (1, 1, 0)
    assert con.execute(
        "select course_id, life_area, load_id from staging.goals where goal_id = 'G001'"
    ).fetchone() == ("C002", "health", report.load_id)
    con.close()


def test_a_two_digit_year_is_an_invalid_date_not_year_24(tmp_path: Path, config) -> None:
    """strptime's %Y reads '24' as the year 24: a date before 1900 is quarantined as
    invalid_date (the format's four-digit year was not there); 1900 itself stages."""
    con = connect(tmp_path / "years.duckdb")
    ingest_files(con, [FIXTURES / "a_borgere_20240301.csv"], config, key=KEY)
    courses = write_a(tmp_path / "a_forloeb_20240401.csv", COURSES_HEADER, [
        "C020;B001;spaedbarn;;familie_nord;01-02-24;;",
        "C021;B001;spaedbarn;;familie_nord;01-02-2024;01-01-0001;Planmæssigt afsluttet",
        "C022;B001;spaedbarn;;familie_nord;01-01-1900;;",
    ])
    (report,) = ingest_files(con, [courses], config, key=KEY)
    assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (3, 1, 2)
    assert con.execute(
        "select row_no, column_name, value, rule, message from staging.quarantine "
        "where load_id = ? order by row_no", [report.load_id],
    ).fetchall() == [
        (1, "Startdato", "01-02-24", "invalid_date", "not a date in the format %d-%m-%Y"),
        (2, "Slutdato", "01-01-0001", "invalid_date", "not a date in the format %d-%m-%Y"),
    ]
    assert con.execute(
        "select course_id, start_date::varchar from staging.courses where load_id = ?",
        [report.load_id],
    ).fetchall() == [("C022", "1900-01-01")]
    con.close()


@pytest.mark.parametrize(("pattern", "line", "count"), [
    (r"^Antal rækker: \d+$", "Antal rækker: 194", 194),
    (r"I alt [\d.]+ poster", "I alt 1.957 poster", 1957),  # Danish thousands
    (r"Total (\S+)", "Total 1,234,567", 1234567),
    (r"Sum .*", "Sum 12 345 rækker", 12345),
    (r"Sum .*", "Sum 12\u00a0345 rækker", 12345),
    (r"Rows: (\d+) of (\d+)", "Rows: 12 of 15", 12),  # group 1, as documented
    (r"X (\S+)", "X 1.95", None),  # not a count
    (r"Slut", "Slut", None),
])
def test_the_trailer_count_reads_thousands_separators(pattern, line, count) -> None:
    """A trailer 'I alt 1.957 poster' counts 1957 records, not 957 (the false warning
    'the trailer says 957 rows, the file has 1957 data records')."""
    from transforms.ingest.prepare import trailer_count

    assert trailer_count(re.fullmatch(pattern, line), line) == count


def test_a_trailer_with_a_thousands_separator_balances(tmp_path: Path, config) -> None:
    """End to end: 1 001 courses and the trailer 'Antal rækker: 1.001'."""
    a = next(s for s in config.sources if s.id == "fagsystem_a")
    dotted = config.model_copy(update={"sources": [
        a.model_copy(update={"trailer_pattern": r"^Antal rækker: [\d.]+$"}),
        *(s for s in config.sources if s.id != "fagsystem_a"),
    ]})
    con = connect(tmp_path / "thousands.duckdb")
    ingest_files(con, [FIXTURES / "a_borgere_20240301.csv"], dotted, key=KEY)
    rows = [f"C{n:04d};B001;spaedbarn;;familie_nord;01-02-2024;;" for n in range(1001)]
    path = tmp_path / "a_forloeb_20240301.csv"
    path.write_bytes(("\r\n".join([COURSES_HEADER, *rows, "Antal rækker: 1.001"]) + "\r\n")
                     .encode("cp1252"))
    (report,) = ingest_files(con, [path], dotted, key=KEY)
    assert report.status == "loaded", report.error
    assert report.rows_in == 1001
    assert not [w for w in report.warnings if "trailer says" in w]
    con.close()


@pytest.mark.parametrize("note_break", [b"\r", b"\n", b"\r\n"])
def test_cr_line_endings_with_another_break_inside_a_quoted_note(
    tmp_path: Path, config, note_break: bytes
) -> None:
    """A file whose lines end in CR alone loads like its CRLF original, also when the
    line break inside a quoted note is an LF or a CRLF (typed in another program): the
    file was refused with 'expected 9 fields, found 1' when the note held an LF."""
    original = (FIXTURES / "a_maalinger_20240301.csv").read_bytes()
    assert b'""godt""\r\n' in original  # the note with a line break
    cr = original.replace(b"\r\n", b"\r").replace(b'""godt""\r', b'""godt""' + note_break, 1)
    reports = {}
    for name, data in (("crlf", original), ("cr", cr)):
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "a_maalinger_20240301.csv"
        path.write_bytes(data)
        con = connect(folder / "m.duckdb")
        reports[name] = ingest_files(
            con, [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv",
                  path], config, key=KEY)[-1]
        con.close()
    crlf, cr_report = reports["crlf"], reports["cr"]
    assert cr_report.status == "loaded", cr_report.error
    assert cr_report.warnings == crlf.warnings
    assert (cr_report.rows_in, cr_report.rows_staged, cr_report.rows_quarantined) == (
        crlf.rows_in, crlf.rows_staged, crlf.rows_quarantined)


def test_a_link_in_the_inbox_is_not_followed(tmp_path: Path, config) -> None:
    """A symbolic link dropped in the inbox (here to a file outside it that is no export
    at all) fails unread and goes to failed/ with its error; the file it points at is
    left alone and none of it reaches the database. A file named on the command line
    may still be a link."""
    from transforms.ingest import ingest_inbox

    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("root:x:0:0:secret line\n", encoding="utf-8")
    (inbox / "a_borgere_20240301.csv").symlink_to(secret)
    con = connect(tmp_path / "links.duckdb")
    (report,) = ingest_inbox(con, config, inbox=inbox, archive=archive, key=KEY)
    assert report.status == "failed"
    assert report.error == (
        "a_borgere_20240301.csv: a symbolic link, not an export file: put the file itself "
        "in the inbox (links are not followed there)")
    assert (inbox / "failed" / "a_borgere_20240301.csv").is_symlink()
    assert secret.read_text(encoding="utf-8") == "root:x:0:0:secret line\n"
    stored = repr(con.execute("select * from staging.loads").fetchall())
    assert "secret" not in stored and "root:x" not in stored
    # named on the command line, a link to a real export loads
    link = tmp_path / "a_forloeb_20240301.csv"
    link.symlink_to(FIXTURES / "a_forloeb_20240301.csv")
    (named,) = ingest_files(con, [link], config, key=KEY)
    assert named.status == "loaded", named.error
    con.close()
