"""Benchmark: build every model for 100 000 synthetic courses (target: at most 30 s).

Synthetic staging rows are generated in DuckDB SQL (``bench/synthetic_staging.sql``)
from the demo config's interventions, measurement plan and instruments, in a temporary
database file; then :func:`transforms.build.build` runs once and the build time is
printed, with the slowest models.

    .venv/bin/python bench/build.py [--courses 100000] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from datadialog.config_load import load_config  # noqa: E402
from tests.support.staging import StagingWriter  # noqa: E402
from transforms.build import build  # noqa: E402
from transforms.reference import write_reference  # noqa: E402

TARGET_SECONDS = 30.0
AS_OF = date(2025, 6, 30)
GENERATOR_SQL = Path(__file__).resolve().parent / "synthetic_staging.sql"


def generate(con: duckdb.DuckDBPyConnection, n_courses: int) -> dict[str, int]:
    """Fill the staging tables with synthetic rows; return row counts per table."""
    config = load_config()
    StagingWriter(con)  # creates the staging tables
    write_reference(con, config, AS_OF)
    con.from_arrow(
        pa.table({"n_courses": [n_courses], "as_of_date": pa.array([AS_OF], pa.date32())})
    ).create("bench_params")
    con.execute(GENERATOR_SQL.read_text(encoding="utf-8"))
    con.execute("checkpoint")  # as after an ingest: staging is on disk before the build
    tables = ("citizens", "courses", "measurements", "goals", "goal_ratings")
    return {t: con.table(f"staging.{t}").aggregate("count(*)").fetchone()[0] for t in tables}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100_000, help="number of courses")
    parser.add_argument(
        "--threads", type=int, default=None, help="DuckDB threads (default: DuckDB's, = cores)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        t0 = time.perf_counter()
        counts = generate(con, args.courses)
        generated = time.perf_counter() - t0
        sizes = ", ".join(f"{t} {n:,}" for t, n in counts.items())
        print(f"generated in {generated:.1f} s: {sizes}")
        if args.threads:
            con.execute("set threads = ?", [args.threads])
        threads = con.execute("select current_setting('threads')").fetchone()[0]
        cpu_before = time.process_time()
        result = build(con, load_config(), as_of=AS_OF)
        cpu = time.process_time() - cpu_before
        con.close()
    slowest = sorted(result.models, key=lambda m: m.seconds, reverse=True)[:5]
    for model in slowest:
        print(f"  {model.name:36} {model.rows:>12,} rows {model.seconds:6.2f} s")
    verdict = "within" if result.seconds <= TARGET_SECONDS else "OVER"
    print(
        f"build: {args.courses:,} courses, {len(result.models)} models in "
        f"{result.seconds:.1f} s ({verdict} the {TARGET_SECONDS:.0f} s target); "
        f"CPU {cpu:.1f} s, {threads} DuckDB thread(s) on {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return 0 if result.seconds <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
