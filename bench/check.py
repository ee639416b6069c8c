"""Benchmark: the quality checks on 100 000 demo courses (target: at most 30 s).

Draws the canonical demo dataset (``demo.build_dataset``, defects and effects
planted), stages it straight into a fresh DuckDB file (citizen refs replaced by a
pseudonym-shaped hash, lineage columns filled; no export files, so ingest is not
timed), builds the models, then times ``checks.run.run_checks``. Prints the timings and
the slowest rules; exits 1 when the checks take longer than the target.

    .venv/bin/python bench/check.py [--courses N] [--target SECONDS] [--db PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from checks.run import run_checks
from datadialog.config_load import load_config
from demo import DEFAULT_AS_OF, build_dataset
from demo.frames import to_frames
from transforms.build import build
from transforms.schema import ensure_schema

TARGET_SECONDS = 30.0
DEFAULT_COURSES = 100_000

#: canonical ref column -> staging column
RENAMES = {
    "citizen_ref": "citizen_id",
    "course_ref": "course_id",
    "form_ref": "form_id",
    "goal_ref": "goal_id",
}


def pseudonym(ref: str) -> str:
    return "P-" + hashlib.sha256(ref.encode("utf-8")).hexdigest()[:16]


def stage_frames(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> dict:
    """Write the canonical frames into the staging tables; return rows per table."""
    ensure_schema(con)
    counts = {}
    for table, frame in frames.items():
        df = frame.rename(columns=RENAMES).copy()
        if "citizen_id" in df.columns:
            refs = df["citizen_id"].astype(str)
            unique = {r: pseudonym(r) for r in refs.unique()}
            df["citizen_id"] = refs.map(unique)
        if table == "measurements":
            df = df.drop_duplicates(["form_id", "item_no"])
        if table == "citizens":
            df = df.drop_duplicates(["citizen_id"])
        df["load_id"] = "bench"
        df["row_no"] = range(1, len(df) + 1)
        target = f"staging.{table}"
        columns = con.table(target).columns
        for column in columns:
            if column not in df.columns:
                df[column] = None
        con.from_df(df[columns]).insert_into(target)
        counts[table] = len(df)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=DEFAULT_COURSES)
    parser.add_argument("--target", type=float, default=TARGET_SECONDS)
    parser.add_argument("--db", type=Path, default=None, help="database file (default: temp)")
    parser.add_argument(
        "--reuse", action="store_true", help="--db is already staged and built: time the checks"
    )
    args = parser.parse_args(argv)
    config = load_config()
    with tempfile.TemporaryDirectory(prefix="datadialog-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        con = duckdb.connect(str(db))
        t0 = time.perf_counter()
        if args.reuse:
            counts = {"measurements": con.table("staging.measurements").shape[0]}
            t1 = t2 = time.perf_counter()
        else:
            ds = build_dataset(seed=7, courses=args.courses, as_of=DEFAULT_AS_OF, config=config)
            counts = stage_frames(con, to_frames(ds))
            t1 = time.perf_counter()
            build(con, config, as_of=DEFAULT_AS_OF)
            t2 = time.perf_counter()
        run = run_checks(con, config)
        t3 = time.perf_counter()
        con.close()
    print(f"courses {args.courses}: {counts['measurements']} item rows staged in {t1 - t0:.1f} s")
    print(f"build (transforms) {t2 - t1:.1f} s")
    print(
        f"checks {t3 - t2:.1f} s (target {args.target:.0f} s): {len(run.results)} results, "
        f"{run.n_errors} error rows, {run.n_warnings} warning rows"
    )
    print("  phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in run.timings.items()))
    slowest = sorted(run.results, key=lambda r: r.seconds, reverse=True)[:8]
    for r in slowest:
        print(f"  {r.seconds:6.2f} s  {r.rule_id:28} {r.table_name}")
    return 0 if t3 - t2 <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
