"""What a command says before it works on the wrong thing.

A step that reads what was loaded (build, check, due, site, prepare) on a database
path where no file is: one line naming the path and what to do, exit code 2, and no
file made there (a mistyped --db used to create an empty database that every later
step then reported as clean: "no deck is blocked", "nothing is due"). A meeting's decks
are not made from a database with nothing staged (they would show no citizen and could
be e-mailed); a team meeting whose team has no course, or a --date the series does not
meet on, is warned about."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from datadialog.db import connect
from transforms.schema import ensure_schema


def _invoke(args: list[str]):
    return CliRunner().invoke(app, args, env={"COLUMNS": "400"})


def _staged_and_built(tmp_path: Path, monkeypatch, build_config=None) -> Path:
    """A database with the fixtures' citizens and courses staged and built (with
    ``build_config``; default the bundled config)."""
    from datadialog.config_load import load_config
    from tests.support.paths import INGEST_FIXTURES
    from transforms.ingest import ingest_files
    from transforms.refresh import build_database

    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", "guard-test-key-0123456789abcdef")
    db = tmp_path / "datadialog.duckdb"
    con = connect(db)
    ingest_files(con, [INGEST_FIXTURES / "a_borgere_20240301.csv",
                       INGEST_FIXTURES / "a_forloeb_20240301.csv"], load_config())
    con.close()
    build_database(db, build_config or load_config())
    return db


@pytest.mark.parametrize("command", [
    ["build"],
    ["check", "--out", "{tmp}/q"],
    ["due", "--out", "{tmp}/due"],
    ["site", "--out", "{tmp}/site"],
    ["prepare", "borger_familie_nord", "--no-send", "--outbox", "{tmp}/outbox"],
], ids=lambda c: c[0])
def test_a_missing_database_is_named_and_not_made(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "typo" / "datadialog.duckdb"
    args = [part.format(tmp=tmp_path) for part in command] + ["--db", str(db)]
    result = _invoke(args)
    assert result.exit_code == 2, result.output
    assert f"no database at {db}" in result.output
    assert "datadialog ingest" in result.output
    assert "Traceback" not in result.output
    assert not db.exists() and not db.parent.exists()
    assert not (tmp_path / "outbox").exists()


@pytest.mark.parametrize("command", [
    ["ingest", "{fixture}"],
    ["build"],
    ["check", "--out", "{tmp}/q"],
    ["due", "--out", "{tmp}/due"],
    ["site", "--out", "{tmp}/site"],
], ids=lambda c: c[0])
def test_a_database_that_is_a_folder_is_named_so(tmp_path: Path, command: list[str]) -> None:
    """--db naming a folder: ingest crashed with a traceback (DuckDB's 'Is a directory'),
    the others said nothing was loaded there; all now say it is a folder, exit 2."""
    from tests.support.paths import INGEST_FIXTURES

    folder = tmp_path / "data"
    folder.mkdir()
    fixture = INGEST_FIXTURES / "a_borgere_20240301.csv"
    args = [part.format(tmp=tmp_path, fixture=fixture) for part in command]
    result = _invoke([*args, "--db", str(folder)])
    assert result.exit_code == 2, result.output
    assert f"the database {folder} is a folder: give the database file, e.g. " in " ".join(
        result.output.split())
    assert "Traceback" not in result.output


def test_a_meeting_of_a_database_with_nothing_staged_is_not_prepared(tmp_path: Path) -> None:
    db = tmp_path / "datadialog.duckdb"
    con = connect(db)  # the tables made, nothing loaded into them
    ensure_schema(con)
    con.close()
    outbox = tmp_path / "outbox"
    result = _invoke(["prepare", "borger_familie_nord", "--no-send", "--db", str(db),
                      "--outbox", str(outbox)])
    assert result.exit_code == 2, result.output
    assert "holds no staged courses or measurements" in result.output
    assert not outbox.exists()


def test_due_lists_of_a_database_with_nothing_staged_say_so(tmp_path: Path) -> None:
    db = tmp_path / "datadialog.duckdb"
    con = connect(db)
    ensure_schema(con)
    con.close()
    result = _invoke(["due", "--db", str(db), "--out", str(tmp_path / "due")])
    assert result.exit_code == 1, result.output  # "nothing is due" is no answer here
    assert "holds no staged courses or measurements" in result.output
    assert "then make the lists again" in result.output
    assert "nothing is due" not in result.output
    assert not (tmp_path / "due").exists()


def test_checks_of_a_database_with_nothing_staged_store_no_clean_run(tmp_path: Path) -> None:
    """README: check "says so rather than pass as clean": exit code 1, no quality run
    stored, no report, and no "no deck is blocked"."""
    import duckdb

    db = tmp_path / "datadialog.duckdb"
    con = connect(db)
    ensure_schema(con)
    con.close()
    result = _invoke(["check", "--db", str(db), "--out", str(tmp_path / "q")])
    assert result.exit_code == 1, result.output
    assert "holds no staged courses or measurements" in result.output
    assert "then run the checks again" in result.output
    assert "no deck is blocked" not in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "q").exists()
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.sql("select count(*) from quality.runs").fetchone() == (0,)


def test_a_team_meeting_whose_team_has_no_course_is_warned_about(tmp_path: Path,
                                                                  monkeypatch) -> None:
    """The fixtures stage courses of familie_nord, unge_syd and boern_vest; voksen_oest's
    only course is quarantined: its meeting would show no citizen, and says so."""
    from datadialog.config_load import load_config
    from tests.support.paths import INGEST_FIXTURES
    from transforms.ingest import ingest_files
    from transforms.refresh import build_database

    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", "team-warning-test-key-0123456789")
    db = tmp_path / "datadialog.duckdb"
    con = connect(db)
    ingest_files(con, [INGEST_FIXTURES / "a_borgere_20240301.csv",
                       INGEST_FIXTURES / "a_forloeb_20240301.csv"], load_config())
    teams = dict(con.execute("select team_id, count(*) from staging.courses group by 1"
                             ).fetchall())
    con.close()
    assert teams == {"familie_nord": 1, "unge_syd": 1, "boern_vest": 1}
    build_database(db, load_config())
    args = ["--no-send", "--db", str(db), "--outbox", str(tmp_path / "outbox")]
    empty = _invoke(["prepare", "borger_voksen_oest", *args])
    assert f"team voksen_oest has no course in {db}: its deck shows no citizen" in (
        empty.output), empty.output
    served = _invoke(["prepare", "borger_familie_nord", *args])
    assert "has no course" not in served.output, served.output


def test_a_date_the_series_does_not_meet_on_is_warned_about(tmp_path: Path,
                                                            monkeypatch) -> None:
    """borger_familie_nord meets on Tuesdays; a Friday given by mistake makes decks for
    that Friday, and says it is not one of the series' days."""
    from datadialog.config_load import load_config
    from pipeline.calendar import is_meeting_day
    from pipeline.meeting import find_meeting

    meeting = find_meeting(load_config(), "borger_familie_nord")
    assert is_meeting_day(meeting, __import__("datetime").date(2026, 11, 10))
    db = _staged_and_built(tmp_path, monkeypatch)
    args = ["--no-send", "--db", str(db), "--outbox", str(tmp_path / "outbox")]
    friday = _invoke(["prepare", "borger_familie_nord", "--date", "2026-11-13", *args])
    assert "2026-11-13 is not a meeting day of borger_familie_nord (" in friday.output
    tuesday = _invoke(["prepare", "borger_familie_nord", "--date", "2026-11-10", *args])
    assert "is not a meeting day" not in tuesday.output, tuesday.output


def test_a_database_built_with_another_config_is_warned_about(tmp_path: Path,
                                                              monkeypatch) -> None:
    """After an upgrade (other model SQL) or a config edit, the models in the database are
    not what this datadialog would build: a figure may read a column the old build lacks
    (a BinderException in the deck) or show the old build's numbers. prepare says so and
    names the command that fixes it; after that build it is quiet."""
    import shutil

    from datadialog.config_load import load_config

    root = Path(__file__).resolve().parents[2]
    edited = tmp_path / "config"
    shutil.copytree(root / "config", edited)
    organisation = edited / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    assert "small_cell_k: 5 " in text
    organisation.write_text(text.replace("small_cell_k: 5 ", "small_cell_k: 6 "),
                            encoding="utf-8")
    db = _staged_and_built(tmp_path, monkeypatch, load_config(edited))  # built with k = 6
    args = ["--no-send", "--db", str(db), "--outbox", str(tmp_path / "outbox"),
            "--config", str(root / "config")]  # prepared with k = 5
    stale = _invoke(["prepare", "borger_familie_nord", *args])
    assert (f"{db} was built with another config or other model SQL than this datadialog "
            f"has: a figure may fail or show the numbers of that build. Run datadialog "
            f"build --db {db} first.") in stale.output, stale.output
    assert _invoke(["build", "--db", str(db), "--config", str(root / "config")]).exit_code == 0
    fresh = _invoke(["prepare", "borger_familie_nord", *args])
    assert "was built with another config" not in fresh.output, fresh.output


def test_a_scope_the_config_does_not_know_is_refused(tmp_path: Path) -> None:
    """check --scope team:familie_nrod used to run, find no rows and say "no deck is
    blocked", and stand as the newest run."""
    db = tmp_path / "datadialog.duckdb"
    connect(db).close()
    result = _invoke(["check", "--scope", "team:familie_nrod", "--db", str(db),
                      "--out", str(tmp_path / "q")])
    assert result.exit_code == 2, result.output
    assert "--scope team:familie_nrod: no team 'familie_nrod' in the config (known: " in (
        result.output)
    assert "familie_nord" in result.output


def test_a_load_after_the_last_build_is_warned_about(tmp_path: Path, monkeypatch) -> None:
    """Measurements loaded (or agreements returned) after the build are not in the marts
    the decks read: prepare says so instead of rendering the old build's data as the
    newest (the citizen deck said no agreements had come back)."""
    from datadialog.config_load import load_config
    from tests.support.paths import INGEST_FIXTURES
    from transforms.ingest import ingest_files
    from transforms.refresh import build_database

    db = _staged_and_built(tmp_path, monkeypatch)
    args = ["--no-send", "--db", str(db), "--outbox", str(tmp_path / "outbox")]
    warning = "exports or returned agreements were loaded after the last build"
    built = _invoke(["prepare", "borger_familie_nord", *args])
    assert warning not in built.output, built.output
    con = connect(db)
    ingest_files(con, [INGEST_FIXTURES / "a_maalinger_20240301.csv"], load_config())
    con.close()
    loaded = _invoke(["prepare", "borger_familie_nord", *args])
    assert f"{db}: {warning}, so the decks show the data of that build (without them). " \
           f"Run datadialog build --db {db} first." in loaded.output, loaded.output
    build_database(db, load_config())
    assert warning not in _invoke(["prepare", "borger_familie_nord", *args]).output
    con = connect(db)  # an agreement read back from a returned deck, after the build
    con.execute("insert into staging.agreements (meeting_id, agreed_on, text, loaded_at) "
                "values ('borger_familie_nord', date '2024-03-05', 'Ring til skolen', "
                "current_timestamp::timestamp)")
    con.close()
    assert warning in _invoke(["prepare", "borger_familie_nord", *args]).output


def _national_registry(tmp_path: Path) -> Path:
    """A valid national registry of one organisation (its folders need not exist)."""
    from datadialog.national_config import NationalRegistry, Organisation, write_registry

    org = Organisation(id="org_001", name="A", config_dir="c", inbox="i",
                       database="d.duckdb", outbox="o")
    return write_registry(NationalRegistry(exchange="exchange", out_dir="out",
                                           organisations=[org]), tmp_path / "national.yaml")


@pytest.mark.parametrize("command", [["deploy"], ["national", "deploy", "--registry", "x.yaml"]],
                         ids=["deploy", "national_deploy"])
def test_deploy_without_a_prefect_server_is_refused(command: list[str], tmp_path: Path,
                                                     monkeypatch) -> None:
    """Without PREFECT_API_URL, Prefect registered the deployments on a temporary server
    that stopped with the command, and `deploy` said they were there (exit 0). A profile
    that sets it (`prefect config set PREFECT_API_URL=...`) counts."""
    from cli.faults import prefect_api_url

    if command[0] == "national":  # a valid registry, so the server check is what stops it
        command = [*command[:-1], str(_national_registry(tmp_path))]
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    result = _invoke(command)
    assert result.exit_code == 2, result.output
    assert "needs a Prefect server: set PREFECT_API_URL" in result.output
    (tmp_path / "prefect").mkdir()
    (tmp_path / "prefect" / "profiles.toml").write_text(
        'active = "local"\n\n[profiles.local]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n',
        encoding="utf-8")
    assert prefect_api_url() == "http://127.0.0.1:4200/api"


def test_ingest_says_when_it_makes_a_new_database(tmp_path: Path, monkeypatch) -> None:
    """A mistyped --db used to fill a new database without a word."""
    from tests.support.paths import INGEST_FIXTURES

    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", "guards-new-db-key-0123456789")
    db = tmp_path / "new" / "x.duckdb"
    citizens = str(INGEST_FIXTURES / "a_borgere_20240301.csv")
    first = CliRunner().invoke(app, ["ingest", citizens, "--db", str(db)],
                               env={"COLUMNS": "400"})
    assert first.exit_code == 0, first.output
    assert f"new database: {db}" in first.output
    again = CliRunner().invoke(app, ["ingest", str(INGEST_FIXTURES / "a_forloeb_20240301.csv"),
                                     "--db", str(db)], env={"COLUMNS": "400"})
    assert "new database" not in again.output


def test_courses_loaded_before_their_citizens_say_what_to_do(tmp_path: Path,
                                                              monkeypatch) -> None:
    """Loaded one file at a time in the wrong order, every course is unknown_citizen and
    stays quarantined after the citizens come: the command says so (load the citizens,
    then the courses again with --reload) and exits 1; the reload stages them."""
    from tests.support.paths import INGEST_FIXTURES

    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", "guards-order-key-0123456789")
    db = tmp_path / "order.duckdb"
    courses = tmp_path / "a_forloeb_20240301.csv"
    rows = [f"C9{n:02d};B001;spaedbarn;;familie_nord;01-02-2024;;" for n in range(6)]
    courses.write_bytes(("\r\n".join(
        ["ForloebID;BorgerID;Indsats;Variant;Team;Startdato;Slutdato;Afslutningsaarsag",
         *rows, f"Antal rækker: {len(rows)}"]) + "\r\n")
        .encode("cp1252"))

    def ingest(*args: str):
        return CliRunner().invoke(app, ["ingest", *args, "--db", str(db)],
                                  env={"COLUMNS": "400"})

    first = ingest(str(courses))
    assert first.exit_code == 1, first.output
    assert ("quarantined a_forloeb_20240301.csv: every record is unknown_citizen (no loaded "
            "citizens table has them): load the citizens export, then this file again: "
            f"datadialog ingest --reload {courses}") in first.output
    assert ingest(str(INGEST_FIXTURES / "a_borgere_20240301.csv")).exit_code == 0
    again = ingest("--reload", str(courses))
    assert again.exit_code == 0, again.output
    con = connect(db)
    try:
        assert con.execute("select count(*) from staging.courses").fetchone() == (6,)
    finally:
        con.close()


@pytest.mark.parametrize("command", [
    ["ingest", "{fixture}"],
    ["build"],
    ["check", "--strict", "--out", "{tmp}/q"],
    ["due", "--out", "{tmp}/due"],
    ["site", "--out", "{tmp}/site"],
    ["prepare", "borger_familie_nord", "--no-send", "--outbox", "{tmp}/outbox"],
], ids=lambda c: c[0])
def test_a_config_that_does_not_validate_exits_2_everywhere(tmp_path: Path,
                                                             command: list[str]) -> None:
    """A typo in the config is 'could not start' (2) for every command: check --strict
    gave 1, its code for a blocked scope, so a scheduler could not tell them apart."""
    import shutil

    from tests.support.paths import INGEST_FIXTURES, REPO

    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    meetings = config / "meetings.yaml"
    text = meetings.read_text(encoding="utf-8")
    meetings.write_text(text.replace("lead_days:", "lead_dayz:", 1), encoding="utf-8")
    fixture = INGEST_FIXTURES / "a_borgere_20240301.csv"
    args = [part.format(tmp=tmp_path, fixture=fixture) for part in command]
    result = _invoke([*args, "--config", str(config), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2, result.output
    assert "lead_dayz: unknown key (did you mean 'lead_days'?)" in result.output


@pytest.mark.parametrize("command", [["deploy"], ["national", "deploy", "--registry", "x.yaml"],
                                     ["national", "run", "--registry", "x.yaml"]],
                         ids=["deploy", "national_deploy", "national_run"])
def test_a_prefect_server_that_does_not_answer_is_named(command: list[str], tmp_path: Path,
                                                        monkeypatch) -> None:
    """PREFECT_API_URL set to a port where nothing listens: deploy ended in a traceback
    of connection errors; now one line names the URL, exit 2."""
    import socket

    if command[0] == "national":
        command = [*command[:-1], str(_national_registry(tmp_path))]
    with socket.socket() as probe:  # a free port: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    monkeypatch.setenv("PREFECT_API_URL", url)
    result = _invoke(command)
    assert result.exit_code == 2, result.output
    assert f"needs a Prefect server, and none answers at {url}" in " ".join(
        result.output.split())
    assert "Traceback" not in result.output
