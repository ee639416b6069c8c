"""Incremental refresh (transforms/refresh.py): after a change to the staging data, an
incremental build leaves every model exactly as a full build of the same data would,
and the decks drafted from it show the same numbers.

Each case starts from the session's built demo database (120 courses), changes the
staging data the way a new export would (corrections, new and removed rows, a new
course, a course closed, a citizen corrected, costs restated, agreements returned),
refreshes, and compares every stored model with a full rebuild of a copy.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

import transforms.refresh as refresh_module
from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig, PlannedPoint
from datadialog.db import connect
from pipeline.deck_digest import canonical
from pipeline.decks import DRAFTERS, DeckJob
from pipeline.meeting import meeting_folder
from tests.support.meetings import copy_database, demo_database
from transforms.build import ModelError, build
from transforms.build_state import comparable, measure_parts
from transforms.refresh import refresh

AS_OF = date(2026, 11, 30)

#: One change per case, as SQL on the staging tables (what an ingest of a new export
#: that adds or corrects rows leaves behind).
CHANGES: dict[str, list[str]] = {
    "measurement corrections (1 % of forms)": [
        "update staging.measurements set value = value + 1 "
        "where hash(form_id) % 100 = 7 and value is not null and value < 3",
    ],
    "a form added at a later date": [
        """insert into staging.measurements by name
        select * replace (form_id || '-new' as form_id, measured_on + 40 as measured_on,
                          'L-new' as load_id)
        from staging.measurements
        where form_id = (select max(form_id) from staging.measurements
                         where course_id = (select min(course_id) from staging.courses))""",
    ],
    "a course removed with its rows": [
        "create temp table gone as select course_id from staging.courses "
        "order by course_id limit 1 offset 3",
        "delete from staging.goal_ratings where goal_id in (select goal_id from "
        "staging.goals where course_id in (select course_id from gone))",
        "delete from staging.goals where course_id in (select course_id from gone)",
        "delete from staging.measurements where course_id in (select course_id from gone)",
        "delete from staging.activities where course_id in (select course_id from gone)",
        "delete from staging.registrations where course_id in (select course_id from gone)",
        "delete from staging.courses where course_id in (select course_id from gone)",
    ],
    "a new course for a known citizen": [
        "create temp table src as select course_id from staging.courses "
        "where end_date is not null order by course_id limit 1",
        """insert into staging.courses by name
        select * replace (course_id || '-b' as course_id, end_date + 30 as start_date,
                          null::date as end_date, null as end_reason)
        from staging.courses where course_id in (select course_id from src)""",
        """insert into staging.measurements by name
        select * replace (form_id || '-b' as form_id, course_id || '-b' as course_id,
                          measured_on + 400 as measured_on)
        from staging.measurements where course_id in (select course_id from src)""",
    ],
    "a course closed": [
        "update staging.courses set end_date = start_date + 200, "
        "end_reason = 'completed_planned' where course_id = (select min(course_id) from "
        "staging.courses where end_date is null)",
    ],
    "a citizen corrected": [
        "update staging.citizens set birth_year = birth_year - 3 "
        "where citizen_id = (select min(citizen_id) from staging.citizens)",
    ],
    "a course moved to another citizen": [
        "update staging.courses set citizen_id = (select max(citizen_id) from "
        "staging.citizens) where course_id = (select min(course_id) from staging.courses "
        "where course_id in (select course_id from staging.measurements))",
    ],
    "activities minutes corrected": [
        "update staging.activities set minutes = minutes + 30 "
        "where course_id = (select max(course_id) from staging.activities)",
    ],
    "costs restated": [
        "update staging.costs set amount_dkk = amount_dkk * 1.1 "
        "where quarter = (select max(quarter) from staging.costs)",
    ],
    "goal ratings corrected": [
        "update staging.goal_ratings set score = least(score + 1, 2) "
        "where hash(goal_id) % 20 = 3",
    ],
    "a course's agreement returned": [
        """insert into staging.agreements by name
        select 'team-meeting' as meeting_id, course_id, date '2026-11-02' as agreed_on,
               'Ring til skolen' as text, 'KL' as owner, date '2026-12-01' as follow_up_on,
               'open' as status, 'A-1' as agreement_id, null as subject
        from staging.courses order by course_id limit 1""",
    ],
    "a team agreement returned": [
        """insert into staging.agreements by name
        select 'team-meeting' as meeting_id, null as course_id,
               date '2026-11-02' as agreed_on, 'Fælles mål for målinger' as text,
               'team' as owner, null as follow_up_on, 'open' as status,
               'A-2' as agreement_id, null as subject""",
    ],
}

#: Changes that only models rebuilt in full read: rows of no course, and activities
#: (read only by the cost models, which a new as-of date moves for every open course).
WHOLE_CHANGES = {"costs restated", "a team agreement returned", "activities minutes corrected"}
#: Every change at once: a daily export's worth.
CHANGES["all of the above at once"] = [s for c in list(CHANGES) for s in CHANGES[c]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built in full at AS_OF."""
    db = copy_database(demo_database(tmp_path_factory.getbasetemp()),
                       tmp_path_factory.mktemp("refresh-base"))
    con = connect(db)
    try:
        first = refresh(con, load_config(), as_of=AS_OF, full=True)
        # a full build leaves no scratch table in the caller's connection either
        assert con.execute("select table_name from information_schema.tables "
                           "where table_catalog = 'temp'").fetchall() == []
    finally:
        con.close()
    assert first.mode == "full"
    return db


