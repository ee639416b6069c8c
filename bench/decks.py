"""Benchmark the deck layer (no PDF conversion).

1. Median wall time to build and render one citizen-level pack (3 citizens, 3
   instruments each: 9 native line charts, 3 KiK bar charts, 18 slides), after one
   warm-up run, and its median CPU time. Target: <= 200 ms wall. (Before the direct-XML
   charts, tables and notes: ~340 ms wall / ~220 ms CPU; after: ~70 ms / ~60 ms.)
2. Per intervention-level meeting of the demo (``make demo`` first: its database and
   outbox in ``build/demo``, or ``--demo DIR``): the median wall time of a whole
   intervention pack as the meeting run makes it (gather from the marts, build, render,
   agreement register), over ``--runs`` runs (default 7) after one warm-up, with min and
   max, and as a ratio to the 1 s target. Without a demo folder: the sample packs of
   ``tests/support/deck_samples.py`` per intervention (build and render only). With the
   demo folder also the leaders' quarterly summary (gather, build, render the deck and
   its finance workbook), median of the same runs.
3. Every pack of a round rendered in parallel on both cores (ProcessPoolExecutor, 2
   workers): one citizen pack per citizen-level meeting series of the demo config and
   one intervention pack per intervention.
4. With the demo folder: ``datadialog prepare`` for one citizen meeting the way a data
   steward runs it, each run a fresh process on a copy of the demo's database and
   outbox (imports, the decks, delivery to the outbox, the data steward's site
   refreshed): median wall seconds of ``--runs`` runs after a warm-up, and the part the
   meeting's own preparation took (its manifest's ``seconds``).

Run: ``.venv/bin/python bench/decks.py`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datadialog.config_load import load_config  # noqa: E402
from datadialog.db import connect  # noqa: E402
from outputs.citizen_pack import build_citizen_deck  # noqa: E402
from outputs.common import DeckOptions  # noqa: E402
from outputs.intervention_pack import build_intervention_deck  # noqa: E402
from outputs.render import render_deck  # noqa: E402
from pipeline.decks import (  # noqa: E402
    DeckJob,
    build_intervention_pack,
    build_leaders_summary,
)
from tests.support.deck_samples import sample_citizen_pack, sample_intervention_pack  # noqa: E402
from transforms.build_state import fingerprint, last_build  # noqa: E402

RUNS = 15
TARGET_MS = 200.0
INTERVENTION_TARGET_MS = 1000.0
DEMO = Path(__file__).resolve().parent.parent / "build" / "demo"
OPTS = DeckOptions(language="da", organisation="Demo Kommune")


def citizen_once(out: Path, n_citizens: int = 3, cpu: list[float] | None = None) -> float:
    """Wall time (ms) to build and render one citizen pack; its CPU time goes to ``cpu``."""
    start, start_cpu = time.perf_counter(), time.process_time()
    spec = build_citizen_deck(sample_citizen_pack(n_citizens), OPTS)
    render_deck(spec, out)
    if cpu is not None:
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def render_job(job: tuple[str, str, str]) -> tuple[str, float]:
    kind, key, out = job
    start = time.perf_counter()
    if kind == "citizen":
        spec = build_citizen_deck(sample_citizen_pack(3), OPTS)
    else:
        spec = build_intervention_deck(sample_intervention_pack(load_config(), key), OPTS)
    render_deck(spec, out)
    return f"{kind}:{key}", (time.perf_counter() - start) * 1000


def timed(make, runs: int) -> list[float]:
    """Wall times (ms) of ``runs`` calls of ``make()`` after one warm-up call."""
    make()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        times.append((time.perf_counter() - start) * 1000)
    return times


def demo_meetings(demo: Path, config, level: str = "intervention") -> list[tuple[object, date]]:
    """The meetings of ``level`` the demo prepared (``outbox/<meeting>/<date>``)."""
    found = []
    for meeting in config.meetings:
        if meeting.level != level:
            continue
        dates = sorted((demo / "outbox" / meeting.id).glob("????-??-??"))
        if dates:
            found.append((meeting, date.fromisoformat(dates[-1].name)))
    return found


def built_by_this_version(db: Path, config) -> bool:
    """Whether the database's last build used this config and model SQL."""
    con = connect(db, read_only=True)
    try:
        last = last_build(con)
    finally:
        con.close()
    return last is not None and last[0] == fingerprint(config)


def intervention_medians(config, demo: Path, runs: int, out: Path) -> None:
    """Median wall time per intervention pack, on the demo's marts (or the samples)."""
    meetings = demo_meetings(demo, config) if (demo / "datadialog.duckdb").exists() else []
    if meetings and not built_by_this_version(demo / "datadialog.duckdb", config):
        print(f"{demo} was built by another version of datadialog (its marts may lack "
              "columns the decks now read): run make demo again for the demo's figures")
        meetings = []
    results = []
    if meetings:
        con = connect(demo / "datadialog.duckdb", read_only=True)
        try:
            for meeting, day in meetings:
                job = DeckJob(con, config, meeting, day, out, f"{meeting.id}_{day}", [])
                results.append((meeting.id, timed(lambda j=job: build_intervention_pack(j),
                                                  runs)))
            leaders_median(con, config, demo, runs, out)
        finally:
            con.close()
        source = f"demo marts in {demo} (gather + build + render + register)"
    else:
        for iv in config.interventions:
            data = sample_intervention_pack(config, iv.id)
            path = out / f"s_{iv.id}.pptx"
            results.append((iv.id, timed(
                lambda d=data, p=path: render_deck(build_intervention_deck(d, OPTS), p), runs)))
        source = "sample packs (no demo folder: run make demo for the demo's figures)"
    print(f"intervention packs, {source}; median of {runs} runs after a warm-up:")
    for name, times in results:
        median = statistics.median(times)
        verdict = "OK" if median <= INTERVENTION_TARGET_MS else "OVER TARGET"
        print(f"  {name:28s} median {median:6.0f} ms (min {min(times):.0f}, "
              f"max {max(times):.0f}) = {median / INTERVENTION_TARGET_MS:.2f} x the "
              f"{INTERVENTION_TARGET_MS / 1000:.0f} s target {verdict}")


