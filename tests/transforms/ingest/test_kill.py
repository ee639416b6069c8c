"""A load killed with SIGKILL leaves the database as it was before the load.

The demo export (fagsystem A, 3000 courses) is written once. Citizens and courses
are loaded in this process; a child process then loads the measurements file
(about 200 000 records) into the same database file and is killed mid-load. The
database must open, hold exactly the rows it held before, and a re-run must load
the file as a clean load would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from demo import generate
from tests.support.paths import REPO
from transforms.ingest import WORKDIR_PREFIX, ingest_files
from transforms.ingest.model import FileReport

KEY_BYTES = b"kill-test-key-0123456789abcdef01"
REPO = REPO

# The child: load one file with a progress callback that writes a marker file when
# the named step is reached; with "hold" it then waits there (inside the file's
# transaction for the table step), so the kill lands at a known point.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from datadialog.config_load import load_config
    from datadialog.db import connect
    from datadialog.privacy import PseudonymKey
    from transforms.ingest import ingest_files

    db, export, marker, step, hold = sys.argv[1:6]

    def progress(path, name, done, total):
        if name == step:
            Path(marker).write_text(name)
            if hold == "hold":
                time.sleep(60)

    con = connect(db)
    ingest_files(con, [Path(export)], load_config(), progress=progress,
                 key=PseudonymKey(KEY_BYTES, "test"))
    con.close()
    Path(marker + ".done").write_text("finished")
    """
).replace("KEY_BYTES", repr(KEY_BYTES))


def key() -> PseudonymKey:
    return PseudonymKey(KEY_BYTES, "test")


@pytest.fixture(scope="module")
def config() -> DatadialogConfig:
    return load_config()


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo_a")
    generate(out, seed=1, courses=3000, fmt="a")
    return out


def one(export: Path, prefix: str) -> Path:
    (path,) = export.glob(f"{prefix}_*.csv")
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory, export, config) -> FileReport:
    """The measurements file's report from an undisturbed load."""
    con = connect(tmp_path_factory.mktemp("reference") / "reference.duckdb")
    first = ingest_files(
        con, [one(export, "a_borgere"), one(export, "a_forloeb")], config, key=key()
    )
    assert [r.status for r in first] == ["loaded", "loaded"]
    (report,) = ingest_files(con, [one(export, "a_maalinger")], config, key=key())
    con.close()
    assert report.status == "loaded", report.error
    assert report.rows_in > 100_000
    return report


def table_counts(db: Path) -> dict[str, int]:
    con = connect(db)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('landing', 'staging') and table_type = 'BASE TABLE' "
            "order by 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
            for s, t in tables
        }
    finally:
        con.close()


def kill_mid_load(tmp_path: Path, export: Path, config, step: str, hold: bool) -> int:
    """Load citizens and courses here, kill a child loading measurements; its pid."""
    db = tmp_path / "kill.duckdb"
    measurements = one(export, "a_maalinger")
    con = connect(db)
    first = ingest_files(
        con, [one(export, "a_borgere"), one(export, "a_forloeb")], config, key=key()
    )
    con.close()
    assert [r.status for r in first] == ["loaded", "loaded"]
    before = table_counts(db)
    assert before["staging.loads"] == 2 and before["staging.measurements"] == 0

    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(db),
            str(measurements),
            str(marker),
            step,
            "hold" if hold else "go",
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the child ended before it reached the load"
            assert time.monotonic() < deadline, "the child never reached the load"
            time.sleep(0.01)
        if not hold:
            time.sleep(0.2)  # let the load get going (it takes well over a second)
        # the kill lands mid-load: the child has neither exited nor finished the file
        assert child.poll() is None
        assert not Path(str(marker) + ".done").exists()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    # the database opens and holds exactly what it held before the load
    assert table_counts(db) == before
    con = connect(db)
    try:
        loads = con.execute(
            "select status from staging.loads where file_name = ?", [measurements.name]
        ).fetchall()
        assert ("loaded",) not in loads
    finally:
        con.close()
    return child.pid


def rerun(tmp_path: Path, export: Path, config, reference: FileReport, child_pid: int) -> None:
    db = tmp_path / "kill.duckdb"
    measurements = one(export, "a_maalinger")
    con = connect(db)
    try:
        (report,) = ingest_files(con, [measurements], config, key=key())
        assert report.status == "loaded", report.error
        assert report.balanced
        got = (
            report.rows_in,
            report.rows_staged,
            report.rows_unchanged,
            report.rows_quarantined,
            report.cpr_masked,
        )
        want = (
            reference.rows_in,
            reference.rows_staged,
            reference.rows_unchanged,
            reference.rows_quarantined,
            reference.cpr_masked,
        )
        assert got == want
        assert con.execute(
            "select count(*) from staging.measurements inner join staging.loads using (load_id) "
            "where loads.file_name = ?",
            [measurements.name],
        ).fetchone() == (reference.rows_staged,)
        assert con.execute(
            "select status from staging.loads where file_name = ?", [measurements.name]
        ).fetchall() == [("loaded",)]
    finally:
        con.close()
    # the killed child's private copy of the export was cleared away by the re-run
    leftovers = list(Path(tempfile.gettempdir()).glob(f"{WORKDIR_PREFIX}{child_pid}-*"))
    assert leftovers == []


@pytest.mark.parametrize(
    ("step", "hold"),
    [
        # killed while its transaction is open: the measurement rows are written, not committed
        ("measurements", True),
        # killed wherever the load happens to be 0.2 s after it started reading
        ("reading", False),
    ],
    ids=["inside_transaction", "while_reading"],
)
def test_killed_load_leaves_no_trace(
    tmp_path: Path, export, config, reference, step: str, hold: bool
) -> None:
    pid = kill_mid_load(tmp_path, export, config, step, hold)
    rerun(tmp_path, export, config, reference, child_pid=pid)