def stored_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The models' tables and views (a view such as int_course_flags computes on read
    what the incremental build no longer stores: compared all the same)."""
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() "
        "and table_type in ('BASE TABLE', 'VIEW') "
        "and table_schema in ('main', 'build_cache') order by 1, 2"
    ).fetchall()


def differing_rows(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int:
    """Rows in one of main's and ``other``'s table but not the other (as multisets);
    doubles as :func:`transforms.build_state.comparable` has them."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by ordinal_position", [schema, table]
    ).fetchall()
    select = ", ".join(comparable(c) if kind == "DOUBLE" else c for c, kind in columns)
    mine, theirs = f"{schema}.{table}", f"other.{schema}.{table}"
    return con.execute(
        f"select count(*) from ((select {select} from {mine} except all "
        f"select {select} from {theirs}) union all (select {select} from {theirs} "
        f"except all select {select} from {mine}))"
    ).fetchone()[0]


def deck_contents(db: Path, folder: Path, as_of: date = AS_OF,
                  config: DatadialogConfig | None = None) -> dict[tuple[str, str], object]:
    """What each drafted deck of every meeting series would show on ``as_of`` (no
    rendering)."""
    config = config or load_config()
    out = {}
    con = connect(db, read_only=True)
    try:
        for meeting in config.meetings:
            for kind, drafter in DRAFTERS.items():
                job = DeckJob(con, config, meeting, as_of, meeting_folder(folder, meeting.id,
                              as_of), f"{meeting.id}_{as_of}", [])
                try:
                    out[(meeting.id, kind)] = canonical(drafter(job).shows)
                except Exception as exc:  # a pack this level has no data for
                    out[(meeting.id, kind)] = type(exc).__name__
    finally:
        con.close()
    return out


def compare_with_full_build(incremental_db: Path, tmp_path: Path, as_of: date,
                            config: DatadialogConfig | None = None) -> None:
    """A full build of a copy at ``as_of`` leaves every stored table as the refresh did,
    and every meeting's drafted decks show the same."""
    config = config or load_config()
    full_db = tmp_path / "full.duckdb"
    shutil.copyfile(incremental_db, full_db)
    con = connect(full_db)
    try:
        build(con, config, as_of=as_of)
        con.execute(f"attach '{incremental_db}' as other (read_only)")
        tables = stored_tables(con)
        assert len(tables) > 30
        differ = {f"{s}.{t}": n for s, t in tables if (n := differing_rows(con, s, t))}
        # what the next refresh compares with: the parts of the staging data as they
        # are (measured afresh), which the refresh stored by writing only the changes
        measure_parts(con)
        stale = con.execute(
            "select count(*) from ((select * from other.build_state.parts except all "
            "select * from refresh_parts_now) union all (select * from refresh_parts_now "
            "except all select * from other.build_state.parts))").fetchone()[0]
        if stale:
            differ["build_state.parts"] = stale
        # and the forms under two or more courses, kept up to date the same way
        stale = con.execute(
            "select count(*) from ((select * from other.build_state.shared_forms except all "
            "select * from build_state.shared_forms) union all (select * from "
            "build_state.shared_forms except all select * from other.build_state.shared_forms))"
        ).fetchone()[0]
        if stale:
            differ["build_state.shared_forms"] = stale
    finally:
        con.close()
    assert differ == {}
    decks = tmp_path / "decks"
    assert (deck_contents(incremental_db, decks, as_of, config)
            == deck_contents(full_db, decks, as_of, config))


