"""A database that is damaged, read-only or on a full disk: ``datadialog ingest``,
``check``, ``due`` and ``build`` say so in one line naming the file and what to do,
exit with code 2 and print no traceback (datadialog/db.py classifies, cli/faults.py
ends the command). Each runs the real command in a subprocess on a real fault:

- damaged: random bytes in ``x.duckdb``, and a real database cut short;
- read-only: a tmpfs remounted read-only (as root, ``chmod 0444`` does not stop writes;
  the file and folder are chmod-ed too, which is what stops a non-root user);
- disk full: a small tmpfs, filled to the last byte around a real database.

Mounting needs root; as another user the tmpfs cases are skipped (the damaged ones
still run).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from datadialog.db import (
    DatabaseDamagedError,
    DatabaseDiskFullError,
    DatabaseReadOnlyError,
    classify,
    connect,
    database_faults,
)
from tests.support.paths import INGEST_FIXTURES, REPO
from transforms.schema import ensure_schema

DATADIALOG = Path(sys.executable).parent / "datadialog"
KEY = "fault-test-key-0123456789abcdef"
COMMANDS = ("ingest", "check", "due", "build")


def run_cli(command: str, db: Path, out: Path) -> subprocess.CompletedProcess:
    args = [str(DATADIALOG), command, "--db", str(db)]
    if command == "ingest":
        args += [str(INGEST_FIXTURES / "a_borgere_20240301.csv"),
                 str(INGEST_FIXTURES / "a_forloeb_20240301.csv")]
    elif command in ("check", "due"):
        args += ["--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "DATADIALOG_PSEUDONYM_KEY": KEY,
           "DATADIALOG_DB_WAIT": "0", "COLUMNS": "200"}
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)


def assert_one_line(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output
    assert "Traceback" not in output, output
    assert "cannot rollback" not in output, output
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, output
    for fragment in fragments:
        assert fragment in lines[0], output


def _mount(folder: Path, size: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                   check=True)


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=True)


def _database(path: Path, staged: bool = False) -> None:
    """A database with its tables; ``staged``: the fixtures' citizens and courses loaded
    (check and due refuse a database with nothing staged before they write anything)."""
    con = connect(path)
    ensure_schema(con)
    if staged:
        from datadialog.config_load import load_config
        from transforms.ingest import ingest_files

        ingest_files(con, [INGEST_FIXTURES / "a_borgere_20240301.csv",
                           INGEST_FIXTURES / "a_forloeb_20240301.csv"], load_config())
    con.close()


# ---------------------------------------------------------------- damaged


@pytest.fixture(scope="module")
def damaged(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("damaged")
    noise = folder / "x.duckdb"
    noise.write_bytes(os.urandom(64 * 1024))
    cut = folder / "cut.duckdb"
    con = duckdb.connect(str(cut))
    con.execute("create table t as select range as i, md5(range::varchar) as s "
                "from range(200000)")
    con.close()
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 3])
    return {"noise": noise, "cut": cut}


@pytest.mark.parametrize("command", COMMANDS)
def test_random_bytes(damaged, tmp_path, command):
    db = damaged["noise"]
    proc = run_cli(command, db, tmp_path / "out")
    assert_one_line(proc, str(db), "damaged or not a DuckDB database", "restore it from a backup")
    assert not (tmp_path / "out").exists()


def test_cut_short_database_is_damaged(damaged, tmp_path):
    """A real database cut to a third: the fault shows when it opens (or, read-only, at
    the first read of a missing block)."""
    cut = damaged["cut"]
    with pytest.raises(DatabaseDamagedError, match="cut.duckdb is damaged"):
        con = connect(cut, read_only=True)
        with database_faults(cut):
            con.execute("select sum(i) from t").fetchall()
    with pytest.raises(DatabaseDamagedError, match="cut.duckdb is damaged"):
        connect(cut)
    assert_one_line(run_cli("check", cut, tmp_path / "out"), str(cut), "damaged")


# ---------------------------------------------------------------- read-only


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ro") / "mnt"
    _mount(folder, "16m")
    try:
        db = folder / "ro.duckdb"
        _database(db)
        db.chmod(0o444)
        folder.chmod(0o555)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield db
    finally:
        _umount(folder)


@pytest.mark.parametrize("command", COMMANDS)
def test_read_only(read_only, tmp_path, command):
    proc = run_cli(command, read_only, tmp_path / "out")
    assert_one_line(proc, str(read_only), "cannot be written", "read-only")


def test_read_only_database_can_still_be_read(read_only):
    con = connect(read_only, read_only=True)
    assert con.execute("select count(*) from main.ddl_applied").fetchone()[0] > 0
    con.close()


# ---------------------------------------------------------------- disk full


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


@pytest.fixture
def full_disk(tmp_path, request, monkeypatch):
    folder = tmp_path / "full"
    _mount(folder, "8m")
    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", KEY)
    try:
        db = folder / "full.duckdb"
        command = getattr(request.node, "callspec", None)
        _database(db, staged=bool(command) and command.params.get("command") in ("check",
                                                                                 "due"))
        _fill(folder)
        yield db
    finally:
        _umount(folder)


@pytest.mark.parametrize("command", COMMANDS)
def test_disk_full(full_disk, tmp_path, command):
    before = full_disk.read_bytes()
    with duckdb.connect(str(full_disk), read_only=True) as con:
        loads = con.execute("select count(*) from staging.loads").fetchone()[0]
    proc = run_cli(command, full_disk, tmp_path / "out")
    assert_one_line(proc, str(full_disk), "is full", "free space")
    # what the command had begun was rolled back: the database opens and holds no new load
    (full_disk.parent / "filler").unlink()
    con = connect(full_disk, read_only=True)
    assert con.execute("select count(*) from staging.loads").fetchone()[0] == loads
    con.close()
    assert len(full_disk.read_bytes()) == len(before)


def test_full_report_folder_leaves_no_empty_report(tmp_path):
    """``check`` on a sound database whose report folder is full: one line naming the
    report, exit code 2, and no 0-byte report or failing-rows file left."""
    db = tmp_path / "ok.duckdb"
    proc = run_cli("ingest", db, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "out"
    _mount(out, "64k")
    try:
        _fill(out)
        proc = run_cli("check", db, out)
        assert_one_line(proc, "cannot write", str(out), "the disk is full")
        assert sorted(p.name for p in out.iterdir()) == ["filler"]
    finally:
        _umount(out)


# ---------------------------------------------------------------- the classifier


def test_classify_names_the_file_and_ignores_other_errors(tmp_path):
    cause = duckdb.IOException('Could not write file "x.wal": No space left on device')
    try:
        try:
            raise cause
        except duckdb.Error as exc:
            raise RuntimeError("model mart_x failed") from exc
    except RuntimeError as wrapped:
        fault = classify(wrapped, tmp_path / "a.duckdb")
    assert isinstance(fault, DatabaseDiskFullError)
    assert str(tmp_path / "a.duckdb") in str(fault)
    assert isinstance(classify(OSError(errno.EROFS, "Read-only file system")),
                      DatabaseReadOnlyError)
    assert classify(duckdb.CatalogException("Table with name x does not exist")) is None
    assert classify(ValueError("no")) is None


def test_no_room_for_temporary_files_is_a_full_disk(tmp_path):
    """A load larger than DuckDB's memory limit writes temporary files beside the
    database; when they reach max_temp_directory_size (by default the room left on that
    disk) DuckDB says 'Out of Memory Error: failed to offload data block'. That is the
    disk, not the memory: the batch stops with the full-disk message."""
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute("set memory_limit = '20MB'")
    con.execute("set max_temp_directory_size = '1MB'")
    with pytest.raises(duckdb.Error) as raised:
        con.execute("create temp table spilled as select range as i, "
                    "repeat('x', 200) || range::varchar as s from range(2000000)")
    con.close()
    assert "offload" in str(raised.value)
    fault = classify(raised.value, tmp_path / "t.duckdb")
    assert isinstance(fault, DatabaseDiskFullError)
    assert "is full" in str(fault) and str(tmp_path / "t.duckdb") in str(fault)


def test_rollback_after_a_failed_commit_is_quiet(full_disk):
    """DuckDB ends the transaction when a commit fails on a full disk; a plain rollback
    then raises "cannot rollback - no transaction is active" and hides the real error."""
    from datadialog.db import rollback

    con = duckdb.connect(str(full_disk))
    con.execute("create temp table big as select repeat('x', 200) s from range(50000)")
    con.execute("begin transaction")
    con.execute("create table main.t as select * from big")
    with pytest.raises(duckdb.Error) as failed:
        con.execute("commit")
    assert isinstance(classify(failed.value, full_disk), DatabaseDiskFullError)
    with pytest.raises(duckdb.TransactionException, match="no transaction is active"):
        con.execute("rollback")
    rollback(con)  # the guarded one says nothing
    con.close()
