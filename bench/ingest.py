"""Benchmark: ingest the demo exports of N courses and compare with a bare DuckDB read.

Generates the fagsystem A (CSV) exports of ``--courses`` courses with the demo
generator (15 000 courses give about 1 000 000 measurement rows), then runs
``--repeat`` rounds (5 by default; figures for the docs take at least 5) of these
two, one right after the other so both see the same machine load:

* **bare read**: the measurement export alone into a fresh database with one
  ``create table ... as select * from read_csv(...)`` (DuckDB's own reader, every
  option left to DuckDB but the delimiter, header and encoding): the physical limit;
* **ingest**: every export into a fresh database with ``transforms.ingest.ingest_files``
  (landing, typed staging, quarantine and the counts, one transaction per file).

Each run is a child process that works twice, on two fresh databases: the first
(cold) run also pays for the process's first memory allocations, the second (warm)
one is the work itself. Reported: the warm times of the measurement file (median,
min and max over the rounds), the ratio of ingest to bare read per round and its
median (target: at most 1.2 x), and the per-step times of the ingest (DEBUG log
records of ``transforms.ingest``). Then, for each ``--sizes`` (courses; 15 000, 30 000
and 60 000 give about 1 M, 2 M and 4 M measurement rows), one child ingests that
size's exports once and reports its peak memory (``VmHWM``, DuckDB's native
memory included; target: under 1 GiB at every size). Every figure is printed with
its ratio to the target. Exit code 0 when the median ratio and every peak meet their
targets, else 1. Figures and what they mean: docs/benchmarks.md.

``--storage-version latest`` makes both databases (ingest and bare read) in DuckDB's
newest storage format instead of the default one (which older DuckDB versions
read: 1.1.3 opens a datadialog database, 1.0.0 does not).

    .venv/bin/python bench/ingest.py [--courses 15000] [--repeat 5] [--exports DIR]
        [--sizes 15000,30000,60000] [--storage-version latest]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Targets (issue 20): ingest time of the measurement file over the bare read (median
#: of the rounds' ratios), peak memory of the ingest process at every size.
TARGET_RATIO = 1.2
TARGET_PEAK_BYTES = 1 << 30
#: Fewest interleaved rounds of the timing.
MIN_ROUNDS = 5
#: Demo generator seed (the same seed gives byte-identical exports).
SEED = 42
#: Export of the measurements (fagsystem A) among the generated files.
MEASUREMENT_GLOB = "a_maalinger_*.csv"
#: Key used for the pseudonyms (a benchmark needs no secret).
BENCH_KEY = b"bench-ingest-key-0123456789abcdef"


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_bytes() -> int:
    """Peak resident memory of this process since it started its program: ``VmHWM``.

    Not ``ru_maxrss``: Linux carries that over a fork and exec, so a child started by
    a parent that has just generated 120 000 courses (1.1 GiB) reported the parent's
    peak, not its own (1 136 MiB at 4 M rows, where the child alone peaks at 855)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # not Linux: KiB


# ---------------------------------------------------------------- child processes


