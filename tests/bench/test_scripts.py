"""The benchmark scripts still run against the current schema and code.

They are not timed here (speed is measured by running them, see docs/benchmarks.md):
each runs on a tiny input and must print its figures without an error. A bench
script that writes staging rows by hand breaks silently when a table changes; this
catches it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO

ROOT = REPO

#: script, arguments for a tiny run, a line the script prints when it got to the end.
RUNS = [
    ("build.py", ["--courses", "300"], "build: 300 courses, "),
    ("check.py", ["--courses", "300"], "checks "),
    ("ingest.py", ["--courses", "60", "--repeat", "1", "--sizes", "60,80"],
     "peak memory, 80 courses "),
    ("decks.py", [], "citizen pack: median "),
    ("expected_course.py", ["--courses", "400", "--timing-courses", "300"],
     "expected course fit + flags: "),
    ("national.py", ["--orgs", "2", "--courses", "20"], "projected, 98 organisations on "),
    ("deck_skip.py", ["--courses", "60", "--runs", "1"], "all 6 meetings"),
    ("incremental.py", ["--courses", "150", "--rounds", "1"], "target: incremental <= "),
]


@pytest.mark.slow
@pytest.mark.parametrize(("script", "args", "last_line"), RUNS, ids=[r[0] for r in RUNS])
def test_bench_script_runs(script: str, args: list[str], last_line: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    # exit 1 means a missed speed target (expected on a tiny input), not a failure
    assert done.returncode in (0, 1), done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert last_line in done.stdout, done.stdout[-3000:]
