"""Key discipline: the database keeps the key's fingerprint; another key, a lost key or a
key file others may read is refused before anything is written; re-keying from the
archive (real DuckDB files, real key files, no mocks)."""

from __future__ import annotations

import os
import re
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest

from checks.run import run_checks
from datadialog.agreement_form import MeetingKey, RegisterRow, write_register
from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from datadialog.privacy import (
    PseudonymKeyError,
    PseudonymKeyMismatch,
    PseudonymKeyMissing,
    create_key_file,
    key_fingerprint,
    load_pseudonym_key,
)
from tests.support.exports import config_dir, export_files
from tests.support.paths import INGEST_FIXTURES
from transforms import rotate_key as rotate_key_module
from transforms.agreements import store_returned_file
from transforms.ingest import ingest_files, ingest_inbox
from transforms.pseudonym_key import stored_fingerprint
from transforms.refresh import build_database
from transforms.rotate_key import LOADED_TABLES, RotationError, rotate_key

ENV = "DATADIALOG_PSEUDONYM_KEY"
OTHER_KEY = "another-key-from-the-environment-0123"
CITIZENS = INGEST_FIXTURES / "a_borgere_20240301.csv"
COURSES = INGEST_FIXTURES / "a_forloeb_20240301.csv"


def config_with_key_file(path: Path) -> DatadialogConfig:
    config = load_config()
    privacy = config.privacy.model_copy(update={"pseudonym_key_file": str(path)})
    return config.model_copy(update={"privacy": privacy})


@pytest.fixture
def setup(tmp_path: Path, monkeypatch) -> tuple[DatadialogConfig, Path, Path]:
    """A config whose key file is in tmp_path (not yet made), no key in the environment."""
    monkeypatch.delenv(ENV, raising=False)
    key_file = tmp_path / "keys" / "pseudonym.key"
    return config_with_key_file(key_file), key_file, tmp_path / "key.duckdb"


def counts(db: Path) -> dict[str, int]:
    con = connect(db)
    try:
        out = {}
        for table in (*LOADED_TABLES, "staging.loads", "main.pseudonym_key"):
            schema, name = table.split(".")
            out[table] = con.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]
        return out
    finally:
        con.close()


def first_load(config: DatadialogConfig, db: Path, *files: Path) -> None:
    con = connect(db)
    try:
        reports = ingest_files(con, list(files or [CITIZENS]), config)
    finally:
        con.close()
    assert {r.status for r in reports} == {"loaded"}


def test_first_load_creates_the_key_and_stores_its_fingerprint(setup) -> None:
    config, key_file, db = setup
    first_load(config, db)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = key_file.read_text().strip().encode()
    con = connect(db)
    try:
        stored = stored_fingerprint(con)
    finally:
        con.close()
    assert stored is not None
    assert stored.fingerprint == key_fingerprint(key)
    assert len(stored.fingerprint) == 64
    assert stored.origin == f"file:{key_file}"
    first_load(config, db, COURSES)  # the same key again: accepted


def test_another_key_in_the_environment_is_refused_and_nothing_is_written(
    setup, monkeypatch
) -> None:
    config, key_file, db = setup
    first_load(config, db)
    before = counts(db)
    assert before["staging.citizens"] == 4
    monkeypatch.setenv(ENV, OTHER_KEY)
    con = connect(db)
    try:
        with pytest.raises(PseudonymKeyMismatch) as caught:
            ingest_files(con, [COURSES, CITIZENS], config)
    finally:
        con.close()
    message = str(caught.value)
    old = key_fingerprint(key_file.read_text().strip().encode())[:8]
    new = key_fingerprint(OTHER_KEY.encode())[:8]
    assert f"fingerprint {new}" in message and f"fingerprint {old}" in message
    assert "datadialog key rotate" in message and str(key_file) in message
    assert "\n" not in message
    assert counts(db) == before


