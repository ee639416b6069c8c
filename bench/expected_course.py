"""Benchmark: the expected course's off-course flags against planted courses, and their cost.

1. Precision and recall: the demo dataset (``demo.build_dataset``, seed 7) with
   ``--courses`` courses (default 10 000) is staged straight into a temporary DuckDB
   file and built; the flags (``mart_citizen_course_flags``) are scored against the
   courses the generator planted off course (and the late improvers).
2. Cost: with ``--timing-courses`` courses (default 100 000) the build is timed and the
   seconds of the expected-course models (fit, flags, marts) are printed as a share of
   the whole build (target: at most 10 %).

    .venv/bin/python bench/expected_course.py [--courses N] [--timing-courses N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from datadialog.config_load import load_config  # noqa: E402
from demo import DEFAULT_AS_OF  # noqa: E402
from tests.support.expected_course import score_flags, stage_demo  # noqa: E402
from transforms.build import build  # noqa: E402

TARGET_SHARE = 0.10
#: The models that fit the expected course and flag against it.
MODELS = (
    "int_course_outcome_scores",
    "int_expected_course_fit",
    "int_course_flags",
    "mart_citizen_course_flags",
    "mart_citizen_alliance_signals",
    "mart_expected_course",
    "mart_expected_course_validation",
    "mart_results_vs_expected",
)


def _run(courses: int, tmp: Path, name: str):
    config = load_config()
    con = duckdb.connect(str(tmp / f"{name}.duckdb"))
    planted = stage_demo(con, config, courses=courses, seed=7, as_of=DEFAULT_AS_OF)
    con.execute("checkpoint")
    result = build(con, config, as_of=DEFAULT_AS_OF)
    return con, planted, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--timing-courses", type=int, default=100_000)
    args = parser.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory(prefix="datadialog-bench-") as tmp:
        con, planted, _ = _run(args.courses, Path(tmp), "flags")
        score = score_flags(con, planted)
        validation = con.sql(
            "select intervention_id, instrument_id, n_test_courses, "
            "share_non_improvers_flagged, share_false_alarms, n_late_improvers, "
            "n_late_improvers_missed from mart_expected_course_validation "
            "where not is_suppressed order by all"
        ).fetchall()
        con.close()
        print(f"flags on {args.courses} demo courses:")
        for line in score.lines():
            print(f"  {line}")
        print("  time-split validation (hit rate, false alarms, late improvers / missed):")
        for iv, ins, n, hit, fa, late, missed in validation:
            print(f"    {iv}/{ins}: {n} test courses, hit {hit:.2f}, false alarm {fa:.2f}, "
                  f"late improvers {late}, missed {missed}")
        ok = score.recall == 1.0 and score.on_course_red_share <= 0.05
        con, _, result = _run(args.timing_courses, Path(tmp), "timing")
        con.close()
    ours = [m for m in result.models if m.name in MODELS]
    seconds = sum(m.seconds for m in ours)
    share = seconds / result.seconds
    print(f"build of {args.timing_courses} demo courses: {result.seconds:.1f} s")
    for m in sorted(ours, key=lambda m: m.seconds, reverse=True):
        print(f"  {m.seconds:6.2f} s  {m.name} ({m.rows} rows)")
    print(f"expected course fit + flags: {seconds:.1f} s = {share:.1%} of the build "
          f"(target at most {TARGET_SHARE:.0%})")
    return 0 if ok and share <= TARGET_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())