def leaders_median(con, config, demo: Path, runs: int, out: Path) -> None:
    """Median wall time of the leaders' quarterly summary on the demo's marts (gather,
    build, render the deck and its finance workbook): every chart native since
    2026-12-05 (before: 4 Altair images, ~3 s)."""
    for meeting, day in demo_meetings(demo, config, "organisation"):
        job = DeckJob(con, config, meeting, day, out, f"{meeting.id}_{day}", [])
        times = timed(lambda j=job: build_leaders_summary(j), runs)
        print(f"leaders' summary {meeting.id}: median {statistics.median(times):.0f} ms "
              f"(min {min(times):.0f}, max {max(times):.0f}; gather + build + render, "
              "deck and workbook)")


#: The key ``datadialog demo`` uses when none is set (cli/run.py): a copy of the demo
#: database opens with it.
DEMO_KEY = "datadialog-demo-key-not-for-real-data"


def cli_prepare(demo: Path, config, runs: int) -> None:
    """Median wall time of ``datadialog prepare`` for the demo's first citizen meeting, a
    fresh process per run on a copy of the demo (see the module doc, 4.)."""
    meetings = demo_meetings(demo, config, "citizen")
    command = Path(sys.executable).parent / "datadialog"
    if not meetings or not command.exists() or not (demo / "datadialog.duckdb").exists():
        print("datadialog prepare: no demo folder (run make demo for this figure)")
        return
    meeting, day = meetings[0]
    env = {**os.environ}
    env.setdefault("DATADIALOG_PSEUDONYM_KEY", DEMO_KEY)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copyfile(demo / "datadialog.duckdb", work / "datadialog.duckdb")
        shutil.copytree(demo / "outbox", work / "outbox")
        args = [str(command), "prepare", meeting.id, "--date", day.isoformat(),
                "--db", str(work / "datadialog.duckdb"), "--outbox", str(work / "outbox")]
        walls, own = [], []
        for n in range(runs + 1):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True, env=env)
            if n:  # the first run is the warm-up
                walls.append(time.perf_counter() - start)
                manifest = work / "outbox" / meeting.id / day.isoformat() / "manifest.json"
                own.append(float(json.loads(manifest.read_text(encoding="utf-8"))["seconds"]))
    print(f"datadialog prepare {meeting.id} (a fresh process: imports, decks, delivery, "
          f"site): median {statistics.median(walls):.2f} s (min {min(walls):.2f}, "
          f"max {max(walls):.2f}) over {runs} runs; the meeting's own preparation "
          f"{statistics.median(own):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=DEMO,
                        help="a demo folder (build/demo after make demo)")
    parser.add_argument("--runs", type=int, default=7, help="timed intervention packs")
    args = parser.parse_args()
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        citizen_once(tmp_path / "warm.pptx")
        cpu: list[float] = []
        times = [citizen_once(tmp_path / f"c{i}.pptx", cpu=cpu) for i in range(RUNS)]
        median = statistics.median(times)
        verdict = "OK" if median <= TARGET_MS else "OVER TARGET"
        print(f"citizen pack: median {median:.0f} ms over {RUNS} runs "
              f"(min {min(times):.0f}, max {max(times):.0f}; target <= {TARGET_MS:.0f} ms) "
              f"{verdict}")
        # wall time swings with whatever else runs on the machine; CPU time much less
        print(f"citizen pack CPU time: median {statistics.median(cpu):.0f} ms")
        one = statistics.median(citizen_once(tmp_path / f"o{i}.pptx", 1) for i in range(RUNS))
        print(f"citizen pack with one citizen on the agenda: median {one:.0f} ms "
              f"(each further citizen adds about {(median - one) / 2:.0f} ms)")
        intervention_medians(config, args.demo, max(args.runs, 5), tmp_path)
        cli_prepare(args.demo, config, 5)
        jobs = [("citizen", m.id, str(tmp_path / f"p_{m.id}.pptx"))
                for m in config.meetings if m.level == "citizen"]
        jobs += [("intervention", i.id, str(tmp_path / f"p_{i.id}.pptx"))
                 for i in config.interventions]
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(render_job, jobs))
        wall = (time.perf_counter() - start) * 1000
        print(f"all packs in parallel (2 processes): {len(jobs)} decks in {wall:.0f} ms wall")
        for name, ms in results:
            print(f"  {name:28s} {ms:7.0f} ms")


if __name__ == "__main__":
    main()