def test_a_lost_key_is_not_replaced(setup) -> None:
    config, key_file, db = setup
    first_load(config, db)
    expected = key_fingerprint(key_file.read_text().strip().encode())[:8]
    key_file.unlink()
    before = counts(db)
    con = connect(db)
    try:
        expects = f"expects the key with fingerprint {expected}"
        with pytest.raises(PseudonymKeyMissing, match=expects):
            ingest_files(con, [COURSES], config)
    finally:
        con.close()
    assert not key_file.exists()
    assert counts(db) == before


def test_a_database_from_before_fingerprints_never_gets_a_new_key(setup) -> None:
    config, key_file, db = setup
    first_load(config, db)
    con = connect(db)
    con.execute("delete from main.pseudonym_key")  # as made by an earlier version
    con.close()
    key_file.unlink()
    con = connect(db)
    try:
        with pytest.raises(PseudonymKeyMissing, match="already holds pseudonyms"):
            ingest_files(con, [COURSES], config)
    finally:
        con.close()
    assert not key_file.exists()


def test_a_key_file_others_may_read_is_refused(setup, monkeypatch) -> None:
    config, key_file, db = setup
    create_key_file(key_file)
    key_file.chmod(0o644)
    with pytest.raises(PseudonymKeyError, match=f"chmod 600 {key_file}"):
        load_pseudonym_key(config.privacy, environ={})
    con = connect(db)
    try:
        with pytest.raises(PseudonymKeyError, match="chmod 600"):
            ingest_files(con, [CITIZENS], config)
    finally:
        con.close()
    assert counts(db)["staging.citizens"] == 0
    # the environment variable does not depend on the file
    monkeypatch.setenv(ENV, OTHER_KEY)
    assert load_pseudonym_key(config.privacy).origin == f"env:{ENV}"
    key_file.chmod(0o600)
    monkeypatch.delenv(ENV)
    assert load_pseudonym_key(config.privacy).origin == f"file:{key_file}"


# ---------------------------------------------------------------- rotation


def pseudonyms(db: Path) -> dict[str, list[str]]:
    con = connect(db)
    try:
        return {
            "citizens": [r[0] for r in con.execute("select citizen_id from staging.citizens")
                         .fetchall()],
            "courses": [r[0] for r in con.execute(
                "select citizen_id from staging.courses order by course_id").fetchall()],
            "landing": [r[0] for r in con.execute(
                "select citizen_id from landing.citizens_fields where citizen_id like 'P-%' "
                "union all select citizen_id from landing.courses_fields "
                "where citizen_id like 'P-%'").fetchall()],
            "quarantine": [r[0] for r in con.execute(
                "select value from staging.quarantine where rule = 'unknown_citizen'")
                .fetchall()],
        }
    finally:
        con.close()


def males(db: Path) -> int:
    con = connect(db)
    try:
        return con.execute(
            "select count(*) from staging.citizens where gender = 'male'"
        ).fetchone()[0]
    finally:
        con.close()


def load_inbox(config: DatadialogConfig, db: Path, inbox: Path, archive: Path, files) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy(path, inbox / path.name)
    con = connect(db)
    try:
        reports = ingest_inbox(con, config, inbox=inbox, archive=archive)
    finally:
        con.close()
    assert {r.status for r in reports} == {"loaded"}, [r.error for r in reports]


