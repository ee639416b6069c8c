"""A load cut off by a crash leaves nothing once the database is opened again.

DuckDB 1.5 can bring back the row groups a large insert wrote before its commit reached
the WAL (duckdb/duckdb pull request 25931): the staged rows of a file without its
``staging.loads`` row. The state is made here as that replay leaves it (rows whose load
id has no ``staging.loads`` row, and a WAL beside the file, as a killed process leaves
one), and a new process opens the database: the rows are removed with a WARNING, every
committed load stays whole. Reproduced for real in the session's notes: an ingest of
139 771 measurement records killed as its WAL appeared left 139 742 staged rows and no
load; opened through ``connect``, they were removed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.recovery import discard_unfinished_loads
from tests.support.paths import INGEST_FIXTURES, REPO
from transforms.ingest import ingest_files

KEY = "recovery-test-key-0123456789abcdef"
UNFINISHED = "L20990101_000000_abcdef"


def _loaded(db: Path, monkeypatch) -> dict[str, int]:
    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", KEY)
    con = connect(db)
    try:
        reports = ingest_files(con, [INGEST_FIXTURES / "a_borgere_20240301.csv",
                                     INGEST_FIXTURES / "a_forloeb_20240301.csv"], load_config())
        assert [r.status for r in reports] == ["loaded", "loaded"]
        return _counts(con)
    finally:
        con.close()


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("staging.loads", "staging.courses", "staging.citizens",
                      "landing.courses")}


def _left_as_after_a_crash(db: Path) -> None:
    """Rows of a load that never committed, as the WAL replay leaves them, and a WAL
    left beside the file (no checkpoint on close)."""
    con = duckdb.connect(str(db))
    con.execute("pragma disable_checkpoint_on_shutdown")
    con.execute("set wal_autocheckpoint = '1GB'")
    con.execute(f"insert into staging.courses select * replace ('{UNFINISHED}' as load_id, "
                "course_id || '-unfinished' as course_id) from staging.courses")
    con.execute(f"insert into landing.courses select * replace ('{UNFINISHED}' as load_id) "
                "from landing.courses")
    # a row under an id the loader does not make is not the loader's to remove
    con.execute("insert into staging.citizens select * replace ('hand-made' as load_id, "
                "citizen_id || '-hand' as citizen_id) "
                "from staging.citizens limit 1")
    con.close()
    assert Path(f"{db}.wal").exists()


def _open_in_a_new_process(db: Path, read_only: bool = False) -> str:
    code = ("import logging; logging.basicConfig(level=logging.WARNING); "
            "from datadialog.db import connect; "
            f"connect({str(db)!r}, read_only={read_only}).close()")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def test_rows_of_a_load_that_never_committed_are_removed_on_the_next_open(
        tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "datadialog.duckdb"
    before = _loaded(db, monkeypatch)
    _left_as_after_a_crash(db)
    read_only = _open_in_a_new_process(db, read_only=True)  # reads only: removes nothing
    assert "did not finish" not in read_only
    log = _open_in_a_new_process(db)
    assert (f"removed {before['staging.courses'] + before['landing.courses']} row(s) of 1 "
            f"load(s) that did not finish ({UNFINISHED}: landing.courses "
            f"{before['landing.courses']}, staging.courses {before['staging.courses']})") in log
    assert "load those files again" in log
    with duckdb.connect(str(db), read_only=True) as con:
        after = _counts(con)
        assert con.execute("select count(*) from staging.citizens where load_id = 'hand-made'"
                           ).fetchone() == (1,)
    assert after == {**before, "staging.citizens": before["staging.citizens"] + 1}


def test_a_database_closed_cleanly_is_not_scanned(tmp_path: Path, monkeypatch) -> None:
    """Without a WAL left behind, opening does not look for unfinished loads (the scan
    costs about 0.5 s at 100 000 courses): the same rows stay until a crash is seen."""
    db = tmp_path / "datadialog.duckdb"
    before = _loaded(db, monkeypatch)
    _left_as_after_a_crash(db)
    con = duckdb.connect(str(db))  # replays and checkpoints: no WAL any more
    con.close()
    assert not Path(f"{db}.wal").exists()
    assert "did not finish" not in _open_in_a_new_process(db)
    con = duckdb.connect(str(db))
    try:
        assert _counts(con)["staging.courses"] == 2 * before["staging.courses"]
        # called directly, the same rows go
        found = discard_unfinished_loads(con)
        assert found.load_ids == [UNFINISHED]
        assert found.rows == {"landing.courses": before["landing.courses"],
                              "staging.courses": before["staging.courses"]}
        assert _counts(con)["staging.courses"] == before["staging.courses"]
        assert discard_unfinished_loads(con).n_rows == 0
    finally:
        con.close()