@pytest.mark.parametrize("case", list(CHANGES))
def test_incremental_equals_full_rebuild(case: str, built: Path, tmp_path: Path) -> None:
    incremental_db = tmp_path / "incremental.duckdb"
    shutil.copyfile(built, incremental_db)
    con = connect(incremental_db)
    try:
        for statement in CHANGES[case]:
            con.execute(statement)
        con.execute("create temp table callers_own as select 1 as x")
        result = refresh(con, load_config(), as_of=AS_OF)
        # the refresh drops its own scratch relations, not the caller's
        assert con.execute("select count(*) from callers_own").fetchone() == (1,)
        assert not con.execute(
            "select table_name from information_schema.tables where table_catalog = 'temp' "
            "and (table_name like '\\_d\\_%' escape '\\' or table_name like 'refresh\\_%'"
            " escape '\\')").fetchall()
    finally:
        con.close()
    assert result.mode == "incremental", result.reason
    redone = [m.name for m in result.models if m.how != "unchanged"]
    assert redone, "the change reached no model"
    partial = any(m.how == "partial" for m in result.models)
    assert partial == (case not in WHOLE_CHANGES)
    compare_with_full_build(incremental_db, tmp_path, AS_OF)


#: New as-of dates (days after the last build's): the next day, past a quarter's end,
#: past most follow-up windows, a year on, and back to an earlier date.
DATE_MOVES = {"next day": 1, "a month on": 31, "past a quarter": 62, "a year on": 400,
              "back a fortnight": -14}


@pytest.mark.parametrize("move", list(DATE_MOVES))
def test_a_new_as_of_date_is_redone_incrementally(move: str, built: Path,
                                                   tmp_path: Path) -> None:
    """The first build of a new day: only the courses the date can move are redone,
    and every table is as a full build at the new date leaves it."""
    db = tmp_path / "incremental.duckdb"
    shutil.copyfile(built, db)
    as_of = AS_OF + timedelta(days=DATE_MOVES[move])
    con = connect(db)
    try:
        n_courses = con.execute("select count(*) from staging.courses").fetchone()[0]
        result = refresh(con, load_config(), as_of=as_of)
        assert con.execute("select as_of_date from ref.settings").fetchall() == [(as_of,)]
    finally:
        con.close()
    assert result.mode == "incremental", result.reason
    assert f"a new as-of date ({as_of:%Y-%m-%d}; last build {AS_OF:%Y-%m-%d})" in result.reason
    assert 0 < result.n_courses_changed < n_courses
    compare_with_full_build(db, tmp_path, as_of)


def test_a_new_day_adds_an_occurrence_of_a_repeating_point(built: Path,
                                                           tmp_path: Path) -> None:
    """With a point repeated every 14 days (ORS each session), an open course gains an
    occurrence when the date passes the next one's due date."""
    plan = load_config().measurement_plan[0]
    session = PlannedPoint(point="session", instrument=plan.points[0].instrument,
                           anchor="start", offset_days=7, tolerance_days=2,
                           repeat_every_days=14)
    config = load_config().model_copy(update={"measurement_plan": [
        plan.model_copy(update={"points": [*plan.points, session]}),
        *load_config().measurement_plan[1:]]})
    db = tmp_path / "incremental.duckdb"
    shutil.copyfile(built, db)
    con = connect(db)
    try:
        assert refresh(con, config, as_of=AS_OF).mode == "full"  # a new config
        occurrences = con.execute("select count(*) from int_planned_points "
                                  "where point_id = 'session'").fetchone()[0]
        result = refresh(con, config, as_of=AS_OF + timedelta(days=15))
        more = con.execute("select count(*) from int_planned_points "
                           "where point_id = 'session'").fetchone()[0]
    finally:
        con.close()
    assert result.mode == "incremental", result.reason
    assert more > occurrences > 0
    compare_with_full_build(db, tmp_path, AS_OF + timedelta(days=15), config)