def test_rotation_rekeys_every_pseudonym_from_the_archive(setup, tmp_path: Path) -> None:
    config, key_file, db = setup
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    load_inbox(config, db, inbox, archive, sorted(INGEST_FIXTURES.glob("a_*.csv")))
    # a corrected re-export replaces the first citizens file (archived as name.1.csv)
    corrected = tmp_path / "a_borgere_20240301.csv"
    corrected.write_bytes(CITIZENS.read_bytes().replace(b"B001;K;", b"B001;M;"))
    assert corrected.read_bytes() != CITIZENS.read_bytes()
    load_inbox(config, db, inbox, archive, [corrected])
    build_database(db, config, as_of=date(2024, 3, 1))  # the models hold pseudonyms too
    before, old = counts(db), pseudonyms(db)
    assert before["staging.citizens"] == 4 and len(old["quarantine"]) == 1
    assert males(db) == 2  # the corrected re-export counts, not the first version
    new_key = create_key_file(tmp_path / "new.key")
    result = rotate_key(db, config, new_key, [archive])
    after, new = counts(db), pseudonyms(db)
    assert after == before  # the same citizens, courses, quarantine ..., nothing twice
    assert result.files == before["staging.loads"] == 10
    assert result.citizens_before == result.citizens_after == 4
    for kind, ids in new.items():
        assert len(ids) == len(old[kind]) and ids, kind
        assert not set(ids) & set(old[kind]), kind  # every pseudonym changed
    assert len(set(new["citizens"])) == 4
    assert set(new["courses"]) <= set(new["citizens"])
    con = connect(db)
    try:
        assert stored_fingerprint(con).fingerprint == new_key.fingerprint != result.old_fingerprint
        statuses = con.execute(
            "select status, count(*) from staging.loads group by all order by all"
        ).fetchall()
    finally:
        con.close()
    assert statuses == [("loaded", 9), ("replaced", 1)]
    assert males(db) == 2
    assert result.rebuilt_as_of == date(2024, 3, 1)
    con = connect(db)
    try:
        modelled = {r[0] for r in con.execute("select citizen_id from int_courses").fetchall()}
    finally:
        con.close()
    assert modelled and modelled <= set(new["citizens"])
    assert not list(tmp_path.glob(".key-rekey-*"))
    # the old key is refused now, the new one accepted
    con = connect(db)
    try:
        with pytest.raises(PseudonymKeyMismatch):
            ingest_files(con, [CITIZENS], config)
        (again,) = ingest_files(con, [CITIZENS], config, key=new_key)
    finally:
        con.close()
    assert again.status == "skipped"


def test_rotation_needs_every_loaded_file_and_changes_nothing_without(
    setup, tmp_path: Path
) -> None:
    config, key_file, db = setup
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    load_inbox(config, db, inbox, archive, [CITIZENS, COURSES])
    next(archive.rglob("a_forloeb_20240301.csv")).unlink()
    before, old, data = counts(db), pseudonyms(db), db.read_bytes()
    with pytest.raises(RotationError, match=r"1 of 2 loaded file\(s\) are not in .*a_forloeb"):
        rotate_key(db, config, create_key_file(tmp_path / "new.key"), [archive])
    assert db.read_bytes() == data
    assert counts(db) == before and pseudonyms(db) == old


def test_rotation_to_the_same_key_is_refused(setup, tmp_path: Path) -> None:
    config, key_file, db = setup
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    load_inbox(config, db, inbox, archive, [CITIZENS])
    key = load_pseudonym_key(config.privacy)
    with pytest.raises(RotationError, match="already has"):
        rotate_key(db, config, key, [archive])


def test_rotating_a_database_without_loads_records_the_new_key(setup, tmp_path: Path) -> None:
    config, key_file, db = setup
    con = connect(db)
    try:
        assert ingest_files(con, [tmp_path / "no_such_file.csv"], config)[0].status == "failed"
        old = stored_fingerprint(con).fingerprint
    finally:
        con.close()
    new_key = create_key_file(tmp_path / "new.key")
    result = rotate_key(db, config, new_key, [tmp_path / "archive"])
    assert result.files == 0 and result.old_fingerprint == old
    con = connect(db)
    try:
        assert stored_fingerprint(con).fingerprint == new_key.fingerprint
        assert con.execute("select count(*) from staging.loads").fetchone()[0] == 1  # failed
    finally:
        con.close()


# ---------------------------------------------------------------- rotation: every place


def text_values(db: Path) -> dict[str, list[str]]:
    """Every text value holding 'P-' in every text column of every table, by column."""
    con = connect(db)
    try:
        columns = con.execute(
            "select c.schema_name, c.table_name, c.column_name from duckdb_columns() c "
            "join duckdb_tables() t using (database_name, schema_name, table_name) "
            "where c.database_name = current_database() and c.data_type = 'VARCHAR'"
        ).fetchall()
        out = {}
        for schema, table, column in columns:
            values = con.execute(
                f'select "{column}" from "{schema}"."{table}" where contains("{column}", \'P-\')'
            ).fetchall()
            if values:
                out[f"{schema}.{table}.{column}"] = [v for (v,) in values]
        return out
    finally:
        con.close()


