"""Benchmark: N organisations through a real local Prefect server with process workers.

Generates N organisations with the demo generator (``--courses`` each; the default 98 x
900 courses give about 6 million measurement rows), starts ``prefect server start``
(SQLite, own PREFECT_HOME) and ``--workers`` process workers (one flow run at a time
each), registers the ``national-organisation`` deployment and runs the ``national``
parent flow: one deployed run per organisation (ingest, build, optionally the quality
run, export), then the roll-up and the national deck. Prints the wall time, the median
and slowest organisation run (server timestamps), the roll-up time, the peak memory of
one process (``ru_maxrss`` over the workers' runs, the server and this process) and the
projected time for 98 organisations on k machines with the same workers each.

    .venv/bin/python bench/national.py [--orgs 98] [--courses 900] [--workers 2]
        [--quality] [--out build/bench-national]

On a shared or small machine run a smaller N: the projection uses the measured median.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from datadialog.national_config import load_registry  # noqa: E402
from pipeline.national import reporting_quarter, rollup  # noqa: E402
from pipeline.national_demo import demo_registry  # noqa: E402
from tests.support.meetings import PREFECT, PrefectServer, stop_process_groups  # noqa: E402

AS_OF = date(2026, 10, 31)
KEY = "national-bench-key-3c9e1f7a2b5d8e40"
POOL = "national-bench"


def measurement_rows(base: Path) -> int:
    import json

    total = 0
    for manifest in base.glob("organisations/*/exports/manifest.json"):
        total += json.loads(manifest.read_text())["canonical_rows"].get("measurements", 0)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=98)
    parser.add_argument("--courses", type=int, default=900)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quality", action="store_true", help="Also run each quality run.")
    parser.add_argument("--out", type=Path, default=Path("build/bench-national"))
    args = parser.parse_args()

    args.out = args.out.resolve()
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    os.environ["DATADIALOG_PSEUDONYM_KEY"] = KEY
    server = PrefectServer(args.out / "prefect")
    started = time.perf_counter()
    registry_path = demo_registry(args.out, args.orgs, courses=args.courses, as_of=AS_OF)
    generated = time.perf_counter() - started
    rows = measurement_rows(args.out)
    print(f"generated {args.orgs} organisations x {args.courses} courses: {rows:,} measurement "
          f"rows in {generated:.1f} s")
    server.wait_healthy()
    env = server.env | {"PREFECT_API_URL": server.api_url, "DATADIALOG_PSEUDONYM_KEY": KEY,
                        "PYTHONPATH": str(ROOT),
                        "PREFECT_WORKER_QUERY_SECONDS": "2"}
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.national import deploy_national, national_flow

    workers = []
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            deploy_national(str(registry_path), POOL)
            for i in range(args.workers):
                with (args.out / f"worker{i}.log").open("wb") as log:
                    workers.append(subprocess.Popen(
                        [PREFECT, "worker", "start", "--pool", POOL, "--type", "process",
                         "--limit", "1"], env=env, cwd=ROOT, stdout=log,
                        stderr=subprocess.STDOUT, start_new_session=True))
            started = time.perf_counter()
            result = national_flow(str(registry_path), as_of=AS_OF, quality=args.quality,
                                   deck=True, poll_seconds=1.0)
            wall = time.perf_counter() - started
            with get_client(sync_client=True) as client:
                runs = [client.read_flow_run(run_id) for run_id in result["runs"].values()]
        durations = sorted((r.end_time - r.start_time).total_seconds() for r in runs
                           if r.start_time and r.end_time)
        started = time.perf_counter()
        rollup(load_registry(registry_path), reporting_quarter(AS_OF), deck=True)
        rolled = time.perf_counter() - started
    finally:
        stop_process_groups(workers)
        server.stop()
    failed = {o: s for o, s in result["states"].items() if s != "Completed"}
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median = statistics.median(durations)
    print(f"runs: {len(durations)} completed of {args.orgs}, failed {sorted(failed) or 'none'}")
    print(f"wall time (parent flow, {args.workers} workers): {wall:.1f} s")
    print(f"organisation run: median {median:.1f} s, slowest {durations[-1]:.1f} s")
    print(f"roll-up (scan, national marts, deck): {rolled:.1f} s")
    print(f"peak memory of one process: {max(children, own):.0f} MB "
          f"(workers' runs and server {children:.0f} MB, this process {own:.0f} MB)")
    per_org = wall / math.ceil(args.orgs / args.workers)
    print(f"measured wall time per wave of {args.workers} runs: {per_org:.1f} s")
    for machines in (1, 2, 4, 8, 16):
        waves = math.ceil(98 / (machines * args.workers))
        print(f"projected, 98 organisations on {machines:2d} machine(s) x {args.workers} "
              f"workers: {waves * per_org / 60:.1f} min + roll-up")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
