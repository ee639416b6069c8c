"""Hand-made staging rows for tests and worked examples.

:class:`StagingWriter` creates the canonical staging tables (``transforms/sql/ddl``) in a
DuckDB connection and buffers rows written with short calls::

    writer = StagingWriter(con)
    writer.course("c1", "p1", "ungepraktik", "2024-01-10", gender="male", birth_year=2008)
    writer.form("f1", "c1", "ors", "2024-01-10", [5, 6, 7, 8])
    writer.flush()

Lineage columns get fixed test values (``load_id`` 'test', whose staging.loads row
names the file 'hand-made'; ``row_no`` counting up). No ingest code is involved, so
transforms can be tested on their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

import duckdb
import pyarrow as pa

from transforms.schema import ensure_schema
from transforms.sqltext import sql_file

LINEAGE = ("load_id", "row_no")

DateLike = date | str | None


def _date(value: DateLike) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


class StagingWriter:
    """Buffer hand-made staging rows; :meth:`flush` writes them in one insert per table."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        ensure_schema(con)
        self._rows: dict[str, list[dict]] = defaultdict(list)
        self._citizens: set[str] = set()
        self._row_no = 0

    def _add(self, table: str, **values: object) -> None:
        if table != "agreements":
            self._row_no += 1
            values.update(
                load_id="test", row_no=self._row_no
            )
        self._rows[table].append(values)

    # ------------------------------------------------------------ tables

    def citizen(
        self, citizen_id: str, gender: str | None = None, birth_year: int | None = None
    ) -> None:
        self._citizens.add(citizen_id)
        self._add("citizens", citizen_id=citizen_id, gender=gender, birth_year=birth_year)

    def course(
        self,
        course_id: str,
        citizen_id: str,
        intervention_id: str,
        start_date: DateLike,
        end_date: DateLike = None,
        end_reason: str | None = None,
        *,
        variant: str = "standard",
        team_id: str | None = None,
        gender: str | None = None,
        birth_year: int | None = None,
    ) -> None:
        """Add a course; its citizen row is added too the first time the citizen appears."""
        if citizen_id not in self._citizens:
            self.citizen(citizen_id, gender, birth_year)
        self._add(
            "courses",
            course_id=course_id,
            citizen_id=citizen_id,
            intervention_id=intervention_id,
            variant=variant,
            team_id=team_id,
            start_date=_date(start_date),
            end_date=_date(end_date),
            end_reason=end_reason,
        )

    def form(
        self,
        form_id: str,
        course_id: str,
        instrument_id: str,
        measured_on: DateLike,
        values: Sequence[float | None] | Mapping[int, float | None],
        *,
        rater_role: str | None = None,
        staff_id: str | None = None,
        notes: Mapping[int, str] | None = None,
    ) -> None:
        """Add one form. A sequence gives items 1..n (None = a row with a missing value);
        a mapping gives only the listed items (unlisted items have no row at all)."""
        items = values.items() if isinstance(values, Mapping) else enumerate(values, start=1)
        for item_no, value in items:
            self._add(
                "measurements",
                form_id=form_id,
                course_id=course_id,
                instrument_id=instrument_id,
                measured_on=_date(measured_on),
                staff_id=staff_id,
                rater_role=rater_role,
                item_no=int(item_no),
                value=None if value is None else float(value),
                note=(notes or {}).get(int(item_no)),
            )

    def goal(
        self,
        goal_id: str,
        course_id: str,
        life_area: str,
        goal_type: str = "progression",
        *,
        weight: float = 1.0,
        set_on: DateLike = None,
        description: str | None = None,
    ) -> None:
        self._add(
            "goals",
            goal_id=goal_id,
            course_id=course_id,
            life_area=life_area,
            goal_type=goal_type,
            set_on=_date(set_on),
            weight=float(weight),
            description=description,
        )

    def rating(
        self, goal_id: str, rated_on: DateLike, score: int, staff_id: str | None = None
    ) -> None:
        self._add(
            "goal_ratings",
            goal_id=goal_id,
            rated_on=_date(rated_on),
            score=int(score),
            staff_id=staff_id,
        )

    def agreement(
        self,
        meeting_id: str,
        course_id: str | None,
        agreed_on: DateLike,
        text: str,
        *,
        owner: str | None = None,
        follow_up_on: DateLike = None,
        status: str | None = "open",
    ) -> None:
        self._add(
            "agreements",
            meeting_id=meeting_id,
            course_id=course_id,
            agreed_on=_date(agreed_on),
            text=text,
            owner=owner,
            follow_up_on=_date(follow_up_on),
            status=status,
        )

    def activity(
        self,
        course_id: str,
        activity_date: DateLike,
        activity_type: str,
        minutes: float | None = None,
        staff_id: str | None = None,
    ) -> None:
        self._add(
            "activities",
            course_id=course_id,
            activity_date=_date(activity_date),
            activity_type=activity_type,
            minutes=None if minutes is None else float(minutes),
            staff_id=staff_id,
        )

    def cost(
        self,
        intervention_id: str,
        quarter: str,
        cost_type: str,
        amount_dkk: float,
        *,
        hours: float | None = None,
    ) -> None:
        """One cost export row (quarter 'YYYY-Qn', cost_type staff | fixed | per_course)."""
        self._add(
            "costs",
            intervention_id=intervention_id,
            quarter=quarter,
            cost_type=cost_type,
            amount_dkk=float(amount_dkk),
            hours=None if hours is None else float(hours),
        )

    # ------------------------------------------------------------ write

    def flush(self) -> dict[str, int]:
        """Insert the buffered rows (one insert per table); return rows written per table."""
        written = {}
        add_test_load(self.con)
        for table, rows in self._rows.items():
            target = f"staging.{table}"
            columns = self.con.table(target).columns
            types = self.con.table(target).types
            data = pa.table(
                {
                    name: pa.array([row.get(name) for row in rows], type=_arrow_type(str(dtype)))
                    for name, dtype in zip(columns, types, strict=True)
                }
            )
            self.con.from_arrow(data).insert_into(target)
            written[table] = len(rows)
        self._rows.clear()
        return written


def add_test_load(con: duckdb.DuckDBPyConnection) -> None:
    """The staging.loads row of hand-made rows (load 'test', file 'hand-made'), once."""
    con.execute(sql_file("staging/load/test_load.sql"))


def _arrow_type(duckdb_type: str) -> pa.DataType:
    return {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "DATE": pa.date32(),
        "BOOLEAN": pa.bool_(),
        "TIMESTAMP": pa.timestamp("us"),
    }[duckdb_type]