def old_pseudonyms_left(db: Path, old: set[str]) -> dict[str, set[str]]:
    """Where a text still names an old pseudonym, whole or shortened as on slides."""
    left: dict[str, set[str]] = {}
    for where, values in text_values(db).items():
        for value in values:
            for token in re.findall(r"(?<![0-9A-Za-z])P-[0-9a-f]{6,16}(?![0-9A-Za-z])", value):
                if any(pid.startswith(token) for pid in old):
                    left.setdefault(where, set()).add(token)
    return left


def all_pseudonyms(db: Path) -> set[str]:
    """Every pseudonym the database holds (whole values of any text column)."""
    return {
        token
        for values in text_values(db).values()
        for value in values
        for token in re.findall(r"(?<![0-9A-Za-z])P-[0-9a-f]{16}(?![0-9A-Za-z])", value)
    }


def agreements(db: Path) -> list[tuple]:
    con = connect(db)
    try:
        return con.execute(
            "select a.course_id, a.subject, a.text, c.citizen_id from staging.agreements a "
            "left join staging.courses c using (course_id) order by a.text"
        ).fetchall()
    finally:
        con.close()


def return_register(db: Path, tmp_path: Path, rows: list[RegisterRow]) -> None:
    register = tmp_path / f"{rows[0].key.meeting_id}_{rows[0].key.meeting_date}_aftaler.xlsx"
    write_register(register, rows)
    con = connect(db)
    try:
        store_returned_file(con, register)
    finally:
        con.close()


def run_quality(db: Path, config: DatadialogConfig) -> None:
    con = connect(db)
    try:
        run_checks(con, config)
    finally:
        con.close()


def test_rotation_rekeys_the_agreements_read_back_from_meetings(setup, tmp_path: Path) -> None:
    """An agreement names its citizen by pseudonym (shortened as on the deck's agreement
    sheet, or whole in its text): after re-keying it names the citizen's new pseudonym,
    and no old pseudonym is left in any text column of any table."""
    config, key_file, db = setup
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    load_inbox(config, db, inbox, archive, sorted(INGEST_FIXTURES.glob("a_*.csv")))
    build_database(db, config, as_of=date(2024, 3, 1))
    ((citizen,),) = connect_fetch(db, "select citizen_id from staging.courses "
                                  "where course_id = 'C001'")
    key = MeetingKey("borger_familie_nord", date(2024, 3, 5), "C001")
    return_register(db, tmp_path, [
        RegisterRow(key, citizen[:8], "Samtale om søvn", "Bo Hansen", date(2024, 3, 20)),
        RegisterRow(key, citizen[:8], f"Ring til mor ({citizen})", "Bo Hansen",
                    date(2024, 3, 21)),
        RegisterRow(key, citizen[:8], "Uden ansvarlig", "", date(2024, 3, 21)),  # refused
    ])
    run_quality(db, config)
    old = all_pseudonyms(db)
    assert citizen in old and len(old) >= 4
    assert old_pseudonyms_left(db, old)["staging.agreements.subject"] == {citizen[:8]}
    before = counts(db)
    assert before["staging.quarantine"] == 20  # one of them the agreement without an owner

    new_key = create_key_file(tmp_path / "new.key")
    result = rotate_key(db, config, new_key, [archive])

    assert result.differences == []
    assert counts(db) == before  # the refused agreement row is kept, not lost
    ((new_citizen,),) = connect_fetch(db, "select citizen_id from staging.courses "
                                      "where course_id = 'C001'")
    assert new_citizen != citizen
    assert agreements(db) == [
        ("C001", new_citizen[:8], f"Ring til mor ({new_citizen})", new_citizen),
        ("C001", new_citizen[:8], "Samtale om søvn", new_citizen),
    ]
    assert old_pseudonyms_left(db, old) == {}
    # the agreement still reaches its citizen on the marts
    assert connect_fetch(db, "select distinct citizen_id from mart_citizen_agreements") == [
        (new_citizen,)]


