"""Benchmark: a meeting run with nothing changed against rendering every deck.

Builds the demo (seed 42, 400 courses by default, export date 2026-10-31: the data of
``make demo``) without Prefect: exports, ingest with the returned agreement registers,
build, checks with ``errors_block=False``. Then prepares every demo meeting (the six
series) into one outbox, alternately with ``force=True`` (every deck rendered) and
without (every deck's content unchanged, so every deck kept), ``--runs`` times each,
and prints the median wall time of both, per meeting and in total, with the load
average.

Run: ``.venv/bin/python bench/deck_skip.py [--courses N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks.run import run_checks  # noqa: E402
from checks.settings import CheckSettings  # noqa: E402
from datadialog.config_load import load_config  # noqa: E402
from datadialog.db import connect  # noqa: E402
from demo import generate  # noqa: E402
from pipeline.demo_run import demo_meetings, earlier_meetings  # noqa: E402
from pipeline.meeting import prepare_meeting  # noqa: E402
from transforms.agreements import store_returned_file  # noqa: E402
from transforms.ingest import ingest_files  # noqa: E402
from transforms.refresh import build_database  # noqa: E402

AS_OF = date(2026, 10, 31)


def demo_database(base: Path, courses: int, config) -> Path:
    os.environ.setdefault("DATADIALOG_PSEUDONYM_KEY", "bench-deck-skip-key")
    manifest = generate(base / "exports", seed=42, courses=courses, fmt="mixed", as_of=AS_OF,
                        returned_meetings=earlier_meetings(config, AS_OF))
    db = base / "demo.duckdb"
    con = connect(db)
    try:
        ingest_files(con, list(manifest.paths), config)
        for path in manifest.returned_paths:
            store_returned_file(con, path)
    finally:
        con.close()
    build_database(db, config, as_of=AS_OF)
    con = connect(db)
    try:
        run_checks(con, config, settings=CheckSettings.from_config(config, errors_block=False))
    finally:
        con.close()
    return db


def one_round(db: Path, config, meetings, outbox: Path, force: bool) -> dict[str, float]:
    seconds: dict[str, float] = {}
    for meeting_id, day in meetings:
        t0 = time.perf_counter()
        result = prepare_meeting(db, config, meeting_id, day, outbox, force=force)
        seconds[meeting_id] = time.perf_counter() - t0
        kept = [d.unchanged for d in result.ready]
        assert result.status == "ready", result.line()
        assert all(kept) if not force else not any(kept), result.line()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    config = load_config()
    with tempfile.TemporaryDirectory(prefix="bench-deck-skip-") as tmp:
        base = Path(tmp)
        t0 = time.perf_counter()
        db = demo_database(base, args.courses, config)
        print(f"demo database ({args.courses} courses): {time.perf_counter() - t0:.1f} s")
        meetings = demo_meetings(config, AS_OF)
        outbox = base / "outbox"
        one_round(db, config, meetings, outbox, force=True)  # warm-up: imports, first image
        rounds: dict[bool, list[dict[str, float]]] = {True: [], False: []}
        for _ in range(args.runs):
            for force in (True, False):
                rounds[force].append(one_round(db, config, meetings, outbox, force))
        print(f"{'meeting':<24}{'render all (s)':>16}{'unchanged (s)':>16}")
        for meeting_id, _day in meetings:
            full = statistics.median(r[meeting_id] for r in rounds[True])
            kept = statistics.median(r[meeting_id] for r in rounds[False])
            print(f"{meeting_id:<24}{full:>16.3f}{kept:>16.3f}")
        full = statistics.median(sum(r.values()) for r in rounds[True])
        kept = statistics.median(sum(r.values()) for r in rounds[False])
        print(f"{'all 6 meetings':<24}{full:>16.3f}{kept:>16.3f}   "
              f"(median of {args.runs}; {full / kept:.1f} x)")
        print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