class _StepTimes(logging.Handler):
    """Collects the ``seconds`` and ``cpu_seconds`` of every step record of
    transforms.ingest (the measurement file's), per step."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.steps: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)

    def clear(self) -> None:
        self.steps.clear()
        self.cpu.clear()

    def emit(self, record: logging.LogRecord) -> None:
        step = getattr(record, "step", None)
        if step is not None and getattr(record, "file", "").startswith("a_maalinger"):
            self.steps[step] += float(getattr(record, "seconds", 0.0))
            self.cpu[step] += float(getattr(record, "cpu_seconds", 0.0))


def _new_database(db: Path, storage_version: str | None):
    """A connection to a new database file (in ``storage_version`` when given)."""
    import duckdb

    config = {"storage_compatibility_version": storage_version} if storage_version else {}
    return duckdb.connect(str(db), config=config)


def _ingest_once(
    exports: Path, db: Path, handler: _StepTimes, storage_version: str | None
) -> dict:
    from datadialog.config_load import load_config
    from datadialog.db import connect
    from datadialog.privacy import PseudonymKey
    from transforms.ingest import ingest_files

    handler.clear()
    config = load_config(ROOT / "config")
    _new_database(db, storage_version).close()  # the file keeps its storage version
    con = connect(db)
    files = sorted(exports.glob("a_*.csv"))
    cpu_marks: dict[str, float] = {}

    def progress(path: Path, step: str, done: int, total: int) -> None:
        # CPU seconds of the measurement file: from its first step to its last
        if path.match(MEASUREMENT_GLOB):
            cpu_marks.setdefault("start", _cpu_seconds())
            cpu_marks["end"] = _cpu_seconds()

    wall, cpu = time.perf_counter(), _cpu_seconds()
    reports = ingest_files(
        con, files, config, progress=progress, key=PseudonymKey(BENCH_KEY, "bench")
    )
    wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
    con.close()
    measurement = next(r for r in reports if r.path.match(MEASUREMENT_GLOB))
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "rows_in": sum(r.rows_in for r in reports),
        "failed": [r.error for r in reports if r.status != "loaded"],
        "unbalanced": [r.file_name for r in reports if not r.balanced],
        "measurement_rows": measurement.rows_in,
        "measurement_seconds": measurement.seconds,
        "measurement_cpu_seconds": cpu_marks["end"] - cpu_marks["start"],
        "files": len(reports),
        "steps": dict(handler.steps),
        "step_cpu": dict(handler.cpu),
        "db_bytes": db.stat().st_size,
    }


def _bare_once(exports: Path, db: Path, storage_version: str | None) -> dict:
    path = next(exports.glob(MEASUREMENT_GLOB))
    con = _new_database(db, storage_version)
    wall, cpu = time.perf_counter(), _cpu_seconds()
    # the export is Windows-1252 without bytes 0x80-0x9F, so DuckDB's latin-1 reads it
    # the same; null_padding lets the one-field trailer line through
    con.execute(
        "create table measurements as select * from read_csv(?, delim = ';', header = true, "
        "encoding = 'latin-1', null_padding = true)",
        [str(path)],
    )
    con.execute("checkpoint")
    wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
    rows = con.execute("select count(*) from measurements").fetchone()[0]
    con.close()
    return {"seconds": wall, "cpu_seconds": cpu, "rows": rows, "db_bytes": db.stat().st_size}


def _next_day_once(exports: Path, db: Path) -> dict:
    """The measurement export again under the next day's name, its first answer
    changed, into the database that holds it: what a system that exports its whole
    history every day sends. Every record meets its staged row (all but one
    unchanged), so every row takes the new lineage."""
    from datadialog.config_load import load_config
    from datadialog.db import connect
    from datadialog.privacy import PseudonymKey
    from transforms.ingest import ingest_files

    source = next(exports.glob(MEASUREMENT_GLOB))
    again = db.parent / "next-day" / source.name.replace(".csv", "_next.csv")
    again.parent.mkdir(exist_ok=True)
    shutil.copyfile(source, again)
    with again.open("r+b") as text:  # fagsystem A: the 8th field of line 2 is an answer
        head = text.read(4096)
        line_start = head.index(b"\n") + 1
        fields = head[line_start:head.index(b"\n", line_start)].split(b";")
        if not fields[7]:
            raise SystemExit(f"{source.name}: line 2 has no answer to change")
        offset = line_start + sum(len(f) + 1 for f in fields[:7])
        text.seek(offset)
        text.write(b"1" if fields[7][:1] != b"1" else b"2")
    config = load_config(ROOT / "config")
    con = connect(db)
    try:
        (report,) = ingest_files(con, [again], config, key=PseudonymKey(BENCH_KEY, "bench"))
    finally:
        con.close()
        again.unlink()
    return {"status": report.status, "error": report.error, "seconds": report.seconds,
            "rows_in": report.rows_in, "unchanged": report.rows_unchanged,
            "balanced": report.balanced}


def child(kind: str, exports: Path, workdir: Path, storage_version: str | None) -> dict:
    """One process: a cold run (the process's first), then a warm one, each on a fresh
    database. The first run of a process also pays for DuckDB's first memory
    allocations (about a second here); the warm run shows the work itself. ``memory``:
    one ingest, then the measurement export again as the next day's full export
    (:func:`_next_day_once`), for the process's peak memory over both."""
    handler = _StepTimes()
    logger = logging.getLogger("transforms.ingest")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    runs = {}
    for name in ("cold",) if kind == "memory" else ("cold", "warm"):
        db = workdir / f"{kind}-{name}.duckdb"
        for stale in (db, Path(f"{db}.wal")):
            stale.unlink(missing_ok=True)
        if kind == "bare":
            runs[name] = _bare_once(exports, db, storage_version)
        else:
            runs[name] = _ingest_once(exports, db, handler, storage_version)
        if kind == "memory":
            runs["next_day"] = _next_day_once(exports, db)
        db.unlink()
    return runs | {"peak_bytes": _peak_bytes()}


def _run_child(kind: str, exports: Path, workdir: Path, storage_version: str | None) -> dict:
    storage = ["--storage-version", storage_version] if storage_version else []
    out = subprocess.run(
        [
            sys.executable, __file__, "--child", kind,
            "--exports", str(exports), "--workdir", str(workdir), *storage,
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- main


def _generate(courses: int, out: Path) -> None:
    from demo import generate

    t0 = time.perf_counter()
    generate(out, seed=SEED, courses=courses, fmt="a", config_dir=ROOT / "config")
    print(f"generated the A exports of {courses:,} courses in {time.perf_counter() - t0:.1f} s")


def _exports(folder: Path, courses: int) -> Path:
    """``folder`` holding the A exports of ``courses`` courses (generated when missing)."""
    if not (folder.exists() and any(folder.glob(MEASUREMENT_GLOB))):
        _generate(courses, folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=15_000, help="courses to generate")
    parser.add_argument(
        "--repeat", type=int, default=MIN_ROUNDS,
        help=f"interleaved rounds (figures for the docs: at least {MIN_ROUNDS})",
    )
    parser.add_argument(
        "--exports", type=Path, help="folder of A exports to use (generated when empty/absent)"
    )
    parser.add_argument(
        "--sizes", default="15000,30000,60000",
        help="courses of each size whose peak memory is measured (comma-separated; "
        "'' for none); their exports are generated in a temporary folder",
    )
    parser.add_argument(
        "--storage-version",
        help="DuckDB storage version of both databases, e.g. latest (default: DuckDB's)",
    )
    parser.add_argument(
        "--child", choices=["ingest", "bare", "memory"], help=argparse.SUPPRESS
    )
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.exports, args.workdir, args.storage_version)))
        return 0

    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        workdir = Path(tmp)
        exports = _exports(args.exports or workdir / "exports", args.courses)
        ingests, bares = [], []
        for _ in range(max(1, args.repeat)):
            bares.append(_run_child("bare", exports, workdir, args.storage_version))
            ingests.append(_run_child("ingest", exports, workdir, args.storage_version))
        timing_ok = report(ingests, bares, args.storage_version)
        memory_ok = True
        for courses in sizes:
            if courses == args.courses:
                folder = exports
            else:
                folder = _exports(workdir / f"exports-{courses}", courses)
            run = _run_child("memory", folder, workdir, args.storage_version)
            peak = run["peak_bytes"]
            rows = run["cold"]["measurement_rows"]
            again = run["next_day"]
            loaded = again["status"] == "loaded" and again["balanced"]
            ok = peak <= TARGET_PEAK_BYTES and not run["cold"]["failed"] and loaded
            memory_ok = memory_ok and ok
            print(
                f"peak memory, {courses:,} courses ({rows:,} measurement rows): "
                f"{peak / 2**20:,.0f} MiB = {peak / TARGET_PEAK_BYTES:.2f} x the target "
                f"({TARGET_PEAK_BYTES / 2**30:.0f} GiB){'' if ok else ' MISSED'}; "
                f"measurement file {run['cold']['measurement_seconds']:.1f} s, again as the "
                f"next day's full export {again['seconds']:.1f} s "
                + (f"({again['unchanged']:,} unchanged)" if loaded else
                   f"FAILED: {again['error']}")
                + f"; load average {os.getloadavg()[0]:.1f}"
            )
            if folder != exports:
                shutil.rmtree(folder)
    return 0 if timing_ok and memory_ok else 1