def test_a_follow_up_falling_due_on_a_course_long_ended(built: Path, tmp_path: Path) -> None:
    """An open agreement about a course that ended long ago: its follow-up is overdue
    from the day after its date, though nothing else of the course moves."""
    db = tmp_path / "incremental.duckdb"
    shutil.copyfile(built, db)
    follow_up = AS_OF + timedelta(days=10)
    con = connect(db)
    try:
        course_id = con.execute(
            "select min(course_id) from staging.courses where end_date < date '2026-06-01'"
        ).fetchone()[0]
        con.execute(f"""insert into staging.agreements by name
            select 'team-meeting' as meeting_id, '{course_id}' as course_id,
                   date '2026-11-20' as agreed_on, 'Tjek op på afslutningen' as text,
                   'KL' as owner, date '{follow_up}' as follow_up_on, 'open' as status,
                   'A-9' as agreement_id, null as subject""")
        assert refresh(con, load_config(), as_of=AS_OF).mode == "incremental"
        result = refresh(con, load_config(), as_of=follow_up + timedelta(days=1))
        overdue = con.execute("select is_follow_up_overdue from mart_citizen_agreements "
                              "where agreement_text = 'Tjek op på afslutningen'").fetchall()
    finally:
        con.close()
    assert result.mode == "incremental", result.reason
    assert overdue == [(True,)]
    compare_with_full_build(db, tmp_path, follow_up + timedelta(days=1))


def test_a_new_day_with_a_new_export(built: Path, tmp_path: Path) -> None:
    """A daily run: the next day's date and every kind of change at once."""
    db = tmp_path / "incremental.duckdb"
    shutil.copyfile(built, db)
    as_of = AS_OF + timedelta(days=1)
    con = connect(db)
    try:
        for statement in CHANGES["all of the above at once"]:
            con.execute(statement)
        result = refresh(con, load_config(), as_of=as_of)
    finally:
        con.close()
    assert result.mode == "incremental", result.reason
    assert "tables: " in result.reason and "a new as-of date" in result.reason
    compare_with_full_build(db, tmp_path, as_of)


