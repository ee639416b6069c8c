"""The inbox (archive, checksums.csv, failed/) and the ``datadialog ingest`` command."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from tests.support.paths import INGEST_FIXTURES
from transforms.ingest import ingest_inbox

FIXTURES = INGEST_FIXTURES
KEY_TEXT = "cli-test-key-0123456789abcdef"
KEY = PseudonymKey(KEY_TEXT.encode(), "test")


@pytest.fixture(autouse=True)
def _key(monkeypatch) -> None:
    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", KEY_TEXT)


def fill_inbox(inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for name in ("a_borgere_20240301.csv", "a_forloeb_20240301.csv"):
        shutil.copy(FIXTURES / name, inbox)
    (inbox / "a_borgere_20240302.csv").write_bytes(b"")  # empty: fails


def test_inbox_moves_files_and_keeps_a_ledger(tmp_path: Path) -> None:
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    fill_inbox(inbox)
    con = connect(tmp_path / "inbox.duckdb")
    reports = ingest_inbox(con, load_config(), inbox=inbox, archive=archive, key=KEY)
    assert sorted((r.file_name, r.status) for r in reports) == [
        ("a_borgere_20240301.csv", "loaded"),
        ("a_borgere_20240302.csv", "failed"),
        ("a_forloeb_20240301.csv", "loaded"),
    ]
    day = archive / date.today().isoformat()
    assert sorted(p.name for p in day.iterdir()) == [
        "a_borgere_20240301.csv",
        "a_forloeb_20240301.csv",
    ]
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == [
        "a_borgere_20240302.csv",
        "a_borgere_20240302.csv.error.txt",
    ]
    error = (inbox / "failed" / "a_borgere_20240302.csv.error.txt").read_text()
    assert error == "a_borgere_20240302.csv: the file is empty (0 bytes)\n"
    assert [p.name for p in inbox.iterdir()] == ["failed"]
    with (archive / "checksums.csv").open(newline="") as handle:
        ledger = list(csv.DictReader(handle))
    assert [row["name"] for row in ledger] == ["a_borgere_20240301.csv", "a_forloeb_20240301.csv"]
    by_name = {r.file_name: r for r in reports}
    for row in ledger:
        assert row["sha256"] == by_name[row["name"]].sha256
        assert row["load_id"] == by_name[row["name"]].load_id
        assert row["status"] == "loaded"
    # the same export dropped again is archived as skipped
    shutil.copy(FIXTURES / "a_borgere_20240301.csv", inbox)
    (again,) = ingest_inbox(con, load_config(), inbox=inbox, archive=archive, key=KEY)
    assert again.status == "skipped"
    assert (day / "a_borgere_20240301.1.csv").exists()
    with (archive / "checksums.csv").open(newline="") as handle:
        assert list(csv.DictReader(handle))[-1]["status"] == "skipped"
    con.close()


def test_cli_ingest_prints_a_table_and_fails_on_a_bad_file(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    bad = tmp_path / "a_borgere_20240309.csv"
    bad.write_bytes(b"BorgerID;Koen;Foedselsaar\r\nB1;K\r\n")
    files = [FIXTURES / "a_forloeb_20240301.csv", FIXTURES / "a_borgere_20240301.csv", bad]
    result = CliRunner().invoke(
        app, ["ingest", *map(str, files), "--db", str(db)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 1, result.output
    out = result.output
    assert "a_borgere_20240301.csv" in out and "a_forloeb_20240301.csv" in out
    assert "error a_borgere_20240309.csv: line 2: expected 3 fields, found 2" in out
    row = next(x for x in out.splitlines() if "a_forloeb_20240301.csv" in x and "│" in x)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells == ["a_forloeb_20240301.csv", "loaded", "8", "3", "0", "5", "0"]
    con = connect(db)
    assert con.execute("select count(*) from staging.courses").fetchone() == (3,)
    con.close()


def test_cli_table_fits_an_80_column_terminal(tmp_path: Path) -> None:
    files = sorted(FIXTURES.glob("a_*.csv"))
    result = CliRunner().invoke(
        app, ["ingest", *map(str, files), "--db", str(tmp_path / "n.duckdb")],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    header = next(x for x in lines if "┃ file" in x)
    assert [c.strip() for c in header.split("┃") if c.strip()] == [
        "file", "status", "in", "staged", "same", "quarant.", "CPR"
    ]
    # one line per file, every count on it
    row = next(x for x in lines if "a_registreringer_20240301.csv" in x and "│" in x)
    assert [c.strip() for c in row.split("│") if c.strip()] == [
        "a_registreringer_20240301.csv", "loaded", "3", "2", "0", "1", "0"
    ]


def test_cli_inbox_and_exit_code_zero(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    inbox = tmp_path / "data" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(FIXTURES / "a_borgere_20240301.csv", inbox)
    result = CliRunner().invoke(app, ["ingest", "--inbox"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "datadialog.duckdb").exists()
    assert (tmp_path / "data" / "archive" / "checksums.csv").exists()
    assert list(inbox.iterdir()) == []


def test_cli_needs_files_or_inbox() -> None:
    result = CliRunner().invoke(app, ["ingest"])
    assert result.exit_code == 2


def test_cli_empty_folder_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    empty = tmp_path / "exports"
    empty.mkdir()
    env = {"COLUMNS": "200"}
    named = CliRunner().invoke(app, ["ingest", str(empty)], env=env)
    assert named.exit_code == 1
    assert f"no export files found in {empty}" in named.output
    inbox = CliRunner().invoke(app, ["ingest", "--inbox", str(empty)], env=env)
    assert inbox.exit_code == 0, inbox.output
    assert f"nothing to load: {empty} holds no export files" in inbox.output



def test_cli_nothing_to_load_makes_no_database(tmp_path: Path, monkeypatch) -> None:
    """An empty inbox, an absent one or an empty folder named: the command says there is
    nothing to load and leaves no database, log file or folder behind."""
    monkeypatch.chdir(tmp_path)
    env = {"COLUMNS": "200"}
    (tmp_path / "data" / "inbox").mkdir(parents=True)
    empty = CliRunner().invoke(app, ["ingest", "--inbox"], env=env)
    assert empty.exit_code == 0, empty.output
    assert not (tmp_path / "data" / "datadialog.duckdb").exists()
    assert "nothing to load: data/inbox holds no export files" in empty.output
    (tmp_path / "data" / "inbox").rmdir()
    absent = CliRunner().invoke(app, ["ingest", "--inbox"], env=env)
    assert absent.exit_code == 0, absent.output
    assert "nothing to load: data/inbox does not exist" in absent.output
    (tmp_path / "exports").mkdir()
    named = CliRunner().invoke(app, ["ingest", "exports", "--db", "named.duckdb"], env=env)
    assert named.exit_code == 1
    assert "no export files found in exports" in named.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "data", "exports"
    ]

def test_cli_table_never_cuts_a_count(tmp_path: Path) -> None:
    """At 80 columns long file names give way (ellipsis); counts and status never do."""
    from rich.console import Console

    from cli.ingest import _print_reports
    from transforms.ingest.model import FileReport

    reports = [
        FileReport(
            path=tmp_path / "a_registreringer_og_meget_lange_navne_20261031.csv",
            status="loaded", rows_in=1_234_567, rows_staged=1_234_000, rows_unchanged=500,
            rows_quarantined=67, cpr_masked=12,
        ),
        FileReport(path=tmp_path / "b_export_20261031.xlsx", status="skipped"),
    ]
    console = Console(width=80, record=True, force_terminal=False)
    _print_reports(console, reports)
    lines = console.export_text().splitlines()
    assert all(len(line) <= 80 for line in lines)
    first = next(x for x in lines if "a_registreringer" in x and "│" in x)
    cells = [c.strip() for c in first.split("│") if c.strip()]
    assert cells[0].endswith("…")
    assert cells[1:] == ["loaded", "1,234,567", "1,234,000", "500", "67", "12"]
    second = next(x for x in lines if "b_export" in x and "│" in x)
    assert [c.strip() for c in second.split("│") if c.strip()][1] == "skipped"


def test_cli_reports_what_a_corrected_reexport_removed(tmp_path: Path) -> None:
    db = str(tmp_path / "re.duckdb")
    files = [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"]
    first = CliRunner().invoke(app, ["ingest", *map(str, files), "--db", db],
                               env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "rem." not in first.output  # nothing removed: no column for it
    corrected = tmp_path / "a_forloeb_20240301.csv"
    lines = (FIXTURES / "a_forloeb_20240301.csv").read_bytes().split(b"\r\n")
    kept = [ln for ln in lines if not ln.startswith((b"C001;", b"C007;"))]
    corrected.write_bytes(b"\r\n".join(kept).replace(b"Antal r\xe6kker: 8", b"Antal r\xe6kker: 5"))
    again = CliRunner().invoke(app, ["ingest", str(corrected), "--db", db],
                               env={"COLUMNS": "200"})
    assert again.exit_code == 0, again.output
    header = next(x for x in again.output.splitlines() if "┃ file" in x)
    assert [c.strip() for c in header.split("┃") if c.strip()] == [
        "file", "status", "in", "staged", "same", "quarant.", "rem.", "CPR"
    ]
    row = next(x for x in again.output.splitlines() if "a_forloeb_20240301.csv" in x and "│" in x)
    assert [c.strip() for c in row.split("│") if c.strip()] == [
        "a_forloeb_20240301.csv", "loaded", "5", "0", "1", "4", "2", "0"
    ]
    assert "2 record(s) it no longer has removed, 0 dependent row(s) quarantined" in again.output


def test_the_database_and_key_file_in_the_inbox_stay_where_they_are(tmp_path: Path) -> None:
    # a steward who keeps the database and the key file in the folder the exports
    # arrive in: neither is an export, so neither is loaded, failed or moved away
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    fill_inbox(inbox)
    db = inbox / "datadialog.duckdb"
    key_file = inbox / "pseudonym.key"
    key_file.write_text(KEY_TEXT + "\n", encoding="utf-8")
    config = load_config()
    config = config.model_copy(update={
        "privacy": config.privacy.model_copy(update={"pseudonym_key_file": str(key_file)})
    })
    con = connect(db)
    try:
        con.execute("create table steward_notes as select 'keep me' as note")  # in the WAL
        assert (inbox / "datadialog.duckdb.wal").exists()
        reports = ingest_inbox(con, config, inbox=inbox, archive=archive, key=KEY)
        assert sorted(r.file_name for r in reports) == [
            "a_borgere_20240301.csv", "a_borgere_20240302.csv", "a_forloeb_20240301.csv",
        ]
        assert sorted(p.name for p in (inbox / "failed").iterdir()) == [
            "a_borgere_20240302.csv", "a_borgere_20240302.csv.error.txt",
        ]
    finally:
        con.close()
    assert key_file.read_text(encoding="utf-8") == KEY_TEXT + "\n"
    assert sorted(p.name for p in inbox.iterdir()) == [
        "datadialog.duckdb", "failed", "pseudonym.key",
    ]
    con = connect(db)
    try:
        assert con.execute("select note from steward_notes").fetchall() == [("keep me",)]
        assert con.execute("select count(*) from staging.citizens").fetchone()[0] > 0
    finally:
        con.close()


def test_cli_folder_holding_the_database_loads_its_exports_only(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("a_borgere_20240301.csv", "a_forloeb_20240301.csv"):
        shutil.copy(FIXTURES / name, folder)
    db = folder / "datadialog.duckdb"
    args = ["ingest", str(folder), "--db", str(db)]
    first = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "no source" not in first.output
    second = CliRunner().invoke(app, args, env={"COLUMNS": "200"})  # the database is there now
    assert second.exit_code == 0, second.output
    assert "datadialog.duckdb" not in second.output.replace(str(db), "")
    assert "no source" not in second.output