def _spread(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.2f} (min {min(values):.2f}, "
        f"max {max(values):.2f})"
    )


def report(ingests: list[dict], bares: list[dict], storage_version: str | None) -> bool:
    """Print the timing figures; True when the ingest is balanced and the median ratio
    meets its target."""
    problems = [
        (r[k]["failed"], r[k]["unbalanced"])
        for r in ingests
        for k in ("cold", "warm")
        if r[k]["failed"] or r[k]["unbalanced"]
    ]
    if problems:
        print(f"ingest problems (failed files, unbalanced files): {problems}")
        return False
    rows = ingests[0]["warm"]["measurement_rows"]
    bare_rows = bares[0]["warm"]["rows"]
    ingest_s = [r["warm"]["measurement_seconds"] for r in ingests]
    bare_s = [r["warm"]["seconds"] for r in bares]
    ratios = [i / b for i, b in zip(ingest_s, bare_s, strict=True)]
    cpu_ratios = [
        i["warm"]["measurement_cpu_seconds"] / b["warm"]["cpu_seconds"]
        for i, b in zip(ingests, bares, strict=True)
    ]
    storage = storage_version or "DuckDB's default"
    print(f"{len(ratios)} interleaved rounds, warm runs, storage format {storage}:")
    print(f"  bare read_csv of the measurement file ({bare_rows:,} rows): s {_spread(bare_s)}")
    print(
        f"  ingest of the measurement file ({rows:,} records): s {_spread(ingest_s)}, "
        f"{rows / statistics.median(ingest_s):,.0f} rows/s"
    )
    batch = min((r["warm"] for r in ingests), key=lambda r: r["seconds"])
    print(
        f"  ingest of all {batch['files']} exports (fastest): {batch['rows_in']:,} records in "
        f"{batch['seconds']:.2f} s; database {batch['db_bytes'] / 2**20:,.0f} MiB "
        f"(bare read: {bares[0]['warm']['db_bytes'] / 2**20:,.0f} MiB)"
    )
    steps: dict[str, list[float]] = defaultdict(list)
    step_cpu: dict[str, list[float]] = defaultdict(list)
    for r in ingests:
        for name, seconds in r["warm"]["steps"].items():
            steps[name].append(seconds)
            step_cpu[name].append(r["warm"].get("step_cpu", {}).get(name, 0.0))
    wall = {name: statistics.median(values) for name, values in steps.items()}
    shown_steps = [n for n in sorted(wall, key=lambda n: -wall[n]) if wall[n] >= 0.005]
    shown = ", ".join(f"{name} {wall[name]:.2f}" for name in shown_steps)
    print(f"  measurement file by step (s, median of the warm runs): {shown}")
    # CPU seconds of the process during each step over its wall seconds: how many of
    # the cores the step kept busy (about 1 for a step that runs on one core only)
    cores = {name: statistics.median(c / w for c, w in zip(step_cpu[name], steps[name],
                                                            strict=True) if w)
             for name in shown_steps}
    shown = ", ".join(f"{name} {statistics.median(step_cpu[name]):.2f} ({cores[name]:.1f})"
                      for name in shown_steps)
    print(f"  by step, CPU s (cores busy: CPU / wall), medians: {shown}")
    cold = statistics.median(r["cold"]["measurement_seconds"] for r in ingests)
    cold_bare = statistics.median(r["cold"]["seconds"] for r in bares)
    print(f"  first run of a process (cold), medians: ingest {cold:.2f} s, bare {cold_bare:.2f} s")
    ratio = statistics.median(ratios)
    print(
        f"ratio to the bare read (per round): {_spread(ratios)} = "
        f"{ratio / TARGET_RATIO:.2f} x the target ({TARGET_RATIO} x)"
        f"{'' if ratio <= TARGET_RATIO else ' MISSED'}; CPU ratio median "
        f"{statistics.median(cpu_ratios):.2f}; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    return ratio <= TARGET_RATIO


if __name__ == "__main__":
    raise SystemExit(main())