def test_a_failure_mid_refresh_leaves_the_database_as_it_was(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db.duckdb"
    shutil.copyfile(built, db)
    con = connect(db)
    try:
        con.execute(CHANGES["measurement corrections (1 % of forms)"][0])
        before = {t: con.execute(f"select count(*), sum(hash(x)) from {s}.{t} as x").fetchone()
                  for s, t in stored_tables(con)}
        runs = con.execute("select count(*) from build_state.runs").fetchone()[0]
        real_update = refresh_module._Run.update

        def update_then_fail(self, model):
            if model.name == "mart_citizen_courses":  # after the scores were redone
                raise duckdb.IOException("disk full (simulated)")
            return real_update(self, model)

        monkeypatch.setattr(refresh_module._Run, "update", update_then_fail)
        with pytest.raises(ModelError, match="mart_citizen_courses.*disk full"):
            refresh(con, load_config(), as_of=AS_OF)
        after = {t: con.execute(f"select count(*), sum(hash(x)) from {s}.{t} as x").fetchone()
                 for s, t in stored_tables(con)}
        assert after == before
        assert con.execute("select count(*) from build_state.runs").fetchone()[0] == runs
        monkeypatch.undo()
        assert refresh(con, load_config(), as_of=AS_OF).mode == "incremental"
    finally:
        con.close()


def test_the_cli_says_what_a_build_redid(built: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.app import app

    db = tmp_path / "db.duckdb"
    shutil.copyfile(built, db)
    runner = CliRunner()
    first = runner.invoke(app, ["build", "--db", str(db)])  # today, not AS_OF
    assert first.exit_code == 0, first.output
    assert f"a new as-of date ({date.today():%Y-%m-%d}; last build 2026-11-30)" in " ".join(
        first.output.split()), first.output
    again = runner.invoke(app, ["build", "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "every model is up to date" in " ".join(again.output.split())
    con = connect(db)
    try:
        con.execute(CHANGES["a citizen corrected"][0])
    finally:
        con.close()
    changed = runner.invoke(app, ["build", "--db", str(db)])
    assert changed.exit_code == 0, changed.output
    text = " ".join(changed.output.split())
    assert "Incremental:" in text and "tables: citizens" in text, text
    assert "changed courses" in text
    full = runner.invoke(app, ["build", "--db", str(db), "--full"])
    assert "full build asked for" in " ".join(full.output.split()), full.output
    con = connect(db, read_only=True)
    try:
        modes = [m for (m,) in con.execute(
            "select mode from build_state.runs order by finished_at").fetchall()]
    finally:
        con.close()
    assert modes[-4:] == ["incremental", "up_to_date", "incremental", "full"]


def test_only_relations_are_cut_down_not_strings_or_comments() -> None:
    """The changed courses' SQL reads ``_d_`` relations; a string naming a table (a
    column value such as 'staging.goals') and comments stay as written. Rewritten, the
    value came out as '_d_staging_goals' in the redone courses' rows only."""
    sql = ("-- the course's rows: staging.goals\n"
           "select 'staging.goals' as table_name, 'it''s int_forms' as note, f.form_id\n"
           "from staging.goals inner join int_forms as f using (course_id) -- staging.x\n"
           "where f.kind = 'a'")

    def cut(part: str) -> str:
        part = refresh_module._STAGING_REF.sub(lambda m: f"_d_staging_{m.group(1)}", part)
        return refresh_module._MODEL_REF.sub(lambda m: f"_d_{m.group(1)}", part)

    assert refresh_module._outside_literals(sql, cut) == (
        "-- the course's rows: staging.goals\n"
        "select 'staging.goals' as table_name, 'it''s int_forms' as note, f.form_id\n"
        "from _d_staging_goals inner join _d_int_forms as f using (course_id) -- staging.x\n"
        "where f.kind = 'a'")


def test_a_form_under_two_courses_and_then_under_one(built: Path, tmp_path: Path) -> None:
    """A form whose rows name two courses is read as one (the smaller course id's).
    When the export then takes the smaller course's rows of it away, the form is the
    other course's alone: that course must be redone too, though nothing of its own
    changed."""
    incremental_db = tmp_path / "incremental.duckdb"
    shutil.copyfile(built, incremental_db)

    def change_and_refresh(statements: list[tuple[str, list]], folder: str) -> list[int]:
        con = connect(incremental_db)
        try:
            counts = [con.execute(sql, params).fetchone()[0] for sql, params in statements]
            result = refresh(con, load_config(), as_of=AS_OF)
        finally:
            con.close()
        assert result.mode == "incremental", result.reason
        (tmp_path / folder).mkdir()
        compare_with_full_build(incremental_db, tmp_path / folder, AS_OF)
        return counts

    con = connect(incremental_db, read_only=True)
    try:
        first, second = (r[0] for r in con.execute(
            "select course_id from staging.courses where course_id in "
            "(select course_id from staging.measurements) order by course_id limit 2"
        ).fetchall())
        form = con.execute("select min(form_id) from staging.measurements where course_id = ?",
                           [first]).fetchone()[0]
    finally:
        con.close()
    # the export names the second course on one of the form's rows ...
    assert change_and_refresh([(
        "update staging.measurements set course_id = ? where form_id = ? and item_no = "
        "(select max(item_no) from staging.measurements where form_id = ?)",
        [second, form, form])], "shared") == [1]
    con = connect(incremental_db, read_only=True)
    try:
        assert con.execute("select course_id from build_state.shared_forms where form_id = ? "
                           "order by 1", [form]).fetchall() == [(first,), (second,)]
    finally:
        con.close()
    # ... and the next export takes the first course's rows of the form away
    gone, courses = change_and_refresh([
        ("delete from staging.measurements where form_id = ? and course_id = ?", [form, first]),
        ("select count(distinct course_id) from staging.measurements where form_id = ?",
         [form]),
    ], "alone")
    assert gone > 0 and courses == 1