def test_rotation_rekeys_derived_course_ids_in_agreements_and_quality_failures(
    setup, tmp_path: Path
) -> None:
    """A system without course ids (famdok: the id is the keyed hash of citizen number and
    intervention): an agreement's course, the quality failures' courses and forms are
    pseudonyms too, and are re-keyed with the rest."""
    _config, _key_file, db = setup
    config = load_config(config_dir("famdok", tmp_path))
    privacy = config.privacy.model_copy(update={"pseudonym_key_file": str(_key_file)})
    config = config.model_copy(update={"privacy": privacy})
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    load_inbox(config, db, inbox, archive, export_files("famdok"))
    build_database(db, config, as_of=date(2024, 9, 1))
    course, citizen = connect_fetch(db, "select course_id, citizen_id from staging.courses "
                                    "order by course_id limit 1")[0]
    assert course.startswith("P-")
    key = MeetingKey("borger_familie_nord", date(2024, 9, 3), course)
    return_register(db, tmp_path, [
        RegisterRow(key, citizen[:8], "Samtale", "Bo Hansen", date(2024, 9, 20))])
    run_quality(db, config)
    old = all_pseudonyms(db)
    assert {course, citizen} <= old
    stored = old_pseudonyms_left(db, old)
    assert "staging.agreements.course_id" in stored
    assert any(where.startswith("quality.failures.") for where in stored), stored

    rotate_key(db, config, create_key_file(tmp_path / "new.key"), [archive])

    assert old_pseudonyms_left(db, old) == {}
    ((agreed_course, subject, _text, agreed_citizen),) = agreements(db)
    assert agreed_course.startswith("P-") and agreed_course != course
    assert agreed_citizen is not None and subject == agreed_citizen[:8]


def test_a_rotation_that_fails_while_rekeying_in_place_leaves_the_database(
    setup, tmp_path: Path, monkeypatch
) -> None:
    config, key_file, db = setup
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    load_inbox(config, db, inbox, archive, [CITIZENS, COURSES])
    ((citizen,),) = connect_fetch(db, "select citizen_id from staging.courses "
                                  "where course_id = 'C001'")
    key = MeetingKey("borger_familie_nord", date(2024, 3, 5), "C001")
    return_register(db, tmp_path, [
        RegisterRow(key, citizen[:8], "Samtale", "Bo Hansen", date(2024, 3, 20))])
    data = db.read_bytes()

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    # the re-keying in place fails after the replay has written the new pseudonyms
    monkeypatch.setattr(rotate_key_module, "_rekey_agreements", crash)
    with pytest.raises(OSError, match="disk full"):
        rotate_key(db, config, create_key_file(tmp_path / "new.key"), [archive])
    assert db.read_bytes() == data
    assert not list(tmp_path.glob(".key-rekey-*"))


def test_a_rotation_removes_the_copy_an_interrupted_one_left(setup, tmp_path: Path) -> None:
    """A rotation killed mid-way (kill -9) leaves its work copy, every citizen's data
    half re-keyed, beside the database; the next rotation removes it and says so. The
    copy of a rotation still running (its process alive) is left alone."""
    import subprocess
    import sys

    config, key_file, db = setup
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    load_inbox(config, db, inbox, archive, [CITIZENS, COURSES])
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)  # that process has ended
    left = [db.with_name(f".{db.stem}-rekey-{dead_pid}{db.suffix}"),
            db.with_name(f".{db.stem}-rekey-{dead_pid}{db.suffix}.wal")]
    alive = db.with_name(f".{db.stem}-rekey-{os.getppid()}{db.suffix}")
    for path in (*left, alive):
        path.write_bytes(b"half re-keyed")
    result = rotate_key(db, config, create_key_file(tmp_path / "new.key"), [archive])
    assert result.leftovers_removed == sorted(left)
    assert not any(path.exists() for path in left)
    assert alive.exists()


def connect_fetch(db: Path, sql: str) -> list[tuple]:
    con = connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
