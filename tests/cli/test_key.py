"""``datadialog key show`` / ``key rotate`` and how ``ingest`` reports a key it refuses:
one line, no traceback, exit code 2 (real databases and key files, no mocks)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from datadialog.config_load import DEFAULT_CONFIG_DIR
from datadialog.db import connect
from datadialog.privacy import create_key_file, key_fingerprint
from tests.support.paths import INGEST_FIXTURES

ENV = "DATADIALOG_PSEUDONYM_KEY"
KEY_TEXT = "cli-key-test-0123456789abcdef"
OTHER_TEXT = "cli-key-test-another-key-0123456789"


@pytest.fixture
def work(tmp_path: Path, monkeypatch) -> Path:
    """A working folder with the project's config and the key file inside it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV, raising=False)
    shutil.copytree(DEFAULT_CONFIG_DIR, tmp_path / "config")
    organisation = tmp_path / "config" / "organisation.yaml"
    default = '"~/.config/datadialog/pseudonym.key"'
    text = organisation.read_text(encoding="utf-8")
    assert default in text
    key_file = tmp_path / "keys" / "pseudonym.key"
    organisation.write_text(text.replace(default, f'"{key_file}"'), encoding="utf-8")
    return tmp_path


def run(*args: str, env: dict | None = None):
    """``datadialog <args> --config config`` (the test's config: its key file in tmp_path)."""
    return CliRunner().invoke(
        app, [*args, "--config", "config"], env={"COLUMNS": "200", **(env or {})}
    )


def citizens_count(db: Path) -> int:
    con = connect(db)
    try:
        return con.execute("select count(*) from staging.citizens").fetchone()[0]
    finally:
        con.close()


def ingest(*files: Path, env: dict | None = None):
    return run("ingest", *map(str, files), "--db", "data/k.duckdb", env=env)


def test_ingest_refuses_another_key_in_one_line_with_exit_code_2(work: Path) -> None:
    first = ingest(INGEST_FIXTURES / "a_borgere_20240301.csv")
    assert first.exit_code == 0, first.output
    key_file = work / "keys" / "pseudonym.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert "Created a new pseudonym key" in first.stderr
    assert first.stderr.count("Created a new pseudonym key") == 1  # not again by the log
    result = ingest(INGEST_FIXTURES / "a_forloeb_20240301.csv", env={ENV: OTHER_TEXT})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1  # one line, however long
    message = result.stderr
    old = key_fingerprint(key_file.read_text().strip().encode())[:8]
    assert f"fingerprint {key_fingerprint(OTHER_TEXT.encode())[:8]}" in message
    assert f"fingerprint {old}" in message and "datadialog key rotate" in message
    assert citizens_count(work / "data" / "k.duckdb") == 4


def test_ingest_refuses_a_lost_key_and_a_key_file_others_may_read(work: Path) -> None:
    assert ingest(INGEST_FIXTURES / "a_borgere_20240301.csv").exit_code == 0
    key_file = work / "keys" / "pseudonym.key"
    key_file.chmod(0o644)
    loose = ingest(INGEST_FIXTURES / "a_forloeb_20240301.csv")
    assert loose.exit_code == 2
    assert f"chmod 600 {key_file}" in " ".join(loose.stderr.split())
    key_file.unlink()
    lost = ingest(INGEST_FIXTURES / "a_forloeb_20240301.csv")
    assert lost.exit_code == 2 and "Traceback" not in lost.output
    assert "no new key was made" in " ".join(lost.stderr.split())
    assert not key_file.exists()


def test_key_show_and_rotate(work: Path) -> None:
    env = {ENV: KEY_TEXT}
    inbox = work / "data" / "inbox"
    inbox.mkdir(parents=True)
    for path in sorted(INGEST_FIXTURES.glob("a_*.csv")):
        shutil.copy(path, inbox)
    loaded = run("ingest", "--inbox", env=env)
    assert loaded.exit_code == 0, loaded.output
    old = key_fingerprint(KEY_TEXT.encode())[:8]
    shown = run("key", "show", env=env)
    assert shown.exit_code == 0, shown.output
    assert f"key:      {old}" in shown.output and f"database: {old}" in shown.output
    assert "match:    yes" in shown.output
    other = run("key", "show", env={**env, ENV: OTHER_TEXT})
    assert other.exit_code == 1 and "match:    no" in other.output

    new_file = work / "new.key"
    rotated = run("key", "rotate", "--new-key-file", str(new_file), env=env)
    assert rotated.exit_code == 0, rotated.output
    new = key_fingerprint(new_file.read_text().strip().encode())[:8]
    assert stat.S_IMODE(os.stat(new_file).st_mode) == 0o600
    assert f"fingerprint {old} -> {new}" in rotated.output
    assert "not the active key yet" in rotated.output
    assert citizens_count(work / "data" / "datadialog.duckdb") == 4
    refused = run("key", "show", env=env)
    assert refused.exit_code == 1 and f"database: {new}" in refused.output
    # after the rotation the way out is the new key, not "the original" one
    assert "use the key of the database's fingerprint (after a rotation, the new key)" in (
        " ".join(refused.output.split()))
    accepted = run("key", "show", env={**env, ENV: new_file.read_text()})
    assert accepted.exit_code == 0 and "match:    yes" in accepted.output


def test_rotate_without_the_archive_changes_nothing(work: Path) -> None:
    env = {ENV: KEY_TEXT}
    assert ingest(INGEST_FIXTURES / "a_borgere_20240301.csv", env=env).exit_code == 0
    db = work / "data" / "k.duckdb"
    data = db.read_bytes()
    new_file = work / "new.key"
    result = run("key", "rotate", "--new-key-file", str(new_file), "--db", str(db), env=env)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "not in data/archive" in " ".join(result.stderr.split())
    assert not new_file.exists()  # the key it made re-keyed nothing: removed
    assert db.read_bytes() == data


def test_rotate_refuses_a_new_key_file_others_may_read(work: Path) -> None:
    new_file = work / "new.key"
    create_key_file(new_file)
    new_file.chmod(0o640)
    result = run("key", "rotate", "--new-key-file", str(new_file))
    assert result.exit_code == 2
    assert f"chmod 600 {new_file}" in " ".join(result.stderr.split())


def test_a_refused_short_key_makes_no_database(work: Path) -> None:
    """A key refused as too short ends ingest before the database is made: no empty
    database file (nor its folder) is left behind to be taken for a load."""
    db = work / "data" / "new.duckdb"
    result = run(
        "ingest", str(INGEST_FIXTURES / "a_borgere_20240301.csv"), "--db", str(db),
        env={ENV: "short"},
    )
    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.split())
    assert f"the pseudonym key from env:{ENV} is too short (5 bytes" in message
    assert not db.exists() and not (work / "data").exists()
    assert not (work / "keys" / "pseudonym.key").exists()
