"""Stage a demo dataset straight into DuckDB and score the off-course flags against the
courses the generator planted (manifest kinds ``off_course`` and ``late_improver``).
Used by tests/transforms/test_expected_course_demo.py and bench/expected_course.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from bench.check import stage_frames
from datadialog.config_model import DatadialogConfig
from demo import build_dataset
from demo.effects import effect_entries
from demo.frames import to_frames

#: Red flags per course at any judged point (at or before its last point).
COURSE_FLAGS_SQL = """
select
    course_id,
    coalesce(bool_or(flag = 'red'), false) as is_red,
    count(*) filter (where not is_intake_point and flag is not null) as n_judged
from mart_citizen_course_flags
group by course_id
"""


@dataclass(frozen=True)
class FlagScore:
    n_off_judged: int  # planted off-course courses with at least one judged point
    n_off_red: int
    n_on_judged: int  # courses planted neither off course nor as late improvers
    n_on_red: int
    n_late_judged: int
    n_late_red: int
    missed: tuple[str, ...]  # planted off-course courses never flagged red

    @property
    def recall(self) -> float:
        return self.n_off_red / self.n_off_judged

    @property
    def precision(self) -> float:
        """Planted off-course courses among every course flagged red (late improvers
        included in the denominator)."""
        return self.n_off_red / (self.n_off_red + self.n_on_red + self.n_late_red)

    @property
    def on_course_red_share(self) -> float:
        return self.n_on_red / self.n_on_judged

    def lines(self) -> list[str]:
        return [
            f"planted off course: {self.n_off_red} of {self.n_off_judged} flagged red "
            f"(recall {self.recall:.3f})",
            f"planted on course: {self.n_on_red} of {self.n_on_judged} flagged red "
            f"({self.on_course_red_share:.1%}, limit 5 %)",
            f"late improvers: {self.n_late_red} of {self.n_late_judged} flagged red",
            f"precision (planted off course among red courses): {self.precision:.3f}",
        ]


def stage_demo(con: duckdb.DuckDBPyConnection, config: DatadialogConfig, *, courses: int,
               seed: int, as_of: date) -> dict[str, list[str]]:
    """Stage the demo dataset; return the planted course refs by kind (= course ids)."""
    ds = build_dataset(seed=seed, courses=courses, as_of=as_of, config=config)
    stage_frames(con, to_frames(ds))
    return {e["kind"]: list(e["course_refs"]) for e in effect_entries(ds)
            if e["kind"] in ("off_course", "late_improver")}


def score_flags(con: duckdb.DuckDBPyConnection, planted: dict[str, list[str]]) -> FlagScore:
    rows = con.sql(COURSE_FLAGS_SQL).fetchall()
    judged = {course: is_red for course, is_red, n in rows if n > 0}
    off, late = set(planted["off_course"]), set(planted["late_improver"])
    off_j = [c for c in judged if c in off]
    late_j = [c for c in judged if c in late]
    on_j = [c for c in judged if c not in off and c not in late]
    return FlagScore(
        n_off_judged=len(off_j),
        n_off_red=sum(judged[c] for c in off_j),
        n_on_judged=len(on_j),
        n_on_red=sum(judged[c] for c in on_j),
        n_late_judged=len(late_j),
        n_late_red=sum(judged[c] for c in late_j),
        missed=tuple(sorted(c for c in off_j if not judged[c])),
    )
